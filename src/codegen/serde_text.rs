//! The compact impls of model structs (through `restsmith_runtime::object`), written directly
//! as formatted Rust text: the field list (`ListFields`) that `Serialize`, `Debug` and
//! `PartialEq` share, and `Deserialize` taking every field in one call.
//!
//! They are regular and large (a line or two per field of every struct), so building them as
//! token trees and then parsing and printing those with syn and prettyplease would add about
//! half to the time generation spends on a large API; text written here costs almost nothing.
//! The layout follows prettyplease's, so the models file reads the same throughout.

use std::fmt::Write;

use super::rust::{ident, wire_format, WireFormat};
use crate::ir::{FieldDef, StructDef, TypeRef};

/// The impls of struct `name`, each item preceded by `gate` (formatted `#[cfg(...)]` lines, or
/// nothing): `ListFields`, `Serialize`, `Deserialize`, `Debug` (unless a field is secret, which
/// needs a redacting one) and `PartialEq` (when `eq`; else it is derived).
pub fn struct_impls(name: &str, s: &StructDef, gate: &str, eq: bool) -> String {
    let mut out = String::with_capacity(800 + 160 * s.fields.len());
    let rust_name = ident(name).to_string();
    out.push_str(gate);
    list_fields(&mut out, &rust_name, s);
    out.push_str(gate);
    let _ = writeln!(out, "impl ::serde::Serialize for {rust_name} {{");
    out.push_str("    fn serialize<__S: ::serde::Serializer>(\n        &self,\n        serializer: __S,\n    ) -> Result<__S::Ok, __S::Error> {\n");
    out.push_str("        ::restsmith_runtime::object::serialize(self, serializer)\n    }\n}\n");
    out.push_str(gate);
    deserialize(&mut out, &rust_name, s);
    if !s.fields.iter().any(|f| f.secret) {
        out.push_str(gate);
        let _ = writeln!(out, "impl ::std::fmt::Debug for {rust_name} {{");
        out.push_str("    #[inline]\n    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {\n");
        let _ = writeln!(out, "        ::restsmith_runtime::object::ListFields::list_fields(self).debug(f, {})", literal(name));
        out.push_str("    }\n}\n");
    }
    if eq {
        out.push_str(gate);
        let _ = writeln!(out, "impl ::std::cmp::PartialEq for {rust_name} {{");
        out.push_str("    #[inline]\n    fn eq(&self, other: &Self) -> bool {\n");
        out.push_str("        ::restsmith_runtime::object::ListFields::list_fields(self)\n");
        out.push_str("            == ::restsmith_runtime::object::ListFields::list_fields(other)\n    }\n}\n");
    }
    out
}

/// A Rust string literal for `text`.
fn literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// The special wire format of field `f`, if it has one (not for a boxed value).
fn format_of(f: &FieldDef) -> Option<WireFormat> {
    match (&f.ty, f.boxed) {
        (TypeRef::Prim(p), false) => wire_format(*p),
        _ => None,
    }
}

/// `ListFields`: every field with how it is written. Optional fields are left out of the
/// serialized form when `None` (a required, nullable one is `null`); read-only ones also out
/// of request bodies. `Debug` shows the Rust name, so one that differs from the wire name is
/// given.
fn list_fields(out: &mut String, name: &str, s: &StructDef) {
    let _ = writeln!(out, "impl ::restsmith_runtime::object::ListFields for {name} {{");
    out.push_str("    #[inline]\n    fn list_fields(&self) -> ::restsmith_runtime::object::Fields<'_> {\n");
    let count = s.fields.len() + usize::from(s.additional_properties.is_some());
    if count == 0 {
        out.push_str("        ::restsmith_runtime::object::Fields::with_capacity(0)\n    }\n}\n");
        return;
    }
    let _ = writeln!(out, "        let mut fields = ::restsmith_runtime::object::Fields::with_capacity({count});");
    for f in &s.fields {
        let field = ident(&f.rust_name);
        let wire = literal(&f.wire_name);
        let omitted = f.is_optional() && !(f.required && f.nullable);
        let method = if omitted { "optional" } else { "add" };
        match format_of(f) {
            Some(WireFormat { format, .. }) => {
                let _ = writeln!(
                    out,
                    "        fields.{method}_as({wire}, &self.{field}, ::restsmith_runtime::object::Format::{format});"
                );
            }
            None => {
                let _ = writeln!(out, "        fields.{method}({wire}, &self.{field});");
            }
        }
        if f.is_optional() && f.read_only {
            out.push_str("        fields.read_only();\n");
        }
        if f.rust_name != f.wire_name {
            let _ = writeln!(out, "        fields.label({});", literal(&f.rust_name));
        }
    }
    if s.additional_properties.is_some() {
        out.push_str("        fields.rest(&self.additional_properties);\n");
    }
    out.push_str("        fields\n    }\n}\n");
}

/// A tuple of at most 16 elements (the runtime's readers take no more), some of them tuples.
enum Tuple {
    Leaf(String),
    Group(Vec<Tuple>),
}

