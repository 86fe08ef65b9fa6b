//! Volcengine OpenAPI request signing ("V4", algorithm `HMAC-SHA256`).
//!
//! Pure functions: [`sign`] takes the request as plain data ([`SigningInput`]) and returns the
//! headers to send ([`SignedHeaders`]); it performs no I/O and reads no clock, so the pipeline and
//! the tests call the same code. The output reproduces the official SDKs byte for byte (checked
//! against vectors made by the PyPI package `volcengine` 1.0.229, `volcengine.auth.SignerV4`, in
//! `runtime/tests/data/volcengine/`; see `tests/vectors/make_vectors.sh`).
//!
//! # Algorithm
//!
//! ```text
//! CanonicalRequest = Method "\n" CanonicalURI "\n" CanonicalQuery "\n"
//!                    CanonicalHeaders "\n" SignedHeaders "\n" hex(SHA256(body))
//! StringToSign     = "HMAC-SHA256" "\n" X-Date "\n" CredentialScope "\n" hex(SHA256(CanonicalRequest))
//! CredentialScope  = YYYYMMDD "/" region "/" service "/request"
//! kSigning         = HMAC(HMAC(HMAC(HMAC(SecretKey, YYYYMMDD), region), service), "request")
//! Signature        = hex(HMAC(kSigning, StringToSign))
//! Authorization    = "HMAC-SHA256 Credential=" AK "/" CredentialScope
//!                    ", SignedHeaders=" SignedHeaders ", Signature=" Signature
//! ```
//!
//! Unlike AWS SigV4 the secret gets **no** `AWS4` prefix and the scope ends in `request`.
//!
//! * **CanonicalURI**: the path is percent-decoded and re-encoded byte-wise with the RFC 3986
//!   rule below, keeping `/`; an empty path is `/`.
//! * **CanonicalQuery**: parameters sorted by name in byte order (stable, so repeated names keep
//!   their given order; `ImageIds.10` sorts before `ImageIds.2`); name and value encoded with
//!   RFC 3986 (keep `A-Z a-z 0-9 - _ . ~`, everything else `%XX` upper-case, space is `%20`,
//!   never `+`); `name=value` joined with `&`; an empty value stays `name=`.
//! * **CanonicalHeaders**: `lower(name) ":" value "\n"` for every signed header, sorted by
//!   lower-cased name. Signed are `Content-Type`, `Content-Md5` and every `X-*` header the caller
//!   passes, plus the ones the signer adds: `host` (without a `:80`/`:443` suffix), `x-date`,
//!   `x-content-sha256` and, with STS credentials, `x-security-token`. Values are trimmed of
//!   surrounding spaces/tabs (what the server receives). The last header line ends in `\n` and
//!   the field separator follows, so the canonical request contains an empty line.
//! * **X-Content-Sha256**: lower-case hex SHA-256 of the body ([`EMPTY_BODY_SHA256`] when empty).
//!
//! # Differences from the Python SDK (deliberate)
//!
//! * Header names are matched case-insensitively (the Python SDK compares the stored name
//!   case-sensitively; the Go SDK canonicalises names first, which is what this matches).
//! * Header values containing CR, LF or other control characters are rejected, never cleaned.
//! * `Host`, `X-Date`, `X-Content-Sha256` and `X-Security-Token` are computed here; passing them
//!   in [`SigningInput::headers`] is an error ([`SignError::ReservedHeader`]) so the signed and the
//!   sent values cannot differ.
//! * `Content-Type` is not added implicitly (`SignerV4.sign` adds the form type to non-GET
//!   requests); the caller passes the `Content-Type` it sends (PROTOCOLS.md §6.2 sends
//!   [`DEFAULT_CONTENT_TYPE`] on every request).

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The signing algorithm name, first token of the `Authorization` header and of the string to sign.
pub const ALGORITHM: &str = "HMAC-SHA256";

/// Hex SHA-256 of an empty body, the `X-Content-Sha256` of every request without a body.
pub const EMPTY_BODY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The `Content-Type` the official Go SDK sends by default (and the one PROTOCOLS.md §6.2 signs).
pub const DEFAULT_CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// Format of the `X-Date` header: UTC `YYYYMMDD'T'HHMMSS'Z'`.
const X_DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// RFC 3986 unreserved characters are kept, everything else is `%XX`-encoded.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// As [`RFC3986`], but `/` separates path segments and stays literal.
const RFC3986_PATH: &AsciiSet = &RFC3986.remove(b'/');

