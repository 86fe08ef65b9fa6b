//! A complete HTTP response as returned by the pipeline, with typed accessors.

use std::ops::RangeInclusive;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{raw_body_text, ApiError, DecodeError, Error, ErrorBody};

/// Header names that carry a server request id, in lookup order.
pub const REQUEST_ID_HEADERS: &[&str] = &[
    "x-ms-request-id",
    "request-id",
    "x-request-id",
    "apigw-requestid",
    "x-amzn-requestid",
    "x-amz-request-id",
];

/// The successful response of an operation: its status, the server's request id, the headers
/// the spec documents (`H`), every header as received and the decoded body (`B`).
///
/// Each generated operation module names its own: `pub type Response = Response<Body, Headers>`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<B, H = NoHeaders> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The request id the service assigned (a request-id header, or the body's for APIs that
    /// put it there), for support cases.
    pub request_id: Option<String>,
    /// The documented response headers.
    pub headers: H,
    /// Every response header as received.
    pub raw_headers: HeaderMap,
    /// The decoded body.
    pub body: B,
}

impl<B, H> Response<B, H> {
    /// Takes the status and headers of `raw`, with the request id, documented headers and body
    /// the operation decoded from it.
    pub fn new(raw: RawResponse, request_id: Option<String>, headers: H, body: B) -> Self {
        Response {
            status: raw.status,
            request_id,
            headers,
            raw_headers: raw.headers,
            body,
        }
    }
}

/// The documented headers of an operation whose spec documents none.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct NoHeaders;

/// The documented headers of a response that has none (for [`RawResponse::decode_one`]).
#[inline]
pub fn no_headers<H: Default>(_: &RawResponse) -> H {
    H::default()
}

/// An error body decoded as JSON of type `E`, whatever the status (for
/// [`RawResponse::decode_one`]); `None` when it does not decode.
#[inline]
pub fn json_error<E: DeserializeOwned>(_: StatusCode, body: &[u8]) -> Option<E> {
    serde_json::from_slice(body).ok()
}

/// A response of any status with its body fully read (at most the client's body cap).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RawResponse {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Bytes,
    /// Client request id the pipeline sent (see `ClientOptions::client_request_id_header`).
    pub client_request_id: Option<String>,
    /// 1-based number of the attempt that produced this response (`> 1`: the call was retried).
    pub attempts: u32,
}

impl RawResponse {
    /// A response from its parts (attempt 1, no client request id).
    pub fn new(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        RawResponse {
            status,
            headers,
            body: body.into(),
            client_request_id: None,
            attempts: 1,
        }
    }

