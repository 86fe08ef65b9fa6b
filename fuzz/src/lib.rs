//! Shared code of the fuzz targets: the pipeline under test, the seed documents and the
//! structure-aware mutations.
//!
//! The pipeline is restsmith's own, in memory: `load::load_bytes` → `ir::build` →
//! `codegen::crate_files`. Any result is fine — a crate or a located error — but a panic, a
//! stack overflow, a hang (libFuzzer's `-timeout`) or runaway memory (`-rss_limit_mb`) is a
//! crash; every crash becomes a case in `tests/hostile.rs`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use restsmith::codegen::{crate_files, CrateLayout};
use serde_json::{Map, Value};

/// Runs the whole pipeline on `bytes`, named `path` (relative `$ref`s are read next to it).
/// Returns whether a crate was generated.
pub fn pipeline(path: &Path, bytes: &[u8]) -> bool {
    let Ok(spec) = restsmith::load::load_bytes(path, bytes) else { return false };
    let Ok((ir, _warnings)) = restsmith::ir::build(&spec, "fuzzed") else { return false };
    let layout = CrateLayout { runtime_dependency: "{ path = \"runtime\" }".into(), standalone: true };
    crate_files(&ir, &layout).is_ok()
}

/// The repository root (this crate lives in `fuzz/`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The seed documents: our specs, the loader's fixtures, the AutoRest test-server Swagger files
/// and the upstream Azure files (when `../shared` and `tools/harness/node_modules` are there).
/// Each is its path (for its relative `$ref`s) and its parsed JSON value.
pub fn seeds() -> &'static [(PathBuf, Value)] {
    static SEEDS: OnceLock<Vec<(PathBuf, Value)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut out = Vec::new();
        for path in seed_files() {
            let Ok(bytes) = std::fs::read(&path) else { continue };
            if let Ok((value, _)) = restsmith::load::parse_document(&path, &bytes) {
                out.push((path, value));
            }
        }
        assert!(!out.is_empty(), "no seed documents found under {}", repo().display());
        out
    })
}

/// Every seed file (see [`seeds`]), sorted.
pub fn seed_files() -> Vec<PathBuf> {
    let root = repo();
    let mut files = Vec::new();
    let mut add_dir = |dir: PathBuf, recursive: bool| collect(&dir, recursive, &mut files);
    add_dir(root.join("specs"), false);
    add_dir(root.join("tests/fixtures/load"), true);
    add_dir(root.join("tests/fixtures/ir"), true);
    add_dir(root.join("tools/harness/node_modules/@microsoft.azure/autorest.testserver/swagger"), false);
    let upstream = root.join("../shared/upstream/specification");
    for file in [
        "scvmm/resource-manager/Microsoft.ScVmm/stable/2024-06-01/scvmm.json",
        "containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2024-09-01/managedClusters.json",
        "batch/data-plane/Microsoft.Batch/stable/2020-09-01.12.0/BatchService.json",
    ] {
        if upstream.join(file).is_file() {
            files.push(upstream.join(file));
        }
    }
    files.sort();
    files
}

fn collect(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if recursive {
                collect(&path, recursive, out);
            }
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")) {
            out.push(path);
        }
    }
}

/// A structure-aware fuzz input: a seed and edits of its JSON tree. Nodes are addressed by
/// their index in a pre-order walk (taken modulo the number of nodes), so every input is valid.
#[derive(Debug, Arbitrary)]
pub struct Recipe {
    /// Which seed (modulo the number of seeds).
    pub seed: u16,
    /// The edits, applied in order.
    pub edits: Vec<Edit>,
}

