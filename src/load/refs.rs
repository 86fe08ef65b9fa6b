//! Bundling: every `$ref` to another file (or to a place of the root file that is not a component
//! section) is replaced by a reference to a component of the root document, so that the dialect
//! conversion and the IR see one self-contained document whose references all have the form
//! `#/<section>/<name>`.
//!
//! # Algorithm
//!
//! 1. The root document is walked structurally (see [`super::walk`]), so every `$ref` is met with
//!    the kind of object it must name (schema, parameter, response, …) and references inside data
//!    (`x-ms-examples`, `example`, `default`) are left alone.
//! 2. A reference is resolved against the file it is written in: its file part is joined to the
//!    directory of that file (and lexically normalized, for display), its fragment is a JSON
//!    pointer into that file. Files are read on first use and cached by canonical path; the order
//!    of first reads is `files_read`.
//! 3. The target must exist, and following `$ref`s from it must reach something that is not a bare
//!    `$ref` (`A: {$ref: B}`, `B: {$ref: A}` is an error naming the `$ref`).
//! 4. A target that is already a component of the root file (`#/definitions/X` in Swagger 2.0,
//!    `#/components/schemas/X` in 3.x, …) stays as it is. Any other target is *imported*: the key
//!    (canonical file, pointer) gets one component name in the section its kind belongs to — the
//!    last pointer token (or the file stem for a whole-file reference, or a name made from the
//!    pointer for places like `#/paths/~1x/get/parameters/0`), suffixed with the file stem and then
//!    a counter if the root or an earlier import already uses it. The name is reserved *before*
//!    the target's content is processed, so recursive schemas across files terminate: a second
//!    visit finds the name. The same target reached through any route gets the same name.
//! 5. Imported content is queued, and walked in turn with its own file as the base for relative
//!    references, then added to the root's section. Path items (which have no component section in
//!    3.0) are inlined where they are referenced instead, with a guard against cycles.
//! 6. Every imported or inlined object records its origin (file + pointer) under its pointer in the
//!    bundled document, so diagnostics can name the file the user must edit.
//!
//! Non-schema components that are themselves bare references (`parameters: {P: {$ref: …}}`) are
//! replaced by the object they lead to, because the IR reads one level of reference only for
//! those.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use super::document::parse_document;
use super::walk::{join_pointer, resolve_pointer, split_pointer, walk, Flow, Kind};
use crate::error::{Diagnostic, Error, Location, Result};

/// The family of component sections a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// Swagger 2.0: `definitions`, `parameters`, `responses`.
    Swagger2,
    /// OpenAPI 3.x: `components/*`.
    OpenApi3,
}

/// A component section, as the path of tokens from the document root.
type Section = &'static [&'static str];

/// The result of bundling.
#[derive(Debug)]
pub(crate) struct Bundle {
    /// The root document with every reference local and standard.
    pub(crate) doc: Value,
    /// Every file read, the root first.
    pub(crate) files_read: Vec<PathBuf>,
    /// Pointer in `doc` → where that object was written.
    pub(crate) origins: BTreeMap<String, Location>,
    /// Problems that did not stop bundling.
    pub(crate) warnings: Vec<Diagnostic>,
}

/// Bundles `root` (already parsed from `root_path`) into one document.
pub(crate) fn bundle(root_path: &Path, root: Value, dialect: Dialect) -> Result<Bundle> {
    let mut bundler = Bundler::new(root_path, root.clone(), dialect);
    let mut doc = root;
    let ctx = Ctx { file: ROOT, src_base: String::new(), doc_base: String::new() };
    bundler.process(&mut doc, Kind::Root, &ctx);
    while let Some(job) = bundler.queue.pop_front() {
        bundler.fill(job);
    }
    bundler.insert_imports(&mut doc);
    bundler.replace_bare_references(&mut doc);
    bundler.finish_errors();
    if !bundler.errors.is_empty() {
        let mut seen = BTreeSet::new();
        let mut errors: Vec<Diagnostic> =
            std::mem::take(&mut bundler.errors).into_iter().filter(|e| seen.insert(e.clone())).collect();
        return Err(if errors.len() == 1 { Error::Spec(errors.remove(0)) } else { Error::SpecMany(errors) });
    }
    Ok(Bundle {
        doc,
        files_read: bundler.files.iter().map(|f| f.display.clone()).collect(),
        origins: bundler.origins,
        warnings: bundler.warnings,
    })
}

