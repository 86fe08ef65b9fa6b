//! Long-running-operation pollers against scripted scenario servers on 127.0.0.1 (wiremock).
//!
//! Each scenario mounts, per method and path, a script of responses (the i-th request gets the
//! i-th response, the last one repeats) and counts the requests that arrived, so every test
//! also checks that the poller sent exactly the requests the protocol needs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use http::{Method, StatusCode};
use restsmith_runtime::auth::BearerToken;
use restsmith_runtime::error::BoxError;
use restsmith_runtime::poller::{AzureLro, PollStatus, Poller, PollerOptions, ReconcileLro};
use restsmith_runtime::{
    AttemptContext, ClientCore, ClientOptions, Error, ErrorBody, Interceptor, OperationMeta, Query,
    RawResponse, Request, RetryOptions,
};
use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;
use wiremock::matchers::{method, path as url_path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

// ---------------------------------------------------------------------------------------------
// Operations and models
// ---------------------------------------------------------------------------------------------

static PUT: OperationMeta = OperationMeta {
    operation_id: "Things_CreateOrUpdate",
    method: Method::PUT,
    path_template: "/things/{id}",
    retry_safe: false,
};
static PATCH: OperationMeta = OperationMeta {
    operation_id: "VmSnaps_Update",
    method: Method::PATCH,
    path_template: "/sddc/v1/vm-snaps/{id}",
    retry_safe: true,
};
static POST: OperationMeta = OperationMeta {
    operation_id: "Things_Act",
    method: Method::POST,
    path_template: "/things/{id}/act",
    retry_safe: false,
};
static DELETE: OperationMeta = OperationMeta {
    operation_id: "Things_Delete",
    method: Method::DELETE,
    path_template: "/things/{id}",
    retry_safe: false,
};

/// ARM `ErrorResponse`.
#[derive(Debug, Deserialize)]
struct CloudError {
    error: Option<ErrorDetail>,
}

/// ARM `ErrorDetail` (also usable as a flat error body).
#[derive(Debug, Deserialize)]
struct ErrorDetail {
    code: Option<String>,
    message: Option<String>,
}

impl ErrorBody for CloudError {
    fn code(&self) -> Option<&str> {
        self.error.as_ref()?.code.as_deref()
    }
    fn message(&self) -> Option<&str> {
        self.error.as_ref()?.message.as_deref()
    }
}

impl ErrorBody for ErrorDetail {
    fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

#[derive(Debug, Deserialize, PartialEq)]
struct Thing {
    id: String,
    #[serde(default)]
    r: Option<String>,
}

type ArmPoller<T> = Poller<T, CloudError>;

// ---------------------------------------------------------------------------------------------
// Scenario servers
// ---------------------------------------------------------------------------------------------

/// Answers the i-th request with the i-th response; the last one repeats.
struct Script {
    responses: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Respond for Script {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        self.responses[i.min(self.responses.len() - 1)].clone()
    }
}

/// Mounts a script for `verb path`.
async fn on(server: &MockServer, verb: &str, p: &str, responses: Vec<ResponseTemplate>) {
    assert!(!responses.is_empty());
    Mock::given(method(verb))
        .and(url_path(p))
        .respond_with(Script {
            responses,
            next: AtomicUsize::new(0),
        })
        .mount(server)
        .await;
}

/// Requests that arrived for `verb path`.
async fn received(server: &MockServer, verb: &str, p: &str) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.method.as_str() == verb && r.url.path() == p)
        .collect()
}

async fn count(server: &MockServer, verb: &str, p: &str) -> usize {
    received(server, verb, p).await.len()
}

