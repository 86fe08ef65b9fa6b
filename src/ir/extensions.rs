//! Extensions restsmith does not act on: an unknown `x-restsmith-*` key (a typo, most likely) is
//! reported where it is; an `x-ms-*` extension that changes AutoRest clients but not restsmith's
//! is reported once per name (with its first place and how often it occurs), so the summary
//! line says what was skipped. Other `x-` keys are documentation and pass silently.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{escape_pointer_token, Diagnostic, Location};

/// Our own extensions.
const KNOWN_RESTSMITH: &[&str] = &[
    "x-restsmith-indexed-list",
    "x-restsmith-envelope",
    "x-restsmith-batch-result",
    "x-restsmith-lro",
    "x-restsmith-signer",
    "x-restsmith-retry-safe",
    "x-restsmith-default-scopes",
    "x-restsmith-collection-format",
];

/// `x-ms-*` extensions that shape AutoRest clients and that restsmith leaves alone, with why.
const IGNORED_MS: &[(&str, &str)] = &[
    ("x-ms-client-flatten", "properties stay nested (flattening would change the wire model's shape in Rust only)"),
    ("x-ms-header-collection-prefix", "prefixed header collections are not gathered into a map"),
    ("x-ms-parameter-grouping", "parameters are not grouped into a struct"),
    ("x-ms-flatten", "properties stay nested"),
    ("x-ms-client-default", "client-side defaults are not applied"),
    ("x-ms-long-running-operation-options-extended", "only final-state-via is read"),
];

/// Warnings for the extensions of `doc` (a normalized document of `file`).
pub(crate) fn unknown_extensions(doc: &Value, file: &std::path::Path) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut ignored: BTreeMap<&str, (String, usize)> = BTreeMap::new();
    walk(doc, String::new(), &mut |pointer, key| {
        if key.starts_with("x-restsmith-") && !KNOWN_RESTSMITH.contains(&key) {
            warnings.push(Diagnostic::new(
                Location::new(file, pointer),
                format!("unknown extension `{key}` (restsmith understands {})", KNOWN_RESTSMITH.join(", ")),
            ));
        } else if let Some((name, _)) = IGNORED_MS.iter().find(|(name, _)| *name == key) {
            let entry = ignored.entry(name).or_insert_with(|| (pointer.to_owned(), 0));
            entry.1 += 1;
        }
    });
    for (name, (first, count)) in ignored {
        let why = IGNORED_MS.iter().find(|(n, _)| *n == name).map(|(_, why)| *why).unwrap_or_default();
        warnings.push(Diagnostic::new(Location::new(file, first), format!("`{name}` ({count} place(s)) is ignored: {why}")));
    }
    warnings
}

fn walk(value: &Value, pointer: String, visit: &mut dyn FnMut(&str, &str)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_pointer = format!("{pointer}/{}", escape_pointer_token(key));
                if key.starts_with("x-") {
                    visit(&child_pointer, key);
                    // Extensions hold data (examples, settings): nothing inside is a schema.
                    continue;
                }
                walk(child, child_pointer, visit);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{pointer}/{i}"), visit);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_unknown_and_ignored() {
        let doc = serde_json::json!({
            "paths": {"/a": {"get": {"x-restsmith-retry-saf": true, "x-ms-examples": {}}}},
            "definitions": {"A": {"properties": {"p": {"x-ms-client-flatten": true}, "q": {"x-ms-client-flatten": true}}}}
        });
        let warnings = unknown_extensions(&doc, std::path::Path::new("s.json"));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].to_string().starts_with("s.json#/paths/~1a/get/x-restsmith-retry-saf: unknown extension"), "{}", warnings[0]);
        assert!(warnings[1].to_string().contains("`x-ms-client-flatten` (2 place(s)) is ignored"), "{}", warnings[1]);
    }
}
