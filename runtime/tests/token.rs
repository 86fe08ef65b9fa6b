//! OAuth2 bearer authentication end to end: a loopback token server (wiremock) issues tokens
//! through `ClientSecretCredential`, and `OAuth2Bearer` attaches them to requests a
//! `ClientCore` sends to a second wiremock server.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use futures::future::{join_all, BoxFuture};
use http::{Method, StatusCode};
use restsmith_runtime::auth::{
    AccessToken, ClientSecretCredential, Credential, CredentialError, OAuth2Bearer,
    StaticTokenCredential, TokenCredential, TokenRequestError, ARM_SCOPE, BATCH_SCOPE,
    ENTRA_AUTHORITY,
};
use restsmith_runtime::{
    ClientCore, ClientOptions, Error, OperationMeta, Query, Request, RetryOptions,
};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

static GET: OperationMeta = OperationMeta {
    operation_id: "Things_Get",
    method: Method::GET,
    path_template: "/things/{id}",
    retry_safe: false,
};

const TENANT: &str = "tenant-1";
const CLIENT_ID: &str = "app-1";
/// Contains form-special characters, so the encoded form differs from the raw one.
const SECRET: &str = "cl1ent-S3CRET=&+x";
const TOKEN_PATH: &str = "/tenant-1/oauth2/v2.0/token";

fn token_body(token: &str, expires_in: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "token_type": "Bearer",
        "expires_in": expires_in,
        "ext_expires_in": 3599,
        "access_token": token,
    })
}

fn token_response(token: &str, expires_in: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(token_body(token, expires_in))
}

/// The form body `ClientSecretCredential` must send for `scope`.
fn expected_form(scope: &str) -> String {
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={}&scope={}",
        encode(SECRET),
        encode(scope)
    )
}

fn fast_retry() -> RetryOptions {
    RetryOptions::default()
        .with_jitter(false)
        .with_initial_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(5))
}

/// A credential against `token_server` as if it were the Entra ID authority.
fn entra(token_server: &MockServer) -> ClientSecretCredential {
    ClientSecretCredential::for_entra_id_at(&token_server.uri(), TENANT, CLIENT_ID, SECRET)
        .expect("valid credential")
        .retry(fast_retry())
}

fn core(api: &MockServer, credential: Arc<dyn Credential>) -> ClientCore {
    ClientCore::new(
        &api.uri(),
        Some(credential),
        ClientOptions::default().retry(fast_retry()),
        "demo",
        "1.0.0",
    )
    .expect("client")
}

async fn call(core: &ClientCore) -> Result<StatusCode, Error> {
    core.send(core.request(&GET, "/things/1", &Query::new()))
        .await
        .map(|r| r.status)
}

