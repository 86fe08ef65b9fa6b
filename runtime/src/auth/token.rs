//! OAuth2 bearer authentication with access tokens from a [`TokenCredential`].
//!
//! * [`TokenCredential`] — an asynchronous source of access tokens: scopes in, token and
//!   expiry out. Implementations: [`StaticTokenCredential`] (a fixed token) and
//!   [`ClientSecretCredential`] (OAuth2 client credentials grant, e.g. Microsoft Entra ID).
//! * [`OAuth2Bearer`] — the [`Credential`] generated clients use for `oauth2` security
//!   schemes: it asks a `TokenCredential` for a token for its scopes, caches it, refreshes it
//!   shortly before it expires and sends it as `Authorization: Bearer <token>` (header marked
//!   sensitive).
//!
//! Scopes are chosen per API by the generator and are always a constructor argument, never
//! derived from a URL in a response (PROTOCOLS.md §4.3): [`ARM_SCOPE`] for Azure Resource
//! Manager, [`BATCH_SCOPE`] for the Batch data plane; sovereign clouds pass their own.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use restsmith_runtime::auth::{ClientSecretCredential, OAuth2Bearer, ARM_SCOPE};
//! use restsmith_runtime::{ClientCore, ClientOptions};
//!
//! let source = ClientSecretCredential::for_entra_id("my-tenant-id", "my-client-id", "my-secret")?;
//! let credential = OAuth2Bearer::new(Arc::new(source), [ARM_SCOPE]);
//! let core = ClientCore::new(
//!     "https://management.azure.com",
//!     Some(Arc::new(credential)),
//!     ClientOptions::default(),
//!     "my-client",
//!     "1.0.0",
//! )?;
//! # let _ = core;
//! # Ok(())
//! # }
//! ```

mod client_secret;

use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use futures::future::BoxFuture;
use http::header::AUTHORIZATION;
use url::{Host, Url};

use super::{Credential, CredentialError, Secret};
use crate::request::{header_value, redact_url, Request};

pub use client_secret::{ClientSecretCredential, TokenRequestError, ENTRA_AUTHORITY};

/// OAuth2 scope of Azure Resource Manager in the public cloud (`management.azure.com`).
pub const ARM_SCOPE: &str = "https://management.azure.com/.default";

/// OAuth2 scope of the Azure Batch data plane in the public cloud.
pub const BATCH_SCOPE: &str = "https://batch.core.windows.net/.default";

/// An access token and the instant it expires. `Debug` never shows the token.
#[derive(Clone)]
pub struct AccessToken {
    /// The token, sent as `Authorization: Bearer <token>`.
    pub token: Secret,
    /// When the token stops being valid.
    pub expires_on: DateTime<Utc>,
}

impl AccessToken {
    /// A token that expires at `expires_on`.
    pub fn new(token: impl Into<Secret>, expires_on: DateTime<Utc>) -> Self {
        AccessToken {
            token: token.into(),
            expires_on,
        }
    }

    /// Whether the token has expired at `now`.
    pub fn is_expired_at(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires_on
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"<redacted>")
            .field("expires_on", &self.expires_on)
            .finish()
    }
}

/// An asynchronous source of OAuth2 access tokens.
///
/// Implementations fetch a fresh token on every call; caching and single-flight refresh are
/// done by [`OAuth2Bearer`]. Errors must not contain secret material.
pub trait TokenCredential: Send + Sync + fmt::Debug {
    /// A token valid for `scopes` (e.g. `[ARM_SCOPE]`).
    fn get_token<'a>(
        &'a self,
        scopes: &'a [String],
    ) -> BoxFuture<'a, Result<AccessToken, CredentialError>>;
}

/// A fixed access token (obtained elsewhere, e.g. `az account get-access-token`), valid for
/// any scope, optionally with an expiry after which it is refused.
#[derive(Clone)]
pub struct StaticTokenCredential {
    token: AccessToken,
    has_expiry: bool,
}

impl StaticTokenCredential {
    /// A token that never expires (as far as the client knows).
    pub fn new(token: impl Into<Secret>) -> Self {
        StaticTokenCredential {
            token: AccessToken::new(token, DateTime::<Utc>::MAX_UTC),
            has_expiry: false,
        }
    }

    /// A token that expires at `expires_on`; afterwards [`TokenCredential::get_token`] fails
    /// instead of handing out a token the service would reject.
    pub fn with_expiry(token: impl Into<Secret>, expires_on: DateTime<Utc>) -> Self {
        StaticTokenCredential {
            token: AccessToken::new(token, expires_on),
            has_expiry: true,
        }
    }
}

impl fmt::Debug for StaticTokenCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("StaticTokenCredential");
        s.field("token", &"<redacted>");
        if self.has_expiry {
            s.field("expires_on", &self.token.expires_on);
        }
        s.finish()
    }
}

