//! The `restsmith` command line: a thin layer over the library.
//!
//! Exit codes: 0 success; 1 differences found (`check`: stale files, `diff`: a breaking change);
//! 2 bad input or bad arguments (the message names the file and the JSON pointer).
//! Diagnostics on stderr are coloured only when stderr is a terminal and `NO_COLOR` is unset.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use restsmith::output::{stale_files, write_files};
use restsmith::settings::{workspace_crates, CrateSettings};
use restsmith::{generate_crate, Diagnostic, GeneratedCrate};

/// Generation builds and frees millions of small token trees: mimalloc does that faster than
/// the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// OpenAPI → idiomatic async Rust clients for cloud APIs.
#[derive(Debug, Parser)]
#[command(name = "restsmith", version, about, after_help = ROOT_AFTER_HELP)]
struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose", display_order = 900)]
    quiet: bool,
    /// Print every file written and every warning in full.
    #[arg(long, short, global = true, display_order = 901)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

const ROOT_AFTER_HELP: &str = "\
Examples:
  restsmith generate                                     regenerate generated/ from specs/
  restsmith generate --spec api.yaml --out ./api-client  one standalone crate from any spec
  restsmith check                                        is generated/ up to date?
  restsmith diff old.yaml new.yaml                       what a new spec version breaks

Exit codes:
  0  success
  1  differences found: `check` found stale files, `diff` found a breaking change
  2  bad input (the message names the file and the JSON pointer) or bad arguments

In build.rs, use the library instead: restsmith::Builder takes the same generation options.";

const STANDALONE: &str = "One standalone crate (--spec FILE --out DIR)";

const GENERATE_AFTER_HELP: &str = "\
Examples:
  restsmith generate
  restsmith generate --spec api.yaml --out ./api-client
  restsmith generate --spec api.yaml --out ./api-models --crate-name api-models --types-only
  restsmith generate --spec aks.yaml --out ./aks --include-tag ManagedClusters --client-name AksClient";

const CHECK_AFTER_HELP: &str = "\
Examples:
  restsmith check
  restsmith check --root path/to/workspace --quiet";