async fn total(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

fn json_response(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// A status-monitor body.
fn status(s: &str) -> ResponseTemplate {
    json_response(200, json!({ "status": s }))
}

/// `202` with a header pointing at `target` on `server`.
fn accepted(server: &MockServer, header: &str, target: &str) -> ResponseTemplate {
    ResponseTemplate::new(202).insert_header(header, format!("{}{target}", server.uri()).as_str())
}

// ---------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------

/// Millisecond retries without jitter; every delay (poll delays too) multiplied by `scale`.
fn retry(scale: f64) -> RetryOptions {
    RetryOptions::default()
        .with_jitter(false)
        .with_initial_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(5))
        .with_delay_scale(scale)
}

fn options(scale: f64) -> ClientOptions {
    ClientOptions::default()
        .retry(retry(scale))
        .client_request_id_header("x-ms-client-request-id")
}

fn core_with(server: &MockServer, options: ClientOptions, token: Option<&str>) -> ClientCore {
    let credential = token
        .map(|t| Arc::new(BearerToken::new(t)) as Arc<dyn restsmith_runtime::auth::Credential>);
    ClientCore::new(&server.uri(), credential, options, "poller-tests", "0.0.0").unwrap()
}

/// A client with a bearer token whose poll delays are scaled by `scale`.
fn core(server: &MockServer, scale: f64) -> ClientCore {
    core_with(server, options(scale), Some("s3cr3t-token"))
}

/// Poll at once (tests that are not about delays).
fn fast() -> PollerOptions {
    PollerOptions::default().interval_override(Some(Duration::ZERO))
}

/// Sends the initial request of `meta` to `path?api-version=1` and returns what generated
/// code hands to the poller.
async fn initial(
    core: &ClientCore,
    meta: &'static OperationMeta,
    path: &str,
) -> (Method, Url, RawResponse) {
    let mut query = Query::new();
    query.push("api-version", "1");
    let request = core.request(meta, path, &query);
    let (verb, url) = (request.method.clone(), request.url.clone());
    let response = core.send::<Value>(request).await.expect("initial response");
    (verb, url, response)
}

async fn azure<T>(
    core: &ClientCore,
    meta: &'static OperationMeta,
    path: &str,
    lro: AzureLro,
    options: PollerOptions,
) -> Result<ArmPoller<T>, Error<CloudError>>
where
    T: serde::de::DeserializeOwned + Send + 'static,
{
    let (verb, url, response) = initial(core, meta, path).await;
    Poller::azure(core.clone(), meta, verb, url, response, lro, options)
}

fn lro(final_state_via: Option<&'static str>) -> AzureLro {
    AzureLro {
        final_state_via,
        has_result: true,
    }
}

// ---------------------------------------------------------------------------------------------
// Azure-AsyncOperation / Operation-Location and final-state-via
// ---------------------------------------------------------------------------------------------

/// `verb /things/1` → 202 with `Azure-AsyncOperation: /ops/1` and `Location: /results/1`;
/// the monitor says InProgress, then Succeeded; `/results/1` and `/things/1` are readable.
async fn double_header_scenario(verb: &str) -> MockServer {
    let server = MockServer::start().await;
    on(
        &server,
        verb,
        "/things/1",
        vec![
            accepted(&server, "Azure-AsyncOperation", "/ops/1?api-version=1").insert_header(
                "Location",
                format!("{}/results/1?api-version=1", server.uri()).as_str(),
            ),
        ],
    )
    .await;
    on(
        &server,
        "GET",
        "/ops/1",
        vec![
            status("InProgress"),
            json_response(
                200,
                json!({"status": "Succeeded", "id": "op", "r": "status"}),
            ),
        ],
    )
    .await;
    on(
        &server,
        "GET",
        "/results/1",
        vec![json_response(200, json!({"id": "res", "r": "location"}))],
    )
    .await;
    on(
        &server,
        "GET",
        "/things/1",
        vec![json_response(200, json!({"id": "thing", "r": "original"}))],
    )
    .await;
    server
}

#[tokio::test]
async fn azure_async_operation_final_state_via_each_value() {
    // (method, final-state-via, expected result, GETs of /results/1, GETs of /things/1)
    let cases: [(
        &'static OperationMeta,
        Option<&'static str>,
        &str,
        usize,
        usize,
    ); 9] = [
        (&POST, Some("azure-async-operation"), "status", 0, 0),
        (&POST, Some("location"), "location", 1, 0),
        (&POST, Some("original-uri"), "original", 0, 1),
        (&POST, Some("operation-location"), "status", 0, 0),
        (&POST, None, "location", 1, 0),
        (&PUT, None, "original", 0, 1),
        (&PUT, Some("Azure-Async-Operation"), "status", 0, 0),
        (&PUT, Some("LOCATION"), "location", 1, 0),
        (&DELETE, None, "status", 0, 0),
    ];
    for (meta, via, expected, location_gets, original_gets) in cases {
        let server = double_header_scenario(meta.method.as_str()).await;
        let core = core(&server, 1.0);
        let poller = azure::<Thing>(&core, meta, "/things/1", lro(via), fast())
            .await
            .unwrap();
        assert_eq!(poller.status(), PollStatus::InProgress);
        let thing = poller.await.unwrap();
        let case = format!("{} {via:?}", meta.method);
        assert_eq!(thing.r.as_deref(), Some(expected), "{case}");
        assert_eq!(count(&server, "GET", "/ops/1").await, 2, "{case}");
        assert_eq!(
            count(&server, "GET", "/results/1").await,
            location_gets,
            "{case}"
        );
        assert_eq!(
            count(&server, "GET", "/things/1").await,
            original_gets,
            "{case}"
        );
        assert_eq!(
            total(&server).await,
            3 + location_gets + original_gets,
            "{case}"
        );
    }
}

#[tokio::test]
async fn no_result_means_no_final_get() {
    let server = double_header_scenario("POST").await;
    let core = core(&server, 1.0);
    let lro = AzureLro {
        final_state_via: Some("location"),
        has_result: false,
    };
    let poller = azure::<()>(&core, &POST, "/things/1", lro, fast())
        .await
        .unwrap();
    poller.await.unwrap();
    assert_eq!(count(&server, "GET", "/ops/1").await, 2);
    assert_eq!(total(&server).await, 3, "no final GET");
}

#[tokio::test]
async fn operation_location_and_resource_location() {
    let server = MockServer::start().await;
    on(
        &server,
        "PUT",
        "/things/2",
        vec![ResponseTemplate::new(201)
            .insert_header(
                "Operation-Location",
                format!("{}/operations/2", server.uri()).as_str(),
            )
            .set_body_json(json!({"id": "2"}))],
    )
    .await;
    on(
        &server,
        "GET",
        "/operations/2",
        vec![
            status("NotStarted"),
            status("Running"),
            json_response(
                200,
                json!({"status": "Succeeded", "resourceLocation": "/things/2/result"}),
            ),
        ],
    )
    .await;
    on(
        &server,
        "GET",
        "/things/2/result",
        vec![json_response(200, json!({"id": "2", "r": "rl"}))],
    )
    .await;
    let core = core(&server, 1.0);
    let thing = azure::<Thing>(&core, &PUT, "/things/2", lro(None), fast())
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(thing.r.as_deref(), Some("rl"));
    assert_eq!(count(&server, "GET", "/operations/2").await, 3);
    assert_eq!(count(&server, "GET", "/things/2/result").await, 1);
    assert_eq!(total(&server).await, 5);
}

#[tokio::test]
async fn async_operation_wins_over_location_and_relative_urls_resolve() {
    let server = MockServer::start().await;
    // Relative AAO (resolved against the initial URL) and a bogus relative Location that
    // must not be used (the AutoRest `noheader` scenarios).
    on(
        &server,
        "DELETE",
        "/things/3",
        vec![ResponseTemplate::new(202)
            .insert_header("azure-asyncoperation", "/ops/3")
            .insert_header("location", "somethingBadWhichShouldNotBeUsed")],
    )
    .await;
    on(
        &server,
        "GET",
        "/ops/3",
        vec![status("inprogress"), status("SUCCEEDED")],
    )
    .await;
    let core = core(&server, 1.0);
    let result = azure::<Value>(&core, &DELETE, "/things/3", lro(None), fast())
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(result, json!({"status": "SUCCEEDED"}));
    assert_eq!(count(&server, "GET", "/ops/3").await, 2);
    assert_eq!(total(&server).await, 3);
}

// ---------------------------------------------------------------------------------------------
// Location polling and body polling
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn location_polling_follows_the_newest_location() {
    let server = MockServer::start().await;
    on(
        &server,
        "POST",
        "/things/4/act",
        vec![accepted(&server, "Location", "/poll/a").insert_header("Retry-After", "0")],
    )
    .await;
    on(
        &server,
        "GET",
        "/poll/a",
        vec![accepted(&server, "Location", "/poll/b")],
    )
    .await;
    on(
        &server,
        "GET",
        "/poll/b",
        vec![
            ResponseTemplate::new(202),
            // provisioningState in a Location result is not a status.
            json_response(
                200,
                json!({"id": "4", "r": "b", "properties": {"provisioningState": "Failed"}}),
            ),
        ],
    )
    .await;
    let core = core(&server, 1.0);
    let thing = azure::<Thing>(&core, &POST, "/things/4/act", lro(Some("location")), fast())
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(
        thing,
        Thing {
            id: "4".into(),
            r: Some("b".into())
        }
    );
    assert_eq!(count(&server, "GET", "/poll/a").await, 1);
    assert_eq!(count(&server, "GET", "/poll/b").await, 2);
    assert_eq!(
        total(&server).await,
        4,
        "no final GET after Location polling"
    );
}

#[tokio::test]
async fn location_polling_204_ends_with_unit() {
    let server = MockServer::start().await;
    on(
        &server,
        "DELETE",
        "/things/5",
        // A relative Location resolves against the initial request URL.
        vec![ResponseTemplate::new(202).insert_header("location", "/poll/5")],
    )
    .await;
    on(
        &server,
        "GET",
        "/poll/5",
        vec![ResponseTemplate::new(202), ResponseTemplate::new(204)],
    )
    .await;
    let core = core(&server, 1.0);
    let lro = AzureLro {
        final_state_via: None,
        has_result: false,
    };
    azure::<()>(&core, &DELETE, "/things/5", lro, fast())
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(count(&server, "GET", "/poll/5").await, 2);
}

#[tokio::test]
async fn body_polling_reads_provisioning_state() {
    let server = MockServer::start().await;
    on(
        &server,
        "PUT",
        "/things/6",
        vec![json_response(
            201,
            json!({"id": "6", "properties": {"provisioningState": "Creating"}}),
        )],
    )
    .await;
    on(
        &server,
        "GET",
        "/things/6",
        vec![
            json_response(
                200,
                json!({"id": "6", "properties": {"provisioningState": "creating"}}),
            ),
            json_response(
                200,
                json!({"id": "6", "r": "final", "properties": {"provisioningState": "succeeded"}}),
            ),
        ],
    )
    .await;
    let core = core(&server, 1.0);
    let mut poller = azure::<Thing>(&core, &PUT, "/things/6", lro(None), fast())
        .await
        .unwrap();
    assert_eq!(poller.raw_status(), Some("Creating"));
    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);
    assert_eq!(poller.poll().await.unwrap(), PollStatus::Succeeded);
    assert!(poller.is_done());
    let thing = poller.await.unwrap();
    assert_eq!(thing.r.as_deref(), Some("final"));
    assert_eq!(
        count(&server, "GET", "/things/6").await,
        2,
        "no final GET after body polling"
    );
}

