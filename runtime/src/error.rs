//! The error type returned by generated clients.
//!
//! [`Error`] is layered the way callers usually branch on it:
//!
//! * [`Error::Api`] — the service answered with a status the operation does not treat as
//!   success. It carries the status, headers, request ids, the decoded error body when it
//!   could be decoded, and at most [`MAX_RAW_BODY`] bytes of the raw body (PROTOCOLS.md §3.5:
//!   producing the error never fails because the body is not the expected JSON).
//! * [`Error::Validation`] — a caller-supplied value was rejected before anything was sent.
//! * [`Error::Credential`], [`Error::Transport`], [`Error::Timeout`], [`Error::BodyTooLarge`] —
//!   the pipeline could not obtain a complete response.
//! * [`Error::Decode`], [`Error::Protocol`] — a response arrived but did not have the promised
//!   shape.
//! * [`Error::UntrustedUrl`] — a server-provided URL was refused (PROTOCOLS.md §8.1).
//! * [`Error::OperationFailed`], [`Error::Irreconcilable`], [`Error::Gone`],
//!   [`Error::PollTimeout`] — a long-running operation ([`crate::poller`]) did not succeed.
//!
//! No variant ever contains a credential, a header value other than the ones the service
//! returned, or a query string.

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, StatusCode};

use crate::auth::CredentialError;

/// Boxed error used as the `source` of pipeline errors.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Maximum number of raw body bytes kept in [`ApiError::raw_body`] and [`DecodeError::raw_body`].
pub const MAX_RAW_BODY: usize = 8 * 1024;

/// Implemented by generated error models so [`ApiError`] can expose a code and a message.
///
/// A type that only wraps other error bodies (an enum of them, by status or as a union)
/// implements [`wrapped`](Self::wrapped) alone; the other methods ask the wrapped body.
pub trait ErrorBody {
    /// Service error code (e.g. ARM `error.code`), if the body carries one.
    fn code(&self) -> Option<&str> {
        self.wrapped().and_then(ErrorBody::code)
    }
    /// Human-readable message, if the body carries one.
    fn message(&self) -> Option<&str> {
        self.wrapped().and_then(ErrorBody::message)
    }
    /// Request id carried in the body (Volcengine `ResponseMetadata.RequestId`); used when no
    /// request-id header is present.
    fn request_id(&self) -> Option<&str> {
        self.wrapped().and_then(ErrorBody::request_id)
    }
    /// The error body this one holds, for enums of error bodies; `None` by default.
    fn wrapped(&self) -> Option<&dyn ErrorBody> {
        None
    }
}

/// Best-effort extraction for untyped bodies: ARM (`error.code`/`error.message`), flat
/// (`code`/`message`), Batch (`message.value`) and Volcengine (`ResponseMetadata.Error`).
impl ErrorBody for serde_json::Value {
    fn code(&self) -> Option<&str> {
        nested_str(self, &["error", "code"])
            .or_else(|| nested_str(self, &["code"]))
            .or_else(|| nested_str(self, &["ResponseMetadata", "Error", "Code"]))
    }

    fn message(&self) -> Option<&str> {
        nested_str(self, &["error", "message"])
            .or_else(|| nested_str(self, &["message"]))
            .or_else(|| nested_str(self, &["message", "value"]))
            .or_else(|| nested_str(self, &["ResponseMetadata", "Error", "Message"]))
    }

    fn request_id(&self) -> Option<&str> {
        nested_str(self, &["ResponseMetadata", "RequestId"])
    }
}

/// Follows `path` through JSON objects and returns the string at the end, if any.
fn nested_str<'a>(value: &'a serde_json::Value, path: &[&str]) -> Option<&'a str> {
    let mut current = value;
    for key in path {
        current = current.get(key)?;
    }
    current.as_str()
}

/// Which phase of an attempt ran out of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Establishing the connection (TCP/TLS); nothing was sent.
    Connect,
    /// Waiting for the response status line and headers; the request may have been processed.
    Response,
    /// Reading the response body; the response had started.
    Body,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connecting",
            TimeoutPhase::Response => "waiting for the response",
            TimeoutPhase::Body => "reading the response body",
        })
    }
}

