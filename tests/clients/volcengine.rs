//! Volcengine ECS `DeleteImages`: `GET /?Action=DeleteImages&Version=2020-04-01&ImageIds.1=…&ImageIds.N=…`,
//! signed with Volcengine V4 (`HMAC-SHA256`).
//!
//! Prism cannot route this operation as the spec writes it: the spec's path key is the RPC
//! key `/#Action=DeleteImages` (restsmith's convention: the part after `#` is not sent, the
//! real path is `/` with `Action`/`Version` in the query), so Prism only answers at the
//! literal path `/%23Action=DeleteImages` and 404s on the real `GET /?Action=DeleteImages…`.
//! Prism would also expect the `ImageIds` array as repeated `ImageIds=` (OpenAPI form
//! style), while the wire format is `ImageIds.1=…&ImageIds.2=…` (`x-restsmith-indexed-list`).
//! Every request is therefore checked field by field against wiremock, and the server side
//! recomputes the V4 signature from the received request with the pure signer
//! `restsmith_runtime::auth::volcengine::sign` and compares it with the `Authorization` that
//! arrived.

use std::sync::Arc;

use restsmith_runtime::auth::volcengine::{self, SigningInput, VolcengineCredentials};
use restsmith_runtime::auth::Credential;
use restsmith_runtime::chrono::{NaiveDateTime, Utc};
use restsmith_runtime::http::StatusCode;
use restsmith_runtime::ClientOptions;
use volcengine_ecs::{auth, Client};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{
    expect_api, expect_validation, fast_retries, header, no_retries, opt_header, query_pairs,
    received,
};

/// Fake keys of PROTOCOLS.md §6.3.
const AK: &str = "AKLTexampleEXAMPLE";
const SK: &str = "EXAMPLEsecretEXAMPLEsecretEXAMPLE00";
const REGION: &str = "cn-beijing";

fn make_client(endpoint: &str, options: ClientOptions) -> Client {
    let credential: Arc<dyn Credential> = Arc::new(auth::volcengine_v4(AK, SK, REGION));
    Client::with_options(endpoint, Some(credential), options).expect("client")
}

/// The spec's `partial` 200 example: one image deleted, one not found.
fn partial_example() -> serde_json::Value {
    serde_json::json!({
        "ResponseMetadata": {
            "RequestId": "2024010509300001022524310000543F2A",
            "Action": "DeleteImages",
            "Version": "2020-04-01",
            "Service": "ecs",
            "Region": "cn-beijing"
        },
        "Result": {
            "OperationDetails": [
                {"ImageId": "image-aaaa1111", "Error": null},
                {"ImageId": "image-bbbb2222", "Error": {"Code": "InvalidImage.NotFound", "Message": "The specified image does not exist."}}
            ]
        }
    })
}

/// Verifies the V4 signature of a received request the way the service does: parse the
/// `Authorization` header, take the headers it lists, recompute with the pure signer, compare.
/// Returns the X-Date that was signed.
fn assert_v4_signature(request: &wiremock::Request) -> String {
    let authorization = header(request, "authorization");
    let rest = authorization
        .strip_prefix("HMAC-SHA256 Credential=")
        .unwrap_or_else(|| panic!("not a V4 Authorization: {authorization}"));
    let (credential, rest) = rest.split_once(", SignedHeaders=").expect("SignedHeaders");
    let (signed_headers, _signature) = rest.split_once(", Signature=").expect("Signature");
    let x_date = header(request, "x-date").to_owned();
    assert_eq!(
        credential,
        format!("{AK}/{}/{REGION}/ecs/request", &x_date[..8]),
        "credential scope: access key / date of X-Date / region / service / request"
    );
    assert_eq!(
        signed_headers, "content-type;host;x-content-sha256;x-date",
        "PROTOCOLS.md §6.2: sign exactly content-type;host;x-content-sha256;x-date"
    );
    // Headers the signer takes as input: the signed ones it does not compute itself.
    let input_headers: Vec<(String, String)> = signed_headers
        .split(';')
        .filter(|name| !["host", "x-date", "x-content-sha256", "x-security-token"].contains(name))
        .map(|name| (name.to_owned(), header(request, name).to_owned()))
        .collect();
    let query = query_pairs(request);
    let input = SigningInput {
        method: request.method.as_str(),
        host: header(request, "host"),
        path: request.url.path(),
        query: &query,
        headers: &input_headers,
        body: &request.body,
        service: "ecs",
        region: REGION,
        x_date: &x_date,
    };
    let expected = volcengine::sign(&VolcengineCredentials::new(AK, SK), &input).expect("sign");
    assert_eq!(
        authorization, expected.authorization,
        "V4 signature recomputed from the received request; canonical request:\n{}",
        expected.canonical_request
    );
    assert_eq!(
        header(request, "x-content-sha256"),
        expected.x_content_sha256
    );
    x_date
}

