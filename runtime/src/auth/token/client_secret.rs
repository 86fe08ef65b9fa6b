//! OAuth2 client credentials grant (RFC 6749 §4.4) with a client secret.

use std::fmt;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::{DateTime, TimeDelta, Utc};
use futures::future::BoxFuture;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};
use url::form_urlencoded;
use url::Url;
use zeroize::Zeroizing;

use super::{is_loopback, AccessToken, TokenCredential};
use crate::auth::{CredentialError, Secret};
use crate::request::redact_url;
use crate::retry::{retry_after, RetryOptions};
use crate::transport::{looks_like_tls, root_cause};

/// Authority host of Microsoft Entra ID in the public cloud. Sovereign clouds use their own
/// (e.g. `https://login.microsoftonline.us`), see [`ClientSecretCredential::for_entra_id_at`].
pub const ENTRA_AUTHORITY: &str = "https://login.microsoftonline.com";

/// Cap on token endpoint response bodies.
const MAX_TOKEN_RESPONSE: usize = 1024 * 1024;

/// Longest error description kept from a token endpoint response (characters).
const MAX_DESCRIPTION: usize = 1024;

/// Lifetime assumed when a token response carries neither `expires_in` nor `expires_on`.
const DEFAULT_LIFETIME: TimeDelta = TimeDelta::minutes(5);

/// The token endpoint answered with an error status: an OAuth2 error response
/// (`{"error": "invalid_client", "error_description": "…"}`, RFC 6749 §5.2) or anything else.
///
/// It is the [`source`](std::error::Error::source) of the [`CredentialError`] returned by
/// [`ClientSecretCredential`]; the error's message repeats its text. Never contains the
/// client secret (an echoed secret is replaced by `<redacted>`).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub struct TokenRequestError {
    /// HTTP status of the token endpoint's response.
    pub status: StatusCode,
    /// OAuth2 `error` code (e.g. `invalid_client`, `invalid_scope`), when the body had one.
    pub error: Option<String>,
    /// `error_description`, or the start of a non-JSON body; control characters removed,
    /// at most 1024 characters.
    pub error_description: Option<String>,
}

impl fmt::Display for TokenRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(error) = &self.error {
            write!(f, ": {error}")?;
        }
        if let Some(description) = &self.error_description {
            write!(f, ": {description}")?;
        }
        Ok(())
    }
}

/// OAuth2 client credentials grant with a client secret: a form `POST` of
/// `grant_type=client_credentials&client_id=…&client_secret=…&scope=<scopes joined by spaces>`
/// to a token endpoint, reading `access_token`, `expires_in` (a number or a numeric string)
/// and `token_type` (must be `Bearer` when present).
///
/// Works with Microsoft Entra ID ([`ClientSecretCredential::for_entra_id`]) and any OAuth2
/// server ([`ClientSecretCredential::new`]). Wrap it in an [`OAuth2Bearer`](super::OAuth2Bearer),
/// which caches tokens; this type requests a new token on every call.
///
/// * The token endpoint must use `https` (plain `http` only for loopback hosts); redirects are
///   not followed.
/// * Transient failures (connection errors, timeouts, `408`, `429`, `500`, `502`, `503`, `504`)
///   are retried with [`RetryOptions`] (default: 3 retries within 30 s), honouring
///   `Retry-After`.
/// * Errors carry the endpoint URL without query, the HTTP status and the OAuth2 `error` and
///   `error_description` ([`TokenRequestError`] as source) — never the secret.
/// * A response without `expires_in` is assumed to live 5 minutes.
#[derive(Clone)]
pub struct ClientSecretCredential {
    token_url: Url,
    client_id: String,
    client_secret: Secret,
    http: reqwest::Client,
    retry: RetryOptions,
    timeout: Duration,
    secret_in_header: bool,
}

