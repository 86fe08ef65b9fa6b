//! Azure Batch `Certificate_CancelDeletion`:
//! `POST /certificates(thumbprintAlgorithm=sha1,thumbprint={tp})/canceldelete?api-version=2020-09-01.12.0`.
//!
//! Prism routes this operation, so it validates the request with both credentials the spec
//! allows (Shared Key and an Entra ID bearer token). Prism only checks that an
//! `Authorization` header is present, so the Shared Key signature, `ocp-date`, the Batch
//! content type and `Content-Length: 0` are checked on the wire against wiremock, where the
//! signature is recomputed from the received request with
//! `restsmith_runtime::auth::azure_shared_key`.

use std::sync::Arc;

use azure_batch::{auth, Client};
use restsmith_runtime::auth::azure_shared_key::{self, SharedKeyCredential};
use restsmith_runtime::auth::Credential;
use restsmith_runtime::chrono::{DateTime, Duration as ChronoDuration, SubsecRound, TimeZone, Utc};
use restsmith_runtime::http::StatusCode;
use restsmith_runtime::serde_helpers::rfc1123;
use restsmith_runtime::uuid::Uuid;
use restsmith_runtime::ClientOptions;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{
    assert_prism_validated, assert_uuid, expect_api, expect_ok, expect_validation, fast_retries,
    header, header_pairs, no_retries, opt_header, prism, query_pairs, received, Prefer, Recorder,
};

/// The fake account and key of the Shared Key test vector (PROTOCOLS.md §4.2).
const ACCOUNT: &str = "myaccount";
const KEY: &str =
    "ZGVtby1iYXRjaC1hY2NvdW50LWtleS1OT1QtUkVBTC0wMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZg==";
const THUMBPRINT: &str = "0123456789abcdef0123456789abcdef01234567";
const PATH: &str = "/certificates(thumbprintAlgorithm=sha1,thumbprint=0123456789abcdef0123456789abcdef01234567)/canceldelete";
const BATCH_CONTENT_TYPE: &str = "application/json; odata=minimalmetadata";

fn shared_key_client(endpoint: &str, options: ClientOptions) -> Client {
    let credential: Arc<dyn Credential> =
        Arc::new(auth::shared_key(ACCOUNT, KEY).expect("valid key"));
    Client::with_options(endpoint, Some(credential), options).expect("client")
}

fn bearer_client(endpoint: &str, options: ClientOptions) -> Client {
    let credential: Arc<dyn Credential> = Arc::new(auth::azure_auth_token("batch-test-token"));
    Client::with_options(endpoint, Some(credential), options).expect("client")
}

/// Recomputes the Shared Key signature of a received request, as the Batch service does,
/// and compares it with the `Authorization` header that arrived.
fn assert_shared_key_signature(request: &wiremock::Request) {
    let credential = SharedKeyCredential::new(ACCOUNT, KEY).expect("valid key");
    let headers = header_pairs(request);
    let query = query_pairs(request);
    let string_to_sign = azure_shared_key::string_to_sign(
        request.method.as_str(),
        request.url.path(),
        &query,
        &headers,
        ACCOUNT,
    )
    .expect("the received request can be canonicalized");
    let expected = azure_shared_key::sign(
        &credential,
        request.method.as_str(),
        request.url.path(),
        &query,
        &headers,
    )
    .expect("sign");
    assert_eq!(
        header(request, "authorization"),
        expected,
        "Shared Key signature recomputed from the received request; string to sign:\n{string_to_sign}"
    );
    // Content-Length and the Batch content type are part of what was signed.
    assert!(
        string_to_sign.starts_with(&format!("POST\n\n\n0\n\n{BATCH_CONTENT_TYPE}\n\n")),
        "string to sign: {string_to_sign:?}"
    );
}

/// `ocp-date` parsed as RFC 1123.
fn ocp_date(request: &wiremock::Request) -> DateTime<Utc> {
    let text = header(request, "ocp-date");
    rfc1123::parse(text).unwrap_or_else(|| panic!("ocp-date {text:?} is not an RFC 1123 date"))
}

