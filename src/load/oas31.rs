//! OpenAPI 3.1 → OpenAPI 3.0.3, in place on a bundled JSON value.
//!
//! 3.1 schemas are JSON Schema 2020-12; 3.0 schemas are an older subset with `nullable`. The
//! conversion walks every schema (see [`super::walk`]) and rewrites, before descending into it:
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `type: [T, "null"]` | `type: T, nullable: true` (several non-null types: `type` dropped, warning) |
//! | `oneOf`/`anyOf` with a `{type: "null"}` member | the other members + `nullable: true` (one member left: merged, or `allOf: [$ref]`) |
//! | `const: v` | `enum: [v]` |
//! | `examples: [a, …]` | `example: a` |
//! | `exclusiveMinimum: n` (a number) | `minimum: n, exclusiveMinimum: true` (same for maximum) |
//! | `$ref` with `nullable`/`readOnly`/… beside it | `allOf: [{$ref}]` plus those keywords (annotations such as `description` stay beside the `$ref`) |
//! | `true` / `false` as a schema | `{}` / `{not: {}}` |
//! | `contentEncoding: base64` | `format: byte` |
//! | `$schema`, `$id`, `$anchor`, `$comment`, `$defs`, … | removed (references into `$defs` were imported into components by bundling) |
//! | `prefixItems`, `if`/`then`/`else`, `patternProperties`, … | removed, with a warning |
//!
//! At the root: `webhooks` is removed with a warning, `jsonSchemaDialect`, `info.summary`,
//! `license.identifier`, `$defs` and `components/pathItems` are removed, `paths` defaults to `{}`,
//! and `mutualTLS` security schemes are dropped with a warning.

use serde_json::{json, Map, Value};

use super::swagger2::Note;
use super::walk::{walk, Flow, Kind};

/// Keywords that only annotate: they may stay beside a `$ref` (3.0 readers ignore them).
const ANNOTATIONS: &[&str] = &["description", "summary", "title", "$comment", "example", "examples", "deprecated"];

/// JSON Schema bookkeeping without a 3.0 meaning: removed silently.
const BOOKKEEPING: &[&str] = &["$schema", "$id", "$anchor", "$dynamicAnchor", "$comment", "$vocabulary", "$defs", "definitions"];

/// 2020-12 keywords 3.0 cannot express: removed with a warning.
const UNSUPPORTED: &[&str] = &[
    "prefixItems", "if", "then", "else", "dependentSchemas", "dependentRequired", "patternProperties", "propertyNames",
    "unevaluatedProperties", "unevaluatedItems", "contains", "minContains", "maxContains", "$dynamicRef",
];

/// Converts a bundled 3.1 document to 3.0.3 in place; returns warnings with pointers into it.
pub(crate) fn convert(doc: &mut Value) -> Vec<Note> {
    let mut notes = Vec::new();
    let Some(root) = doc.as_object_mut() else { return notes };
    root.insert("openapi".into(), json!("3.0.3"));
    root.shift_remove("jsonSchemaDialect");
    root.shift_remove("$defs");
    root.shift_remove("$schema");
    root.shift_remove("$id");
    if let Some(webhooks) = root.shift_remove("webhooks") {
        let count = webhooks.as_object().map_or(0, Map::len);
        notes.push(Note {
            pointer: "/webhooks".into(),
            message: format!("{count} webhook(s) removed: restsmith generates clients, webhooks describe calls the API makes"),
        });
    }
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        info.shift_remove("summary");
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            license.shift_remove("identifier");
        }
    }
    if !root.contains_key("paths") {
        root.insert("paths".into(), json!({}));
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        if components.shift_remove("pathItems").is_some() {
            notes.push(Note {
                pointer: "/components/pathItems".into(),
                message: "components/pathItems removed (references to them were inlined)".into(),
            });
        }
        if let Some(schemes) = components.get_mut("securitySchemes").and_then(Value::as_object_mut) {
            let mutual: Vec<String> = schemes
                .iter()
                .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
                .map(|(k, _)| k.clone())
                .collect();
            for name in mutual {
                schemes.shift_remove(&name);
                notes.push(Note {
                    pointer: format!("/components/securitySchemes/{}", crate::error::escape_pointer_token(&name)),
                    message: "mutualTLS security scheme removed (configure client certificates on the HTTP client)".into(),
                });
            }
        }
    }
    walk(doc, Kind::Root, "", &mut |value, kind, pointer| {
        if kind == Kind::Schema {
            convert_schema(value, pointer, &mut notes);
        }
        Flow::Continue
    });
    notes
}

