//! What to generate and where: one type shared by the CLI and the `build.rs` builder, so their
//! options never drift apart.

use std::path::{Path, PathBuf};

use crate::codegen::CrateLayout;
use crate::error::{Error, Location, Result};

/// One crate to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateSettings {
    /// The spec file.
    pub spec: PathBuf,
    /// The Cargo package name (default: the spec's file stem).
    pub crate_name: String,
    /// The crate's directory.
    pub out_dir: PathBuf,
    /// How the crate depends on the runtime and whether it is standalone.
    pub layout: CrateLayout,
    /// What to generate (filters, renames, derives, …).
    pub options: GenerateOptions,
}

impl CrateSettings {
    /// A standalone crate for `spec` in `out_dir`, depending on this checkout's runtime by path.
    pub fn standalone(spec: &Path, out_dir: &Path, crate_name: Option<&str>) -> Self {
        let crate_name = crate_name.map(str::to_owned).unwrap_or_else(|| default_crate_name(spec));
        let runtime = runtime_dir();
        let runtime_path = relative_path(out_dir, &runtime).unwrap_or(runtime);
        CrateSettings {
            spec: spec.to_path_buf(),
            crate_name,
            out_dir: out_dir.to_path_buf(),
            layout: CrateLayout {
                runtime_dependency: format!("{{ path = \"{}\" }}", runtime_path.display().to_string().replace('\\', "/")),
                standalone: true,
            },
            options: GenerateOptions::default(),
        }
    }
}

/// The crate name for a spec: its file stem, lower-case, with `_` and spaces as `-`.
pub fn default_crate_name(spec: &Path) -> String {
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "api".into());
    let name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let name = name.trim_matches('-').to_owned();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else {
        name
    }
}

/// The `runtime/` directory of the restsmith checkout this binary was built from.
pub fn runtime_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime")
}

/// `to` relative to `from` when both are absolute (or both relative to the current directory).
fn relative_path(from: &Path, to: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let from = normalize(&cwd.join(from));
    let to = normalize(&cwd.join(to));
    let from_parts: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from_parts.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut rel = PathBuf::new();
    for _ in common..from_parts.len() {
        rel.push("..");
    }
    for part in &to_parts[common..] {
        rel.push(part);
    }
    Some(rel)
}

/// Removes `.` and resolves `..` lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The checked-in crates of a restsmith workspace: one per file in `<root>/specs/`, written to
/// `<root>/generated/<stem>/`.
pub fn workspace_crates(root: &Path) -> Result<Vec<CrateSettings>> {
    let specs_dir = root.join("specs");
    let entries = std::fs::read_dir(&specs_dir).map_err(|e| Error::io(&specs_dir, e))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json"))
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(Error::spec(Location::new(&specs_dir, ""), "no spec files (*.yaml, *.yml, *.json) found"));
    }
    Ok(specs
        .into_iter()
        .map(|spec| {
            let crate_name = default_crate_name(&spec);
            CrateSettings {
                out_dir: root.join("generated").join(&crate_name),
                spec: spec.strip_prefix(root).map(|p| p.to_path_buf()).unwrap_or(spec),
                crate_name,
                layout: CrateLayout { runtime_dependency: "{ path = \"../../runtime\" }".into(), standalone: false },
                options: GenerateOptions::default(),
            }
        })
        .collect())
}

/// What to generate, beyond which spec: the options shared by the CLI (`restsmith generate`
/// flags, via `#[command(flatten)]`) and the `build.rs` [`crate::Builder`], declared once so the
/// two never drift apart.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct GenerateOptions {
    /// Generate only the models (no client, operations or credentials).
    #[arg(long)]
    pub types_only: bool,
    /// One cargo feature per tag (plus `all-models`, and `full`, the default, for everything):
    /// users of a large API compile only the operations and models they enable.
    #[arg(long)]
    pub features_per_tag: bool,
    /// Give every inline enum and struct its own Rust type. By default an inline enum or struct
    /// equal to another (same values or fields, names and docs) is generated as an alias of
    /// it, which compiles faster.
    #[arg(long)]
    pub distinct_inline_types: bool,
    /// Models use serde's derived `Deserialize` instead of restsmith's compact one (which reads
    /// the JSON object first and compiles several times faster). Implied by `--attribute`s that
    /// mention serde or derive, and by `--derive`s of traits outside std and serde (such as
    /// `schemars::JsonSchema`), which read `#[serde]` attributes.
    #[arg(long)]
    pub serde_derive: bool,
    /// Generate only these operations (operationIds; repeatable). Default: all.
    #[arg(long = "include-operation", value_name = "OPERATION_ID")]
    pub include_operations: Vec<String>,
    /// Generate only operations with these tags (repeatable). Default: all.
    #[arg(long = "include-tag", value_name = "TAG")]
    pub include_tags: Vec<String>,
    /// Extra derives for every generated model, e.g. `Eq` or `schemars::JsonSchema` (repeatable).
    #[arg(long = "derive", value_name = "PATH")]
    pub extra_derives: Vec<String>,
    /// Extra attribute for every generated model struct, without `#[]`, e.g.
    /// `serde(deny_unknown_fields)` or `cfg_attr(feature = "schema", derive(schemars::JsonSchema))`
    /// (repeatable).
    #[arg(long = "attribute", value_name = "ATTRIBUTE")]
    pub extra_attributes: Vec<String>,
    /// Use an existing Rust type for a schema: `SchemaName=path::to::Type` (repeatable).
    #[arg(long = "replace-type", value_name = "SCHEMA=PATH", value_parser = parse_pair)]
    pub type_replacements: Vec<(String, String)>,
    /// Name of the client struct (default `Client`).
    #[arg(long, value_name = "NAME")]
    pub client_name: Option<String>,
    /// Method name for an operation: `operationId=method_name` (repeatable).
    #[arg(long = "method-name", value_name = "OPERATION_ID=NAME", value_parser = parse_pair)]
    pub method_names: Vec<(String, String)>,
}

/// Parses `key=value`.
fn parse_pair(text: &str) -> std::result::Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => Ok((k.trim().to_owned(), v.trim().to_owned())),
        _ => Err(format!("expected KEY=VALUE, got `{text}`")),
    }
}