/// The request on the wire and the typed result: query layout and encoding, signature, and
/// a partial failure that is `Ok` with per-item outcomes.
#[tokio::test]
async fn delete_images_request_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(partial_example()))
        .mount(&server)
        .await;
    let client = make_client(&server.uri(), no_retries());
    // 12 ids: `ImageIds.10` sorts before `ImageIds.2` in the canonical query; the masked id
    // of the documentation page has `*`, which must be sent as `%2A`.
    let mut ids: Vec<String> = vec!["image-aaaa1111".into(), "image-bbbb2222".into()];
    ids.extend((3..=11).map(|i| format!("image-{i:08}")));
    ids.push("image-ebgy1og99tfct0******".into());
    let before = Utc::now().naive_utc() - restsmith_runtime::chrono::Duration::seconds(1);
    let response = client
        .delete_images(ids.clone())
        .delete_binded_snapshots(false)
        .await
        .expect("DeleteImages");
    let after = Utc::now().naive_utc();

    assert_eq!(response.status, StatusCode::OK);
    let details = response
        .body
        .operation_details
        .as_ref()
        .expect("OperationDetails");
    assert_eq!(details.len(), 2);
    assert_eq!(details[0].image_id.as_deref(), Some("image-aaaa1111"));
    assert_eq!(details[0].error, None, "`Error: null` is a success");
    assert_eq!(details[1].image_id.as_deref(), Some("image-bbbb2222"));
    let error = details[1].error.as_ref().expect("per-item error");
    assert_eq!(error.code.as_deref(), Some("InvalidImage.NotFound"));
    assert_eq!(
        error.message.as_deref(),
        Some("The specified image does not exist.")
    );
    let outcome = response.body.outcome(&ids);
    assert_eq!(outcome.succeeded, ["image-aaaa1111"]);
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(outcome.failed[0].id, "image-bbbb2222");
    assert_eq!(outcome.failed[0].code, "InvalidImage.NotFound");
    assert_eq!(
        outcome.unknown,
        ids[2..].to_vec(),
        "ids the response does not mention"
    );
    assert!(!outcome.all_succeeded());

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/");
    let mut expected_query = "Action=DeleteImages&Version=2020-04-01".to_owned();
    for (i, id) in ids.iter().enumerate() {
        expected_query.push_str(&format!("&ImageIds.{}={}", i + 1, id.replace('*', "%2A")));
    }
    expected_query.push_str("&DeleteBindedSnapshots=false");
    assert_eq!(request.url.query(), Some(expected_query.as_str()));
    assert!(request.body.is_empty());
    assert_eq!(
        header(request, "content-type"),
        volcengine::DEFAULT_CONTENT_TYPE
    );
    assert_eq!(
        header(request, "x-content-sha256"),
        volcengine::EMPTY_BODY_SHA256
    );
    let x_date = assert_v4_signature(request);
    let signed_at = NaiveDateTime::parse_from_str(&x_date, "%Y%m%dT%H%M%SZ")
        .unwrap_or_else(|e| panic!("X-Date {x_date:?} is not YYYYMMDDTHHMMSSZ: {e}"));
    assert!(
        before <= signed_at && signed_at <= after,
        "X-Date {x_date} is the time of sending"
    );
    assert_eq!(
        opt_header(request, "x-security-token"),
        None,
        "no STS token configured"
    );
}

