//! `restsmith diff OLD NEW`: what changed between two versions of an API description, and what
//! each change means.
//!
//! Every change gets two verdicts and a version bump:
//!
//! - **wire**: does a client that is already deployed (generated from OLD) keep working against a
//!   server that implements NEW? ([`Compat`])
//! - **rust**: does code written against the crate restsmith generated from OLD still compile,
//!   and mean the same, against the crate generated from NEW? ([`Compat`])
//! - **bump**: the semver bump the generated crate needs ([`Bump`]).
//!
//! The comparison runs on the IR, not on the text: both files are loaded (Swagger 2.0, OpenAPI
//! 3.0 or 3.1, any mix), normalized and lowered by [`crate::ir::build`], so a spec converted from
//! Swagger 2.0 to OpenAPI 3.0 without a semantic change diffs as empty, and a verdict about the
//! Rust API is a verdict about the items codegen actually emits (see [`shape`] for the
//! forward-compatibility choices of the generated code that the verdicts rely on).
//!
//! The algorithm:
//!
//! 1. API-wide settings: api-version, envelope, servers and their variables, security schemes,
//!    client settings (`api.rs`).
//! 2. Operations are matched by operationId; the rest by HTTP method + path (an operationId
//!    rename); a matched pair whose method or path differs has moved. Each pair is compared
//!    parameter by parameter (matched by location + wire name; path parameters by position),
//!    then body, responses by status, response headers, long-running and paging behaviour
//!    (`operations.rs`).
//! 3. Named types are matched by name, then unmatched ones by shape (a rename). Structs are
//!    compared field by field (by wire name), enums value by value, unions variant by variant
//!    (`models.rs`). Whether a model change can break a deployed client depends on the direction
//!    the type travels in, found by walking every operation's parameters, bodies and responses
//!    (`usage.rs`).
//!
//! Each rule (one per kind of change) is listed with its verdicts in [`rules`]; the README has
//! the same table. Pointers in a [`Change`] name the place in the user's file (old file for
//! removals, new file otherwise), mapped back through Swagger 2.0 conversion and `$ref` bundling.

mod api;
pub mod code;
mod locate;
mod models;
mod operations;
pub mod render;
pub mod rules;
pub mod shape;
mod usage;
mod wire;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Result;
use crate::ir::ApiIr;
use crate::load::LoadedSpec;
pub use rules::Rule;

/// How compatible a change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compat {
    /// Keeps working.
    Compatible,
    /// Keeps compiling / may keep working, but some uses can break (e.g. the server starts
    /// sending a status an old client treats as an error).
    Risky,
    /// Breaks: a deployed client fails, or old code no longer compiles.
    Breaking,
}

impl Compat {
    /// Lower-case word for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Compat::Compatible => "compatible",
            Compat::Risky => "risky",
            Compat::Breaking => "breaking",
        }
    }
}

/// A semver bump of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Documentation or behaviour fix; the public API is the same.
    Patch,
    /// Additions or behaviour changes; existing code keeps compiling.
    Minor,
    /// Existing code may not compile (or silently changes meaning).
    Major,
}

impl Bump {
    /// Lower-case word for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// Which of the two files a pointer is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The old file (used for removals).
    Old,
    /// The new file.
    New,
}

impl Side {
    /// `old` or `new`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Old => "old",
            Side::New => "new",
        }
    }
}

/// One change between the two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The rule that found it (an id of [`rules::RULES`]).
    pub rule: &'static str,
    /// Which file [`Change::pointer`] points into.
    pub side: Side,
    /// The file [`Change::pointer`] points into (a `$ref`'d file when the object lives there).
    pub file: PathBuf,
    /// RFC 6901 JSON pointer into `file`.
    pub pointer: String,
    /// What changed.
    pub message: String,
    /// Verdict for deployed clients.
    pub wire: Compat,
    /// Verdict for code written against the old generated crate.
    pub rust: Compat,
    /// The bump the generated crate needs for this change.
    pub bump: Bump,
    /// The generated item affected, e.g. `models::Pet::new` or `Client::get_pet`.
    pub rust_item: Option<String>,
    /// Why the verdicts are what they are.
    pub why: String,
}

impl Change {
    /// The worse of the two verdicts.
    pub fn severity(&self) -> Compat {
        self.wire.max(self.rust)
    }
}

/// What `--fail-on` counts as a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// A wire-breaking or a Rust-breaking change.
    Any,
    /// A wire-breaking change.
    Wire,
    /// A Rust-breaking change.
    Rust,
    /// Never fail.
    None,
}

/// The result of comparing two versions.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The old file as given.
    pub old: PathBuf,
    /// The new file as given.
    pub new: PathBuf,
    /// The old spec's `info.version`.
    pub old_version: String,
    /// The new spec's `info.version`.
    pub new_version: String,
    /// Every change, most severe first, then in document order.
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether some change breaks deployed clients.
    pub fn wire_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.wire == Compat::Breaking)
    }

    /// Whether some change breaks code written against the old generated crate.
    pub fn rust_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.rust == Compat::Breaking)
    }

    /// The bump the generated crate needs.
    pub fn bump(&self) -> Bump {
        self.changes.iter().map(|c| c.bump).max().unwrap_or(Bump::None)
    }

    /// Whether `fail_on` makes this report a failure (exit code 1).
    pub fn fails(&self, fail_on: FailOn) -> bool {
        match fail_on {
            FailOn::Any => self.wire_breaking() || self.rust_breaking(),
            FailOn::Wire => self.wire_breaking(),
            FailOn::Rust => self.rust_breaking(),
            FailOn::None => false,
        }
    }

    /// Number of changes whose worse verdict is `severity`.
    pub fn count(&self, severity: Compat) -> usize {
        self.changes.iter().filter(|c| c.severity() == severity).count()
    }
}

