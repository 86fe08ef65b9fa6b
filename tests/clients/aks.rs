//! AKS `ManagedClusters_AbortLatestOperation` (`POST …/managedclusters/{name}/abort`, lower-case
//! `managedclusters` as the spec writes it) and `ManagedClusters_Get` (`GET …/managedClusters/{name}`).
//!
//! Both are routable by Prism, which validates path parameters (the `resourceName` pattern,
//! the subscription UUID), `api-version` and the presence of `Authorization`; the ARM headers
//! Prism does not know about (`x-ms-client-request-id`) are checked on what was sent.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use azure_aks::models::{Code, CreatedByType};
use azure_aks::{auth, Client};
use restsmith_runtime::auth::Credential;
use restsmith_runtime::chrono::{TimeZone, Utc};
use restsmith_runtime::http::StatusCode;
use restsmith_runtime::poller::PollStatus;
use restsmith_runtime::uuid::Uuid;
use restsmith_runtime::{ClientOptions, Error};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{
    assert_prism_validated, assert_uuid, expect_api, expect_ok, expect_validation, fast_retries,
    header, no_retries, opt_header, prism, query_pairs, received, Prefer, Recorder,
};

const TOKEN: &str = "aks-test-token";
/// The subscription of the spec's examples.
const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
const PREFIX: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ContainerService";

fn make_client(endpoint: &str, subscription: &str, options: ClientOptions) -> Client {
    let credential: Arc<dyn Credential> = Arc::new(auth::azure_auth_token(TOKEN));
    Client::with_options(
        endpoint,
        Some(credential),
        Uuid::parse_str(subscription).unwrap(),
        options,
    )
    .expect("client")
}

fn prism_client(
    prism: &crate::support::ServerProcess,
    prefer: Option<&'static str>,
    recorder: &Recorder,
) -> Client {
    let mut options = no_retries().interceptor(Arc::new(recorder.clone()));
    if let Some(prefer) = prefer {
        options = options.interceptor(Arc::new(Prefer(prefer)));
    }
    make_client(&prism.base_url, SUBSCRIPTION, options)
}

