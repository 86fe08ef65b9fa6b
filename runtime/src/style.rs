//! OpenAPI parameter serialization (`style` and `explode`), following the style examples table
//! of the OpenAPI 3.0 specification for primitives, arrays and objects:
//!
//! | style | explode | string | array | object |
//! |---|---|---|---|---|
//! | matrix | false | `;color=blue` | `;color=blue,black,brown` | `;color=R,100,G,200,B,150` |
//! | matrix | true | `;color=blue` | `;color=blue;color=black;color=brown` | `;R=100;G=200;B=150` |
//! | label | false | `.blue` | `.blue,black,brown` | `.R,100,G,200,B,150` |
//! | label | true | `.blue` | `.blue.black.brown` | `.R=100.G=200.B=150` |
//! | form | false | `color=blue` | `color=blue,black,brown` | `color=R,100,G,200,B,150` |
//! | form | true | `color=blue` | `color=blue&color=black&color=brown` | `R=100&G=200&B=150` |
//! | simple | false | `blue` | `blue,black,brown` | `R,100,G,200,B,150` |
//! | simple | true | `blue` | `blue,black,brown` | `R=100,G=200,B=150` |
//! | spaceDelimited | false | | `blue%20black%20brown` | `R%20100%20G%20200%20B%20150` |
//! | pipeDelimited | false | | `blue\|black\|brown` | `R\|100\|G\|200\|B\|150` |
//! | deepObject | true | | | `color[R]=100&color[G]=200&color[B]=150` |
//!
//! Values are percent-encoded (RFC 3986 unreserved kept); with `allowReserved` the reserved
//! characters `:/?#[]@!$&'()*+,;=` of query values are kept as they are. The separators the
//! style adds (`,` `;` `.` `=` `|` `[` `]`) are literal.

use serde::Serialize;

use crate::query::encode_component;

/// A parameter's `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form` (query, cookie default).
    Form,
    /// `simple` (path, header default).
    Simple,
    /// `label` (path): `.` prefix.
    Label,
    /// `matrix` (path): `;name=` prefix.
    Matrix,
    /// `spaceDelimited` (query arrays/objects).
    SpaceDelimited,
    /// `pipeDelimited` (query arrays/objects).
    PipeDelimited,
    /// `deepObject` (query objects): `name[key]=value`.
    DeepObject,
}

/// A value to serialize: a primitive's text, an array's items, or an object's members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StyleValue {
    /// One value.
    Primitive(String),
    /// Array items.
    Array(Vec<String>),
    /// Object members, in order.
    Object(Vec<(String, String)>),
}

impl StyleValue {
    /// The members of any serializable object (top level; nested values as JSON text).
    pub fn object<T: Serialize + ?Sized>(value: &T) -> StyleValue {
        let members = match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(map)) => map
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, scalar_text(&v)))
                .collect(),
            _ => Vec::new(),
        };
        StyleValue::Object(members)
    }
}

/// Text of a JSON scalar (strings without quotes); arrays and objects as JSON.
fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// RFC 3986 reserved characters, kept by `allowReserved`.
const RESERVED: &str = ":/?#[]@!$&'()*+,;=";

fn encode(value: &str, allow_reserved: bool) -> String {
    if !allow_reserved {
        return encode_component(value);
    }
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if RESERVED.contains(c) {
            out.push(c);
        } else {
            out.push_str(&encode_component(c.encode_utf8(&mut [0; 4])));
        }
    }
    out
}

fn join(items: &[String], separator: &str, allow_reserved: bool) -> String {
    items.iter().map(|i| encode(i, allow_reserved)).collect::<Vec<_>>().join(separator)
}

fn flatten(members: &[(String, String)]) -> Vec<String> {
    members.iter().flat_map(|(k, v)| [k.clone(), v.clone()]).collect()
}