/// Header names the signer computes itself; callers must not pass them in.
const RESERVED_HEADERS: [&str; 4] = ["host", "x-date", "x-content-sha256", "x-security-token"];

/// Access key pair (and optional STS session token) used to sign Volcengine requests.
///
/// The secret and the token live in zeroizing buffers; `Debug` prints neither.
#[derive(Clone)]
pub struct VolcengineCredentials {
    access_key_id: String,
    secret_access_key: Zeroizing<String>,
    session_token: Option<Zeroizing<String>>,
}

impl VolcengineCredentials {
    /// Long-term credentials: access key id (`AK…`) and secret access key.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: Zeroizing::new(secret_access_key.into()),
            session_token: None,
        }
    }

    /// Adds an STS session token; it is sent (and signed) as `X-Security-Token`.
    /// An empty token means "no token", as in the official SDKs.
    #[must_use]
    pub fn with_session_token(mut self, session_token: impl Into<String>) -> Self {
        let token = session_token.into();
        self.session_token = if token.is_empty() {
            None
        } else {
            Some(Zeroizing::new(token))
        };
        self
    }

    /// The access key id (not secret; it appears in every `Authorization` header).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// Whether these are STS credentials (a session token is present).
    pub fn has_session_token(&self) -> bool {
        self.session_token.is_some()
    }
}

impl fmt::Debug for VolcengineCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VolcengineCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// One request to sign, as plain data.
#[derive(Debug, Clone, Copy)]
pub struct SigningInput<'a> {
    /// HTTP method as sent, e.g. `GET` (used verbatim, not upper-cased).
    pub method: &'a str,
    /// Host as sent in the `Host` header; may include `:port` (`:80`/`:443` are not signed).
    pub host: &'a str,
    /// Path as sent on the wire (already percent-encoded); empty means `/`.
    pub path: &'a str,
    /// Query parameters as decoded `(name, value)` pairs, in the order they are sent.
    pub query: &'a [(String, String)],
    /// Headers that will be sent, `(name, value)`, excluding `Host`, `X-Date`,
    /// `X-Content-Sha256`, `X-Security-Token` (the signer adds those) and `Authorization`.
    pub headers: &'a [(String, String)],
    /// Request body bytes (empty slice for none).
    pub body: &'a [u8],
    /// Service name for the credential scope, e.g. `ecs`.
    pub service: &'a str,
    /// Region for the credential scope, e.g. `cn-beijing`.
    pub region: &'a str,
    /// Request time, UTC `YYYYMMDDTHHMMSSZ` (see [`format_x_date`]).
    pub x_date: &'a str,
}

/// The result of [`sign`]: the headers to set on the request, plus the intermediate strings
/// (exposed for tests and for debugging `SignatureDoesNotMatch`).
///
/// `Debug` redacts `authorization`, `x_security_token` and `canonical_request` (which contains
/// the token when one is used).
#[derive(Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// Value of the `Authorization` header.
    pub authorization: String,
    /// Value of the `X-Date` header (the input's `x_date`).
    pub x_date: String,
    /// Value of the `X-Content-Sha256` header: hex SHA-256 of the body.
    pub x_content_sha256: String,
    /// Value of the `X-Security-Token` header, present with STS credentials only.
    pub x_security_token: Option<String>,
    /// `;`-separated lower-case names of the signed headers.
    pub signed_headers: String,
    /// `YYYYMMDD/region/service/request`.
    pub credential_scope: String,
    /// The canonical request that was hashed.
    pub canonical_request: String,
    /// The string that was signed.
    pub string_to_sign: String,
    /// Lower-case hex signature.
    pub signature: String,
}

impl SignedHeaders {
    /// The headers the caller must set (replacing any existing value), with their canonical
    /// names: `X-Date`, `X-Content-Sha256`, `X-Security-Token` (STS only), `Authorization`.
    pub fn headers(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![
            ("X-Date", self.x_date.as_str()),
            ("X-Content-Sha256", self.x_content_sha256.as_str()),
        ];
        if let Some(token) = &self.x_security_token {
            out.push(("X-Security-Token", token.as_str()));
        }
        out.push(("Authorization", self.authorization.as_str()));
        out
    }
}

