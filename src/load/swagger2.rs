//! Swagger 2.0 → OpenAPI 3.0.3, as a transformation of JSON values.
//!
//! Runs after bundling, so every `$ref` is local (`#/definitions/X`, `#/parameters/X`,
//! `#/responses/X`). The conversion is structural, top-down:
//!
//! * `host`/`basePath`/`schemes` (or `x-ms-parameterized-host`) → `servers`;
//! * per path item and operation, parameters are split three ways: `in: body` becomes the
//!   `requestBody` (one media type per `consumes` entry), `in: formData` parameters become the
//!   properties of one object schema under `application/x-www-form-urlencoded` or
//!   `multipart/form-data`, and the others become 3.0 parameters whose `type`, `format`, `items`,
//!   validation keywords … move into `schema` and whose `collectionFormat` becomes `style` +
//!   `explode`; path-level body and form parameters are pushed down into each operation;
//! * responses get `content` per `produces` entry and headers get a `schema`;
//! * `definitions`, `parameters`, `responses`, `securityDefinitions` → `components/*` (a body
//!   parameter becomes a request body);
//! * then one walk over the result rewrites every `$ref` to its `components` form and fixes the
//!   schemas (`x-nullable` → `nullable`, `type: file` → binary string, string `discriminator` →
//!   object).
//!
//! Every `x-` key stays on its object. Each moved object records its new pointer → old pointer
//! ("moves"), so diagnostics on the converted document point into the Swagger file.
//! [`check_dialect`] rejects 2.0 documents that also use OpenAPI 3 keywords.

use serde_json::{json, Map, Value};

use super::walk::{walk, Flow, Kind, METHODS};
use crate::error::{escape_pointer_token, unescape_pointer_token};

/// A problem found while converting, at a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Note {
    /// Where (see the field's documentation for which document).
    pub(crate) pointer: String,
    /// What.
    pub(crate) message: String,
}

/// The converted document.
#[derive(Debug)]
pub(crate) struct Converted {
    /// The OpenAPI 3.0.3 document.
    pub(crate) doc: Value,
    /// (pointer in the converted document, pointer in the Swagger document) for every object that
    /// moved.
    pub(crate) moves: Vec<(String, String)>,
    /// Warnings, with pointers into the Swagger document.
    pub(crate) warnings: Vec<Note>,
    /// Warnings, with pointers into the converted document.
    pub(crate) warnings_converted: Vec<Note>,
}

/// The default media type when neither the operation nor the document says.
const JSON: &str = "application/json";

fn child(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_pointer_token(token))
}

fn strings(value: Option<&Value>) -> Option<Vec<String>> {
    let list: Vec<String> = value?.as_array()?.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
    (!list.is_empty()).then_some(list)
}

fn copy_extensions(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (key, value) in from {
        if key.starts_with("x-") && !to.contains_key(key) {
            to.insert(key.clone(), value.clone());
        }
    }
}

/// Finds OpenAPI 3 keywords in a Swagger 2.0 document; each note names the offending key.
pub(crate) fn check_dialect(doc: &Value) -> Vec<Note> {
    let mut notes = Vec::new();
    let mut note = |pointer: String, key: &str| {
        notes.push(Note {
            pointer,
            message: format!(
                "`{key}` is an OpenAPI 3 keyword, but this is a Swagger 2.0 document (`swagger: \"2.0\"`); \
                 mixing the dialects is not supported"
            ),
        })
    };
    let Some(root) = doc.as_object() else { return Vec::new() };
    for key in ["openapi", "components", "servers", "webhooks", "jsonSchemaDialect"] {
        if root.contains_key(key) {
            note(child("", key), key);
        }
    }
    let check_parameter = |p: &Value, pointer: &str, note: &mut dyn FnMut(String, &str)| {
        let Some(p) = p.as_object() else { return };
        if p.contains_key("$ref") {
            return;
        }
        let location = p.get("in").and_then(Value::as_str).unwrap_or("");
        if location == "cookie" {
            note(child(pointer, "in"), "in: cookie");
        }
        if location != "body" && p.contains_key("schema") {
            note(child(pointer, "schema"), "schema (on a parameter that is not `in: body`)");
        }
        for key in ["content", "style", "explode"] {
            if p.contains_key(key) {
                note(child(pointer, key), key);
            }
        }
    };
    let check_responses = |responses: &Value, pointer: &str, note: &mut dyn FnMut(String, &str)| {
        for (code, response) in responses.as_object().into_iter().flatten() {
            for key in ["content", "links"] {
                if response.get(key).is_some() && response.get("$ref").is_none() {
                    note(child(&child(pointer, code), key), key);
                }
            }
        }
    };
    for section in ["paths", "x-ms-paths"] {
        for (path, item) in root.get(section).and_then(Value::as_object).into_iter().flatten() {
            let item_pointer = child(&child("", section), path);
            let Some(item) = item.as_object() else { continue };
            if item.contains_key("servers") {
                note(child(&item_pointer, "servers"), "servers");
            }
            for (i, p) in item.get("parameters").and_then(Value::as_array).into_iter().flatten().enumerate() {
                check_parameter(p, &format!("{item_pointer}/parameters/{i}"), &mut note);
            }
            for method in METHODS {
                let Some(op) = item.get(*method).and_then(Value::as_object) else { continue };
                let op_pointer = child(&item_pointer, method);
                for key in ["requestBody", "callbacks", "servers"] {
                    if op.contains_key(key) {
                        note(child(&op_pointer, key), key);
                    }
                }
                for (i, p) in op.get("parameters").and_then(Value::as_array).into_iter().flatten().enumerate() {
                    check_parameter(p, &format!("{op_pointer}/parameters/{i}"), &mut note);
                }
                if let Some(responses) = op.get("responses") {
                    check_responses(responses, &child(&op_pointer, "responses"), &mut note);
                }
            }
        }
    }
    for (name, p) in root.get("parameters").and_then(Value::as_object).into_iter().flatten() {
        check_parameter(p, &child("/parameters", name), &mut note);
    }
    if let Some(responses) = root.get("responses") {
        check_responses(responses, "/responses", &mut note);
    }
    notes
}

