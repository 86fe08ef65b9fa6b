//! JSON pointers (into the normalized document) of the things a change is about. The IR keeps
//! the pointers of operations and types; parameters, properties, responses and headers are
//! found from there in the normalized JSON, following local `$ref`s. [`super::Cx::push`] then maps
//! each pointer back to the user's file.

use serde_json::Value;

use crate::error::escape_pointer_token;
use crate::ir::{OperationIr, ParamIr, ParamLocation};

fn location_word(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The pointer a local `$ref` names, if `value` is one.
fn ref_target(value: &Value) -> Option<String> {
    let reference = value.get("$ref")?.as_str()?;
    let pointer = reference.strip_prefix('#')?;
    Some(pointer.to_owned())
}

/// Follows `$ref`s from `pointer` (at most a few hops).
fn resolve(raw: &Value, pointer: &str) -> String {
    let mut pointer = pointer.to_owned();
    for _ in 0..8 {
        match raw.pointer(&pointer).and_then(ref_target) {
            Some(next) if raw.pointer(&next).is_some() => pointer = next,
            _ => break,
        }
    }
    pointer
}

/// The pointer of parameter `p` of `op`: its entry in the operation's or path item's
/// `parameters` (the entry itself, even when it is a `$ref`).
pub fn param(raw: &Value, op: &OperationIr, p: &ParamIr) -> String {
    let path_item = op.origin.rsplit_once('/').map(|(item, _)| item.to_owned()).unwrap_or_default();
    for owner in [op.origin.as_str(), path_item.as_str()] {
        let list = format!("{owner}/parameters");
        let Some(Value::Array(items)) = raw.pointer(&list) else { continue };
        for i in 0..items.len() {
            let entry = format!("{list}/{i}");
            let resolved = resolve(raw, &entry);
            let Some(param) = raw.pointer(&resolved) else { continue };
            let name = param.get("name").and_then(Value::as_str).unwrap_or_default();
            let location = param.get("in").and_then(Value::as_str).unwrap_or_default();
            let same_name = if p.location == ParamLocation::Header { name.eq_ignore_ascii_case(&p.wire_name) } else { name == p.wire_name };
            if same_name && location == location_word(p.location) {
                return entry;
            }
        }
    }
    format!("{}/parameters", op.origin)
}

/// The pointer of property `wire` of the schema at `origin` (looking through `allOf` members
/// and `$ref`s), or `origin` itself.
pub fn property(raw: &Value, origin: &str, wire: &str) -> String {
    find_property(raw, origin, wire, 0).unwrap_or_else(|| origin.to_owned())
}

fn find_property(raw: &Value, pointer: &str, wire: &str, depth: usize) -> Option<String> {
    if depth > 6 {
        return None;
    }
    let pointer = resolve(raw, pointer);
    let schema = raw.pointer(&pointer)?;
    let direct = format!("{pointer}/properties/{}", escape_pointer_token(wire));
    if schema.get("properties").and_then(|p| p.get(wire)).is_some() {
        return Some(direct);
    }
    let members = schema.get("allOf").and_then(Value::as_array)?;
    (0..members.len()).find_map(|i| find_property(raw, &format!("{pointer}/allOf/{i}"), wire, depth + 1))
}

/// A child of `base` when it exists in the document, else `base`.
pub fn child(raw: &Value, base: &str, tokens: &[&str]) -> String {
    let mut pointer = base.to_owned();
    for token in tokens {
        let next = format!("{}/{}", resolve(raw, &pointer), escape_pointer_token(token));
        if raw.pointer(&next).is_none() {
            return pointer;
        }
        pointer = next;
    }
    pointer
}

/// The pointer of success response `status` of `op`.
pub fn response(raw: &Value, op: &OperationIr, status: u16) -> String {
    child(raw, &op.origin, &["responses", &status.to_string()])
}

/// The pointer of header `name` of response `status` of `op` (case-insensitive).
pub fn header(raw: &Value, op: &OperationIr, status: u16, name: &str) -> String {
    let response = resolve(raw, &response(raw, op, status));
    if let Some(Value::Object(headers)) = raw.pointer(&format!("{response}/headers")) {
        if let Some(key) = headers.keys().find(|k| k.eq_ignore_ascii_case(name)) {
            return format!("{response}/headers/{}", escape_pointer_token(key));
        }
    }
    response
}

/// The pointer of value `value` in the `enum` list of the schema at `origin`.
pub fn enum_value(raw: &Value, origin: &str, value: &str) -> String {
    let pointer = resolve(raw, origin);
    if let Some(Value::Array(values)) = raw.pointer(&format!("{pointer}/enum")) {
        if let Some(i) = values.iter().position(|v| v.as_str() == Some(value)) {
            return format!("{pointer}/enum/{i}");
        }
    }
    origin.to_owned()
}
