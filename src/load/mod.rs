//! Stage 1: load. Reads a spec file — Swagger 2.0, OpenAPI 3.0 or 3.1, JSON or YAML, with the
//! files its `$ref`s name — and turns it into the one [`openapiv3::OpenAPI`] (3.0) model that the
//! IR stage reads, so the IR needs no knowledge of dialects or files.
//!
//! The steps, each in its own module:
//!
//! 1. `document`: bytes → JSON value (byte-order mark, trailing commas, YAML).
//! 2. The version field picks the dialect; anything but 2.0, 3.0.x and 3.1.x is an error.
//! 3. `refs`: bundling. References to other files (and to places of the root file that are
//!    not component sections) are imported into the root's component sections, in the *source*
//!    dialect, so the conversion sees one document.
//! 4. `swagger2` (2.0, after rejecting documents that mix in 3.0 keywords) or `oas31` (3.1)
//!    rewrite the bundled document into OpenAPI 3.0.3.
//! 5. The result is deserialized into the typed model; a failure names the deepest JSON pointer
//!    that fails.
//!
//! Every problem is reported with a file and a JSON pointer. Objects that moved — imported from
//! another file, or relocated by the conversion (`#/definitions/X` → `#/components/schemas/X`, a
//! body parameter → `requestBody`) — are recorded in [`LoadedSpec::origins`], so that
//! [`LoadedSpec::locate`] can turn a pointer into the normalized document back into the place the
//! user must edit.

mod document;
pub use document::MAX_KEY_BYTES;
mod oas31;
mod refs;
mod swagger2;
mod walk;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{escape_pointer_token, Diagnostic, Error, Location, Result};

pub use document::parse_document;

/// The OpenAPI dialect a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceVersion {
    /// Swagger 2.0 (converted to OpenAPI 3.0.3 while loading).
    Swagger20,
    /// OpenAPI 3.0.x.
    OpenApi30,
    /// OpenAPI 3.1.x (converted to OpenAPI 3.0.3 while loading).
    OpenApi31,
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
    /// Every file read while loading (the root first, then in first-read order), for
    /// `cargo:rerun-if-changed`.
    pub files_read: Vec<PathBuf>,
    /// The dialect the root file was written in.
    pub source_version: SourceVersion,
    /// Problems that did not stop loading.
    pub warnings: Vec<Diagnostic>,
    /// Where moved objects came from: pointer in the normalized document → location in the
    /// user's files. Holds every component imported from another file and every object the
    /// dialect conversion relocated; a pointer below none of these is the same pointer in
    /// `root_file`.
    pub origins: BTreeMap<String, Location>,
}

impl LoadedSpec {
    /// The files read ([`Self::files_read`]), freeing the rest: once the IR is built, code
    /// generation reuses the memory of the spec's two trees (typed and JSON), a smaller peak on
    /// large specs.
    pub fn into_files_read(self) -> Vec<PathBuf> {
        self.files_read
    }

    /// The location, in the user's files, of a pointer into the normalized document.
    pub fn locate(&self, pointer: &str) -> Location {
        locate_in(&self.origins, &self.root_file, pointer)
    }
}

/// The location of `pointer` given `origins` (longest matching prefix wins).
fn locate_in(origins: &BTreeMap<String, Location>, root: &Path, pointer: &str) -> Location {
    let mut prefix = pointer;
    loop {
        if let Some(origin) = origins.get(prefix) {
            return Location::new(origin.file.clone(), format!("{}{}", origin.pointer, &pointer[prefix.len()..]));
        }
        match prefix.rfind('/') {
            Some(cut) if !prefix.is_empty() => prefix = &prefix[..cut],
            _ => return Location::new(root, pointer),
        }
    }
}

/// Loads the spec at `path` and the files it references.
pub fn load(path: &Path) -> Result<LoadedSpec> {
    let bytes = read_spec_file(path).map_err(|e| Error::io(path, e))?;
    load_bytes(path, &bytes)
}

