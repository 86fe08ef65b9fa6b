//! An outgoing request as generated code builds it, before the pipeline sends it.
//!
//! Generated code obtains a [`Request`] from [`crate::ClientCore::request`], adds headers and
//! a body through the checked setters below, and hands it to [`crate::ClientCore::send`].
//! Every setter that takes caller data validates it and reports [`Error::Validation`]
//! naming the parameter — values are rejected, never sanitized (PROTOCOLS.md §8.3).

use std::fmt;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::{HeaderMap, Method};
use url::Url;

use crate::binary::{Binary, StreamBody};
use crate::error::Error;
use crate::query;

/// Static description of an API operation, emitted once per operation by the generator.
#[derive(Debug)]
pub struct OperationMeta {
    /// `operationId` from the API description (used in tracing).
    pub operation_id: &'static str,
    /// HTTP method of the operation.
    pub method: Method,
    /// Path template as written in the API description (used in tracing, never filled in).
    pub path_template: &'static str,
    /// POST/PATCH that may be retried after a response arrived (see [`crate::retry`]).
    pub retry_safe: bool,
}

/// A request deferred-rejection: recorded by infallible builders, reported by `send`.
#[derive(Debug, Clone)]
struct Rejection {
    parameter: String,
    message: String,
}

/// An HTTP request on its way through the pipeline.
///
/// Fields are public so credentials and interceptors can inspect and sign them; generated
/// code should prefer the checked setters.
#[derive(Clone)]
pub struct Request {
    /// HTTP method.
    pub method: Method,
    /// Absolute URL including the encoded query.
    pub url: Url,
    /// Headers to send (the pipeline adds `User-Agent` and the client request id).
    pub headers: HeaderMap,
    /// Body bytes (empty for no body, and for a [streamed body](Request::is_streaming)).
    pub body: Bytes,
    /// The operation this request belongs to.
    pub meta: &'static OperationMeta,
    rejection: Option<Rejection>,
    stream: Option<StreamBody>,
}

impl Request {
    /// A request for `meta` to `url`, with the operation's method, no headers and no body.
    pub fn new(meta: &'static OperationMeta, url: Url) -> Self {
        Request {
            method: meta.method.clone(),
            url,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            meta,
            rejection: None,
            stream: None,
        }
    }

    /// Sets header `name` from caller data, replacing any previous value.
    ///
    /// Rejects names that are not valid header names and values containing anything other
    /// than visible ASCII and spaces (CR, LF, NUL, tabs, other controls, non-ASCII) with
    /// [`Error::Validation`] naming the header.
    pub fn header<E>(&mut self, name: &'static str, value: &str) -> Result<(), Error<E>> {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::validation(name, "not a valid HTTP header name"))?;
        let mut header_value =
            header_value(value).map_err(|reason| Error::validation(name, reason))?;
        if is_secret_header(header_name.as_str()) {
            header_value.set_sensitive(true);
        }
        self.headers.insert(header_name, header_value);
        Ok(())
    }