/// What kind of transport failure ended an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established (refused, DNS, unreachable); nothing was sent.
    Connect,
    /// TLS handshake or certificate failure; never retried.
    Tls,
    /// The connection failed after the request was (possibly) sent, before any response byte.
    NoResponse,
    /// The connection failed while the response body was being read.
    BodyInterrupted,
    /// The request could not be built or handed to the HTTP stack.
    Other,
}

impl TransportErrorKind {
    /// Whether any byte of a response had been read when the failure happened.
    pub fn response_started(self) -> bool {
        matches!(self, TransportErrorKind::BodyInterrupted)
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "connection failed, nothing was sent",
            TransportErrorKind::Tls => "TLS failure",
            TransportErrorKind::NoResponse => "connection failed before any response byte was read",
            TransportErrorKind::BodyInterrupted => {
                "connection failed while reading the response body"
            }
            TransportErrorKind::Other => "request could not be sent",
        })
    }
}

/// Error of a generated client; `E` is the operation's decoded error-body type.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The service answered with a non-success status.
    #[error("{0}")]
    Api(Box<ApiError<E>>),

    /// A caller-supplied value was rejected before anything was sent.
    #[error("invalid value for `{parameter}`: {message}")]
    Validation {
        /// Name of the offending parameter (as in the API description).
        parameter: String,
        /// Why it was rejected.
        message: String,
    },

    /// The credential could not authorize or sign the request.
    #[error("credential error: {0}")]
    Credential(#[from] CredentialError),

    /// The request failed at the connection level.
    #[error("transport error ({kind}) after {attempts} attempt(s): {message}")]
    Transport {
        /// Classification of the failure.
        kind: TransportErrorKind,
        /// Whether any byte of a response had been read (`kind.response_started()`).
        response_started: bool,
        /// Description of the innermost cause (never contains a URL or header value).
        message: String,
        /// Number of attempts made, including the failed one.
        attempts: u32,
        /// Client request id sent with the call, if any.
        client_request_id: Option<String>,
        /// Underlying error (URL stripped).
        #[source]
        source: Option<BoxError>,
    },

    /// An attempt ran out of time.
    #[error("timed out {phase} after {after:?} ({attempts} attempt(s))")]
    Timeout {
        /// Phase that ran out of time.
        phase: TimeoutPhase,
        /// The per-attempt time limit that was exceeded.
        after: Duration,
        /// Number of attempts made, including the one that timed out.
        attempts: u32,
        /// Client request id sent with the call, if any.
        client_request_id: Option<String>,
    },

    /// The response body exceeded the configured size cap.
    #[error("response body of HTTP {status} exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// Status of the oversized response.
        status: StatusCode,
        /// The configured cap in bytes.
        limit: usize,
    },

    /// A response body could not be decoded into the expected type.
    #[error("{0}")]
    Decode(Box<DecodeError>),

    /// A response was well-formed HTTP but violated the operation's protocol
    /// (e.g. an LRO status body without `status`).
    #[error("protocol error: {message}")]
    Protocol {
        /// What was wrong.
        message: String,
        /// Server request id of the offending response, if any.
        request_id: Option<String>,
    },

    /// A server-provided URL (poll, next page, redirect) was refused; nothing was sent.
    #[error("refusing to send to untrusted URL {url}: {reason}")]
    UntrustedUrl {
        /// The URL without query string or userinfo.
        url: String,
        /// Why it was refused.
        reason: String,
    },

    /// An interceptor rejected the request.
    #[error("interceptor `{interceptor}` failed: {source}")]
    Interceptor {
        /// Name of the interceptor.
        interceptor: &'static str,
        /// What it reported.
        #[source]
        source: BoxError,
    },

    /// The client was configured with an invalid endpoint or option.
    #[error("invalid client configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },

    /// A long-running operation ended in a failure state: Azure `Failed`/`Canceled`
    /// (status monitor `status` or `properties.provisioningState`), or one of a reconcile
    /// operation's `failed` states.
    #[error("long-running operation ended in state `{state}`{}", summary(details))]
    OperationFailed {
        /// The terminal state as the service spelled it (e.g. `Failed`, `canceled`).
        state: String,
        /// The response that reported it. `body` is the service error decoded as `E` (for a
        /// status monitor: the whole status body, whose `error` member is the ARM
        /// `ErrorDetail`); `code`, `message`, request ids and the raw body as for
        /// [`Error::Api`]. Its `status` is the HTTP status of that response (usually 200).
        details: Box<ApiError<E>>,
    },

    /// A reconcile operation (PROTOCOLS.md §5.2) reported fields it cannot reconcile.
    #[error("the service cannot reconcile {}{}", fields.join(", "), summary(details))]
    Irreconcilable {
        /// The reported fields (e.g. `spec.name`).
        fields: Vec<String>,
        /// The resource response that reported them.
        details: Box<ApiError<E>>,
    },

    /// The resource went away while a reconcile poller waited for it: its state became one
    /// of the `gone` values, or re-reading it answered 404.
    #[error("the resource is gone{}{}", state.as_ref().map(|s| format!(" (state `{s}`)")).unwrap_or_default(), summary(details))]
    Gone {
        /// The state value, when the resource still reported one (`None` for a 404).
        state: Option<String>,
        /// The response that showed it.
        details: Box<ApiError<E>>,
    },

    /// A poller's overall deadline passed before the operation finished. Nothing was
    /// cancelled on the server; the operation may still complete.
    #[error("long-running operation still `{last_status}` after {waited:?} (polling {url})")]
    PollTimeout {
        /// The URL being polled: scheme, host, port and path — never the query.
        url: String,
        /// The last status the service reported (e.g. `InProgress`).
        last_status: String,
        /// How long the poller had been running.
        waited: Duration,
        /// Server request id (e.g. `x-ms-request-id`) of the last poll response, if any.
        request_id: Option<String>,
        /// Client request id sent with the polls, if any.
        client_request_id: Option<String>,
    },
}