const DIFF_AFTER_HELP: &str = "\
Examples:
  restsmith diff specs/v1.yaml specs/v2.yaml
  restsmith diff old.json new.yaml --format markdown > report.md
  restsmith diff old.yaml new.yaml --format json --fail-on wire
  restsmith diff old.yaml new.yaml --code";

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate every crate in generated/ from specs/ (or, with --spec, one standalone crate).
    ///
    /// Everything is generated in memory first and files are written only when their bytes
    /// changed, so a bad spec leaves the output untouched. Generation options (--types-only,
    /// --include-*, --derive, --replace-type, --client-name, --method-name) apply to a
    /// standalone crate (--spec FILE --out DIR).
    #[command(after_help = GENERATE_AFTER_HELP)]
    Generate {
        /// Workspace root holding specs/ and generated/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// One spec file to generate a standalone crate from (needs --out).
        #[arg(long, requires = "out", help_heading = STANDALONE)]
        spec: Option<PathBuf>,
        /// Directory of the standalone crate.
        #[arg(long, requires = "spec", help_heading = STANDALONE)]
        out: Option<PathBuf>,
        /// Cargo package name of the standalone crate (default: the spec's file stem).
        #[arg(long, requires = "spec", help_heading = STANDALONE)]
        crate_name: Option<String>,
        /// Options for a standalone crate (need --spec); `restsmith::Builder` has the same.
        #[command(flatten, next_help_heading = STANDALONE)]
        options: restsmith::GenerateOptions,
    },
    /// Exit 1 and list the stale files when generated/ differs from what `generate` would write.
    #[command(after_help = CHECK_AFTER_HELP)]
    Check {
        /// Workspace root holding specs/ and generated/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Compare two versions of a spec: what changed, whether deployed clients keep working
    /// (wire), whether code using the generated crate still compiles (rust), and the semver bump
    /// the generated crate needs.
    ///
    /// OLD and NEW may be Swagger 2.0, OpenAPI 3.0 or 3.1, in any mix; they are compared on
    /// restsmith's IR, not as text. Exit code 1 when a breaking change is found (see
    /// --fail-on), 0 otherwise, 2 on bad input.
    #[command(after_help = DIFF_AFTER_HELP)]
    Diff {
        /// The old version of the spec.
        old: PathBuf,
        /// The new version of the spec.
        new: PathBuf,
        /// Report format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Also show the unified diff of the generated crate between the two versions.
        #[arg(long)]
        code: bool,
        /// Which breaking changes make the exit code 1: any (wire or rust), wire, rust, none.
        #[arg(long, value_enum, default_value_t = DiffFailOn::Any)]
        fail_on: DiffFailOn,
        /// Colour the text report: auto (when stdout is a terminal and NO_COLOR is unset), always, never.
        #[arg(long, value_enum, default_value_t = DiffColor::Auto)]
        color: DiffColor,
        /// Crate name used for the generated code (default: NEW's file stem).
        #[arg(long)]
        crate_name: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiffFailOn {
    Any,
    Wire,
    Rust,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiffColor {
    Auto,
    Always,
    Never,
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
            eprintln!("{} {e}", Paint::stderr().error("error:"));
            ExitCode::from(2)
        }
    }
}

/// ANSI colours for diagnostics, on only when the stream is a terminal and `NO_COLOR` is unset
/// (or empty, per no-color.org).
#[derive(Debug, Clone, Copy)]
struct Paint {
    enabled: bool,
}

impl Paint {
    fn stderr() -> Self {
        Paint { enabled: std::io::stderr().is_terminal() && no_color_unset() }
    }

    fn stdout() -> Self {
        Paint { enabled: std::io::stdout().is_terminal() && no_color_unset() }
    }

    fn paint(self, ansi: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{ansi}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn error(self, text: &str) -> String {
        self.paint("1;31", text)
    }

    fn warning(self, text: &str) -> String {
        self.paint("1;33", text)
    }

    fn note(self, text: &str) -> String {
        self.paint("2", text)
    }
}

fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

fn run(command: Command, verbosity: Verbosity) -> restsmith::Result<ExitCode> {
    match command {
        Command::Generate { spec: Some(spec), out: Some(out), crate_name, options, .. } => {
            let mut settings = CrateSettings::standalone(&spec, &out, crate_name.as_deref());
            settings.options = options;
            let generated = generate_crate(&settings, Path::new(""))?;
            report_warnings(&generated, verbosity);
            let report = write_files(&out, &generated.files)?;
            if verbosity == Verbosity::Verbose {
                for path in &report.written {
                    eprintln!("{} {}", Paint::stderr().note("wrote"), path.display());
                }
            }
            summary(&[generated], report.written.len(), verbosity);
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate { options, .. } if options != restsmith::GenerateOptions::default() => Err(restsmith::Error::spec(
            restsmith::Location::new("", ""),
            "generation options (--types-only, --include-*, --derive, --replace-type, --client-name, --method-name) apply to a standalone crate: add --spec FILE --out DIR",
        )),
        Command::Generate { root, .. } => {
            // Everything is generated in memory first: a bad spec leaves generated/ untouched.
            let crates = generate_workspace(&root)?;
            let mut written = 0;
            for generated in &crates {
                report_warnings(generated, verbosity);
                let report = write_files(&generated.settings.out_dir, &generated.files)?;
                if verbosity == Verbosity::Verbose {
                    for path in report.written.iter().chain(&report.removed) {
                        eprintln!("{} {}", Paint::stderr().note("updated"), path.display());
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
                let paint = Paint::stderr();
                eprintln!("{} generated/ is stale; run `cargo run -- generate`. Stale files:", paint.error("error:"));
                for path in stale {
                    eprintln!("  {}", path.display());
                }
                Ok(ExitCode::from(1))
            }
        }
        Command::Diff { old, new, format, code, fail_on, color, crate_name } => {
            use restsmith::diff::{self, render};
            let crate_name = crate_name.unwrap_or_else(|| restsmith::settings::default_crate_name(&new));
            let old = diff::Version::load(&old, &crate_name)?;
            let new = diff::Version::load(&new, &crate_name)?;
            let report = diff::diff(&old, &new);
            let format = match format {
                DiffFormat::Text => render::Format::Text,
                DiffFormat::Markdown => render::Format::Markdown,
                DiffFormat::Json => render::Format::Json,
            };
            let color = match color {
                DiffColor::Always => true,
                DiffColor::Never => false,
                DiffColor::Auto => Paint::stdout().enabled,
            };
            let code = if code { Some(diff::code::crate_diff(&old, &new)?) } else { None };
            print!("{}", render::render_with_code(&report, format, color, code.as_deref()));
            let fail_on = match fail_on {
                DiffFailOn::Any => diff::FailOn::Any,
                DiffFailOn::Wire => diff::FailOn::Wire,
                DiffFailOn::Rust => diff::FailOn::Rust,
                DiffFailOn::None => diff::FailOn::None,
            };
            Ok(if report.fails(fail_on) { ExitCode::from(1) } else { ExitCode::SUCCESS })
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
    let paint = Paint::stderr();
    for w in &shown {
        eprintln!("{} {w}", paint.warning("warning:"));
    }
    if shown.len() < generated.warnings.len() {
        eprintln!("{} … and {} more (use --verbose)", paint.warning("warning:"), generated.warnings.len() - shown.len());
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