#[tokio::test]
async fn managed_clusters_against_prism() {
    let prism = prism("azure-aks.yaml").await;
    let recorder = Recorder::default();

    // Abort → 202 with both polling headers (the spec's header examples). The operation is
    // long-running: the client returns a poller, which polls `Azure-AsyncOperation` (the
    // status monitor wins over `location`). No Retry-After: the default 30 s delay.
    let client = prism_client(&prism, Some("code=202"), &recorder);
    let poller = expect_ok(
        "abort (202)",
        &prism,
        client
            .managed_clusters_abort_latest_operation("rg1", "clustername1")
            .await,
    );
    assert_eq!(poller.status(), PollStatus::InProgress);
    assert_eq!(poller.next_delay(), Duration::from_secs(30));
    // The example URLs point at management.azure.com, not at this endpoint: polling them with
    // the bearer token is refused before anything is sent (PROTOCOLS.md §8.1).
    // (No wait: without the override the poller first sleeps the delay, then refuses.)
    match poller.interval_override(Some(Duration::ZERO)).wait().await {
        Err(Error::UntrustedUrl { url, .. }) => assert_eq!(
            url,
            "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.ContainerService/locations/eastus/operationStatus/00000000-0000-0000-0000-000000000000"
        ),
        other => panic!("polling the example Azure-AsyncOperation URL must be refused, got {other:?}"),
    }

    // Abort → 204 (finished synchronously): done at once, `()`.
    let client = prism_client(&prism, Some("code=204"), &recorder);
    let poller = expect_ok(
        "abort (204)",
        &prism,
        client
            .managed_clusters_abort_latest_operation("rg1", "clustername1")
            .await,
    );
    assert!(poller.is_done());
    assert_eq!(poller.status(), PollStatus::Succeeded);
    let result: () = poller.await.expect("a 204 abort is a finished operation");
    assert_eq!(result, ());

    // Get → 200 with the ManagedCluster example, decoded.
    let client = prism_client(&prism, None, &recorder);
    let response = expect_ok(
        "get",
        &prism,
        client.managed_clusters_get("rg1", "clustername1").await,
    );
    assert_eq!(response.status, StatusCode::OK);
    let cluster = &response.body;
    assert_eq!(
        cluster.id.as_deref(),
        Some("/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1")
    );
    assert_eq!(cluster.name.as_deref(), Some("clustername1"));
    assert_eq!(
        cluster.type_.as_deref(),
        Some("Microsoft.ContainerService/ManagedClusters")
    );
    assert_eq!(cluster.location, "eastus");
    let tags: BTreeMap<String, String> = [("archv2", ""), ("tier", "production")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(cluster.tags.as_ref(), Some(&tags));
    let system = cluster.system_data.as_ref().expect("systemData");
    assert_eq!(system.created_by.as_deref(), Some("someone@contoso.com"));
    assert_eq!(system.created_by_type, Some(CreatedByType::User));
    assert_eq!(
        system.created_at,
        Some(Utc.with_ymd_and_hms(2024, 9, 2, 8, 15, 30).unwrap())
    );
    assert_eq!(system.last_modified_by_type, Some(CreatedByType::User));
    assert_eq!(
        system.last_modified_at,
        Some(Utc.with_ymd_and_hms(2024, 9, 5, 10, 20, 0).unwrap())
    );
    let properties = cluster.properties.as_ref().expect("properties");
    assert_eq!(properties.provisioning_state.as_deref(), Some("Succeeded"));
    assert_eq!(
        properties.power_state.as_ref().and_then(|p| p.code.clone()),
        Some(Code::Running)
    );
    assert_eq!(properties.kubernetes_version.as_deref(), Some("1.29"));
    assert_eq!(
        properties.current_kubernetes_version.as_deref(),
        Some("1.29.7")
    );
    assert_eq!(properties.dns_prefix.as_deref(), Some("dnsprefix1"));
    assert_eq!(
        properties.fqdn.as_deref(),
        Some("dnsprefix1-abcd1234.hcp.eastus.azmk8s.io")
    );
    assert_eq!(
        properties.node_resource_group.as_deref(),
        Some("MC_rg1_clustername1_eastus")
    );

    // The spec's `default` error examples decode into CloudError: 409 on abort (the
    // operation finished before it could be aborted), 404 on get.
    let client = prism_client(&prism, Some("code=409"), &recorder);
    let api = expect_api(
        "abort (409)",
        client
            .managed_clusters_abort_latest_operation("rg1", "clustername1")
            .await,
    );
    assert_eq!(api.status, StatusCode::CONFLICT);
    assert!(
        api.headers.get("sl-violations").is_none(),
        "no violation: {:?}",
        api.headers
    );
    let error = api
        .body
        .as_ref()
        .and_then(|b| b.error.as_ref())
        .expect("typed CloudError.error");
    assert_eq!(error.code.as_deref(), Some("OperationNotAllowed"));
    assert_eq!(error.target.as_deref(), Some("resourceName"));
    assert_eq!(error.details.as_deref(), Some(&[][..]));
    assert_eq!(api.code.as_deref(), Some("OperationNotAllowed"));
    assert_eq!(
        api.message.as_deref(),
        Some("No ongoing operation to abort on managed cluster 'clustername1': the latest operation has already completed.")
    );
    let client = prism_client(&prism, Some("code=404"), &recorder);
    let api = expect_api(
        "get (404)",
        client.managed_clusters_get("rg1", "clustername1").await,
    );
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.code.as_deref(), Some("ResourceNotFound"));

    // What was sent: ARM headers on every request; literal path spellings; no body.
    let sent = recorder.take();
    assert_eq!(sent.len(), 5);
    for (i, request) in sent.iter().enumerate() {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str()),
            "request {i}"
        );
        assert_uuid(
            "x-ms-client-request-id",
            request.header("x-ms-client-request-id").unwrap_or_default(),
        );
        assert_eq!(request.url.query(), Some("api-version=2024-09-01"));
        assert!(request.body.is_empty(), "request {i} has no body");
    }
    for i in [0, 1, 3] {
        assert_eq!(sent[i].method, "POST");
        assert_eq!(
            sent[i].url.path(),
            format!("{PREFIX}/managedclusters/clustername1/abort")
        );
    }
    for i in [2, 4] {
        assert_eq!(sent[i].method, "GET");
        assert_eq!(
            sent[i].url.path(),
            format!("{PREFIX}/managedClusters/clustername1")
        );
    }
    // Prism's verdict on all 5 requests of this test.
    assert_prism_validated(&prism, 5).await;
}

