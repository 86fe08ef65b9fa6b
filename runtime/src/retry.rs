//! Retries: *whether* to retry ([`RetryClassifier`]) is decided separately from *when* and
//! *how often* ([`RetryOptions`], an exponential backoff with full jitter).
//!
//! The pipeline in [`crate::ClientCore::send`] runs one attempt, asks the classifier about the
//! outcome, and if the answer is [`RetryAction::Retry`] and the budget allows, sleeps for
//! [`RetryOptions::delay`] and runs the next attempt — re-running interceptors and the
//! credential so signatures are fresh (PROTOCOLS.md §7.3).
//!
//! # Default classification ([`DefaultRetryClassifier`], PROTOCOLS.md §7.3)
//!
//! A request is *replayable* when its method is idempotent (`GET`, `HEAD`, `OPTIONS`, `TRACE`,
//! `PUT`, `DELETE`) or its operation is marked [`OperationMeta::retry_safe`].
//!
//! | outcome | retried when |
//! |---|---|
//! | `408`, `429` | always (the server did not process the request) |
//! | `500`, `502`, `503`, `504` | replayable |
//! | any other status | never (incl. `409`, `501`, `505`) |
//! | connect failure / connect timeout (nothing sent) | always |
//! | failure or timeout after sending, before any response byte | replayable |
//! | connection closed or timed out while reading the response body | replayable |
//! | TLS failure, body too large | never |
//!
//! A retried response's `retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After` header
//! ([`retry_after`]) is a lower bound for the next delay.

use std::fmt;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, Method, StatusCode};
use rand::Rng as _;

use crate::error::{TimeoutPhase, TransportErrorKind};
use crate::request::OperationMeta;

/// Backoff and budget for retries. Defaults follow Rust `azure_core` (PROTOCOLS.md §7.3).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryOptions {
    /// Retries after the first attempt (default 8; 0 disables retries).
    pub max_retries: u32,
    /// Backoff before the first retry, doubled for each further retry (default 200 ms).
    pub initial_delay: Duration,
    /// Cap of the exponential backoff (default 30 s). A larger server hint is still honoured.
    pub max_delay: Duration,
    /// No retry is started if its delay would end more than this after the first attempt
    /// started (default 60 s).
    pub max_total: Duration,
    /// Full jitter: a uniformly random delay in `[0, backoff]` (default on; tests turn it off).
    pub jitter: bool,
    /// Multiplier applied to every computed delay, server hints included (default 1.0).
    /// Tests use e.g. `0.001` so a `Retry-After: 2` waits 2 ms.
    pub delay_scale: f64,
}

impl Default for RetryOptions {
    fn default() -> Self {
        RetryOptions {
            max_retries: 8,
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(30),
            max_total: Duration::from_secs(60),
            jitter: true,
            delay_scale: 1.0,
        }
    }
}

impl RetryOptions {
    /// Options that never retry.
    pub fn none() -> Self {
        RetryOptions {
            max_retries: 0,
            ..RetryOptions::default()
        }
    }

    /// Sets [`RetryOptions::max_retries`].
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets [`RetryOptions::initial_delay`].
    pub fn with_initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// Sets [`RetryOptions::max_delay`].
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets [`RetryOptions::max_total`].
    pub fn with_max_total(mut self, total: Duration) -> Self {
        self.max_total = total;
        self
    }

    /// Sets [`RetryOptions::jitter`].
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Sets [`RetryOptions::delay_scale`]; negative or non-finite values are treated as 0.
    pub fn with_delay_scale(mut self, scale: f64) -> Self {
        self.delay_scale = scale;
        self
    }

    /// Exponential backoff before retry number `retry` (0 = first retry), capped at
    /// `max_delay`, with full jitter when enabled. Not scaled.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.checked_pow(retry.min(31)).unwrap_or(u32::MAX);
        let base = self
            .initial_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        if self.jitter && !base.is_zero() {
            let nanos = u64::try_from(base.as_nanos()).unwrap_or(u64::MAX);
            Duration::from_nanos(rand::rng().random_range(0..=nanos))
        } else {
            base
        }
    }

    /// Delay before retry number `retry`: the larger of the backoff and the server hint,
    /// multiplied by `delay_scale`.
    pub fn delay(&self, retry: u32, server_hint: Option<Duration>) -> Duration {
        let backoff = self.backoff(retry);
        let wait = server_hint.map_or(backoff, |hint| hint.max(backoff));
        self.scale(wait)
    }

    /// `duration × delay_scale`, saturating; a bad scale yields zero.
    pub fn scale(&self, duration: Duration) -> Duration {
        let scale = if self.delay_scale.is_finite() && self.delay_scale > 0.0 {
            self.delay_scale
        } else {
            0.0
        };
        Duration::try_from_secs_f64(duration.as_secs_f64() * scale).unwrap_or(Duration::MAX)
    }
}

