//! Stage 1: load. Reads a spec file (JSON or YAML, OpenAPI 3.0), checks its version and turns it
//! into the [`openapiv3::OpenAPI`] model that the IR stage reads.
//!
//! Every problem is reported with the file and the JSON pointer where it was found.

mod document;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{escape_pointer_token, Diagnostic, Error, Location, Result};

pub use document::parse_document;

/// The OpenAPI dialect a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceVersion {
    /// OpenAPI 3.0.x.
    OpenApi30,
}

/// A loaded spec, normalized to OpenAPI 3.0.
#[derive(Debug)]
pub struct LoadedSpec {
    /// The normalized document.
    pub openapi: openapiv3::OpenAPI,
    /// The same document as JSON (kept to read extensions and examples generically).
    pub raw: Value,
    /// The file the user named.
    pub root_file: PathBuf,
    /// Every file read while loading (the root first), for `cargo:rerun-if-changed`.
    pub files_read: Vec<PathBuf>,
    /// The dialect the root file was written in.
    pub source_version: SourceVersion,
    /// Problems that did not stop loading.
    pub warnings: Vec<Diagnostic>,
    /// Where each component came from, keyed by its pointer in the normalized document.
    pub origins: BTreeMap<String, Location>,
}

impl LoadedSpec {
    /// The location, in the user's files, of a pointer into the normalized document.
    pub fn locate(&self, pointer: &str) -> Location {
        let mut best: Option<(&String, &Location)> = None;
        for (prefix, origin) in &self.origins {
            if (pointer == prefix || pointer.starts_with(&format!("{prefix}/")))
                && best.is_none_or(|(p, _)| prefix.len() > p.len())
            {
                best = Some((prefix, origin));
            }
        }
        match best {
            Some((prefix, origin)) => Location::new(origin.file.clone(), format!("{}{}", origin.pointer, &pointer[prefix.len()..])),
            None => Location::new(self.root_file.clone(), pointer),
        }
    }
}

/// Loads the spec at `path`.
pub fn load(path: &Path) -> Result<LoadedSpec> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    load_bytes(path, &bytes)
}

/// Loads a spec from bytes; `path` names it in diagnostics and anchors relative `$ref`s.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<LoadedSpec> {
    let (raw, warnings) = parse_document(path, bytes)?;
    let source_version = detect_version(path, &raw)?;
    let openapi = deserialize(path, &raw)?;
    Ok(LoadedSpec {
        openapi,
        raw,
        root_file: path.to_path_buf(),
        files_read: vec![path.to_path_buf()],
        source_version,
        warnings,
        origins: BTreeMap::new(),
    })
}

fn detect_version(path: &Path, doc: &Value) -> Result<SourceVersion> {
    let field = |name: &str| doc.get(name).map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()));
    match (field("openapi"), field("swagger")) {
        (Some(v), _) if v.starts_with("3.0.") || v == "3.0" => Ok(SourceVersion::OpenApi30),
        (Some(v), _) => Err(Error::spec(
            Location::new(path, "/openapi"),
            format!("unsupported OpenAPI version `{v}` (restsmith reads Swagger 2.0, OpenAPI 3.0 and 3.1)"),
        )),
        (None, Some(v)) => Err(Error::spec(
            Location::new(path, "/swagger"),
            format!("unsupported Swagger version `{v}` (restsmith reads Swagger 2.0, OpenAPI 3.0 and 3.1)"),
        )),
        (None, None) => Err(Error::spec(
            Location::new(path, ""),
            "neither an `openapi` nor a `swagger` version field: not an OpenAPI document",
        )),
    }
}

/// Deserializes the normalized JSON into the typed model; a failure names the JSON pointer.
fn deserialize(path: &Path, doc: &Value) -> Result<openapiv3::OpenAPI> {
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(doc).map_err(|e| {
        // Untagged and flattened parts of the model hide the path of the failure; deserializing
        // the pieces one by one finds the deepest one that fails.
        let (pointer, message) = narrow_failure(doc)
            .unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string()));
        Error::spec(Location::new(path, pointer), format!("invalid OpenAPI document: {message}"))
    })
}

/// Tries `T` on `value`; on failure returns the pointer (base + inner path) and message.
fn try_piece<T: serde::de::DeserializeOwned>(value: &Value, base: &str) -> Option<(String, String)> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => None,
        Err(e) => {
            let inner = path_to_pointer(e.path());
            let inner = if inner == "/?" { String::new() } else { inner };
            Some((format!("{base}{inner}"), e.inner().to_string()))
        }
    }
}

fn entries<'v>(value: &'v Value, base: &str) -> Vec<(String, &'v Value)> {
    match value {
        Value::Object(map) => map.iter().map(|(k, v)| (format!("{base}/{}", escape_pointer_token(k)), v)).collect(),
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (format!("{base}/{i}"), v)).collect(),
        _ => Vec::new(),
    }
}

fn narrow_failure(doc: &Value) -> Option<(String, String)> {
    use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
    for (pointer, item) in entries(doc.get("paths")?, "/paths") {
        let Some(failure) = try_piece::<ReferenceOr<PathItem>>(item, &pointer) else { continue };
        for (op_pointer, op) in entries(item, &pointer) {
            if op_pointer.ends_with("/parameters") {
                for (p_pointer, p) in entries(op, &op_pointer) {
                    if let Some(f) = try_piece::<ReferenceOr<Parameter>>(p, &p_pointer) {
                        return Some(f);
                    }
                }
                continue;
            }
            let Some(op_failure) = try_piece::<Operation>(op, &op_pointer) else { continue };
            for (r_pointer, r) in entries(op.get("responses").unwrap_or(&Value::Null), &format!("{op_pointer}/responses")) {
                if let Some(f) = try_piece::<ReferenceOr<Response>>(r, &r_pointer) {
                    return Some(f);
                }
            }
            for (p_pointer, p) in entries(op.get("parameters").unwrap_or(&Value::Null), &format!("{op_pointer}/parameters")) {
                if let Some(f) = try_piece::<ReferenceOr<Parameter>>(p, &p_pointer) {
                    return Some(f);
                }
            }
            if let Some(body) = op.get("requestBody") {
                if let Some(f) = try_piece::<ReferenceOr<RequestBody>>(body, &format!("{op_pointer}/requestBody")) {
                    return Some(f);
                }
            }
            return Some(op_failure);
        }
        return Some(failure);
    }
    let components = doc.get("components")?;
    for (pointer, schema) in entries(components.get("schemas").unwrap_or(&Value::Null), "/components/schemas") {
        if let Some(f) = try_piece::<ReferenceOr<Schema>>(schema, &pointer) {
            return Some(f);
        }
    }
    for (pointer, r) in entries(components.get("responses").unwrap_or(&Value::Null), "/components/responses") {
        if let Some(f) = try_piece::<ReferenceOr<Response>>(r, &pointer) {
            return Some(f);
        }
    }
    for (pointer, p) in entries(components.get("parameters").unwrap_or(&Value::Null), "/components/parameters") {
        if let Some(f) = try_piece::<ReferenceOr<Parameter>>(p, &pointer) {
            return Some(f);
        }
    }
    None
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            Segment::Seq { index } => pointer.push_str(&index.to_string()),
            Segment::Map { key } => pointer.push_str(&escape_pointer_token(key)),
            Segment::Enum { variant } => pointer.push_str(&escape_pointer_token(variant)),
            Segment::Unknown => pointer.push('?'),
        }
    }
    pointer
}
