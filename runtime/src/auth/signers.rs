//! [`Credential`] implementations for the two request signers: Volcengine V4
//! ([`VolcengineSigner`]) and Azure Batch Shared Key ([`SharedKeySigner`]). Both sign the
//! request exactly as it will be sent, once per attempt, with the current time.

use std::fmt;

use chrono::Utc;
use futures::future::BoxFuture;
use http::{HeaderName, HeaderValue};

use super::azure_shared_key::{self, SharedKeyCredential};
use super::volcengine::{self, SigningInput, VolcengineCredentials};
use super::{Credential, CredentialError};
use crate::request::Request;

/// Decoded query pairs of the request URL, in order.
fn query_pairs(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// Host as sent in the `Host` header (with a non-default port).
fn host_header(request: &Request) -> Result<String, CredentialError> {
    let host = request.url.host_str().ok_or_else(|| CredentialError::new("request URL has no host"))?;
    Ok(match request.url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// The request's headers as `(name, value)` text pairs, skipping the given names.
fn header_pairs(request: &Request, skip: &[&str]) -> Result<Vec<(String, String)>, CredentialError> {
    let mut out = Vec::new();
    for (name, value) in &request.headers {
        if skip.contains(&name.as_str()) {
            continue;
        }
        let value = value
            .to_str()
            .map_err(|_| CredentialError::new(format!("header `{name}` is not visible ASCII and cannot be signed")))?;
        out.push((name.as_str().to_owned(), value.to_owned()));
    }
    Ok(out)
}

fn set(request: &mut Request, name: &'static str, value: &str, sensitive: bool) -> Result<(), CredentialError> {
    let mut value = HeaderValue::from_str(value).map_err(|_| CredentialError::new(format!("signed header `{name}` is invalid")))?;
    value.set_sensitive(sensitive);
    request.headers.insert(HeaderName::from_static(name), value);
    Ok(())
}

/// Volcengine OpenAPI V4 signing (`Authorization: HMAC-SHA256 Credential=…`) for one service and
/// region. Sets `Content-Type` (form default) when the request has none, then `X-Date`,
/// `X-Content-Sha256`, `X-Security-Token` (STS) and `Authorization`.
#[derive(Clone)]
pub struct VolcengineSigner {
    credentials: VolcengineCredentials,
    service: String,
    region: String,
}

impl VolcengineSigner {
    /// A signer for `service` (e.g. `ecs`) in `region` (e.g. `cn-beijing`).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        service: impl Into<String>,
        region: impl Into<String>,
    ) -> Self {
        VolcengineSigner {
            credentials: VolcengineCredentials::new(access_key_id, secret_access_key),
            service: service.into(),
            region: region.into(),
        }
    }

    /// Adds an STS session token (sent and signed as `X-Security-Token`).
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = self.credentials.with_session_token(token);
        self
    }

    /// The region in the credential scope.
    pub fn region(&self) -> &str {
        &self.region
    }
}

impl fmt::Debug for VolcengineSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VolcengineSigner")
            .field("credentials", &self.credentials)
            .field("service", &self.service)
            .field("region", &self.region)
            .finish()
    }
}