    /// Adds a cookie `name=value` to the `Cookie` header (joined with `; `). The value is
    /// percent-encoded like a query value, so it cannot end the cookie or inject a header.
    pub fn cookie<E>(&mut self, name: &'static str, value: &str) -> Result<(), Error<E>> {
        if name.is_empty() || name.bytes().any(|b| !b.is_ascii_graphic() || b"()<>@,;:\\\"/[]?={}".contains(&b)) {
            return Err(Error::validation(name, "not a valid cookie name"));
        }
        let pair = format!("{name}={}", query::encode_component(value));
        let joined = match self.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()) {
            Some(existing) if !existing.is_empty() => format!("{existing}; {pair}"),
            _ => pair,
        };
        let value = header_value(&joined).map_err(|reason| Error::validation(name, reason))?;
        self.headers.insert(http::header::COOKIE, value);
        Ok(())
    }

    /// Serializes `body` as JSON (without `readOnly` fields, see
    /// [`crate::serde_helpers::read_only`]) and sets `Content-Type: application/json` unless a
    /// content type was already set.
    pub fn json<E, T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error<E>> {
        let bytes = crate::serde_helpers::read_only::in_request(|| serde_json::to_vec(body))
            .map_err(|e| Error::validation("body", format!("cannot serialize as JSON: {e}")))?;
        self.body = Bytes::from(bytes);
        if !self.headers.contains_key(CONTENT_TYPE) {
            self.headers
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        Ok(())
    }

    /// Sets the raw body without touching `Content-Type`: bytes, text, or a stream (see
    /// [`Binary`]; a streamed body is sent once and never retried).
    pub fn set_body(&mut self, body: impl Into<Binary>) {
        match body.into().into_parts() {
            Ok(bytes) => {
                self.body = bytes;
                self.stream = None;
            }
            Err(stream) => {
                self.body = Bytes::new();
                self.stream = Some(stream);
            }
        }
    }

    /// Whether the body is a stream, which can be sent only once (no retries) and whose
    /// bytes are not available to credentials or interceptors ([`Request::body`] is empty).
    pub fn is_streaming(&self) -> bool {
        self.stream.is_some()
    }

    /// The length of a streamed body when the caller announced one; `None` for an
    /// unannounced stream and for in-memory bodies (use `body.len()` for those).
    pub fn stream_length(&self) -> Option<u64> {
        self.stream.as_ref().and_then(StreamBody::length)
    }

    /// The streamed body, for the transport.
    pub(crate) fn stream_body(&self) -> Option<&StreamBody> {
        self.stream.as_ref()
    }

    /// Sets `Content-Type` to a value from the API description.
    ///
    /// An invalid value cannot come from a valid description; if it happens anyway the
    /// request is marked rejected and [`crate::ClientCore::send`] returns
    /// [`Error::Validation`] instead of panicking.
    pub fn content_type(&mut self, value: &'static str) {
        match header_value(value) {
            Ok(v) => {
                self.headers.insert(CONTENT_TYPE, v);
            }
            Err(reason) => self.reject("Content-Type", reason),
        }
    }

    /// Appends `name=value` to the URL query, encoded like [`crate::query::Query`].
    pub fn append_query(&mut self, name: &str, value: &str) {
        let pair = format!(
            "{}={}",
            query::encode_component(name),
            query::encode_component(value)
        );
        let joined = match self.url.query() {
            Some(existing) if !existing.is_empty() => format!("{existing}&{pair}"),
            _ => pair,
        };
        self.url.set_query(Some(&joined));
    }

    /// Marks the request as invalid; `send` reports it as [`Error::Validation`] without sending.
    pub fn reject(&mut self, parameter: impl Into<String>, message: impl Into<String>) {
        if self.rejection.is_none() {
            self.rejection = Some(Rejection {
                parameter: parameter.into(),
                message: message.into(),
            });
        }
    }

    /// The recorded rejection, if any, as a validation error.
    pub(crate) fn take_rejection<E>(&mut self) -> Option<Error<E>> {
        self.rejection.take().map(|r| Error::Validation {
            parameter: r.parameter,
            message: r.message,
        })
    }

    /// `scheme://host[:port]/path` of the URL — no userinfo, no query. Safe to log.
    pub fn redacted_url(&self) -> String {
        redact_url(&self.url)
    }
}

/// Debug shows method, URL without query, header *names* and body length — never values.
impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("Request")
            .field("operation_id", &self.meta.operation_id)
            .field("method", &self.method)
            .field("url", &self.redacted_url())
            .field("header_names", &names)
            .field("body_len", &self.body.len())
            .field("body_streamed", &self.stream.is_some())
            .finish()
    }
}

/// Validates caller data for use as a header value: visible ASCII (`0x21..=0x7E`) and
/// spaces only. Returns the reason on rejection.
pub fn header_value(value: &str) -> Result<HeaderValue, &'static str> {
    if let Some(b) = value.bytes().find(|b| !(b' '..=b'~').contains(b)) {
        return Err(match b {
            b'\r' | b'\n' => "header values must not contain CR or LF",
            0 => "header values must not contain NUL",
            b if b.is_ascii_control() => "header values must not contain control characters",
            _ => "header values must be visible ASCII",
        });
    }
    HeaderValue::from_str(value).map_err(|_| "invalid header value")
}

