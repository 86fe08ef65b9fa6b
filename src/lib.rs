//! restsmith: OpenAPI descriptions of cloud APIs → idiomatic async Rust clients.
//!
//! The pipeline has one module per stage: [`load`] (files → OpenAPI 3.0 model), [`ir`] (model →
//! plain-data intermediate representation), [`codegen`] (IR → Rust tokens → formatted files) and
//! [`output`] (atomic writes, staleness checks). [`settings`] is shared by the CLI and the
//! `build.rs` builder.

pub mod builder;
pub mod codegen;
pub mod diff;
pub mod error;
pub mod ir;
pub mod load;
pub mod output;
pub mod settings;

use std::path::{Path, PathBuf};

pub use error::{Diagnostic, Error, Location, Result};
pub use builder::Builder;
pub use settings::{CrateSettings, GenerateOptions};

/// A crate generated in memory, not yet written.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    /// What was asked for.
    pub settings: CrateSettings,
    /// The files, relative to `settings.out_dir`.
    pub files: Vec<codegen::GeneratedFile>,
    /// Problems that did not stop generation (skipped constructs and the like).
    pub warnings: Vec<Diagnostic>,
    /// Every input file read, for `cargo:rerun-if-changed`.
    pub files_read: Vec<PathBuf>,
    /// Number of operations generated.
    pub operations: usize,
    /// Number of named types generated.
    pub types: usize,
}

/// Loads, lowers and renders one crate. Performs no writes.
pub fn generate_crate(settings: &CrateSettings, root: &Path) -> Result<GeneratedCrate> {
    let spec = load::load(&root.join(&settings.spec)).map_err(|e| rebase_error(e, root))?;
    let (ir, warnings) = ir::build_with(&spec, &settings.crate_name, &settings.options).map_err(|e| rebase_error(e, root))?;
    // The IR holds all codegen needs: free the spec first.
    let files_read = spec.into_files_read();
    let files = codegen::crate_files(&ir, &settings.layout)?;
    Ok(GeneratedCrate {
        settings: settings.clone(),
        operations: ir.operations.len(),
        types: ir.types.len(),
        files,
        warnings: warnings.into_iter().map(|d| rebase(d, root)).collect(),
        files_read,
    })
}

/// Shows paths relative to `root` in diagnostics.
fn rebase(mut d: Diagnostic, root: &Path) -> Diagnostic {
    if let Ok(rel) = d.location.file.strip_prefix(root) {
        d.location.file = rel.to_path_buf();
    }
    d
}

fn rebase_error(e: Error, root: &Path) -> Error {
    match e {
        Error::Spec(d) => Error::Spec(rebase(d, root)),
        Error::SpecMany(ds) => Error::SpecMany(ds.into_iter().map(|d| rebase(d, root)).collect()),
        other => other,
    }
}