/// A body parameter found among the parameters of a path item or operation.
#[derive(Debug, Clone)]
struct BodySource {
    value: Value,
    /// The name in the global `parameters` section, when it was a reference.
    component: Option<String>,
    src: String,
}

/// A form parameter.
#[derive(Debug, Clone)]
struct FormField {
    value: Value,
    src: String,
}

struct Converter<'d> {
    consumes: Vec<String>,
    produces: Vec<String>,
    parameters: Option<&'d Map<String, Value>>,
    moves: Vec<(String, String)>,
    warnings: Vec<Note>,
}

/// Converts a bundled Swagger 2.0 document to OpenAPI 3.0.3.
pub(crate) fn convert(doc: Value) -> Converted {
    let mut root = match doc {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    // Moved, not copied: the definitions are most of a large document.
    let definitions = root.shift_remove("definitions");
    let root = &root;
    let mut c = Converter {
        consumes: strings(root.get("consumes")).unwrap_or_else(|| vec![JSON.to_owned()]),
        produces: strings(root.get("produces")).unwrap_or_else(|| vec![JSON.to_owned()]),
        parameters: root.get("parameters").and_then(Value::as_object),
        moves: Vec::new(),
        warnings: Vec::new(),
    };
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    if let Some(info) = root.get("info") {
        out.insert("info".into(), info.clone());
    }
    if let Some(servers) = c.servers(root) {
        out.insert("servers".into(), servers);
    }
    for key in ["tags", "security", "externalDocs"] {
        if let Some(value) = root.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    out.insert("paths".into(), c.paths(root));
    let components = c.components(root, definitions);
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    for (key, value) in root {
        match key.as_str() {
            "x-ms-paths" => {}
            k if k.starts_with("x-") => {
                out.insert(key.clone(), value.clone());
            }
            "swagger" | "info" | "host" | "basePath" | "schemes" | "consumes" | "produces" | "paths" | "definitions"
            | "parameters" | "responses" | "securityDefinitions" | "security" | "tags" | "externalDocs" => {}
            other => c.warnings.push(Note {
                pointer: child("", other),
                message: format!("`{other}` is not a Swagger 2.0 root field; ignored"),
            }),
        }
    }
    let mut doc = Value::Object(out);
    let body_components: Vec<String> = c
        .parameters
        .into_iter()
        .flatten()
        .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("body"))
        .map(|(name, _)| name.clone())
        .collect();
    let mut warnings_converted = Vec::new();
    walk(&mut doc, Kind::Root, "", &mut |value, kind, pointer| {
        rewrite_reference(value, &body_components);
        if kind == Kind::Schema {
            fix_schema(value, pointer, &mut warnings_converted);
        }
        Flow::Continue
    });
    Converted { doc, moves: c.moves, warnings: c.warnings, warnings_converted }
}

/// `#/definitions/X` → `#/components/schemas/X`, and so on.
fn rewrite_reference(value: &mut Value, body_components: &[String]) {
    let Some(slot) = value.as_object_mut().and_then(|o| o.get_mut("$ref")) else { return };
    let Some(reference) = slot.as_str() else { return };
    let rewritten = if let Some(rest) = reference.strip_prefix("#/definitions/") {
        format!("#/components/schemas/{rest}")
    } else if let Some(rest) = reference.strip_prefix("#/responses/") {
        format!("#/components/responses/{rest}")
    } else if let Some(rest) = reference.strip_prefix("#/parameters/") {
        if body_components.contains(&unescape_pointer_token(rest)) {
            format!("#/components/requestBodies/{rest}")
        } else {
            format!("#/components/parameters/{rest}")
        }
    } else {
        return;
    };
    *slot = Value::String(rewritten);
}

/// Schema keywords that differ between 2.0 and 3.0.
fn fix_schema(value: &mut Value, pointer: &str, warnings: &mut Vec<Note>) {
    let Some(schema) = value.as_object_mut() else { return };
    if schema.get("x-nullable").and_then(Value::as_bool) == Some(true) && !schema.contains_key("nullable") {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("binary"));
    }
    if let Some(Value::String(property)) = schema.get("discriminator") {
        let property = property.clone();
        schema.insert("discriminator".into(), json!({ "propertyName": property }));
    }
    if schema.get("required").is_some_and(|r| !r.is_array()) {
        schema.shift_remove("required");
        warnings.push(Note {
            pointer: child(pointer, "required"),
            message: "`required` on a schema must be a list of property names; ignored".into(),
        });
    }
}

