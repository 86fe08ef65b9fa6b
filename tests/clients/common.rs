//! Helpers shared by the per-API test modules: starting Prism from a spec, client options
//! for fast tests, interceptors (a `Prefer` header for Prism, a recorder of sent requests),
//! and assertions on results and on requests received by wiremock.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use restsmith_runtime::error::BoxError;
use restsmith_runtime::http::header::{HeaderName, HeaderValue};
use restsmith_runtime::http::HeaderMap;
use restsmith_runtime::url::Url;
use restsmith_runtime::{AttemptContext, ClientOptions, Error, Interceptor, Request, RetryOptions};

use crate::support::{self, ServerProcess};

/// Starts `prism mock --errors` on `specs/<spec_file>` (off the async runtime: it blocks
/// until the port is open). The server is killed when the returned value is dropped.
pub async fn prism(spec_file: &str) -> ServerProcess {
    let spec = support::repo_root().join("specs").join(spec_file);
    match tokio::task::spawn_blocking(move || support::start_prism(&spec)).await {
        Ok(server) => server,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Prism's own verdict, from its log: it received exactly `expected` requests and every one
/// passed its request validation (no `[VALIDATOR] ✖` line). This also covers requests whose
/// response the test chose with `Prefer` (an error status is then not a violation).
pub async fn assert_prism_validated(prism: &ServerProcess, expected: usize) {
    let mut last = (0, 0);
    for _ in 0..40 {
        let log = std::fs::read_to_string(&prism.log_path).unwrap_or_default();
        let received = log
            .lines()
            .filter(|l| l.contains("[HTTP SERVER]") && l.contains("Request received"))
            .count();
        let passed = log
            .lines()
            .filter(|l| {
                l.contains("[VALIDATOR]") && l.contains("The request passed the validation rules")
            })
            .count();
        let failed: Vec<&str> = log
            .lines()
            .filter(|l| {
                l.contains("[VALIDATOR]") && (l.contains("✖") || l.contains("did not pass"))
            })
            .collect();
        assert!(
            failed.is_empty(),
            "Prism reported request violations ({}):\n{}",
            prism.log_path.display(),
            failed.join("\n")
        );
        if received == expected && passed == expected {
            return;
        }
        last = (received, passed);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "Prism received {} request(s), {} passed validation; expected {expected} and {expected}\n--- {} ---\n{}",
        last.0,
        last.1,
        prism.log_path.display(),
        prism.log_tail(40)
    );
}

/// Options for talking to Prism: no retries (a Prism error must surface at once).
pub fn no_retries() -> ClientOptions {
    ClientOptions::default().retry(RetryOptions::none())
}

/// Up to `max_retries` retries with ~1 ms delays and no jitter, so retry tests are fast.
pub fn fast_retries(max_retries: u32) -> ClientOptions {
    ClientOptions::default().retry(
        RetryOptions::default()
            .with_max_retries(max_retries)
            .with_initial_delay(Duration::from_millis(1))
            .with_max_delay(Duration::from_millis(2))
            .with_jitter(false),
    )
}

/// Unwraps a client result obtained from Prism. On an error response the panic message
/// carries Prism's verdict (`sl-violations`, the problem+json body) and its log tail, so a
/// request that does not match the spec fails with the reason.
pub fn expect_ok<T, E: fmt::Debug>(
    what: &str,
    prism: &ServerProcess,
    result: Result<T, Error<E>>,
) -> T {
    match result {
        Ok(value) => value,
        Err(Error::Api(api)) => panic!(
            "{what}: Prism answered HTTP {}, i.e. it rejected the request as not matching the spec.\n\
             sl-violations: {}\nbody: {}\n--- last lines of {} ---\n{}",
            api.status,
            api.headers
                .get("sl-violations")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("(none)"),
            api.raw_body,
            prism.log_path.display(),
            prism.log_tail(20)
        ),
        Err(other) => panic!(
            "{what}: {other:?}\n--- last lines of {} ---\n{}",
            prism.log_path.display(),
            prism.log_tail(20)
        ),
    }
}

/// Asserts that `result` is `Error::Validation` for `parameter` and returns its message.
pub fn expect_validation<T: fmt::Debug, E: fmt::Debug>(
    what: &str,
    result: Result<T, Error<E>>,
    parameter: &str,
) -> String {
    match result {
        Err(Error::Validation {
            parameter: p,
            message,
        }) => {
            assert_eq!(
                p, parameter,
                "{what}: rejected, but for the wrong parameter ({message})"
            );
            message
        }
        other => panic!("{what}: expected Error::Validation for `{parameter}`, got {other:?}"),
    }
}

/// Asserts that `result` is `Error::Api` and returns it.
pub fn expect_api<T: fmt::Debug, E: fmt::Debug>(
    what: &str,
    result: Result<T, Error<E>>,
) -> Box<restsmith_runtime::ApiError<E>> {
    match result {
        Err(Error::Api(api)) => api,
        other => panic!("{what}: expected Error::Api, got {other:?}"),
    }
}

/// Sets `Prefer: <value>` (e.g. `code=204`) on every request, so Prism answers with that
/// response of the spec instead of its default choice. The generated clients have no
/// per-call custom headers, so this goes through the runtime's interceptor hook.
#[derive(Debug)]
pub struct Prefer(pub &'static str);

impl Interceptor for Prefer {
    fn name(&self) -> &'static str {
        "prefer"
    }

    fn modify_before_signing(
        &self,
        _ctx: &AttemptContext<'_>,
        request: &mut Request,
    ) -> Result<(), BoxError> {
        request.headers.insert(
            HeaderName::from_static("prefer"),
            HeaderValue::from_static(self.0),
        );
        Ok(())
    }
}

/// One request exactly as the pipeline handed it to the transport (after signing).
#[derive(Debug, Clone)]
pub struct Sent {
    pub method: String,
    pub url: Url,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Sent {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Records every request the pipeline sends (for assertions on requests sent to Prism,
/// which validates them but does not echo them back).
#[derive(Debug, Clone, Default)]
pub struct Recorder(Arc<Mutex<Vec<Sent>>>);

impl Recorder {
    pub fn take(&self) -> Vec<Sent> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl Interceptor for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }

    fn read_before_transmit(&self, _ctx: &AttemptContext<'_>, request: &Request) {
        self.0.lock().unwrap().push(Sent {
            method: request.method.to_string(),
            url: request.url.clone(),
            headers: request.headers.clone(),
            body: request.body.to_vec(),
        });
    }
}

/// Every request a wiremock server received, in order.
pub async fn received(server: &wiremock::MockServer) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("wiremock request recording is on by default")
}

/// A header of a request wiremock received; panics naming the header when absent.
pub fn header<'a>(request: &'a wiremock::Request, name: &str) -> &'a str {
    opt_header(request, name).unwrap_or_else(|| {
        let names: Vec<&str> = request.headers.keys().map(|k| k.as_str()).collect();
        panic!("request has no `{name}` header (headers: {names:?})")
    })
}

pub fn opt_header<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("visible ASCII header"))
}

/// The decoded query pairs of a received request, in the order sent.
pub fn query_pairs(request: &wiremock::Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Every header of a received request as `(name, value)` text.
pub fn header_pairs(request: &wiremock::Request) -> Vec<(String, String)> {
    request
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                v.to_str().expect("visible ASCII header").to_owned(),
            )
        })
        .collect()
}

/// Asserts `value` is a hyphenated UUID and returns it parsed.
pub fn assert_uuid(what: &str, value: &str) -> restsmith_runtime::uuid::Uuid {
    assert_eq!(
        value.len(),
        36,
        "{what} should be a hyphenated UUID, got {value:?}"
    );
    restsmith_runtime::uuid::Uuid::parse_str(value)
        .unwrap_or_else(|e| panic!("{what} should be a UUID, got {value:?}: {e}"))
}