impl Credential for VolcengineSigner {
    fn authorize<'a>(&'a self, request: &'a mut Request) -> BoxFuture<'a, Result<(), CredentialError>> {
        Box::pin(async move {
            if !request.headers.contains_key(http::header::CONTENT_TYPE) {
                set(request, "content-type", volcengine::DEFAULT_CONTENT_TYPE, false)?;
            }
            for reserved in ["x-date", "x-content-sha256", "x-security-token", "authorization"] {
                request.headers.remove(reserved);
            }
            if request.is_streaming() {
                return Err(CredentialError::new(
                    "Volcengine V4 signs the SHA-256 of the body, which a streamed body does not have before it is sent; pass the body as bytes",
                ));
            }
            let host = host_header(request)?;
            let query = query_pairs(request);
            // Only Content-Type, Content-MD5 and X-* headers take part in the signature.
            let headers: Vec<(String, String)> = header_pairs(request, &[])?
                .into_iter()
                .filter(|(n, _)| n == "content-type" || n == "content-md5" || n.starts_with("x-"))
                .collect();
            let x_date = volcengine::format_x_date(Utc::now());
            let method = request.method.as_str().to_owned();
            let input = SigningInput {
                method: &method,
                host: &host,
                path: request.url.path(),
                query: &query,
                headers: &headers,
                body: &request.body,
                service: &self.service,
                region: &self.region,
                x_date: &x_date,
            };
            let signed = volcengine::sign(&self.credentials, &input)
                .map_err(|e| CredentialError::with_source("Volcengine signing failed", e))?;
            set(request, "x-date", &signed.x_date, false)?;
            set(request, "x-content-sha256", &signed.x_content_sha256, false)?;
            if let Some(token) = &signed.x_security_token {
                set(request, "x-security-token", token, true)?;
            }
            set(request, "authorization", &signed.authorization, true)?;
            Ok(())
        })
    }
}

/// Azure Batch Shared Key signing (`Authorization: SharedKey <account>:<signature>`). Sets
/// `ocp-date` to now on every attempt (unless the caller set one) and, for requests without a body type, the Batch JSON
/// content type, so what is signed is what is sent.
#[derive(Clone, Debug)]
pub struct SharedKeySigner {
    credential: SharedKeyCredential,
}

/// The content type Batch expects on requests (also on body-less POSTs, which it signs).
pub const BATCH_CONTENT_TYPE: &str = "application/json; odata=minimalmetadata";

impl SharedKeySigner {
    /// A signer for `account` with its Base64 key.
    ///
    /// # Errors
    ///
    /// [`CredentialError`] when the account name or key is malformed (the key never appears
    /// in the message).
    pub fn new(account: impl Into<String>, key_base64: &str) -> Result<Self, CredentialError> {
        SharedKeyCredential::new(account, key_base64)
            .map(|credential| SharedKeySigner { credential })
            .map_err(|e| CredentialError::with_source("invalid Batch shared key credential", e))
    }
}

impl Credential for SharedKeySigner {
    fn authorize<'a>(&'a self, request: &'a mut Request) -> BoxFuture<'a, Result<(), CredentialError>> {
        Box::pin(async move {
            if request.method != http::Method::GET
                && request.method != http::Method::HEAD
                && !request.headers.contains_key(http::header::CONTENT_TYPE)
            {
                set(request, "content-type", BATCH_CONTENT_TYPE, false)?;
            }
            request.headers.remove(http::header::DATE);
            request.headers.remove(http::header::AUTHORIZATION);
            // A caller's ocp-date is signed as given; otherwise each attempt gets the current time.
            if !request.headers.contains_key("ocp-date") {
                let ocp_date = azure_shared_key::format_ocp_date(Utc::now());
                set(request, "ocp-date", &ocp_date, false)?;
            }
            let mut headers = header_pairs(request, &[])?;
            // The HTTP client adds Content-Length at send time; the signature must include it.
            if !request.headers.contains_key(http::header::CONTENT_LENGTH) {
                if request.is_streaming() {
                    let Some(length) = request.stream_length() else {
                        return Err(CredentialError::new(
                            "Batch Shared Key signs Content-Length: a streamed body needs a known length (Binary::from_stream_with_length or Binary::from_file)",
                        ));
                    };
                    headers.push(("content-length".into(), length.to_string()));
                } else if !request.body.is_empty() {
                    headers.push(("content-length".into(), request.body.len().to_string()));
                }
            }
            let query = query_pairs(request);
            let authorization = azure_shared_key::sign(
                &self.credential,
                request.method.as_str(),
                request.url.path(),
                &query,
                &headers,
            )
            .map_err(|e| CredentialError::with_source("Batch Shared Key signing failed", e))?;
            set(request, "authorization", &authorization, true)?;
            Ok(())
        })
    }
}