#[tokio::test]
async fn initial_responses_that_finish_at_once() {
    let server = MockServer::start().await;
    let foreign = MockServer::start().await;
    on(
        &server,
        "PUT",
        "/done/200",
        vec![json_response(
            200,
            json!({"id": "a", "properties": {"provisioningState": "Succeeded"}}),
        )],
    )
    .await;
    on(
        &server,
        "PUT",
        "/done/nostate",
        vec![json_response(200, json!({"id": "b"}))],
    )
    .await;
    on(
        &server,
        "PUT",
        "/done/201",
        vec![json_response(
            201,
            json!({"id": "c", "properties": {"provisioningState": "Succeeded"}}),
        )],
    )
    .await;
    on(
        &server,
        "DELETE",
        "/done/204",
        vec![ResponseTemplate::new(204)],
    )
    .await;
    on(
        &server,
        "POST",
        "/done/post200",
        vec![json_response(200, json!({"id": "d"}))],
    )
    .await;
    // A finished resource with an Azure-AsyncOperation that must not be polled (AutoRest
    // `patch200SucceededIgnoreHeaders`; here it even points to another host).
    on(
        &server,
        "PATCH",
        "/done/ignoreheaders",
        vec![json_response(
            200,
            json!({"id": "e", "properties": {"provisioningState": "Succeeded"}}),
        )
        .insert_header(
            "Azure-AsyncOperation",
            format!("{}/crash", foreign.uri()).as_str(),
        )],
    )
    .await;
    let core = core(&server, 1.0);
    for (meta, p, id) in [
        (&PUT, "/done/200", "a"),
        (&PUT, "/done/nostate", "b"),
        (&PUT, "/done/201", "c"),
        (&POST, "/done/post200", "d"),
        (&PATCH, "/done/ignoreheaders", "e"),
    ] {
        let poller = azure::<Thing>(&core, meta, p, lro(None), PollerOptions::default())
            .await
            .unwrap();
        assert_eq!(poller.status(), PollStatus::Succeeded, "{p}");
        assert!(poller.is_done(), "{p}");
        assert_eq!(poller.next_delay(), Duration::ZERO);
        assert_eq!(poller.await.unwrap().id, id, "{p}");
    }
    // `/error/delete/204/nolocation`: a 204 without headers is a finished delete.
    let lro_unit = AzureLro {
        final_state_via: None,
        has_result: false,
    };
    let poller = azure::<()>(
        &core,
        &DELETE,
        "/done/204",
        lro_unit,
        PollerOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(poller.status(), PollStatus::Succeeded);
    poller.await.unwrap();
    assert_eq!(total(&server).await, 6, "only the initial requests");
    assert_eq!(total(&foreign).await, 0);
}

#[tokio::test]
async fn initial_responses_that_start_polling_or_fail() {
    let server = MockServer::start().await;
    on(
        &server,
        "PUT",
        "/start/201",
        vec![ResponseTemplate::new(201)],
    )
    .await;
    on(
        &server,
        "GET",
        "/start/201",
        vec![json_response(200, json!({"id": "x"}))],
    )
    .await;
    on(
        &server,
        "PUT",
        "/start/failed",
        vec![json_response(
            201,
            json!({"properties": {"provisioningState": "Failed"}}),
        )],
    )
    .await;
    on(
        &server,
        "PUT",
        "/start/400",
        vec![json_response(
            400,
            json!({"error": {"code": "Bad", "message": "no"}}),
        )],
    )
    .await;
    on(
        &server,
        "POST",
        "/start/202-no-headers",
        vec![ResponseTemplate::new(202)],
    )
    .await;
    let core = core(&server, 1.0);

    // 201 without a body: body polling, in progress; a 200 without a state is success.
    let poller = azure::<Thing>(&core, &PUT, "/start/201", lro(None), fast())
        .await
        .unwrap();
    assert_eq!(poller.status(), PollStatus::InProgress);
    assert_eq!(poller.await.unwrap().id, "x");

    // A failed provisioning state in the initial body fails at once.
    let poller = azure::<Thing>(&core, &PUT, "/start/failed", lro(None), fast())
        .await
        .unwrap();
    assert_eq!(poller.status(), PollStatus::Failed);
    assert!(
        matches!(poller.await, Err(Error::OperationFailed { ref state, .. }) if state == "Failed")
    );

    // A non-LRO status is the service error.
    let err = azure::<Thing>(&core, &PUT, "/start/400", lro(None), fast())
        .await
        .unwrap_err();
    let api = err.api().expect("api error");
    assert_eq!(api.status, StatusCode::BAD_REQUEST);
    assert_eq!(api.code.as_deref(), Some("Bad"));

    // `/error/post/202/nolocation`: accepted but nothing to poll.
    let err = azure::<()>(&core, &POST, "/start/202-no-headers", lro(None), fast())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Protocol { .. }), "{err:?}");
    assert_eq!(count(&server, "GET", "/start/201").await, 1);
    assert_eq!(total(&server).await, 5);
}

// ---------------------------------------------------------------------------------------------
// Delays
// ---------------------------------------------------------------------------------------------

/// POST → 202 + Location + `headers`; the Location answers 204. Returns the poller.
async fn delayed(
    server: &MockServer,
    core: &ClientCore,
    headers: &[(&str, String)],
    options: PollerOptions,
) -> ArmPoller<()> {
    server.reset().await;
    let mut first = accepted(server, "Location", "/poll/d");
    for (name, value) in headers {
        first = first.insert_header(*name, value.as_str());
    }
    on(server, "POST", "/things/d/act", vec![first]).await;
    on(server, "GET", "/poll/d", vec![ResponseTemplate::new(204)]).await;
    let lro = AzureLro {
        final_state_via: None,
        has_result: false,
    };
    azure::<()>(core, &POST, "/things/d/act", lro, options)
        .await
        .unwrap()
}

/// Steps the poller once and checks it waited about `expected`.
async fn assert_waits(mut poller: ArmPoller<()>, expected: Duration) {
    assert_eq!(poller.next_delay(), expected);
    let started = Instant::now();
    assert_eq!(poller.poll().await.unwrap(), PollStatus::Succeeded);
    let took = started.elapsed();
    assert!(took >= expected, "waited {took:?}, expected {expected:?}");
    assert!(
        took < expected + Duration::from_secs(3),
        "waited {took:?}, expected {expected:?}"
    );
}