/// One edit of the document tree.
#[derive(Debug, Arbitrary)]
pub enum Edit {
    /// Replaces node `at` with a copy of node `from` (a schema where a parameter was, …).
    Transplant { at: u32, from: u32 },
    /// Replaces node `at` with a `$ref` to node `to` (cycles, refs to odd places).
    RefTo { at: u32, to: u32 },
    /// Replaces node `at` with `$ref` to a component schema (cycles through every keyword).
    RefToSchema { at: u32, schema: u32 },
    /// Wraps node `at` in a schema keyword.
    Wrap { at: u32, keyword: Keyword },
    /// Removes node `at` from its parent.
    Remove { at: u32 },
    /// Replaces node `at` with a scalar.
    Set { at: u32, value: Scalar },
    /// Renames the key of node `at` (names that collide after case conversion).
    Rename { at: u32, name: Name },
    /// Copies the entry of node `at` under a colliding key beside it.
    Duplicate { at: u32, name: Name },
    /// Sets a schema keyword on node `at` (when it is an object).
    Keyword { at: u32, keyword: Keyword, value: Scalar },
    /// Nests node `at` `depth` levels deep (up to 300: past the parsers' limit of 128).
    Nest { at: u32, depth: u16, keyword: Keyword },
}

/// Schema keywords.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Keyword {
    Properties,
    Items,
    AdditionalProperties,
    AllOf,
    AnyOf,
    OneOf,
    Not,
    Type,
    Format,
    Enum,
    Required,
    Nullable,
    Discriminator,
    XMsEnum,
    XMsClientName,
    XMsDiscriminatorValue,
    XMsLongRunningOperation,
    XMsPageable,
    Default,
    Example,
}

impl Keyword {
    fn name(self) -> &'static str {
        match self {
            Keyword::Properties => "properties",
            Keyword::Items => "items",
            Keyword::AdditionalProperties => "additionalProperties",
            Keyword::AllOf => "allOf",
            Keyword::AnyOf => "anyOf",
            Keyword::OneOf => "oneOf",
            Keyword::Not => "not",
            Keyword::Type => "type",
            Keyword::Format => "format",
            Keyword::Enum => "enum",
            Keyword::Required => "required",
            Keyword::Nullable => "nullable",
            Keyword::Discriminator => "discriminator",
            Keyword::XMsEnum => "x-ms-enum",
            Keyword::XMsClientName => "x-ms-client-name",
            Keyword::XMsDiscriminatorValue => "x-ms-discriminator-value",
            Keyword::XMsLongRunningOperation => "x-ms-long-running-operation",
            Keyword::XMsPageable => "x-ms-pageable",
            Keyword::Default => "default",
            Keyword::Example => "example",
        }
    }

    /// `inner` wrapped by this keyword, as a schema.
    fn wrap(self, inner: Value) -> Value {
        let mut map = Map::new();
        match self {
            Keyword::Properties => {
                map.insert("type".into(), "object".into());
                map.insert("properties".into(), Value::Object(Map::from_iter([("p".to_owned(), inner)])));
            }
            Keyword::Items => {
                map.insert("type".into(), "array".into());
                map.insert("items".into(), inner);
            }
            Keyword::AdditionalProperties => {
                map.insert("type".into(), "object".into());
                map.insert("additionalProperties".into(), inner);
            }
            Keyword::AllOf | Keyword::AnyOf | Keyword::OneOf => {
                map.insert(self.name().into(), Value::Array(vec![inner, serde_json::json!({"type": "object", "properties": {"k": {"type": "string"}}})]));
            }
            Keyword::Not => {
                map.insert("not".into(), inner);
            }
            other => {
                map.insert(other.name().into(), inner);
            }
        }
        Value::Object(map)
    }
}

/// Scalars worth trying.
#[derive(Debug, Arbitrary)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Name(Name),
    Text(String),
    /// A `type` value.
    TypeName(u8),
    /// A `format` value.
    FormatName(u8),
    Empty(bool),
}

impl Scalar {
    fn value(&self) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Int(i) => Value::from(*i),
            Scalar::Float(f) => serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
            Scalar::Name(n) => Value::String(n.text()),
            Scalar::Text(t) => Value::String(t.clone()),
            Scalar::TypeName(i) => {
                const TYPES: &[&str] = &["object", "array", "string", "integer", "number", "boolean", "null", "file", ""];
                Value::String(TYPES[*i as usize % TYPES.len()].into())
            }
            Scalar::FormatName(i) => {
                const FORMATS: &[&str] = &[
                    "int32", "int64", "float", "double", "byte", "binary", "date", "date-time", "date-time-rfc1123", "password",
                    "uuid", "uri", "duration", "unixtime", "base64url", "decimal", "char", "arm-id", "",
                ];
                Value::String(FORMATS[*i as usize % FORMATS.len()].into())
            }
            Scalar::Empty(true) => Value::Object(Map::new()),
            Scalar::Empty(false) => Value::Array(Vec::new()),
        }
    }
}