/// `items` as tuples of at most 16, nested when there are more.
fn nest(mut items: Vec<Tuple>) -> Vec<Tuple> {
    while items.len() > 16 {
        let mut groups = Vec::new();
        let mut rest = items.into_iter().peekable();
        while rest.peek().is_some() {
            groups.push(Tuple::Group(rest.by_ref().take(16).collect()));
        }
        items = groups;
    }
    items
}

/// A tuple's text: on one line if it fits in 100 columns after `indent`, else one element per
/// line (as prettyplease lays them out).
fn tuple_text(items: &[Tuple], indent: usize) -> String {
    let flat = |items: &[Tuple]| -> String {
        fn flat_one(t: &Tuple) -> String {
            match t {
                Tuple::Leaf(text) => text.clone(),
                Tuple::Group(items) => wrap(items.iter().map(flat_one).collect()),
            }
        }
        wrap(items.iter().map(flat_one).collect())
    };
    let line = flat(items);
    if indent + line.len() <= 100 {
        return line;
    }
    let pad = " ".repeat(indent + 4);
    let mut out = String::from("(\n");
    for item in items {
        let text = match item {
            Tuple::Leaf(text) => text.clone(),
            Tuple::Group(inner) => tuple_text(inner, indent + 4),
        };
        let _ = writeln!(out, "{pad}{text},");
    }
    out.push_str(&" ".repeat(indent));
    out.push(')');
    out
}

/// `(a, b)`, or `(a,)` for one element.
fn wrap(parts: Vec<String>) -> String {
    if parts.len() == 1 {
        format!("({},)", parts[0])
    } else {
        format!("({})", parts.join(", "))
    }
}

/// `items` as a slice literal, wrapped at 100 columns after `indent`.
fn slice_text(items: &[String], indent: usize) -> String {
    let line = format!("&[{}]", items.join(", "));
    if indent + line.len() <= 100 {
        return line;
    }
    let pad = " ".repeat(indent + 4);
    let mut out = String::from("&[\n");
    let mut current = String::new();
    for item in items {
        if !current.is_empty() && pad.len() + current.len() + item.len() + 2 > 100 {
            let _ = writeln!(out, "{pad}{}", current.trim_end());
            current.clear();
        }
        current.push_str(item);
        current.push_str(", ");
    }
    let _ = writeln!(out, "{pad}{}", current.trim_end());
    out.push_str(&" ".repeat(indent));
    out.push(']');
    out
}

/// `Deserialize`: the object is read into a map, and a non-generic `#[inline]` function takes
/// every field at once with the runtime's readers (`Required<_>`, `Optional<_>`, or one of a
/// wire format), in one `let … else`. The locals are the fields' names, so the reader is
/// `__object` (a field may be called `object`).
fn deserialize(out: &mut String, name: &str, s: &StructDef) {
    let _ = writeln!(out, "impl<'de> ::serde::Deserialize<'de> for {name} {{");
    out.push_str("    fn deserialize<__D: ::serde::Deserializer<'de>>(\n        deserializer: __D,\n    ) -> Result<Self, __D::Error> {\n");
    out.push_str("        #[inline]\n");
    let empty = s.fields.is_empty() && s.additional_properties.is_none();
    let object = if empty { "_object" } else { "mut __object" };
    let _ = writeln!(
        out,
        "        fn read(\n            {object}: ::restsmith_runtime::object::Object,\n        ) -> ::restsmith_runtime::object::Result<{name}> {{"
    );
    if empty {
        let _ = writeln!(out, "            Ok({name} {{}})");
    } else {
        if !s.fields.is_empty() {
            let items = s.fields.iter().map(|f| {
                let reader = match (format_of(f), f.is_optional()) {
                    (Some(wire), true) => format!("OptionalAs<::restsmith_runtime::object::{}>", wire.reader),
                    (Some(wire), false) => format!("RequiredAs<::restsmith_runtime::object::{}>", wire.reader),
                    (None, true) => "Optional<_>".to_owned(),
                    (None, false) => "Required<_>".to_owned(),
                };
                (ident(&f.rust_name).to_string(), format!("::restsmith_runtime::object::{reader}"))
            });
            let (patterns, readers): (Vec<Tuple>, Vec<Tuple>) =
                items.map(|(pattern, reader)| (Tuple::Leaf(pattern), Tuple::Leaf(reader))).unzip();
            let keys: Vec<String> = s.fields.iter().map(|f| literal(&f.wire_name)).collect();
            let _ = writeln!(out, "            let Some({}) = __object", tuple_text(&nest(patterns), 12));
            let _ = writeln!(out, "                .fields::<{}>({})", tuple_text(&nest(readers), 16), slice_text(&keys, 16));
            out.push_str("            else {\n                return Err(__object.failure());\n            };\n");
        }
        let _ = writeln!(out, "            let __value = {name} {{");
        for f in &s.fields {
            let _ = writeln!(out, "                {},", ident(&f.rust_name));
        }
        if s.additional_properties.is_some() {
            out.push_str("                additional_properties: __object.rest(),\n");
        }
        out.push_str("            };\n            __object.finish(__value)\n");
    }
    let _ = writeln!(out, "        }}\n        ::restsmith_runtime::object::Object::deserialize(deserializer, {}, read)", literal(name));
    out.push_str("    }\n}\n");
}