#[tokio::test]
async fn retry_after_forms_are_honoured() {
    let server = MockServer::start().await;
    let d = PollerOptions::default;

    // Retry-After seconds: 15 s scaled by 0.01.
    let core = core_with(&server, options(0.01), None);
    let poller = delayed(&server, &core, &[("Retry-After", "15".into())], d()).await;
    assert_waits(poller, Duration::from_millis(150)).await;

    // HTTP-date 20 s ahead (second resolution), scaled by 0.01.
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(20));
    let mut poller = delayed(&server, &core, &[("Retry-After", date)], d()).await;
    let delay = poller.next_delay();
    assert!(
        delay > Duration::from_millis(170) && delay <= Duration::from_millis(200),
        "{delay:?}"
    );
    let started = Instant::now();
    poller.poll().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(170));

    // No header: the default interval (30 s), scaled by 0.005.
    let core = core_with(&server, options(0.005), None);
    let poller = delayed(&server, &core, &[], d()).await;
    assert_waits(poller, Duration::from_millis(150)).await;

    // retry-after-ms wins over Retry-After; scaled by 0.1.
    let core = core_with(&server, options(0.1), None);
    let headers = [
        ("retry-after-ms", "1500".to_owned()),
        ("Retry-After", "100".to_owned()),
    ];
    let poller = delayed(&server, &core, &headers, d()).await;
    assert_waits(poller, Duration::from_millis(150)).await;

    // x-ms-retry-after-ms.
    let poller = delayed(
        &server,
        &core,
        &[("x-ms-retry-after-ms", "2500".into())],
        d(),
    )
    .await;
    assert_waits(poller, Duration::from_millis(250)).await;

    // Below the lower bound (1 s) and above the upper bound (10 min): clamped.
    let poller = delayed(&server, &core, &[("retry-after-ms", "10".into())], d()).await;
    assert_eq!(poller.next_delay(), Duration::from_millis(100));
    let poller = delayed(&server, &core, &[("Retry-After", "86400".into())], d()).await;
    assert_eq!(poller.next_delay(), Duration::from_secs(60));
    let poller = delayed(
        &server,
        &core,
        &[("Retry-After", "20".into())],
        d().interval_bounds(Duration::ZERO, Duration::from_secs(5)),
    )
    .await;
    assert_eq!(poller.next_delay(), Duration::from_millis(500));

    // interval_override replaces everything and is not scaled.
    let poller = delayed(&server, &core, &[("Retry-After", "20".into())], d()).await;
    let poller = poller.interval_override(Some(Duration::from_millis(30)));
    assert_waits(poller, Duration::from_millis(30)).await;
}

#[tokio::test]
async fn retry_after_zero_is_respected() {
    let server = MockServer::start().await;
    // Real time (scale 1): a poller that took 0 for "absent" would wait the 30 s default.
    let core = core_with(&server, options(1.0), None);
    let zero = [("Retry-After", "0".to_owned())];
    let poller = delayed(&server, &core, &zero, PollerOptions::default()).await;
    assert_eq!(
        poller.next_delay(),
        Duration::from_secs(1),
        "clamped to the default lower bound"
    );
    let poller = delayed(&server, &core, &zero, PollerOptions::default())
        .await
        .interval_bounds(Duration::ZERO, Duration::from_secs(600));
    assert_waits(poller, Duration::ZERO).await;
}