/// The largest spec file read (the largest published specs are under 100 MB).
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Reads a spec file: only a regular file (a device, FIFO or directory would never end or
/// fail late, e.g. `$ref: /dev/zero`), and at most [`MAX_FILE_BYTES`].
pub(crate) fn read_spec_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::{Error as IoError, ErrorKind, Read};
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(IoError::new(ErrorKind::InvalidInput, "not a regular file"));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(IoError::new(ErrorKind::InvalidData, format!("larger than {MAX_FILE_BYTES} bytes")));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(IoError::new(ErrorKind::InvalidData, format!("larger than {MAX_FILE_BYTES} bytes")));
    }
    Ok(bytes)
}

/// Loads a spec from bytes; `path` names it in diagnostics and anchors relative `$ref`s (the
/// files they name are read from disk).
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<LoadedSpec> {
    let (root, mut warnings) = parse_document(path, bytes)?;
    let source_version = detect_version(path, &root)?;
    let dialect = match source_version {
        SourceVersion::Swagger20 => refs::Dialect::Swagger2,
        SourceVersion::OpenApi30 | SourceVersion::OpenApi31 => refs::Dialect::OpenApi3,
    };
    let bundle = refs::bundle(path, root, dialect)?;
    warnings.extend(bundle.warnings);
    let in_bundle = |note: swagger2::Note| Diagnostic::new(locate_in(&bundle.origins, path, &note.pointer), note.message);
    let (doc, moves, late_notes) = match source_version {
        SourceVersion::Swagger20 => {
            let mut mixed: Vec<Diagnostic> = swagger2::check_dialect(&bundle.doc).into_iter().map(in_bundle).collect();
            match mixed.len() {
                0 => {}
                1 => return Err(Error::Spec(mixed.remove(0))),
                _ => return Err(Error::SpecMany(mixed)),
            }
            let converted = swagger2::convert(bundle.doc);
            warnings.extend(converted.warnings.into_iter().map(in_bundle));
            (converted.doc, converted.moves, converted.warnings_converted)
        }
        SourceVersion::OpenApi31 => {
            let mut doc = bundle.doc;
            let notes = oas31::convert(&mut doc);
            (doc, Vec::new(), notes)
        }
        SourceVersion::OpenApi30 => (bundle.doc, Vec::new(), Vec::new()),
    };
    let origins = compose_origins(&moves, &bundle.origins, path);
    warnings.extend(late_notes.into_iter().map(|n| Diagnostic::new(locate_in(&origins, path, &n.pointer), n.message)));
    let mut doc = doc;
    let openapi = deserialize(&mut doc, |pointer| locate_in(&origins, path, pointer))?;
    Ok(LoadedSpec {
        openapi,
        raw: doc,
        root_file: path.to_path_buf(),
        files_read: bundle.files_read,
        source_version,
        warnings,
        origins,
    })
}

/// Origins of the normalized document: the conversion's moves (converted pointer → pointer in the
/// bundled document) composed with the bundle's origins (pointer in the bundled document → file).
fn compose_origins(
    moves: &[(String, String)],
    bundled: &BTreeMap<String, Location>,
    root: &Path,
) -> BTreeMap<String, Location> {
    let mut forward: BTreeMap<&str, &str> = BTreeMap::new();
    for (converted, source) in moves {
        forward.entry(source.as_str()).or_insert(converted.as_str());
    }
    let mut out = BTreeMap::new();
    for (source, origin) in bundled {
        let mut prefix = source.as_str();
        let converted = loop {
            if let Some(converted) = forward.get(prefix) {
                break format!("{converted}{}", &source[prefix.len()..]);
            }
            match prefix.rfind('/') {
                Some(cut) if !prefix.is_empty() => prefix = &prefix[..cut],
                _ => break source.clone(),
            }
        };
        out.insert(converted, origin.clone());
    }
    for (converted, source) in moves {
        out.insert(converted.clone(), locate_in(bundled, root, source));
    }
    out
}