/// Whether a header (lower-case name) usually carries a secret: `authorization`,
/// `proxy-authorization`, `cookie`, `set-cookie`, and names ending in `-token`, `-secret`,
/// `-key` or `-signature` (e.g. `x-sddc-token`, `X-Security-Token`,
/// `Ocp-Apim-Subscription-Key`). The pipeline marks such values sensitive in requests and
/// responses, so `Debug` of a `HeaderMap` prints `Sensitive` instead of the value.
pub fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    ) || ["-token", "-secret", "-key", "-signature"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// Marks every value of a [secret header](is_secret_header) in `headers` as sensitive.
pub fn mark_secret_headers(headers: &mut HeaderMap) {
    for (name, value) in headers.iter_mut() {
        if is_secret_header(name.as_str()) {
            value.set_sensitive(true);
        }
    }
}

/// `scheme://host[:port]/path` of `url` — no userinfo, query or fragment. Safe to log.
pub fn redact_url(url: &Url) -> String {
    let mut out = format!("{}://", url.scheme());
    if let Some(host) = url.host_str() {
        out.push_str(host);
    }
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(url.path());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    static META: OperationMeta = OperationMeta {
        operation_id: "Test_Op",
        method: Method::POST,
        path_template: "/x",
        retry_safe: false,
    };

    fn request() -> Request {
        Request::new(&META, Url::parse("https://example.com/x?a=1").unwrap())
    }

    #[test]
    fn header_injection_is_refused() {
        let mut r = request();
        for bad in [
            "a\r\nX-Evil: 1",
            "a\nb",
            "a\0b",
            "tab\there",
            "caf\u{e9}",
            "\u{7f}",
        ] {
            let err = r.header::<()>("x-custom", bad).unwrap_err();
            match err {
                Error::Validation { parameter, .. } => assert_eq!(parameter, "x-custom"),
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(r.headers.is_empty());
        r.header::<()>("X-Custom", "fine value/1.0;q=2").unwrap();
        assert_eq!(r.headers["x-custom"], "fine value/1.0;q=2");
        assert!(!r.headers["x-custom"].is_sensitive());
        r.header::<()>("x-sddc-token", "t0ken").unwrap();
        assert!(r.headers["x-sddc-token"].is_sensitive());
        assert!(r.header::<()>("bad name", "v").is_err());
    }

    #[test]
    fn json_sets_content_type_once() {
        let mut r = request();
        r.content_type("application/json; odata=minimalmetadata");
        r.json::<(), _>(&serde_json::json!({"id": "cp"})).unwrap();
        assert_eq!(
            r.headers[CONTENT_TYPE],
            "application/json; odata=minimalmetadata"
        );
        assert_eq!(&r.body[..], br#"{"id":"cp"}"#);

        let mut r = request();
        r.json::<(), _>(&serde_json::json!({})).unwrap();
        assert_eq!(r.headers[CONTENT_TYPE], "application/json");
    }

    #[test]
    fn append_query_and_debug_redacts() {
        let mut r = request();
        r.append_query("api key", "s e/cret");
        assert_eq!(r.url.query(), Some("a=1&api%20key=s%20e%2Fcret"));
        r.header::<()>("authorization", "Bearer topsecret").unwrap();
        let dbg = format!("{r:?}");
        assert!(!dbg.contains("cret"), "{dbg}");
        assert!(!dbg.contains("topsecret"), "{dbg}");
        assert!(dbg.contains("https://example.com/x"));
    }

    #[test]
    fn invalid_content_type_is_deferred() {
        let mut r = request();
        r.content_type("bad\nvalue");
        assert!(matches!(
            r.take_rejection::<()>(),
            Some(Error::Validation { .. })
        ));
    }
}