#[tokio::test]
async fn cancel_deletion_against_prism() {
    let prism = prism("azure-batch.yaml").await;

    // Shared Key credential, no optional parameters.
    let recorder = Recorder::default();
    let client = shared_key_client(
        &prism.base_url,
        no_retries().interceptor(Arc::new(recorder.clone())),
    );
    let response = expect_ok(
        "cancelDeletion (Shared Key)",
        &prism,
        client.certificate_cancel_deletion(THUMBPRINT).await,
    );
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert_eq!(response.body, ());
    // The 204's header examples from the spec, decoded into their types.
    let headers = &response.headers;
    assert_eq!(
        headers.request_id,
        Some(Uuid::parse_str("3b0f8e2c-5a41-4d7e-9f6b-2c8d1e0a7b93").unwrap())
    );
    assert_eq!(headers.client_request_id, Some(Uuid::nil()));
    assert_eq!(headers.e_tag.as_deref(), Some("0x8D456F4A3C2B1E0"));
    assert_eq!(
        headers.last_modified,
        Some(Utc.with_ymd_and_hms(2017, 2, 17, 0, 0, 0).unwrap())
    );
    assert_eq!(
        headers.data_service_id.as_deref(),
        Some("https://account.region.batch.azure.com/certificates(ThumbprintAlgorithm=sha1,Thumbprint=0123456789abcdef0123456789abcdef01234567)")
    );
    let sent = recorder.take();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].url.path(), PATH);
    assert_eq!(sent[0].url.query(), Some("api-version=2020-09-01.12.0"));
    assert!(sent[0]
        .header("authorization")
        .unwrap_or_default()
        .starts_with("SharedKey myaccount:"));
    assert_eq!(sent[0].header("content-type"), Some(BATCH_CONTENT_TYPE));
    assert!(sent[0].header("ocp-date").is_some());
    assert_uuid(
        "client-request-id",
        sent[0].header("client-request-id").unwrap_or_default(),
    );
    assert!(sent[0].body.is_empty());

    // Bearer credential with every optional parameter: Prism validates their types
    // (integer timeout, uuid client-request-id, boolean return-client-request-id).
    let recorder = Recorder::default();
    let client = bearer_client(
        &prism.base_url,
        no_retries().interceptor(Arc::new(recorder.clone())),
    );
    let request_id = Uuid::parse_str("9c4d50ee-2d56-4cd3-8152-34347dc9f2b0").unwrap();
    let issued = Utc.with_ymd_and_hms(2017, 2, 17, 0, 0, 0).unwrap();
    let response = expect_ok(
        "cancelDeletion (bearer, all optional parameters)",
        &prism,
        client
            .certificate_cancel_deletion(THUMBPRINT.to_uppercase())
            .timeout(30)
            .client_request_id(request_id)
            .return_client_request_id(true)
            .ocp_date(issued)
            .await,
    );
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    let sent = &recorder.take()[0];
    assert_eq!(
        sent.url.path(),
        PATH.replace(THUMBPRINT, &THUMBPRINT.to_uppercase())
    );
    assert_eq!(
        sent.url.query(),
        Some("timeout=30&api-version=2020-09-01.12.0")
    );
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer batch-test-token")
    );
    assert_eq!(
        sent.header("client-request-id"),
        Some("9c4d50ee-2d56-4cd3-8152-34347dc9f2b0")
    );
    assert_eq!(sent.header("return-client-request-id"), Some("true"));
    assert_eq!(
        sent.header("ocp-date"),
        Some("Fri, 17 Feb 2017 00:00:00 GMT")
    );

    // The spec's `default` error response (Prefer: code=404) decodes into BatchError.
    let client = shared_key_client(
        &prism.base_url,
        no_retries().interceptor(Arc::new(Prefer("code=404"))),
    );
    let api = expect_api(
        "cancelDeletion with Prefer: code=404",
        client.certificate_cancel_deletion(THUMBPRINT).await,
    );
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(
        api.headers.get("sl-violations").is_none(),
        "no violation: {:?}",
        api.headers
    );
    let body = api.body.as_ref().expect("typed BatchError");
    assert_eq!(body.code.as_deref(), Some("CertificateNotFound"));
    let message = body.message.as_ref().expect("message");
    assert_eq!(message.lang.as_deref(), Some("en-US"));
    assert!(message
        .value
        .as_deref()
        .unwrap_or_default()
        .starts_with("The specified certificate does not exist."));
    let values = body.values.as_ref().expect("values");
    assert_eq!(values[0].key.as_deref(), Some("Thumbprint"));
    assert_eq!(values[0].value.as_deref(), Some(THUMBPRINT));
    assert_eq!(api.code.as_deref(), Some("CertificateNotFound"));
    assert_eq!(api.message.as_deref(), message.value.as_deref());
    // Prism's verdict on all 3 requests of this test.
    assert_prism_validated(&prism, 3).await;
}

