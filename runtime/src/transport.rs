//! One HTTP exchange over `reqwest`: send, read the capped body, classify failures.
//!
//! No retries, credentials or tracing decisions here — only turning a [`Request`] into a
//! complete response or a [`Failure`] that says how far the exchange got.

use std::error::Error as StdError;
use std::io;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, Method, StatusCode};
use tokio::time::{timeout_at, Instant};

use crate::error::{BoxError, TimeoutPhase, TransportErrorKind};
use crate::request::{mark_secret_headers, Request};

/// Default cap on response bodies (16 MiB, PROTOCOLS.md §8.4).
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 16 * 1024 * 1024;

/// A complete response.
#[derive(Debug)]
pub(crate) struct Exchange {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Why an exchange did not produce a complete response.
#[derive(Debug)]
pub(crate) enum Failure {
    Transport {
        kind: TransportErrorKind,
        source: BoxError,
    },
    Timeout(TimeoutPhase),
    TooLarge {
        status: StatusCode,
    },
}

/// Sends requests with a configured `reqwest::Client`.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    max_body: usize,
}

impl Transport {
    pub(crate) fn new(http: reqwest::Client, max_body: usize) -> Self {
        Transport { http, max_body }
    }

    /// Sends `request`; the whole exchange (connect, headers, body) must finish within `limit`.
    pub(crate) async fn execute(
        &self,
        request: Request,
        limit: Duration,
    ) -> Result<Exchange, Failure> {
        let deadline = Instant::now() + limit;
        let stream = match request.stream_body() {
            None => None,
            Some(body) => match body.take() {
                Some(stream) => Some((stream, body.length())),
                None => {
                    return Err(Failure::Transport {
                        kind: TransportErrorKind::Other,
                        source: "the streamed request body was already consumed by an earlier send".into(),
                    })
                }
            },
        };
        let mut builder = self
            .http
            .request(request.method.clone(), request.url)
            .headers(request.headers);
        let bodyless = matches!(request.method, Method::GET | Method::HEAD);
        if let Some((stream, length)) = stream {
            if let Some(length) = length {
                builder = builder.header(http::header::CONTENT_LENGTH, length);
            }
            builder = builder.body(reqwest::Body::wrap_stream(stream));
        } else {
            // hyper sends no Content-Length for an empty body; POST/PUT/PATCH need `0` (Azure
            // Batch signs it, front ends may answer 411 without it).
            if request.body.is_empty() && matches!(request.method, Method::POST | Method::PUT | Method::PATCH) {
                builder = builder.header(http::header::CONTENT_LENGTH, "0");
            }
            if !(bodyless && request.body.is_empty()) {
                builder = builder.body(request.body);
            }
        }

        let response = match timeout_at(deadline, builder.send()).await {
            Err(_) => return Err(Failure::Timeout(TimeoutPhase::Response)),
            Ok(Err(e)) => return Err(classify_send_error(e)),
            Ok(Ok(response)) => response,
        };

        let status = response.status();
        let mut headers = response.headers().clone();
        mark_secret_headers(&mut headers);
        if response
            .content_length()
            .is_some_and(|len| len > self.max_body as u64)
        {
            return Err(Failure::TooLarge { status });
        }
        let mut response = response;
        let mut body = BytesMut::new();
        loop {
            match timeout_at(deadline, response.chunk()).await {
                Err(_) => return Err(Failure::Timeout(TimeoutPhase::Body)),
                Ok(Err(e)) => {
                    if e.is_timeout() {
                        return Err(Failure::Timeout(TimeoutPhase::Body));
                    }
                    return Err(Failure::Transport {
                        kind: TransportErrorKind::BodyInterrupted,
                        source: Box::new(e.without_url()),
                    });
                }
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => {
                    if body.len() + chunk.len() > self.max_body {
                        return Err(Failure::TooLarge { status });
                    }
                    body.extend_from_slice(&chunk);
                }
            }
        }
        Ok(Exchange {
            status,
            headers,
            body: body.freeze(),
        })
    }
}

/// Classifies an error from `send()` (before any response byte was read).
fn classify_send_error(error: reqwest::Error) -> Failure {
    let error = error.without_url();
    if error.is_connect() {
        if error.is_timeout() {
            return Failure::Timeout(TimeoutPhase::Connect);
        }
        let kind = if looks_like_tls(&error) {
            TransportErrorKind::Tls
        } else {
            TransportErrorKind::Connect
        };
        return Failure::Transport {
            kind,
            source: Box::new(error),
        };
    }
    if error.is_timeout() {
        return Failure::Timeout(TimeoutPhase::Response);
    }
    let kind = if error.is_builder() {
        TransportErrorKind::Other
    } else {
        TransportErrorKind::NoResponse
    };
    Failure::Transport {
        kind,
        source: Box::new(error),
    }
}

/// rustls reports handshake and certificate failures as `io::ErrorKind::InvalidData`.
pub(crate) fn looks_like_tls(error: &reqwest::Error) -> bool {
    let mut source = error.source();
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<io::Error>() {
            if io.kind() == io::ErrorKind::InvalidData {
                return true;
            }
        }
        source = err.source();
    }
    false
}

/// The innermost cause's message, e.g. `Connection refused (os error 111)`. Never a URL.
pub(crate) fn root_cause(error: &(dyn StdError + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}
