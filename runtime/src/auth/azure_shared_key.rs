//! Azure Batch data-plane Shared Key signing (`Authorization: SharedKey <account>:<signature>`).
//!
//! Pure functions over plain inputs: [`string_to_sign`] builds the canonical string and [`sign`]
//! returns the complete `Authorization` value. No I/O, no clock: the caller sends `ocp-date`
//! (see [`format_ocp_date`]) and passes it among the headers. The output matches the official
//! SDK policy (PyPI `azure-batch` 15.1.0, `azure.batch._patch.BatchSharedKeyAuthPolicy`) on the
//! vectors in `runtime/tests/data/batch/` (made by `tests/vectors/make_vectors.sh`).
//!
//! # Algorithm
//!
//! ```text
//! StringToSign = VERB "\n"
//!                Content-Encoding "\n" Content-Language "\n" Content-Length "\n"
//!                Content-MD5 "\n" Content-Type "\n" Date "\n"
//!                If-Modified-Since "\n" If-Match "\n" If-None-Match "\n"
//!                If-Unmodified-Since "\n" Range "\n"
//!                CanonicalizedHeaders          one "name:value\n" per ocp-* header, sorted
//!                CanonicalizedResource         "/" account path { "\n" name ":" value }
//! Signature    = Base64(HMAC-SHA256(Base64Decode(account key), UTF-8(StringToSign)))
//! ```
//!
//! * A missing header contributes an empty line. `Content-Length` of a request other than
//!   `GET`/`HEAD` without one is signed as `0` (both official SDKs do this for an empty POST).
//! * `Date` is signed empty when `ocp-date` is present (the service prefers `ocp-date`).
//! * CanonicalizedHeaders: headers whose lower-cased name starts with `ocp-`, names lower-cased,
//!   sorted by name.
//! * CanonicalizedResource: the path **exactly as sent** (percent-encoding untouched), then the
//!   query parameters with lower-cased names, sorted by that name, each with its URL-decoded value.
//! * Header values are trimmed of surrounding spaces/tabs (what the server receives).
//!
//! # Where the official SDKs disagree, and what this module does
//!
//! * Query names: Java lower-cases them, Python 15.1.0 keeps their case. Lower-cased here (Java and
//!   the service documentation); identical for all-lower-case names such as `api-version`.
//! * Empty query values / empty `ocp-*` headers: Python drops them, Java signs `name:`. Rejected here
//!   ([`SignError::EmptyQueryValue`], [`SignError::EmptyHeaderValue`]).
//! * Repeated query names: Python signs the first value, Java the last. Rejected here
//!   ([`SignError::DuplicateQueryParameter`]).
//! * `ocp-` detection: Python matches the stored name case-sensitively (`Ocp-Date` is not signed),
//!   Java case-insensitively. Case-insensitive here.
//! * Header values with CR/LF: Java replaces them with spaces; rejected here
//!   ([`SignError::InvalidHeaderValue`]).

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

/// The standard headers whose values fill the fixed lines of the string to sign, in order.
pub const SIGNED_STANDARD_HEADERS: [&str; 11] = [
    "content-encoding",
    "content-language",
    "content-length",
    "content-md5",
    "content-type",
    "date",
    "if-modified-since",
    "if-match",
    "if-none-match",
    "if-unmodified-since",
    "range",
];

/// Index of `content-length` in [`SIGNED_STANDARD_HEADERS`].
const CONTENT_LENGTH: usize = 2;
/// Index of `date` in [`SIGNED_STANDARD_HEADERS`].
const DATE: usize = 5;

/// A Batch account name and its (decoded) account key.
///
/// The key lives in a zeroizing buffer; `Debug` does not print it.
#[derive(Clone)]
pub struct SharedKeyCredential {
    account: String,
    key: Zeroizing<Vec<u8>>,
}