/// The text a path parameter contributes (`simple`, `label` or `matrix`), encoded.
pub fn path(name: &str, style: Style, explode: bool, value: &StyleValue) -> String {
    let name = encode_component(name);
    match (style, value) {
        (Style::Label, StyleValue::Primitive(v)) => format!(".{}", encode(v, false)),
        (Style::Label, StyleValue::Array(items)) => format!(".{}", join(items, if explode { "." } else { "," }, false)),
        (Style::Label, StyleValue::Object(members)) if explode => {
            format!(".{}", members.iter().map(|(k, v)| format!("{}={}", encode(k, false), encode(v, false))).collect::<Vec<_>>().join("."))
        }
        (Style::Label, StyleValue::Object(members)) => format!(".{}", join(&flatten(members), ",", false)),
        (Style::Matrix, StyleValue::Primitive(v)) => format!(";{name}={}", encode(v, false)),
        (Style::Matrix, StyleValue::Array(items)) if explode => {
            items.iter().map(|i| format!(";{name}={}", encode(i, false))).collect()
        }
        (Style::Matrix, StyleValue::Array(items)) => format!(";{name}={}", join(items, ",", false)),
        (Style::Matrix, StyleValue::Object(members)) if explode => {
            members.iter().map(|(k, v)| format!(";{}={}", encode(k, false), encode(v, false))).collect()
        }
        (Style::Matrix, StyleValue::Object(members)) => format!(";{name}={}", join(&flatten(members), ",", false)),
        // simple (and anything else in a path)
        (_, StyleValue::Primitive(v)) => encode(v, false),
        (_, StyleValue::Array(items)) => join(items, ",", false),
        (_, StyleValue::Object(members)) if explode => {
            members.iter().map(|(k, v)| format!("{}={}", encode(k, false), encode(v, false))).collect::<Vec<_>>().join(",")
        }
        (_, StyleValue::Object(members)) => join(&flatten(members), ",", false),
    }
}

/// The `name=value` pairs (already encoded) a query parameter contributes.
pub fn query(name: &str, style: Style, explode: bool, allow_reserved: bool, value: &StyleValue) -> Vec<(String, String)> {
    let key = encode_component(name);
    match (style, value) {
        (_, StyleValue::Primitive(v)) => vec![(key, encode(v, allow_reserved))],
        (Style::SpaceDelimited, StyleValue::Array(items)) => vec![(key, join(items, "%20", allow_reserved))],
        (Style::SpaceDelimited, StyleValue::Object(members)) => vec![(key, join(&flatten(members), "%20", allow_reserved))],
        (Style::PipeDelimited, StyleValue::Array(items)) => vec![(key, join(items, "|", allow_reserved))],
        (Style::PipeDelimited, StyleValue::Object(members)) => vec![(key, join(&flatten(members), "|", allow_reserved))],
        (Style::DeepObject, StyleValue::Object(members)) => members
            .iter()
            .map(|(k, v)| (format!("{key}[{}]", encode_component(k)), encode(v, allow_reserved)))
            .collect(),
        (_, StyleValue::Array(items)) if explode => items.iter().map(|i| (key.clone(), encode(i, allow_reserved))).collect(),
        (_, StyleValue::Array(items)) => vec![(key, join(items, ",", allow_reserved))],
        (_, StyleValue::Object(members)) if explode => {
            members.iter().map(|(k, v)| (encode_component(k), encode(v, allow_reserved))).collect()
        }
        (_, StyleValue::Object(members)) => vec![(key, join(&flatten(members), ",", allow_reserved))],
    }
}