async fn count(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// Bearer tokens the API server saw, in order.
async fn bearer_tokens(api: &MockServer) -> Vec<String> {
    api.received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| {
            r.headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

async fn api_server() -> MockServer {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&api)
        .await;
    api
}

#[tokio::test]
async fn token_is_fetched_once_and_reused() {
    let tokens = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(header("accept", "application/json"))
        .and(body_string(expected_form(ARM_SCOPE)))
        .respond_with(token_response("tok-1", serde_json::json!(3599)))
        .mount(&tokens)
        .await;
    let api = api_server().await;
    let bearer = Arc::new(OAuth2Bearer::new(Arc::new(entra(&tokens)), [ARM_SCOPE]));
    let core = core(&api, bearer.clone());
    for _ in 0..3 {
        assert_eq!(call(&core).await.expect("response"), StatusCode::OK);
    }
    assert_eq!(count(&tokens).await, 1);
    assert_eq!(bearer_tokens(&api).await, ["Bearer tok-1"; 3]);
    let token = bearer.access_token().await.expect("cached");
    let lifetime = token.expires_on - Utc::now();
    assert!(
        lifetime > TimeDelta::seconds(3500) && lifetime <= TimeDelta::seconds(3599),
        "{lifetime:?}"
    );
    assert_eq!(count(&tokens).await, 1);
}

#[tokio::test]
async fn token_is_refreshed_after_expiry() {
    let tokens = MockServer::start().await;
    // `expires_in` as a string (seen in the wild) for the first token, a number for the second.
    Mock::given(path(TOKEN_PATH))
        .respond_with(token_response("tok-1", serde_json::json!("1")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&tokens)
        .await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(token_response("tok-2", serde_json::json!(3599)))
        .with_priority(2)
        .mount(&tokens)
        .await;
    let api = api_server().await;
    let core = core(
        &api,
        Arc::new(OAuth2Bearer::new(Arc::new(entra(&tokens)), [ARM_SCOPE])),
    );
    call(&core).await.expect("response");
    call(&core).await.expect("response");
    // A 1 s token is refreshed after half its life; after 1.1 s it has expired anyway.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    call(&core).await.expect("response");
    call(&core).await.expect("response");
    assert_eq!(count(&tokens).await, 2);
    assert_eq!(
        bearer_tokens(&api).await,
        [
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-2",
            "Bearer tok-2"
        ]
    );
}

/// Issues `tok-<n>` valid for `lifetime`, after `delay`, counting calls and the scopes seen.
#[derive(Debug)]
struct CountingSource {
    calls: AtomicU32,
    lifetime: Duration,
    delay: Duration,
    fail: bool,
    scopes: std::sync::Mutex<Vec<Vec<String>>>,
}

impl CountingSource {
    fn new(lifetime: Duration, delay: Duration) -> Self {
        CountingSource {
            calls: AtomicU32::new(0),
            lifetime,
            delay,
            fail: false,
            scopes: std::sync::Mutex::new(Vec::new()),
        }
    }

    fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }
}

impl TokenCredential for CountingSource {
    fn get_token<'a>(
        &'a self,
        scopes: &'a [String],
    ) -> BoxFuture<'a, Result<AccessToken, CredentialError>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            if let Ok(mut seen) = self.scopes.lock() {
                seen.push(scopes.to_vec());
            }
            tokio::time::sleep(self.delay).await;
            if self.fail {
                return Err(CredentialError::new(format!("token source down ({n})")));
            }
            let lifetime = TimeDelta::from_std(self.lifetime).expect("small");
            Ok(AccessToken::new(format!("tok-{n}"), Utc::now() + lifetime))
        })
    }
}

async fn bearer_of(credential: &OAuth2Bearer) -> Result<String, CredentialError> {
    let mut request = Request::new(&GET, url::Url::parse("https://api.example/x").expect("url"));
    credential.authorize(&mut request).await?;
    let value = request.headers.get("authorization").expect("set");
    assert!(value.is_sensitive());
    Ok(value.to_str().expect("ascii").to_owned())
}