/// Server-requested delay: `retry-after-ms`, then `x-ms-retry-after-ms` (integer milliseconds),
/// then `Retry-After` (integer seconds or an HTTP-date; a past date means zero).
/// Absent, negative or unparsable values are skipped (PROTOCOLS.md §7.2).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    for name in ["retry-after-ms", "x-ms-retry-after-ms"] {
        if let Some(ms) = header_text(headers, name).and_then(|v| v.parse::<u64>().ok()) {
            return Some(Duration::from_millis(ms));
        }
    }
    let value = header_text(headers, "retry-after")?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

/// The outcome of one attempt, as the classifier sees it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum AttemptOutcome<'a> {
    /// A complete response arrived.
    Response {
        /// Its status.
        status: StatusCode,
        /// Its headers.
        headers: &'a HeaderMap,
    },
    /// The connection failed.
    Transport(TransportErrorKind),
    /// The attempt ran out of time.
    Timeout(TimeoutPhase),
    /// The response body exceeded the size cap.
    BodyTooLarge,
}

/// What the classifier knows about the request.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct RetryContext<'a> {
    /// The operation.
    pub meta: &'static OperationMeta,
    /// The method actually sent (a poll of a POST operation is a `GET`).
    pub method: &'a Method,
    /// 1-based number of the attempt that produced the outcome.
    pub attempt: u32,
}

impl<'a> RetryContext<'a> {
    /// Context for `attempt` of a `method` request of `meta`.
    pub fn new(meta: &'static OperationMeta, method: &'a Method, attempt: u32) -> Self {
        RetryContext {
            meta,
            method,
            attempt,
        }
    }

    /// Whether sending the request twice is harmless: idempotent method or `retry_safe`.
    pub fn replayable(&self) -> bool {
        self.meta.retry_safe
            || matches!(
                *self.method,
                Method::GET
                    | Method::HEAD
                    | Method::OPTIONS
                    | Method::TRACE
                    | Method::PUT
                    | Method::DELETE
            )
    }
}

/// The classifier's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAction {
    /// Retry, waiting at least `server_hint` if given.
    Retry {
        /// Delay the server asked for.
        server_hint: Option<Duration>,
    },
    /// Return the outcome to the caller.
    DontRetry,
}

/// Decides whether an attempt's outcome is worth retrying.
pub trait RetryClassifier: Send + Sync + fmt::Debug {
    /// Classifies `outcome` of the request described by `ctx`.
    fn classify(&self, ctx: &RetryContext<'_>, outcome: &AttemptOutcome<'_>) -> RetryAction;
}

/// The rules in the [module documentation](self).
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultRetryClassifier;