/// `": code: message (request id …)"` of a failure report, or nothing.
fn summary<E>(details: &ApiError<E>) -> String {
    let mut out = String::new();
    for part in [&details.code, &details.message].into_iter().flatten() {
        out.push_str(": ");
        out.push_str(part);
    }
    if let Some(id) = &details.request_id {
        out.push_str(&format!(" (request id {id})"));
    }
    out
}

impl<E> Error<E> {
    /// Builds a [`Error::Validation`].
    pub fn validation(parameter: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation {
            parameter: parameter.into(),
            message: message.into(),
        }
    }

    /// Builds a [`Error::Protocol`].
    pub fn protocol(message: impl Into<String>, request_id: Option<String>) -> Self {
        Error::Protocol {
            message: message.into(),
            request_id,
        }
    }

    /// HTTP status of the response behind this error, when there was one. For the
    /// long-running-operation failures ([`Error::OperationFailed`], [`Error::Irreconcilable`],
    /// [`Error::Gone`]) it is the status of the response that reported the failure — often
    /// `200`, since a status monitor reports a failed operation successfully.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api)
            | Error::OperationFailed { details: api, .. }
            | Error::Irreconcilable { details: api, .. }
            | Error::Gone { details: api, .. } => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::BodyTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Server-assigned request id (e.g. `x-ms-request-id`), when a response carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api)
            | Error::OperationFailed { details: api, .. }
            | Error::Irreconcilable { details: api, .. }
            | Error::Gone { details: api, .. } => api.request_id.as_deref(),
            Error::Decode(decode) => decode.request_id.as_deref(),
            Error::Protocol { request_id, .. } | Error::PollTimeout { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    /// Client request id sent with the call (e.g. `x-ms-client-request-id`), when known.
    pub fn client_request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api)
            | Error::OperationFailed { details: api, .. }
            | Error::Irreconcilable { details: api, .. }
            | Error::Gone { details: api, .. } => api.client_request_id.as_deref(),
            Error::Decode(decode) => decode.client_request_id.as_deref(),
            Error::Transport {
                client_request_id, ..
            }
            | Error::Timeout {
                client_request_id, ..
            }
            | Error::PollTimeout {
                client_request_id, ..
            } => client_request_id.as_deref(),
            _ => None,
        }
    }

    /// The service error, if this is [`Error::Api`].
    pub fn api(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Converts the decoded error body (of [`Error::Api`] and of the long-running-operation
    /// failures) with `f`, leaving every other variant unchanged.
    pub fn map_body<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        self.map_api(|api| api.map_body(f))
    }

    /// Changes the body type, dropping a typed body (an `Api` error — or the details of a
    /// long-running-operation failure — keeps status, headers, ids, raw body, code and
    /// message); every other variant is unchanged. Used to turn the
    /// untyped error of [`crate::ClientCore::new`] into a client's own error type.
    pub fn into_body_type<F>(self) -> Error<F> {
        self.map_api(ApiError::without_body)
    }

    /// Rebuilds `self` with a different body type, converting an `Api` payload with `f`.
    fn map_api<F>(self, f: impl FnOnce(ApiError<E>) -> ApiError<F>) -> Error<F> {
        match self {
            Error::Api(api) => Error::Api(Box::new(f(*api))),
            Error::Validation { parameter, message } => Error::Validation { parameter, message },
            Error::Credential(e) => Error::Credential(e),
            Error::Transport {
                kind,
                response_started,
                message,
                attempts,
                client_request_id,
                source,
            } => Error::Transport {
                kind,
                response_started,
                message,
                attempts,
                client_request_id,
                source,
            },
            Error::Timeout {
                phase,
                after,
                attempts,
                client_request_id,
            } => Error::Timeout {
                phase,
                after,
                attempts,
                client_request_id,
            },
            Error::BodyTooLarge { status, limit } => Error::BodyTooLarge { status, limit },
            Error::Decode(d) => Error::Decode(d),
            Error::Protocol {
                message,
                request_id,
            } => Error::Protocol {
                message,
                request_id,
            },
            Error::UntrustedUrl { url, reason } => Error::UntrustedUrl { url, reason },
            Error::Interceptor {
                interceptor,
                source,
            } => Error::Interceptor {
                interceptor,
                source,
            },
            Error::Config { message } => Error::Config { message },
            Error::OperationFailed { state, details } => Error::OperationFailed {
                state,
                details: Box::new(f(*details)),
            },
            Error::Irreconcilable { fields, details } => Error::Irreconcilable {
                fields,
                details: Box::new(f(*details)),
            },
            Error::Gone { state, details } => Error::Gone {
                state,
                details: Box::new(f(*details)),
            },
            Error::PollTimeout {
                url,
                last_status,
                waited,
                request_id,
                client_request_id,
            } => Error::PollTimeout {
                url,
                last_status,
                waited,
                request_id,
                client_request_id,
            },
        }
    }
}

