//! A structural walk over an OpenAPI document (Swagger 2.0, OpenAPI 3.0 and 3.1 at once).
//!
//! Whether a `$ref` names a schema, a parameter or a response depends on *where* it is written,
//! and data such as `example`, `default`, `enum` or `x-ms-examples` may contain objects that look
//! like references but are not. The walker therefore knows the grammar of the document: starting
//! from a [`Kind`] it only descends into the keys that hold OpenAPI objects, and tells the visitor
//! the kind of every object it reaches. The grammar is the union of the three dialects (their
//! keys do not clash), plus the Azure extensions that hold objects (`x-ms-paths`,
//! `x-ms-parameterized-host`).
//!
//! The visitor runs before the children of an object are computed, so it may rewrite the object
//! (e.g. wrap a `$ref` into `allOf`) and the walk continues into the new shape, or it may return
//! [`Flow::Skip`] to handle the subtree itself.

use serde_json::Value;

use crate::error::escape_pointer_token;

/// What an object is, by its position in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    /// The document root.
    Root,
    /// `paths` (or `x-ms-paths`): path template → path item.
    Paths,
    /// A path item.
    PathItem,
    /// An operation.
    Operation,
    /// A parameter.
    Parameter,
    /// A request body (3.x).
    RequestBody,
    /// `responses` of an operation: status → response.
    Responses,
    /// A response.
    Response,
    /// A header.
    Header,
    /// A media type object (3.x).
    MediaType,
    /// An encoding object (3.x).
    Encoding,
    /// An example object (3.x).
    Example,
    /// A link object (3.x).
    Link,
    /// A callback: expression → path item (3.x).
    Callback,
    /// A security scheme.
    SecurityScheme,
    /// A schema.
    Schema,
    /// `components` (3.x).
    Components,
    /// `x-ms-parameterized-host` (its `parameters` are parameters).
    ParameterizedHost,
}

/// What the visitor wants after seeing an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Walk into the children.
    Continue,
    /// Do not walk into the children (the visitor handled them).
    Skip,
}

/// How a key of an object holds its children.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// The value is one object of this kind.
    One(Kind),
    /// The value is a map of objects of this kind.
    Map(Kind),
    /// The value is a list of objects of this kind.
    List(Kind),
}

/// The HTTP methods a path item may hold.
pub(crate) const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// How the value under `key` of an object of kind `kind` holds OpenAPI objects, if it does.
fn shape(kind: Kind, key: &str, value: &Value) -> Option<Shape> {
    use Kind::*;
    use Shape::*;
    let shape = match (kind, key) {
        (Root, "paths" | "x-ms-paths") => One(Paths),
        (Root, "definitions" | "$defs") => Map(Schema),
        (Root, "parameters") => Map(Parameter),
        (Root, "responses") => Map(Response),
        (Root, "securityDefinitions") => Map(SecurityScheme),
        (Root, "components") => One(Components),
        (Root, "webhooks") => Map(PathItem),
        (Root, "x-ms-parameterized-host") => One(ParameterizedHost),
        (ParameterizedHost, "parameters") => List(Parameter),
        (Components, "schemas") => Map(Schema),
        (Components, "responses") => Map(Response),
        (Components, "parameters") => Map(Parameter),
        (Components, "examples") => Map(Example),
        (Components, "requestBodies") => Map(RequestBody),
        (Components, "headers") => Map(Header),
        (Components, "securitySchemes") => Map(SecurityScheme),
        (Components, "links") => Map(Link),
        (Components, "callbacks") => Map(Callback),
        (Components, "pathItems") => Map(PathItem),
        (Paths, k) if !k.starts_with("x-") => One(PathItem),
        (Callback, k) if !k.starts_with("x-") => One(PathItem),
        (PathItem, "parameters") => List(Parameter),
        (PathItem, k) if METHODS.contains(&k) => One(Operation),
        (Operation, "parameters") => List(Parameter),
        (Operation, "requestBody") => One(RequestBody),
        (Operation, "responses") => One(Responses),
        (Operation, "callbacks") => Map(Callback),
        (Responses, k) if !k.starts_with("x-") => One(Response),
        (Parameter | Header, "schema" | "items") => One(Schema),
        (Parameter | Header | MediaType, "examples") => Map(Example),
        (Parameter | Header | RequestBody | Response, "content") => Map(MediaType),
        (Response, "schema") => One(Schema),
        (Response, "headers") => Map(Header),
        (Response, "links") => Map(Link),
        (MediaType, "schema") => One(Schema),
        (MediaType, "encoding") => Map(Encoding),
        (Encoding, "headers") => Map(Header),
        (Schema, "properties" | "patternProperties" | "definitions" | "$defs" | "dependentSchemas") => Map(Schema),
        (Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => List(Schema),
        (Schema, "items") if value.is_array() => List(Schema),
        (
            Schema,
            "items" | "additionalProperties" | "not" | "additionalItems" | "contains" | "propertyNames" | "if" | "then"
            | "else" | "unevaluatedProperties" | "unevaluatedItems",
        ) => One(Schema),
        _ => return None,
    };
    Some(shape)
}

/// Walks `value` (an object of kind `kind` found at `pointer`), calling `visit` on it and on every
/// OpenAPI object below it, in document order, with the object's kind and JSON pointer.
pub(crate) fn walk(value: &mut Value, kind: Kind, pointer: &str, visit: &mut dyn FnMut(&mut Value, Kind, &str) -> Flow) {
    let mut pointer = pointer.to_owned();
    walk_inner(value, kind, &mut pointer, visit);
}

fn walk_inner(value: &mut Value, kind: Kind, pointer: &mut String, visit: &mut dyn FnMut(&mut Value, Kind, &str) -> Flow) {
    if visit(value, kind, pointer) == Flow::Skip {
        return;
    }
    let Value::Object(map) = value else { return };
    for (key, child) in map.iter_mut() {
        let Some(shape) = shape(kind, key, child) else { continue };
        let mark = pointer.len();
        pointer.push('/');
        pointer.push_str(&escape_pointer_token(key));
        match (shape, child) {
            (Shape::One(k), child) => walk_inner(child, k, pointer, visit),
            (Shape::Map(k), Value::Object(entries)) => {
                for (name, entry) in entries.iter_mut() {
                    let inner = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&escape_pointer_token(name));
                    walk_inner(entry, k, pointer, visit);
                    pointer.truncate(inner);
                }
            }
            (Shape::List(k), Value::Array(items)) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let inner = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    walk_inner(item, k, pointer, visit);
                    pointer.truncate(inner);
                }
            }
            _ => {}
        }
        pointer.truncate(mark);
    }
}

