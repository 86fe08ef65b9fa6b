//! The request pipeline against real HTTP servers on 127.0.0.1 (wiremock).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use http::{Method, StatusCode};
use restsmith_runtime::auth::{ApiKey, BasicAuth, BearerToken, Credential, CredentialError};
use restsmith_runtime::error::{TimeoutPhase, TransportErrorKind};
use restsmith_runtime::{
    path, AttemptContext, ClientCore, ClientOptions, Error, Interceptor, OperationMeta, Query,
    RawResponse, Request, RetryOptions,
};
use wiremock::matchers::{header, method, path as url_path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

static GET: OperationMeta = OperationMeta {
    operation_id: "Things_Get",
    method: Method::GET,
    path_template: "/things/{id}",
    retry_safe: false,
};
static POST: OperationMeta = OperationMeta {
    operation_id: "Things_Act",
    method: Method::POST,
    path_template: "/things/{id}/act",
    retry_safe: false,
};
static SAFE_POST: OperationMeta = OperationMeta {
    operation_id: "Things_Abort",
    method: Method::POST,
    path_template: "/things/{id}/abort",
    retry_safe: true,
};

/// Retries with millisecond delays and no jitter.
fn fast_retry() -> RetryOptions {
    RetryOptions::default()
        .with_jitter(false)
        .with_initial_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(5))
}

fn client(
    endpoint: &str,
    options: ClientOptions,
    credential: Option<Arc<dyn Credential>>,
) -> ClientCore {
    ClientCore::new(endpoint, credential, options, "demo-client", "1.0.0").expect("valid client")
}

fn fast_client(server: &MockServer) -> ClientCore {
    client(
        &server.uri(),
        ClientOptions::default().retry(fast_retry()),
        None,
    )
}

