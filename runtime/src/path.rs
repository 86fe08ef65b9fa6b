//! Building already-encoded request paths from caller values (PROTOCOLS.md §8.2).
//!
//! Generated code writes the literal parts of a path template verbatim and passes every
//! parameter value through [`segment`], so a value can never add path segments, a query or a
//! fragment. Parameters marked `x-ms-skip-url-encoding` that hold an ARM scope (ScVmm
//! `resourceUri`) go through [`arm_scope`], which keeps the `/` separators but validates and
//! encodes each segment.

use std::fmt::Display;

use percent_encoding::utf8_percent_encode;

use crate::error::Error;
use crate::query::STRICT;

/// First segments accepted by [`arm_scope`], compared ASCII case-insensitively.
///
/// Every ARM resource id and scope starts with one of them: subscription, resource group and
/// resource scopes with `subscriptions/{id}`; tenant-level and management-group scopes with
/// `providers/{namespace}/…` (e.g. `providers/Microsoft.Management/managementGroups/{id}`).
pub const ARM_SCOPE_ROOTS: &[&str] = &["subscriptions", "providers"];

/// Percent-encodes one path segment: only RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) stay literal; everything else, including `/`, `%`, `?`, `#` and
/// non-ASCII, becomes `%XX` (upper-case hex). Not idempotent: `%` always becomes `%25`.
///
/// `.` and `..` come out unchanged; [`crate::ClientCore::request`] rejects paths that URL
/// normalization would alter, so such values fail before sending.
pub fn segment(value: &str) -> String {
    utf8_percent_encode(value, STRICT).to_string()
}

/// A path from a template's literal parts and its parameter values in between:
/// `literals[0] values[0] literals[1] … values[n-1] literals[n]`. Literals are written as
/// given; each value's `Display` text goes through [`segment`]. Generated operations build
/// their paths with this in one call.
///
/// # Panics
///
/// When `literals` is not one longer than `values` (a bug in the caller).
pub fn join(literals: &[&str], values: &[&dyn Display]) -> String {
    assert_eq!(literals.len(), values.len() + 1, "a path has one more literal part than values");
    let mut path = String::from(literals[0]);
    for (value, literal) in values.iter().zip(&literals[1..]) {
        path.push_str(&segment(&value.to_string()));
        path.push_str(literal);
    }
    path
}

/// Validates and encodes an ARM scope (a resource id used as a path prefix).
///
/// Rules, in order:
/// 1. one leading `/` is dropped (the template supplies it); the rest is split on `/`;
/// 2. every segment must be non-empty (so no `//` and no trailing `/`), must not be `.` or `..`
///    (also not after percent-decoding), and must not contain `?`, `#`, `\`, whitespace or
///    control characters;
/// 3. `%` is accepted only as a valid `%XX` escape, which is kept (upper-cased) rather than
///    re-encoded; an escape must not decode to `/`, `\`, `?`, `#`, whitespace or a control;
/// 4. there must be at least two segments and the first must be one of [`ARM_SCOPE_ROOTS`];
/// 5. each segment is encoded like [`segment`] and the segments are re-joined with `/`.
///
/// The result has no leading `/`.
///
/// # Errors
///
/// [`Error::Validation`] naming `parameter` when any rule is violated.
pub fn arm_scope<E>(parameter: &'static str, value: &str) -> Result<String, Error<E>> {
    let reject = |message: String| Error::validation(parameter, message);
    let trimmed = value.strip_prefix('/').unwrap_or(value);
    if trimmed.is_empty() {
        return Err(reject("ARM scope is empty".into()));
    }
    let segments: Vec<&str> = trimmed.split('/').collect();
    let mut encoded = Vec::with_capacity(segments.len());
    for (index, seg) in segments.iter().enumerate() {
        let position = index + 1;
        encoded.push(
            encode_scope_segment(seg)
                .map_err(|why| reject(format!("ARM scope segment {position} {why}")))?,
        );
    }
    let root = segments[0];
    if !ARM_SCOPE_ROOTS.iter().any(|r| r.eq_ignore_ascii_case(root)) {
        return Err(reject(format!(
            "ARM scope must start with one of: {}",
            ARM_SCOPE_ROOTS.join(", ")
        )));
    }
    if segments.len() < 2 {
        return Err(reject("ARM scope is incomplete".into()));
    }
    Ok(encoded.join("/"))
}

/// Validates one scope segment and encodes it, keeping valid `%XX` escapes.
fn encode_scope_segment(seg: &str) -> Result<String, &'static str> {
    if seg.is_empty() {
        return Err("is empty");
    }
    let mut out = String::with_capacity(seg.len());
    let mut decoded = Vec::with_capacity(seg.len());
    let bytes = seg.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .ok_or("has an incomplete %-escape")?;
            let byte = std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or("has an invalid %-escape")?;
            if forbidden_byte(byte) {
                return Err("has a %-escape of a forbidden character");
            }
            out.push_str(&format!("%{byte:02X}"));
            decoded.push(byte);
            i += 3;
            continue;
        }
        if forbidden_byte(b) {
            return Err("contains a forbidden character (?, #, \\, /, whitespace or control)");
        }
        decoded.push(b);
        i += 1;
    }
    // Non-escape text may hold multi-byte characters; validate those as chars.
    if seg.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("contains whitespace or a control character");
    }
    if decoded == b"." || decoded == b".." {
        return Err("is a dot segment");
    }
    // Encode the literal runs between escapes.
    let mut result = String::with_capacity(out.len() + seg.len());
    let mut rest = seg;
    while let Some(pos) = rest.find('%') {
        result.push_str(&segment(&rest[..pos]));
        result.push_str(&rest[pos..pos + 3].to_ascii_uppercase());
        rest = &rest[pos + 3..];
    }
    result.push_str(&segment(rest));
    Ok(result)
}

