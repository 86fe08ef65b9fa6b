//! The pipeline's tracing output names the operation and attempts but never carries secrets,
//! header values or query strings. A separate test binary, so its subscriber sees only this test.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::Method;
use restsmith_runtime::auth::{ApiKey, Credential};
use restsmith_runtime::{ClientCore, ClientOptions, OperationMeta, Query, RetryOptions};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Records every span and event as `name: field=value …` lines.
#[derive(Default)]
struct Recorder {
    lines: Mutex<Vec<String>>,
    next_id: AtomicU64,
}

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push_str(&format!(" {}={}", field.name(), value));
    }
}

impl Recorder {
    fn push(&self, line: String) {
        if let Ok(mut lines) = self.lines.lock() {
            lines.push(line);
        }
    }
}

/// The subscriber handed to `tracing`, sharing the recorder with the test.
struct Shared(Arc<Recorder>);

impl Subscriber for Shared {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut line = Line(format!("span {}:", attrs.metadata().name()));
        attrs.record(&mut line);
        self.0.push(line.0);
        Id::from_u64(self.0.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = Line("record:".to_owned());
        values.record(&mut line);
        self.0.push(line.0);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = Line(format!("event {}:", event.metadata().target()));
        event.record(&mut line);
        self.0.push(line.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

static OP: OperationMeta = OperationMeta {
    operation_id: "Things_Get",
    method: Method::GET,
    path_template: "/things/{id}",
    retry_safe: false,
};

#[tokio::test]
async fn spans_name_operation_and_attempts_without_secrets() {
    let recorder = Arc::new(Recorder::default());
    let _guard = tracing::subscriber::set_default(Shared(recorder.clone()));

    let server = MockServer::start().await;
    Mock::given(path("/things/secret-path-value"))
        .respond_with(ResponseTemplate::new(503).insert_header("x-ms-request-id", "rid-1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/things/secret-path-value"))
        .respond_with(ResponseTemplate::new(200).insert_header("x-ms-request-id", "rid-2"))
        .with_priority(2)
        .mount(&server)
        .await;

    let credential: Arc<dyn Credential> = Arc::new(ApiKey::query("sig", "query-s3cret"));
    let core = ClientCore::new(
        &server.uri(),
        Some(credential),
        ClientOptions::default()
            .client_request_id_header("x-ms-client-request-id")
            .retry(
                RetryOptions::default()
                    .with_jitter(false)
                    .with_initial_delay(Duration::from_millis(1)),
            ),
        "demo",
        "1.0.0",
    )
    .expect("client");
    let mut query = Query::new();
    query.push("api-version", "query-visible-only-on-wire");
    let mut request = core.request(&OP, "/things/secret-path-value", &query);
    request
        .header::<()>("x-custom", "header-s3cret")
        .expect("valid header");
    let resp = core.send::<()>(request).await.expect("response");
    assert_eq!(resp.attempts, 2);

    let text = recorder
        .lines
        .lock()
        .map(|l| l.join("\n"))
        .unwrap_or_default();
    for wanted in [
        "span operation:",
        "operation_id=Things_Get",
        "method=GET",
        "host=127.0.0.1",
        "path_template=/things/{id}",
        "span attempt:",
        "attempt=1",
        "attempt=2",
        "status=503",
        "status=200",
        "request_id=rid-2",
        "retrying",
    ] {
        assert!(text.contains(wanted), "missing {wanted:?} in:\n{text}");
    }
    for secret in [
        "query-s3cret",
        "header-s3cret",
        "query-visible-only-on-wire",
        "secret-path-value",
    ] {
        assert!(
            !text.contains(secret),
            "{secret:?} leaked into tracing:\n{text}"
        );
    }
}

#[tokio::test]
async fn token_acquisition_is_traced_without_tokens_or_client_secrets() {
    use restsmith_runtime::auth::{ClientSecretCredential, OAuth2Bearer, ARM_SCOPE};

    let recorder = Arc::new(Recorder::default());
    let _guard = tracing::subscriber::set_default(Shared(recorder.clone()));

    let tokens = MockServer::start().await;
    Mock::given(path("/t/oauth2/v2.0/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "invalid_request",
            "error_description": "echo: client_secret=cs-TRACE-s3cret",
        })))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&tokens)
        .await;
    Mock::given(path("/t/oauth2/v2.0/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "token_type": "Bearer",
            "expires_in": 3599,
            "access_token": "at-TRACE-s3cret",
        })))
        .with_priority(2)
        .mount(&tokens)
        .await;
    let api = MockServer::start().await;
    Mock::given(path("/things/1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&api)
        .await;
    Mock::given(path("/things/1"))
        .respond_with(ResponseTemplate::new(200))
        .with_priority(2)
        .mount(&api)
        .await;

    let source =
        ClientSecretCredential::for_entra_id_at(&tokens.uri(), "t", "app-1", "cs-TRACE-s3cret")
            .expect("credential");
    let credential: Arc<dyn Credential> =
        Arc::new(OAuth2Bearer::new(Arc::new(source), [ARM_SCOPE]));
    let core = ClientCore::new(
        &api.uri(),
        Some(credential),
        ClientOptions::default().retry(
            RetryOptions::default()
                .with_jitter(false)
                .with_initial_delay(Duration::from_millis(1)),
        ),
        "demo",
        "1.0.0",
    )
    .expect("client");
    let err = core
        .send::<()>(core.request(&OP, "/things/1", &Query::new()))
        .await
        .expect_err("token endpoint refused");
    assert!(err.to_string().contains("invalid_request"), "{err}");
    let resp = core
        .send::<()>(core.request(&OP, "/things/1", &Query::new()))
        .await
        .expect("response");
    assert_eq!(resp.attempts, 2);

    let text = recorder
        .lines
        .lock()
        .map(|l| l.join("\n"))
        .unwrap_or_default();
    for wanted in [
        "requesting access token",
        "scopes=https://management.azure.com/.default",
        "access token request failed",
        "invalid_request",
        "access token acquired",
        "retrying",
    ] {
        assert!(text.contains(wanted), "missing {wanted:?} in:\n{text}");
    }
    assert!(
        !text.contains("TRACE-s3cret"),
        "a secret leaked into tracing:\n{text}"
    );
}