/// A non-success response, with everything needed to diagnose it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError<E = serde_json::Value> {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// Server request id (`x-ms-request-id`, `request-id`, …), first present.
    pub request_id: Option<String>,
    /// Client request id sent with the call, if any.
    pub client_request_id: Option<String>,
    /// Decoded error body, when the body parsed as `E`.
    pub body: Option<E>,
    /// At most [`MAX_RAW_BODY`] bytes of the body, lossily decoded as UTF-8.
    pub raw_body: String,
    /// Error code: from the body, else the `x-ms-error-code` header.
    pub code: Option<String>,
    /// Error message from the body.
    pub message: Option<String>,
    /// Attempt (1-based) that produced this response; `> 1` means the call was retried.
    pub attempts: u32,
}

impl<E> ApiError<E> {
    /// Builds an API error from its parts (used by [`crate::RawResponse::into_error`]).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        status: StatusCode,
        headers: HeaderMap,
        request_id: Option<String>,
        client_request_id: Option<String>,
        body: Option<E>,
        raw_body: String,
        code: Option<String>,
        message: Option<String>,
        attempts: u32,
    ) -> Self {
        ApiError {
            status,
            headers,
            request_id,
            client_request_id,
            body,
            raw_body,
            code,
            message,
            attempts,
        }
    }

    /// Converts the decoded body with `f`.
    pub fn map_body<F>(self, f: impl FnOnce(E) -> F) -> ApiError<F> {
        ApiError {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            client_request_id: self.client_request_id,
            body: self.body.map(f),
            raw_body: self.raw_body,
            code: self.code,
            message: self.message,
            attempts: self.attempts,
        }
    }

    /// Drops the typed body, keeping status, headers, ids, raw body, code and message.
    pub fn without_body<F>(self) -> ApiError<F> {
        ApiError {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            client_request_id: self.client_request_id,
            body: None,
            raw_body: self.raw_body,
            code: self.code,
            message: self.message,
            attempts: self.attempts,
        }
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, ": {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// A response body that did not decode into the expected type.
#[derive(Debug, thiserror::Error)]
#[error("cannot decode HTTP {status} response body: {message}")]
#[non_exhaustive]
pub struct DecodeError {
    /// HTTP status of the response.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// Server request id, first present.
    pub request_id: Option<String>,
    /// Client request id sent with the call, if any.
    pub client_request_id: Option<String>,
    /// At most [`MAX_RAW_BODY`] bytes of the body, lossily decoded as UTF-8.
    pub raw_body: String,
    /// What went wrong.
    pub message: String,
    /// Underlying parser error.
    #[source]
    pub source: Option<BoxError>,
}

impl DecodeError {
    /// Builds a decode error from its parts.
    pub fn new(
        status: StatusCode,
        headers: HeaderMap,
        request_id: Option<String>,
        client_request_id: Option<String>,
        raw_body: String,
        message: impl Into<String>,
        source: Option<BoxError>,
    ) -> Self {
        DecodeError {
            status,
            headers,
            request_id,
            client_request_id,
            raw_body,
            message: message.into(),
            source,
        }
    }
}

/// Lossy UTF-8 text of at most [`MAX_RAW_BODY`] bytes of `body`, cut at a character boundary.
pub fn raw_body_text(body: &[u8]) -> String {
    // Decode a little more than the cap so a character split by the cut is not lost,
    // then trim back to a char boundary within the cap.
    let window = &body[..body.len().min(MAX_RAW_BODY + 4)];
    let mut text = String::from_utf8_lossy(window).into_owned();
    if text.len() > MAX_RAW_BODY {
        let mut cut = MAX_RAW_BODY;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_error_body_shapes() {
        let arm: serde_json::Value =
            serde_json::json!({"error": {"code": "Conflict", "message": "busy"}});
        assert_eq!(arm.code(), Some("Conflict"));
        assert_eq!(arm.message(), Some("busy"));

        let flat = serde_json::json!({"code": "X", "message": "m"});
        assert_eq!(flat.code(), Some("X"));
        assert_eq!(flat.message(), Some("m"));

        let batch = serde_json::json!({"code": "CertificateNotFound",
            "message": {"lang": "en-US", "value": "not found"}});
        assert_eq!(batch.code(), Some("CertificateNotFound"));
        assert_eq!(batch.message(), Some("not found"));

        let volc =
            serde_json::json!({"ResponseMetadata": {"Error": {"Code": "C", "Message": "M"}}});
        assert_eq!(volc.code(), Some("C"));
        assert_eq!(volc.message(), Some("M"));

        assert_eq!(serde_json::json!([1, 2]).code(), None);
    }

    #[test]
    fn raw_body_is_capped_at_char_boundary() {
        let body = "é".repeat(MAX_RAW_BODY); // 2 bytes each
        let text = raw_body_text(body.as_bytes());
        assert!(text.len() <= MAX_RAW_BODY);
        assert!(text.chars().all(|c| c == 'é'));
        assert_eq!(raw_body_text(b"<html>oops</html>"), "<html>oops</html>");
    }

    #[test]
    fn api_display() {
        let err: Error = Error::Api(Box::new(ApiError::new(
            StatusCode::CONFLICT,
            HeaderMap::new(),
            Some("rid-1".into()),
            None,
            None,
            String::new(),
            Some("OperationNotFound".into()),
            Some("nothing to abort".into()),
            1,
        )));
        assert_eq!(
            err.to_string(),
            "HTTP 409 Conflict: OperationNotFound: nothing to abort (request id rid-1)"
        );
        assert_eq!(err.status(), Some(StatusCode::CONFLICT));
        assert_eq!(err.request_id(), Some("rid-1"));
        let mapped: Error<String> = err.map_body(|v| v.to_string());
        assert!(mapped.api().is_some());
    }
}