/// Why a [`SharedKeyCredential`] could not be created. Never contains the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidKey {
    /// The account name is empty or contains characters other than `A-Z a-z 0-9 - _ .`.
    #[error("invalid Batch account name")]
    InvalidAccountName,
    /// The key is empty.
    #[error("the Batch account key is empty")]
    Empty,
    /// The key is not valid standard Base64 (with padding).
    #[error("the Batch account key is not valid Base64")]
    NotBase64,
}

impl SharedKeyCredential {
    /// Creates a credential from the account name and the Base64 account key as shown in the
    /// portal (surrounding whitespace is ignored).
    ///
    /// # Errors
    ///
    /// [`InvalidKey`] when the account name is not a plain name or the key is empty or not
    /// standard Base64.
    pub fn new(account: impl Into<String>, key_base64: &str) -> Result<Self, InvalidKey> {
        let account = account.into();
        let account_ok = !account.is_empty()
            && account
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !account_ok {
            return Err(InvalidKey::InvalidAccountName);
        }
        let trimmed = key_base64.trim();
        if trimmed.is_empty() {
            return Err(InvalidKey::Empty);
        }
        let key = Zeroizing::new(
            STANDARD
                .decode(trimmed)
                .map_err(|_| InvalidKey::NotBase64)?,
        );
        if key.is_empty() {
            return Err(InvalidKey::Empty);
        }
        Ok(Self { account, key })
    }

    /// The account name, as used in the `Authorization` header and the canonicalized resource.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// Base64 HMAC-SHA256 of `string_to_sign` under the account key (the signature part of the
    /// `Authorization` header).
    pub fn signature(&self, string_to_sign: &str) -> String {
        // HMAC is defined for keys of any length; `new_from_slice` cannot fail for it.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .expect("HMAC-SHA256 accepts keys of any length");
        mac.update(string_to_sign.as_bytes());
        STANDARD.encode(mac.finalize().into_bytes())
    }
}

impl fmt::Debug for SharedKeyCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedKeyCredential")
            .field("account", &self.account)
            .field("key", &"<redacted>")
            .finish()
    }
}

/// Why a request could not be signed. Messages never contain header values or the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The method is empty or not an HTTP token.
    #[error("invalid HTTP method")]
    InvalidMethod,
    /// The path does not start with `/` or contains characters that cannot be sent verbatim
    /// (whitespace, control characters, non-ASCII, `?`, `#`).
    #[error("invalid request path (must be the encoded path as sent)")]
    InvalidPath,
    /// The account name is empty or not a plain name.
    #[error("invalid Batch account name")]
    InvalidAccountName,
    /// A header name is not a valid HTTP field name.
    #[error("invalid header name {0:?}")]
    InvalidHeaderName(String),
    /// A header value contains CR, LF, NUL or another control character.
    #[error("value of header {0} contains a control character (CR, LF, NUL, ...)")]
    InvalidHeaderValue(String),
    /// A signed header (lower-cased name) is given more than once.
    #[error("signed header {0} is given more than once")]
    DuplicateHeader(String),
    /// An `ocp-*` header has an empty value (the official SDKs disagree on how to sign it).
    #[error("header {0} has an empty value")]
    EmptyHeaderValue(String),
    /// Neither `ocp-date` nor `Date` is present; the service rejects such requests.
    #[error("the request has neither an ocp-date nor a Date header")]
    MissingDate,
    /// A query parameter name (lower-cased) appears more than once.
    #[error("query parameter {0} is given more than once")]
    DuplicateQueryParameter(String),
    /// A query parameter has an empty value (the official SDKs disagree on how to sign it).
    #[error("query parameter {0} has an empty value")]
    EmptyQueryValue(String),
}

