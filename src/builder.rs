//! The `build.rs` front end, in the manner of prost-build: generate API clients from specs kept
//! in your repository into `OUT_DIR` and `include!` them.
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     if let Err(error) = generate() {
//!         // A located message (`file#/json/pointer: what is wrong`); cargo shows it.
//!         eprintln!("error: {error}");
//!         std::process::exit(1);
//!     }
//! }
//!
//! fn generate() -> restsmith::Result<()> {
//!     restsmith::Builder::new()
//!         .spec("specs/volcengine-ecs.yaml") // → $OUT_DIR/volcengine_ecs.rs
//!         .derive("Eq")
//!         .generate()?;
//!     Ok(())
//! }
//! // src/lib.rs:
//! // pub mod volcengine_ecs { include!(concat!(env!("OUT_DIR"), "/volcengine_ecs.rs")); }
//! ```
//!
//! The builder prints `cargo:rerun-if-changed` for every file it reads (`$ref`'d files
//! included), writes only under its output directory and only files whose bytes changed, and
//! returns a located error instead of panicking. Its options are the CLI's
//! ([`GenerateOptions`], flattened into `restsmith generate`), so the two never drift apart.
//! The crate that includes the module depends on `restsmith-runtime`, `serde` and `serde_json`.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Location, Result};
use crate::settings::GenerateOptions;

/// One module written by [`Builder::generate`].
#[derive(Debug, Clone)]
pub struct GeneratedModule {
    /// The module's name (the file is `<out_dir>/<name>.rs`).
    pub name: String,
    /// The file written (or left alone because it was up to date).
    pub path: PathBuf,
    /// Constructs that were skipped or approximated.
    pub warnings: Vec<Diagnostic>,
    /// Every input file read.
    pub files_read: Vec<PathBuf>,
}

/// Generates API modules for `build.rs`.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    specs: Vec<(PathBuf, Option<String>)>,
    out_dir: Option<PathBuf>,
    options: GenerateOptions,
    quiet: bool,
}

impl Builder {
    /// A builder with no specs, writing to `OUT_DIR`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a spec; its module is named after the file stem (`volcengine-ecs.yaml` →
    /// `volcengine_ecs.rs`).
    pub fn spec(mut self, path: impl AsRef<Path>) -> Self {
        self.specs.push((path.as_ref().to_path_buf(), None));
        self
    }

    /// Adds a spec with an explicit module (file) name.
    pub fn spec_as(mut self, path: impl AsRef<Path>, module: &str) -> Self {
        self.specs.push((path.as_ref().to_path_buf(), Some(module.to_owned())));
        self
    }

    /// Writes under `dir` instead of `OUT_DIR`.
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Replaces all generation options at once.
    pub fn options(mut self, options: GenerateOptions) -> Self {
        self.options = options;
        self
    }

    /// Models only: no client, operations or credentials.
    pub fn types_only(mut self, types_only: bool) -> Self {
        self.options.types_only = types_only;
        self
    }

    /// One cargo feature per tag gates the operations and the models they use (the features go
    /// into the generated Cargo.toml; with `build.rs`, declare them in your own).
    pub fn features_per_tag(mut self, on: bool) -> Self {
        self.options.features_per_tag = on;
        self
    }

    /// Gives every inline enum and struct its own type instead of aliasing an equal one.
    pub fn distinct_inline_types(mut self, on: bool) -> Self {
        self.options.distinct_inline_types = on;
        self
    }

    /// Models use serde's derived `Deserialize` instead of the compact one (see
    /// [`GenerateOptions::serde_derive`]).
    pub fn serde_derive(mut self, on: bool) -> Self {
        self.options.serde_derive = on;
        self
    }

    /// Generates only this operation (repeatable; default: all).
    pub fn include_operation(mut self, operation_id: &str) -> Self {
        self.options.include_operations.push(operation_id.to_owned());
        self
    }

    /// Generates only operations with this tag (repeatable; default: all).
    pub fn include_tag(mut self, tag: &str) -> Self {
        self.options.include_tags.push(tag.to_owned());
        self
    }

    /// Adds a derive to every model, e.g. `"Eq"` or `"schemars::JsonSchema"`.
    pub fn derive(mut self, path: &str) -> Self {
        self.options.extra_derives.push(path.to_owned());
        self
    }