impl TokenCredential for StaticTokenCredential {
    fn get_token<'a>(
        &'a self,
        _scopes: &'a [String],
    ) -> BoxFuture<'a, Result<AccessToken, CredentialError>> {
        Box::pin(async move {
            if self.token.token.expose().is_empty() {
                return Err(CredentialError::new("static access token is empty"));
            }
            if self.token.is_expired_at(Utc::now()) {
                return Err(CredentialError::new(format!(
                    "static access token expired at {}",
                    self.token.expires_on.to_rfc3339()
                )));
            }
            Ok(self.token.clone())
        })
    }
}

/// A cached token and when to replace it.
struct Cached {
    token: AccessToken,
    refresh_at: DateTime<Utc>,
}

/// What [`OAuth2Bearer`] shares between concurrent requests.
#[derive(Default)]
struct CacheState {
    token: Option<Cached>,
    /// Incremented whenever a token request completes (successfully or not).
    generation: u64,
    /// Message of the last token request, if it failed.
    last_failure: Option<String>,
}

/// OAuth2 bearer authentication (`Authorization: Bearer <access token>`) with tokens from a
/// [`TokenCredential`] for a fixed set of scopes.
///
/// * **Caching**: a token is reused until `refresh_before` (default 5 minutes, see
///   [`OAuth2Bearer::refresh_before`]) before it expires — for tokens that live less than twice
///   that margin, until half of their lifetime has passed.
/// * **Single flight**: at most one token request runs at a time. Requests that need a token
///   while none is valid wait for the running request and share its result (a failure too —
///   they do not each ask again). Requests arriving while a still-valid token is being
///   refreshed early use that token without waiting.
/// * **Transport security**: the token is only attached to `https` URLs (plain `http` only for
///   loopback hosts), regardless of [`crate::ClientOptions::allow_insecure_http`]; the check
///   happens before any token is requested.
///
/// The cache belongs to this value: share one `Arc<OAuth2Bearer>` between clients that use the
/// same identity and scopes. `Debug` shows the scopes and the cached token's expiry, never the
/// token.
pub struct OAuth2Bearer {
    credential: Arc<dyn TokenCredential>,
    scopes: Vec<String>,
    refresh_before: Duration,
    state: Mutex<CacheState>,
    refresh: tokio::sync::Mutex<()>,
}

impl OAuth2Bearer {
    /// Default margin before expiry at which a token is refreshed (5 minutes).
    pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(300);