impl fmt::Debug for SignedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedHeaders")
            .field("authorization", &"<redacted>")
            .field("x_date", &self.x_date)
            .field("x_content_sha256", &self.x_content_sha256)
            .field(
                "x_security_token",
                &self.x_security_token.as_ref().map(|_| "<redacted>"),
            )
            .field("signed_headers", &self.signed_headers)
            .field("credential_scope", &self.credential_scope)
            .field("canonical_request", &"<redacted>")
            .field("string_to_sign", &self.string_to_sign)
            .finish_non_exhaustive()
    }
}

/// Why a request could not be signed. Messages never contain secrets or header values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The method is empty or not an HTTP token.
    #[error("invalid HTTP method")]
    InvalidMethod,
    /// The host is empty or contains whitespace, control characters, `/`, `?`, `#` or `@`.
    #[error("invalid host")]
    InvalidHost,
    /// The path does not start with `/` or contains whitespace, control characters, `?` or `#`.
    #[error("invalid request path")]
    InvalidPath,
    /// A header name is not a valid HTTP field name.
    #[error("invalid header name {0:?}")]
    InvalidHeaderName(String),
    /// A header value contains CR, LF, NUL or another control character.
    #[error("value of header {0} contains a control character (CR, LF, NUL, ...)")]
    InvalidHeaderValue(String),
    /// A signed header (lower-cased name) is given more than once.
    #[error("signed header {0} is given more than once")]
    DuplicateHeader(String),
    /// A header the signer computes itself was passed in.
    #[error("header {0} is computed by the signer and must not be passed in")]
    ReservedHeader(String),
    /// `x_date` is not a valid `YYYYMMDDTHHMMSSZ` timestamp.
    #[error("X-Date is not a UTC timestamp of the form YYYYMMDDTHHMMSSZ")]
    InvalidDate,
    /// Service or region is empty or has characters other than `A-Z a-z 0-9 - _ .`.
    #[error("{0} must be non-empty and use only A-Z, a-z, 0-9, '-', '_' and '.'")]
    InvalidScope(&'static str),
    /// The access key id or session token cannot be placed in a header.
    #[error("the {0} contains characters not allowed in a request header")]
    InvalidCredential(&'static str),
}

/// Formats a UTC time as an `X-Date` value, e.g. `20240105T093000Z`.
pub fn format_x_date(time: DateTime<Utc>) -> String {
    time.format(X_DATE_FORMAT).to_string()
}

/// RFC 3986 percent-encoding used for query names and values (space → `%20`, upper-case hex).
pub fn encode_rfc3986(text: &str) -> String {
    percent_encode(text.as_bytes(), RFC3986).to_string()
}

/// Canonical URI: the path (as sent) percent-decoded, then each byte other than unreserved
/// characters and `/` encoded as `%XX`; empty path → `/`.
pub fn canonical_uri(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let decoded: Vec<u8> = percent_decode_str(path).collect();
    percent_encode(&decoded, RFC3986_PATH).to_string()
}

/// Canonical query string: decoded `(name, value)` pairs sorted by name in byte order (stable),
/// both RFC 3986-encoded, joined as `name=value` with `&`.
///
/// The result is also a correct query string to send (it is what the server recomputes).
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = String::new();
    for (i, (name, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&encode_rfc3986(name));
        out.push('=');
        out.push_str(&encode_rfc3986(value));
    }
    out
}

