//! Turning spec names into Rust identifiers: case conversion with heck, keywords, names that
//! start with digits or hold symbols, and collisions.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Words for symbols that carry meaning in enum values (`+1`, `-1`, `*`).
fn symbol_word(c: char) -> Option<&'static str> {
    Some(match c {
        '+' => "Plus",
        '-' => "Minus",
        '*' => "Star",
        '.' => "Dot",
        '/' => "Slash",
        '@' => "At",
        '#' => "Hash",
        '%' => "Percent",
        '&' => "And",
        '=' => "Eq",
        '<' => "Lt",
        '>' => "Gt",
        '!' => "Not",
        '$' => "Dollar",
        _ => return None,
    })
}

/// Splits the text into word-ish pieces, turning everything that is not alphanumeric into a
/// separator so heck sees clean words.
fn clean(raw: &str) -> String {
    let ascii: String = raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    plural_acronyms(&ascii)
}

/// Keeps a plural acronym one word: `LROs` → `Lros` (heck would split it into `LR` + `Os`).
fn plural_acronyms(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && chars[i].is_ascii_uppercase() {
            i += 1;
        }
        let run = i - start;
        let plural = run >= 2 && chars.get(i) == Some(&'s') && chars.get(i + 1).is_none_or(|c| !c.is_ascii_lowercase());
        if plural {
            out.push(chars[start]);
            out.extend(chars[start + 1..i].iter().map(char::to_ascii_lowercase));
            out.push('s');
            i += 1;
        } else if run > 0 {
            out.extend(&chars[start..i]);
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// True for strict and reserved Rust keywords.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// An UpperCamelCase type name.
pub fn type_name(raw: &str) -> String {
    let mut name = clean(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("T{name}");
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// A snake_case field, argument or method name.
pub fn field_name(raw: &str) -> String {
    let mut name = clean(raw).to_snake_case();
    if name.is_empty() {
        name = "value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// An UpperCamelCase enum variant for a wire value; symbols that carry meaning become words.
pub fn variant_name(raw: &str) -> String {
    if raw.is_empty() {
        return "Empty".into();
    }
    let mut spelled = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            spelled.push(c);
        } else if let Some(word) = symbol_word(c) {
            // Only spell out symbols at the edges or between digits; inside words they separate.
            spelled.push(' ');
            spelled.push_str(word);
            spelled.push(' ');
        } else {
            spelled.push(' ');
        }
    }
    let alnum_only: String = raw.chars().filter(char::is_ascii_alphanumeric).collect();
    // "Standard_LRS" → StandardLrs, but "+1" → Plus1 and "-1" → Minus1.
    let name = if !alnum_only.is_empty() && raw.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
        clean(raw).to_upper_camel_case()
    } else {
        spelled.to_upper_camel_case()
    };
    let mut name = if name.is_empty() { "Value".to_string() } else { name };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("V{name}");
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// Hands out names that are unique within one scope (a struct's fields, an enum's variants, the
/// crate's types), appending `2`, `3`, … on collision.
#[derive(Debug, Default, Clone)]
pub struct NameScope {
    taken: BTreeSet<String>,
}

impl NameScope {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope where `reserved` names are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        NameScope { taken: reserved.into_iter().map(str::to_owned).collect() }
    }

    /// Claims `name`, or the first free `name2`, `name3`, … (with `_` before the digit when the
    /// name ends in a digit or is snake_case).
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_owned()) {
            return name.to_owned();
        }
        let sep = if name.ends_with(|c: char| c.is_ascii_digit()) || name.contains('_') || name.starts_with(char::is_lowercase)
        {
            "_"
        } else {
            ""
        };
        // A keyword-escaped name (`self_`) takes the digit directly: `self_2`, not `self__2`.
        let sep = if name.ends_with('_') { "" } else { sep };
        (2..)
            .map(|i| format!("{name}{sep}{i}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_else(|| name.to_owned())
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_names() {
        assert_eq!(field_name("x-sddc-token"), "x_sddc_token");
        assert_eq!(field_name("ImageIds.N"), "image_ids_n");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("api-version"), "api_version");
        assert_eq!(field_name("$filter"), "filter");
        assert_eq!(field_name("2fa"), "n2fa");
        assert_eq!(field_name("ResponseMetadata"), "response_metadata");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(type_name("VmSnap"), "VmSnap");
        assert_eq!(type_name("vm-snap.spec"), "VmSnapSpec");
        assert_eq!(type_name("3dModel"), "T3dModel");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(field_name("LROs_put200Succeeded"), "lros_put200_succeeded");
        assert_eq!(field_name("LROsCustomHeader_post202Retry200"), "lros_custom_header_post202_retry200");
        assert_eq!(field_name("VirtualMachineInstances_DeleteCheckpoint"), "virtual_machine_instances_delete_checkpoint");
        assert_eq!(field_name("getURLs"), "get_urls");
    }

    #[test]
    fn enum_variants() {
        assert_eq!(variant_name("Succeeded"), "Succeeded");
        assert_eq!(variant_name("Standard_LRS"), "StandardLrs");
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("a b"), "AB");
        assert_eq!(variant_name("2020-04-01"), "V20200401");
        assert_eq!(variant_name("sha1"), "Sha1");
        assert_eq!(variant_name("啊齄"), "Value");
        assert_eq!(field_name("名前"), "value");
        assert_eq!(type_name("名前"), "Unnamed");
    }

    #[test]
    fn collisions_get_suffixes() {
        let mut scope = NameScope::new();
        assert_eq!(scope.claim("FooBar"), "FooBar");
        assert_eq!(scope.claim("FooBar"), "FooBar2");
        assert_eq!(scope.claim("foo_bar"), "foo_bar");
        assert_eq!(scope.claim("foo_bar"), "foo_bar_2");
        assert_eq!(scope.claim("V1"), "V1");
        assert_eq!(scope.claim("V1"), "V1_2");
    }
}
