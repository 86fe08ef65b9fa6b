//! ScVmm `VirtualMachineInstances_DeleteCheckpoint`:
//! `POST /{resourceUri}/providers/Microsoft.ScVmm/virtualMachineInstances/default/deleteCheckpoint?api-version=2024-06-01`.
//!
//! Prism cannot route `{resourceUri}` as the spec writes it: the value is an ARM scope with
//! real slashes (`subscriptions/…/machines/vm01`, `x-ms-skip-url-encoding`) and Prism matches a
//! path parameter against one segment only (404 otherwise). The runtime rightly refuses a
//! one-segment scope such as `subscriptions` (`ARM scope is incomplete`), so no scope the
//! client accepts can be routed by Prism as sent. The Prism test therefore keeps the real
//! multi-segment scope and adds a test-only interceptor ([`ScopeAsOneSegment`]) that
//! re-encodes the scope's `/` as `%2F` right before sending: Prism routes that as one
//! segment, decodes it back to the full scope, and validates everything else (method, query,
//! `Authorization`, `Content-Type`, body). The exact path the client emits is checked field
//! by field against wiremock in [`delete_checkpoint_request_on_the_wire`].

use std::sync::Arc;
use std::time::Duration;

use azure_scvmm::models::VirtualMachineDeleteCheckpoint;
use azure_scvmm::{auth, Client};
use restsmith_runtime::auth::Credential;
use restsmith_runtime::error::BoxError;
use restsmith_runtime::http::StatusCode;
use restsmith_runtime::poller::PollStatus;
use restsmith_runtime::{AttemptContext, ClientOptions, Error, Interceptor, Request};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{
    assert_prism_validated, assert_uuid, expect_api, expect_ok, expect_validation, fast_retries,
    header, no_retries, opt_header, prism, query_pairs, received, Prefer, Recorder,
};

const SCOPE: &str = "subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-lab/providers/Microsoft.HybridCompute/machines/vm01";
const TAIL: &str = "/providers/Microsoft.ScVmm/virtualMachineInstances/default/deleteCheckpoint";
const TOKEN: &str = "arm-test-token";

fn make_client(endpoint: &str, options: ClientOptions) -> Client {
    let credential: Arc<dyn Credential> = Arc::new(auth::azure_auth_token(TOKEN));
    Client::with_options(endpoint, Some(credential), options).expect("client")
}

fn checkpoint(id: Option<&str>) -> VirtualMachineDeleteCheckpoint {
    let mut body = VirtualMachineDeleteCheckpoint::new();
    body.id = id.map(str::to_owned);
    body
}

/// Test-only: turns `/{scope}/providers/Microsoft.ScVmm/…` into `/{scope with %2F}/providers/…`
/// so Prism routes the scope as the single segment `{resourceUri}` (see the module docs).
#[derive(Debug)]
struct ScopeAsOneSegment;

impl Interceptor for ScopeAsOneSegment {
    fn name(&self) -> &'static str {
        "scope-as-one-segment"
    }

    fn modify_before_signing(
        &self,
        _ctx: &AttemptContext<'_>,
        request: &mut Request,
    ) -> Result<(), BoxError> {
        let path = request.url.path().to_owned();
        let scope = path
            .strip_prefix('/')
            .and_then(|p| p.strip_suffix(TAIL))
            .ok_or_else(|| format!("unexpected ScVmm path {path}"))?;
        request
            .url
            .set_path(&format!("/{}{TAIL}", scope.replace('/', "%2F")));
        Ok(())
    }
}