/// Signs one request. See the module documentation for the algorithm.
///
/// # Errors
///
/// [`SignError`] when an input would make the signed request differ from the sent one or
/// could inject into a header: control characters in header values, invalid names, duplicate
/// or reserved headers, a malformed `x_date`, host, path, scope or credential.
pub fn sign(
    creds: &VolcengineCredentials,
    input: &SigningInput<'_>,
) -> Result<SignedHeaders, SignError> {
    validate_method(input.method)?;
    validate_path(input.path)?;
    validate_scope_part(input.service, "service")?;
    validate_scope_part(input.region, "region")?;
    let date = validate_x_date(input.x_date)?;
    validate_credentials(creds)?;
    let host = canonical_host(input.host)?;

    // Signed headers: the caller's Content-Type / Content-Md5 / X-*, plus the computed ones.
    let mut signed: Vec<(String, String)> = Vec::new();
    for (name, value) in input.headers {
        validate_header(name, value)?;
        let lower = name.to_ascii_lowercase();
        if RESERVED_HEADERS.contains(&lower.as_str()) {
            return Err(SignError::ReservedHeader(lower));
        }
        if lower == "content-type" || lower == "content-md5" || lower.starts_with("x-") {
            if signed.iter().any(|(n, _)| *n == lower) {
                return Err(SignError::DuplicateHeader(lower));
            }
            signed.push((lower, trim_ows(value).to_owned()));
        }
    }
    let body_hash = hex::encode(Sha256::digest(input.body));
    signed.push(("host".to_owned(), host.to_owned()));
    signed.push(("x-date".to_owned(), input.x_date.to_owned()));
    signed.push(("x-content-sha256".to_owned(), body_hash.clone()));
    let security_token = creds.session_token.as_ref().map(|t| t.as_str().to_owned());
    if let Some(token) = &security_token {
        signed.push(("x-security-token".to_owned(), token.clone()));
    }
    signed.sort_by(|a, b| a.0.cmp(&b.0));

    let mut canonical_headers = String::new();
    for (name, value) in &signed {
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        canonical_headers.push_str(value);
        canonical_headers.push('\n');
    }
    let signed_headers = signed
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");

    let canonical_request = [
        input.method,
        &canonical_uri(input.path),
        &canonical_query(input.query),
        &canonical_headers,
        &signed_headers,
        &body_hash,
    ]
    .join("\n");

    let credential_scope = format!("{date}/{}/{}/request", input.region, input.service);
    let string_to_sign = format!(
        "{ALGORITHM}\n{}\n{credential_scope}\n{}",
        input.x_date,
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let key = signing_key(
        creds.secret_access_key.as_bytes(),
        date,
        input.region,
        input.service,
    );
    let signature = hex::encode(hmac_sha256(key.as_slice(), string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={}/{credential_scope}, SignedHeaders={signed_headers}, Signature={signature}",
        creds.access_key_id
    );

    Ok(SignedHeaders {
        authorization,
        x_date: input.x_date.to_owned(),
        x_content_sha256: body_hash,
        x_security_token: security_token,
        signed_headers,
        credential_scope,
        canonical_request,
        string_to_sign,
        signature,
    })
}

/// `kSigning = HMAC(HMAC(HMAC(HMAC(secret, date), region), service), "request")`.
fn signing_key(secret: &[u8], date: &str, region: &str, service: &str) -> Zeroizing<[u8; 32]> {
    let k_date = Zeroizing::new(hmac_sha256(secret, date.as_bytes()));
    let k_region = Zeroizing::new(hmac_sha256(k_date.as_slice(), region.as_bytes()));
    let k_service = Zeroizing::new(hmac_sha256(k_region.as_slice(), service.as_bytes()));
    Zeroizing::new(hmac_sha256(k_service.as_slice(), b"request"))
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC is defined for keys of any length; `new_from_slice` cannot fail for it.
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC-SHA256 accepts keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Trims the optional whitespace (SP / HTAB) HTTP strips around a field value.
fn trim_ows(value: &str) -> &str {
    value.trim_matches(|c| c == ' ' || c == '\t')
}

/// `Host` value to sign: `:80` / `:443` removed (also after a bracketed IPv6 literal).
fn canonical_host(host: &str) -> Result<&str, SignError> {
    if host.is_empty()
        || host
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '?' | '#' | '@'))
    {
        return Err(SignError::InvalidHost);
    }
    if let Some((name, port)) = host.rsplit_once(':') {
        let is_default_port = port == "80" || port == "443";
        let name_is_whole = !name.is_empty() && (!name.contains(':') || name.ends_with(']'));
        if is_default_port && name_is_whole {
            return Ok(name);
        }
    }
    Ok(host)
}

fn validate_method(method: &str) -> Result<(), SignError> {
    if http::Method::from_bytes(method.as_bytes()).is_err() {
        return Err(SignError::InvalidMethod);
    }
    Ok(())
}

fn validate_path(path: &str) -> Result<(), SignError> {
    let bad_char = path
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#');
    if bad_char || !(path.is_empty() || path.starts_with('/')) {
        return Err(SignError::InvalidPath);
    }
    Ok(())
}

fn validate_scope_part(value: &str, what: &'static str) -> Result<(), SignError> {
    let ok = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(SignError::InvalidScope(what))
    }
}