    /// Decodes the body as JSON.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] keeping status, headers, request ids and up to 8 KiB of the raw body.
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body).map_err(|e| {
            let message = format!("invalid JSON: {e}");
            Error::Decode(Box::new(self.decode_error(message, Some(Box::new(e)))))
        })
    }

    /// A [`DecodeError`] describing this response, for decoders other than [`RawResponse::json`].
    pub fn decode_error(
        &self,
        message: impl Into<String>,
        source: Option<crate::error::BoxError>,
    ) -> DecodeError {
        DecodeError::new(
            self.status,
            self.headers.clone(),
            self.request_id().map(str::to_owned),
            self.client_request_id.clone(),
            raw_body_text(&self.body),
            message,
            source,
        )
    }

    /// Header value as text; `None` when absent or not visible ASCII.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// Header value parsed with `FromStr` (surrounding whitespace ignored); `None` when absent
    /// or unparsable.
    pub fn header<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.header_str(name)?.trim().parse().ok()
    }

    /// Header value as an HTTP-date (RFC 1123, e.g. `Last-Modified`); `None` when absent or invalid.
    pub fn header_rfc1123(&self, name: &str) -> Option<DateTime<Utc>> {
        crate::serde_helpers::rfc1123::parse(self.header_str(name)?.trim())
    }

    /// Header value as an RFC 3339 date-time (offset optional, UTC assumed); `None` when
    /// absent or invalid.
    pub fn header_date_time(&self, name: &str) -> Option<DateTime<Utc>> {
        crate::serde_helpers::date_time::parse(self.header_str(name)?.trim())
    }

    /// The server request id: first present of [`REQUEST_ID_HEADERS`].
    pub fn request_id(&self) -> Option<&str> {
        REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| self.header_str(name))
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// The result of an operation with one success response: a status in `success` (one
    /// status, or `200..=299`) gives its body read by `body` and its documented headers read by
    /// `headers`; any other status is the API's error, its body decoded by `error_body` (see
    /// [`RawResponse::into_error_with`]).
    ///
    /// Generated operations decode their responses with this in one call.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for a status outside `success`; the error of `body` (e.g.
    /// [`Error::Decode`]) when the body does not decode.
    #[inline]
    pub fn decode_one<T, H, E: ErrorBody>(
        self,
        success: RangeInclusive<u16>,
        body: impl FnOnce(&RawResponse) -> Result<T, Error<E>>,
        headers: impl FnOnce(&RawResponse) -> H,
        error_body: impl FnOnce(StatusCode, &[u8]) -> Option<E>,
    ) -> Result<Response<T, H>, Error<E>> {
        if !success.contains(&self.status.as_u16()) {
            return Err(self.into_error_with(error_body));
        }
        let body = body(&self)?;
        let request_id = self.request_id().map(str::to_owned);
        let headers = headers(&self);
        Ok(Response::new(self, request_id, headers, body))
    }

    /// The body of a response that documents none: `()`, whatever was sent (for
    /// [`RawResponse::decode_one`]).
    ///
    /// # Errors
    ///
    /// Never.
    #[inline]
    pub fn no_body<E>(&self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// Turns a non-success response into [`Error::Api`]; never fails (PROTOCOLS.md §3.5).
    ///
    /// The body is decoded as `E` when possible. `code` comes from the body (via
    /// [`ErrorBody`]; if `E` does not decode, from the body as untyped JSON), else from the
    /// `x-ms-error-code` header; `message` likewise from the body.
    pub fn into_error<E: DeserializeOwned + ErrorBody>(self) -> Error<E> {
        self.into_error_with(json_error)
    }

    /// [`RawResponse::into_error`] with the body decoded by `decode` from the status and bytes
    /// (an operation whose error responses have different types per status).
    pub fn into_error_with<E: ErrorBody>(self, decode: impl FnOnce(StatusCode, &[u8]) -> Option<E>) -> Error<E> {
        let has_body = !self.body.iter().all(u8::is_ascii_whitespace);
        let typed: Option<E> = if has_body { decode(self.status, &self.body) } else { None };
        let untyped: Option<serde_json::Value> = if has_body && typed.is_none() {
            serde_json::from_slice(&self.body).ok()
        } else {
            None
        };
        let (code, message, body_request_id) = match (&typed, &untyped) {
            (Some(body), _) => (owned(body.code()), owned(body.message()), owned(body.request_id())),
            (None, Some(value)) => (owned(value.code()), owned(value.message()), owned(value.request_id())),
            (None, None) => (None, None, None),
        };
        let code = code.or_else(|| owned(self.header_str("x-ms-error-code")));
        let request_id = owned(self.request_id()).or(body_request_id);
        let raw_body = raw_body_text(&self.body);
        Error::Api(Box::new(ApiError::new(
            self.status,
            self.headers,
            request_id,
            self.client_request_id,
            typed,
            raw_body,
            code,
            message,
            self.attempts,
        )))
    }
}

fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn response(status: u16, headers: &[(&'static str, &str)], body: &str) -> RawResponse {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        RawResponse::new(StatusCode::from_u16(status).unwrap(), map, body.to_owned())
    }

    #[test]
    fn header_accessors() {
        let r = response(
            200,
            &[
                ("retry-after", " 15"),
                ("last-modified", "Fri, 05 Jan 2024 09:30:00 GMT"),
                ("x-start", "2024-01-05T09:30:00"),
                ("request-id", "r2"),
                ("x-ms-request-id", "r1"),
            ],
            "",
        );
        assert_eq!(r.header::<u32>("Retry-After"), Some(15));
        assert_eq!(r.header::<u32>("missing"), None);
        assert_eq!(r.header::<u32>("request-id"), None);
        assert_eq!(
            r.header_rfc1123("last-modified").map(|d| d.to_rfc3339()),
            Some("2024-01-05T09:30:00+00:00".into())
        );
        assert_eq!(
            r.header_date_time("x-start").map(|d| d.to_rfc3339()),
            Some("2024-01-05T09:30:00+00:00".into())
        );
        assert_eq!(r.request_id(), Some("r1"));
    }

    #[test]
    fn decode_one_checks_the_status_then_reads_body_headers_and_request_id() {
        let etag = |r: &RawResponse| r.header_str("etag").map(str::to_owned);
        let ok: Response<serde_json::Value, Option<String>> = response(
            201,
            &[("etag", "e1"), ("x-request-id", "r1")],
            r#"{"id":7}"#,
        )
        .decode_one::<_, _, serde_json::Value>(201..=201, RawResponse::json, etag, json_error)
        .unwrap();
        assert_eq!((ok.status.as_u16(), ok.body["id"].as_i64()), (201, Some(7)));
        assert_eq!((ok.headers.as_deref(), ok.request_id.as_deref()), (Some("e1"), Some("r1")));

        // A range accepts any 2xx; no body and no headers.
        let empty: Response<(), NoHeaders> = response(204, &[], "")
            .decode_one::<_, _, serde_json::Value>(200..=299, RawResponse::no_body, no_headers, json_error)
            .unwrap();
        assert_eq!(empty.status.as_u16(), 204);

        // Another status, even a 2xx one, is the API's error with its body decoded.
        let err = response(200, &[], r#"{"code":"Nope","message":"wrong status"}"#)
            .decode_one::<(), NoHeaders, serde_json::Value>(201..=201, RawResponse::no_body, no_headers, json_error)
            .unwrap_err();
        let api = err.api().expect("an API error");
        assert_eq!((api.status.as_u16(), api.code.as_deref()), (200, Some("Nope")));
        assert_eq!(api.body.as_ref().and_then(|b| b["message"].as_str()), Some("wrong status"));

        // A success status whose body does not decode is a decode error.
        let bad = response(201, &[], "not json")
            .decode_one::<serde_json::Value, NoHeaders, serde_json::Value>(201..=201, RawResponse::json, no_headers, json_error)
            .unwrap_err();
        assert!(matches!(bad, Error::Decode(_)), "{bad:?}");
    }

    #[test]
    fn into_error_with_json_html_and_empty_bodies() {
        let err: Error = response(
            409,
            &[("x-ms-request-id", "rid")],
            r#"{"error":{"code":"Conflict","message":"already done"}}"#,
        )
        .into_error();
        let api = err.api().unwrap();
        assert_eq!(api.code.as_deref(), Some("Conflict"));
        assert_eq!(api.message.as_deref(), Some("already done"));
        assert!(api.body.is_some());
        assert_eq!(api.request_id.as_deref(), Some("rid"));

        let err: Error =
            response(502, &[("x-ms-error-code", "Gateway")], "<html>bad</html>").into_error();
        let api = err.api().unwrap();
        assert!(api.body.is_none());
        assert_eq!(api.raw_body, "<html>bad</html>");
        assert_eq!(api.code.as_deref(), Some("Gateway"));

        let err: Error = response(404, &[], "").into_error();
        assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
        assert!(err.api().unwrap().body.is_none());
        assert_eq!(err.to_string(), "HTTP 404 Not Found");
    }

    #[test]
    fn json_decode_error_keeps_raw_body() {
        let r = response(200, &[("request-id", "b1")], "{not json");
        let err = r.json::<serde_json::Value, ()>().unwrap_err();
        match err {
            Error::Decode(d) => {
                assert_eq!(d.raw_body, "{not json");
                assert_eq!(d.status, StatusCode::OK);
                assert_eq!(d.request_id.as_deref(), Some("b1"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
