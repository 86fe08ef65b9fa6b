//! A static bearer token: `Authorization: Bearer <token>`.

use std::fmt;

use futures::future::BoxFuture;
use http::header::AUTHORIZATION;

use super::{Credential, CredentialError, Secret};
use crate::request::{header_value, Request};

/// Sends a fixed token as `Authorization: Bearer <token>` (header marked sensitive).
#[derive(Clone)]
pub struct BearerToken {
    token: Secret,
}

impl BearerToken {
    /// A credential for `token` (without the `Bearer ` prefix).
    pub fn new(token: impl Into<String>) -> Self {
        BearerToken {
            token: Secret::new(token),
        }
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerToken")
            .field("token", &"<redacted>")
            .finish()
    }
}

impl Credential for BearerToken {
    fn authorize<'a>(
        &'a self,
        request: &'a mut Request,
    ) -> BoxFuture<'a, Result<(), CredentialError>> {
        Box::pin(async move {
            let token = self.token.expose();
            if token.is_empty() {
                return Err(CredentialError::new("bearer token is empty"));
            }
            let mut value = header_value(&format!("Bearer {token}")).map_err(|reason| {
                CredentialError::new(format!("invalid bearer token: {reason}"))
            })?;
            value.set_sensitive(true);
            request.headers.insert(AUTHORIZATION, value);
            Ok(())
        })
    }
}
