//! Fault injection over real HTTP on 127.0.0.1: throttling with every `Retry-After` form,
//! connections closed mid-response, stalls past the per-request timeout, malformed bodies,
//! and credential leaks through redirects or header injection.
//!
//! wiremock covers well-formed responses; faults below the HTTP layer (half a body, a
//! connection closed before any byte, garbage) come from a scripted raw `TcpListener`.
//! Each test asserts the exact attempt count, that waits were honoured (generous bounds at a
//! small delay scale), and the typed error with status and raw body.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use http::{Method, StatusCode};
use restsmith_runtime::auth::{ApiKey, BearerToken, Credential};
use restsmith_runtime::error::{TimeoutPhase, TransportErrorKind, MAX_RAW_BODY};
use restsmith_runtime::{
    ClientCore, ClientOptions, Error, OperationMeta, Query, RawResponse, RetryOptions,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path};
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

/// Millisecond backoff, no jitter.
fn fast_retry() -> RetryOptions {
    RetryOptions::default()
        .with_jitter(false)
        .with_initial_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(5))
}

fn client(endpoint: &str, options: ClientOptions) -> ClientCore {
    ClientCore::new(endpoint, None, options, "faults", "1.0.0").expect("valid client")
}

async fn call(core: &ClientCore, meta: &'static OperationMeta) -> Result<RawResponse, Error> {
    let mut request = core.request(meta, "/things/1", &Query::new());
    if meta.method == Method::POST {
        request
            .json::<(), _>(&serde_json::json!({"go": true}))
            .expect("serializable");
    }
    core.send(request).await
}

async fn count(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// Mounts `first` for the first `n` requests, then `then`.
async fn sequence(server: &MockServer, first: ResponseTemplate, n: u64, then: ResponseTemplate) {
    Mock::given(path("/things/1"))
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path("/things/1"))
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

// ---------------------------------------------------------------------------------------
// Throttling and Retry-After
// ---------------------------------------------------------------------------------------

/// Hints of 2 s in every form; at delay scale 0.1 each means a 200 ms wait.
fn two_second_hints() -> Vec<(&'static str, String)> {
    vec![
        ("retry-after", "2".to_owned()),
        // HTTP-dates have 1 s resolution: now + 3 s is 2–3 s away.
        (
            "retry-after",
            httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3)),
        ),
        ("retry-after-ms", "2000".to_owned()),
        ("x-ms-retry-after-ms", "2000".to_owned()),
    ]
}

#[tokio::test]
async fn get_503_honours_every_retry_after_form() {
    for (name, value) in two_second_hints() {
        let server = MockServer::start().await;
        sequence(
            &server,
            ResponseTemplate::new(503).insert_header(name, value.as_str()),
            1,
            ResponseTemplate::new(200).set_body_string("{}"),
        )
        .await;
        let core = client(
            &server.uri(),
            ClientOptions::default().retry(fast_retry().with_delay_scale(0.1)),
        );
        let started = Instant::now();
        let resp = call(&core, &GET).await.expect("response");
        let waited = started.elapsed();
        assert_eq!(resp.status, StatusCode::OK, "{name}: {value}");
        assert_eq!(resp.attempts, 2, "{name}");
        assert_eq!(count(&server).await, 2, "{name}");
        assert!(
            waited >= Duration::from_millis(150),
            "{name}: {value}: {waited:?}"
        );
        assert!(
            waited < Duration::from_secs(5),
            "{name}: {value}: {waited:?}"
        );
    }
}

#[tokio::test]
async fn post_503_is_not_retried_even_with_retry_after() {
    let server = MockServer::start().await;
    sequence(
        &server,
        ResponseTemplate::new(503)
            .insert_header("retry-after", "1")
            .set_body_raw(
                r#"{"error":{"code":"ServerBusy","message":"try later"}}"#,
                "application/json",
            ),
        1,
        ResponseTemplate::new(200),
    )
    .await;
    let core = client(&server.uri(), ClientOptions::default().retry(fast_retry()));
    let started = Instant::now();
    let resp = call(&core, &POST).await.expect("response");
    assert!(started.elapsed() < Duration::from_millis(900));
    assert_eq!(
        (resp.status, resp.attempts),
        (StatusCode::SERVICE_UNAVAILABLE, 1)
    );
    assert_eq!(count(&server).await, 1);
    let err: Error = resp.into_error();
    let api = err.api().expect("api error");
    assert_eq!(api.code.as_deref(), Some("ServerBusy"));
    assert_eq!(
        api.raw_body,
        r#"{"error":{"code":"ServerBusy","message":"try later"}}"#
    );
}