/// The abort request on the wire (ARM headers, encoded path values, empty body with
/// `Content-Length: 0`, PROTOCOLS.md §2.9) and the operation followed to its end through the
/// `Azure-AsyncOperation` status monitor (InProgress → Succeeded, no final GET: no result body).
#[tokio::test]
async fn abort_request_on_the_wire() {
    const STATUS: &str = "/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.ContainerService/locations/eastus/operationStatus/ab12";
    const LOCATION: &str = "/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.ContainerService/locations/eastus/operations/ab12";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header(
                    "location",
                    format!("{}{LOCATION}?api-version=2024-09-01", server.uri()).as_str(),
                )
                .insert_header(
                    "Azure-AsyncOperation",
                    format!("{}{STATUS}?api-version=2024-09-01", server.uri()).as_str(),
                )
                .insert_header("x-ms-request-id", "ab12ab12-0000-4000-8000-000000000001"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(STATUS))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"status": "InProgress"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(STATUS))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "status": "Succeeded", "startTime": "2024-01-05T09:30:00Z", "endTime": "2024-01-05T09:31:00Z"
        })))
        .mount(&server)
        .await;
    let client = make_client(
        &server.uri(),
        "11111111-2222-3333-4444-555555555555",
        no_retries(),
    );
    let poller = client
        .managed_clusters_abort_latest_operation("rg(1).x", "aks-1_b")
        .await
        .expect("abort");
    assert_eq!(poller.status(), PollStatus::InProgress);
    let result: () = poller
        .interval_override(Some(Duration::ZERO))
        .await
        .expect("abort completes");
    assert_eq!(result, ());

    let requests = received(&server).await;
    assert_eq!(
        requests.len(),
        3,
        "POST, then two status polls, no GET of `location`"
    );
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request.url.path(),
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg%281%29.x/providers/Microsoft.ContainerService/managedclusters/aks-1_b/abort"
    );
    assert_eq!(
        query_pairs(request),
        [("api-version".to_owned(), "2024-09-01".to_owned())]
    );
    assert_eq!(header(request, "authorization"), format!("Bearer {TOKEN}"));
    let client_request_id = assert_uuid(
        "x-ms-client-request-id",
        header(request, "x-ms-client-request-id"),
    );
    assert!(request.body.is_empty());
    for poll in &requests[1..] {
        assert_eq!(poll.method.as_str(), "GET");
        assert_eq!(poll.url.path(), STATUS);
        assert_eq!(poll.url.query(), Some("api-version=2024-09-01"));
        assert_eq!(header(poll, "authorization"), format!("Bearer {TOKEN}"));
        assert_eq!(
            header(poll, "x-ms-client-request-id"),
            client_request_id.to_string()
        );
    }
    assert_eq!(
        opt_header(request, "content-type"),
        None,
        "no body, no Content-Type"
    );
    assert_eq!(
        opt_header(request, "content-length"),
        Some("0"),
        "RUNTIME PROBLEM (runtime/src/transport.rs): PROTOCOLS.md §2.9 sends the body-less abort POST with \
         `Content-Length: 0`, but no Content-Length header is sent (Azure front ends may answer 411 Length Required)"
    );
}

/// An abort whose status monitor reports `Failed`: the ARM error in the status body is
/// decoded into the typed `CloudError`.
#[tokio::test]
async fn abort_operation_failure_is_typed() {
    const STATUS: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.ContainerService/locations/eastus/operationStatus/ab13";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).insert_header(
            "Azure-AsyncOperation",
            format!("{}{STATUS}?api-version=2024-09-01", server.uri()).as_str(),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(STATUS))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ms-request-id", "fa11ed00-0000-4000-8000-000000000001")
                .set_body_json(serde_json::json!({
                    "name": "ab13",
                    "status": "Failed",
                    "error": {"code": "OperationNotAllowed", "message": "The abort could not be completed."}
                })),
        )
        .mount(&server)
        .await;
    let client = make_client(&server.uri(), SUBSCRIPTION, no_retries());
    let poller = client
        .managed_clusters_abort_latest_operation("rg1", "clustername1")
        .await
        .expect("abort accepted");
    match poller.interval_override(Some(Duration::ZERO)).await {
        Err(Error::OperationFailed { state, details }) => {
            assert_eq!(state, "Failed");
            assert_eq!(
                details.status,
                StatusCode::OK,
                "a status monitor reports the failure with 200"
            );
            let error = details
                .body
                .as_ref()
                .and_then(|b| b.error.as_ref())
                .expect("typed CloudError.error");
            assert_eq!(error.code.as_deref(), Some("OperationNotAllowed"));
            assert_eq!(details.code.as_deref(), Some("OperationNotAllowed"));
            assert_eq!(
                details.message.as_deref(),
                Some("The abort could not be completed.")
            );
            assert_eq!(
                details.request_id.as_deref(),
                Some("fa11ed00-0000-4000-8000-000000000001")
            );
        }
        other => panic!("expected Error::OperationFailed, got {other:?}"),
    }
}