/// Formats a UTC time as an `ocp-date` value (RFC 1123), e.g. `Fri, 05 Jan 2024 09:30:00 GMT`.
pub fn format_ocp_date(time: DateTime<Utc>) -> String {
    time.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Builds the Shared Key string to sign (see the module documentation).
///
/// * `method`: as sent, e.g. `POST`.
/// * `path_as_sent`: the encoded path exactly as on the wire (`""` means `/`).
/// * `query`: decoded `(name, value)` pairs.
/// * `headers`: the headers that will be sent, including `ocp-date`, `Content-Type` and, for a
///   non-empty body, `Content-Length` (HTTP clients add that one themselves at send time, so
///   the caller must list it here).
/// * `account`: the Batch account name.
///
/// # Errors
///
/// [`SignError`] for control characters in header values, invalid names, duplicate signed
/// headers or query names, empty `ocp-*` or query values, a missing date, or a bad path/method.
pub fn string_to_sign(
    method: &str,
    path_as_sent: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    account: &str,
) -> Result<String, SignError> {
    if http::Method::from_bytes(method.as_bytes()).is_err() {
        return Err(SignError::InvalidMethod);
    }
    validate_path(path_as_sent)?;
    if account.is_empty() || account.bytes().any(|b| !b.is_ascii_graphic() || b == b'/') {
        return Err(SignError::InvalidAccountName);
    }

    let mut standard: [Option<&str>; 11] = [None; 11];
    let mut ocp: Vec<(String, &str)> = Vec::new();
    for (name, value) in headers {
        if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(SignError::InvalidHeaderName(name.clone()));
        }
        let lower = name.to_ascii_lowercase();
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(SignError::InvalidHeaderValue(lower));
        }
        let value = value.trim_matches(|c| c == ' ' || c == '\t');
        if let Some(i) = SIGNED_STANDARD_HEADERS.iter().position(|h| *h == lower) {
            if standard[i].is_some() {
                return Err(SignError::DuplicateHeader(lower));
            }
            standard[i] = Some(value);
        } else if lower.starts_with("ocp-") {
            if value.is_empty() {
                return Err(SignError::EmptyHeaderValue(lower));
            }
            if ocp.iter().any(|(n, _)| *n == lower) {
                return Err(SignError::DuplicateHeader(lower));
            }
            ocp.push((lower, value));
        }
    }

    let has_ocp_date = ocp.iter().any(|(n, _)| n == "ocp-date");
    let has_date = standard[DATE].is_some_and(|v| !v.is_empty());
    if !has_ocp_date && !has_date {
        return Err(SignError::MissingDate);
    }
    if has_ocp_date {
        standard[DATE] = None;
    }
    if standard[CONTENT_LENGTH].is_none_or(str::is_empty) {
        standard[CONTENT_LENGTH] = if method == "GET" || method == "HEAD" {
            None
        } else {
            Some("0")
        };
    }

    let mut out = String::with_capacity(256);
    out.push_str(method);
    out.push('\n');
    for value in standard {
        out.push_str(value.unwrap_or(""));
        out.push('\n');
    }
    ocp.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, value) in &ocp {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push('/');
    out.push_str(account);
    out.push_str(if path_as_sent.is_empty() {
        "/"
    } else {
        path_as_sent
    });

    let mut params: Vec<(String, &str)> = Vec::with_capacity(query.len());
    for (name, value) in query {
        let lower = name.to_lowercase();
        if value.is_empty() {
            return Err(SignError::EmptyQueryValue(lower));
        }
        if params.iter().any(|(n, _)| *n == lower) {
            return Err(SignError::DuplicateQueryParameter(lower));
        }
        params.push((lower, value.as_str()));
    }
    params.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, value) in params {
        out.push('\n');
        out.push_str(&name);
        out.push(':');
        out.push_str(value);
    }
    Ok(out)
}

/// Signs a request and returns the complete `Authorization` header value,
/// `SharedKey <account>:<Base64 signature>`. Arguments as for [`string_to_sign`].
///
/// # Errors
///
/// As [`string_to_sign`].
pub fn sign(
    cred: &SharedKeyCredential,
    method: &str,
    path_as_sent: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
) -> Result<String, SignError> {
    let text = string_to_sign(method, path_as_sent, query, headers, &cred.account)?;
    Ok(format!(
        "SharedKey {}:{}",
        cred.account,
        cred.signature(&text)
    ))
}