    /// Bearer authentication with tokens from `credential` for `scopes` (e.g. `[ARM_SCOPE]`;
    /// sovereign clouds pass their own audience).
    pub fn new<S: Into<String>>(
        credential: Arc<dyn TokenCredential>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        OAuth2Bearer {
            credential,
            scopes: scopes.into_iter().map(Into::into).collect(),
            refresh_before: Self::DEFAULT_REFRESH_BEFORE,
            state: Mutex::new(CacheState::default()),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// Refreshes a cached token this long before it expires (default
    /// [`OAuth2Bearer::DEFAULT_REFRESH_BEFORE`]); capped at half the token's lifetime.
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = margin;
        self
    }

    /// The scopes tokens are requested for.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// The token the next request would carry: the cached one while it is fresh, else a new
    /// one (single-flight, as for requests).
    ///
    /// # Errors
    ///
    /// The [`TokenCredential`]'s error when no valid token could be obtained.
    pub async fn access_token(&self) -> Result<AccessToken, CredentialError> {
        let now = Utc::now();
        let (seen, still_valid) = {
            let state = self.lock_state();
            match &state.token {
                Some(c) if now < c.refresh_at => return Ok(c.token.clone()),
                Some(c) if !c.token.is_expired_at(now) => (state.generation, Some(c.token.clone())),
                _ => (state.generation, None),
            }
        };

        // A refresh is due. With a still-valid token, refresh only if nobody else is doing it
        // already; without one, wait for the running refresh.
        let _guard = match &still_valid {
            Some(token) => match self.refresh.try_lock() {
                Ok(guard) => guard,
                Err(_) => return Ok(token.clone()),
            },
            None => self.refresh.lock().await,
        };

        // Did a token request complete while we waited? Then use its outcome.
        {
            let state = self.lock_state();
            if state.generation != seen {
                match (&state.token, &state.last_failure) {
                    (Some(c), None) if !c.token.is_expired_at(Utc::now()) => {
                        return Ok(c.token.clone())
                    }
                    (_, Some(message)) => {
                        return match still_valid {
                            Some(token) => Ok(token),
                            None => Err(CredentialError::new(message.clone())),
                        }
                    }
                    _ => {}
                }
            }
        }

        tracing::debug!(scopes = %self.scopes.join(" "), "requesting access token");
        let result = self.credential.get_token(&self.scopes).await;
        let mut state = self.lock_state();
        state.generation = state.generation.wrapping_add(1);
        match result {
            Ok(token) => {
                let now = Utc::now();
                tracing::debug!(expires_on = %token.expires_on.to_rfc3339(), "access token acquired");
                state.last_failure = None;
                state.token = Some(Cached {
                    refresh_at: refresh_at(now, token.expires_on, self.refresh_before),
                    token: token.clone(),
                });
                Ok(token)
            }
            Err(error) => {
                tracing::debug!(error = %error, "access token request failed");
                state.last_failure = Some(error.message().to_owned());
                match still_valid {
                    Some(token) => Ok(token),
                    None => Err(error),
                }
            }
        }
    }

    /// Forgets the cached token, e.g. after the service rejected it with `401`; the next
    /// request asks the [`TokenCredential`] again.
    pub fn invalidate(&self) {
        let mut state = self.lock_state();
        state.token = None;
        state.last_failure = None;
    }

    fn lock_state(&self) -> MutexGuard<'_, CacheState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `expires_on − min(margin, lifetime / 2)`, where lifetime is counted from `now`.
fn refresh_at(now: DateTime<Utc>, expires_on: DateTime<Utc>, margin: Duration) -> DateTime<Utc> {
    if expires_on <= now {
        return expires_on;
    }
    let half_life = expires_on.signed_duration_since(now) / 2;
    let margin = TimeDelta::from_std(margin).unwrap_or(TimeDelta::MAX);
    expires_on
        .checked_sub_signed(margin.min(half_life))
        .unwrap_or(now)
}

/// Whether `url` may carry a bearer token: `https`, or `http` to a loopback host.
fn is_secure_target(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => is_loopback(url),
        _ => false,
    }
}

/// Whether `url`'s host is a loopback address or `localhost`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

impl fmt::Debug for OAuth2Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached_until = self.lock_state().token.as_ref().map(|c| c.token.expires_on);
        f.debug_struct("OAuth2Bearer")
            .field("credential", &self.credential)
            .field("scopes", &self.scopes)
            .field("refresh_before", &self.refresh_before)
            .field("cached_token_expires_on", &cached_until)
            .finish()
    }
}

impl Credential for OAuth2Bearer {
    fn authorize<'a>(
        &'a self,
        request: &'a mut Request,
    ) -> BoxFuture<'a, Result<(), CredentialError>> {
        Box::pin(async move {
            if !is_secure_target(&request.url) {
                return Err(CredentialError::new(format!(
                    "refusing to send a bearer token to {}: https is required",
                    redact_url(&request.url)
                )));
            }
            let token = self.access_token().await?;
            let secret = token.token.expose();
            if secret.is_empty() {
                return Err(CredentialError::new("access token is empty"));
            }
            let mut value = header_value(&format!("Bearer {secret}")).map_err(|reason| {
                CredentialError::new(format!("invalid access token: {reason}"))
            })?;
            value.set_sensitive(true);
            request.headers.insert(AUTHORIZATION, value);
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_point() {
        let now = Utc::now();
        let hour = now + TimeDelta::hours(1);
        assert_eq!(
            refresh_at(now, hour, Duration::from_secs(300)),
            hour - TimeDelta::minutes(5)
        );
        // Short-lived token: half its lifetime.
        let short = now + TimeDelta::seconds(60);
        assert_eq!(
            refresh_at(now, short, Duration::from_secs(300)),
            now + TimeDelta::seconds(30)
        );
        assert_eq!(refresh_at(now, now, Duration::ZERO), now);
        let past = now - TimeDelta::seconds(1);
        assert_eq!(refresh_at(now, past, Duration::from_secs(1)), past);
        let never = DateTime::<Utc>::MAX_UTC;
        assert_eq!(
            refresh_at(now, never, Duration::MAX),
            never - (never.signed_duration_since(now) / 2)
        );
    }

    #[test]
    fn secure_targets() {
        for (u, ok) in [
            ("https://x.example/a", true),
            ("http://127.0.0.1:8080/", true),
            ("http://[::1]/", true),
            ("http://localhost/", true),
            ("http://x.example/", false),
            ("ftp://x.example/", false),
        ] {
            assert_eq!(is_secure_target(&Url::parse(u).unwrap()), ok, "{u}");
        }
    }

    #[test]
    fn debug_redacts() {
        let t = AccessToken::new("tok-s3cret", Utc::now());
        assert!(!format!("{t:?}").contains("s3cret"));
        let c = StaticTokenCredential::with_expiry("tok-s3cret", Utc::now());
        assert!(!format!("{c:?}").contains("s3cret"));
    }
}