#[tokio::test]
async fn throttling_that_outlasts_the_retry_budget_returns_the_last_response() {
    let body = r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#;
    for (status, name, value) in [
        (429, "retry-after-ms", "60"),
        (503, "x-ms-retry-after-ms", "60"),
        (429, "retry-after", "0"),
    ] {
        let server = MockServer::start().await;
        Mock::given(path("/things/1"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header(name, value)
                    .insert_header("x-ms-request-id", "rid-throttle")
                    .set_body_raw(body, "application/json"),
            )
            .mount(&server)
            .await;
        let core = client(
            &server.uri(),
            ClientOptions::default().retry(fast_retry().with_max_retries(2)),
        );
        let started = Instant::now();
        let resp = call(&core, &GET).await.expect("response");
        let waited = started.elapsed();
        assert_eq!(resp.attempts, 3, "{name}");
        assert_eq!(count(&server).await, 3, "{name}");
        if value == "60" {
            assert!(waited >= Duration::from_millis(115), "{name}: {waited:?}");
        }
        assert!(waited < Duration::from_secs(5), "{name}: {waited:?}");
        let err: Error = resp.into_error();
        let api = err.api().expect("api error");
        assert_eq!(api.status.as_u16(), status);
        assert_eq!(api.attempts, 3);
        assert_eq!(api.raw_body, body);
        assert_eq!(api.code.as_deref(), Some("TooManyRequests"));
        assert_eq!(api.request_id.as_deref(), Some("rid-throttle"));
    }
}

#[tokio::test]
async fn a_hint_beyond_the_total_budget_is_not_waited_for() {
    for (name, value) in [
        ("retry-after", "120".to_owned()),
        (
            "retry-after",
            httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(600)),
        ),
        ("retry-after-ms", "120000".to_owned()),
    ] {
        let server = MockServer::start().await;
        sequence(
            &server,
            ResponseTemplate::new(429).insert_header(name, value.as_str()),
            1,
            ResponseTemplate::new(200),
        )
        .await;
        // Unscaled delays with the default 60 s budget: a 2-minute hint ends the call now.
        let core = client(
            &server.uri(),
            ClientOptions::default().retry(RetryOptions::default().with_jitter(false)),
        );
        let started = Instant::now();
        let resp = call(&core, &POST).await.expect("response");
        assert!(started.elapsed() < Duration::from_secs(2), "{name}");
        assert_eq!(
            (resp.status, resp.attempts),
            (StatusCode::TOO_MANY_REQUESTS, 1)
        );
        assert_eq!(count(&server).await, 1);
    }
}

// ---------------------------------------------------------------------------------------
// A scripted raw HTTP server for faults below the HTTP layer
// ---------------------------------------------------------------------------------------