fn validate_path(path: &str) -> Result<(), SignError> {
    let bad_char = path
        .chars()
        .any(|c| !c.is_ascii_graphic() || c == '?' || c == '#');
    if bad_char || !(path.is_empty() || path.starts_with('/')) {
        return Err(SignError::InvalidPath);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::path::{Path, PathBuf};

    const KEY: &str =
        "ZGVtby1iYXRjaC1hY2NvdW50LWtleS1OT1QtUkVBTC0wMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZg==";
    const PATH: &str = "/certificates(thumbprintAlgorithm=sha1,thumbprint=0123456789abcdef0123456789abcdef01234567)/canceldelete";
    const OCP_DATE: &str = "Fri, 05 Jan 2024 09:30:00 GMT";
    const CT: &str = "application/json; odata=minimalmetadata";

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn cred() -> SharedKeyCredential {
        SharedKeyCredential::new("myaccount", KEY).expect("valid key")
    }

    fn vector_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/batch")
    }

    /// Splits a vector's URL into (path as sent, decoded query pairs), the way the SDK's
    /// `urlparse` + `parse_qs` see it.
    fn split_url(url: &str) -> (String, Vec<(String, String)>) {
        let after_scheme = url.split_once("://").expect("absolute URL").1;
        let path_and_query = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let query = url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        (path.to_owned(), query)
    }

    #[test]
    fn matches_every_official_sdk_vector() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(vector_dir())
            .expect("runtime/tests/data/batch exists")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        assert!(
            files.len() >= 6,
            "expected the Batch vectors in {}",
            vector_dir().display()
        );
        let mut failures = Vec::new();
        for file in &files {
            let name = file
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(file).expect("readable"))
                    .expect("valid JSON");
            let inputs = &doc["inputs"];
            let text = |k: &str| inputs[k].as_str().expect("string field").to_owned();
            let (path, query) = split_url(&text("url"));
            let headers: Vec<(String, String)> = inputs["headers"]
                .as_object()
                .expect("headers")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().expect("string").to_owned()))
                .collect();
            let cred =
                SharedKeyCredential::new(text("account"), &text("key_base64")).expect("valid key");
            let want_sts = doc["intermediate"]["string_to_sign"]
                .as_str()
                .expect("string_to_sign");
            match string_to_sign(&text("method"), &path, &query, &headers, cred.account()) {
                Ok(got) if got == want_sts => {}
                Ok(got) => failures.push(format!(
                    "{name}: string_to_sign\n  got:  {got:?}\n  want: {want_sts:?}"
                )),
                Err(e) => failures.push(format!("{name}: string_to_sign failed: {e}")),
            }
            let want = doc["expected"]["Authorization"]
                .as_str()
                .expect("Authorization");
            match sign(&cred, &text("method"), &path, &query, &headers) {
                Ok(got) if got == want => {}
                Ok(got) => failures.push(format!("{name}: Authorization {got} != {want}")),
                Err(e) => failures.push(format!("{name}: sign failed: {e}")),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// PROTOCOLS.md §4.2 test vector, spelled out independently of the vector files.
    #[test]
    fn protocols_4_2_vector() {
        let query = pairs(&[("api-version", "2020-09-01.12.0"), ("timeout", "30")]);
        let headers = pairs(&[
            ("Content-Type", CT),
            ("ocp-date", OCP_DATE),
            ("client-request-id", "9c4d50ee-2d56-4cd3-8152-34347dc9f2b0"),
            ("return-client-request-id", "true"),
        ]);
        let sts = string_to_sign("POST", PATH, &query, &headers, "myaccount").expect("builds");
        assert_eq!(
            sts,
            "POST\n\n\n0\n\napplication/json; odata=minimalmetadata\n\n\n\n\n\n\nocp-date:Fri, 05 Jan 2024 09:30:00 GMT\n/myaccount/certificates(thumbprintAlgorithm=sha1,thumbprint=0123456789abcdef0123456789abcdef01234567)/canceldelete\napi-version:2020-09-01.12.0\ntimeout:30"
        );
        assert_eq!(
            sign(&cred(), "POST", PATH, &query, &headers).expect("signs"),
            "SharedKey myaccount:jcxzIXxh9YD6rsxFNmLk1zKl8SVbhHxrmQWoLOK9pqQ="
        );
        // An explicit Content-Length: 0 signs the same.
        let mut with_len = headers.clone();
        with_len.push(("Content-Length".into(), "0".into()));
        assert_eq!(
            sign(&cred(), "POST", PATH, &query, &with_len).expect("signs"),
            "SharedKey myaccount:jcxzIXxh9YD6rsxFNmLk1zKl8SVbhHxrmQWoLOK9pqQ="
        );
    }

    #[test]
    fn query_names_lower_cased_and_sorted() {
        let headers = pairs(&[("ocp-date", OCP_DATE)]);
        let query = pairs(&[("Timeout", "30"), ("API-Version", "v"), ("$select", "a,b")]);
        let sts = string_to_sign("GET", "/x", &query, &headers, "acct").expect("builds");
        assert!(
            sts.ends_with("/acct/x\n$select:a,b\napi-version:v\ntimeout:30"),
            "{sts:?}"
        );
        // GET without Content-Length signs an empty line.
        assert!(sts.starts_with("GET\n\n\n\n"), "{sts:?}");
    }

    #[test]
    fn ocp_headers_case_insensitive_sorted_and_date_blanked() {
        let headers = pairs(&[
            ("Ocp-Zeta", "z"),
            ("OCP-DATE", OCP_DATE),
            ("Date", "Thu, 04 Jan 2024 00:00:00 GMT"),
            ("ocp-alpha", " a "),
            ("x-ms-other", "not signed"),
        ]);
        let sts = string_to_sign("DELETE", "/jobs/j1", &[], &headers, "acct").expect("builds");
        assert_eq!(
            sts,
            format!("DELETE\n\n\n0\n\n\n\n\n\n\n\n\nocp-alpha:a\nocp-date:{OCP_DATE}\nocp-zeta:z\n/acct/jobs/j1")
        );
        // Date alone is signed in its line.
        let headers = pairs(&[("Date", OCP_DATE)]);
        let sts = string_to_sign("GET", "/", &[], &headers, "acct").expect("builds");
        assert_eq!(sts, format!("GET\n\n\n\n\n\n{OCP_DATE}\n\n\n\n\n\n/acct/"));
    }

    #[test]
    fn path_is_signed_as_sent() {
        let headers = pairs(&[("ocp-date", OCP_DATE)]);
        let sts = string_to_sign("GET", "/jobs/a%20b%2Fc", &[], &headers, "acct").expect("builds");
        assert!(sts.ends_with("\n/acct/jobs/a%20b%2Fc"));
        let sts = string_to_sign("GET", "", &[], &headers, "acct").expect("builds");
        assert!(sts.ends_with("\n/acct/"));
        for bad in ["jobs", "/a b", "/a?b", "/a#b", "/é", "/a\nb"] {
            assert_eq!(
                string_to_sign("GET", bad, &[], &headers, "acct"),
                Err(SignError::InvalidPath),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn rejects_injection_and_ambiguity() {
        let ok = pairs(&[("ocp-date", OCP_DATE)]);
        for bad in ["a\r\nAuthorization: x", "a\nb", "a\rb", "a\0b"] {
            let headers = pairs(&[("ocp-date", OCP_DATE), ("ocp-custom", bad)]);
            assert_eq!(
                string_to_sign("POST", "/", &[], &headers, "acct"),
                Err(SignError::InvalidHeaderValue("ocp-custom".into()))
            );
            let headers = pairs(&[("ocp-date", OCP_DATE), ("Content-Type", bad)]);
            assert!(matches!(
                sign(&cred(), "POST", "/", &[], &headers),
                Err(SignError::InvalidHeaderValue(_))
            ));
        }
        let headers = pairs(&[("ocp-date", OCP_DATE), ("bad name", "v")]);
        assert!(matches!(
            string_to_sign("POST", "/", &[], &headers, "acct"),
            Err(SignError::InvalidHeaderName(_))
        ));
        let headers = pairs(&[("ocp-date", OCP_DATE), ("Ocp-Date", OCP_DATE)]);
        assert_eq!(
            string_to_sign("POST", "/", &[], &headers, "acct"),
            Err(SignError::DuplicateHeader("ocp-date".into()))
        );
        let headers = pairs(&[("ocp-date", OCP_DATE), ("If-Match", "a"), ("if-match", "b")]);
        assert_eq!(
            string_to_sign("POST", "/", &[], &headers, "acct"),
            Err(SignError::DuplicateHeader("if-match".into()))
        );
        let headers = pairs(&[("ocp-date", OCP_DATE), ("ocp-empty", "  ")]);
        assert_eq!(
            string_to_sign("POST", "/", &[], &headers, "acct"),
            Err(SignError::EmptyHeaderValue("ocp-empty".into()))
        );
        assert_eq!(
            string_to_sign("POST", "/", &[], &[], "acct"),
            Err(SignError::MissingDate)
        );
        let q = pairs(&[("timeout", "1"), ("Timeout", "2")]);
        assert_eq!(
            string_to_sign("POST", "/", &q, &ok, "acct"),
            Err(SignError::DuplicateQueryParameter("timeout".into()))
        );
        let q = pairs(&[("timeout", "")]);
        assert_eq!(
            string_to_sign("POST", "/", &q, &ok, "acct"),
            Err(SignError::EmptyQueryValue("timeout".into()))
        );
        assert_eq!(
            string_to_sign("PO ST", "/", &[], &ok, "acct"),
            Err(SignError::InvalidMethod)
        );
        assert_eq!(
            string_to_sign("POST", "/", &[], &ok, "a/b"),
            Err(SignError::InvalidAccountName)
        );
    }

    #[test]
    fn credential_validation_and_redaction() {
        assert_eq!(
            SharedKeyCredential::new("", KEY).map(|_| ()),
            Err(InvalidKey::InvalidAccountName)
        );
        assert_eq!(
            SharedKeyCredential::new("acct:x", KEY).map(|_| ()),
            Err(InvalidKey::InvalidAccountName)
        );
        assert_eq!(
            SharedKeyCredential::new("acct", "").map(|_| ()),
            Err(InvalidKey::Empty)
        );
        assert_eq!(
            SharedKeyCredential::new("acct", "not base64!").map(|_| ()),
            Err(InvalidKey::NotBase64)
        );
        assert_eq!(
            SharedKeyCredential::new("acct", "YWJj=").map(|_| ()),
            Err(InvalidKey::NotBase64)
        );
        let with_space =
            SharedKeyCredential::new("myaccount", &format!(" {KEY}\n")).expect("trimmed");
        assert_eq!(with_space.signature("x"), cred().signature("x"));
        let dbg = format!("{:?}", cred());
        assert!(dbg.contains("myaccount"));
        assert!(!dbg.contains("ZGVtby"), "{dbg}");
        assert!(!dbg.contains("demo"), "{dbg}");
        let err = SharedKeyCredential::new("acct", "c2VjcmV0!")
            .map(|_| ())
            .expect_err("invalid");
        assert!(!err.to_string().contains("c2VjcmV0"));
    }

    #[test]
    fn ocp_date_format() {
        let t = DateTime::parse_from_rfc3339("2024-01-05T09:30:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        assert_eq!(format_ocp_date(t), OCP_DATE);
    }
}
