//! A static API key sent in a header, a query parameter or a cookie.

use std::fmt;

use futures::future::BoxFuture;
use http::header::{HeaderName, HeaderValue, COOKIE};

use super::{Credential, CredentialError, Secret};
use crate::request::{header_value, Request};

/// Where an [`ApiKey`] goes.
#[derive(Debug, Clone)]
enum Placement {
    Header(&'static str),
    Query(String),
    Cookie(String),
}

/// A fixed API key (OpenAPI `apiKey` security scheme), e.g. NeutonOS `x-sddc-token`.
///
/// Header values are marked sensitive; `Debug` shows where the key goes, never its value.
#[derive(Clone)]
pub struct ApiKey {
    placement: Placement,
    value: Secret,
}

impl ApiKey {
    /// Sends the key as header `name: value`.
    pub fn header(name: &'static str, value: impl Into<String>) -> Self {
        ApiKey {
            placement: Placement::Header(name),
            value: Secret::new(value),
        }
    }

    /// Sends the key as query parameter `name=value` (strictly percent-encoded).
    pub fn query(name: impl Into<String>, value: impl Into<String>) -> Self {
        ApiKey {
            placement: Placement::Query(name.into()),
            value: Secret::new(value),
        }
    }

    /// Sends the key as cookie `name=value`, appended to any `Cookie` header already present.
    ///
    /// An explicit `Cookie` header replaces the client's cookie store for that request.
    pub fn cookie(name: impl Into<String>, value: impl Into<String>) -> Self {
        ApiKey {
            placement: Placement::Cookie(name.into()),
            value: Secret::new(value),
        }
    }

    fn apply(&self, request: &mut Request) -> Result<(), CredentialError> {
        let value = self.value.expose();
        match &self.placement {
            Placement::Header(name) => {
                let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    CredentialError::new(format!("invalid API key header name `{name}`"))
                })?;
                let mut value = header_value(value).map_err(|reason| {
                    CredentialError::new(format!("invalid API key for header `{name}`: {reason}"))
                })?;
                value.set_sensitive(true);
                request.headers.insert(name, value);
            }
            Placement::Query(name) => request.append_query(name, value),
            Placement::Cookie(name) => {
                if name.is_empty() || !name.bytes().all(is_cookie_name_byte) {
                    return Err(CredentialError::new(format!(
                        "invalid API key cookie name `{name}`"
                    )));
                }
                if !value.bytes().all(is_cookie_value_byte) {
                    return Err(CredentialError::new(format!(
                        "invalid API key for cookie `{name}`: not a valid cookie value"
                    )));
                }
                let pair = format!("{name}={value}");
                let combined = match request.headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                    Some(existing) if !existing.is_empty() => format!("{existing}; {pair}"),
                    _ => pair,
                };
                let mut header = HeaderValue::from_str(&combined)
                    .map_err(|_| CredentialError::new("invalid Cookie header"))?;
                header.set_sensitive(true);
                request.headers.insert(COOKIE, header);
            }
        }
        Ok(())
    }
}

/// RFC 6265 `token` characters.
fn is_cookie_name_byte(b: u8) -> bool {
    b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b)
}

/// RFC 6265 `cookie-octet`.
fn is_cookie_value_byte(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (location, name) = match &self.placement {
            Placement::Header(n) => ("header", *n),
            Placement::Query(n) => ("query", n.as_str()),
            Placement::Cookie(n) => ("cookie", n.as_str()),
        };
        f.debug_struct("ApiKey")
            .field("in", &location)
            .field("name", &name)
            .field("value", &"<redacted>")
            .finish()
    }
}

impl Credential for ApiKey {
    fn authorize<'a>(
        &'a self,
        request: &'a mut Request,
    ) -> BoxFuture<'a, Result<(), CredentialError>> {
        Box::pin(async move { self.apply(request) })
    }
}