/// What the raw server does on one connection, after reading the whole request.
#[derive(Debug, Clone)]
enum Script {
    /// Status line and headers announcing 100 body bytes, 15 of them, then close.
    HalfBody,
    /// Close without sending a byte.
    Close,
    /// Send nothing for this long (longer than the client's timeout), then close.
    Stall(Duration),
    /// Send headers and part of the body, then nothing for this long.
    StallBody(Duration),
    /// Send these bytes verbatim, then close.
    Raw(&'static str),
    /// A complete `200` with this JSON body (`Connection: close`).
    Ok(&'static str),
}

const PARTIAL_BODY: &str = r#"{"id":"abc","na"#;

struct RawServer {
    uri: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl RawServer {
    /// Connection `n` (0-based) follows `scripts[n]`, or the last script once they run out.
    async fn start(scripts: Vec<Script>) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let uri = format!("http://{}", listener.local_addr().expect("addr"));
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (c, r) = (connections.clone(), requests.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let n = c.fetch_add(1, Ordering::SeqCst);
                let script = scripts[n.min(scripts.len() - 1)].clone();
                tokio::spawn(serve(stream, script, r.clone()));
            }
        });
        RawServer {
            uri,
            connections,
            requests,
            task,
        }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Request lines received, e.g. `POST /things/1 HTTP/1.1`.
    fn request_lines(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request (head and `Content-Length` body); returns its request line.
async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if data.len() > 64 * 1024 {
            return None;
        }
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    head.lines().next().map(str::to_owned)
}

async fn serve(mut stream: TcpStream, script: Script, requests: Arc<Mutex<Vec<String>>>) {
    let Some(line) = read_request(&mut stream).await else {
        return;
    };
    if let Ok(mut r) = requests.lock() {
        r.push(line);
    }
    let half = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{PARTIAL_BODY}"
    );
    // Write errors are ignored: the client may already have given up.
    match script {
        Script::HalfBody => {
            let _ = stream.write_all(half.as_bytes()).await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Script::Close => {}
        Script::Stall(pause) => tokio::time::sleep(pause).await,
        Script::StallBody(pause) => {
            let _ = stream.write_all(half.as_bytes()).await;
            let _ = stream.flush().await;
            tokio::time::sleep(pause).await;
        }
        Script::Raw(bytes) => {
            let _ = stream.write_all(bytes.as_bytes()).await;
            let _ = stream.flush().await;
        }
        Script::Ok(body) => {
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.flush().await;
        }
    }
    let _ = stream.shutdown().await;
}

fn raw_client(server: &RawServer, retry: RetryOptions, timeout: Duration) -> ClientCore {
    client(
        &server.uri,
        ClientOptions::default()
            .retry(retry)
            .request_timeout(timeout),
    )
}

fn assert_transport(err: &Error, want_kind: TransportErrorKind, want_attempts: u32) {
    match err {
        Error::Transport {
            kind,
            response_started,
            attempts,
            ..
        } => {
            assert_eq!(*kind, want_kind, "{err}");
            assert_eq!(*response_started, want_kind.response_started(), "{err}");
            assert_eq!(*attempts, want_attempts, "{err}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Connections closed mid-response
// ---------------------------------------------------------------------------------------

const FULL: &str = r#"{"id":"abc","name":"thing"}"#;

#[tokio::test]
async fn get_is_retried_after_the_connection_closes_mid_body() {
    let server = RawServer::start(vec![Script::HalfBody, Script::Ok(FULL)]).await;
    let core = raw_client(&server, fast_retry(), Duration::from_secs(5));
    let resp = call(&core, &GET).await.expect("second attempt answers");
    assert_eq!((resp.status, resp.attempts), (StatusCode::OK, 2));
    assert_eq!(&resp.body[..], FULL.as_bytes());
    assert_eq!(server.connections(), 2);
    assert_eq!(server.request_lines(), ["GET /things/1 HTTP/1.1"; 2]);
}

#[tokio::test]
async fn get_reports_body_interrupted_when_every_attempt_is_cut() {
    let server = RawServer::start(vec![Script::HalfBody]).await;
    let core = raw_client(
        &server,
        fast_retry().with_max_retries(2),
        Duration::from_secs(5),
    );
    let err = call(&core, &GET).await.expect_err("always cut");
    assert_transport(&err, TransportErrorKind::BodyInterrupted, 3);
    assert_eq!(server.connections(), 3);
    // The partial body is never passed on as if it were a response.
    assert!(!format!("{err} {err:?}").contains(PARTIAL_BODY));
}

#[tokio::test]
async fn post_is_not_retried_after_the_connection_closes_mid_body() {
    let server = RawServer::start(vec![Script::HalfBody, Script::Ok(FULL)]).await;
    let core = raw_client(&server, fast_retry(), Duration::from_secs(5));
    let err = call(&core, &POST).await.expect_err("not replayed");
    assert_transport(&err, TransportErrorKind::BodyInterrupted, 1);
    assert_eq!(server.connections(), 1);
    assert_eq!(server.request_lines(), ["POST /things/1 HTTP/1.1"]);

    // …unless the operation is marked retry-safe.
    let server = RawServer::start(vec![Script::HalfBody, Script::Ok(FULL)]).await;
    let core = raw_client(&server, fast_retry(), Duration::from_secs(5));
    let resp = call(&core, &SAFE_POST).await.expect("replayed");
    assert_eq!((resp.status, resp.attempts), (StatusCode::OK, 2));
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn connection_closed_before_any_response_byte() {
    // POST: the request may have been processed, so it is not replayed.
    let server = RawServer::start(vec![Script::Close, Script::Ok(FULL)]).await;
    let core = raw_client(&server, fast_retry(), Duration::from_secs(5));
    let err = call(&core, &POST).await.expect_err("not replayed");
    assert_transport(&err, TransportErrorKind::NoResponse, 1);
    assert_eq!(server.connections(), 1);

    // GET: replayed.
    let server = RawServer::start(vec![Script::Close, Script::Close, Script::Ok(FULL)]).await;
    let core = raw_client(&server, fast_retry(), Duration::from_secs(5));
    let resp = call(&core, &GET).await.expect("third attempt answers");
    assert_eq!((resp.status, resp.attempts), (StatusCode::OK, 3));
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn garbage_instead_of_http_is_a_transport_error() {
    for garbage in [
        "SSH-2.0-OpenSSH_9.6\r\n",
        "HTTP/1.1 999999 Nope\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: banana\r\n\r\n{}",
        "\0\0\0\0\0\0\0\0",
    ] {
        let server = RawServer::start(vec![Script::Raw(garbage)]).await;
        let core = raw_client(&server, RetryOptions::none(), Duration::from_secs(5));
        let err = call(&core, &GET).await.expect_err(garbage);
        assert_transport(&err, TransportErrorKind::NoResponse, 1);
    }
}

// ---------------------------------------------------------------------------------------
// Stalls past the per-request timeout
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn post_that_stalls_before_the_response_times_out_once() {
    let server = RawServer::start(vec![
        Script::Stall(Duration::from_secs(10)),
        Script::Ok(FULL),
    ])
    .await;
    let timeout = Duration::from_millis(300);
    let core = raw_client(&server, fast_retry(), timeout);
    let started = Instant::now();
    let err = call(&core, &POST).await.expect_err("timeout");
    let waited = started.elapsed();
    assert!(
        waited >= timeout && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    match err {
        Error::Timeout {
            phase,
            after,
            attempts,
            ..
        } => assert_eq!(
            (phase, after, attempts),
            (TimeoutPhase::Response, timeout, 1)
        ),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn body_stall_times_out_and_only_get_is_retried() {
    let timeout = Duration::from_millis(300);
    let stall = Script::StallBody(Duration::from_secs(10));

    let server = RawServer::start(vec![stall.clone(), Script::Ok(FULL)]).await;
    let core = raw_client(&server, fast_retry(), timeout);
    let started = Instant::now();
    let resp = call(&core, &GET).await.expect("second attempt answers");
    assert!(started.elapsed() >= timeout);
    assert_eq!((resp.status, resp.attempts), (StatusCode::OK, 2));
    assert_eq!(server.connections(), 2);

    let server = RawServer::start(vec![stall, Script::Ok(FULL)]).await;
    let core = raw_client(&server, fast_retry(), timeout);
    let started = Instant::now();
    let err = call(&core, &POST).await.expect_err("timeout");
    let waited = started.elapsed();
    assert!(
        waited >= timeout && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    match err {
        Error::Timeout {
            phase, attempts, ..
        } => assert_eq!((phase, attempts), (TimeoutPhase::Body, 1)),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn every_attempt_stalling_stops_at_the_retry_budget() {
    let server = RawServer::start(vec![Script::Stall(Duration::from_secs(10))]).await;
    let core = raw_client(
        &server,
        fast_retry().with_max_retries(2),
        Duration::from_millis(200),
    );
    let started = Instant::now();
    let err = call(&core, &GET).await.expect_err("timeout");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(600) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
    assert!(
        matches!(
            err,
            Error::Timeout {
                attempts: 3,
                phase: TimeoutPhase::Response,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.connections(), 3);
}

// ---------------------------------------------------------------------------------------
// Malformed bodies
// ---------------------------------------------------------------------------------------

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Thing {
    id: String,
    name: String,
}

#[tokio::test]
async fn truncated_and_empty_success_bodies_are_decode_errors() {
    let truncated = r#"{"id":"abc","name":"thi"#;
    for (p, body, content_type) in [
        ("/truncated", truncated, "application/json"),
        ("/empty", "", "application/json"),
        ("/blank", "  \r\n", "application/json"),
        (
            "/html",
            "<html><body>maintenance</body></html>",
            "text/html",
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("x-ms-request-id", "rid-200")
                    .set_body_raw(body, content_type),
            )
            .mount(&server)
            .await;
        let core = client(&server.uri(), ClientOptions::default().retry(fast_retry()));
        let resp = call(&core, &GET).await.expect("complete response");
        assert_eq!((resp.status, resp.attempts), (StatusCode::OK, 1), "{p}");
        match resp.json::<Thing, serde_json::Value>() {
            Err(Error::Decode(d)) => {
                assert_eq!(d.status, StatusCode::OK, "{p}");
                assert_eq!(d.raw_body, body, "{p}");
                assert_eq!(d.request_id.as_deref(), Some("rid-200"), "{p}");
                assert!(d.message.starts_with("invalid JSON"), "{p}: {}", d.message);
                assert!(d.source.is_some(), "{p}");
                if p != "/html" {
                    assert!(d.message.contains("EOF"), "{p}: {}", d.message);
                }
            }
            other => panic!("{p}: unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn html_error_pages_are_api_errors_with_the_raw_body() {
    // A gateway's error page for a GET: retried, then surfaced with the page kept (capped).
    let page = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "<p>upstream unavailable</p>".repeat(400)
    );
    assert!(page.len() > MAX_RAW_BODY);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page.as_str(), "text/html"))
        .mount(&server)
        .await;
    let core = client(
        &server.uri(),
        ClientOptions::default().retry(fast_retry().with_max_retries(1)),
    );
    let resp = call(&core, &GET).await.expect("response");
    assert_eq!(resp.attempts, 2);
    assert_eq!(count(&server).await, 2);
    let err: Error = resp.into_error();
    let api = err.api().expect("api error");
    assert_eq!(api.status, StatusCode::BAD_GATEWAY);
    assert!(api.body.is_none() && api.code.is_none() && api.message.is_none());
    assert_eq!(api.raw_body.len(), MAX_RAW_BODY);
    assert!(page.starts_with(&api.raw_body));
    assert_eq!(err.to_string(), "HTTP 502 Bad Gateway");
}

#[tokio::test]
async fn empty_error_bodies_are_api_errors() {
    for (status, headers) in [
        (
            500,
            vec![
                ("content-type", "application/json"),
                ("x-ms-request-id", "rid-500"),
            ],
        ),
        (
            401,
            vec![("www-authenticate", "Bearer error=\"invalid_token\"")],
        ),
        (404, vec![("x-ms-error-code", "ResourceNotFound")]),
    ] {
        let server = MockServer::start().await;
        let mut template = ResponseTemplate::new(status);
        for (k, v) in &headers {
            template = template.insert_header(*k, *v);
        }
        Mock::given(method("POST"))
            .respond_with(template)
            .mount(&server)
            .await;
        let core = client(&server.uri(), ClientOptions::default().retry(fast_retry()));
        let resp = call(&core, &POST).await.expect("response");
        assert_eq!(resp.attempts, 1, "{status}");
        assert!(resp.body.is_empty());
        let err: Error = resp.into_error();
        let api = err.api().expect("api error");
        assert_eq!(api.status.as_u16(), status);
        assert!(api.body.is_none() && api.raw_body.is_empty() && api.message.is_none());
        match status {
            500 => {
                assert_eq!(api.request_id.as_deref(), Some("rid-500"));
                assert_eq!(
                    err.to_string(),
                    "HTTP 500 Internal Server Error (request id rid-500)"
                );
            }
            404 => assert_eq!(api.code.as_deref(), Some("ResourceNotFound")),
            _ => assert_eq!(err.to_string(), "HTTP 401 Unauthorized"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Credentials stay with the configured origin
// ---------------------------------------------------------------------------------------

/// A server that redirects every request to `target` with `status`.
async fn redirector(status: u16, target: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(status).insert_header("location", target))
        .mount(&server)
        .await;
    server
}

async fn foreign_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn redirects_to_other_origins_are_not_followed() {
    let foreign = foreign_server().await;
    for status in [301, 302, 303, 307, 308] {
        let home = redirector(status, &format!("{}/stolen", foreign.uri())).await;
        for credential in [
            Arc::new(BearerToken::new("bearer-s3cret")) as Arc<dyn Credential>,
            Arc::new(ApiKey::header("x-sddc-token", "sddc-s3cret")),
        ] {
            let core = ClientCore::new(
                &home.uri(),
                Some(credential),
                ClientOptions::default().retry(fast_retry()),
                "faults",
                "1.0.0",
            )
            .expect("client");
            let resp = call(&core, &GET).await.expect("response");
            assert_eq!(resp.status.as_u16(), status);
            assert_eq!(resp.attempts, 1);
        }
        assert_eq!(count(&home).await, 2);
    }
    assert_eq!(
        count(&foreign).await,
        0,
        "nothing reached the foreign origin"
    );
}

/// Documents the risk noted on `ClientOptions::http_client`: a caller-supplied client that
/// follows redirects sends the request to another origin. reqwest strips `Authorization` and
/// `Cookie` on such a hop, but not custom credential headers like `x-sddc-token`.
#[tokio::test]
async fn a_custom_client_that_follows_redirects_leaks_custom_credential_headers() {
    let foreign = foreign_server().await;
    let home = redirector(307, &format!("{}/stolen", foreign.uri())).await;
    let follower = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .expect("client");
    for credential in [
        Arc::new(BearerToken::new("bearer-s3cret")) as Arc<dyn Credential>,
        Arc::new(ApiKey::header("x-sddc-token", "sddc-s3cret")),
    ] {
        let core = ClientCore::new(
            &home.uri(),
            Some(credential),
            ClientOptions::default().http_client(follower.clone()),
            "faults",
            "1.0.0",
        )
        .expect("client");
        assert_eq!(
            call(&core, &GET).await.expect("followed").status,
            StatusCode::OK
        );
    }
    let hops = foreign.received_requests().await.expect("recording on");
    assert_eq!(hops.len(), 2);
    assert!(
        hops[0].headers.get("authorization").is_none(),
        "reqwest strips Authorization"
    );
    assert_eq!(
        hops[1].headers.get("x-sddc-token").map(|v| v.as_bytes()),
        Some(&b"sddc-s3cret"[..]),
        "custom headers are forwarded: hence the warning on ClientOptions::http_client"
    );
}

#[tokio::test]
async fn header_values_with_cr_or_lf_never_reach_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let injected = "v\r\nx-evil: 1";
    let credentials: [Arc<dyn Credential>; 4] = [
        Arc::new(ApiKey::header("x-api-key", injected)),
        Arc::new(ApiKey::cookie("sid", injected)),
        Arc::new(BearerToken::new(injected)),
        Arc::new(restsmith_runtime::auth::BasicAuth::new("us\ner", "pw")),
    ];
    for credential in credentials {
        let shown = format!("{credential:?}");
        let core = ClientCore::new(
            &server.uri(),
            Some(credential),
            ClientOptions::default(),
            "faults",
            "1.0.0",
        )
        .expect("client");
        match call(&core, &GET).await {
            Err(Error::Credential(e)) => assert!(!e.message().contains("evil"), "{e}"),
            other => panic!("{shown}: unexpected {other:?}"),
        }
    }

    // Caller data in headers is rejected by name; the request is never sent.
    let core = client(&server.uri(), ClientOptions::default());
    let mut request = core.request(&GET, "/things/1", &Query::new());
    for bad in ["a\rb", "a\nb", "a\r\n b", "nul\0"] {
        assert!(matches!(
            request.header::<()>("x-ms-tag", bad),
            Err(Error::Validation { ref parameter, .. }) if parameter == "x-ms-tag"
        ));
    }
    assert!(request.headers.get("x-ms-tag").is_none());
    // Client options too: a CR/LF User-Agent suffix is a configuration error.
    assert!(matches!(
        ClientCore::new(
            &server.uri(),
            None,
            ClientOptions::default().user_agent_suffix("app\r\nx-evil: 1"),
            "faults",
            "1.0.0"
        ),
        Err(Error::Config { .. })
    ));
    assert_eq!(count(&server).await, 0);
}