/// Bytes never allowed in a scope segment, literally or escaped.
fn forbidden_byte(b: u8) -> bool {
    matches!(b, b'?' | b'#' | b'\\' | b'/' | b' ')
        || b.is_ascii_control()
        || b.is_ascii_whitespace()
}

/// A path parameter inserted as given (`x-ms-skip-url-encoding` on a value that is not an ARM
/// scope, e.g. `path1/path2` or a next-page fragment such as `next?page=2`, whose query joins
/// the request's): `/`, `?` and other reserved characters are kept; characters that would break
/// the request (`#`, `\\`, whitespace, controls) are refused, and non-ASCII is percent-encoded.
pub fn unencoded<E>(parameter: &'static str, value: &str) -> Result<String, Error<E>> {
    if let Some(c) = value.chars().find(|c| matches!(c, '#' | '\\') || c.is_whitespace() || c.is_control()) {
        return Err(Error::validation(parameter, format!("character {c:?} is not allowed in an unencoded path value")));
    }
    Ok(value
        .chars()
        .map(|c| if c.is_ascii() { c.to_string() } else { segment(&c.to_string()) })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_encoding() {
        assert_eq!(segment("vm-snap_1.a~"), "vm-snap_1.a~");
        assert_eq!(segment("a/b"), "a%2Fb");
        assert_eq!(segment("a b%"), "a%20b%25");
        assert_eq!(
            segment("?#[]@!$&'()*+,;="),
            "%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D"
        );
        assert_eq!(segment("é"), "%C3%A9");
        assert_eq!(segment("%25"), "%2525");
    }

    #[test]
    fn join_encodes_values_between_literal_parts() {
        let (owner, number) = ("a/b c", 42);
        assert_eq!(join(&["/repos/", "/issues/", ""], &[&owner, &number]), "/repos/a%2Fb%20c/issues/42");
        assert_eq!(join(&["/", "", "/x"], &[&"p", &"q"]), "/pq/x", "adjacent values");
        assert_eq!(join(&["/status"], &[]), "/status");
    }

    #[test]
    fn arm_scope_table() {
        let ok = [
            (
                "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-lab/providers/Microsoft.HybridCompute/machines/vm01",
                "subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-lab/providers/Microsoft.HybridCompute/machines/vm01",
            ),
            ("subscriptions/s1", "subscriptions/s1"),
            ("Subscriptions/s1/resourceGroups/rg", "Subscriptions/s1/resourceGroups/rg"),
            (
                "/providers/Microsoft.Management/managementGroups/mg1",
                "providers/Microsoft.Management/managementGroups/mg1",
            ),
            ("subscriptions/s1/resourceGroups/r(g)", "subscriptions/s1/resourceGroups/r%28g%29"),
            ("subscriptions/s1/resourceGroups/caf\u{e9}", "subscriptions/s1/resourceGroups/caf%C3%A9"),
            ("subscriptions/s1/resourceGroups/a%2db", "subscriptions/s1/resourceGroups/a%2Db"),
            ("subscriptions/s1/x/a:b", "subscriptions/s1/x/a%3Ab"),
        ];
        for (input, want) in ok {
            assert_eq!(
                arm_scope::<()>("resourceUri", input).ok().as_deref(),
                Some(want),
                "{input}"
            );
        }
        let bad = [
            "",
            "/",
            "//subscriptions/s1",
            "subscriptions",
            "subscriptions/",
            "subscriptions//rg",
            "subscriptions/s1/",
            "subscriptions/./x",
            "subscriptions/../x",
            "subscriptions/%2e%2E/x",
            "subscriptions/s1?x=1",
            "subscriptions/s1#frag",
            "subscriptions/s1\\..\\x",
            "subscriptions/s 1",
            "subscriptions/s\t1",
            "subscriptions/s\u{a0}1",
            "subscriptions/s1\n",
            "subscriptions/100%",
            "subscriptions/%zz",
            "subscriptions/a%2Fb",
            "subscriptions/a%5Cb",
            "subscriptions/a%00b",
            "resourceGroups/rg",
            "tenants/t1",
            "https://evil.example/subscriptions/s1",
        ];
        for input in bad {
            match arm_scope::<()>("resourceUri", input) {
                Err(Error::Validation { parameter, .. }) => assert_eq!(parameter, "resourceUri"),
                other => panic!("{input:?} gave {other:?}"),
            }
        }
    }
}

