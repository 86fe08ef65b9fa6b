//! Small token helpers shared by the codegen modules: identifiers, type paths, doc attributes.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Primitive, TypeRef};

/// An identifier. Names in the IR are already valid, keyword-free ASCII identifiers; anything
/// else is made into one rather than panicking.
pub fn ident(name: &str) -> Ident {
    let mut clean: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if clean.is_empty() || clean.starts_with(|c: char| c.is_ascii_digit()) {
        clean.insert(0, '_');
    }
    if clean == "_" {
        clean.push('x');
    }
    if syn::parse_str::<Ident>(&clean).is_err() {
        clean.push('_');
    }
    Ident::new(&clean, Span::call_site())
}

/// The Rust type of a [`TypeRef`], with fully qualified paths. `models` is the path prefix of
/// named types (`crate::models` from outside the models module, empty inside it).
pub fn type_tokens(t: &TypeRef, models: &TokenStream) -> TokenStream {
    match t {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#models #name)
        }
        TypeRef::Prim(p) => primitive_tokens(*p),
        TypeRef::List(inner) => {
            let inner = type_tokens(inner, models);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, models);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Any => quote!(::serde_json::Value),
    }
}

/// The Rust type of a primitive.
pub fn primitive_tokens(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(String),
        Primitive::Bool => quote!(bool),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::F32 => quote!(f32),
        Primitive::F64 => quote!(f64),
        Primitive::DateTime | Primitive::DateTimeRfc1123 | Primitive::UnixTime => {
            quote!(::restsmith_runtime::chrono::DateTime<::restsmith_runtime::chrono::Utc>)
        }
        Primitive::Date => quote!(::restsmith_runtime::chrono::NaiveDate),
        Primitive::Uuid => quote!(::restsmith_runtime::uuid::Uuid),
        Primitive::Bytes => quote!(Vec<u8>),
        Primitive::Binary => quote!(::restsmith_runtime::bytes::Bytes),
    }
}

/// How the runtime names a special wire format: its `serde_helpers` module, its
/// `object::Format` variant (writing) and its `object` reader type (reading).
pub struct WireFormat {
    pub module: &'static str,
    pub format: &'static str,
    pub reader: &'static str,
}

/// The special wire format of primitive `p`, if it has one.
pub fn wire_format(p: Primitive) -> Option<WireFormat> {
    let (module, format, reader) = match p {
        Primitive::DateTime => ("date_time", "DateTime", "DateTimeText"),
        Primitive::DateTimeRfc1123 => ("rfc1123", "Rfc1123", "Rfc1123Text"),
        Primitive::UnixTime => ("unix_time", "UnixTime", "UnixTime"),
        Primitive::Bytes => ("base64", "Base64", "Base64Text"),
        _ => return None,
    };
    Some(WireFormat { module, format, reader })
}

/// The serde helper module for a field of primitive type `p`, if it needs one.
pub fn serde_with(p: Primitive, optional: bool) -> Option<String> {
    let module = wire_format(p)?.module;
    Some(if optional {
        format!("::restsmith_runtime::serde_helpers::{module}::option")
    } else {
        format!("::restsmith_runtime::serde_helpers::{module}")
    })
}

/// `#[doc = "..."]` attributes for documentation text from the spec (sanitized for rustdoc),
/// or nothing.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) if !text.trim().is_empty() => lines_to_doc(&sanitize_doc(text)),
        _ => TokenStream::new(),
    }
}

/// `#[doc = "..."]` attributes for markdown written by restsmith itself (not sanitized).
pub fn trusted_doc(text: &str) -> TokenStream {
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines_to_doc(&lines)
}

/// Doc attributes from prepared lines.
pub fn lines_to_doc(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Makes spec prose safe for rustdoc: no accidental code blocks (indented lines, unlabeled
/// fences would become doctests), no intra-doc links from `[brackets]`, no HTML tags from
/// `<placeholders>`, bare URLs wrapped in `<…>`.
pub fn sanitize_doc(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                out.push("```text".to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().to_owned());
            continue;
        }
        out.push(escape_markdown_line(trimmed));
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out
}

fn escape_markdown_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(url_len) = url_prefix_len(rest) {
            let url = &rest[..url_len];
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url_len..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Length of an `http(s)://…` URL at the start of `s`.
fn url_prefix_len(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let end = s
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')' | ']' | '`'))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':']);
    (url.len() > "https://".len()).then_some(url.len())
}

/// `impl Debug` for struct `ty` (shown as `name`) listing `fields` (label, expression) like the
/// derived one, but `#[inline]`: a crate then compiles it to machine code only where
/// something formats the type (a derived `fmt` is compiled in the generated crate, used or not).
pub fn inline_debug(ty: &TokenStream, name: &str, fields: &[(String, TokenStream)]) -> TokenStream {
    let fields = fields.iter().map(|(label, value)| {
        let label = label.strip_prefix("r#").unwrap_or(label);
        quote!((#label, &#value))
    });
    quote! {
        impl ::std::fmt::Debug for #ty {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::restsmith_runtime::format::debug_struct(f, #name, &[#(#fields),*])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_are_made_safe() {
        let lines = sanitize_doc("Name [a] <b>\n    indented code\nSee https://x.y/z. Done\n```\nfn f() {}\n```");
        assert_eq!(
            lines,
            vec![
                "Name \\[a\\] \\<b\\>",
                "indented code",
                "See <https://x.y/z>. Done",
                "```text",
                "fn f() {}",
                "```"
            ]
        );
        assert_eq!(sanitize_doc("a_b `c`"), vec!["a_b `c`"]);
    }
}