/// The Shared Key request on the wire: path, query, Batch content type, `Content-Length: 0`,
/// a fresh `ocp-date`, no `Date`, a client request id, and a signature that the server can
/// recompute.
#[tokio::test]
async fn cancel_deletion_shared_key_request_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(204)
                .insert_header("request-id", "3b0f8e2c-5a41-4d7e-9f6b-2c8d1e0a7b93")
                .insert_header("client-request-id", "9c4d50ee-2d56-4cd3-8152-34347dc9f2b0")
                .insert_header("ETag", "0x8DC0DD9E8F1A2B3")
                .insert_header("Last-Modified", "Fri, 05 Jan 2024 09:30:00 GMT")
                .insert_header(
                    "DataServiceId",
                    "https://myaccount.eastus.batch.azure.com/certificates(ThumbprintAlgorithm=sha1,Thumbprint=0123456789abcdef0123456789abcdef01234567)",
                ),
        )
        .mount(&server)
        .await;
    let client = shared_key_client(&server.uri(), no_retries());
    let before = Utc::now().trunc_subsecs(0);
    let response = client
        .certificate_cancel_deletion(THUMBPRINT)
        .timeout(30)
        .await
        .expect("cancelDeletion");
    let after = Utc::now();
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert_eq!(
        response.headers.request_id,
        Some(Uuid::parse_str("3b0f8e2c-5a41-4d7e-9f6b-2c8d1e0a7b93").unwrap())
    );
    assert_eq!(
        response.headers.client_request_id,
        Some(Uuid::parse_str("9c4d50ee-2d56-4cd3-8152-34347dc9f2b0").unwrap())
    );
    assert_eq!(response.headers.e_tag.as_deref(), Some("0x8DC0DD9E8F1A2B3"));
    assert_eq!(
        response.headers.last_modified,
        Some(Utc.with_ymd_and_hms(2024, 1, 5, 9, 30, 0).unwrap())
    );
    assert!(response
        .headers
        .data_service_id
        .as_deref()
        .unwrap_or_default()
        .ends_with("Thumbprint=0123456789abcdef0123456789abcdef01234567)"));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request.url.path(),
        PATH,
        "( = , ) of the template stay literal"
    );
    assert_eq!(
        query_pairs(request),
        [
            ("timeout".to_owned(), "30".to_owned()),
            ("api-version".to_owned(), "2020-09-01.12.0".to_owned())
        ]
    );
    assert_eq!(header(request, "content-type"), BATCH_CONTENT_TYPE);
    assert!(request.body.is_empty(), "no body");
    assert_eq!(
        opt_header(request, "date"),
        None,
        "ocp-date is used, never Date"
    );
    let sent_at = ocp_date(request);
    assert!(
        before <= sent_at && sent_at <= after,
        "ocp-date {sent_at} is the time of sending ({before}..{after})"
    );
    assert_uuid("client-request-id", header(request, "client-request-id"));
    assert_eq!(opt_header(request, "return-client-request-id"), None);
    assert!(header(request, "authorization").starts_with("SharedKey myaccount:"));
    assert_shared_key_signature(request);
    assert_eq!(
        opt_header(request, "content-length"),
        Some("0"),
        "RUNTIME PROBLEM (runtime/src/transport.rs): PROTOCOLS.md §4.1 requires `Content-Length: 0` on the \
         body-less POST, and SharedKeySigner signs Content-Length as `0`, but the header is not sent (a \
         service that canonicalizes the absent header as empty computes a different signature; Azure front \
         ends may answer 411 Length Required)"
    );
}

/// A caller who sets `ocp_date` explicitly (the builder documents it "if you are calling the
/// REST API directly") expects that value on the wire and in the signature.
#[tokio::test]
async fn cancel_deletion_shared_key_keeps_caller_ocp_date() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = shared_key_client(&server.uri(), no_retries());
    // A recent time (the service accepts 15 minutes of skew), whole seconds.
    let issued = (Utc::now() - ChronoDuration::minutes(2)).trunc_subsecs(0);
    let caller_id = Uuid::parse_str("9c4d50ee-2d56-4cd3-8152-34347dc9f2b0").unwrap();
    client
        .certificate_cancel_deletion(THUMBPRINT)
        .client_request_id(caller_id)
        .return_client_request_id(true)
        .ocp_date(issued)
        .await
        .expect("cancelDeletion");
    let requests = received(&server).await;
    let request = &requests[0];
    assert_eq!(
        header(request, "client-request-id"),
        caller_id.to_string(),
        "the caller's client-request-id is kept"
    );
    assert_eq!(header(request, "return-client-request-id"), "true");
    assert_shared_key_signature(request);
    assert_eq!(
        ocp_date(request),
        issued,
        "RUNTIME PROBLEM: the builder's .ocp_date({}) is silently replaced by SharedKeySigner, which always \
         overwrites `ocp-date` with the current time (runtime/src/auth/signers.rs); it should sign the caller's \
         value when one is set",
        rfc1123::format(&issued)
    );
}