fn detect_version(path: &Path, doc: &Value) -> Result<SourceVersion> {
    let field = |name: &str| doc.get(name).map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()));
    let unsupported = |pointer: &str, v: &str| {
        Err(Error::spec(
            Location::new(path, pointer),
            format!("unsupported version `{v}` (restsmith reads Swagger 2.0, OpenAPI 3.0 and 3.1)"),
        ))
    };
    match (field("openapi"), field("swagger")) {
        (Some(_), Some(v)) => Err(Error::spec(
            Location::new(path, "/openapi"),
            format!("both `swagger: {v}` and `openapi` are present: a document is either Swagger 2.0 or OpenAPI 3"),
        )),
        (Some(v), None) if v.starts_with("3.0.") || v == "3.0" => Ok(SourceVersion::OpenApi30),
        (Some(v), None) if v.starts_with("3.1.") || v == "3.1" => Ok(SourceVersion::OpenApi31),
        (Some(v), None) => unsupported("/openapi", &v),
        (None, Some(v)) if v == "2.0" || v == "2" => Ok(SourceVersion::Swagger20),
        (None, Some(v)) => unsupported("/swagger", &v),
        (None, None) => Err(Error::spec(
            Location::new(path, ""),
            "neither an `openapi` nor a `swagger` version field: not an OpenAPI document",
        )),
    }
}

/// Deserializes the normalized JSON into the typed model; a failure names the JSON pointer.
fn deserialize(doc: &mut Value, locate: impl Fn(&str) -> Location) -> Result<openapiv3::OpenAPI> {
    // Tracking the path costs time on every value; only a failure needs it.
    if let Some(openapi) = deserialize_in_two_parts(doc) {
        return Ok(openapi);
    }
    let doc = &*doc;
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(doc).map_err(|e| {
        // Untagged and flattened parts of the model hide the path of the failure; deserializing
        // the pieces one by one finds the deepest one that fails.
        let (pointer, message) = narrow_failure(doc)
            .unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string()));
        let pointer = if pointer == "/?" { String::new() } else { pointer };
        Error::spec(locate(&pointer), format!("invalid OpenAPI document: {message}"))
    })
}