/// Checks the `YYYYMMDDTHHMMSSZ` shape and that it is a real date-time; returns `YYYYMMDD`.
fn validate_x_date(x_date: &str) -> Result<&str, SignError> {
    let shape_ok = x_date.len() == 16
        && x_date.bytes().enumerate().all(|(i, b)| match i {
            8 => b == b'T',
            15 => b == b'Z',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok || NaiveDateTime::parse_from_str(x_date, X_DATE_FORMAT).is_err() {
        return Err(SignError::InvalidDate);
    }
    Ok(&x_date[..8])
}

fn validate_credentials(creds: &VolcengineCredentials) -> Result<(), SignError> {
    let ak_ok = !creds.access_key_id.is_empty()
        && creds
            .access_key_id
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'/' && b != b',');
    if !ak_ok {
        return Err(SignError::InvalidCredential("access key id"));
    }
    if let Some(token) = &creds.session_token {
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(SignError::InvalidCredential("session token"));
        }
    }
    Ok(())
}

/// Rejects invalid field names and values with control characters (CR, LF, NUL, DEL, ...).
fn validate_header(name: &str, value: &str) -> Result<(), SignError> {
    if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
        return Err(SignError::InvalidHeaderName(name.to_owned()));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(SignError::InvalidHeaderValue(name.to_ascii_lowercase()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use percent_encoding::utf8_percent_encode;
    use serde_json::Value;
    use std::path::{Path, PathBuf};

    const FORM: &str = DEFAULT_CONTENT_TYPE;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn vector_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/volcengine")
    }

    fn load_vectors() -> Vec<(String, Value)> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(vector_dir())
            .expect("runtime/tests/data/volcengine exists")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("readable vector");
                let name = p
                    .file_name()
                    .expect("file name")
                    .to_string_lossy()
                    .into_owned();
                (
                    name,
                    serde_json::from_str(&text).expect("valid JSON vector"),
                )
            })
            .collect()
    }

    fn s<'a>(v: &'a Value, key: &str) -> &'a str {
        v[key]
            .as_str()
            .unwrap_or_else(|| panic!("vector field {key} is a string"))
    }

    /// Signs the request described by a vector file's `inputs`.
    fn sign_vector(doc: &Value) -> Result<SignedHeaders, SignError> {
        let inputs = &doc["inputs"];
        let host = s(inputs, "host");
        let query: Vec<(String, String)> = inputs["query_params"]
            .as_array()
            .expect("query_params")
            .iter()
            .map(|p| (s_idx(p, 0), s_idx(p, 1)))
            .collect();
        let mut headers = Vec::new();
        for (name, value) in inputs["headers"].as_object().expect("headers") {
            let value = value.as_str().expect("header value").to_owned();
            if name == "Host" {
                assert_eq!(value, host, "Host header equals inputs.host");
                continue;
            }
            headers.push((name.clone(), value));
        }
        // The SDK takes the decoded path and encodes it itself; we take the path as sent.
        let path_as_sent = utf8_percent_encode(s(inputs, "path"), RFC3986_PATH).to_string();
        let mut creds =
            VolcengineCredentials::new(s(inputs, "access_key_id"), s(inputs, "secret_access_key"));
        creds = creds.with_session_token(s(inputs, "session_token"));
        sign(
            &creds,
            &SigningInput {
                method: s(inputs, "method"),
                host,
                path: &path_as_sent,
                query: &query,
                headers: &headers,
                body: s(inputs, "body").as_bytes(),
                service: s(inputs, "service"),
                region: s(inputs, "region"),
                x_date: s(inputs, "x_date"),
            },
        )
    }

    fn s_idx(v: &Value, i: usize) -> String {
        v[i].as_str().expect("string in pair").to_owned()
    }

    #[test]
    fn matches_every_official_sdk_vector() {
        let vectors = load_vectors();
        assert!(
            vectors.len() >= 11,
            "expected the Volcengine vectors in {}",
            vector_dir().display()
        );
        let mut failures = Vec::new();
        for (name, doc) in &vectors {
            assert_eq!(
                doc["self_check_sign_vs_sign_only"],
                Value::Bool(true),
                "{name}"
            );
            let got = match sign_vector(doc) {
                Ok(got) => got,
                Err(e) => {
                    failures.push(format!("{name}: sign failed: {e}"));
                    continue;
                }
            };
            let exp = &doc["expected"];
            let inter = &doc["intermediate"];
            let token = exp["X-Security-Token"].as_str();
            let checks: [(&str, &str, Option<&str>); 9] = [
                (
                    "Authorization",
                    &got.authorization,
                    exp["Authorization"].as_str(),
                ),
                ("X-Date", &got.x_date, exp["X-Date"].as_str()),
                (
                    "X-Content-Sha256",
                    &got.x_content_sha256,
                    exp["X-Content-Sha256"].as_str(),
                ),
                (
                    "signed_headers",
                    &got.signed_headers,
                    inter["signed_headers"].as_str(),
                ),
                (
                    "credential_scope",
                    &got.credential_scope,
                    inter["credential_scope"].as_str(),
                ),
                (
                    "canonical_request",
                    &got.canonical_request,
                    inter["canonical_request"].as_str(),
                ),
                (
                    "string_to_sign",
                    &got.string_to_sign,
                    inter["string_to_sign"].as_str(),
                ),
                ("signature", &got.signature, inter["signature"].as_str()),
                (
                    "X-Security-Token",
                    got.x_security_token.as_deref().unwrap_or(""),
                    Some(token.unwrap_or("")),
                ),
            ];
            for (what, got, want) in checks {
                let want = want.unwrap_or_else(|| panic!("{name}: vector lacks {what}"));
                if got != want {
                    failures.push(format!("{name}: {what}\n  got:  {got:?}\n  want: {want:?}"));
                }
            }
            // Every header the SDK would send besides Host is among ours with the same value.
            for (hname, value) in doc["request_headers_to_send"].as_object().expect("headers") {
                let value = value.as_str().expect("string");
                let ours = got.headers().into_iter().find(|(n, _)| n == hname);
                if let Some((_, v)) = ours {
                    if v != value {
                        failures.push(format!("{name}: header {hname} differs"));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// `00-shared-default.json` is the unchanged output of the shared tool's defaults, i.e.
    /// `shared/vectors/volcengine-sign.json`; pin its signature so a regenerated file cannot drift.
    #[test]
    fn shared_golden_vector_is_present() {
        let vectors = load_vectors();
        let (_, doc) = vectors
            .iter()
            .find(|(name, _)| name == "00-shared-default.json")
            .expect("00-shared-default.json");
        assert_eq!(
            doc["intermediate"]["signature"],
            "0972068312827e6c75ae7d69bf7e1fab546c3ed5fe3a66cc943917381907588c"
        );
        let got = sign_vector(doc).expect("signs");
        assert_eq!(
            got.signature,
            "0972068312827e6c75ae7d69bf7e1fab546c3ed5fe3a66cc943917381907588c"
        );
    }

    /// PROTOCOLS.md §6.2 known-answer test, spelled out independently of the vector files.
    #[test]
    fn protocols_6_2_known_answer() {
        let creds = VolcengineCredentials::new(
            "VOLCsigcaptureAKID",
            "VOLCsigcaptureSECRET1234567890abcdefg",
        );
        let query = pairs(&[
            ("Action", "DescribeRegions"),
            ("MaxResults", "100"),
            ("Version", "2020-04-01"),
        ]);
        let headers = pairs(&[("Content-Type", FORM)]);
        let got = sign(
            &creds,
            &SigningInput {
                method: "GET",
                host: "ecs.cn-beijing.volcengineapi.com",
                path: "/",
                query: &query,
                headers: &headers,
                body: b"",
                service: "ecs",
                region: "cn-beijing",
                x_date: "20260419T120000Z",
            },
        )
        .expect("signs");
        assert_eq!(
            got.signature,
            "1c625e7c3f6a93c6921d4defd6aef2e66751a23484c5b8bd44f601d03cdda561"
        );
        assert_eq!(
            got.signed_headers,
            "content-type;host;x-content-sha256;x-date"
        );
    }

    /// PROTOCOLS.md §6.3 worked example (DeleteImages with two ids; content-type signed).
    #[test]
    fn protocols_6_3_worked_example() {
        let creds =
            VolcengineCredentials::new("AKLTexampleEXAMPLE", "EXAMPLEsecretEXAMPLEsecretEXAMPLE00");
        let query = pairs(&[
            ("Action", "DeleteImages"),
            ("Version", "2020-04-01"),
            ("ImageIds.2", "image-bbbb2222"),
            ("ImageIds.1", "image-aaaa1111"),
        ]);
        let headers = pairs(&[("Content-Type", FORM)]);
        let got = sign(
            &creds,
            &SigningInput {
                method: "GET",
                host: "ecs.cn-beijing.volcengineapi.com",
                path: "/",
                query: &query,
                headers: &headers,
                body: b"",
                service: "ecs",
                region: "cn-beijing",
                x_date: "20240105T093000Z",
            },
        )
        .expect("signs");
        assert_eq!(
            got.authorization,
            "HMAC-SHA256 Credential=AKLTexampleEXAMPLE/20240105/cn-beijing/ecs/request, \
             SignedHeaders=content-type;host;x-content-sha256;x-date, \
             Signature=c18e794e08fa1a332fd26d2a69c6f01636997998ddeee915a77154ab09985551"
        );
        assert!(got
            .string_to_sign
            .ends_with("\n8f8b60cb5d2c4e450e1c67a7afc83362fc704e3e6b415cb44ca6d244dbd3dc38"));
        assert_eq!(got.x_content_sha256, EMPTY_BODY_SHA256);
        assert_eq!(got.x_security_token, None);
        let names: Vec<&str> = got.headers().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["X-Date", "X-Content-Sha256", "Authorization"]);
    }

    #[test]
    fn query_sorts_in_byte_order_and_encodes_rfc3986() {
        let mut query = Vec::new();
        for i in 1..=12 {
            query.push((format!("ImageIds.{i}"), format!("i{i}")));
        }
        let q = canonical_query(&query);
        assert!(q.starts_with(
            "ImageIds.1=i1&ImageIds.10=i10&ImageIds.11=i11&ImageIds.12=i12&ImageIds.2=i2"
        ));
        assert_eq!(
            canonical_query(&pairs(&[("b", "x y+z/é*~%"), ("a", ""), ("B", "1")])),
            "B=1&a=&b=x%20y%2Bz%2F%C3%A9%2A~%25"
        );
        // Repeated names keep their given order.
        assert_eq!(
            canonical_query(&pairs(&[("t", "2"), ("s", "0"), ("t", "1")])),
            "s=0&t=2&t=1"
        );
        assert_eq!(canonical_query(&[]), "");
    }

    #[test]
    fn canonical_uri_reencodes_the_decoded_path() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(
            canonical_uri("/a%20b/c+d/%E6%95%B0"),
            "/a%20b/c%2Bd/%E6%95%B0"
        );
        assert_eq!(canonical_uri("/a%2fb"), "/a/b");
        assert_eq!(canonical_uri("/x%zz"), "/x%25zz");
    }

    #[test]
    fn host_drops_only_default_ports() {
        assert_eq!(canonical_host("h.example:443"), Ok("h.example"));
        assert_eq!(canonical_host("h.example:80"), Ok("h.example"));
        assert_eq!(canonical_host("h.example:8443"), Ok("h.example:8443"));
        assert_eq!(canonical_host("[::1]:443"), Ok("[::1]"));
        assert_eq!(canonical_host("[::1]"), Ok("[::1]"));
        assert_eq!(canonical_host(""), Err(SignError::InvalidHost));
        assert_eq!(canonical_host("a b"), Err(SignError::InvalidHost));
        assert_eq!(canonical_host("evil/x"), Err(SignError::InvalidHost));
    }

    fn base_input<'a>(
        headers: &'a [(String, String)],
        query: &'a [(String, String)],
    ) -> SigningInput<'a> {
        SigningInput {
            method: "GET",
            host: "ecs.cn-beijing.volcengineapi.com",
            path: "/",
            query,
            headers,
            body: b"",
            service: "ecs",
            region: "cn-beijing",
            x_date: "20240105T093000Z",
        }
    }

    fn creds() -> VolcengineCredentials {
        VolcengineCredentials::new("AKLTexampleEXAMPLE", "EXAMPLEsecretEXAMPLEsecretEXAMPLE00")
    }

    #[test]
    fn rejects_control_characters_in_header_values() {
        for bad in ["a\r\nX-Evil: 1", "a\nb", "a\rb", "a\0b", "a\u{7f}"] {
            let headers = pairs(&[("X-Trace", bad)]);
            assert_eq!(
                sign(&creds(), &base_input(&headers, &[])),
                Err(SignError::InvalidHeaderValue("x-trace".into()))
            );
        }
        // Also for headers that are not signed.
        let headers = pairs(&[("User-Agent", "x\ny")]);
        assert!(matches!(
            sign(&creds(), &base_input(&headers, &[])),
            Err(SignError::InvalidHeaderValue(_))
        ));
        let headers = pairs(&[("Bad Name", "v")]);
        assert!(matches!(
            sign(&creds(), &base_input(&headers, &[])),
            Err(SignError::InvalidHeaderName(_))
        ));
    }

    #[test]
    fn rejects_reserved_and_duplicate_headers() {
        for name in ["Host", "x-date", "X-Content-Sha256", "X-Security-Token"] {
            let headers = pairs(&[(name, "v")]);
            assert_eq!(
                sign(&creds(), &base_input(&headers, &[])),
                Err(SignError::ReservedHeader(name.to_ascii_lowercase()))
            );
        }
        let headers = pairs(&[("X-A", "1"), ("x-a", "2")]);
        assert_eq!(
            sign(&creds(), &base_input(&headers, &[])),
            Err(SignError::DuplicateHeader("x-a".into()))
        );
    }

    #[test]
    fn rejects_bad_date_scope_method_path_and_credentials() {
        for bad in [
            "",
            "20240105T093000",
            "20240105 093000Z",
            "20241305T093000Z",
            "2024010aT093000Z",
        ] {
            let mut input = base_input(&[], &[]);
            input.x_date = bad;
            assert_eq!(
                sign(&creds(), &input),
                Err(SignError::InvalidDate),
                "{bad:?}"
            );
        }
        let mut input = base_input(&[], &[]);
        input.region = "cn/beijing";
        assert_eq!(
            sign(&creds(), &input),
            Err(SignError::InvalidScope("region"))
        );
        let mut input = base_input(&[], &[]);
        input.service = "";
        assert_eq!(
            sign(&creds(), &input),
            Err(SignError::InvalidScope("service"))
        );
        let mut input = base_input(&[], &[]);
        input.method = "GE T";
        assert_eq!(sign(&creds(), &input), Err(SignError::InvalidMethod));
        let mut input = base_input(&[], &[]);
        input.path = "no-slash";
        assert_eq!(sign(&creds(), &input), Err(SignError::InvalidPath));
        let input = base_input(&[], &[]);
        let bad_ak = VolcengineCredentials::new("AK, Signature=x", "sk");
        assert_eq!(
            sign(&bad_ak, &input),
            Err(SignError::InvalidCredential("access key id"))
        );
        let bad_token = creds().with_session_token("tok\r\nX-Evil: 1");
        assert_eq!(
            sign(&bad_token, &input),
            Err(SignError::InvalidCredential("session token"))
        );
    }

    #[test]
    fn session_token_is_signed_and_returned() {
        let c = creds().with_session_token("STS-token");
        assert!(c.has_session_token());
        let got = sign(&c, &base_input(&[], &[])).expect("signs");
        assert_eq!(got.x_security_token.as_deref(), Some("STS-token"));
        assert!(got
            .canonical_request
            .contains("\nx-security-token:STS-token\n"));
        assert_eq!(
            got.signed_headers,
            "host;x-content-sha256;x-date;x-security-token"
        );
        assert!(!creds().with_session_token("").has_session_token());
    }

    #[test]
    fn header_values_are_trimmed_and_names_case_insensitive() {
        let a = pairs(&[("x-custom", "  v \t"), ("content-type", FORM)]);
        let b = pairs(&[("X-Custom", "v"), ("Content-Type", FORM)]);
        let ga = sign(&creds(), &base_input(&a, &[])).expect("signs");
        let gb = sign(&creds(), &base_input(&b, &[])).expect("signs");
        assert_eq!(ga, gb);
        // Unsigned headers do not change the signature.
        let c = pairs(&[
            ("X-Custom", "v"),
            ("Content-Type", FORM),
            ("User-Agent", "u"),
        ]);
        assert_eq!(sign(&creds(), &base_input(&c, &[])).expect("signs"), gb);
    }

    #[test]
    fn body_hash_and_date_format() {
        let mut input = base_input(&[], &[]);
        input.method = "POST";
        input.body = b"{}";
        let got = sign(&creds(), &input).expect("signs");
        assert_eq!(got.x_content_sha256, hex::encode(Sha256::digest(b"{}")));
        let t = DateTime::parse_from_rfc3339("2024-01-05T09:30:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        assert_eq!(format_x_date(t), "20240105T093000Z");
    }

    #[test]
    fn debug_output_redacts_secrets() {
        let c = creds().with_session_token("STS-secret-token");
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("EXAMPLEsecret"), "{dbg}");
        assert!(!dbg.contains("STS-secret-token"), "{dbg}");
        assert!(dbg.contains("AKLTexampleEXAMPLE"));
        let got = sign(&c, &base_input(&[], &[])).expect("signs");
        let dbg = format!("{got:?}");
        assert!(!dbg.contains("STS-secret-token"), "{dbg}");
        assert!(!dbg.contains(&got.signature), "{dbg}");
    }
}
