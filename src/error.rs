//! Located diagnostics: every problem found in a spec names the file and the JSON pointer.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in the input something was found: a file and a JSON pointer into it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The spec file (as given by the user, or as reached through a `$ref`).
    pub file: PathBuf,
    /// An RFC 6901 JSON pointer into that file; empty for the whole document.
    pub pointer: String,
}

impl Location {
    /// A location in `file` at `pointer`.
    pub fn new(file: impl Into<PathBuf>, pointer: impl Into<String>) -> Self {
        Location { file: file.into(), pointer: pointer.into() }
    }

    /// The same file, one level deeper.
    pub fn child(&self, token: &str) -> Self {
        Location { file: self.file.clone(), pointer: format!("{}/{}", self.pointer, escape_pointer_token(token)) }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}", self.file.display())
        } else {
            write!(f, "{}#{}", self.file.display(), self.pointer)
        }
    }
}

/// Escapes one reference token for a JSON pointer (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape_pointer_token`].
pub fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A problem in the input, with its location.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Where the problem is.
    pub location: Location,
    /// What the problem is.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at `location`.
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Diagnostic { location, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.file.as_os_str().is_empty() && self.location.pointer.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.location, self.message)
        }
    }
}

/// Everything that can stop generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec (or a file it references) is invalid or uses something restsmith cannot handle.
    #[error("{0}")]
    Spec(Diagnostic),
    /// Several spec problems found in one pass.
    #[error("{}", join_diagnostics(.0))]
    SpecMany(Vec<Diagnostic>),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The generated Rust did not parse (a bug in restsmith, reported instead of panicking).
    #[error("internal error while generating {what}: {message}")]
    Internal {
        /// Which output was being produced.
        what: String,
        /// Details.
        message: String,
    },
}

fn join_diagnostics(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

impl Error {
    /// A spec error at `location`.
    pub fn spec(location: Location, message: impl Into<String>) -> Self {
        Error::Spec(Diagnostic::new(location, message))
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }
}

/// The result type of the generator library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