/// Names that are hard on name conversion: collisions after case conversion, keywords, empty,
/// leading digits, non-ASCII, pointer syntax.
#[derive(Debug, Arbitrary)]
pub enum Name {
    Fixed(u8),
    /// A fixed name in another case style.
    Cased(u8, u8),
    Free(String),
}

const NAMES: &[&str] = &[
    "fooBar", "foo_bar", "foo-bar", "FooBar", "FOO_BAR", "foo bar", "foo.bar", "foo/bar", "foo~bar", "Foo Bar", "", "_", "__", "-",
    "self", "Self", "super", "crate", "type", "match", "async", "await", "r#type", "1st", "0", "UnknownValue", "unknown_value",
    "Error", "Client", "Result", "Option", "Box", "Vec", "String", "Body", "Response", "Headers", "models", "client", "auth",
    "operations", "new", "send", "into_stream", "body", "default", "$ref", "#/components/schemas/", "x-ms-enum", "ñandú", "🦀",
    "a\u{0}b", "a\"b", "a\\b", "a\nb", "{id}", "%2F",
];

impl Name {
    fn text(&self) -> String {
        match self {
            Name::Fixed(i) => NAMES[*i as usize % NAMES.len()].to_owned(),
            Name::Cased(i, style) => {
                let base = NAMES[*i as usize % NAMES.len()];
                match style % 4 {
                    0 => base.to_uppercase(),
                    1 => base.to_lowercase(),
                    2 => base.replace(['_', '-', ' '], ""),
                    _ => base.replace('_', "-"),
                }
            }
            Name::Free(s) => s.clone(),
        }
    }
}

