//! Reports: text for terminals (grouped by severity, optionally coloured), Markdown for pull
//! requests, JSON for tools.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Change, Compat, Report, Side};

/// Output formats of `restsmith diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain (or coloured) text.
    Text,
    /// Markdown for a pull-request comment.
    Markdown,
    /// JSON for tools.
    Json,
}

/// Renders `report` in `format`; `color` applies to text only.
pub fn render(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Text => text(report, color),
        Format::Markdown => markdown(report),
        Format::Json => json(report),
    }
}

/// Renders `report` in `format`, followed by the generated-code diff `code` when given (a
/// fenced `diff` block in Markdown, a `code` member in JSON, coloured lines in text).
pub fn render_with_code(report: &Report, format: Format, color: bool, code: Option<&str>) -> String {
    let Some(code) = code else { return render(report, format, color) };
    match format {
        Format::Text => {
            let p = Paint(color);
            let mut out = text(report, color);
            out.push_str(&format!("\n{}\n", p.bold("Generated code")));
            if code.is_empty() {
                out.push_str("(no difference)\n");
            }
            for line in code.lines() {
                let painted = if line.starts_with("+++") || line.starts_with("---") {
                    p.bold(line)
                } else if line.starts_with('+') {
                    p.wrap("32", line)
                } else if line.starts_with('-') {
                    p.wrap("31", line)
                } else if line.starts_with("@@") {
                    p.wrap("36", line)
                } else {
                    line.to_owned()
                };
                out.push_str(&painted);
                out.push('\n');
            }
            out
        }
        Format::Markdown => {
            let mut out = markdown(report);
            let body = if code.is_empty() { "(no difference)\n".to_owned() } else { format!("```diff\n{code}```\n") };
            out.push_str(&format!("<details><summary><b>Generated code</b></summary>\n\n{body}\n</details>\n"));
            out
        }
        Format::Json => {
            let mut value: serde_json::Value = serde_json::from_str(&json(report)).unwrap_or_default();
            if let Some(object) = value.as_object_mut() {
                object.insert("code".to_owned(), serde_json::Value::String(code.to_owned()));
            }
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            text.push('\n');
            text
        }
    }
}

const GROUPS: [(Compat, &str); 3] =
    [(Compat::Breaking, "Breaking"), (Compat::Risky, "Risky (may break some clients)"), (Compat::Compatible, "Compatible")];

/// `old#/pointer`, or `file#/pointer` when the object lives in another file.
pub fn where_(report: &Report, c: &Change) -> String {
    let root = match c.side {
        Side::Old => &report.old,
        Side::New => &report.new,
    };
    let pointer = if c.pointer.is_empty() { String::new() } else { format!("#{}", c.pointer) };
    if &c.file == root {
        format!("{}{pointer}", c.side.as_str())
    } else {
        format!("{}:{}{pointer}", c.side.as_str(), c.file.display())
    }
}

fn summary_line(report: &Report) -> String {
    let n = report.changes.len();
    if n == 0 {
        return "No changes.".to_owned();
    }
    format!(
        "{n} change{}: {} breaking, {} risky, {} compatible. Deployed clients: {}. Generated Rust: {}. Crate bump: {}.",
        if n == 1 { "" } else { "s" },
        report.count(Compat::Breaking),
        report.count(Compat::Risky),
        report.count(Compat::Compatible),
        verdict_word(report.changes.iter().map(|c| c.wire).max()),
        verdict_word(report.changes.iter().map(|c| c.rust).max()),
        report.bump().as_str(),
    )
}

fn verdict_word(c: Option<Compat>) -> &'static str {
    match c {
        Some(Compat::Breaking) => "breaking",
        Some(Compat::Risky) => "risky",
        _ => "compatible",
    }
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn compat(&self, c: Compat) -> String {
        let code = match c {
            Compat::Breaking => "31",
            Compat::Risky => "33",
            Compat::Compatible => "32",
        };
        self.wrap(code, c.as_str())
    }
    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }
}

/// The text report.
pub fn text(report: &Report, color: bool) -> String {
    let p = Paint(color);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({}) → {} ({})",
        p.bold("restsmith diff"),
        report.old.display(),
        report.old_version,
        report.new.display(),
        report.new_version
    );
    let _ = writeln!(out, "{}", summary_line(report));
    for (severity, title) in GROUPS {
        let group: Vec<&Change> = report.changes.iter().filter(|c| c.severity() == severity).collect();
        if group.is_empty() {
            continue;
        }
        let heading = format!("{title} ({})", group.len());
        let heading = match severity {
            Compat::Breaking => p.wrap("1;31", &heading),
            Compat::Risky => p.wrap("1;33", &heading),
            Compat::Compatible => p.wrap("1;32", &heading),
        };
        let _ = writeln!(out, "\n{heading}");
        for c in group {
            let _ = writeln!(out, "  {} {}", p.bold(c.rule), c.message);
            let _ = writeln!(out, "      wire: {}  rust: {}  bump: {}", p.compat(c.wire), p.compat(c.rust), c.bump.as_str());
            let item = c.rust_item.as_ref().map(|i| format!("  ({i})")).unwrap_or_default();
            let _ = writeln!(out, "      {}{}", p.dim(&where_(report, c)), p.dim(&item));
            if !c.why.is_empty() {
                let _ = writeln!(out, "      {}", p.dim(&c.why));
            }
        }
    }
    out
}