#[tokio::test]
async fn delete_checkpoint_against_prism() {
    let prism = prism("azure-scvmm.yaml").await;
    let recorder = Recorder::default();
    let options = no_retries()
        .interceptor(Arc::new(ScopeAsOneSegment))
        .interceptor(Arc::new(recorder.clone()));
    let client = make_client(&prism.base_url, options);

    // MaximumSet example body. The operation is long-running: the client returns a poller
    // built from the 202.
    let poller = expect_ok(
        "deleteCheckpoint (MaximumSet body)",
        &prism,
        client
            .virtual_machine_instances_delete_checkpoint(
                SCOPE,
                checkpoint(Some("eenfflimcbgqfsebdusophahjpk")),
            )
            .await,
    );
    assert_eq!(
        poller.status(),
        PollStatus::InProgress,
        "a 202 means started"
    );
    assert!(!poller.is_done());
    // The 202's header examples from the spec: `Retry-After: 15` is the first poll delay …
    assert_eq!(poller.next_delay(), Duration::from_secs(15));

    let sent = recorder.take();
    assert_eq!(sent.len(), 1, "one attempt");
    let sent = &sent[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(
        sent.url.path(),
        format!("/{}{TAIL}", SCOPE.replace('/', "%2F")),
        "the scope reached Prism as one %2F-encoded segment"
    );
    assert_eq!(sent.url.query(), Some("api-version=2024-06-01"));
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_uuid(
        "x-ms-client-request-id",
        sent.header("x-ms-client-request-id").unwrap_or_default(),
    );
    assert_eq!(sent.body, br#"{"id":"eenfflimcbgqfsebdusophahjpk"}"#);

    // … and `Location: https://contoso.com/operationstatus` is the URL to poll: another host,
    // so polling it (with the bearer token) is refused before anything is sent.
    // (No wait: without the override the poller first sleeps the delay, then refuses.)
    match poller.interval_override(Some(Duration::ZERO)).wait().await {
        Err(Error::UntrustedUrl { url, .. }) => {
            assert_eq!(url, "https://contoso.com/operationstatus")
        }
        other => {
            panic!("polling the example Location on another host must be refused, got {other:?}")
        }
    }
    assert!(
        recorder.take().is_empty(),
        "nothing was sent to the untrusted poll URL"
    );

    // MinimumSet example body: an empty object.
    let poller = expect_ok(
        "deleteCheckpoint (MinimumSet body)",
        &prism,
        client
            .virtual_machine_instances_delete_checkpoint(format!("/{SCOPE}"), checkpoint(None))
            .await,
    );
    assert_eq!(poller.status(), PollStatus::InProgress);
    assert_eq!(recorder.take()[0].body, b"{}");

    // The spec's `default` error response, chosen with `Prefer: code=404`, decodes into the
    // typed ARM ErrorResponse.
    let options = no_retries()
        .interceptor(Arc::new(ScopeAsOneSegment))
        .interceptor(Arc::new(Prefer("code=404")));
    let erring = make_client(&prism.base_url, options);
    let api = expect_api(
        "deleteCheckpoint with Prefer: code=404",
        erring
            .virtual_machine_instances_delete_checkpoint(
                SCOPE,
                checkpoint(Some("eenfflimcbgqfsebdusophahjpk")),
            )
            .await,
    );
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(
        api.headers.get("sl-violations").is_none(),
        "no violation: {:?}",
        api.headers
    );
    let error = api
        .body
        .as_ref()
        .and_then(|b| b.error.as_ref())
        .expect("typed ErrorResponse.error");
    assert_eq!(error.code.as_deref(), Some("InvalidParameter"));
    assert_eq!(error.target.as_deref(), Some("id"));
    let details = error.details.as_ref().expect("details");
    assert_eq!(details[0].code.as_deref(), Some("CheckpointNotFound"));
    let info = &error.additional_info.as_ref().expect("additionalInfo")[0];
    assert_eq!(info.type_.as_deref(), Some("ScVmmOperationInfo"));
    assert_eq!(
        info.info.as_ref().unwrap()["vmmServer"],
        "vmmserver01.contoso.local"
    );
    assert_eq!(api.code.as_deref(), Some("InvalidParameter"));
    assert_eq!(
        api.message.as_deref(),
        Some("Checkpoint 'eenfflimcbgqfsebdusophahjpk' was not found on virtual machine instance 'default'.")
    );
    // Prism's verdict on all 3 requests of this test.
    assert_prism_validated(&prism, 3).await;
}

/// The exact request on the wire, with a real multi-segment scope (Prism cannot route it:
/// see the module docs), and the long-running operation followed to its end: the 202's
/// `Location` is polled (202, then 204) with the same credentials and client request id.
#[tokio::test]
async fn delete_checkpoint_request_on_the_wire() {
    const OPERATION: &str = "/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.ScVmm/locations/eastus/operationResults/9a8b";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header(
                    "Location",
                    format!("{}{OPERATION}?api-version=2024-06-01", server.uri()).as_str(),
                )
                .insert_header("Retry-After", "15")
                .insert_header("x-ms-request-id", "6c3e2f1a-8d4b-4e0f-9a7c-1b2d3e4f5a6b"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(OPERATION))
        .respond_with(ResponseTemplate::new(202).insert_header("Retry-After", "15"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(OPERATION))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = make_client(&server.uri(), no_retries());

    // A scope whose segments need encoding (`(`/`)` in a resource group name), one with a
    // leading slash, which is dropped (the template supplies it), and a tenant-level scope.
    let cases = [
        (
            "subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg(lab)/providers/Microsoft.HybridCompute/machines/vm01",
            "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg%28lab%29/providers/Microsoft.HybridCompute/machines/vm01",
        ),
        (
            "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-lab/providers/Microsoft.HybridCompute/machines/vm01",
            "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-lab/providers/Microsoft.HybridCompute/machines/vm01",
        ),
        (
            "providers/Microsoft.Management/managementGroups/mg1",
            "/providers/Microsoft.Management/managementGroups/mg1",
        ),
    ];
    for (i, (scope, _)) in cases.iter().enumerate() {
        let poller = client
            .virtual_machine_instances_delete_checkpoint(*scope, checkpoint(Some("cp-7d1e")))
            .await
            .unwrap_or_else(|e| panic!("deleteCheckpoint({scope}): {e:?}"));
        assert_eq!(poller.status(), PollStatus::InProgress);
        assert_eq!(
            poller.next_delay(),
            Duration::from_secs(15),
            "Retry-After: 15"
        );
        if i == 0 {
            // Follow the operation: Location polling, 202 → 204; no result body (`()`).
            let result: () = poller
                .interval_override(Some(Duration::ZERO))
                .await
                .expect("the operation completes");
            assert_eq!(result, ());
        }
    }

    let requests = received(&server).await;
    let posts: Vec<&wiremock::Request> = requests
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .collect();
    let polls: Vec<&wiremock::Request> = requests
        .iter()
        .filter(|r| r.method.as_str() == "GET")
        .collect();
    assert_eq!(posts.len(), cases.len());
    let mut client_request_ids = Vec::new();
    for (request, (scope, expected_scope_path)) in posts.iter().zip(&cases) {
        assert_eq!(
            request.url.path(),
            format!("{expected_scope_path}{TAIL}"),
            "{scope}"
        );
        assert_eq!(
            query_pairs(request),
            [("api-version".to_owned(), "2024-06-01".to_owned())]
        );
        assert_eq!(header(request, "authorization"), format!("Bearer {TOKEN}"));
        assert_eq!(header(request, "content-type"), "application/json");
        client_request_ids.push(assert_uuid(
            "x-ms-client-request-id",
            header(request, "x-ms-client-request-id"),
        ));
        assert!(
            header(request, "user-agent").starts_with("azure-scvmm/"),
            "User-Agent names the generated crate: {}",
            header(request, "user-agent")
        );
        let body: serde_json::Value = request.body_json().expect("JSON body");
        assert_eq!(body, serde_json::json!({"id": "cp-7d1e"}));
        assert_eq!(
            opt_header(request, "content-length"),
            Some(request.body.len().to_string().as_str())
        );
    }
    let mut unique = client_request_ids.clone();
    unique.dedup();
    assert_eq!(
        unique.len(),
        cases.len(),
        "a fresh client request id per call"
    );

    assert_eq!(polls.len(), 2, "one poll answered 202, the next 204");
    for poll in &polls {
        assert_eq!(poll.url.path(), OPERATION);
        assert_eq!(
            poll.url.query(),
            Some("api-version=2024-06-01"),
            "the Location is polled as given"
        );
        assert_eq!(header(poll, "authorization"), format!("Bearer {TOKEN}"));
        assert_eq!(
            header(poll, "x-ms-client-request-id"),
            client_request_ids[0].to_string(),
            "polls re-send the initial client request id"
        );
        assert!(poll.body.is_empty());
    }
}

/// ARM `ErrorResponse` with `x-ms-request-id`: decoded into the typed error.
#[tokio::test]
async fn delete_checkpoint_error_response_is_typed() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-ms-request-id", "0f9c6a4e-3d1b-4c39-9a51-7e2d8f0b1c22")
                .insert_header("x-ms-error-code", "ResourceNotFound")
                .set_body_json(serde_json::json!({
                    "error": {
                        "code": "ResourceNotFound",
                        "message": "The Resource 'Microsoft.HybridCompute/machines/vm01' under resource group 'rg-lab' was not found.",
                        "details": [],
                        "additionalInfo": []
                    }
                })),
        )
        .mount(&server)
        .await;
    let client = make_client(&server.uri(), fast_retries(3));
    let result = client
        .virtual_machine_instances_delete_checkpoint(SCOPE, checkpoint(Some("cp-7d1e")))
        .await;
    let api = expect_api("deleteCheckpoint → 404", result);
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    let error = api
        .body
        .as_ref()
        .and_then(|b| b.error.as_ref())
        .expect("typed ErrorResponse.error");
    assert_eq!(error.code.as_deref(), Some("ResourceNotFound"));
    assert_eq!(
        error.message.as_deref(),
        Some("The Resource 'Microsoft.HybridCompute/machines/vm01' under resource group 'rg-lab' was not found.")
    );
    assert_eq!(error.details.as_deref(), Some(&[][..]));
    assert_eq!(api.code.as_deref(), Some("ResourceNotFound"));
    assert_eq!(api.message.as_deref(), error.message.as_deref());
    assert_eq!(
        api.request_id.as_deref(),
        Some("0f9c6a4e-3d1b-4c39-9a51-7e2d8f0b1c22")
    );
    assert_eq!(api.attempts, 1, "a 404 is not retried");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        api.client_request_id.as_deref(),
        Some(header(&requests[0], "x-ms-client-request-id")),
        "the error records the client request id that was sent"
    );
}