/// The typed model with `components.schemas` deserialized on a second thread (on a large spec
/// they are about half of the work), or `None` if any part fails. `doc` is left as it was.
fn deserialize_in_two_parts(doc: &mut Value) -> Option<openapiv3::OpenAPI> {
    let slot = doc.get_mut("components").and_then(|c| c.get_mut("schemas"));
    // Without schemas there is nothing worth a thread; the slot keeps its place in the map.
    let schemas = match slot {
        Some(slot) if slot.is_object() => std::mem::replace(slot, Value::Object(serde_json::Map::new())),
        _ => return <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&*doc).ok(),
    };
    let (openapi, typed_schemas) = std::thread::scope(|scope| {
        let typed_schemas = scope.spawn(|| serde::Deserialize::deserialize(&schemas).ok());
        let openapi = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&*doc).ok();
        (openapi, typed_schemas.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    if let Some(slot) = doc.get_mut("components").and_then(|c| c.get_mut("schemas")) {
        *slot = schemas;
    }
    let mut openapi = openapi?;
    openapi.components.as_mut()?.schemas = typed_schemas?;
    Some(openapi)
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
    use openapiv3::{Header, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, SecurityScheme};
    for (pointer, item) in entries(doc.get("paths").unwrap_or(&Value::Null), "/paths") {
        let Some(failure) = try_piece::<ReferenceOr<PathItem>>(item, &pointer) else { continue };
        for (op_pointer, op) in entries(item, &pointer) {
            if op_pointer.ends_with("/parameters") {
                for (p_pointer, p) in entries(op, &op_pointer) {
                    if let Some(f) = try_piece::<ReferenceOr<Parameter>>(p, &p_pointer) {
                        return Some(narrow_within(p, &p_pointer).unwrap_or(f));
                    }
                }
                continue;
            }
            let Some(op_failure) = try_piece::<Operation>(op, &op_pointer) else { continue };
            for (r_pointer, r) in entries(op.get("responses").unwrap_or(&Value::Null), &format!("{op_pointer}/responses")) {
                if let Some(f) = try_piece::<ReferenceOr<Response>>(r, &r_pointer) {
                    return Some(narrow_within(r, &r_pointer).unwrap_or(f));
                }
            }
            for (p_pointer, p) in entries(op.get("parameters").unwrap_or(&Value::Null), &format!("{op_pointer}/parameters")) {
                if let Some(f) = try_piece::<ReferenceOr<Parameter>>(p, &p_pointer) {
                    return Some(narrow_within(p, &p_pointer).unwrap_or(f));
                }
            }
            if let Some(body) = op.get("requestBody") {
                let b_pointer = format!("{op_pointer}/requestBody");
                if let Some(f) = try_piece::<ReferenceOr<RequestBody>>(body, &b_pointer) {
                    return Some(narrow_within(body, &b_pointer).unwrap_or(f));
                }
            }
            return Some(op_failure);
        }
        return Some(failure);
    }
    let components = doc.get("components").unwrap_or(&Value::Null);
    let section = |name: &str| (components.get(name).unwrap_or(&Value::Null), format!("/components/{name}"));
    let (schemas, base) = section("schemas");
    for (pointer, schema) in entries(schemas, &base) {
        if let Some(f) = narrow_schema(schema, &pointer, 0) {
            return Some(f);
        }
    }
    let (responses, base) = section("responses");
    for (pointer, r) in entries(responses, &base) {
        if let Some(f) = try_piece::<ReferenceOr<Response>>(r, &pointer) {
            return Some(narrow_within(r, &pointer).unwrap_or(f));
        }
    }
    let (parameters, base) = section("parameters");
    for (pointer, p) in entries(parameters, &base) {
        if let Some(f) = try_piece::<ReferenceOr<Parameter>>(p, &pointer) {
            return Some(narrow_within(p, &pointer).unwrap_or(f));
        }
    }
    let (bodies, base) = section("requestBodies");
    for (pointer, b) in entries(bodies, &base) {
        if let Some(f) = try_piece::<ReferenceOr<RequestBody>>(b, &pointer) {
            return Some(narrow_within(b, &pointer).unwrap_or(f));
        }
    }
    let (headers, base) = section("headers");
    for (pointer, h) in entries(headers, &base) {
        if let Some(f) = try_piece::<ReferenceOr<Header>>(h, &pointer) {
            return Some(narrow_within(h, &pointer).unwrap_or(f));
        }
    }
    let (schemes, base) = section("securitySchemes");
    for (pointer, s) in entries(schemes, &base) {
        if let Some(f) = try_piece::<ReferenceOr<SecurityScheme>>(s, &pointer) {
            return Some(f);
        }
    }
    None
}

/// The deepest failing schema below a parameter, header, response, request body or media type.
fn narrow_within(value: &Value, pointer: &str) -> Option<(String, String)> {
    if let Some(schema) = value.get("schema") {
        if let Some(f) = narrow_schema(schema, &format!("{pointer}/schema"), 0) {
            return Some(f);
        }
    }
    for key in ["content", "headers"] {
        for (child_pointer, child) in entries(value.get(key).unwrap_or(&Value::Null), &format!("{pointer}/{key}")) {
            if let Some(f) = narrow_within(child, &child_pointer) {
                return Some(f);
            }
        }
    }
    None
}

/// The deepest schema below (and including) `schema` that does not deserialize.
fn narrow_schema(schema: &Value, pointer: &str, depth: usize) -> Option<(String, String)> {
    use openapiv3::{ReferenceOr, Schema};
    let failure = try_piece::<ReferenceOr<Schema>>(schema, pointer)?;
    if depth < 64 {
        for key in ["properties"] {
            for (p, child) in entries(schema.get(key).unwrap_or(&Value::Null), &format!("{pointer}/{key}")) {
                if let Some(f) = narrow_schema(child, &p, depth + 1) {
                    return Some(f);
                }
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for (p, child) in entries(schema.get(key).unwrap_or(&Value::Null), &format!("{pointer}/{key}")) {
                if let Some(f) = narrow_schema(child, &p, depth + 1) {
                    return Some(f);
                }
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(child) = schema.get(key).filter(|c| c.is_object()) {
                if let Some(f) = narrow_schema(child, &format!("{pointer}/{key}"), depth + 1) {
                    return Some(f);
                }
            }
        }
    }
    Some(failure)
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