fn md_escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn md_verdict(c: Compat) -> &'static str {
    match c {
        Compat::Breaking => "🔴 breaking",
        Compat::Risky => "🟡 risky",
        Compat::Compatible => "🟢 compatible",
    }
}

/// GitHub refuses comments longer than 65,536 characters; the Markdown report stays below this.
pub const MARKDOWN_LIMIT: usize = 60_000;

/// How much detail a Markdown report carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// Every change with its reasons.
    Full,
    /// Every change, without reasons.
    NoReasons,
    /// Breaking and risky changes without reasons; compatible ones counted per rule.
    CompatibleCounted,
    /// Changes counted per rule only.
    Counted,
}

/// The Markdown report, shortened to stay under [`MARKDOWN_LIMIT`] characters (reasons dropped
/// first, then compatible changes summarized per rule, then all of them).
pub fn markdown(report: &Report) -> String {
    let mut text = String::new();
    for detail in [Detail::Full, Detail::NoReasons, Detail::CompatibleCounted, Detail::Counted] {
        text = markdown_with(report, detail);
        if text.chars().count() <= MARKDOWN_LIMIT {
            break;
        }
    }
    text
}

fn markdown_with(report: &Report, detail: Detail) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### restsmith diff: `{}` ({}) → `{}` ({})\n",
        report.old.display(),
        report.old_version,
        report.new.display(),
        report.new_version
    );
    if report.changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let wire = report.changes.iter().map(|c| c.wire).max().unwrap_or(Compat::Compatible);
    let rust = report.changes.iter().map(|c| c.rust).max().unwrap_or(Compat::Compatible);
    let _ = writeln!(
        out,
        "| deployed clients (wire) | generated Rust crate | crate version bump | changes |\n|---|---|---|---|\n| {} | {} | **{}** | {} breaking, {} risky, {} compatible |\n",
        md_verdict(wire),
        md_verdict(rust),
        report.bump().as_str(),
        report.count(Compat::Breaking),
        report.count(Compat::Risky),
        report.count(Compat::Compatible),
    );
    if detail != Detail::Full {
        let _ = writeln!(
            out,
            "<sub>Shortened to fit a pull-request comment ({}); `restsmith diff --format text` or `--format json` lists everything.</sub>\n",
            match detail {
                Detail::NoReasons => "reasons left out",
                Detail::CompatibleCounted => "reasons left out, compatible changes counted per rule",
                _ => "changes counted per rule",
            }
        );
    }
    for (severity, title) in GROUPS {
        let group: Vec<&Change> = report.changes.iter().filter(|c| c.severity() == severity).collect();
        if group.is_empty() {
            continue;
        }
        let open = if severity == Compat::Compatible && group.len() > 10 { "" } else { " open" };
        let _ = writeln!(out, "<details{open}><summary><b>{title} ({})</b></summary>\n", group.len());
        let counted = detail == Detail::Counted || (detail == Detail::CompatibleCounted && severity == Compat::Compatible);
        if counted {
            let mut counts: Vec<(&str, Compat, Compat, usize)> = Vec::new();
            for c in &group {
                match counts.iter_mut().find(|(rule, wire, rust, _)| *rule == c.rule && *wire == c.wire && *rust == c.rust) {
                    Some(entry) => entry.3 += 1,
                    None => counts.push((c.rule, c.wire, c.rust, 1)),
                }
            }
            out.push_str("| rule | wire | rust | changes |\n|---|---|---|---|\n");
            for (rule, wire, rust, n) in counts {
                let _ = writeln!(out, "| `{rule}` | {} | {} | {n} |", md_verdict(wire), md_verdict(rust));
            }
        } else {
            out.push_str("| change | wire | rust | bump | rule | where |\n|---|---|---|---|---|---|\n");
            for c in &group {
                let item = c.rust_item.as_ref().map(|i| format!("<br>`{}`", md_escape(i))).unwrap_or_default();
                let why = if c.why.is_empty() || detail != Detail::Full {
                    String::new()
                } else {
                    format!("<br><sub>{}</sub>", md_escape(&c.why))
                };
                let _ = writeln!(
                    out,
                    "| {}{why} | {} | {} | {} | `{}` | `{}`{item} |",
                    md_escape(&c.message),
                    md_verdict(c.wire),
                    md_verdict(c.rust),
                    c.bump.as_str(),
                    c.rule,
                    md_escape(&where_(report, c)),
                );
            }
        }
        out.push_str("\n</details>\n\n");
    }
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    old: String,
    new: String,
    old_version: &'a str,
    new_version: &'a str,
    wire_breaking: bool,
    rust_breaking: bool,
    bump: &'static str,
    changes: &'a [Change],
}

/// The JSON report.
pub fn json(report: &Report) -> String {
    let doc = JsonReport {
        old: report.old.display().to_string(),
        new: report.new.display().to_string(),
        old_version: &report.old_version,
        new_version: &report.new_version,
        wire_breaking: report.wire_breaking(),
        rust_breaking: report.rust_breaking(),
        bump: report.bump().as_str(),
        changes: &report.changes,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
