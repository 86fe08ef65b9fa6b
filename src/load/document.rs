//! Reading one file into a JSON value: UTF-8 byte-order mark, JSON (with the trailing commas some
//! published specs contain) or YAML.

use std::path::Path;

use serde_json::Value;

use crate::error::{Diagnostic, Error, Location, Result};

/// Parses the bytes of a spec file. JSON is tried when the first meaningful character is `{` or
/// `[`, YAML otherwise. Returns the document and warnings (e.g. a trailing comma was accepted).
pub fn parse_document(path: &Path, bytes: &[u8]) -> Result<(Value, Vec<Diagnostic>)> {
    let whole = Location::new(path, "");
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::spec(whole.clone(), format!("not UTF-8 text: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut warnings = Vec::new();
    let first = text.trim_start().chars().next();
    let value = if matches!(first, Some('{') | Some('[')) {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => v,
            // A document cut short cannot be saved by removing commas: report it at once.
            Err(strict_error) if strict_error.classify() == serde_json::error::Category::Eof => {
                return Err(Error::spec(
                    whole,
                    format!("not valid JSON: {strict_error} (line {}, column {})", strict_error.line(), strict_error.column()),
                ))
            }
            Err(strict_error) => {
                let (relaxed, removed) = strip_trailing_commas(text);
                match (removed.is_empty(), serde_json::from_str::<Value>(&relaxed)) {
                    (false, Ok(v)) => {
                        for line in removed {
                            warnings.push(Diagnostic::new(
                                whole.clone(),
                                format!("line {line}: trailing comma is not valid JSON; accepted"),
                            ));
                        }
                        v
                    }
                    _ => {
                        return Err(Error::spec(
                            whole,
                            format!(
                                "not valid JSON: {strict_error} (line {}, column {})",
                                strict_error.line(),
                                strict_error.column()
                            ),
                        ))
                    }
                }
            }
        }
    } else {
        serde_yaml::from_str::<Value>(text)
            .map_err(|e| Error::spec(whole.clone(), format!("not valid YAML or JSON: {e}")))?
    };
    if !value.is_object() {
        return Err(Error::spec(whole, "the document is not an object (expected an OpenAPI or Swagger document)"));
    }
    if let Some(pointer) = overlong_key(&value) {
        return Err(Error::spec(
            Location::new(path, &pointer),
            format!("a member name longer than {MAX_KEY_BYTES} bytes (names become Rust identifiers)"),
        ));
    }
    Ok((value, warnings))
}

/// The longest member name accepted (paths, schema and property names, parameters, media types,
/// status codes: real ones are far shorter).
pub const MAX_KEY_BYTES: usize = 4096;

/// The JSON pointer of the parent of the first member whose name is longer than
/// [`MAX_KEY_BYTES`] (iterative: documents may be deeply nested).
fn overlong_key(root: &Value) -> Option<String> {
    // A cheap pass first; pointers are built only when there is something to report.
    let mut values = vec![root];
    let mut found = false;
    while let Some(value) = values.pop() {
        match value {
            Value::Object(members) => {
                found |= members.keys().any(|k| k.len() > MAX_KEY_BYTES);
                values.extend(members.values());
            }
            Value::Array(items) => values.extend(items),
            _ => {}
        }
    }
    if !found {
        return None;
    }
    let mut stack: Vec<(&Value, String)> = vec![(root, String::new())];
    while let Some((value, pointer)) = stack.pop() {
        match value {
            Value::Object(members) => {
                if members.keys().any(|k| k.len() > MAX_KEY_BYTES) {
                    return Some(pointer);
                }
                for (key, member) in members {
                    if member.is_object() || member.is_array() {
                        stack.push((member, format!("{pointer}/{}", crate::error::escape_pointer_token(key))));
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if item.is_object() || item.is_array() {
                        stack.push((item, format!("{pointer}/{i}")));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// Removes commas that directly precede `}` or `]` (ignoring whitespace), outside strings.
/// Returns the new text and the 1-based line numbers of the removed commas.
fn strip_trailing_commas(text: &str) -> (String, Vec<usize>) {
    // Every byte that matters here is ASCII, and ASCII bytes never occur inside a multi-byte
    // UTF-8 sequence, so the text can be scanned (and cut) byte by byte.
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut removed = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut line = 1;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        if b == b'"' {
            in_string = true;
        } else if b == b',' {
            let next = bytes[i + 1..].iter().find(|c| !c.is_ascii_whitespace());
            if matches!(next, Some(b'}') | Some(b']')) {
                removed.push(line);
                continue;
            }
        }
        out.push(b);
    }
    (String::from_utf8(out).unwrap_or_else(|_| text.to_owned()), removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_with_bom_and_trailing_comma() {
        let text = "\u{feff}{\"a\": [1, 2,],\n \"b\": \"x,]\",\n}";
        let (v, w) = parse_document(Path::new("t.json"), text.as_bytes()).unwrap();
        assert_eq!(v["a"], serde_json::json!([1, 2]));
        assert_eq!(v["b"], "x,]");
        assert_eq!(w.len(), 2);
        assert!(w[0].message.contains("line 1"), "{}", w[0]);
        assert!(w[1].message.contains("line 2"), "{}", w[1]);
    }

    #[test]
    fn truncated_json_is_reported_without_retrying() {
        let err = parse_document(Path::new("cut.json"), "{\"a\": [1, 2,".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("EOF while parsing"), "{err}");
        let (v, _) = parse_document(Path::new("u.json"), "{\"ä\": [\"ö,\",],}".as_bytes()).unwrap();
        assert_eq!(v["ä"], serde_json::json!(["ö,"]));
    }

    #[test]
    fn yaml_with_integer_keys() {
        let text = "openapi: 3.0.3\nresponses:\n  200:\n    description: ok\n";
        let (v, _) = parse_document(Path::new("t.yaml"), text.as_bytes()).unwrap();
        assert_eq!(v["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn garbage_is_an_error_naming_the_file() {
        let err = parse_document(Path::new("bad.yaml"), b"{ not: [valid").unwrap_err();
        assert!(err.to_string().starts_with("bad.yaml: not valid JSON"), "{err}");
        let err = parse_document(Path::new("bad.yaml"), b"- just\n- a list\n").unwrap_err();
        assert!(err.to_string().contains("not an object"), "{err}");
    }
}