/// Index of the root file in [`Bundler::files`].
const ROOT: usize = 0;

/// A file that was read.
struct SourceFile {
    /// Canonical path (the identity of the file).
    key: PathBuf,
    /// The path shown to the user (as given, joined and normalized).
    display: PathBuf,
    /// The parsed document, unchanged.
    doc: Value,
}

/// A place in a file: the identity of a `$ref` target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    file: usize,
    pointer: String,
}

/// An imported target waiting for its content to be processed.
struct Job {
    target: Target,
    kind: Kind,
    section: Section,
    name: String,
}

/// Where the value being walked comes from and where it goes.
struct Ctx {
    /// The file its relative references are resolved against.
    file: usize,
    /// Its pointer in that file.
    src_base: String,
    /// Its pointer in the bundled document.
    doc_base: String,
}

impl Ctx {
    /// The source pointer of the object at `doc_pointer` (a pointer below `doc_base`).
    fn source_pointer(&self, doc_pointer: &str) -> String {
        format!("{}{}", self.src_base, doc_pointer.get(self.doc_base.len()..).unwrap_or(""))
    }
}

/// Failures to read a referenced file: the index of the error reported and how many more
/// references named the same file.
struct FailedFile {
    error: usize,
    more: usize,
}

struct Bundler {
    dialect: Dialect,
    files: Vec<SourceFile>,
    /// Display path → index in `files` (saves a `canonicalize` per reference).
    by_display: BTreeMap<PathBuf, usize>,
    failed_files: BTreeMap<PathBuf, FailedFile>,
    /// (target, section) → component name.
    imports: BTreeMap<(Target, Section), String>,
    /// Names in use per section (the root's own and the imported ones).
    taken: BTreeMap<Section, BTreeSet<String>>,
    queue: VecDeque<Job>,
    /// Processed imports, in import order.
    filled: Vec<(Section, String, Value)>,
    origins: BTreeMap<String, Location>,
    /// Targets whose `$ref` chain is known to end.
    chain_ok: BTreeSet<Target>,
    /// Unterminated cycles already reported (their members, sorted).
    reported_cycles: BTreeSet<Vec<Target>>,
    /// Path items being inlined (cycle guard).
    inlining: Vec<Target>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Bundler {
    fn new(root_path: &Path, root: Value, dialect: Dialect) -> Self {
        let mut taken: BTreeMap<Section, BTreeSet<String>> = BTreeMap::new();
        for section in sections(dialect) {
            let names = resolve_pointer(&root, &join_pointer(section))
                .ok()
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            taken.insert(section, names);
        }
        Bundler {
            dialect,
            files: vec![SourceFile { key: file_key(root_path), display: root_path.to_path_buf(), doc: root }],
            by_display: BTreeMap::from([(root_path.to_path_buf(), ROOT)]),
            failed_files: BTreeMap::new(),
            imports: BTreeMap::new(),
            taken,
            queue: VecDeque::new(),
            filled: Vec::new(),
            origins: BTreeMap::new(),
            chain_ok: BTreeSet::new(),
            reported_cycles: BTreeSet::new(),
            inlining: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn location(&self, file: usize, pointer: impl Into<String>) -> Location {
        Location::new(self.files[file].display.clone(), pointer)
    }

    /// Walks `value` and rewrites the references in it.
    fn process(&mut self, value: &mut Value, kind: Kind, ctx: &Ctx) {
        walk(value, kind, &ctx.doc_base, &mut |v, k, pointer| self.visit(v, k, pointer, ctx));
    }

    fn visit(&mut self, value: &mut Value, kind: Kind, pointer: &str, ctx: &Ctx) -> Flow {
        if kind == Kind::Schema && self.dialect == Dialect::OpenApi3 {
            self.rewrite_discriminator_mapping(value, pointer, ctx);
        }
        let Some(reference) = value.as_object().and_then(|o| o.get("$ref")) else { return Flow::Continue };
        let site = self.location(ctx.file, format!("{}/$ref", ctx.source_pointer(pointer)));
        let Some(reference) = reference.as_str().map(str::to_owned) else {
            self.errors.push(Diagnostic::new(site, "`$ref` must be a string"));
            return Flow::Skip;
        };
        let Some(target) = self.resolve(&reference, ctx.file, &site) else { return Flow::Skip };
        if !self.check_target(&target, &reference, &site) {
            return Flow::Skip;
        }
        let Some(section) = section_of(self.dialect, kind) else {
            self.inline(value, target, kind, pointer, &site);
            return Flow::Skip;
        };
        let local = if target.file == ROOT && is_component_pointer(&target.pointer, section) {
            target.pointer.clone()
        } else {
            let name = self.import(target, kind, section);
            let mut tokens: Vec<&str> = section.to_vec();
            tokens.push(&name);
            join_pointer(&tokens)
        };
        if let Some(slot) = value.as_object_mut().and_then(|o| o.get_mut("$ref")) {
            *slot = Value::String(format!("#{local}"));
        }
        Flow::Continue
    }

    /// Resolves `reference` written in `file`; reads the file it names if needed. Records an
    /// error at `site` and returns `None` when it cannot.
    fn resolve(&mut self, reference: &str, file: usize, site: &Location) -> Option<Target> {
        let (file_part, fragment) = match reference.split_once('#') {
            Some((f, frag)) => (percent_decode(f), percent_decode(frag)),
            None => (percent_decode(reference), String::new()),
        };
        if !fragment.is_empty() && !fragment.starts_with('/') {
            self.errors.push(Diagnostic::new(
                site.clone(),
                format!("`$ref` `{reference}`: the fragment is not a JSON pointer (named anchors are not supported)"),
            ));
            return None;
        }
        if file_part.contains("://") || file_part.starts_with("//") {
            self.errors.push(Diagnostic::new(
                site.clone(),
                format!("`$ref` `{reference}`: remote references are not supported; save the file and refer to it by a relative path"),
            ));
            return None;
        }
        let file = if file_part.is_empty() { file } else { self.open(file, &file_part, reference, site)? };
        if file == ROOT && fragment.is_empty() {
            self.errors.push(Diagnostic::new(site.clone(), format!("`$ref` `{reference}` names the whole root document")));
            return None;
        }
        Some(Target { file, pointer: fragment })
    }

    /// The index of the file `relative` names, relative to the file `base`; reads it on first use.
    fn open(&mut self, base: usize, relative: &str, reference: &str, site: &Location) -> Option<usize> {
        let display = normalize(&self.files[base].display.parent().unwrap_or(Path::new("")).join(relative));
        if let Some(&i) = self.by_display.get(&display) {
            return Some(i);
        }
        let key = file_key(&display);
        if let Some(i) = self.files.iter().position(|f| f.key == key) {
            self.by_display.insert(display, i);
            return Some(i);
        }
        if let Some(failed) = self.failed_files.get_mut(&key) {
            failed.more += 1;
            return None;
        }
        let parsed = super::read_spec_file(&display)
            .map_err(|e| {
                Diagnostic::new(site.clone(), format!("`$ref` `{reference}`: cannot read `{}`: {e}", display.display()))
            })
            .and_then(|bytes| {
                parse_document(&display, &bytes).map_err(|e| match e {
                    Error::Spec(d) => Diagnostic::new(d.location, format!("{} (the file is referenced at {site})", d.message)),
                    other => Diagnostic::new(site.clone(), other.to_string()),
                })
            });
        match parsed {
            Ok((doc, warnings)) => {
                self.warnings.extend(warnings);
                self.by_display.insert(display.clone(), self.files.len());
                self.files.push(SourceFile { key, display, doc });
                Some(self.files.len() - 1)
            }
            Err(diagnostic) => {
                self.failed_files.insert(key, FailedFile { error: self.errors.len(), more: 0 });
                self.errors.push(diagnostic);
                None
            }
        }
    }

    /// Checks that `target` exists and that following bare `$ref`s from it ends.
    fn check_target(&mut self, target: &Target, reference: &str, site: &Location) -> bool {
        if self.chain_ok.contains(target) {
            return true;
        }
        let mut chain = vec![target.clone()];
        let mut current = target.clone();
        loop {
            let value = match resolve_pointer(&self.files[current.file].doc, &current.pointer) {
                Ok(v) => v,
                Err(deepest) => {
                    let link = if current == *target { String::new() } else { format!(" (reached from `{reference}`)") };
                    let file = self.files[current.file].display.display();
                    let deepest = if deepest.is_empty() { "the document root".to_owned() } else { format!("`{deepest}`") };
                    self.errors.push(Diagnostic::new(
                        site.clone(),
                        format!("`$ref` target `{file}#{}` does not exist{link}; the deepest part that does is {deepest}", current.pointer),
                    ));
                    return false;
                }
            };
            let Some(next) = value.as_object().and_then(|o| o.get("$ref")).and_then(Value::as_str).map(str::to_owned) else {
                break;
            };
            let link_site = self.location(current.file, format!("{}/$ref", current.pointer));
            let Some(next) = self.resolve(&next, current.file, &link_site) else { return false };
            if let Some(start) = chain.iter().position(|t| *t == next) {
                // Reported once per cycle, at the `$ref` of its first member: that is where the
                // user must edit, whichever reference led here.
                let mut members: Vec<Target> = chain[start..].to_vec();
                let first = members[0].clone();
                members.sort();
                if self.reported_cycles.insert(members) {
                    let mut path: Vec<String> =
                        chain[start..].iter().map(|t| format!("{}#{}", self.files[t.file].display.display(), t.pointer)).collect();
                    path.push(path[0].clone());
                    let at = self.location(first.file, format!("{}/$ref", first.pointer));
                    let reached = if at == *site { String::new() } else { format!(" (reached from {site})") };
                    self.errors.push(Diagnostic::new(
                        at,
                        format!("`$ref` cycle that never reaches a definition: {}{reached}", path.join(" → ")),
                    ));
                }
                return false;
            }
            if self.chain_ok.contains(&next) {
                break;
            }
            chain.push(next.clone());
            current = next;
            if chain.len() > 256 {
                self.errors.push(Diagnostic::new(site.clone(), "`$ref` chain longer than 256 links"));
                return false;
            }
        }
        self.chain_ok.extend(chain);
        true
    }

    /// The component name of `target` in `section`, importing it on first use.
    fn import(&mut self, target: Target, kind: Kind, section: Section) -> String {
        if let Some(name) = self.imports.get(&(target.clone(), section)) {
            return name.clone();
        }
        let file = &self.files[target.file];
        let stem = sanitize(&file.display.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
        let value = resolve_pointer(&file.doc, &target.pointer).ok();
        let wanted = base_name(&split_pointer(&target.pointer), value, kind, &stem);
        let taken = self.taken.entry(section).or_default();
        let mut name = wanted.clone();
        if taken.contains(&name) {
            name = format!("{wanted}_{stem}");
            let mut counter = 2;
            while taken.contains(&name) {
                name = format!("{wanted}_{stem}_{counter}");
                counter += 1;
            }
        }
        taken.insert(name.clone());
        self.imports.insert((target.clone(), section), name.clone());
        self.queue.push_back(Job { target, kind, section, name: name.clone() });
        name
    }

    /// Processes the content of an imported target.
    fn fill(&mut self, job: Job) {
        let Ok(content) = resolve_pointer(&self.files[job.target.file].doc, &job.target.pointer) else { return };
        let mut content = content.clone();
        let mut tokens: Vec<&str> = job.section.to_vec();
        tokens.push(&job.name);
        let doc_base = join_pointer(&tokens);
        let ctx = Ctx { file: job.target.file, src_base: job.target.pointer.clone(), doc_base: doc_base.clone() };
        self.process(&mut content, job.kind, &ctx);
        self.origins.insert(doc_base, self.location(job.target.file, job.target.pointer.clone()));
        self.filled.push((job.section, job.name, content));
    }

    /// Replaces the `$ref` object `value` (at `pointer`) by the content of `target`.
    fn inline(&mut self, value: &mut Value, target: Target, kind: Kind, pointer: &str, site: &Location) {
        if self.inlining.contains(&target) {
            self.errors.push(Diagnostic::new(site.clone(), "`$ref` cycle between path items"));
            return;
        }
        let Ok(content) = resolve_pointer(&self.files[target.file].doc, &target.pointer) else { return };
        let mut content = content.clone();
        if let (Value::Object(content), Value::Object(siblings)) = (&mut content, &*value) {
            for (key, sibling) in siblings {
                if key != "$ref" && !content.contains_key(key) {
                    content.insert(key.clone(), sibling.clone());
                }
            }
        }
        let ctx = Ctx { file: target.file, src_base: target.pointer.clone(), doc_base: pointer.to_owned() };
        self.inlining.push(target.clone());
        self.process(&mut content, kind, &ctx);
        self.inlining.pop();
        self.origins.insert(pointer.to_owned(), self.location(target.file, target.pointer));
        *value = content;
    }

    /// `discriminator.mapping` values that are references (3.x) name schemas too.
    fn rewrite_discriminator_mapping(&mut self, value: &mut Value, pointer: &str, ctx: &Ctx) {
        let Some(mapping) = value.get("discriminator").and_then(|d| d.get("mapping")).and_then(Value::as_object) else {
            return;
        };
        let mut rewrites = Vec::new();
        for (key, reference) in mapping {
            let Some(reference) = reference.as_str() else { continue };
            if !reference.contains('#') && !reference.contains('/') && !reference.contains('.') {
                continue; // a bare schema name
            }
            let site = self.location(
                ctx.file,
                format!("{}/discriminator/mapping/{}", ctx.source_pointer(pointer), crate::error::escape_pointer_token(key)),
            );
            let errors_before = self.errors.len();
            let resolved = self.resolve(reference, ctx.file, &site).filter(|t| self.check_target(t, reference, &site));
            // A mapping that does not resolve only loses the mapping entry: warn instead of failing.
            let new_errors: Vec<Diagnostic> = self.errors.drain(errors_before..).collect();
            self.warnings.extend(new_errors);
            let Some(target) = resolved else { continue };
            let section: Section = &["components", "schemas"];
            let local = if target.file == ROOT && is_component_pointer(&target.pointer, section) {
                target.pointer.clone()
            } else {
                let name = self.import(target, Kind::Schema, section);
                join_pointer(&["components", "schemas", name.as_str()])
            };
            rewrites.push((key.clone(), format!("#{local}")));
        }
        if let Some(mapping) = value.get_mut("discriminator").and_then(|d| d.get_mut("mapping")).and_then(Value::as_object_mut) {
            for (key, local) in rewrites {
                mapping.insert(key, Value::String(local));
            }
        }
    }

    /// Adds the imported components to their sections of the root document.
    fn insert_imports(&mut self, doc: &mut Value) {
        for (section, name, content) in std::mem::take(&mut self.filled) {
            match section_map(doc, section) {
                Some(map) => {
                    map.insert(name, content);
                }
                None => {
                    let pointer = join_pointer(section);
                    self.errors.push(Diagnostic::new(
                        self.location(ROOT, pointer.clone()),
                        format!("`{pointer}` is not an object; cannot add the referenced component `{name}`"),
                    ));
                }
            }
        }
    }

    /// Replaces non-schema components that are bare local references by what they lead to.
    fn replace_bare_references(&mut self, doc: &mut Value) {
        for section in sections(self.dialect) {
            if section_of(self.dialect, Kind::Schema) == Some(section) {
                continue;
            }
            let Ok(Value::Object(entries)) = resolve_pointer(doc, &join_pointer(section)) else { continue };
            let mut replacements = Vec::new();
            for (name, entry) in entries {
                let mut current = entry;
                let mut steps = 0;
                while let Some(reference) = current.get("$ref").and_then(Value::as_str) {
                    let Some(next) = reference.strip_prefix('#').and_then(|p| resolve_pointer(doc, p).ok()) else { break };
                    current = next;
                    steps += 1;
                    if steps > 64 {
                        break;
                    }
                }
                if steps > 0 && current.get("$ref").is_none() {
                    replacements.push((name.clone(), current.clone()));
                }
            }
            if let Some(map) = section_map(doc, section) {
                for (name, content) in replacements {
                    map.insert(name, content);
                }
            }
        }
    }

    /// Tells how many other references named each unreadable file.
    fn finish_errors(&mut self) {
        for failed in self.failed_files.values() {
            if failed.more > 0 {
                if let Some(error) = self.errors.get_mut(failed.error) {
                    error.message.push_str(&format!(" ({} other `$ref`s name the same file)", failed.more));
                }
            }
        }
    }
}

/// The component sections of a dialect.
fn sections(dialect: Dialect) -> Vec<Section> {
    match dialect {
        Dialect::Swagger2 => vec![&["definitions"], &["parameters"], &["responses"]],
        Dialect::OpenApi3 => vec![
            &["components", "schemas"],
            &["components", "parameters"],
            &["components", "responses"],
            &["components", "requestBodies"],
            &["components", "headers"],
            &["components", "examples"],
            &["components", "links"],
            &["components", "callbacks"],
            &["components", "securitySchemes"],
        ],
    }
}

/// The section that holds components of `kind`; `None` for kinds that are inlined.
fn section_of(dialect: Dialect, kind: Kind) -> Option<Section> {
    match (dialect, kind) {
        (Dialect::Swagger2, Kind::Schema) => Some(&["definitions"]),
        (Dialect::Swagger2, Kind::Parameter) => Some(&["parameters"]),
        (Dialect::Swagger2, Kind::Response) => Some(&["responses"]),
        (Dialect::OpenApi3, Kind::Schema) => Some(&["components", "schemas"]),
        (Dialect::OpenApi3, Kind::Parameter) => Some(&["components", "parameters"]),
        (Dialect::OpenApi3, Kind::Response) => Some(&["components", "responses"]),
        (Dialect::OpenApi3, Kind::RequestBody) => Some(&["components", "requestBodies"]),
        (Dialect::OpenApi3, Kind::Header) => Some(&["components", "headers"]),
        (Dialect::OpenApi3, Kind::Example) => Some(&["components", "examples"]),
        (Dialect::OpenApi3, Kind::Link) => Some(&["components", "links"]),
        (Dialect::OpenApi3, Kind::Callback) => Some(&["components", "callbacks"]),
        (Dialect::OpenApi3, Kind::SecurityScheme) => Some(&["components", "securitySchemes"]),
        _ => None,
    }
}

/// Whether `pointer` names an entry directly in `section` (`/definitions/X`).
fn is_component_pointer(pointer: &str, section: Section) -> bool {
    let tokens = split_pointer(pointer);
    tokens.len() == section.len() + 1 && tokens.iter().zip(section.iter()).all(|(t, s)| t == s)
}

/// The object at `section` of `doc`, created if missing; `None` if something else is there.
fn section_map(doc: &mut Value, section: Section) -> Option<&mut Map<String, Value>> {
    let mut current = doc;
    for token in section {
        let map = current.as_object_mut()?;
        current = map.entry(token.to_string()).or_insert_with(|| Value::Object(Map::new()));
    }
    current.as_object_mut()
}

/// Tokens that only say where something sits, not what it is: left out of generated names.
const STRUCTURAL_TOKENS: &[&str] = &[
    "paths", "x-ms-paths", "components", "definitions", "$defs", "schemas", "properties", "parameters", "responses",
    "content", "schema", "items", "allOf", "anyOf", "oneOf", "additionalProperties", "requestBody", "requestBodies",
    "headers",
];

/// Tokens after which the next token is a component name.
const SECTION_TOKENS: &[&str] = &[
    "definitions", "$defs", "schemas", "parameters", "responses", "requestBodies", "headers", "examples", "links",
    "callbacks", "securitySchemes", "securityDefinitions",
];

/// The name an imported target asks for, before de-duplication.
fn base_name(tokens: &[String], value: Option<&Value>, kind: Kind, stem: &str) -> String {
    let Some(last) = tokens.last() else {
        return if stem.is_empty() { "Imported".to_owned() } else { stem.to_owned() };
    };
    let numeric = last.bytes().all(|b| b.is_ascii_digit()) || last == "default";
    if tokens.len() >= 2 && SECTION_TOKENS.contains(&tokens[tokens.len() - 2].as_str()) && !numeric {
        let name = sanitize(last);
        if !name.is_empty() {
            return name;
        }
    }
    if kind == Kind::Parameter {
        if let Some(name) = value.and_then(|v| v.get("name")).and_then(Value::as_str).map(sanitize).filter(|n| !n.is_empty()) {
            return name;
        }
    }
    let words: Vec<String> =
        tokens.iter().filter(|t| !STRUCTURAL_TOKENS.contains(&t.as_str())).map(|t| sanitize(t)).filter(|t| !t.is_empty()).collect();
    if words.is_empty() {
        "Imported".to_owned()
    } else {
        words.join("_")
    }
}

/// Keeps the characters OpenAPI allows in component names (`[A-Za-z0-9._-]`).
fn sanitize(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' };
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.push(c);
    }
    out.trim_matches('_').to_owned()
}

/// Decodes `%XX` escapes; text that would not be UTF-8 afterwards is returned unchanged.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Removes `.` and resolves `..` lexically (keeping leading `..`).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// The identity of a file: its canonical path, or its absolute normalized path if it cannot be
/// canonicalized (it does not exist, e.g. a root given as bytes).
fn file_key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
        };
        normalize(&absolute)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_for_imported_targets() {
        let tokens = |p: &str| split_pointer(p);
        assert_eq!(base_name(&tokens("/definitions/ErrorResponse"), None, Kind::Schema, "types"), "ErrorResponse");
        assert_eq!(base_name(&tokens("/components/schemas/Pet"), None, Kind::Schema, "x"), "Pet");
        assert_eq!(base_name(&tokens(""), None, Kind::Schema, "Pet"), "Pet");
        assert_eq!(base_name(&tokens("/definitions/Foo/properties/bar"), None, Kind::Schema, "x"), "Foo_bar");
        let param = json!({"name": "api-version", "in": "query"});
        assert_eq!(base_name(&tokens("/paths/~1x/get/parameters/0"), Some(&param), Kind::Parameter, "x"), "api-version");
        assert_eq!(base_name(&tokens("/paths/~1x~1{id}/get/parameters/0"), None, Kind::Parameter, "x"), "x_id_get_0");
        assert_eq!(base_name(&tokens("/paths/~1pets/get/responses/200"), None, Kind::Response, "x"), "pets_get_200");
    }

    #[test]
    fn paths_normalize_lexically() {
        assert_eq!(normalize(Path::new("a/b/../../../c/./d.json")), PathBuf::from("../c/d.json"));
        assert_eq!(normalize(Path::new("/x/../../y")), PathBuf::from("/y"));
        assert_eq!(percent_decode("a%7Bb%7D%zz%"), "a{b}%zz%");
    }
}