/// ARM `CloudError` on a 409 (nothing to abort) with `x-ms-request-id`; 409 is never retried.
#[tokio::test]
async fn abort_conflict_is_typed() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(409)
                .insert_header("x-ms-request-id", "c0ffee00-1111-4222-8333-444455556666")
                .set_body_json(serde_json::json!({
                    "error": {
                        "code": "OperationNotAllowed",
                        "message": "The latest operation on the managed cluster has already completed; there is nothing to abort.",
                        "target": "resourceName",
                        "details": [
                            {"code": "NotLatestOperation", "message": "Cannot abort an operation that has already finished."}
                        ]
                    }
                })),
        )
        .mount(&server)
        .await;
    let client = make_client(&server.uri(), SUBSCRIPTION, fast_retries(3));
    let api = expect_api(
        "abort → 409",
        client
            .managed_clusters_abort_latest_operation("rg1", "clustername1")
            .await,
    );
    assert_eq!(api.status, StatusCode::CONFLICT);
    let error = api
        .body
        .as_ref()
        .and_then(|b| b.error.as_ref())
        .expect("typed CloudError.error");
    assert_eq!(error.code.as_deref(), Some("OperationNotAllowed"));
    assert_eq!(error.target.as_deref(), Some("resourceName"));
    let details = error.details.as_ref().expect("details");
    assert_eq!(details[0].code.as_deref(), Some("NotLatestOperation"));
    assert_eq!(
        details[0].message.as_deref(),
        Some("Cannot abort an operation that has already finished.")
    );
    assert_eq!(api.code.as_deref(), Some("OperationNotAllowed"));
    assert_eq!(
        api.message.as_deref(),
        Some("The latest operation on the managed cluster has already completed; there is nothing to abort.")
    );
    assert_eq!(
        api.request_id.as_deref(),
        Some("c0ffee00-1111-4222-8333-444455556666")
    );
    assert_eq!(api.attempts, 1, "409 is not retried");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        api.client_request_id.as_deref(),
        Some(header(&requests[0], "x-ms-client-request-id"))
    );
}

/// A non-JSON (HTML) 500 on the GET: kept raw, retried (GET is idempotent).
#[tokio::test]
async fn get_html_500_is_retried_and_kept_raw() {
    const HTML: &str = "<html><head><title>502/500</title></head><body><h2>Our services aren't available right now</h2></body></html>";
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("x-ms-request-id", "deadbeef-0000-4000-8000-000000000500")
                .insert_header("x-ms-error-code", "InternalServerError")
                .set_body_raw(HTML, "text/html"),
        )
        .mount(&server)
        .await;
    let client = make_client(&server.uri(), SUBSCRIPTION, fast_retries(2));
    let api = expect_api(
        "get → HTML 500",
        client.managed_clusters_get("rg1", "clustername1").await,
    );
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.raw_body, HTML);
    assert!(api.body.is_none());
    assert_eq!(
        api.code.as_deref(),
        Some("InternalServerError"),
        "no JSON code: the x-ms-error-code header"
    );
    assert_eq!(api.message, None);
    assert_eq!(
        api.request_id.as_deref(),
        Some("deadbeef-0000-4000-8000-000000000500")
    );
    assert_eq!(api.attempts, 3, "1 attempt + 2 retries");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let ids: Vec<&str> = requests
        .iter()
        .map(|r| header(r, "x-ms-client-request-id"))
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] == w[1]),
        "same client request id on every attempt: {ids:?}"
    );
}