/// A header value (`simple` style); header values are not percent-encoded.
pub fn header(explode: bool, value: &StyleValue) -> String {
    match value {
        StyleValue::Primitive(v) => v.clone(),
        StyleValue::Array(items) => items.join(","),
        StyleValue::Object(members) if explode => members.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
        StyleValue::Object(members) => flatten(members).join(","),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn color() -> (StyleValue, StyleValue, StyleValue) {
        (
            StyleValue::Primitive("blue".into()),
            StyleValue::Array(vec!["blue".into(), "black".into(), "brown".into()]),
            StyleValue::Object(vec![("R".into(), "100".into()), ("G".into(), "200".into()), ("B".into(), "150".into())]),
        )
    }

    fn q(style: Style, explode: bool, value: &StyleValue) -> String {
        query("color", style, explode, false, value).into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
    }

    /// Every cell of the OpenAPI 3.0 style examples table.
    #[test]
    fn openapi_style_examples_table() {
        let (s, a, o) = color();
        assert_eq!(path("color", Style::Matrix, false, &s), ";color=blue");
        assert_eq!(path("color", Style::Matrix, false, &a), ";color=blue,black,brown");
        assert_eq!(path("color", Style::Matrix, false, &o), ";color=R,100,G,200,B,150");
        assert_eq!(path("color", Style::Matrix, true, &s), ";color=blue");
        assert_eq!(path("color", Style::Matrix, true, &a), ";color=blue;color=black;color=brown");
        assert_eq!(path("color", Style::Matrix, true, &o), ";R=100;G=200;B=150");
        assert_eq!(path("color", Style::Label, false, &s), ".blue");
        assert_eq!(path("color", Style::Label, false, &a), ".blue,black,brown");
        assert_eq!(path("color", Style::Label, false, &o), ".R,100,G,200,B,150");
        assert_eq!(path("color", Style::Label, true, &s), ".blue");
        assert_eq!(path("color", Style::Label, true, &a), ".blue.black.brown");
        assert_eq!(path("color", Style::Label, true, &o), ".R=100.G=200.B=150");
        assert_eq!(q(Style::Form, false, &s), "color=blue");
        assert_eq!(q(Style::Form, false, &a), "color=blue,black,brown");
        assert_eq!(q(Style::Form, false, &o), "color=R,100,G,200,B,150");
        assert_eq!(q(Style::Form, true, &s), "color=blue");
        assert_eq!(q(Style::Form, true, &a), "color=blue&color=black&color=brown");
        assert_eq!(q(Style::Form, true, &o), "R=100&G=200&B=150");
        assert_eq!(path("color", Style::Simple, false, &s), "blue");
        assert_eq!(path("color", Style::Simple, false, &a), "blue,black,brown");
        assert_eq!(path("color", Style::Simple, false, &o), "R,100,G,200,B,150");
        assert_eq!(path("color", Style::Simple, true, &o), "R=100,G=200,B=150");
        assert_eq!(q(Style::SpaceDelimited, false, &a), "color=blue%20black%20brown");
        assert_eq!(q(Style::SpaceDelimited, false, &o), "color=R%20100%20G%20200%20B%20150");
        assert_eq!(q(Style::PipeDelimited, false, &a), "color=blue|black|brown");
        assert_eq!(q(Style::PipeDelimited, false, &o), "color=R|100|G|200|B|150");
        assert_eq!(q(Style::DeepObject, true, &o), "color[R]=100&color[G]=200&color[B]=150");
        assert_eq!(header(false, &a), "blue,black,brown");
        assert_eq!(header(true, &o), "R=100,G=200,B=150");
        assert_eq!(header(false, &o), "R,100,G,200,B,150");
    }

    #[test]
    fn encoding_and_allow_reserved() {
        let v = StyleValue::Primitive("a b/c?d".into());
        assert_eq!(query("q", Style::Form, true, false, &v), vec![("q".to_owned(), "a%20b%2Fc%3Fd".to_owned())]);
        assert_eq!(query("q", Style::Form, true, true, &v), vec![("q".to_owned(), "a%20b/c?d".to_owned())]);
        assert_eq!(path("p", Style::Simple, false, &StyleValue::Array(vec!["a,b".into(), "c".into()])), "a%2Cb,c");
        let o = StyleValue::object(&serde_json::json!({"R": 100, "name": "x y", "skip": null}));
        assert_eq!(o, StyleValue::Object(vec![("R".into(), "100".into()), ("name".into(), "x y".into())]));
    }
}
