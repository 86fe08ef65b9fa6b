//! Ordered query parameters, encoded strictly per RFC 3986.
//!
//! Names and values are percent-encoded byte-wise from their UTF-8 form: only the unreserved
//! characters `A-Z a-z 0-9 - . _ ~` stay literal, everything else becomes `%XX` with upper-case
//! hex — a space is `%20`, never `+` (PROTOCOLS.md §6.2, §8.2). Pairs keep insertion order;
//! signers that need a canonical order sort on their own.

use std::fmt::Display;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything except RFC 3986 unreserved characters.
pub(crate) const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `value` keeping only RFC 3986 unreserved characters.
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, STRICT).to_string()
}

/// A query parameter value whose text is its `Display` form, or that is absent: an `Option`
/// of a string, number, boolean, UUID, date or enum. Required values are passed as `Some`.
pub trait QueryText {
    /// The value's text; `None` when the parameter is not set.
    fn query_text(&self) -> Option<String>;
}

impl<T: Display> QueryText for Option<T> {
    fn query_text(&self) -> Option<String> {
        self.as_ref().map(T::to_string)
    }
}

/// An ordered list of query parameters; stored already encoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Query::default()
    }

    /// Appends `name=value`.
    pub fn push(&mut self, name: &str, value: impl AsRef<str>) {
        self.pairs
            .push((encode_component(name), encode_component(value.as_ref())));
    }

    /// Appends `name=value` for each parameter that is set, in order. Generated operations
    /// add their plain query parameters with this in one call.
    pub fn push_texts(&mut self, params: &[(&str, &dyn QueryText)]) {
        for (name, value) in params {
            if let Some(text) = value.query_text() {
                self.push(name, text);
            }
        }
    }

    /// Appends `Name.1=v1&Name.2=v2…` (1-based, the Volcengine/AWS query list style).
    pub fn push_indexed_list<S: AsRef<str>>(&mut self, name: &str, values: &[S]) {
        for (i, value) in values.iter().enumerate() {
            self.push(&format!("{name}.{}", i + 1), value);
        }
    }

    /// Appends an OpenAPI `style: form` array: `name=a&name=b` when `explode`, else
    /// `name=a,b` (commas inside values are encoded as `%2C`, the separators are literal).
    /// An empty array adds nothing.
    pub fn push_form_array<S: AsRef<str>>(&mut self, name: &str, values: &[S], explode: bool) {
        if values.is_empty() {
            return;
        }
        if explode {
            for value in values {
                self.push(name, value);
            }
        } else {
            let joined = values
                .iter()
                .map(|v| encode_component(v.as_ref()))
                .collect::<Vec<_>>()
                .join(",");
            self.pairs.push((encode_component(name), joined));
        }
    }

    /// Whether no parameter was added.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Appends `name=value` with the value as given (`x-ms-skip-url-encoding`): only characters
    /// that would end the value or the URL (`&`, `#`, space, controls, non-ASCII) are encoded.
    pub fn push_unencoded(&mut self, name: &str, value: impl AsRef<str>) {
        let value: String = value
            .as_ref()
            .chars()
            .map(|c| match c {
                '&' | '#' | ' ' | '+' => format!("%{:02X}", c as u32),
                c if c.is_ascii_graphic() => c.to_string(),
                c => encode_component(&c.to_string()),
            })
            .collect();
        self.pairs.push((encode_component(name), value));
    }

    /// Appends pairs that are already encoded (from [`crate::style::query`]).
    pub fn push_encoded(&mut self, pairs: Vec<(String, String)>) {
        self.pairs.extend(pairs);
    }

    /// Number of `name=value` pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// The encoded `(name, value)` pairs in insertion order.
    pub fn encoded_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The query string without the leading `?`: `a=1&b=2`.
    pub fn encode(&self) -> String {
        self.pairs
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_table() {
        let cases = [
            ("plain-._~AZaz09", "plain-._~AZaz09"),
            ("a b", "a%20b"),
            ("a+b", "a%2Bb"),
            ("x/y?z#w&v=u", "x%2Fy%3Fz%23w%26v%3Du"),
            ("100%", "100%25"),
            ("é", "%C3%A9"),
            ("数", "%E6%95%B0"),
            ("*'()!$,;:@", "%2A%27%28%29%21%24%2C%3B%3A%40"),
            ("", ""),
        ];
        for (raw, encoded) in cases {
            assert_eq!(encode_component(raw), encoded, "{raw:?}");
        }
    }

    #[test]
    fn ordered_pairs_and_lists() {
        let mut q = Query::new();
        assert!(q.is_empty());
        q.push("Action", "DeleteImages");
        q.push("Version", "2020-04-01");
        q.push_indexed_list("ImageIds", &["image-a", "image b"]);
        q.push_form_array("tags", &["x,y", "z"], false);
        q.push_form_array("ids", &["1", "2"], true);
        q.push_form_array("none", &[] as &[&str], false);
        q.push("empty", "");
        assert_eq!(
            q.encode(),
            "Action=DeleteImages&Version=2020-04-01&ImageIds.1=image-a&ImageIds.2=image%20b\
             &tags=x%2Cy,z&ids=1&ids=2&empty="
        );
        assert_eq!(q.len(), 8);

        let mut texts = Query::new();
        let (unset, count, label): (Option<i64>, Option<i64>, Option<&str>) = (None, Some(30), Some("a b"));
        texts.push_texts(&[("unset", &unset), ("count", &count), ("label", &label), ("flag", &Some(true))]);
        assert_eq!(texts.encode(), "count=30&label=a%20b&flag=true", "unset parameters are left out");
        assert_eq!(q.encoded_pairs().next(), Some(("Action", "DeleteImages")));
    }
}