impl RetryClassifier for DefaultRetryClassifier {
    fn classify(&self, ctx: &RetryContext<'_>, outcome: &AttemptOutcome<'_>) -> RetryAction {
        let retry = |yes: bool| {
            if yes {
                RetryAction::Retry { server_hint: None }
            } else {
                RetryAction::DontRetry
            }
        };
        match *outcome {
            AttemptOutcome::Response { status, headers } => {
                let wanted = match status.as_u16() {
                    408 | 429 => true,
                    500 | 502 | 503 | 504 => ctx.replayable(),
                    _ => false,
                };
                if wanted {
                    RetryAction::Retry {
                        server_hint: retry_after(headers),
                    }
                } else {
                    RetryAction::DontRetry
                }
            }
            AttemptOutcome::Transport(kind) => retry(match kind {
                TransportErrorKind::Connect => true,
                TransportErrorKind::NoResponse | TransportErrorKind::BodyInterrupted => {
                    ctx.replayable()
                }
                _ => false,
            }),
            AttemptOutcome::Timeout(phase) => retry(match phase {
                TimeoutPhase::Connect => true,
                TimeoutPhase::Response | TimeoutPhase::Body => ctx.replayable(),
            }),
            AttemptOutcome::BodyTooLarge => RetryAction::DontRetry,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    static POST: OperationMeta = OperationMeta {
        operation_id: "Op",
        method: Method::POST,
        path_template: "/",
        retry_safe: false,
    };
    static SAFE_POST: OperationMeta = OperationMeta {
        operation_id: "Op",
        method: Method::POST,
        path_template: "/",
        retry_safe: true,
    };

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(retry_after(&headers(&[])), None);
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "250"), ("retry-after", "9")])),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            retry_after(&headers(&[("x-ms-retry-after-ms", "40")])),
            Some(Duration::from_millis(40))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", " 15 ")])),
            Some(Duration::from_secs(15))
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "-1")])), None);
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), None);
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "x"), ("retry-after", "2")])),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            retry_after(&headers(&[(
                "retry-after",
                "Fri, 05 Jan 2001 09:30:00 GMT"
            )])),
            Some(Duration::ZERO)
        );
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let d = retry_after(&headers(&[("retry-after", &future)])).unwrap();
        assert!(
            d > Duration::from_secs(100) && d <= Duration::from_secs(120),
            "{d:?}"
        );
    }

    #[test]
    fn backoff_is_exponential_capped_and_scaled() {
        let o = RetryOptions::default().with_jitter(false);
        assert_eq!(o.backoff(0), Duration::from_millis(200));
        assert_eq!(o.backoff(1), Duration::from_millis(400));
        assert_eq!(o.backoff(7), Duration::from_millis(25_600));
        assert_eq!(o.backoff(8), Duration::from_secs(30));
        assert_eq!(o.backoff(u32::MAX), Duration::from_secs(30));
        assert_eq!(
            o.delay(0, Some(Duration::from_secs(5))),
            Duration::from_secs(5)
        );
        assert_eq!(
            o.delay(3, Some(Duration::from_millis(1))),
            Duration::from_millis(1600)
        );
        let scaled = o.clone().with_delay_scale(0.01);
        assert_eq!(
            scaled.delay(0, Some(Duration::from_secs(2))),
            Duration::from_millis(20)
        );
        assert_eq!(
            o.clone().with_delay_scale(f64::NAN).delay(0, None),
            Duration::ZERO
        );
        let jittered = RetryOptions::default();
        for retry in 0..10 {
            assert!(jittered.backoff(retry) <= Duration::from_secs(30));
        }
    }

    #[test]
    fn classifier_table() {
        let c = DefaultRetryClassifier;
        let h = HeaderMap::new();
        let get = Method::GET;
        let post = Method::POST;
        let resp = |s: u16| AttemptOutcome::Response {
            status: StatusCode::from_u16(s).unwrap(),
            headers: &h,
        };
        let retried = |meta: &'static OperationMeta, m: &Method, o: AttemptOutcome<'_>| {
            matches!(
                c.classify(&RetryContext::new(meta, m, 1), &o),
                RetryAction::Retry { .. }
            )
        };
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(retried(&POST, &get, resp(s)), "GET {s}");
            assert!(retried(&SAFE_POST, &post, resp(s)), "safe POST {s}");
        }
        for s in [408, 429] {
            assert!(retried(&POST, &post, resp(s)), "POST {s}");
        }
        for s in [500, 502, 503, 504] {
            assert!(!retried(&POST, &post, resp(s)), "POST {s}");
        }
        for s in [200, 202, 301, 400, 401, 404, 409, 501, 505] {
            assert!(!retried(&POST, &get, resp(s)), "GET {s}");
        }
        assert!(retried(
            &POST,
            &post,
            AttemptOutcome::Transport(TransportErrorKind::Connect)
        ));
        assert!(!retried(
            &POST,
            &post,
            AttemptOutcome::Transport(TransportErrorKind::NoResponse)
        ));
        assert!(retried(
            &POST,
            &get,
            AttemptOutcome::Transport(TransportErrorKind::NoResponse)
        ));
        assert!(!retried(
            &POST,
            &get,
            AttemptOutcome::Transport(TransportErrorKind::Tls)
        ));
        assert!(retried(
            &POST,
            &get,
            AttemptOutcome::Transport(TransportErrorKind::BodyInterrupted)
        ));
        assert!(!retried(
            &POST,
            &post,
            AttemptOutcome::Transport(TransportErrorKind::BodyInterrupted)
        ));
        assert!(retried(
            &SAFE_POST,
            &post,
            AttemptOutcome::Transport(TransportErrorKind::BodyInterrupted)
        ));
        assert!(retried(
            &POST,
            &post,
            AttemptOutcome::Timeout(TimeoutPhase::Connect)
        ));
        assert!(!retried(
            &POST,
            &post,
            AttemptOutcome::Timeout(TimeoutPhase::Response)
        ));
        assert!(retried(
            &SAFE_POST,
            &post,
            AttemptOutcome::Timeout(TimeoutPhase::Response)
        ));
        assert!(retried(
            &POST,
            &get,
            AttemptOutcome::Timeout(TimeoutPhase::Body)
        ));
        assert!(!retried(
            &POST,
            &post,
            AttemptOutcome::Timeout(TimeoutPhase::Body)
        ));
        assert!(!retried(&POST, &get, AttemptOutcome::BodyTooLarge));
    }
}
