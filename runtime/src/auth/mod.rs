//! Credentials: how a request is authenticated or signed before it is sent.
//!
//! The pipeline calls [`Credential::authorize`] once per attempt, after interceptors
//! modified the request and right before it is transmitted, so time-bound signatures
//! (Batch `ocp-date`, Volcengine `X-Date`) are recomputed on every retry (PROTOCOLS.md §7.3).
//! Credential types keep secrets in [`Secret`] (zeroized on drop) and have redacting `Debug`
//! impls; headers they add are marked sensitive (PROTOCOLS.md §8.5).

mod api_key;
mod basic;
mod bearer;
mod secret;
mod signers;
mod token;

pub mod azure_shared_key;
pub mod volcengine;

use futures::future::BoxFuture;

pub use api_key::ApiKey;
pub use basic::BasicAuth;
pub use bearer::BearerToken;
pub use secret::Secret;
pub use signers::{SharedKeySigner, VolcengineSigner, BATCH_CONTENT_TYPE};
pub use token::{
    AccessToken, ClientSecretCredential, OAuth2Bearer, StaticTokenCredential, TokenCredential,
    TokenRequestError, ARM_SCOPE, BATCH_SCOPE, ENTRA_AUTHORITY,
};

use crate::error::BoxError;
use crate::request::Request;

/// Authorizes or signs a request; called once per attempt.
pub trait Credential: Send + Sync + std::fmt::Debug {
    /// Adds whatever the service needs (headers, query parameters) to `request`.
    fn authorize<'a>(
        &'a self,
        request: &'a mut Request,
    ) -> BoxFuture<'a, Result<(), CredentialError>>;
}

/// A credential could not authorize a request. Never contains secret material.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CredentialError {
    message: String,
    #[source]
    source: Option<BoxError>,
}

impl CredentialError {
    /// An error with a message (which must not contain secrets).
    pub fn new(message: impl Into<String>) -> Self {
        CredentialError {
            message: message.into(),
            source: None,
        }
    }

    /// An error with a message and an underlying cause (neither may contain secrets).
    pub fn with_source(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        CredentialError {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}