/// Pre-order JSON pointers (as token lists) of every node of `doc`.
fn nodes(doc: &Value) -> Vec<Vec<Token>> {
    let mut out = Vec::new();
    let mut stack = vec![(doc, Vec::new())];
    while let Some((value, path)) = stack.pop() {
        match value {
            Value::Object(map) => {
                for (k, v) in map.iter().rev() {
                    let mut p = path.clone();
                    p.push(Token::Key(k.clone()));
                    stack.push((v, p));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate().rev() {
                    let mut p = path.clone();
                    p.push(Token::Index(i));
                    stack.push((v, p));
                }
            }
            _ => {}
        }
        out.push(path);
    }
    out
}

#[derive(Debug, Clone)]
enum Token {
    Key(String),
    Index(usize),
}

fn pointer(path: &[Token]) -> String {
    let mut s = String::new();
    for t in path {
        s.push('/');
        match t {
            Token::Key(k) => s.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Token::Index(i) => s.push_str(&i.to_string()),
        }
    }
    s
}

fn get_mut<'v>(doc: &'v mut Value, path: &[Token]) -> Option<&'v mut Value> {
    let mut cur = doc;
    for t in path {
        cur = match (t, cur) {
            (Token::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Token::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn get<'v>(doc: &'v Value, path: &[Token]) -> Option<&'v Value> {
    let mut cur = doc;
    for t in path {
        cur = match (t, cur) {
            (Token::Key(k), Value::Object(m)) => m.get(k)?,
            (Token::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// The schema names of `doc` (OpenAPI 3 `components/schemas` or Swagger 2 `definitions`) as
/// `$ref` targets.
fn schema_refs(doc: &Value) -> Vec<String> {
    if let Some(Value::Object(m)) = doc.pointer("/components/schemas") {
        return m.keys().map(|k| format!("#/components/schemas/{}", k.replace('~', "~0").replace('/', "~1"))).collect();
    }
    if let Some(Value::Object(m)) = doc.get("definitions") {
        return m.keys().map(|k| format!("#/definitions/{}", k.replace('~', "~0").replace('/', "~1"))).collect();
    }
    Vec::new()
}

/// The document a recipe makes: its seed's path and the edited JSON.
pub fn cook(recipe: &Recipe) -> (PathBuf, Vec<u8>) {
    let seeds = seeds();
    let (path, seed) = &seeds[recipe.seed as usize % seeds.len()];
    let mut doc = seed.clone();
    for edit in recipe.edits.iter().take(16) {
        apply(&mut doc, edit);
    }
    (path.clone(), serde_json::to_vec(&doc).unwrap_or_default())
}

fn apply(doc: &mut Value, edit: &Edit) {
    let all = nodes(doc);
    // Transplanting a node into itself doubles the document; bound the growth the edits make
    // (inputs that large are the hostile tests' business, not the fuzzer's).
    if all.len() > 400_000 {
        return;
    }
    let pick = |i: u32| all[i as usize % all.len()].clone();
    match edit {
        Edit::Transplant { at, from } => {
            let (at, from) = (pick(*at), pick(*from));
            if let Some(copy) = get(doc, &from).cloned() {
                if let Some(slot) = get_mut(doc, &at) {
                    *slot = copy;
                }
            }
        }
        Edit::RefTo { at, to } => {
            let (at, to) = (pick(*at), pick(*to));
            let reference = format!("#{}", pointer(&to));
            if let Some(slot) = get_mut(doc, &at) {
                *slot = serde_json::json!({ "$ref": reference });
            }
        }
        Edit::RefToSchema { at, schema } => {
            let refs = schema_refs(doc);
            if refs.is_empty() {
                return;
            }
            let reference = refs[*schema as usize % refs.len()].clone();
            if let Some(slot) = get_mut(doc, &pick(*at)) {
                *slot = serde_json::json!({ "$ref": reference });
            }
        }
        Edit::Wrap { at, keyword } => {
            if let Some(slot) = get_mut(doc, &pick(*at)) {
                *slot = keyword.wrap(slot.take());
            }
        }
        Edit::Remove { at } => {
            let at = pick(*at);
            let Some((last, parent)) = at.split_last() else { return };
            match (get_mut(doc, parent), last) {
                (Some(Value::Object(m)), Token::Key(k)) => {
                    m.shift_remove(k);
                }
                (Some(Value::Array(a)), Token::Index(i)) if *i < a.len() => {
                    a.remove(*i);
                }
                _ => {}
            }
        }
        Edit::Set { at, value } => {
            if let Some(slot) = get_mut(doc, &pick(*at)) {
                *slot = value.value();
            }
        }
        Edit::Rename { at, name } | Edit::Duplicate { at, name } => {
            let at = pick(*at);
            let Some((Token::Key(old), parent)) = at.split_last() else { return };
            let new = name.text();
            if let Some(Value::Object(m)) = get_mut(doc, parent) {
                let Some(v) = m.get(old).cloned() else { return };
                if matches!(edit, Edit::Rename { .. }) {
                    m.shift_remove(old);
                }
                m.insert(new, v);
            }
        }
        Edit::Keyword { at, keyword, value } => {
            if let Some(Value::Object(m)) = get_mut(doc, &pick(*at)) {
                let v = match keyword {
                    Keyword::Enum | Keyword::Required | Keyword::AllOf | Keyword::AnyOf | Keyword::OneOf => Value::Array(vec![value.value()]),
                    Keyword::Discriminator => serde_json::json!({ "propertyName": value.value() }),
                    Keyword::XMsEnum => serde_json::json!({ "name": value.value(), "modelAsString": false }),
                    _ => value.value(),
                };
                m.insert(keyword.name().to_owned(), v);
            }
        }
        Edit::Nest { at, depth, keyword } => {
            if let Some(slot) = get_mut(doc, &pick(*at)) {
                let mut v = slot.take();
                for _ in 0..(*depth % 301) {
                    v = keyword.wrap(v);
                }
                *slot = v;
            }
        }
    }
}