/// Splits a JSON pointer (`/a/b~1c`) into unescaped tokens (`["a", "b/c"]`); `""` → `[]`.
pub(crate) fn split_pointer(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer.strip_prefix('/').unwrap_or(pointer).split('/').map(crate::error::unescape_pointer_token).collect()
}

/// Joins unescaped tokens into a JSON pointer.
pub(crate) fn join_pointer<S: AsRef<str>>(tokens: &[S]) -> String {
    tokens.iter().map(|t| format!("/{}", escape_pointer_token(t.as_ref()))).collect()
}

/// The member `token` of an object or the element `token` of an array.
pub(crate) fn child<'v>(value: &'v Value, token: &str) -> Option<&'v Value> {
    match value {
        Value::Object(map) => map.get(token),
        Value::Array(items) => {
            if token.is_empty() || !token.bytes().all(|b| b.is_ascii_digit()) || (token.len() > 1 && token.starts_with('0')) {
                return None;
            }
            items.get(token.parse::<usize>().ok()?)
        }
        _ => None,
    }
}

/// The value at `pointer`, or the longest prefix of the pointer that exists (as a pointer) when it
/// does not.
pub(crate) fn resolve_pointer<'v>(doc: &'v Value, pointer: &str) -> Result<&'v Value, String> {
    let mut current = doc;
    let mut seen = Vec::new();
    for token in split_pointer(pointer) {
        match child(current, &token) {
            Some(next) => current = next,
            None => return Err(join_pointer(&seen)),
        }
        seen.push(token);
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn walk_reports_kinds_and_skips_data() {
        let mut doc = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"in": "body", "schema": {"$ref": "#/definitions/A"}}],
                "responses": {"200": {"schema": {"items": {"$ref": "#/definitions/B"}}}},
                "x-ms-examples": {"e": {"$ref": "./examples/e.json"}}
            }}},
            "definitions": {"A": {"properties": {"p": {"example": {"$ref": "not a ref"}}}}}
        });
        let mut seen = Vec::new();
        walk(&mut doc, Kind::Root, "", &mut |v, kind, pointer| {
            if v.get("$ref").is_some() {
                seen.push((kind, pointer.to_owned()));
            }
            Flow::Continue
        });
        assert_eq!(
            seen,
            vec![
                (Kind::Schema, "/paths/~1a/get/parameters/0/schema".to_owned()),
                (Kind::Schema, "/paths/~1a/get/responses/200/schema/items".to_owned()),
            ]
        );
    }

    #[test]
    fn pointers_round_trip_and_resolve() {
        let doc = json!({"a/b": [{"~c": 1}]});
        assert_eq!(split_pointer("/a~1b/0/~0c"), vec!["a/b", "0", "~c"]);
        assert_eq!(join_pointer(&["a/b", "0", "~c"]), "/a~1b/0/~0c");
        assert_eq!(resolve_pointer(&doc, "/a~1b/0/~0c"), Ok(&json!(1)));
        assert_eq!(resolve_pointer(&doc, "/a~1b/01"), Err("/a~1b".to_owned()));
        assert_eq!(resolve_pointer(&doc, "/a~1b/1/x"), Err("/a~1b".to_owned()));
    }
}