impl ClientSecretCredential {
    /// A credential for `client_id`/`client_secret` at the OAuth2 token endpoint `token_url`.
    ///
    /// # Errors
    ///
    /// When `token_url` is not an absolute `https` URL (plain `http` is accepted for loopback
    /// hosts only), carries userinfo or a fragment, when `client_id` or `client_secret` is
    /// empty, or when the HTTP client cannot be built.
    pub fn new(
        token_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Result<Self, CredentialError> {
        let token_url = Url::parse(token_url)
            .map_err(|e| CredentialError::new(format!("invalid token endpoint URL: {e}")))?;
        match token_url.scheme() {
            "https" => {}
            "http" if is_loopback(&token_url) => {}
            "http" => {
                return Err(CredentialError::new(format!(
                    "token endpoint {} must use https (plain http only for loopback hosts)",
                    redact_url(&token_url)
                )))
            }
            other => {
                return Err(CredentialError::new(format!(
                    "unsupported token endpoint scheme `{other}`"
                )))
            }
        }
        if token_url.host_str().is_none_or(str::is_empty) {
            return Err(CredentialError::new("token endpoint URL has no host"));
        }
        if !token_url.username().is_empty() || token_url.password().is_some() {
            return Err(CredentialError::new(
                "token endpoint URL must not contain credentials",
            ));
        }
        if token_url.fragment().is_some() {
            return Err(CredentialError::new(
                "token endpoint URL must not contain a fragment",
            ));
        }
        let client_id = client_id.into();
        if client_id.is_empty() {
            return Err(CredentialError::new("client id is empty"));
        }
        let client_secret = client_secret.into();
        if client_secret.expose().is_empty() {
            return Err(CredentialError::new("client secret is empty"));
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| {
                CredentialError::new(format!("cannot build the HTTP client: {}", root_cause(&e)))
            })?;
        Ok(ClientSecretCredential {
            token_url,
            client_id,
            client_secret,
            http,
            retry: RetryOptions::default()
                .with_max_retries(3)
                .with_max_total(Duration::from_secs(30)),
            timeout: Duration::from_secs(30),
            secret_in_header: false,
        })
    }

    /// A credential for an application registered in Microsoft Entra ID tenant `tenant_id`
    /// (a tenant GUID or domain name), using the public cloud's token endpoint
    /// `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`.
    ///
    /// # Errors
    ///
    /// As [`ClientSecretCredential::for_entra_id_at`].
    pub fn for_entra_id(
        tenant_id: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Result<Self, CredentialError> {
        Self::for_entra_id_at(ENTRA_AUTHORITY, tenant_id, client_id, client_secret)
    }

    /// Like [`ClientSecretCredential::for_entra_id`] with another authority host, e.g.
    /// `https://login.microsoftonline.us` (US Government) or `https://login.chinacloudapi.cn`.
    ///
    /// # Errors
    ///
    /// When `tenant_id` is empty or contains characters other than ASCII letters, digits,
    /// `-`, `.` and `_`; when `authority` has a query or fragment; otherwise as
    /// [`ClientSecretCredential::new`].
    pub fn for_entra_id_at(
        authority: &str,
        tenant_id: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Result<Self, CredentialError> {
        let valid_tenant = !tenant_id.is_empty()
            && tenant_id != "."
            && tenant_id != ".."
            && tenant_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
        if !valid_tenant {
            return Err(CredentialError::new(format!(
                "invalid tenant id `{}`",
                tenant_id.escape_debug()
            )));
        }
        if authority.contains(['?', '#']) {
            return Err(CredentialError::new(
                "authority host must not have a query or fragment",
            ));
        }
        let url = format!(
            "{}/{tenant_id}/oauth2/v2.0/token",
            authority.trim_end_matches('/')
        );
        Self::new(&url, client_id, client_secret)
    }

    /// Uses `client` for token requests instead of the default one (e.g. for a proxy). It
    /// should not follow redirects: the request body carries the client secret.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = client;
        self
    }

    /// Retry budget for transient token endpoint failures (default: 3 retries, 30 s total).
    pub fn retry(mut self, retry: RetryOptions) -> Self {
        self.retry = retry;
        self
    }

    /// Time limit for one token request attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends the client id and secret as `Authorization: Basic` (`client_secret_basic`)
    /// instead of in the form body (`client_secret_post`, the default, which Entra ID expects).
    pub fn client_secret_basic(mut self, enabled: bool) -> Self {
        self.secret_in_header = enabled;
        self
    }

    /// The token endpoint.
    pub fn token_url(&self) -> &Url {
        &self.token_url
    }

    /// The client (application) id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// `token request to <url> failed: <what>`.
    fn failure(&self, what: impl fmt::Display) -> String {
        format!(
            "token request to {} failed: {what}",
            redact_url(&self.token_url)
        )
    }

    /// Replaces every occurrence of the client secret in `text` (servers may echo requests).
    fn scrub(&self, text: &str) -> String {
        let secret = self.client_secret.expose();
        let mut out = text.to_owned();
        if !secret.is_empty() {
            out = out.replace(secret, "<redacted>");
            let encoded: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
            if encoded != secret {
                out = out.replace(&encoded, "<redacted>");
            }
        }
        out
    }

    /// The form body (zeroized on drop).
    fn form(&self, scopes: &[String]) -> Zeroizing<String> {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("grant_type", "client_credentials");
        if !self.secret_in_header {
            form.append_pair("client_id", &self.client_id);
            form.append_pair("client_secret", self.client_secret.expose());
        }
        if !scopes.is_empty() {
            form.append_pair("scope", &scopes.join(" "));
        }
        Zeroizing::new(form.finish())
    }

    /// `Authorization: Basic` for `client_secret_basic` (RFC 6749 §2.3.1: id and secret are
    /// form-urlencoded first).
    fn basic_header(&self) -> Result<HeaderValue, CredentialError> {
        let id: String = form_urlencoded::byte_serialize(self.client_id.as_bytes()).collect();
        let secret: Zeroizing<String> = Zeroizing::new(
            form_urlencoded::byte_serialize(self.client_secret.expose().as_bytes()).collect(),
        );
        let pair = Zeroizing::new(format!("{id}:{}", secret.as_str()));
        let header = Zeroizing::new(format!("Basic {}", STANDARD.encode(pair.as_bytes())));
        let mut value = HeaderValue::from_str(&header)
            .map_err(|_| CredentialError::new("cannot build the Basic authorization header"))?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// One token request.
    async fn attempt(&self, scopes: &[String]) -> Result<AccessToken, Attempt> {
        let form = self.form(scopes);
        let mut request = self
            .http
            .post(self.token_url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(form.as_bytes().to_vec());
        if self.secret_in_header {
            request = request.header(AUTHORIZATION, self.basic_header().map_err(Attempt::fatal)?);
        }
        let exchange = async {
            let response = request.send().await?;
            let status = response.status();
            let headers = response.headers().clone();
            let mut response = response;
            let mut body = Zeroizing::new(Vec::new());
            while let Some(chunk) = response.chunk().await? {
                if body.len() + chunk.len() > MAX_TOKEN_RESPONSE {
                    return Ok((status, headers, None));
                }
                body.extend_from_slice(&chunk);
            }
            Ok::<_, reqwest::Error>((status, headers, Some(body)))
        };
        let (status, headers, body) = match tokio::time::timeout(self.timeout, exchange).await {
            Err(_) => {
                return Err(Attempt::transient(
                    self.failure(format!("timed out after {:?}", self.timeout)),
                    None,
                ))
            }
            Ok(Err(e)) => {
                let e = e.without_url();
                let message = self.failure(self.scrub(&root_cause(&e)));
                // TLS failures are permanent; anything else at the connection level is worth
                // another try (the grant is safe to repeat).
                let tls = e.is_connect() && looks_like_tls(&e);
                let error = CredentialError::with_source(message, e);
                return Err(if tls {
                    Attempt::fatal(error)
                } else {
                    Attempt {
                        error,
                        retry: true,
                        hint: None,
                    }
                });
            }
            Ok(Ok(parts)) => parts,
        };
        let Some(body) = body else {
            return Err(Attempt::fatal(CredentialError::new(self.failure(format!(
                "HTTP {status}: response larger than {MAX_TOKEN_RESPONSE} bytes"
            )))));
        };

        if !status.is_success() {
            let detail = self.error_detail(status, &body);
            let message = self.failure(&detail);
            let error = CredentialError::with_source(message, detail);
            return Err(match status.as_u16() {
                408 | 429 | 500 | 502 | 503 | 504 => Attempt {
                    error,
                    retry: true,
                    hint: retry_after(&headers),
                },
                _ => Attempt::fatal(error),
            });
        }
        self.parse_token(&body).map_err(Attempt::fatal)
    }

    /// The [`TokenRequestError`] for an error response (`body` may be anything).
    fn error_detail(&self, status: StatusCode, body: &[u8]) -> TokenRequestError {
        #[derive(serde::Deserialize)]
        struct OAuthError {
            error: Option<String>,
            error_description: Option<String>,
        }
        let clean = |text: &str| -> Option<String> {
            let text: String = self
                .scrub(text)
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .take(MAX_DESCRIPTION)
                .collect();
            let text = text.trim().to_owned();
            (!text.is_empty()).then_some(text)
        };
        match serde_json::from_slice::<OAuthError>(body) {
            Ok(parsed) if parsed.error.is_some() || parsed.error_description.is_some() => {
                TokenRequestError {
                    status,
                    error: parsed.error.as_deref().and_then(clean),
                    error_description: parsed.error_description.as_deref().and_then(clean),
                }
            }
            _ => TokenRequestError {
                status,
                error: None,
                error_description: clean(&String::from_utf8_lossy(&body[..body.len().min(256)])),
            },
        }
    }

    /// Parses a successful token response. Errors never include the body (it holds a token).
    fn parse_token(&self, body: &[u8]) -> Result<AccessToken, CredentialError> {
        #[derive(serde::Deserialize)]
        struct TokenResponse {
            access_token: Option<String>,
            token_type: Option<String>,
            expires_in: Option<serde_json::Value>,
            expires_on: Option<serde_json::Value>,
        }
        let parsed: TokenResponse = serde_json::from_slice(body).map_err(|e| {
            CredentialError::new(self.failure(format!(
                "the token response is not a JSON token object (line {}, column {})",
                e.line(),
                e.column()
            )))
        })?;
        let token = Secret::new(parsed.access_token.unwrap_or_default());
        if token.expose().is_empty() {
            return Err(CredentialError::new(
                self.failure("the token response has no access_token"),
            ));
        }
        if let Some(kind) = &parsed.token_type {
            if !kind.eq_ignore_ascii_case("bearer") {
                return Err(CredentialError::new(self.failure(format!(
                    "unsupported token_type `{}` (expected Bearer)",
                    kind.escape_debug()
                ))));
            }
        }
        let now = Utc::now();
        let expires_on = match (&parsed.expires_in, &parsed.expires_on) {
            (Some(value), _) => {
                let seconds = seconds(value).ok_or_else(|| {
                    CredentialError::new(self.failure(format!("invalid expires_in `{value}`")))
                })?;
                now.checked_add_signed(TimeDelta::try_seconds(seconds).unwrap_or(TimeDelta::MAX))
                    .unwrap_or(DateTime::<Utc>::MAX_UTC)
            }
            // Entra ID v1 endpoints: `expires_on` in Unix seconds.
            (None, Some(value)) => seconds(value)
                .and_then(|s| DateTime::<Utc>::from_timestamp(s, 0))
                .ok_or_else(|| {
                    CredentialError::new(self.failure(format!("invalid expires_on `{value}`")))
                })?,
            (None, None) => now + DEFAULT_LIFETIME,
        };
        Ok(AccessToken::new(token, expires_on))
    }

    /// Runs attempts until one succeeds, a failure is permanent, or the budget is spent.
    async fn request_token(&self, scopes: &[String]) -> Result<AccessToken, CredentialError> {
        if let Some(bad) = scopes.iter().find(|s| {
            s.is_empty()
                || s.bytes()
                    .any(|b| !(0x21..=0x7e).contains(&b) || b == b'"' || b == b'\\')
        }) {
            return Err(CredentialError::new(format!(
                "invalid OAuth2 scope `{}`",
                bad.escape_debug()
            )));
        }
        let started = tokio::time::Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let failure = match self.attempt(scopes).await {
                Ok(token) => return Ok(token),
                Err(failure) => failure,
            };
            tracing::debug!(attempt, error = %failure.error, "token request attempt failed");
            if !failure.retry || attempt > self.retry.max_retries {
                return Err(failure.error);
            }
            let delay = self.retry.delay(attempt - 1, failure.hint);
            if started.elapsed().saturating_add(delay) > self.retry.max_total {
                return Err(failure.error);
            }
            tokio::time::sleep(delay).await;
        }
    }
}

/// A failed attempt and whether another one may help.
struct Attempt {
    error: CredentialError,
    retry: bool,
    hint: Option<Duration>,
}

impl Attempt {
    fn fatal(error: CredentialError) -> Self {
        Attempt {
            error,
            retry: false,
            hint: None,
        }
    }

    fn transient(message: String, hint: Option<Duration>) -> Self {
        Attempt {
            error: CredentialError::new(message),
            retry: true,
            hint,
        }
    }
}

/// Whole seconds from a JSON number or numeric string (fractions dropped, negatives → 0).
fn seconds(value: &serde_json::Value) -> Option<i64> {
    let number = match value {
        serde_json::Value::Number(n) => n.as_f64()?,
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if !number.is_finite() {
        return None;
    }
    // Saturating float-to-int conversion.
    Some(number.max(0.0).trunc() as i64)
}

impl fmt::Debug for ClientSecretCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSecretCredential")
            .field("token_url", &redact_url(&self.token_url))
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("client_secret_basic", &self.secret_in_header)
            .finish()
    }
}

impl TokenCredential for ClientSecretCredential {
    fn get_token<'a>(
        &'a self,
        scopes: &'a [String],
    ) -> BoxFuture<'a, Result<AccessToken, CredentialError>> {
        Box::pin(self.request_token(scopes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credential() -> ClientSecretCredential {
        ClientSecretCredential::new("https://login.example/t/token", "app", "s3cr=t&x").unwrap()
    }

    #[test]
    fn form_body() {
        let c = credential();
        let scopes = vec![super::super::ARM_SCOPE.to_owned(), "b".to_owned()];
        assert_eq!(
            c.form(&scopes).as_str(),
            "grant_type=client_credentials&client_id=app&client_secret=s3cr%3Dt%26x\
             &scope=https%3A%2F%2Fmanagement.azure.com%2F.default+b"
        );
        let c = c.client_secret_basic(true);
        assert_eq!(c.form(&[]).as_str(), "grant_type=client_credentials");
    }

    #[test]
    fn expiry_forms() {
        assert_eq!(seconds(&serde_json::json!(3599)), Some(3599));
        assert_eq!(seconds(&serde_json::json!("3599")), Some(3599));
        assert_eq!(seconds(&serde_json::json!(" 10.7 ")), Some(10));
        assert_eq!(seconds(&serde_json::json!(-5)), Some(0));
        assert_eq!(seconds(&serde_json::json!(1e300)), Some(i64::MAX));
        assert_eq!(seconds(&serde_json::json!("soon")), None);
        assert_eq!(seconds(&serde_json::json!(null)), None);

        let c = credential();
        let t = c
            .parse_token(br#"{"access_token":"a","expires_in":1e300}"#)
            .unwrap();
        assert_eq!(t.expires_on, DateTime::<Utc>::MAX_UTC);
        let t = c
            .parse_token(br#"{"access_token":"a","expires_on":"1700000000"}"#)
            .unwrap();
        assert_eq!(t.expires_on.timestamp(), 1_700_000_000);
        let t = c.parse_token(br#"{"access_token":"a"}"#).unwrap();
        assert!(t.expires_on > Utc::now() + TimeDelta::minutes(4));
        assert!(c
            .parse_token(br#"{"access_token":"a","expires_in":"x"}"#)
            .is_err());
    }

    #[test]
    fn error_details_are_scrubbed() {
        let c = credential();
        let d = c.error_detail(
            StatusCode::UNAUTHORIZED,
            br#"{"error":"invalid_client","error_description":"bad secret s3cr=t&x / s3cr%3Dt%26x\r\nline"}"#,
        );
        assert_eq!(d.error.as_deref(), Some("invalid_client"));
        let text = d.to_string();
        assert!(!text.contains("s3cr"), "{text}");
        assert!(!text.contains('\n'), "{text}");
        let d = c.error_detail(StatusCode::BAD_GATEWAY, "<html>é".repeat(500).as_bytes());
        assert!(d.error.is_none());
        assert!(d
            .error_description
            .is_some_and(|s| s.chars().count() <= 256));
    }
}
