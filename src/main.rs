//! The `restsmith` command line: a thin layer over the library.
//!
//! Exit codes: 0 success; 1 `check` found stale files; 2 bad input (the message names the file
//! and the JSON pointer).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use restsmith::output::{stale_files, write_files};
use restsmith::settings::{workspace_crates, CrateSettings};
use restsmith::{generate_crate, Diagnostic, GeneratedCrate};

/// OpenAPI → idiomatic async Rust clients for cloud APIs.
#[derive(Debug, Parser)]
#[command(name = "restsmith", version, about)]
struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print every file written and every warning in full.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate every crate in generated/ from specs/ (or, with --spec, one standalone crate).
    ///
    /// Examples:
    ///   restsmith generate
    ///   restsmith generate --spec api.yaml --out ./my-api-client
    Generate {
        /// One spec file to generate a standalone crate from (needs --out).
        #[arg(long, requires = "out")]
        spec: Option<PathBuf>,
        /// Directory of the standalone crate.
        #[arg(long, requires = "spec")]
        out: Option<PathBuf>,
        /// Cargo package name of the standalone crate (default: the spec's file stem).
        #[arg(long, requires = "spec")]
        crate_name: Option<String>,
        /// Workspace root holding specs/ and generated/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Exit 1 and list the stale files when generated/ differs from what `generate` would write.
    ///
    /// Example:
    ///   restsmith check
    Check {
        /// Workspace root holding specs/ and generated/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    match run(cli.command, verbosity) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

fn run(command: Command, verbosity: Verbosity) -> restsmith::Result<ExitCode> {
    match command {
        Command::Generate { spec: Some(spec), out: Some(out), crate_name, .. } => {
            let settings = CrateSettings::standalone(&spec, &out, crate_name.as_deref());
            let generated = generate_crate(&settings, Path::new(""))?;
            report_warnings(&generated, verbosity);
            let report = write_files(&out, &generated.files)?;
            if verbosity == Verbosity::Verbose {
                for path in &report.written {
                    eprintln!("wrote {}", path.display());
                }
            }
            summary(&[generated], report.written.len(), verbosity);
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate { root, .. } => {
            // Everything is generated in memory first: a bad spec leaves generated/ untouched.
            let crates = generate_workspace(&root)?;
            let mut written = 0;
            for generated in &crates {
                report_warnings(generated, verbosity);
                let report = write_files(&generated.settings.out_dir, &generated.files)?;
                if verbosity == Verbosity::Verbose {
                    for path in report.written.iter().chain(&report.removed) {
                        eprintln!("updated {}", path.display());
                    }
                }
                written += report.written.len() + report.removed.len();
            }
            summary(&crates, written, verbosity);
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { root } => {
            let crates = generate_workspace(&root)?;
            let stale: Vec<PathBuf> =
                crates.iter().flat_map(|c| stale_files(&c.settings.out_dir, &c.files)).collect();
            if stale.is_empty() {
                if verbosity != Verbosity::Quiet {
                    eprintln!("generated/ is up to date ({} crates)", crates.len());
                }
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("generated/ is stale; run `cargo run -- generate`. Stale files:");
                for path in stale {
                    eprintln!("  {}", path.display());
                }
                Ok(ExitCode::from(1))
            }
        }
    }
}

fn generate_workspace(root: &Path) -> restsmith::Result<Vec<GeneratedCrate>> {
    workspace_crates(root)?.iter().map(|settings| generate_crate(settings, root)).collect()
}

fn report_warnings(generated: &GeneratedCrate, verbosity: Verbosity) {
    if verbosity == Verbosity::Quiet {
        return;
    }
    let shown: Vec<&Diagnostic> = if verbosity == Verbosity::Verbose {
        generated.warnings.iter().collect()
    } else {
        generated.warnings.iter().take(20).collect()
    };
    for w in &shown {
        eprintln!("warning: {w}");
    }
    if shown.len() < generated.warnings.len() {
        eprintln!("warning: … and {} more (use --verbose)", generated.warnings.len() - shown.len());
    }
}

fn summary(crates: &[GeneratedCrate], written: usize, verbosity: Verbosity) {
    if verbosity == Verbosity::Quiet {
        return;
    }
    let operations: usize = crates.iter().map(|c| c.operations).sum();
    let types: usize = crates.iter().map(|c| c.types).sum();
    let warnings: usize = crates.iter().map(|c| c.warnings.len()).sum();
    eprintln!(
        "generated {} crate(s): {operations} operations, {types} types; {written} file(s) changed; {warnings} warning(s) (skipped or approximated constructs)",
        crates.len()
    );
}