async fn call(
    core: &ClientCore,
    meta: &'static OperationMeta,
    path: &str,
) -> Result<RawResponse, Error> {
    core.send(core.request(meta, path, &Query::new())).await
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// Mounts `first` for the first `n` requests to `p`, then `then`.
async fn mount_sequence(
    server: &MockServer,
    p: &str,
    first: ResponseTemplate,
    n: u64,
    then: ResponseTemplate,
) {
    Mock::given(url_path(p))
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(url_path(p))
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

#[tokio::test]
async fn retries_503_then_returns_200() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        "/things/1",
        ResponseTemplate::new(503),
        1,
        ResponseTemplate::new(200),
    )
    .await;
    let resp = call(&fast_client(&server), &GET, "/things/1")
        .await
        .expect("response");
    assert_eq!(resp.status, StatusCode::OK);
    assert_eq!(resp.attempts, 2);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn gives_up_after_max_retries_and_returns_last_response() {
    let server = MockServer::start().await;
    Mock::given(url_path("/things/1"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let core = client(
        &server.uri(),
        ClientOptions::default().retry(fast_retry().with_max_retries(2)),
        None,
    );
    let resp = call(&core, &GET, "/things/1").await.expect("response");
    assert_eq!(resp.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(resp.attempts, 3);
    assert_eq!(request_count(&server).await, 3);
}

/// A 429 carrying `header: value`, then 200; returns how long the call took.
async fn throttled_call(header_name: &str, value: String) -> Duration {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        "/things/1",
        ResponseTemplate::new(429).insert_header(header_name, value.as_str()),
        1,
        ResponseTemplate::new(200),
    )
    .await;
    // 1/10 scale: a 2 s hint waits 200 ms.
    let core = client(
        &server.uri(),
        ClientOptions::default().retry(fast_retry().with_delay_scale(0.1)),
        None,
    );
    let started = Instant::now();
    let resp = call(&core, &POST, "/things/1").await.expect("response");
    let elapsed = started.elapsed();
    assert_eq!(resp.status, StatusCode::OK, "{header_name}");
    assert_eq!(request_count(&server).await, 2, "{header_name}");
    elapsed
}

#[tokio::test]
async fn honours_retry_after_seconds_date_and_ms_scaled() {
    let seconds = throttled_call("retry-after", "2".into()).await;
    assert!(
        seconds >= Duration::from_millis(190),
        "Retry-After seconds: {seconds:?}"
    );

    let date = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(4));
    let dated = throttled_call("retry-after", date).await;
    assert!(
        dated >= Duration::from_millis(150),
        "Retry-After date: {dated:?}"
    );

    let ms = throttled_call("retry-after-ms", "2000".into()).await;
    assert!(ms >= Duration::from_millis(190), "retry-after-ms: {ms:?}");

    let x_ms = throttled_call("x-ms-retry-after-ms", "2000".into()).await;
    assert!(
        x_ms >= Duration::from_millis(190),
        "x-ms-retry-after-ms: {x_ms:?}"
    );

    for d in [seconds, dated, ms, x_ms] {
        assert!(d < Duration::from_secs(20), "{d:?}");
    }
}

#[tokio::test]
async fn does_not_retry_400() {
    let server = MockServer::start().await;
    Mock::given(url_path("/things/1"))
        .respond_with(ResponseTemplate::new(400))
        .mount(&server)
        .await;
    let resp = call(&fast_client(&server), &GET, "/things/1")
        .await
        .expect("response");
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    assert_eq!(resp.attempts, 1);
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn post_is_retried_after_500_only_when_retry_safe() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        "/things/1/act",
        ResponseTemplate::new(500),
        1,
        ResponseTemplate::new(200),
    )
    .await;
    let resp = call(&fast_client(&server), &POST, "/things/1/act")
        .await
        .expect("response");
    assert_eq!(resp.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(request_count(&server).await, 1);

    let server = MockServer::start().await;
    mount_sequence(
        &server,
        "/things/1/abort",
        ResponseTemplate::new(500),
        1,
        ResponseTemplate::new(202),
    )
    .await;
    let resp = call(&fast_client(&server), &SAFE_POST, "/things/1/abort")
        .await
        .expect("response");
    assert_eq!(resp.status, StatusCode::ACCEPTED);
    assert_eq!(resp.attempts, 2);
    assert_eq!(request_count(&server).await, 2);
}

/// A loopback address nothing listens on.
fn refused_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let core = client(
        &refused_endpoint(),
        ClientOptions::default().retry(fast_retry().with_max_retries(2)),
        Some(Arc::new(ApiKey::query("key", "query-secret"))),
    );
    // POST: a connect failure sent nothing, so even a non-retry-safe POST is retried.
    let err = call(&core, &POST, "/things/1/act")
        .await
        .expect_err("refused");
    match &err {
        Error::Transport {
            kind,
            response_started,
            attempts,
            ..
        } => {
            assert_eq!(*kind, TransportErrorKind::Connect);
            assert!(!response_started);
            assert_eq!(*attempts, 3);
        }
        other => panic!("unexpected {other:?}"),
    }
    let shown = format!("{err} / {err:?}");
    assert!(!shown.contains("query-secret"), "{shown}");
}

#[tokio::test]
async fn api_errors_decode_json_and_keep_html() {
    let server = MockServer::start().await;
    Mock::given(url_path("/json"))
        .respond_with(
            ResponseTemplate::new(409)
                .insert_header("x-ms-request-id", "rid-409")
                .set_body_raw(
                    r#"{"error":{"code":"OperationNotFound","message":"nothing to abort"}}"#,
                    "application/json",
                ),
        )
        .mount(&server)
        .await;
    Mock::given(url_path("/html"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-ms-error-code", "ResourceNotFound")
                .set_body_raw("<html><body>Not here</body></html>", "text/html"),
        )
        .mount(&server)
        .await;
    Mock::given(url_path("/empty"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    let core = fast_client(&server);

    let err: Error = call(&core, &GET, "/json")
        .await
        .expect("response")
        .into_error();
    assert_eq!(
        err.to_string(),
        "HTTP 409 Conflict: OperationNotFound: nothing to abort (request id rid-409)"
    );
    let api = err.api().expect("api error");
    assert_eq!(
        api.body.as_ref().and_then(|b| b["error"]["code"].as_str()),
        Some("OperationNotFound")
    );

    let err: Error = call(&core, &GET, "/html")
        .await
        .expect("response")
        .into_error();
    let api = err.api().expect("api error");
    assert!(api.body.is_none());
    assert_eq!(api.raw_body, "<html><body>Not here</body></html>");
    assert_eq!(api.code.as_deref(), Some("ResourceNotFound"));

    let err: Error = call(&core, &GET, "/empty")
        .await
        .expect("response")
        .into_error();
    assert_eq!(err.status(), Some(StatusCode::FORBIDDEN));
    assert_eq!(err.api().map(|a| a.raw_body.as_str()), Some(""));
}

#[tokio::test]
async fn decode_error_keeps_raw_body() {
    let server = MockServer::start().await;
    Mock::given(url_path("/things/1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "b-1")
                .set_body_string("{\"id\": oops"),
        )
        .mount(&server)
        .await;
    let resp = call(&fast_client(&server), &GET, "/things/1")
        .await
        .expect("response");
    match resp.json::<serde_json::Value, serde_json::Value>() {
        Err(Error::Decode(d)) => {
            assert_eq!(d.raw_body, "{\"id\": oops");
            assert_eq!(d.request_id.as_deref(), Some("b-1"));
            assert_eq!(d.status, StatusCode::OK);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn user_agent_and_client_request_id_are_stable_across_retries() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        "/things/1",
        ResponseTemplate::new(503),
        2,
        ResponseTemplate::new(200),
    )
    .await;
    let core = client(
        &server.uri(),
        ClientOptions::default()
            .retry(fast_retry())
            .client_request_id_header("x-ms-client-request-id")
            .user_agent_suffix("myapp/2"),
        None,
    );
    let resp = call(&core, &GET, "/things/1").await.expect("response");
    assert_eq!(resp.attempts, 3);
    let sent = server.received_requests().await.expect("recording on");
    assert_eq!(sent.len(), 3);
    let ids: Vec<String> = sent
        .iter()
        .map(|r| {
            r.headers["x-ms-client-request-id"]
                .to_str()
                .expect("ascii")
                .to_owned()
        })
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert!(uuid::Uuid::parse_str(&ids[0]).is_ok_and(|u| u.get_version_num() == 4));
    assert_eq!(resp.client_request_id.as_deref(), Some(ids[0].as_str()));
    let ua = format!(
        "demo-client/1.0.0 restsmith-runtime/{} myapp/2",
        env!("CARGO_PKG_VERSION")
    );
    assert!(sent.iter().all(|r| r.headers["user-agent"] == ua.as_str()));

    // A second call gets a new id; an id supplied by the caller is kept.
    call(&core, &GET, "/things/1").await.expect("response");
    let mut request = core.request(&GET, "/things/1", &Query::new());
    request
        .header::<()>("x-ms-client-request-id", "caller-id-1")
        .expect("valid");
    let resp = core.send::<()>(request).await.expect("response");
    assert_eq!(resp.client_request_id.as_deref(), Some("caller-id-1"));
    let sent = server.received_requests().await.expect("recording on");
    let last_two: Vec<&str> = sent[sent.len() - 2..]
        .iter()
        .map(|r| r.headers["x-ms-client-request-id"].to_str().expect("ascii"))
        .collect();
    assert_ne!(last_two[0], ids[0]);
    assert_eq!(last_two[1], "caller-id-1");
}

#[tokio::test]
async fn client_request_id_is_recorded_in_errors() {
    let server = MockServer::start().await;
    Mock::given(url_path("/x"))
        .respond_with(ResponseTemplate::new(400))
        .mount(&server)
        .await;
    let core = client(
        &server.uri(),
        ClientOptions::default().client_request_id_header("client-request-id"),
        None,
    );
    let err: Error = call(&core, &GET, "/x")
        .await
        .expect("response")
        .into_error();
    let sent = server.received_requests().await.expect("recording on");
    assert_eq!(
        err.client_request_id(),
        sent[0].headers["client-request-id"].to_str().ok()
    );

    let core = client(
        &refused_endpoint(),
        ClientOptions::default()
            .retry(RetryOptions::none())
            .client_request_id_header("client-request-id"),
        None,
    );
    let err = call(&core, &GET, "/x").await.expect_err("refused");
    assert!(err
        .client_request_id()
        .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok()));
}

#[tokio::test]
async fn credentials_are_applied() {
    let server = MockServer::start().await;
    Mock::given(url_path("/bearer"))
        .and(header("authorization", "Bearer tok-123"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(url_path("/header"))
        .and(header("x-sddc-token", "sddc-secret"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(url_path("/query"))
        .and(query_param("api-version", "1"))
        .and(query_param("code", "a b/c"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(url_path("/cookie"))
        .and(header("cookie", "sid=abc123"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(url_path("/basic"))
        .and(header("authorization", "Basic dXNlcjpwQHNz"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(10)
        .mount(&server)
        .await;

    let cases: [(&str, Arc<dyn Credential>); 5] = [
        ("/basic", Arc::new(BasicAuth::new("user", "p@ss"))),
        ("/bearer", Arc::new(BearerToken::new("tok-123"))),
        (
            "/header",
            Arc::new(ApiKey::header("x-sddc-token", "sddc-secret")),
        ),
        ("/query", Arc::new(ApiKey::query("code", "a b/c"))),
        ("/cookie", Arc::new(ApiKey::cookie("sid", "abc123"))),
    ];
    for (p, credential) in cases {
        let core = client(
            &server.uri(),
            ClientOptions::default().retry(fast_retry()),
            Some(credential),
        );
        let mut q = Query::new();
        q.push("api-version", "1");
        let resp = core
            .send::<()>(core.request(&GET, p, &q))
            .await
            .expect("response");
        assert_eq!(resp.status, StatusCode::OK, "{p}");
    }
    let sent = server.received_requests().await.expect("recording on");
    assert!(sent
        .iter()
        .any(|r| r.url.query() == Some("api-version=1&code=a%20b%2Fc")));
}

#[tokio::test]
async fn credential_headers_are_sensitive_and_debug_redacts() {
    let url = url::Url::parse("https://h.example/x").expect("url");
    for credential in [
        Arc::new(BearerToken::new("s3cr3t-bearer")) as Arc<dyn Credential>,
        Arc::new(ApiKey::header("x-sddc-token", "s3cr3t-key")),
        Arc::new(ApiKey::cookie("sid", "s3cr3t-cookie")),
        Arc::new(BasicAuth::new("user", "s3cr3t-password")),
    ] {
        let mut request = Request::new(&GET, url.clone());
        credential
            .authorize(&mut request)
            .await
            .expect("authorized");
        let (name, value) = request.headers.iter().next().expect("one header");
        assert!(value.is_sensitive(), "{name}");
        let shown = format!("{credential:?} {request:?} {:?}", request.headers);
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }
    let shown = format!("{:?}", ApiKey::query("code", "s3cr3t-query"));
    assert!(
        !shown.contains("s3cr3t") && shown.contains("code"),
        "{shown}"
    );
    let core = client(
        "https://h.example",
        ClientOptions::default(),
        Some(Arc::new(BearerToken::new("s3cr3t-core"))),
    );
    let shown = format!("{core:?}");
    assert!(
        !shown.contains("s3cr3t") && shown.contains("BearerToken"),
        "{shown}"
    );

    let mut request = Request::new(&GET, url);
    let err = BearerToken::new("bad\r\ntoken")
        .authorize(&mut request)
        .await
        .expect_err("rejected");
    assert!(!err.to_string().contains("token\r"), "{err}");
}

#[tokio::test]
async fn get_url_refuses_foreign_hosts_without_sending() {
    let home = MockServer::start().await;
    let foreign = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&home)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&foreign)
        .await;
    let core = client(
        &home.uri(),
        ClientOptions::default(),
        Some(Arc::new(BearerToken::new("tok"))),
    );

    let poll = url::Url::parse(&format!(
        "{}/operations/1?api-version=2&sig=secret",
        foreign.uri()
    ))
    .expect("url");
    match core.get_url::<()>(&POST, poll.clone()).await {
        Err(Error::UntrustedUrl { url, .. }) => assert!(!url.contains("secret"), "{url}"),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(request_count(&foreign).await, 0);

    // The endpoint's own origin is trusted, and the request is a GET even for a POST operation.
    let own = url::Url::parse(&format!("{}/operations/1?api-version=2", home.uri())).expect("url");
    let resp = core.get_url::<()>(&POST, own).await.expect("response");
    assert_eq!(resp.status, StatusCode::OK);
    let sent = home.received_requests().await.expect("recording on");
    assert_eq!(sent[0].method.as_str(), "GET");
    assert_eq!(sent[0].headers["authorization"], "Bearer tok");

    // An allow-listed host is trusted.
    let foreign_host = format!("127.0.0.1:{}", foreign.address().port());
    let core = client(
        &home.uri(),
        ClientOptions::default().trusted_host(foreign_host),
        None,
    );
    core.get_url::<()>(&POST, poll).await.expect("allowed");
    assert_eq!(request_count(&foreign).await, 1);
}

#[tokio::test]
async fn request_timeout_produces_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let core = client(
        &server.uri(),
        ClientOptions::default()
            .retry(RetryOptions::none())
            .request_timeout(Duration::from_millis(200)),
        None,
    );
    let started = Instant::now();
    let err = call(&core, &GET, "/slow").await.expect_err("timeout");
    assert!(started.elapsed() < Duration::from_secs(4));
    match err {
        Error::Timeout {
            phase,
            after,
            attempts,
            ..
        } => {
            assert_eq!(phase, TimeoutPhase::Response);
            assert_eq!(after, Duration::from_millis(200));
            assert_eq!(attempts, 1);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn timed_out_get_is_retried() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        "/slow",
        ResponseTemplate::new(200).set_delay(Duration::from_secs(5)),
        1,
        ResponseTemplate::new(204),
    )
    .await;
    let core = client(
        &server.uri(),
        ClientOptions::default()
            .retry(fast_retry())
            .request_timeout(Duration::from_millis(300)),
        None,
    );
    let resp = call(&core, &GET, "/slow")
        .await
        .expect("second attempt answers");
    assert_eq!(resp.status, StatusCode::NO_CONTENT);
    assert_eq!(resp.attempts, 2);
}

#[tokio::test]
async fn oversized_bodies_fail() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(4096)))
        .mount(&server)
        .await;
    let core = client(
        &server.uri(),
        ClientOptions::default().max_response_body(1024),
        None,
    );
    match call(&core, &GET, "/big").await {
        Err(Error::BodyTooLarge { status, limit }) => {
            assert_eq!((status, limit), (StatusCode::OK, 1024));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn redirects_are_not_followed_and_cookies_are_kept() {
    let server = MockServer::start().await;
    Mock::given(url_path("/start"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", "/elsewhere")
                .insert_header("set-cookie", "lro=step1; Path=/"),
        )
        .mount(&server)
        .await;
    Mock::given(url_path("/poll"))
        .and(header("cookie", "lro=step1"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let core = fast_client(&server);
    let resp = call(&core, &GET, "/start").await.expect("response");
    assert_eq!(resp.status, StatusCode::FOUND);
    assert_eq!(resp.header_str("location"), Some("/elsewhere"));
    let resp = call(&core, &GET, "/poll").await.expect("response");
    assert_eq!(resp.status, StatusCode::OK);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn invalid_requests_are_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let core = fast_client(&server);

    let traversal = format!("/things/{}", path::segment(".."));
    match call(&core, &GET, &traversal).await {
        Err(Error::Validation { parameter, .. }) => assert_eq!(parameter, "path"),
        other => panic!("unexpected {other:?}"),
    }

    let mut request = core.request(&GET, "/things/1", &Query::new());
    let err = request
        .header::<()>("x-ms-custom", "v\r\nx-evil: 1")
        .expect_err("injection refused");
    assert!(matches!(err, Error::Validation { ref parameter, .. } if parameter == "x-ms-custom"));
    request.content_type("text/plain\n");
    assert!(matches!(
        core.send::<()>(request).await,
        Err(Error::Validation { .. })
    ));

    match path::arm_scope::<()>("resourceUri", "subscriptions/s/../../x") {
        Err(Error::Validation { parameter, .. }) => assert_eq!(parameter, "resourceUri"),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(request_count(&server).await, 0);
}

/// Records how often it ran and stamps each attempt, like a time-bound signer.
#[derive(Debug, Default)]
struct CountingSigner {
    calls: AtomicU32,
}

impl Credential for CountingSigner {
    fn authorize<'a>(
        &'a self,
        request: &'a mut Request,
    ) -> BoxFuture<'a, Result<(), CredentialError>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            request
                .header::<()>("x-signature", &format!("sig-{n}"))
                .map_err(|_| CredentialError::new("cannot sign"))
        })
    }
}

#[derive(Debug, Default)]
struct Tagger {
    before: AtomicU32,
    after: AtomicU32,
}

impl Interceptor for Tagger {
    fn name(&self) -> &'static str {
        "tagger"
    }

    fn modify_before_signing(
        &self,
        ctx: &AttemptContext<'_>,
        request: &mut Request,
    ) -> Result<(), restsmith_runtime::error::BoxError> {
        self.before.fetch_add(1, Ordering::SeqCst);
        request
            .header::<()>("x-attempt", &ctx.attempt.to_string())
            .map_err(|e| e.to_string().into())
    }

    fn read_after_attempt(
        &self,
        _ctx: &AttemptContext<'_>,
        _outcome: &restsmith_runtime::retry::AttemptOutcome<'_>,
    ) {
        self.after.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn credential_and_interceptors_run_on_every_attempt() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        "/things/1",
        ResponseTemplate::new(502),
        1,
        ResponseTemplate::new(200),
    )
    .await;
    let signer = Arc::new(CountingSigner::default());
    let tagger = Arc::new(Tagger::default());
    let core = client(
        &server.uri(),
        ClientOptions::default()
            .retry(fast_retry())
            .interceptor(tagger.clone()),
        Some(signer.clone()),
    );
    call(&core, &GET, "/things/1").await.expect("response");
    let sent = server.received_requests().await.expect("recording on");
    let stamps: Vec<(&str, &str)> = sent
        .iter()
        .map(|r| {
            (
                r.headers["x-attempt"].to_str().expect("ascii"),
                r.headers["x-signature"].to_str().expect("ascii"),
            )
        })
        .collect();
    assert_eq!(stamps, [("1", "sig-1"), ("2", "sig-2")]);
    assert_eq!(tagger.before.load(Ordering::SeqCst), 2);
    assert_eq!(tagger.after.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn json_body_and_base_path_reach_the_server() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(url_path("/sddc/v1/vm-snaps/a%20b"))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(202).set_body_raw(r#"{"ok":true}"#, "application/json"))
        .mount(&server)
        .await;
    static PATCH: OperationMeta = OperationMeta {
        operation_id: "VmSnaps_Update",
        method: Method::PATCH,
        path_template: "/vm-snaps/{id}",
        retry_safe: true,
    };
    let core = client(
        &format!("{}/sddc/v1", server.uri()),
        ClientOptions::default(),
        None,
    );
    let mut request = core.request(
        &PATCH,
        &format!("/vm-snaps/{}", path::segment("a b")),
        &Query::new(),
    );
    request
        .json::<(), _>(&serde_json::json!({"spec": {"name": "n"}}))
        .expect("serializable");
    let resp = core.send::<()>(request).await.expect("response");
    assert_eq!(resp.status, StatusCode::ACCEPTED);
    let body: serde_json::Value = resp.json::<_, ()>().expect("json");
    assert_eq!(body["ok"], true);
    let sent = server.received_requests().await.expect("recording on");
    assert_eq!(sent[0].body, br#"{"spec":{"name":"n"}}"#);
}

#[test]
fn pipeline_types_are_thread_safe() {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn std_error<T: std::error::Error + Send + Sync + 'static>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<ClientCore>();
    send_sync::<RawResponse>();
    send_sync::<Request>();
    std_error::<Error>();
    std_error::<Error<String>>();
    let core = client("https://h.example", ClientOptions::default(), None);
    let pending = core.send::<()>(core.request(&GET, "/things/1", &Query::new()));
    send(&pending);
    let polling = core.get_url::<()>(&GET, url::Url::parse("https://h.example/op").expect("url"));
    send(&polling);
}

/// A two-chunk stream of `b"0123456789"`.
fn ten_byte_stream() -> futures::stream::Iter<std::vec::IntoIter<Result<&'static [u8], std::io::Error>>> {
    futures::stream::iter(vec![Ok(&b"01234"[..]), Ok(&b"56789"[..])])
}

#[tokio::test]
async fn signers_and_streamed_bodies() {
    use restsmith_runtime::auth::{SharedKeySigner, VolcengineSigner};
    use restsmith_runtime::Binary;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let shared_key: Arc<dyn Credential> = Arc::new(
        SharedKeySigner::new("acct", "c2VjcmV0LWtleS1ieXRlcw==").expect("valid key"),
    );
    let core = client(&server.uri(), ClientOptions::default(), Some(shared_key));
    let send = |body: Binary| {
        let mut request = core.request(&POST, "/things/1/act", &Query::new());
        request
            .header::<()>("ocp-date", "Tue, 01 Dec 2026 12:00:00 GMT")
            .expect("header");
        request.content_type("application/octet-stream");
        request.set_body(body);
        core.send::<()>(request)
    };
    // Batch Shared Key signs Content-Length: a stream of known length signs exactly like the
    // same bytes in memory.
    send(Binary::from(&b"0123456789"[..])).await.expect("bytes");
    send(Binary::from_stream_with_length(ten_byte_stream(), 10))
        .await
        .expect("stream with length");
    let sent = server.received_requests().await.expect("recording on");
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].body, b"0123456789");
    assert_eq!(sent[1].headers["content-length"], "10");
    assert_eq!(sent[0].headers["authorization"], sent[1].headers["authorization"]);
    // Without a length it cannot sign, and nothing is sent.
    let err = send(Binary::from_stream(ten_byte_stream()))
        .await
        .expect_err("unknown length");
    assert!(matches!(err, Error::Credential(_)), "{err:?}");
    assert!(err.to_string().contains("known length"), "{err}");

    // Volcengine V4 hashes the payload: a stream is refused before sending.
    let volc: Arc<dyn Credential> = Arc::new(VolcengineSigner::new("AK", "SK", "ecs", "cn-beijing"));
    let core = client(&server.uri(), ClientOptions::default(), Some(volc));
    let mut request = core.request(&POST, "/things/1/act", &Query::new());
    request.set_body(Binary::from_stream_with_length(ten_byte_stream(), 10));
    let err = core.send::<()>(request).await.expect_err("refused");
    assert!(matches!(err, Error::Credential(_)), "{err:?}");
    assert!(err.to_string().contains("streamed body"), "{err}");
    let mut request = core.request(&POST, "/things/1/act", &Query::new());
    request.set_body(Binary::from(&b"0123456789"[..]));
    core.send::<()>(request).await.expect("bytes are signed");
    assert_eq!(server.received_requests().await.expect("recording on").len(), 3);
}

/// How a generated operation decodes: the status, then the body.
fn decode_id(response: RawResponse) -> Result<i64, Error> {
    if response.status != StatusCode::OK {
        return Err(response.into_error());
    }
    let body: serde_json::Value = serde_json::from_slice(&response.body)
        .map_err(|e| Error::protocol(e.to_string(), None))?;
    Ok(body["id"].as_i64().unwrap_or_default())
}

#[tokio::test]
async fn call_sends_then_decodes_and_a_failed_request_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(url_path("/things/7"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":7}"#))
        .mount(&server)
        .await;
    let core = fast_client(&server);
    let request = |path: &str| Ok(core.request(&GET, path, &Query::new()));

    let doubled = restsmith_runtime::Call::new(&core, request("/things/7"), decode_id)
        .map(|id| id * 2)
        .await
        .expect("decoded");
    assert_eq!(doubled, 14);
    // Other statuses are the decoder's to judge: here an API error.
    let missing = restsmith_runtime::Call::new(&core, request("/things/8"), decode_id).await;
    assert_eq!(missing.expect_err("404").status(), Some(StatusCode::NOT_FOUND));
    // A request that could not be prepared resolves to its error without sending.
    let failed = restsmith_runtime::Call::<i64, serde_json::Value>::failed(Error::validation(
        "id",
        "must be positive",
    ))
    .await;
    assert!(matches!(failed, Err(Error::Validation { .. })), "{failed:?}");
    assert_eq!(request_count(&server).await, 2);

    // Pipeline failures keep their variant and details through the untyped pipeline.
    let refused = client(
        &refused_endpoint(),
        ClientOptions::default().retry(fast_retry().with_max_retries(1)),
        None,
    );
    let err = restsmith_runtime::Call::new(
        &refused,
        Ok(refused.request(&GET, "/things/7", &Query::new())),
        decode_id,
    )
    .await
    .expect_err("refused");
    assert!(
        matches!(err, Error::Transport { kind: TransportErrorKind::Connect, attempts: 2, .. }),
        "{err:?}"
    );
}