#[tokio::test]
async fn refresh_margin_is_configurable() {
    let source = Arc::new(CountingSource::new(Duration::from_secs(2), Duration::ZERO));
    // Refresh 500 ms before expiry, i.e. 1.5 s after issue.
    let bearer =
        OAuth2Bearer::new(source.clone(), [ARM_SCOPE]).refresh_before(Duration::from_millis(500));
    let started = Instant::now();
    assert_eq!(bearer_of(&bearer).await.expect("token"), "Bearer tok-1");
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(bearer_of(&bearer).await.expect("token"), "Bearer tok-1");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "machine too slow"
    );
    tokio::time::sleep(Duration::from_millis(1700).saturating_sub(started.elapsed())).await;
    assert_eq!(bearer_of(&bearer).await.expect("token"), "Bearer tok-2");
    assert_eq!(source.calls(), 2);

    // With the default 5-minute margin a 2 s token is refreshed after half its life.
    let source = Arc::new(CountingSource::new(Duration::from_secs(2), Duration::ZERO));
    let bearer = OAuth2Bearer::new(source.clone(), [ARM_SCOPE]);
    bearer_of(&bearer).await.expect("token");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(bearer_of(&bearer).await.expect("token"), "Bearer tok-2");

    // `invalidate` forces a new token.
    bearer.invalidate();
    assert_eq!(bearer_of(&bearer).await.expect("token"), "Bearer tok-3");
    assert_eq!(source.calls(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_share_one_token_request() {
    let tokens = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(
            token_response("tok-1", serde_json::json!(3599)).set_delay(Duration::from_millis(300)),
        )
        .mount(&tokens)
        .await;
    let api = api_server().await;
    let bearer = Arc::new(OAuth2Bearer::new(Arc::new(entra(&tokens)), [ARM_SCOPE]));
    let core = core(&api, bearer);
    let calls = (0..40).map(|_| {
        let core = core.clone();
        tokio::spawn(async move { call(&core).await })
    });
    for result in join_all(calls).await {
        assert_eq!(result.expect("no panic").expect("response"), StatusCode::OK);
    }
    assert_eq!(count(&tokens).await, 1);
    let seen = bearer_tokens(&api).await;
    assert_eq!(seen.len(), 40);
    assert!(seen.iter().all(|t| t == "Bearer tok-1"), "{seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn expired_token_is_refreshed_once_under_concurrency() {
    let source = Arc::new(CountingSource::new(
        Duration::from_millis(300),
        Duration::from_millis(200),
    ));
    let bearer = Arc::new(OAuth2Bearer::new(source.clone(), [BATCH_SCOPE]));
    bearer_of(&bearer).await.expect("token");
    tokio::time::sleep(Duration::from_millis(400)).await; // tok-1 expired
    let waves = (0..30).map(|_| {
        let bearer = bearer.clone();
        tokio::spawn(async move { bearer_of(&bearer).await })
    });
    for result in join_all(waves).await {
        assert_eq!(result.expect("no panic").expect("token"), "Bearer tok-2");
    }
    assert_eq!(source.calls(), 2);
    let scopes = source.scopes.lock().map(|s| s.clone()).unwrap_or_default();
    assert!(scopes.iter().all(|s| s == &[BATCH_SCOPE.to_owned()]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn early_refresh_does_not_block_other_requests() {
    // 2 s tokens, refreshed after 1 s; the refresh itself takes 600 ms.
    let source = Arc::new(CountingSource::new(
        Duration::from_secs(2),
        Duration::from_millis(600),
    ));
    let bearer = Arc::new(OAuth2Bearer::new(source.clone(), [ARM_SCOPE]));
    assert_eq!(bearer_of(&bearer).await.expect("token"), "Bearer tok-1");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let refresher = {
        let bearer = bearer.clone();
        tokio::spawn(async move { bearer_of(&bearer).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    assert_eq!(bearer_of(&bearer).await.expect("token"), "Bearer tok-1");
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        refresher.await.expect("no panic").expect("token"),
        "Bearer tok-2"
    );
    assert_eq!(bearer_of(&bearer).await.expect("token"), "Bearer tok-2");
    assert_eq!(source.calls(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn token_endpoint_errors_are_mapped_and_shared() {
    let tokens = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({
                    "error": "invalid_client",
                    "error_description": format!(
                        "AADSTS7000215: Invalid client secret provided: {SECRET}\r\nTrace ID: t-1"
                    ),
                    "error_codes": [7000215],
                    "trace_id": "t-1",
                }))
                .set_delay(Duration::from_millis(200)),
        )
        .mount(&tokens)
        .await;
    let api = api_server().await;
    let core = core(
        &api,
        Arc::new(OAuth2Bearer::new(Arc::new(entra(&tokens)), [ARM_SCOPE])),
    );
    let calls = (0..10).map(|_| {
        let core = core.clone();
        tokio::spawn(async move { call(&core).await })
    });
    let results = join_all(calls).await;
    // One token request for all ten waiting calls; a 401 is not retried.
    assert_eq!(count(&tokens).await, 1);
    assert_eq!(count(&api).await, 0);
    for result in results {
        let err = result.expect("no panic").expect_err("unauthorized");
        let Error::Credential(cred) = &err else {
            panic!("unexpected {err:?}");
        };
        let text = format!("{err} | {err:?} | {}", cred.message());
        assert!(text.contains("invalid_client"), "{text}");
        assert!(text.contains("AADSTS7000215"), "{text}");
        assert!(text.contains("HTTP 401"), "{text}");
        assert!(text.contains(TOKEN_PATH), "{text}");
        assert!(!text.contains("S3CRET"), "{text}");
        assert!(!text.contains('\n'), "{text}");
    }

    // The caller that made the request gets the typed details as the source.
    let err = call(&core).await.expect_err("unauthorized");
    assert_eq!(count(&tokens).await, 2, "a new call asks again");
    let detail = std::error::Error::source(&err)
        .and_then(std::error::Error::source)
        .and_then(|e| e.downcast_ref::<TokenRequestError>())
        .expect("typed source");
    assert_eq!(detail.status, StatusCode::UNAUTHORIZED);
    assert_eq!(detail.error.as_deref(), Some("invalid_client"));
    assert!(detail
        .error_description
        .as_deref()
        .is_some_and(|d| d.starts_with("AADSTS7000215") && d.contains("<redacted>")));
}

#[tokio::test]
async fn malformed_token_responses_are_errors() {
    let cases: [(&str, ResponseTemplate, &str); 6] = [
        (
            "/html",
            ResponseTemplate::new(400).set_body_raw("<html>Bad Request</html>", "text/html"),
            "HTTP 400 Bad Request: <html>Bad Request</html>",
        ),
        (
            "/not-json",
            ResponseTemplate::new(200).set_body_string("access_token=tok-leak"),
            "not a JSON token object",
        ),
        (
            "/no-token",
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"expires_in": 5})),
            "has no access_token",
        ),
        (
            "/mac",
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"access_token": "tok-leak", "token_type": "mac"}),
            ),
            "unsupported token_type `mac`",
        ),
        (
            "/bad-expiry",
            ResponseTemplate::new(200).set_body_json(token_body("tok-leak", "soon".into())),
            "invalid expires_in",
        ),
        (
            "/invalid-scope",
            ResponseTemplate::new(400).set_body_json(serde_json::json!({
                "error": "invalid_scope",
                "error_description": "AADSTS70011: The provided value for scope is not valid."
            })),
            "HTTP 400 Bad Request: invalid_scope: AADSTS70011",
        ),
    ];
    let tokens = MockServer::start().await;
    for (p, response, _) in &cases {
        Mock::given(path(*p))
            .respond_with(response.clone())
            .mount(&tokens)
            .await;
    }
    for (p, _, wanted) in cases {
        let credential =
            ClientSecretCredential::new(&format!("{}{p}", tokens.uri()), CLIENT_ID, SECRET)
                .expect("valid")
                .retry(fast_retry());
        let err = credential
            .get_token(&[ARM_SCOPE.to_owned()])
            .await
            .expect_err(p);
        let text = format!("{err} {err:?}");
        assert!(text.contains(wanted), "{p}: {text}");
        assert!(
            !text.contains("tok-leak") && !text.contains("S3CRET"),
            "{p}: {text}"
        );
    }
    assert_eq!(count(&tokens).await, 6, "client errors are not retried");
}

#[tokio::test]
async fn transient_token_endpoint_failures_are_retried() {
    let tokens = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after-ms", "100"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&tokens)
        .await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&tokens)
        .await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(token_response("tok-1", serde_json::json!(3599)))
        .with_priority(3)
        .mount(&tokens)
        .await;
    let started = Instant::now();
    let token = entra(&tokens)
        .get_token(&[ARM_SCOPE.to_owned()])
        .await
        .expect("third attempt");
    assert!(
        started.elapsed() >= Duration::from_millis(95),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(token.token.expose(), "tok-1");
    assert_eq!(count(&tokens).await, 3);

    // Budget exhausted: the last error is reported.
    let down = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(serde_json::json!({"error": "temporarily_unavailable"})),
        )
        .mount(&down)
        .await;
    let err = entra(&down)
        .retry(fast_retry().with_max_retries(2))
        .get_token(&[ARM_SCOPE.to_owned()])
        .await
        .expect_err("down");
    assert!(err.message().contains("temporarily_unavailable"), "{err}");
    assert_eq!(count(&down).await, 3);
}

#[tokio::test]
async fn unreachable_and_slow_token_endpoints_fail_cleanly() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let credential =
        ClientSecretCredential::new(&format!("http://127.0.0.1:{port}/token"), CLIENT_ID, SECRET)
            .expect("valid")
            .retry(fast_retry().with_max_retries(1));
    let err = credential
        .get_token(&[ARM_SCOPE.to_owned()])
        .await
        .expect_err("refused");
    let text = format!("{err} {err:?}");
    assert!(text.contains("token request to http://127.0.0.1"), "{text}");
    assert!(!text.contains("S3CRET"), "{text}");

    let tokens = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(
            token_response("tok-1", serde_json::json!(3599)).set_delay(Duration::from_secs(5)),
        )
        .mount(&tokens)
        .await;
    let started = Instant::now();
    let err = entra(&tokens)
        .timeout(Duration::from_millis(200))
        .retry(fast_retry().with_max_retries(1))
        .get_token(&[ARM_SCOPE.to_owned()])
        .await
        .expect_err("timeout");
    assert!(err.message().contains("timed out"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(count(&tokens).await, 2);
}

#[tokio::test]
async fn client_secret_basic_sends_credentials_in_header() {
    let tokens = MockServer::start().await;
    // RFC 6749 §2.3.1: id and secret are form-urlencoded, then base64-encoded.
    let encoded_secret: String = url::form_urlencoded::byte_serialize(SECRET.as_bytes()).collect();
    let basic = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{CLIENT_ID}:{encoded_secret}"),
    );
    Mock::given(path("/oauth/token"))
        .and(header("authorization", format!("Basic {basic}").as_str()))
        .and(body_string(
            "grant_type=client_credentials&scope=api%3A%2F%2Fdemo%2F.default",
        ))
        .respond_with(token_response("tok-basic", serde_json::json!(60)))
        .mount(&tokens)
        .await;
    let credential =
        ClientSecretCredential::new(&format!("{}/oauth/token", tokens.uri()), CLIENT_ID, SECRET)
            .expect("valid")
            .client_secret_basic(true);
    let token = credential
        .get_token(&["api://demo/.default".to_owned()])
        .await
        .expect("token");
    assert_eq!(token.token.expose(), "tok-basic");
}

#[tokio::test]
async fn scopes_are_a_constructor_argument() {
    assert_eq!(ARM_SCOPE, "https://management.azure.com/.default");
    assert_eq!(BATCH_SCOPE, "https://batch.core.windows.net/.default");
    let sovereign = "https://management.usgovcloudapi.net/.default";
    let tokens = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .and(body_string(expected_form(sovereign)))
        .respond_with(token_response("tok-gov", serde_json::json!(3599)))
        .mount(&tokens)
        .await;
    let bearer = OAuth2Bearer::new(Arc::new(entra(&tokens)), [sovereign]);
    assert_eq!(bearer.scopes(), [sovereign]);
    assert_eq!(bearer_of(&bearer).await.expect("token"), "Bearer tok-gov");

    // Scopes are validated before anything is sent.
    let err = entra(&tokens)
        .get_token(&["two words".to_owned()])
        .await
        .expect_err("invalid scope");
    assert!(err.message().contains("invalid OAuth2 scope"), "{err}");
    assert_eq!(count(&tokens).await, 1);
}

#[test]
fn token_endpoint_must_be_https_except_loopback() {
    let entra = ClientSecretCredential::for_entra_id("contoso.onmicrosoft.com", CLIENT_ID, SECRET)
        .expect("valid");
    assert_eq!(
        entra.token_url().as_str(),
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
    );
    assert_eq!(ENTRA_AUTHORITY, "https://login.microsoftonline.com");
    let gov = ClientSecretCredential::for_entra_id_at(
        "https://login.microsoftonline.us/",
        "72f988bf-86f1-41af-91ab-2d7cd011db47",
        CLIENT_ID,
        SECRET,
    )
    .expect("valid");
    assert_eq!(
        gov.token_url().as_str(),
        "https://login.microsoftonline.us/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token"
    );
    assert_eq!(gov.client_id(), CLIENT_ID);

    for ok in [
        "https://idp.example/oauth2/token",
        "http://127.0.0.1:8080/token",
        "http://localhost/token",
        "http://[::1]:9/token",
    ] {
        assert!(
            ClientSecretCredential::new(ok, CLIENT_ID, SECRET).is_ok(),
            "{ok}"
        );
    }
    for bad in [
        "http://idp.example/token",
        "ftp://idp.example/token",
        "https://user:pw@idp.example/token",
        "https://idp.example/token#x",
        "not a url",
    ] {
        let err = ClientSecretCredential::new(bad, CLIENT_ID, SECRET).expect_err(bad);
        assert!(!err.to_string().contains("S3CRET"));
    }
    assert!(ClientSecretCredential::new("https://idp.example/t", "", SECRET).is_err());
    assert!(ClientSecretCredential::new("https://idp.example/t", CLIENT_ID, "").is_err());
    for tenant in ["", "..", "a/b", "a?b", "a b", "ten\r\nant"] {
        assert!(
            ClientSecretCredential::for_entra_id(tenant, CLIENT_ID, SECRET).is_err(),
            "{tenant:?}"
        );
    }
    assert!(ClientSecretCredential::for_entra_id_at(
        "https://x.example?q=1",
        "t",
        CLIENT_ID,
        SECRET
    )
    .is_err());
    assert!(ClientSecretCredential::for_entra_id_at(
        "http://login.example",
        "t",
        CLIENT_ID,
        SECRET
    )
    .is_err());
}

#[tokio::test]
async fn static_tokens() {
    let bearer = OAuth2Bearer::new(Arc::new(StaticTokenCredential::new("fixed-1")), [ARM_SCOPE]);
    assert_eq!(bearer_of(&bearer).await.expect("token"), "Bearer fixed-1");
    let token = bearer.access_token().await.expect("cached");
    assert_eq!(token.expires_on, chrono::DateTime::<Utc>::MAX_UTC);

    let later = Utc::now() + TimeDelta::hours(1);
    let credential = StaticTokenCredential::with_expiry("fixed-2", later);
    let token = credential.get_token(&[]).await.expect("valid");
    assert_eq!((token.token.expose(), token.expires_on), ("fixed-2", later));

    let expired =
        StaticTokenCredential::with_expiry("fixed-s3cret", Utc::now() - TimeDelta::seconds(1));
    let bearer = OAuth2Bearer::new(Arc::new(expired), [ARM_SCOPE]);
    let err = bearer_of(&bearer).await.expect_err("expired");
    assert!(err.message().contains("expired at"), "{err}");
    assert!(!format!("{err:?} {bearer:?}").contains("s3cret"));

    let empty = OAuth2Bearer::new(Arc::new(StaticTokenCredential::new("")), [ARM_SCOPE]);
    assert!(bearer_of(&empty).await.is_err());
}

#[tokio::test]
async fn tokens_with_cr_or_lf_are_refused_before_sending() {
    let tokens = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(token_response("tok\r\nX-Evil: 1", serde_json::json!(3599)))
        .mount(&tokens)
        .await;
    let api = api_server().await;
    let core = core(
        &api,
        Arc::new(OAuth2Bearer::new(Arc::new(entra(&tokens)), [ARM_SCOPE])),
    );
    match call(&core).await {
        Err(Error::Credential(e)) => {
            assert!(e.message().contains("CR or LF"), "{e}");
            assert!(!e.message().contains("Evil"), "{e}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(count(&api).await, 0);
}

#[tokio::test]
async fn bearer_tokens_need_https_even_when_insecure_http_is_allowed() {
    let source = Arc::new(CountingSource::new(Duration::from_secs(60), Duration::ZERO));
    let bearer = OAuth2Bearer::new(source.clone(), [ARM_SCOPE]);
    let mut request = Request::new(
        &GET,
        url::Url::parse("http://api.example/things/1?sig=q").expect("url"),
    );
    let err = bearer.authorize(&mut request).await.expect_err("refused");
    assert!(err.message().contains("https is required"), "{err}");
    assert!(!err.message().contains("sig=q"), "{err}");
    assert!(request.headers.is_empty());
    assert_eq!(
        source.calls(),
        0,
        "no token requested for a refused request"
    );

    let core = ClientCore::new(
        "http://api.example",
        Some(Arc::new(bearer)),
        ClientOptions::default()
            .allow_insecure_http(true)
            .retry(RetryOptions::none()),
        "demo",
        "1.0.0",
    )
    .expect("client");
    assert!(matches!(call(&core).await, Err(Error::Credential(_))));
    assert_eq!(source.calls(), 0);
}

#[tokio::test]
async fn secrets_never_appear_in_debug_display_or_errors() {
    let tokens = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(token_response("tok-S3CRET-access", serde_json::json!(3599)))
        .mount(&tokens)
        .await;
    let api = api_server().await;
    let source = entra(&tokens);
    let bearer = Arc::new(OAuth2Bearer::new(Arc::new(source.clone()), [ARM_SCOPE]));
    let core = core(&api, bearer.clone());
    call(&core).await.expect("response");
    let token = bearer.access_token().await.expect("cached");
    let shown = format!(
        "{source:?} {bearer:?} {core:?} {token:?} {:?} {:?}",
        token.token,
        StaticTokenCredential::new("tok-S3CRET-static"),
    );
    assert!(!shown.contains("S3CRET"), "{shown}");
    assert!(
        shown.contains("OAuth2Bearer") && shown.contains(CLIENT_ID),
        "{shown}"
    );
    assert!(
        shown.contains(ARM_SCOPE) && shown.contains("cached_token_expires_on"),
        "{shown}"
    );

    // The header sent is marked sensitive, so Debug of the request headers hides it.
    let mut request = Request::new(&GET, url::Url::parse("https://api.example/x").expect("url"));
    bearer.authorize(&mut request).await.expect("authorized");
    let shown = format!("{request:?} {:?}", request.headers);
    assert!(!shown.contains("S3CRET"), "{shown}");
}