/// One side of a comparison: the loaded spec (for pointers) and its IR.
#[derive(Debug)]
pub struct Version {
    /// The loaded, normalized spec.
    pub spec: LoadedSpec,
    /// Its IR.
    pub ir: ApiIr,
    usage: usage::UsageMap,
}

impl Version {
    /// Wraps a loaded spec and its IR.
    pub fn new(spec: LoadedSpec, ir: ApiIr) -> Self {
        let usage = usage::usage_map(&ir);
        Version { spec, ir, usage }
    }

    /// Loads `path` and builds its IR for a crate named `crate_name`.
    pub fn load(path: &Path, crate_name: &str) -> Result<Self> {
        let spec = crate::load::load(path)?;
        // Every inline enum keeps its own type, so a new identical enum elsewhere in the spec
        // does not turn an unchanged one into an alias.
        let options = crate::settings::GenerateOptions { distinct_inline_types: true, ..Default::default() };
        let (ir, _warnings) = crate::ir::build_with(&spec, crate_name, &options)?;
        Ok(Version::new(spec, ir))
    }
}

/// Compares two versions.
pub fn diff(old: &Version, new: &Version) -> Report {
    let cx = Cx { old, new, changes: std::cell::RefCell::new(Vec::new()) };
    api::compare(&cx);
    operations::compare(&cx);
    models::compare(&cx);
    let mut changes = cx.changes.into_inner();
    // Stable: most severe first; within a severity, the order the comparison found them in.
    changes.sort_by_key(|c| std::cmp::Reverse(c.severity()));
    changes.dedup();
    Report {
        old: old.spec.root_file.clone(),
        new: new.spec.root_file.clone(),
        old_version: old.ir.version.clone(),
        new_version: new.ir.version.clone(),
        changes,
    }
}

/// Loads both files and compares them.
pub fn diff_files(old: &Path, new: &Path, crate_name: &str) -> Result<Report> {
    let old = Version::load(old, crate_name)?;
    let new = Version::load(new, crate_name)?;
    Ok(diff(&old, &new))
}

/// Where a change is: a pointer into the normalized old or new document.
#[derive(Debug, Clone)]
pub(crate) enum At {
    Old(String),
    New(String),
}

/// The comparison in progress.
pub(crate) struct Cx<'a> {
    pub(crate) old: &'a Version,
    pub(crate) new: &'a Version,
    changes: std::cell::RefCell<Vec<Change>>,
}

/// A change being described; [`Cx::push`] records it.
pub(crate) struct Draft {
    pub(crate) rule: &'static Rule,
    pub(crate) at: At,
    pub(crate) message: String,
    pub(crate) wire: Compat,
    pub(crate) rust: Compat,
    pub(crate) item: Option<String>,
    pub(crate) why: Vec<String>,
    /// Overrides the rule's bump for a Rust-compatible change.
    pub(crate) bump: Option<Bump>,
}

impl Draft {
    pub(crate) fn new(rule: &'static Rule, at: At, message: impl Into<String>) -> Self {
        Draft {
            rule,
            at,
            message: message.into(),
            wire: Compat::Compatible,
            rust: Compat::Compatible,
            item: None,
            why: Vec::new(),
            bump: None,
        }
    }

    /// Sets the wire verdict and its reason.
    pub(crate) fn wire(mut self, verdict: Compat, why: impl Into<String>) -> Self {
        self.wire = verdict;
        let why = why.into();
        if !why.is_empty() {
            self.why.push(format!("wire: {why}"));
        }
        self
    }

    /// Sets the Rust verdict and its reason.
    pub(crate) fn rust(mut self, verdict: Compat, why: impl Into<String>) -> Self {
        self.rust = verdict;
        let why = why.into();
        if !why.is_empty() {
            self.why.push(format!("rust: {why}"));
        }
        self
    }

    /// Names the generated item affected.
    pub(crate) fn item(mut self, item: impl Into<String>) -> Self {
        self.item = Some(item.into());
        self
    }

    /// Overrides the bump of a Rust-compatible change.
    pub(crate) fn bump(mut self, bump: Bump) -> Self {
        self.bump = Some(bump);
        self
    }
}

impl Cx<'_> {
    /// Records a change.
    pub(crate) fn push(&self, draft: Draft) {
        let (side, location) = match &draft.at {
            At::Old(p) => (Side::Old, self.old.spec.locate(p)),
            At::New(p) => (Side::New, self.new.spec.locate(p)),
        };
        let bump = if draft.rust != Compat::Compatible { Bump::Major } else { draft.bump.unwrap_or(draft.rule.bump) };
        self.changes.borrow_mut().push(Change {
            rule: draft.rule.id,
            side,
            file: location.file,
            pointer: location.pointer,
            message: draft.message,
            wire: draft.wire,
            rust: draft.rust,
            bump,
            rust_item: draft.item,
            why: draft.why.join("; "),
        });
    }
}