/// The Batch error body (`code`, `message.value`, `values`) with `request-id`.
#[tokio::test]
async fn cancel_deletion_error_response_is_typed() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(409)
                .insert_header("request-id", "9c4d50ee-2d56-4cd3-8152-34347dc9f2b0")
                .set_body_raw(
                    serde_json::json!({
                        "odata.metadata": "https://myaccount.eastus.batch.azure.com/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element",
                        "code": "CertificateStateActive",
                        "message": {
                            "lang": "en-US",
                            "value": "The specified certificate is not in the deleteFailed state.\nRequestId:9c4d50ee-2d56-4cd3-8152-34347dc9f2b0\nTime:2024-01-05T09:30:00.1234567Z"
                        },
                        "values": [
                            {"key": "Reason", "value": "The certificate is in the active state; only a certificate in the deleteFailed state can have its deletion cancelled."}
                        ]
                    })
                    .to_string(),
                    "application/json;odata=minimalmetadata",
                ),
        )
        .mount(&server)
        .await;
    let client = shared_key_client(&server.uri(), fast_retries(3));
    let api = expect_api(
        "cancelDeletion → 409",
        client.certificate_cancel_deletion(THUMBPRINT).await,
    );
    assert_eq!(api.status, StatusCode::CONFLICT);
    let body = api.body.as_ref().expect("typed BatchError");
    assert_eq!(body.code.as_deref(), Some("CertificateStateActive"));
    let message = body.message.as_ref().expect("message");
    assert_eq!(message.lang.as_deref(), Some("en-US"));
    assert!(message
        .value
        .as_deref()
        .unwrap_or_default()
        .starts_with("The specified certificate is not in the deleteFailed state."));
    let values = body.values.as_ref().expect("values");
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].key.as_deref(), Some("Reason"));
    assert_eq!(api.code.as_deref(), Some("CertificateStateActive"));
    assert_eq!(
        api.message.as_deref(),
        message.value.as_deref(),
        "ApiError.message is message.value"
    );
    assert_eq!(
        api.request_id.as_deref(),
        Some("9c4d50ee-2d56-4cd3-8152-34347dc9f2b0"),
        "from the request-id header"
    );
    assert_eq!(api.attempts, 1, "a 409 is not retried");
    assert_eq!(received(&server).await.len(), 1);
}

/// A non-JSON (HTML) 500: kept raw; the operation is retry-safe (`x-restsmith-retry-safe`),
/// so it is retried, and every attempt is signed afresh with the same client request id.
#[tokio::test]
async fn cancel_deletion_html_500_is_retried_and_kept_raw() {
    const HTML: &str = "<!DOCTYPE html><html><head><title>500</title></head><body>Service Unavailable: the Batch front end failed</body></html>";
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("request-id", "00000000-0000-4000-8000-000000000500")
                .set_body_raw(HTML, "text/html; charset=utf-8"),
        )
        .mount(&server)
        .await;
    let client = shared_key_client(&server.uri(), fast_retries(2));
    let api = expect_api(
        "cancelDeletion → HTML 500",
        client.certificate_cancel_deletion(THUMBPRINT).await,
    );
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.raw_body, HTML);
    assert!(api.body.is_none());
    assert_eq!(api.code, None);
    assert_eq!(
        api.request_id.as_deref(),
        Some("00000000-0000-4000-8000-000000000500")
    );
    assert_eq!(
        api.attempts, 3,
        "1 attempt + 2 retries (Certificate_CancelDeletion is retry-safe)"
    );

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let first_id = header(&requests[0], "client-request-id");
    for request in &requests {
        assert_eq!(
            header(request, "client-request-id"),
            first_id,
            "same client request id on every attempt"
        );
        assert_shared_key_signature(request);
    }
    assert_eq!(api.client_request_id.as_deref(), Some(first_id));
}

/// A thumbprint that is not 40 hex digits is rejected before anything is sent.
#[tokio::test]
async fn cancel_deletion_rejects_bad_thumbprints_before_sending() {
    let server = MockServer::start().await;
    let client = shared_key_client(&server.uri(), no_retries());
    for thumbprint in [
        String::new(),
        "xyz".to_owned(),
        THUMBPRINT[..39].to_owned(),
        format!("{THUMBPRINT}0"),
        format!("{}g", &THUMBPRINT[..39]),
        format!("{}/", &THUMBPRINT[..39]),
        format!("{}),thumbprint=x", &THUMBPRINT[..25]),
    ] {
        expect_validation(
            &format!("thumbprint {thumbprint:?}"),
            client.certificate_cancel_deletion(thumbprint.clone()).await,
            "thumbprint",
        );
    }
    assert!(
        received(&server).await.is_empty(),
        "nothing may be sent for a rejected thumbprint"
    );
}