/// Rewrites one schema object (not its subschemas, which the walk reaches afterwards).
fn convert_schema(value: &mut Value, pointer: &str, notes: &mut Vec<Note>) {
    match value {
        Value::Bool(true) => *value = json!({}),
        Value::Bool(false) => *value = json!({ "not": {} }),
        _ => {}
    }
    let Some(schema) = value.as_object_mut() else { return };
    for key in BOOKKEEPING {
        schema.shift_remove(*key);
    }
    let dropped: Vec<&str> = UNSUPPORTED.iter().copied().filter(|k| schema.shift_remove(*k).is_some()).collect();
    if !dropped.is_empty() {
        notes.push(Note {
            pointer: pointer.to_owned(),
            message: format!("JSON Schema keyword(s) {} have no OpenAPI 3.0 equivalent; removed", dropped.join(", ")),
        });
    }
    convert_type(schema, pointer, notes);
    convert_null_alternatives(schema);
    if let Some(constant) = schema.shift_remove("const") {
        // Without `type`, the constant's own JSON type says what the schema is.
        let implied = match &constant {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None,
        };
        if let (false, Some(implied)) = (schema.contains_key("type"), implied) {
            schema.insert("type".into(), Value::String(implied.into()));
        }
        schema.entry("enum").or_insert_with(|| Value::Array(vec![constant]));
    }
    if let Some(Value::Array(examples)) = schema.get("examples") {
        let first = examples.first().cloned();
        schema.shift_remove("examples");
        if let Some(first) = first {
            schema.entry("example").or_insert(first);
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        let Some(limit) = schema.get(exclusive).filter(|v| v.is_number()).cloned() else { continue };
        let stricter = match (schema.get(bound).and_then(Value::as_f64), limit.as_f64()) {
            (Some(inclusive), Some(limit)) if bound == "minimum" => limit >= inclusive,
            (Some(inclusive), Some(limit)) => limit <= inclusive,
            _ => true,
        };
        if stricter {
            schema.insert(bound.into(), limit);
            schema.insert(exclusive.into(), Value::Bool(true));
        } else {
            schema.shift_remove(exclusive);
        }
    }
    if schema.get("contentEncoding").and_then(Value::as_str) == Some("base64") && !schema.contains_key("format") {
        schema.insert("format".into(), json!("byte"));
    }
    schema.shift_remove("contentEncoding");
    schema.shift_remove("contentMediaType");
    wrap_reference_with_siblings(schema);
}

/// `type: [T, "null"]` → `type: T, nullable: true`.
fn convert_type(schema: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<Note>) {
    match schema.get("type") {
        Some(Value::Array(types)) => {
            let nullable = types.iter().any(|t| t == "null");
            let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
            match others.as_slice() {
                [] => {
                    schema.shift_remove("type");
                }
                [single] => {
                    schema.insert("type".into(), single.clone());
                }
                _ => {
                    let listed: Vec<String> = others.iter().map(|t| t.to_string()).collect();
                    notes.push(Note {
                        pointer: format!("{pointer}/type"),
                        message: format!("a schema of several types ({}) cannot be expressed in OpenAPI 3.0; `type` dropped", listed.join(", ")),
                    });
                    schema.shift_remove("type");
                }
            }
            if nullable {
                schema.insert("nullable".into(), Value::Bool(true));
            }
        }
        Some(Value::String(t)) if t == "null" => {
            schema.shift_remove("type");
            schema.insert("nullable".into(), Value::Bool(true));
        }
        _ => {}
    }
}

fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
        || schema.get("type").and_then(Value::as_array).is_some_and(|t| t.len() == 1 && t[0] == "null")
        || schema.get("const").is_some_and(Value::is_null)
}

/// `anyOf: [X, {type: null}]` → X made nullable.
fn convert_null_alternatives(schema: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = schema.get(key) else { continue };
        if !members.iter().any(is_null_schema) {
            continue;
        }
        let rest: Vec<Value> = members.iter().filter(|m| !is_null_schema(m)).cloned().collect();
        schema.shift_remove(key);
        schema.insert("nullable".into(), Value::Bool(true));
        match rest.as_slice() {
            [] => {}
            [single] if single.get("$ref").is_none() && single.is_object() => {
                if let Some(single) = single.as_object() {
                    for (k, v) in single {
                        if !schema.contains_key(k) {
                            schema.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            [single] => {
                let all_of = schema.entry("allOf").or_insert_with(|| json!([]));
                if let Some(list) = all_of.as_array_mut() {
                    list.insert(0, single.clone());
                }
            }
            _ => {
                schema.insert(key.into(), Value::Array(rest));
            }
        }
    }
}

/// A `$ref` with keywords beside it that change its meaning → `allOf: [{$ref}]` plus them.
fn wrap_reference_with_siblings(schema: &mut Map<String, Value>) {
    let Some(reference) = schema.get("$ref").cloned() else { return };
    if schema.keys().all(|k| k == "$ref" || ANNOTATIONS.contains(&k.as_str())) {
        return;
    }
    schema.shift_remove("$ref");
    let all_of = schema.entry("allOf").or_insert_with(|| json!([]));
    if let Some(list) = all_of.as_array_mut() {
        list.insert(0, json!({ "$ref": reference }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(mut value: Value) -> (Value, Vec<Note>) {
        let mut notes = Vec::new();
        convert_schema(&mut value, "/s", &mut notes);
        (value, notes)
    }

    #[test]
    fn nullable_types_consts_examples_bounds() {
        assert_eq!(schema(json!({"type": ["string", "null"]})).0, json!({"type": "string", "nullable": true}));
        let (v, notes) = schema(json!({"type": ["string", "integer"]}));
        assert_eq!(v, json!({}));
        assert_eq!(notes[0].pointer, "/s/type");
        assert_eq!(schema(json!({"const": "a"})).0, json!({"type": "string", "enum": ["a"]}));
        assert_eq!(schema(json!({"type": "integer", "const": 2})).0, json!({"type": "integer", "enum": [2]}));
        assert_eq!(schema(json!({"examples": [1, 2]})).0, json!({"example": 1}));
        assert_eq!(
            schema(json!({"type": "integer", "exclusiveMinimum": 0, "maximum": 10, "exclusiveMaximum": 20})).0,
            json!({"type": "integer", "exclusiveMinimum": true, "maximum": 10, "minimum": 0})
        );
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/A", "readOnly": true, "description": "d"})).0,
            json!({"readOnly": true, "description": "d", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/A", "description": "d"})).0,
            json!({"$ref": "#/components/schemas/A", "description": "d"})
        );
        assert_eq!(
            schema(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})).0,
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
    }
}