/// Whole-request failures: the `ResponseMetadata.Error` envelope decoded into the typed
/// error, with the request id taken from the body (Volcengine sends no request-id header).
#[tokio::test]
async fn delete_images_error_envelope_is_typed() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "ResponseMetadata": {
                "RequestId": "2024010509300001022524310000543F2C",
                "Action": "DeleteImages",
                "Version": "2020-04-01",
                "Service": "ecs",
                "Region": "cn-beijing",
                "Error": {
                    "CodeN": 100010,
                    "Code": "SignatureDoesNotMatch",
                    "Message": "The request signature we calculated does not match the signature you provided. Check your Secret Access Key and signing method."
                }
            }
        })))
        .mount(&server)
        .await;
    let client = make_client(&server.uri(), fast_retries(3));
    let api = expect_api(
        "DeleteImages → 401",
        client.delete_images(["image-aaaa1111"]).await,
    );
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    let metadata = &api
        .body
        .as_ref()
        .expect("typed ErrorEnvelope")
        .response_metadata;
    assert_eq!(metadata.request_id, "2024010509300001022524310000543F2C");
    assert_eq!(metadata.action.as_deref(), Some("DeleteImages"));
    let error = metadata.error.as_ref().expect("ResponseMetadata.Error");
    assert_eq!(error.code, "SignatureDoesNotMatch");
    assert_eq!(error.code_n, Some(100010));
    assert!(error
        .message
        .starts_with("The request signature we calculated"));
    assert_eq!(api.code.as_deref(), Some("SignatureDoesNotMatch"));
    assert_eq!(api.message.as_deref(), Some(error.message.as_str()));
    assert_eq!(
        api.request_id.as_deref(),
        Some("2024010509300001022524310000543F2C"),
        "request id from the body"
    );
    assert_eq!(api.attempts, 1, "401 is not retried");
    assert_eq!(received(&server).await.len(), 1);
}

/// An HTTP 200 whose envelope carries `ResponseMetadata.Error` is a whole-request failure:
/// `Err(Error::Api)` (status 200), never `Ok`.
#[tokio::test]
async fn delete_images_error_in_a_200_envelope_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "ResponseMetadata": {
                "RequestId": "2024010509300001022524310000543F2B",
                "Action": "DeleteImages",
                "Version": "2020-04-01",
                "Service": "ecs",
                "Region": "cn-beijing",
                "Error": {
                    "Code": "LimitExceeded.MaximumImageIds",
                    "Message": "You've reached the limit on the number of ImageIds that you can set."
                }
            }
        })))
        .mount(&server)
        .await;
    let client = make_client(&server.uri(), no_retries());
    let api = expect_api(
        "DeleteImages → 200 with Error",
        client.delete_images(["image-aaaa1111"]).await,
    );
    assert_eq!(api.status, StatusCode::OK);
    let metadata = &api
        .body
        .as_ref()
        .expect("typed ErrorEnvelope")
        .response_metadata;
    assert_eq!(
        metadata.error.as_ref().map(|e| e.code.as_str()),
        Some("LimitExceeded.MaximumImageIds")
    );
    assert_eq!(api.code.as_deref(), Some("LimitExceeded.MaximumImageIds"));
    assert_eq!(
        api.message.as_deref(),
        Some("You've reached the limit on the number of ImageIds that you can set.")
    );
    assert_eq!(
        api.request_id.as_deref(),
        Some("2024010509300001022524310000543F2B")
    );
}

/// A non-JSON (HTML) 500: kept raw; DeleteImages is a GET, so it is retried, and every
/// attempt is signed afresh.
#[tokio::test]
async fn delete_images_html_500_is_retried_and_kept_raw() {
    const HTML: &str = "<html><body><h1>502 Bad Gateway</h1><p>openresty</p></body></html>";
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_raw(HTML, "text/html"))
        .mount(&server)
        .await;
    let client = make_client(&server.uri(), fast_retries(2));
    let api = expect_api(
        "DeleteImages → HTML 500",
        client.delete_images(["image-aaaa1111"]).await,
    );
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.raw_body, HTML);
    assert!(api.body.is_none());
    assert_eq!(api.code, None);
    assert_eq!(api.request_id, None);
    assert_eq!(api.attempts, 3, "1 attempt + 2 retries");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_v4_signature(request);
    }
}

/// 0 or 101 image ids are rejected before sending; 100 is the accepted maximum.
#[tokio::test]
async fn delete_images_checks_the_id_count_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(partial_example()))
        .mount(&server)
        .await;
    let client = make_client(&server.uri(), no_retries());
    let none: Vec<String> = Vec::new();
    expect_validation("0 image ids", client.delete_images(none).await, "image_ids");
    let too_many: Vec<String> = (1..=101).map(|i| format!("image-{i:08}")).collect();
    expect_validation(
        "101 image ids",
        client.delete_images(too_many.clone()).await,
        "image_ids",
    );
    assert!(
        received(&server).await.is_empty(),
        "nothing may be sent for a rejected id list"
    );

    let response = client
        .delete_images(too_many[..100].to_vec())
        .await
        .expect("100 ids are allowed");
    assert_eq!(response.status, StatusCode::OK);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let query = query_pairs(&requests[0]);
    assert_eq!(
        query
            .iter()
            .filter(|(k, _)| k.starts_with("ImageIds."))
            .count(),
        100
    );
    assert!(query.contains(&("ImageIds.100".to_owned(), "image-00000100".to_owned())));
    assert_v4_signature(&requests[0]);
}