/// A non-JSON (HTML) 500 from a gateway: `Error::Api` with the raw body kept.
///
/// PROTOCOLS.md §7.3: "op 1 / op 3 (ARM POST actions): retry on the list above" (408, 429,
/// 500, 502, 503, 504) — the RPC lets the RP answer a duplicate request with the same 202.
#[tokio::test]
async fn delete_checkpoint_html_500_is_kept_raw() {
    const HTML: &str = "<html><body><h1>500 Internal Server Error</h1><p>upstream gateway failed</p></body></html>";
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("x-ms-request-id", "5e0d1c2b-0000-4000-8000-000000000500")
                .set_body_raw(HTML, "text/html"),
        )
        .mount(&server)
        .await;
    let client = make_client(&server.uri(), fast_retries(2));
    let result = client
        .virtual_machine_instances_delete_checkpoint(SCOPE, checkpoint(Some("cp-7d1e")))
        .await;
    let api = expect_api("deleteCheckpoint → HTML 500", result);
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.raw_body, HTML);
    assert!(
        api.body.is_none(),
        "an HTML body does not decode as ErrorResponse"
    );
    assert_eq!(api.code, None);
    assert_eq!(api.message, None);
    assert_eq!(
        api.request_id.as_deref(),
        Some("5e0d1c2b-0000-4000-8000-000000000500")
    );

    let requests = received(&server).await;
    assert_eq!(
        requests.len() as u32,
        api.attempts,
        "attempts == requests received"
    );
    let ids: Vec<&str> = requests
        .iter()
        .map(|r| header(r, "x-ms-client-request-id"))
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] == w[1]),
        "every attempt re-sends the same client request id: {ids:?}"
    );
    assert_eq!(
        api.attempts, 3,
        "GENERATOR/SPEC PROBLEM: PROTOCOLS.md §7.3 says ARM POST actions (ScVmm deleteCheckpoint) are retried \
         on 500/502/503/504, but specs/azure-scvmm.yaml has no `x-restsmith-retry-safe: true`, so the generated \
         OperationMeta has `retry_safe: false` and the POST is not retried (got {} attempt(s), expected 1 + 2 retries)",
        api.attempts
    );
}

/// Bad ARM scopes are rejected by the client before anything is sent.
#[tokio::test]
async fn delete_checkpoint_rejects_bad_scopes_before_sending() {
    let server = MockServer::start().await;
    let client = make_client(&server.uri(), no_retries());
    let bad = [
        "../x",
        "subscriptions/../x",
        "subscriptions/./x",
        "subscriptions//resourceGroups/rg",
        "subscriptions/s1/",
        "",
        "/",
        "subscriptions",
        "resourceGroups/rg-lab",
        "subscriptions/s1?api-version=1",
        "subscriptions/s1#frag",
        "subscriptions/s 1",
        "subscriptions/s1\\x",
        "subscriptions/%2e%2e",
        "subscriptions/a%2Fb",
        "subscriptions/a%zz",
        "subscriptions/s1\r\nx-evil: 1",
    ];
    for scope in bad {
        let message = expect_validation(
            &format!("scope {scope:?}"),
            client
                .virtual_machine_instances_delete_checkpoint(scope, checkpoint(Some("cp")))
                .await,
            "resource_uri",
        );
        assert!(!message.is_empty());
    }
    assert!(
        received(&server).await.is_empty(),
        "nothing may be sent for a rejected scope"
    );
}