    /// Adds an attribute (without `#[]`) to every model, e.g. `"serde(deny_unknown_fields)"`.
    pub fn attribute(mut self, attribute: &str) -> Self {
        self.options.extra_attributes.push(attribute.to_owned());
        self
    }

    /// Uses an existing Rust type for a schema.
    pub fn replace_type(mut self, schema: &str, rust_path: &str) -> Self {
        self.options.type_replacements.push((schema.to_owned(), rust_path.to_owned()));
        self
    }

    /// Names the client struct (default `Client`).
    pub fn client_name(mut self, name: &str) -> Self {
        self.options.client_name = Some(name.to_owned());
        self
    }

    /// Names the method of an operation.
    pub fn method_name(mut self, operation_id: &str, method: &str) -> Self {
        self.options.method_names.push((operation_id.to_owned(), method.to_owned()));
        self
    }

    /// Do not print `cargo:` lines (for use outside build scripts).
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// Generates every spec. All are generated in memory before anything is written.
    ///
    /// # Errors
    ///
    /// A located [`Error`] for a bad spec or option; [`Error::Io`] when `OUT_DIR` is unset (and
    /// no `out_dir` was given) or a file cannot be written.
    pub fn generate(self) -> Result<Vec<GeneratedModule>> {
        let out_dir = match self.out_dir.clone().or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from)) {
            Some(dir) => dir,
            None => {
                return Err(Error::Io {
                    path: PathBuf::from("$OUT_DIR"),
                    source: std::io::Error::new(std::io::ErrorKind::NotFound, "OUT_DIR is not set: call out_dir() outside build.rs"),
                })
            }
        };
        let mut rendered: Vec<Rendered> = Vec::new();
        for (spec_path, module) in &self.specs {
            let name = module.clone().unwrap_or_else(|| module_name(spec_path));
            if syn::parse_str::<syn::Ident>(&name).is_err() {
                return Err(Error::spec(Location::new(spec_path, ""), format!("`{name}` is not a valid module name")));
            }
            // Two specs with the same module name would write the same file.
            if let Some(other) = rendered.iter().find(|r| r.name == name) {
                return Err(Error::spec(
                    Location::new(spec_path, ""),
                    format!("module `{name}` is also generated from {}: name one of them with spec_as()", other.spec.display()),
                ));
            }
            let spec = crate::load::load(spec_path);
            // Files read so far still matter to cargo when the spec is broken.
            if let (Err(_), false) = (&spec, self.quiet) {
                println!("cargo:rerun-if-changed={}", spec_path.display());
            }
            let spec = spec?;
            if !self.quiet {
                for file in &spec.files_read {
                    println!("cargo:rerun-if-changed={}", file.display());
                }
            }
            let (ir, warnings) = crate::ir::build_with(&spec, &name, &self.options)?;
            // The IR holds all codegen needs: free the spec first.
            let files_read = spec.into_files_read();
            let source = crate::codegen::module_source(&ir)?;
            rendered.push(Rendered { name, spec: spec_path.clone(), source, warnings, files_read });
        }
        let mut modules = Vec::new();
        for Rendered { name, source, warnings, files_read, .. } in rendered {
            let path = out_dir.join(format!("{name}.rs"));
            if std::fs::read(&path).ok().as_deref() != Some(source.as_bytes()) {
                crate::output::write_atomically(&path, source.as_bytes())?;
            }
            if !self.quiet {
                // A few in full, then a count: cargo prints every warning on every build.
                for w in warnings.iter().take(3) {
                    println!("cargo:warning=restsmith: {w}");
                }
                if warnings.len() > 3 {
                    println!(
                        "cargo:warning=restsmith: … and {} more for {} (run `restsmith generate --spec {} --out <dir> --verbose` to see all)",
                        warnings.len() - 3,
                        name,
                        files_read.first().map(|p| p.display().to_string()).unwrap_or_default()
                    );
                }
            }
            modules.push(GeneratedModule { name, path, warnings, files_read });
        }
        Ok(modules)
    }
}

/// A module generated in memory, not yet written.
struct Rendered {
    name: String,
    spec: PathBuf,
    source: String,
    warnings: Vec<Diagnostic>,
    files_read: Vec<PathBuf>,
}

/// `volcengine-ecs.yaml` → `volcengine_ecs`.
fn module_name(spec: &Path) -> String {
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "api".into());
    let name = crate::ir::names::field_name(&stem);
    name.trim_end_matches('_').to_owned()
}