impl Converter<'_> {
    fn warn(&mut self, pointer: String, message: impl Into<String>) {
        self.warnings.push(Note { pointer, message: message.into() });
    }

    fn moved(&mut self, converted: impl Into<String>, source: impl Into<String>) {
        self.moves.push((converted.into(), source.into()));
    }

    /// `servers` from `x-ms-parameterized-host` or `host`/`basePath`/`schemes`.
    fn servers(&mut self, root: &Map<String, Value>) -> Option<Value> {
        let base_path = root.get("basePath").and_then(Value::as_str).unwrap_or("");
        let base_path = if base_path == "/" { "" } else { base_path };
        let schemes = strings(root.get("schemes")).unwrap_or_else(|| vec!["https".to_owned()]);
        if let Some(host) = root.get("x-ms-parameterized-host") {
            self.moved("/servers", "/x-ms-parameterized-host");
            return self.parameterized_host(host, &schemes, base_path);
        }
        if let Some(host) = root.get("host").and_then(Value::as_str) {
            self.moved("/servers", "/host");
            let servers: Vec<Value> = schemes.iter().map(|s| json!({ "url": format!("{s}://{host}{base_path}") })).collect();
            return Some(Value::Array(servers));
        }
        if !base_path.is_empty() {
            self.moved("/servers", "/basePath");
            return Some(json!([{ "url": base_path }]));
        }
        None
    }

    fn parameterized_host(&mut self, host: &Value, schemes: &[String], base_path: &str) -> Option<Value> {
        let pointer = "/x-ms-parameterized-host";
        let Some(template) = host.get("hostTemplate").and_then(Value::as_str) else {
            self.warn(pointer.into(), "x-ms-parameterized-host without a string `hostTemplate`; no server");
            return None;
        };
        let scheme_prefix = host.get("useSchemePrefix").and_then(Value::as_bool).unwrap_or(true);
        let url = if scheme_prefix {
            format!("{}://{template}{base_path}", schemes.first().map(String::as_str).unwrap_or("https"))
        } else {
            format!("{template}{base_path}")
        };
        let mut variables = Map::new();
        for (i, p) in host.get("parameters").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let p_pointer = format!("{pointer}/parameters/{i}");
            let Some((p, _)) = self.resolve_parameter(p) else {
                self.warn(p_pointer, "x-ms-parameterized-host parameter does not resolve; ignored");
                continue;
            };
            let Some(name) = p.get("name").and_then(Value::as_str) else { continue };
            let enumeration: Vec<String> =
                p.get("enum").and_then(Value::as_array).into_iter().flatten().map(scalar_text).collect();
            let default = p.get("default").map(scalar_text).or_else(|| enumeration.first().cloned()).unwrap_or_default();
            let mut variable = Map::new();
            variable.insert("default".into(), Value::String(default));
            if !enumeration.is_empty() {
                variable.insert("enum".into(), json!(enumeration));
            }
            if let Some(description) = p.get("description") {
                variable.insert("description".into(), description.clone());
            }
            if let Some(p) = p.as_object() {
                copy_extensions(p, &mut variable);
            }
            variables.insert(name.to_owned(), Value::Object(variable));
        }
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else { break };
            let name = &rest[open + 1..open + close];
            if !variables.contains_key(name) {
                self.warn(
                    pointer.into(),
                    format!("hostTemplate variable `{{{name}}}` has no parameter in x-ms-parameterized-host; its default is empty"),
                );
                variables.insert(name.to_owned(), json!({ "default": "" }));
            }
            rest = &rest[open + close + 1..];
        }
        let mut server = Map::new();
        server.insert("url".into(), Value::String(url));
        if !variables.is_empty() {
            server.insert("variables".into(), Value::Object(variables));
        }
        Some(Value::Array(vec![Value::Object(server)]))
    }

    /// A parameter or a `#/parameters/X` reference → the parameter and its component name.
    fn resolve_parameter(&self, p: &Value) -> Option<(Value, Option<String>)> {
        match p.get("$ref") {
            Some(reference) => {
                let name = unescape_pointer_token(reference.as_str()?.strip_prefix("#/parameters/")?);
                let found = self.parameters?.get(&name)?;
                Some((found.clone(), Some(name)))
            }
            None => Some((p.clone(), None)),
        }
    }

    fn paths(&mut self, root: &Map<String, Value>) -> Value {
        let mut paths = Map::new();
        if let Some(source) = root.get("paths").and_then(Value::as_object) {
            for (path, item) in source {
                let pointer = child("/paths", path);
                let converted = if path.starts_with("x-") { item.clone() } else { self.path_item(item, &pointer, &pointer) };
                paths.insert(path.clone(), converted);
            }
        } else if let Some(other) = root.get("paths") {
            return other.clone(); // not an object: the typed model reports it
        }
        for (path, item) in root.get("x-ms-paths").and_then(Value::as_object).into_iter().flatten() {
            let src = child("/x-ms-paths", path);
            if paths.contains_key(path) {
                self.warn(src, format!("x-ms-paths repeats the path `{path}` of `paths`; ignored"));
                continue;
            }
            let norm = child("/paths", path);
            self.moved(norm.clone(), src.clone());
            let converted = self.path_item(item, &src, &norm);
            paths.insert(path.clone(), converted);
        }
        Value::Object(paths)
    }

    fn path_item(&mut self, item: &Value, src: &str, norm: &str) -> Value {
        let Some(item) = item.as_object() else { return item.clone() };
        let (shared, body, form) = self.split_parameters(item.get("parameters"), &child(src, "parameters"), &child(norm, "parameters"));
        let mut out = Map::new();
        for (key, value) in item {
            match key.as_str() {
                "parameters" => {
                    if !shared.is_empty() {
                        out.insert(key.clone(), Value::Array(shared.clone()));
                    }
                }
                m if METHODS.contains(&m) => {
                    let op = self.operation(value, &body, &form, &child(src, m), &child(norm, m));
                    out.insert(key.clone(), op);
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        Value::Object(out)
    }

    /// Splits a parameter list into 3.0 parameters, the body parameter and the form parameters.
    fn split_parameters(&mut self, list: Option<&Value>, src: &str, norm: &str) -> (Vec<Value>, Option<BodySource>, Vec<FormField>) {
        let mut parameters = Vec::new();
        let mut body: Option<BodySource> = None;
        let mut form = Vec::new();
        for (i, p) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
            let p_src = format!("{src}/{i}");
            let Some((resolved, component)) = self.resolve_parameter(p) else {
                parameters.push(p.clone()); // a reference the typed model will report
                continue;
            };
            match resolved.get("in").and_then(Value::as_str) {
                Some("body") => {
                    if body.is_some() {
                        self.warn(p_src.clone(), "a second `in: body` parameter; only the first becomes the request body");
                        continue;
                    }
                    body = Some(BodySource { value: resolved, component, src: p_src });
                }
                Some("formData") => {
                    let src = match &component {
                        Some(name) => child("/parameters", name),
                        None => p_src,
                    };
                    form.push(FormField { value: resolved, src });
                }
                _ => {
                    let p_norm = format!("{norm}/{}", parameters.len());
                    self.moved(p_norm.clone(), p_src.clone());
                    match component {
                        Some(name) => parameters.push(json!({ "$ref": format!("#/components/parameters/{}", escape_pointer_token(&name)) })),
                        None => {
                            self.moved(format!("{p_norm}/schema"), p_src.clone());
                            parameters.push(self.parameter(&resolved, &p_src));
                        }
                    }
                }
            }
        }
        (parameters, body, form)
    }

    fn operation(&mut self, op: &Value, path_body: &Option<BodySource>, path_form: &[FormField], src: &str, norm: &str) -> Value {
        let Some(op) = op.as_object() else { return op.clone() };
        let consumes = strings(op.get("consumes")).unwrap_or_else(|| self.consumes.clone());
        let produces = strings(op.get("produces")).unwrap_or_else(|| self.produces.clone());
        let (parameters, body, mut form) = self.split_parameters(op.get("parameters"), &child(src, "parameters"), &child(norm, "parameters"));
        let body = body.or_else(|| path_body.clone());
        for field in path_form {
            let name = field.value.get("name");
            if !form.iter().any(|f| f.value.get("name") == name) {
                form.push(field.clone());
            }
        }
        let body_norm = child(norm, "requestBody");
        let request_body = match body {
            Some(body) => {
                if !form.is_empty() {
                    self.warn(body.src.clone(), "both `in: body` and `in: formData` parameters; the form parameters are ignored");
                }
                self.moved(body_norm.clone(), body.src.clone());
                let inline = body.component.is_none() || consumes != self.consumes;
                match body.component {
                    Some(name) if !inline => Some(json!({ "$ref": format!("#/components/requestBodies/{}", escape_pointer_token(&name)) })),
                    _ => Some(self.body(&body.value, &consumes, &body.src, &body_norm)),
                }
            }
            None if !form.is_empty() => Some(self.form_body(&form, &consumes, &body_norm)),
            None => None,
        };
        let mut out = Map::new();
        let mut request_body = request_body;
        for (key, value) in op {
            match key.as_str() {
                "consumes" | "produces" | "schemes" => {}
                "parameters" => {
                    if !parameters.is_empty() {
                        out.insert(key.clone(), Value::Array(parameters.clone()));
                    }
                    if let Some(body) = request_body.take() {
                        out.insert("requestBody".into(), body);
                    }
                }
                "responses" => {
                    let responses = self.responses(value, &produces, &child(src, "responses"), &child(norm, "responses"));
                    out.insert(key.clone(), responses);
                }
                "x-ms-odata" => {
                    let odata = match value.as_str().and_then(|v| v.strip_prefix("#/definitions/")) {
                        Some(rest) => Value::String(format!("#/components/schemas/{rest}")),
                        None => value.clone(),
                    };
                    out.insert(key.clone(), odata);
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if let Some(body) = request_body {
            out.insert("requestBody".into(), body);
        }
        if !out.contains_key("responses") {
            out.insert("responses".into(), json!({}));
        }
        Value::Object(out)
    }

    /// A non-body, non-form parameter.
    fn parameter(&mut self, p: &Value, src: &str) -> Value {
        let Some(p) = p.as_object() else { return p.clone() };
        let location = p.get("in").and_then(Value::as_str).unwrap_or("");
        let mut out = Map::new();
        for key in ["name", "in", "description"] {
            if let Some(v) = p.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
        if location == "path" {
            out.insert("required".into(), Value::Bool(true));
        } else if let Some(required) = p.get("required") {
            out.insert("required".into(), required.clone());
        }
        if let Some(deprecated) = p.get("deprecated") {
            out.insert("deprecated".into(), deprecated.clone());
        }
        if location == "query" {
            if let Some(allow) = p.get("allowEmptyValue") {
                out.insert("allowEmptyValue".into(), allow.clone());
            }
        }
        if p.get("type").and_then(Value::as_str) == Some("array") {
            let (style, explode, keep) = self.collection_style(p, location, src);
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
            if let Some(format) = keep {
                out.insert("x-restsmith-collection-format".into(), json!(format));
            }
        }
        out.insert("schema".into(), simple_schema(p));
        copy_extensions(p, &mut out);
        Value::Object(out)
    }

    /// `collectionFormat` → (style, explode, the format when OpenAPI 3 cannot express it).
    fn collection_style(&mut self, p: &Map<String, Value>, location: &str, src: &str) -> (&'static str, bool, Option<String>) {
        let format = p.get("collectionFormat").and_then(Value::as_str).unwrap_or("csv");
        let in_query = location == "query";
        let plain = if in_query { "form" } else { "simple" };
        match (in_query, format) {
            (_, "csv") => (plain, false, None),
            (true, "multi") => ("form", true, None),
            (true, "ssv") => ("spaceDelimited", false, None),
            (true, "pipes") => ("pipeDelimited", false, None),
            (_, "tsv" | "ssv" | "pipes" | "multi") => {
                self.warn(
                    child(src, "collectionFormat"),
                    format!(
                        "collectionFormat `{format}` has no OpenAPI 3 equivalent for a {location} parameter; \
                         kept as x-restsmith-collection-format: {format} (style {plain}, explode false)"
                    ),
                );
                (plain, false, Some(format.to_owned()))
            }
            (_, other) => {
                self.warn(child(src, "collectionFormat"), format!("unknown collectionFormat `{other}`; treated as csv"));
                (plain, false, None)
            }
        }
    }

    /// A body parameter → a request body with one media type per `consumes` entry.
    fn body(&mut self, p: &Value, consumes: &[String], src: &str, norm: &str) -> Value {
        let Some(p) = p.as_object() else { return p.clone() };
        let schema = match p.get("schema") {
            Some(schema) => schema.clone(),
            None => {
                self.warn(src.to_owned(), "body parameter without a `schema`; any JSON value is accepted");
                json!({})
            }
        };
        let mut content = Map::new();
        for media in consumes {
            self.moved(format!("{norm}/content/{}/schema", escape_pointer_token(media)), child(src, "schema"));
            content.insert(media.clone(), json!({ "schema": schema.clone() }));
        }
        let mut out = Map::new();
        if let Some(description) = p.get("description") {
            out.insert("description".into(), description.clone());
        }
        out.insert("content".into(), Value::Object(content));
        if p.get("required").and_then(Value::as_bool) == Some(true) {
            out.insert("required".into(), Value::Bool(true));
        }
        copy_extensions(p, &mut out);
        if let Some(name) = p.get("name") {
            out.entry("x-ms-requestBody-name").or_insert_with(|| name.clone());
        }
        Value::Object(out)
    }

    /// Form parameters → one object schema under a form media type.
    fn form_body(&mut self, fields: &[FormField], consumes: &[String], norm: &str) -> Value {
        let multipart = consumes.iter().any(|c| c.to_ascii_lowercase().starts_with("multipart/form-data"))
            || fields.iter().any(|f| f.value.get("type").and_then(Value::as_str) == Some("file"));
        let media = if multipart { "multipart/form-data" } else { "application/x-www-form-urlencoded" };
        let schema_norm = format!("{norm}/content/{}/schema", escape_pointer_token(media));
        if let Some(first) = fields.first() {
            self.moved(norm.to_owned(), first.src.clone());
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for field in fields {
            let Some(p) = field.value.as_object() else { continue };
            let Some(name) = p.get("name").and_then(Value::as_str) else {
                self.warn(field.src.clone(), "formData parameter without a `name`; ignored");
                continue;
            };
            let mut schema = simple_schema(p);
            if let (Some(description), Some(schema)) = (p.get("description"), schema.as_object_mut()) {
                schema.insert("description".into(), description.clone());
            }
            if let Some(schema) = schema.as_object_mut() {
                copy_extensions(p, schema);
            }
            if p.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(Value::String(name.to_owned()));
            }
            if !multipart && p.get("type").and_then(Value::as_str) == Some("array") {
                let (style, explode, _) = self.collection_style(p, "query", &field.src);
                encoding.insert(name.to_owned(), json!({ "style": style, "explode": explode }));
            }
            self.moved(format!("{schema_norm}/properties/{}", escape_pointer_token(name)), field.src.clone());
            properties.insert(name.to_owned(), schema);
        }
        let mut schema = Map::new();
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        let any_required = !required.is_empty();
        if any_required {
            schema.insert("required".into(), Value::Array(required));
        }
        let mut media_type = Map::new();
        media_type.insert("schema".into(), Value::Object(schema));
        if !encoding.is_empty() {
            media_type.insert("encoding".into(), Value::Object(encoding));
        }
        let mut out = Map::new();
        out.insert("content".into(), json!({ media: Value::Object(media_type) }));
        if any_required {
            out.insert("required".into(), Value::Bool(true));
        }
        Value::Object(out)
    }

    fn responses(&mut self, responses: &Value, produces: &[String], src: &str, norm: &str) -> Value {
        let Some(responses) = responses.as_object() else { return responses.clone() };
        let mut out = Map::new();
        for (code, response) in responses {
            let converted = if code.starts_with("x-") || response.get("$ref").is_some() {
                response.clone()
            } else {
                self.response(response, produces, &child(src, code), &child(norm, code))
            };
            out.insert(code.clone(), converted);
        }
        Value::Object(out)
    }

    fn response(&mut self, response: &Value, produces: &[String], src: &str, norm: &str) -> Value {
        let Some(response) = response.as_object() else { return response.clone() };
        let mut out = Map::new();
        out.insert("description".into(), response.get("description").cloned().unwrap_or_else(|| json!("")));
        if let Some(headers) = response.get("headers").and_then(Value::as_object) {
            let mut converted = Map::new();
            for (name, header) in headers {
                let h_src = child(&child(src, "headers"), name);
                let h_norm = child(&child(norm, "headers"), name);
                self.moved(h_norm.clone(), h_src.clone());
                self.moved(format!("{h_norm}/schema"), h_src);
                converted.insert(name.clone(), header_of(header));
            }
            out.insert("headers".into(), Value::Object(converted));
        }
        if let Some(schema) = response.get("schema") {
            let examples = response.get("examples").and_then(Value::as_object);
            let mut content = Map::new();
            for media in produces {
                self.moved(format!("{norm}/content/{}/schema", escape_pointer_token(media)), child(src, "schema"));
                let mut media_type = Map::new();
                media_type.insert("schema".into(), schema.clone());
                if let Some(example) = examples.and_then(|e| e.get(media)) {
                    media_type.insert("example".into(), example.clone());
                }
                content.insert(media.clone(), Value::Object(media_type));
            }
            out.insert("content".into(), Value::Object(content));
        }
        copy_extensions(response, &mut out);
        Value::Object(out)
    }

    fn components(&mut self, root: &Map<String, Value>, definitions: Option<Value>) -> Map<String, Value> {
        let mut components = Map::new();
        if let Some(definitions) = definitions {
            if let Some(map) = definitions.as_object() {
                for name in map.keys() {
                    self.moved(child("/components/schemas", name), child("/definitions", name));
                }
            }
            components.insert("schemas".into(), definitions);
        }
        let mut parameters = Map::new();
        let mut bodies = Map::new();
        for (name, p) in self.parameters.into_iter().flatten() {
            let src = child("/parameters", name);
            match p.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let norm = child("/components/requestBodies", name);
                    self.moved(norm.clone(), src.clone());
                    let consumes = self.consumes.clone();
                    bodies.insert(name.clone(), self.body(p, &consumes, &src, &norm));
                }
                Some("formData") => {} // inlined into the form body of each operation that uses it
                _ => {
                    let norm = child("/components/parameters", name);
                    self.moved(norm.clone(), src.clone());
                    self.moved(format!("{norm}/schema"), src.clone());
                    let mut converted = self.parameter(p, &src);
                    // AutoRest's rule: a parameter of the global section is a client setting
                    // unless it says `x-ms-parameter-location: method`. OpenAPI 3 components carry
                    // no such default, so it is made explicit.
                    if let Some(map) = converted.as_object_mut() {
                        map.entry("x-ms-parameter-location").or_insert_with(|| json!("client"));
                    }
                    parameters.insert(name.clone(), converted);
                }
            }
        }
        if !parameters.is_empty() {
            components.insert("parameters".into(), Value::Object(parameters));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
        if let Some(responses) = root.get("responses").and_then(Value::as_object) {
            let produces = self.produces.clone();
            let mut converted = Map::new();
            for (name, response) in responses {
                let src = child("/responses", name);
                let norm = child("/components/responses", name);
                self.moved(norm.clone(), src.clone());
                converted.insert(name.clone(), self.response(response, &produces, &src, &norm));
            }
            components.insert("responses".into(), Value::Object(converted));
        }
        if let Some(schemes) = root.get("securityDefinitions").and_then(Value::as_object) {
            let mut converted = Map::new();
            for (name, scheme) in schemes {
                let src = child("/securityDefinitions", name);
                if let Some(scheme) = self.security_scheme(scheme, &src) {
                    self.moved(child("/components/securitySchemes", name), src);
                    converted.insert(name.clone(), scheme);
                }
            }
            components.insert("securitySchemes".into(), Value::Object(converted));
        }
        components
    }

    fn security_scheme(&mut self, scheme: &Value, src: &str) -> Option<Value> {
        let source = scheme.as_object()?;
        let mut out = Map::new();
        match source.get("type").and_then(Value::as_str) {
            Some("basic") => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            Some("apiKey") => {
                out.insert("type".into(), json!("apiKey"));
                for key in ["name", "in"] {
                    if let Some(v) = source.get(key) {
                        out.insert(key.into(), v.clone());
                    }
                }
            }
            Some("oauth2") => {
                let text = |key: &str| source.get(key).cloned().unwrap_or_else(|| json!(""));
                let scopes = source.get("scopes").cloned().unwrap_or_else(|| json!({}));
                let (flow_name, flow) = match source.get("flow").and_then(Value::as_str) {
                    Some("implicit") => ("implicit", json!({ "authorizationUrl": text("authorizationUrl"), "scopes": scopes })),
                    Some("password") => ("password", json!({ "tokenUrl": text("tokenUrl"), "scopes": scopes })),
                    Some("application") => ("clientCredentials", json!({ "tokenUrl": text("tokenUrl"), "scopes": scopes })),
                    Some("accessCode") => (
                        "authorizationCode",
                        json!({ "authorizationUrl": text("authorizationUrl"), "tokenUrl": text("tokenUrl"), "scopes": scopes }),
                    ),
                    other => {
                        self.warn(child(src, "flow"), format!("unknown OAuth2 flow {other:?}; security scheme ignored"));
                        return None;
                    }
                };
                out.insert("type".into(), json!("oauth2"));
                out.insert("flows".into(), json!({ flow_name: flow }));
            }
            other => {
                self.warn(child(src, "type"), format!("unknown security scheme type {other:?}; ignored"));
                return None;
            }
        }
        if let Some(description) = source.get("description") {
            out.insert("description".into(), description.clone());
        }
        copy_extensions(source, &mut out);
        Some(Value::Object(out))
    }
}

/// A response header → a 3.0 header with a schema.
fn header_of(header: &Value) -> Value {
    let Some(h) = header.as_object() else { return header.clone() };
    if h.contains_key("$ref") {
        return header.clone();
    }
    let mut out = Map::new();
    if let Some(description) = h.get("description") {
        out.insert("description".into(), description.clone());
    }
    out.insert("schema".into(), simple_schema(h));
    copy_extensions(h, &mut out);
    Value::Object(out)
}

/// The schema keywords of a non-body parameter, header or `items` object.
const SCHEMA_KEYWORDS: &[&str] = &[
    "type", "format", "enum", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",
    "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf", "x-ms-enum", "x-nullable",
];

/// The schema of a non-body parameter, header or `items` object (whose keywords sit on the object
/// itself in 2.0).
fn simple_schema(p: &Map<String, Value>) -> Value {
    if !p.contains_key("type") {
        if let Some(schema) = p.get("schema") {
            return schema.clone();
        }
    }
    let mut schema = Map::new();
    for key in SCHEMA_KEYWORDS {
        if let Some(v) = p.get(*key) {
            schema.insert((*key).into(), v.clone());
        }
    }
    if let Some(items) = p.get("items") {
        let items = match items.as_object() {
            Some(items) if !items.contains_key("$ref") => simple_schema(items),
            _ => items.clone(),
        };
        schema.insert("items".into(), items);
    }
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("binary"));
    }
    Value::Object(schema)
}

/// A server variable value as text.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collection_formats_become_styles() {
        let doc = json!({
            "swagger": "2.0", "info": {"title": "t", "version": "1"},
            "paths": {"/x/{ids}": {"get": {
                "parameters": [
                    {"name": "ids", "in": "path", "required": true, "type": "array", "items": {"type": "string"}},
                    {"name": "a", "in": "query", "type": "array", "items": {"type": "string"}},
                    {"name": "b", "in": "query", "type": "array", "collectionFormat": "multi", "items": {"type": "string"}},
                    {"name": "c", "in": "query", "type": "array", "collectionFormat": "ssv", "items": {"type": "string"}},
                    {"name": "d", "in": "query", "type": "array", "collectionFormat": "pipes", "items": {"type": "string"}},
                    {"name": "e", "in": "query", "type": "array", "collectionFormat": "tsv", "items": {"type": "string"}, "x-keep": 1}
                ],
                "responses": {"200": {"description": "ok"}}
            }}}
        });
        let converted = convert(doc);
        let params = &converted.doc["paths"]["/x/{ids}"]["get"]["parameters"];
        let styles: Vec<(String, bool)> = params
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["style"].as_str().unwrap().to_owned(), p["explode"].as_bool().unwrap()))
            .collect();
        assert_eq!(
            styles,
            vec![
                ("simple".into(), false),
                ("form".into(), false),
                ("form".into(), true),
                ("spaceDelimited".into(), false),
                ("pipeDelimited".into(), false),
                ("form".into(), false)
            ]
        );
        assert_eq!(params[5]["x-restsmith-collection-format"], "tsv");
        assert_eq!(params[5]["x-keep"], 1);
        assert_eq!(converted.warnings.len(), 1);
        assert_eq!(converted.warnings[0].pointer, "/paths/~1x~1{ids}/get/parameters/5/collectionFormat");
    }

    #[test]
    fn dialect_check_names_the_key() {
        let doc = json!({
            "swagger": "2.0", "components": {},
            "paths": {"/x": {"post": {"requestBody": {}, "parameters": [{"name": "q", "in": "query", "schema": {}}]}}}
        });
        let pointers: Vec<String> = check_dialect(&doc).into_iter().map(|n| n.pointer).collect();
        assert_eq!(pointers, vec!["/components", "/paths/~1x/post/requestBody", "/paths/~1x/post/parameters/0/schema"]);
    }
}