/// Names violating the spec's constraints are rejected before anything is sent.
#[tokio::test]
async fn rejects_bad_names_before_sending() {
    let server = MockServer::start().await;
    let client = make_client(&server.uri(), SUBSCRIPTION, no_retries());
    let long_name = "a".repeat(64);
    let bad_names = [
        "",
        "-cluster",
        "cluster-",
        "cluster_",
        "clu ster",
        "a/b",
        "..",
        "clüster",
        long_name.as_str(),
    ];
    for name in bad_names {
        expect_validation(
            &format!("abort resource_name {name:?}"),
            client
                .managed_clusters_abort_latest_operation("rg1", name)
                .await,
            "resource_name",
        );
        expect_validation(
            &format!("get resource_name {name:?}"),
            client.managed_clusters_get("rg1", name).await,
            "resource_name",
        );
    }
    let long_group = "r".repeat(91);
    for group in ["", long_group.as_str()] {
        expect_validation(
            &format!("abort resource_group_name of length {}", group.len()),
            client
                .managed_clusters_abort_latest_operation(group, "clustername1")
                .await,
            "resource_group_name",
        );
        expect_validation(
            &format!("get resource_group_name of length {}", group.len()),
            client.managed_clusters_get(group, "clustername1").await,
            "resource_group_name",
        );
    }
    assert!(
        received(&server).await.is_empty(),
        "nothing may be sent for a rejected name"
    );
}

/// A resource group of `.` or `..` passes the spec's length check but would be removed by
/// URL normalization: refused before sending.
#[tokio::test]
async fn dot_segment_resource_group_is_refused_before_sending() {
    let server = MockServer::start().await;
    let client = make_client(&server.uri(), SUBSCRIPTION, no_retries());
    for group in [".", ".."] {
        match client.managed_clusters_get(group, "clustername1").await {
            // Reported for parameter `path` (the runtime's URL check), not for
            // `resource_group_name`.
            Err(Error::Validation { parameter, message }) => {
                assert!(!message.is_empty(), "{parameter}: {message}")
            }
            other => panic!("resource group {group:?}: expected Error::Validation, got {other:?}"),
        }
    }
    assert!(received(&server).await.is_empty());
}

/// The ARM scheme end to end: `auth::azure_auth` with an OAuth2 client-credentials credential
/// against a loopback token server; the token is fetched once for the spec's default scope and
/// reused for the next call.
#[tokio::test]
async fn oauth2_client_credentials_end_to_end() {
    use restsmith_runtime::auth::ClientSecretCredential;
    use wiremock::matchers::body_string_contains;

    let token_server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tenant/oauth2/v2.0/token"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("client_id=app-id"))
        .and(body_string_contains("scope=https%3A%2F%2Fmanagement.azure.com%2F.default"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "token_type": "Bearer", "expires_in": 3600, "access_token": "issued-token"
        })))
        .expect(1)
        .mount(&token_server)
        .await;
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "location": "eastus", "properties": { "provisioningState": "Succeeded" }
        })))
        .mount(&api)
        .await;

    let credential = ClientSecretCredential::new(
        &format!("{}/tenant/oauth2/v2.0/token", token_server.uri()),
        "app-id",
        "app-secret",
    )
    .expect("token url");
    assert_eq!(auth::AZURE_AUTH_SCOPES, ["https://management.azure.com/.default"]);
    let client = Client::with_options(
        &api.uri(),
        Some(Arc::new(auth::azure_auth(credential))),
        Uuid::parse_str(SUBSCRIPTION).unwrap(),
        no_retries(),
    )
    .expect("client");
    for _ in 0..2 {
        let cluster = client.managed_clusters_get("rg1", "aks1").await.expect("get with an OAuth2 token");
        assert_eq!(cluster.body.properties.and_then(|p| p.provisioning_state).as_deref(), Some("Succeeded"));
    }
    let sent = received(&api).await;
    assert_eq!(sent.len(), 2);
    for request in &sent {
        assert_eq!(header(request, "authorization"), "Bearer issued-token");
    }
    // `.expect(1)` on the token endpoint is verified when the server drops.
    assert!(!format!("{client:?}").contains("app-secret"), "the secret never appears in Debug");
}