#[tokio::test]
async fn invalid_delay_header_is_a_protocol_error() {
    // The AutoRest `/error/*/invalidheader` scenarios: `Location: /foo` (relative, fine) and
    // `Retry-After: /bar` (invalid).
    let server = MockServer::start().await;
    on(
        &server,
        "DELETE",
        "/things/7",
        vec![ResponseTemplate::new(202)
            .insert_header("Location", "/foo")
            .insert_header("Retry-After", "/bar")],
    )
    .await;
    on(
        &server,
        "PUT",
        "/things/7",
        vec![json_response(
            200,
            json!({"properties": {"provisioningState": "Creating"}}),
        )
        .insert_header("Azure-AsyncOperation", "/foo")
        .insert_header("Retry-After", "/bar")],
    )
    .await;
    let core = core(&server, 1.0);
    for meta in [&DELETE, &PUT] {
        let err = azure::<Value>(&core, meta, "/things/7", lro(None), fast())
            .await
            .unwrap_err();
        match err {
            Error::Protocol { message, .. } => {
                assert!(message.contains("retry-after"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(total(&server).await, 2, "nothing polled");
}

// ---------------------------------------------------------------------------------------------
// Failures and malformed responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn failed_and_canceled_carry_the_arm_error() {
    let server = MockServer::start().await;
    on(
        &server,
        "POST",
        "/things/8/act",
        vec![accepted(&server, "Azure-AsyncOperation", "/ops/8")],
    )
    .await;
    on(&server, "GET", "/ops/8", vec![
        status("Accepted"),
        json_response(200, json!({"status": "failed", "error": {"code": "QuotaExceeded", "message": "too many"}}))
            .insert_header("x-ms-request-id", "rid-8"),
    ])
    .await;
    let core = core(&server, 1.0);
    let mut poller = azure::<Value>(&core, &POST, "/things/8/act", lro(None), fast())
        .await
        .unwrap();
    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);
    assert_eq!(poller.poll().await.unwrap(), PollStatus::Failed);
    assert_eq!(
        poller.poll().await.unwrap(),
        PollStatus::Failed,
        "terminal: no more requests"
    );
    let err = poller.wait().await.unwrap_err();
    match &err {
        Error::OperationFailed { state, details } => {
            assert_eq!(state, "failed");
            assert_eq!(details.code.as_deref(), Some("QuotaExceeded"));
            assert_eq!(details.message.as_deref(), Some("too many"));
            let typed = details
                .body
                .as_ref()
                .and_then(|b| b.error.as_ref())
                .unwrap();
            assert_eq!(typed.code.as_deref(), Some("QuotaExceeded"));
            assert!(details.raw_body.contains("too many"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.request_id(), Some("rid-8"));
    assert!(err.client_request_id().is_some());
    assert!(err.to_string().contains("QuotaExceeded"), "{err}");
    assert_eq!(count(&server, "GET", "/ops/8").await, 2);

    // Canceled (British spelling), with a flat error type: the nested `error` is used.
    server.reset().await;
    on(
        &server,
        "POST",
        "/things/8/act",
        vec![accepted(&server, "Azure-AsyncOperation", "/ops/8")],
    )
    .await;
    on(
        &server,
        "GET",
        "/ops/8",
        vec![json_response(
            200,
            json!({"status": "Cancelled", "error": {"code": "Stopped", "message": "by user"}}),
        )],
    )
    .await;
    let (verb, url, response) = initial(&core, &POST, "/things/8/act").await;
    let poller: Poller<(), ErrorDetail> =
        Poller::azure(core.clone(), &POST, verb, url, response, lro(None), fast()).unwrap();
    match poller.await.unwrap_err() {
        Error::OperationFailed { state, details } => {
            assert_eq!(state, "Cancelled");
            assert_eq!(details.code.as_deref(), Some("Stopped"));
            assert_eq!(
                details.body.as_ref().and_then(|b| b.code.as_deref()),
                Some("Stopped")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_500_during_polling_is_retried() {
    let server = MockServer::start().await;
    on(
        &server,
        "PUT",
        "/things/9",
        vec![accepted(&server, "Azure-AsyncOperation", "/ops/9")],
    )
    .await;
    on(
        &server,
        "GET",
        "/ops/9",
        vec![ResponseTemplate::new(500), status("Succeeded")],
    )
    .await;
    on(
        &server,
        "GET",
        "/things/9",
        vec![
            ResponseTemplate::new(500),
            json_response(200, json!({"id": "9"})),
        ],
    )
    .await;
    let core = core(&server, 1.0);
    let thing = azure::<Thing>(&core, &PUT, "/things/9", lro(None), fast())
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(thing.id, "9");
    assert_eq!(count(&server, "GET", "/ops/9").await, 2);
    assert_eq!(count(&server, "GET", "/things/9").await, 2);
}

#[tokio::test]
async fn a_400_on_a_poll_is_an_error() {
    let server = MockServer::start().await;
    on(
        &server,
        "DELETE",
        "/things/10",
        vec![accepted(&server, "Location", "/poll/10")],
    )
    .await;
    on(
        &server,
        "GET",
        "/poll/10",
        vec![json_response(
            400,
            json!({"message": "Expected bad request message"}),
        )],
    )
    .await;
    let core = core(&server, 1.0);
    let err = azure::<()>(&core, &DELETE, "/things/10", lro(None), fast())
        .await
        .unwrap()
        .await
        .unwrap_err();
    let api = err.api().expect("api error");
    assert_eq!(api.status, StatusCode::BAD_REQUEST);
    assert!(api.raw_body.contains("Expected bad request message"));
    assert_eq!(count(&server, "GET", "/poll/10").await, 1, "not retried");
}

#[tokio::test]
async fn malformed_status_monitor_responses() {
    let cases: [(&str, ResponseTemplate); 4] = [
        ("nostatus", json_response(200, json!({}))),
        ("nopayload", ResponseTemplate::new(200)),
        ("numericstatus", json_response(200, json!({"status": 3}))),
        (
            "invalidjson",
            ResponseTemplate::new(200)
                .set_body_raw("{ \"status\": \"Accepted\"", "application/json"),
        ),
    ];
    for (name, response) in cases {
        let server = MockServer::start().await;
        on(
            &server,
            "POST",
            "/things/11/act",
            vec![accepted(&server, "Azure-AsyncOperation", "/ops/11")],
        )
        .await;
        on(&server, "GET", "/ops/11", vec![response]).await;
        let core = core(&server, 1.0);
        let err = azure::<Value>(&core, &POST, "/things/11/act", lro(None), fast())
            .await
            .unwrap()
            .await
            .unwrap_err();
        match (name, &err) {
            ("invalidjson", Error::Decode(_)) => {}
            ("invalidjson", _) => panic!("{name}: {err:?}"),
            (_, Error::Protocol { .. }) => {}
            _ => panic!("{name}: {err:?}"),
        }
        assert_eq!(count(&server, "GET", "/ops/11").await, 1, "{name}");
    }

    // Body polling: an empty 200 (AutoRest `noprovisioningstatepayload`) and invalid JSON.
    let server = MockServer::start().await;
    on(
        &server,
        "PUT",
        "/things/12",
        vec![ResponseTemplate::new(201)],
    )
    .await;
    on(
        &server,
        "GET",
        "/things/12",
        vec![ResponseTemplate::new(200)],
    )
    .await;
    on(
        &server,
        "PUT",
        "/things/13",
        vec![ResponseTemplate::new(200).set_body_raw("{ \"id\": ", "application/json")],
    )
    .await;
    let core = core(&server, 1.0);
    let err = azure::<Value>(&core, &PUT, "/things/12", lro(None), fast())
        .await
        .unwrap()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Protocol { .. }), "{err:?}");
    let err = azure::<Value>(&core, &PUT, "/things/13", lro(None), fast())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn final_get_failure_is_an_error() {
    let server = MockServer::start().await;
    on(
        &server,
        "POST",
        "/things/14/act",
        vec![accepted(&server, "Azure-AsyncOperation", "/ops/14")
            .insert_header("Location", format!("{}/results/14", server.uri()).as_str())],
    )
    .await;
    on(&server, "GET", "/ops/14", vec![status("Succeeded")]).await;
    on(
        &server,
        "GET",
        "/results/14",
        vec![json_response(404, json!({"error": {"code": "Gone"}}))],
    )
    .await;
    let core = core(&server, 1.0);
    let mut poller = azure::<Value>(&core, &POST, "/things/14/act", lro(None), fast())
        .await
        .unwrap();
    assert_eq!(poller.poll().await.unwrap(), PollStatus::Succeeded);
    assert!(!poller.is_done(), "the final GET is still due");
    assert_eq!(poller.next_delay(), Duration::ZERO);
    let err = poller.poll().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(count(&server, "GET", "/results/14").await, 1);
}

// ---------------------------------------------------------------------------------------------
// Deadline, stepping, client request id, drop
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn max_total_wait_ends_with_poll_timeout() {
    let server = MockServer::start().await;
    on(
        &server,
        "PUT",
        "/things/15",
        vec![accepted(
            &server,
            "Azure-AsyncOperation",
            "/ops/15?api-version=1&sig=secret",
        )],
    )
    .await;
    on(
        &server,
        "GET",
        "/ops/15",
        vec![status("Running").insert_header("x-ms-request-id", "rid-15")],
    )
    .await;
    let core = core(&server, 1.0);
    let options = PollerOptions::default()
        .interval_override(Some(Duration::from_millis(20)))
        .max_total_wait(Some(Duration::from_millis(150)));
    let started = Instant::now();
    let mut poller = azure::<Value>(&core, &PUT, "/things/15", lro(None), options)
        .await
        .unwrap();
    let err = poller.wait_in_place().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3));
    match &err {
        Error::PollTimeout {
            url,
            last_status,
            waited,
            request_id,
            client_request_id,
        } => {
            assert!(url.ends_with("/ops/15"), "{url}");
            assert!(!url.contains('?') && !url.contains("secret"), "{url}");
            assert_eq!(last_status, "Running");
            assert!(*waited < Duration::from_secs(3));
            assert_eq!(request_id.as_deref(), Some("rid-15"));
            assert!(client_request_id.is_some());
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.to_string().contains("secret"));
    let polls = count(&server, "GET", "/ops/15").await;
    assert!((3..=8).contains(&polls), "{polls} polls");
    // The poller survives the error: still in progress, a token can be taken.
    assert_eq!(poller.status(), PollStatus::InProgress);
    assert!(!poller.resume_token().is_empty());
    assert!(matches!(
        poller.poll().await,
        Err(Error::PollTimeout { .. })
    ));
    assert_eq!(
        count(&server, "GET", "/ops/15").await,
        polls,
        "no request after the deadline"
    );
}

#[tokio::test]
async fn stepping_with_poll_status_and_percent_complete() {
    let server = MockServer::start().await;
    on(
        &server,
        "POST",
        "/things/16/act",
        vec![accepted(&server, "Azure-AsyncOperation", "/ops/16")],
    )
    .await;
    on(
        &server,
        "GET",
        "/ops/16",
        vec![
            json_response(
                200,
                json!({"status": "InProgress", "percentComplete": 10.0}),
            ),
            json_response(200, json!({"status": "InProgress", "percentComplete": 60})),
            json_response(
                200,
                json!({"status": "Succeeded", "percentComplete": 100, "id": "16"}),
            ),
        ],
    )
    .await;
    let core = core(&server, 1.0);
    let lro = AzureLro {
        final_state_via: Some("azure-async-operation"),
        has_result: true,
    };
    let mut poller = azure::<Thing>(&core, &POST, "/things/16/act", lro, fast())
        .await
        .unwrap();
    assert_eq!(poller.status(), PollStatus::InProgress);
    assert_eq!(poller.percent_complete(), None);
    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);
    assert_eq!(poller.percent_complete(), Some(10.0));
    assert_eq!(poller.raw_status(), Some("InProgress"));
    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);
    assert_eq!(poller.percent_complete(), Some(60.0));
    assert_eq!(poller.poll().await.unwrap(), PollStatus::Succeeded);
    assert_eq!(poller.last_status_body().unwrap()["id"], "16");
    assert!(poller.is_done());
    for _ in 0..3 {
        assert_eq!(poller.poll().await.unwrap(), PollStatus::Succeeded);
    }
    assert_eq!(count(&server, "GET", "/ops/16").await, 3);
    assert_eq!(poller.wait_in_place().await.unwrap().id, "16");
    assert_eq!(
        poller.wait().await.unwrap().id,
        "16",
        "decoded again, nothing sent"
    );
    assert_eq!(total(&server).await, 4);
}

#[tokio::test]
async fn client_request_id_is_resent_on_every_poll() {
    let server = MockServer::start().await;
    on(
        &server,
        "PUT",
        "/things/17",
        vec![accepted(&server, "Azure-AsyncOperation", "/ops/17")],
    )
    .await;
    on(
        &server,
        "GET",
        "/ops/17",
        vec![status("Accepted"), status("Succeeded")],
    )
    .await;
    on(
        &server,
        "GET",
        "/things/17",
        vec![json_response(200, json!({"id": "17"}))],
    )
    .await;
    let core = core(&server, 1.0);
    let mut query = Query::new();
    query.push("api-version", "1");
    let mut request = core.request(&PUT, "/things/17", &query);
    request
        .header::<Value>(
            "x-ms-client-request-id",
            "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0",
        )
        .unwrap();
    let (verb, url) = (request.method.clone(), request.url.clone());
    let response = core.send::<Value>(request).await.unwrap();
    let poller: ArmPoller<Thing> =
        Poller::azure(core.clone(), &PUT, verb, url, response, lro(None), fast()).unwrap();
    poller.await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 4);
    for r in &requests {
        assert_eq!(
            r.headers["x-ms-client-request-id"], "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0",
            "{}",
            r.url
        );
        assert_eq!(
            r.headers["authorization"], "Bearer s3cr3t-token",
            "{}",
            r.url
        );
    }
}

#[tokio::test]
async fn dropping_a_poller_sends_nothing() {
    let server = MockServer::start().await;
    on(
        &server,
        "POST",
        "/things/18/act",
        vec![accepted(&server, "Azure-AsyncOperation", "/ops/18")],
    )
    .await;
    on(&server, "GET", "/ops/18", vec![status("Succeeded")]).await;
    let core = core(&server, 1.0);
    let slow = PollerOptions::default().interval_override(Some(Duration::from_secs(5)));
    let mut poller = azure::<Value>(&core, &POST, "/things/18/act", lro(None), slow)
        .await
        .unwrap();
    // A poll abandoned during its delay sends nothing and leaves the poller usable.
    assert!(
        tokio::time::timeout(Duration::from_millis(50), poller.poll())
            .await
            .is_err()
    );
    assert_eq!(poller.status(), PollStatus::InProgress);
    drop(poller);
    let poller = azure::<Value>(&core, &POST, "/things/18/act", lro(None), fast())
        .await
        .unwrap();
    drop(poller);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(count(&server, "GET", "/ops/18").await, 0);
    assert_eq!(total(&server).await, 2, "the two initial requests only");
}

// ---------------------------------------------------------------------------------------------
// Resume tokens
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn resume_token_continues_in_a_fresh_client() {
    let server = MockServer::start().await;
    on(
        &server,
        "POST",
        "/things/19/act",
        vec![
            accepted(&server, "Azure-AsyncOperation", "/ops/19?api-version=1")
                .insert_header(
                    "Location",
                    format!("{}/results/19?api-version=1", server.uri()).as_str(),
                )
                .insert_header("Retry-After", "7"),
        ],
    )
    .await;
    on(
        &server,
        "GET",
        "/ops/19",
        vec![
            status("Accepted").insert_header("Retry-After", "7"),
            status("Running"),
            status("Succeeded"),
        ],
    )
    .await;
    on(
        &server,
        "GET",
        "/results/19",
        vec![json_response(200, json!({"id": "19", "r": "location"}))],
    )
    .await;
    let first = core(&server, 1.0);
    let lro = AzureLro {
        final_state_via: Some("location"),
        has_result: true,
    };
    let mut poller = azure::<Thing>(&first, &POST, "/things/19/act", lro, fast())
        .await
        .unwrap();
    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);
    let token = poller.resume_token();
    let initial_id =
        server.received_requests().await.unwrap()[0].headers["x-ms-client-request-id"].clone();
    drop(poller);

    // The token is opaque but holds no secret, header or body.
    let decoded = String::from_utf8(
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &token).unwrap(),
    )
    .unwrap();
    assert!(!decoded.contains("s3cr3t"), "{decoded}");
    assert!(
        !decoded.to_ascii_lowercase().contains("authorization"),
        "{decoded}"
    );
    assert!(decoded.contains("/ops/19?api-version=1"), "{decoded}");

    // Another process: a new client (new credential, new cookie jar).
    let second = core_with(&server, options(1.0), Some("another-token"));
    let resumed: ArmPoller<Thing> =
        Poller::from_resume_token(second.clone(), &POST, &token, PollerOptions::default()).unwrap();
    assert_eq!(resumed.status(), PollStatus::InProgress);
    assert_eq!(
        resumed.next_delay(),
        Duration::from_secs(7),
        "the stored delay is honoured"
    );
    let resumed = resumed.interval_override(Some(Duration::ZERO));
    assert_eq!(resumed.await.unwrap().r.as_deref(), Some("location"));
    assert_eq!(count(&server, "GET", "/ops/19").await, 3);
    assert_eq!(count(&server, "GET", "/results/19").await, 1);
    for r in received(&server, "GET", "/ops/19").await.iter().skip(1) {
        assert_eq!(r.headers["x-ms-client-request-id"], initial_id);
        assert_eq!(r.headers["authorization"], "Bearer another-token");
    }

    // A token taken while the final GET is due resumes with just that GET.
    let mut poller = azure::<Thing>(&first, &POST, "/things/19/act", lro, fast())
        .await
        .unwrap();
    poller.poll().await.unwrap(); // Succeeded (the script's last response repeats)
    assert_eq!(poller.status(), PollStatus::Succeeded);
    let token = poller.resume_token();
    let before = total(&server).await;
    let resumed: ArmPoller<Thing> =
        Poller::from_resume_token(second.clone(), &POST, &token, fast()).unwrap();
    assert_eq!(resumed.status(), PollStatus::Succeeded);
    assert_eq!(resumed.await.unwrap().id, "19");
    assert_eq!(total(&server).await, before + 1);

    // Bad tokens.
    for bad in ["", "not base64!", "bm90IGpzb24"] {
        let err =
            ArmPoller::<Thing>::from_resume_token(second.clone(), &POST, bad, fast()).unwrap_err();
        assert!(
            matches!(err, Error::Validation { ref parameter, .. } if parameter == "resume_token"),
            "{bad}: {err:?}"
        );
    }
    let err =
        ArmPoller::<Thing>::from_resume_token(second.clone(), &PUT, &token, fast()).unwrap_err();
    assert!(err.to_string().contains("Things_Act"), "{err}");
}

#[tokio::test]
async fn resume_location_and_body_polling() {
    let server = MockServer::start().await;
    on(
        &server,
        "DELETE",
        "/things/20",
        vec![accepted(&server, "Location", "/poll/20a")],
    )
    .await;
    on(
        &server,
        "GET",
        "/poll/20a",
        vec![accepted(&server, "Location", "/poll/20b")],
    )
    .await;
    on(
        &server,
        "GET",
        "/poll/20b",
        vec![json_response(200, json!({"id": "20"}))],
    )
    .await;
    on(
        &server,
        "PUT",
        "/things/21",
        vec![json_response(
            201,
            json!({"properties": {"provisioningState": "Creating"}}),
        )],
    )
    .await;
    on(
        &server,
        "GET",
        "/things/21",
        vec![json_response(
            200,
            json!({"id": "21", "properties": {"provisioningState": "Succeeded"}}),
        )],
    )
    .await;
    let core = core(&server, 1.0);

    let mut poller = azure::<Thing>(&core, &DELETE, "/things/20", lro(None), fast())
        .await
        .unwrap();
    poller.poll().await.unwrap();
    let token = poller.resume_token();
    let fresh = core_with(&server, options(1.0), Some("t"));
    let resumed: ArmPoller<Thing> =
        Poller::from_resume_token(fresh.clone(), &DELETE, &token, fast()).unwrap();
    assert_eq!(resumed.await.unwrap().id, "20");
    assert_eq!(count(&server, "GET", "/poll/20a").await, 1);
    assert_eq!(
        count(&server, "GET", "/poll/20b").await,
        1,
        "the newest Location was kept"
    );

    let poller = azure::<Thing>(&core, &PUT, "/things/21", lro(None), fast())
        .await
        .unwrap();
    let token = poller.resume_token();
    let resumed: ArmPoller<Thing> = Poller::from_resume_token(fresh, &PUT, &token, fast()).unwrap();
    assert_eq!(resumed.await.unwrap().id, "21");
    assert_eq!(count(&server, "GET", "/things/21").await, 1);
}

// ---------------------------------------------------------------------------------------------
// Untrusted poll hosts (PROTOCOLS.md §8.1)
// ---------------------------------------------------------------------------------------------

/// Adds a static-token header and an `ocp-` header to every request, as a credential-like
/// interceptor would.
#[derive(Debug)]
struct AddSecrets;

impl Interceptor for AddSecrets {
    fn name(&self) -> &'static str {
        "add-secrets"
    }
    fn modify_before_signing(
        &self,
        _: &AttemptContext<'_>,
        request: &mut Request,
    ) -> Result<(), BoxError> {
        request
            .header::<()>("x-sddc-token", "sddc-secret")
            .map_err(|e| e.to_string())?;
        request
            .header::<()>("ocp-date", "Fri, 05 Jan 2024 09:30:00 GMT")
            .map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// The initial POST answers 202 with `header` pointing to `foreign`, which answers `polls`.
async fn foreign_scenario(
    server: &MockServer,
    foreign: &MockServer,
    header: &str,
    polls: Vec<ResponseTemplate>,
) {
    server.reset().await;
    foreign.reset().await;
    on(
        server,
        "POST",
        "/things/22/act",
        vec![ResponseTemplate::new(202)
            .insert_header(header, format!("{}/ops/22", foreign.uri()).as_str())
            .insert_header("Set-Cookie", "session=cookie-secret; Path=/")],
    )
    .await;
    on(foreign, "GET", "/ops/22", polls).await;
}

#[tokio::test]
async fn foreign_poll_hosts_are_refused_before_sending() {
    let server = MockServer::start().await;
    let foreign = MockServer::start().await;
    let opts = options(1.0).interceptor(Arc::new(AddSecrets));
    let core = core_with(&server, opts, Some("s3cr3t-token"));
    for header in ["Azure-AsyncOperation", "Location"] {
        foreign_scenario(&server, &foreign, header, vec![status("Succeeded")]).await;
        let poller = azure::<Value>(&core, &POST, "/things/22/act", lro(None), fast())
            .await
            .unwrap();
        match poller.await.unwrap_err() {
            Error::UntrustedUrl { url, .. } => assert!(url.starts_with(&foreign.uri()), "{url}"),
            other => panic!("{header}: {other:?}"),
        }
        assert_eq!(
            total(&foreign).await,
            0,
            "{header}: nothing reached the foreign host"
        );
    }
}

#[tokio::test]
async fn foreign_poll_hosts_can_be_polled_without_credentials() {
    let server = MockServer::start().await;
    let foreign = MockServer::start().await;
    let opts = options(1.0).interceptor(Arc::new(AddSecrets));
    let core = core_with(&server, opts, Some("s3cr3t-token"));
    let allow = fast().allow_untrusted_poll_hosts_without_credentials(true);

    foreign_scenario(
        &server,
        &foreign,
        "Azure-AsyncOperation",
        vec![status("Succeeded")],
    )
    .await;
    let lro = AzureLro {
        final_state_via: Some("azure-async-operation"),
        has_result: true,
    };
    let result = azure::<Value>(&core, &POST, "/things/22/act", lro, allow.clone())
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(result, json!({"status": "Succeeded"}));
    let initial = &server.received_requests().await.unwrap()[0];
    assert_eq!(initial.headers["authorization"], "Bearer s3cr3t-token");
    assert_eq!(initial.headers["x-sddc-token"], "sddc-secret");
    let polls = foreign.received_requests().await.unwrap();
    assert_eq!(polls.len(), 1);
    for header in ["authorization", "x-sddc-token", "ocp-date", "cookie"] {
        assert!(
            !polls[0].headers.contains_key(header),
            "{header} reached the foreign host"
        );
    }
    assert_eq!(
        polls[0].headers["x-ms-client-request-id"],
        initial.headers["x-ms-client-request-id"]
    );

    // Location polling too; and the trusted host still gets credentials and its cookie.
    let back = accepted(&server, "Location", "/poll/22");
    foreign_scenario(&server, &foreign, "Location", vec![back]).await;
    on(
        &server,
        "GET",
        "/poll/22",
        vec![json_response(200, json!({"id": "22"}))],
    )
    .await;
    let thing = azure::<Thing>(&core, &POST, "/things/22/act", lro, allow)
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(thing.id, "22");
    let foreign_polls = foreign.received_requests().await.unwrap();
    assert_eq!(foreign_polls.len(), 1);
    assert!(!foreign_polls[0].headers.contains_key("authorization"));
    assert!(!foreign_polls[0].headers.contains_key("cookie"));
    let back_home = received(&server, "GET", "/poll/22").await;
    assert_eq!(back_home.len(), 1);
    assert_eq!(back_home[0].headers["authorization"], "Bearer s3cr3t-token");
    assert!(back_home[0].headers["cookie"]
        .to_str()
        .unwrap()
        .contains("session=cookie-secret"));
}

// ---------------------------------------------------------------------------------------------
// Reconcile (NeutonOS, PROTOCOLS.md §5.2)
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, PartialEq)]
struct VmSnap {
    metadata: Value,
    spec: Value,
}

fn vm_snap_lro(deadline: Duration) -> ReconcileLro {
    ReconcileLro {
        state_pointer: "/metadata/state/state",
        succeeded: &["active"],
        failed: &["error"],
        gone: &["deleting"],
        pending_pointer: Some("/metadata/state/diff_fields/reconciling"),
        irreconcilable_pointer: Some("/metadata/state/diff_fields/irreconcilable"),
        initial_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(10),
        multiplier: 1.5,
        deadline,
    }
}

fn vm_snap(
    status: u16,
    state: &str,
    reconciling: &[&str],
    irreconcilable: &[&str],
) -> ResponseTemplate {
    json_response(
        status,
        json!({
            "metadata": {"id": 42, "state": {"state": state,
                "diff_fields": {"reconciling": reconciling, "irreconcilable": irreconcilable}}},
            "spec": {"id": 42, "name": "nightly-42"},
            "status": {"id": 42}
        }),
    )
}

const SNAP: &str = "/sddc/v1/vm-snaps/42";

/// PATCH → `first`; GET answers `then`. Returns the poller (scale 0.001: 1 s → 1 ms).
async fn reconcile_scenario(
    server: &MockServer,
    first: ResponseTemplate,
    then: Vec<ResponseTemplate>,
    lro: ReconcileLro,
    options: PollerOptions,
) -> Result<Poller<VmSnap, Value>, Error<Value>> {
    server.reset().await;
    on(server, "PATCH", SNAP, vec![first]).await;
    if !then.is_empty() {
        on(server, "GET", SNAP, then).await;
    }
    let opts = options_sddc();
    let core = core_with(server, opts, None);
    let mut request = core.request(&PATCH, SNAP, &Query::new());
    request
        .json::<Value, _>(&json!({"spec": {"name": "nightly-42"}}))
        .unwrap();
    let response = core.send::<Value>(request).await.unwrap();
    let resource_url = Url::parse(&format!("{}{SNAP}", server.uri())).unwrap();
    Poller::reconcile(core, &PATCH, resource_url, response, lro, options)
}

fn options_sddc() -> ClientOptions {
    ClientOptions::default()
        .retry(retry(0.001))
        .interceptor(Arc::new(AddSecrets))
}

#[tokio::test]
async fn reconcile_until_active_and_settled() {
    let server = MockServer::start().await;
    let lro = vm_snap_lro(Duration::from_secs(1800));
    let mut poller = reconcile_scenario(
        &server,
        vm_snap(202, "reconciling", &["spec.name"], &[]),
        vec![
            vm_snap(200, "reconciling", &["spec.name"], &[]),
            vm_snap(200, "surprising-new-state", &[], &[]),
            vm_snap(200, "active", &["spec.name"], &[]),
            vm_snap(200, "ACTIVE", &[], &[]),
        ],
        lro.clone(),
        PollerOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(poller.status(), PollStatus::InProgress);
    assert_eq!(poller.raw_status(), Some("reconciling"));
    // 1 s, 1.5 s, 2.25 s … scaled by 0.001.
    assert_eq!(poller.next_delay(), Duration::from_millis(1));
    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);
    assert_eq!(poller.next_delay(), Duration::from_micros(1500));
    assert_eq!(poller.poll().await.unwrap(), PollStatus::InProgress);
    assert_eq!(poller.raw_status(), Some("surprising-new-state"));
    assert_eq!(poller.next_delay(), Duration::from_micros(2250));
    let token = poller.resume_token();
    let snap = poller.await.unwrap();
    assert_eq!(snap.spec["name"], "nightly-42");
    assert_eq!(snap.metadata["state"]["state"], "ACTIVE");
    let gets = received(&server, "GET", SNAP).await;
    assert_eq!(gets.len(), 4);
    for get in &gets {
        assert_eq!(
            get.headers["x-sddc-token"], "sddc-secret",
            "same credentials on every GET"
        );
    }

    // A reconcile token needs the ReconcileLro again.
    let core = core_with(&server, options_sddc(), None);
    let err = Poller::<VmSnap, Value>::from_resume_token(core.clone(), &PATCH, &token, fast())
        .unwrap_err();
    assert!(
        err.to_string().contains("from_resume_token_reconcile"),
        "{err}"
    );
    let resumed: Poller<VmSnap, Value> =
        Poller::from_resume_token_reconcile(core, &PATCH, &token, lro, PollerOptions::default())
            .unwrap();
    assert_eq!(
        resumed.next_delay(),
        Duration::from_micros(2250),
        "the backoff continues"
    );
    assert_eq!(resumed.await.unwrap().metadata["state"]["state"], "ACTIVE");
    assert_eq!(count(&server, "GET", SNAP).await, 5);
}

#[tokio::test]
async fn reconcile_done_in_the_initial_response() {
    let server = MockServer::start().await;
    let poller = reconcile_scenario(
        &server,
        vm_snap(202, "active", &[], &[]),
        vec![],
        vm_snap_lro(Duration::from_secs(60)),
        fast(),
    )
    .await
    .unwrap();
    assert_eq!(poller.status(), PollStatus::Succeeded);
    poller.await.unwrap();
    assert_eq!(total(&server).await, 1);
}

#[tokio::test]
async fn reconcile_irreconcilable_fails_at_once() {
    let server = MockServer::start().await;
    let poller = reconcile_scenario(
        &server,
        vm_snap(202, "reconciling", &["spec.description"], &["spec.name"]),
        vec![vm_snap(200, "active", &[], &[])],
        vm_snap_lro(Duration::from_secs(60)),
        fast(),
    )
    .await
    .unwrap();
    assert_eq!(poller.status(), PollStatus::Failed);
    match poller.await.unwrap_err() {
        Error::Irreconcilable { fields, details } => {
            assert_eq!(fields, vec!["spec.name".to_owned()]);
            assert_eq!(details.status, StatusCode::ACCEPTED);
            assert!(details.raw_body.contains("nightly-42"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(count(&server, "GET", SNAP).await, 0);

    // Reported later, while polling.
    let poller = reconcile_scenario(
        &server,
        vm_snap(202, "reconciling", &["spec.name"], &[]),
        vec![vm_snap(
            200,
            "reconciling",
            &[],
            &["spec.name", "spec.description"],
        )],
        vm_snap_lro(Duration::from_secs(60)),
        fast(),
    )
    .await
    .unwrap();
    let err = poller.await.unwrap_err();
    assert!(
        matches!(&err, Error::Irreconcilable { fields, .. } if fields.len() == 2),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("spec.name, spec.description"),
        "{err}"
    );
    assert_eq!(count(&server, "GET", SNAP).await, 1);
}

#[tokio::test]
async fn reconcile_gone_and_failed() {
    let server = MockServer::start().await;
    let lro = vm_snap_lro(Duration::from_secs(60));
    let poller = reconcile_scenario(
        &server,
        vm_snap(202, "reconciling", &["spec.name"], &[]),
        vec![
            vm_snap(200, "reconciling", &["spec.name"], &[]),
            vm_snap(200, "deleting", &[], &[]),
        ],
        lro.clone(),
        fast(),
    )
    .await
    .unwrap();
    match poller.await.unwrap_err() {
        Error::Gone { state, details } => {
            assert_eq!(state.as_deref(), Some("deleting"));
            assert_eq!(details.status, StatusCode::OK);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(count(&server, "GET", SNAP).await, 2);

    let poller = reconcile_scenario(
        &server,
        vm_snap(202, "reconciling", &["spec.name"], &[]),
        vec![json_response(
            404,
            json!({"message": "vm snap 42 not found", "returnCode": 404}),
        )],
        lro.clone(),
        fast(),
    )
    .await
    .unwrap();
    let err = poller.await.unwrap_err();
    match &err {
        Error::Gone {
            state: None,
            details,
        } => {
            assert_eq!(details.message.as_deref(), Some("vm snap 42 not found"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));

    let poller = reconcile_scenario(
        &server,
        vm_snap(202, "reconciling", &["spec.name"], &[]),
        vec![vm_snap(200, "Error", &[], &[])],
        lro,
        fast(),
    )
    .await
    .unwrap();
    assert!(
        matches!(poller.await.unwrap_err(), Error::OperationFailed { state, .. } if state == "Error")
    );
}

#[tokio::test]
async fn reconcile_deadline() {
    let server = MockServer::start().await;
    let mut lro = vm_snap_lro(Duration::from_millis(200));
    lro.initial_delay = Duration::from_secs(30); // 30 ms at scale 0.001
    lro.multiplier = 1.0;
    lro.max_delay = Duration::from_secs(30);
    let started = Instant::now();
    let poller = reconcile_scenario(
        &server,
        vm_snap(202, "reconciling", &["spec.name"], &[]),
        vec![vm_snap(200, "reconciling", &["spec.name"], &[])],
        lro.clone(),
        PollerOptions::default(),
    )
    .await
    .unwrap();
    match poller.await.unwrap_err() {
        Error::PollTimeout {
            url, last_status, ..
        } => {
            assert!(url.ends_with(SNAP), "{url}");
            assert_eq!(last_status, "reconciling");
        }
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(3));
    let polls = count(&server, "GET", SNAP).await;
    assert!((3..=7).contains(&polls), "{polls}");

    // max_total_wait overrides the ReconcileLro deadline.
    let poller = reconcile_scenario(
        &server,
        vm_snap(202, "reconciling", &["spec.name"], &[]),
        vec![vm_snap(200, "reconciling", &["spec.name"], &[])],
        lro,
        PollerOptions::default().max_total_wait(Some(Duration::ZERO)),
    )
    .await
    .unwrap();
    assert!(matches!(poller.await, Err(Error::PollTimeout { .. })));
    assert_eq!(count(&server, "GET", SNAP).await, 0);
}
