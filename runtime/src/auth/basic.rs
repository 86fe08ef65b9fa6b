//! HTTP Basic authentication: `Authorization: Basic base64(user:password)`.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use futures::future::BoxFuture;
use http::header::AUTHORIZATION;
use zeroize::Zeroizing;

use super::{Credential, CredentialError, Secret};
use crate::request::{header_value, Request};

/// Sends `Authorization: Basic …` (header marked sensitive); `Debug` shows the user only.
#[derive(Clone)]
pub struct BasicAuth {
    user: String,
    password: Secret,
}

impl BasicAuth {
    /// A credential for `user` and `password`. A user containing `:` or control characters
    /// is rejected when the first request is authorized.
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        BasicAuth {
            user: user.into(),
            password: Secret::new(password),
        }
    }
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

impl Credential for BasicAuth {
    fn authorize<'a>(
        &'a self,
        request: &'a mut Request,
    ) -> BoxFuture<'a, Result<(), CredentialError>> {
        Box::pin(async move {
            if self.user.contains(':') || self.user.chars().any(char::is_control) {
                return Err(CredentialError::new(
                    "basic auth user must not contain `:` or control characters",
                ));
            }
            if self.password.expose().chars().any(char::is_control) {
                return Err(CredentialError::new(
                    "basic auth password must not contain control characters",
                ));
            }
            let pair = Zeroizing::new(format!("{}:{}", self.user, self.password.expose()));
            let encoded = Zeroizing::new(format!("Basic {}", STANDARD.encode(pair.as_bytes())));
            let mut value = header_value(&encoded).map_err(|reason| {
                CredentialError::new(format!("invalid basic auth header: {reason}"))
            })?;
            value.set_sensitive(true);
            request.headers.insert(AUTHORIZATION, value);
            Ok(())
        })
    }
}
