//! The compact `Serialize`/`Deserialize` impls of model structs (through
//! `restsmith_runtime::object`), written directly as formatted Rust text.
//!
//! They are regular and large (a line or two per field of every struct), so building them as
//! token trees and then parsing and printing those with syn and prettyplease would add about
//! half to the time generation spends on a large API; text written here costs almost nothing.
//! The layout follows prettyplease's, so the models file reads the same throughout.

use std::fmt::Write;

use super::rust::{ident, serde_with, wire_format};
use crate::ir::{FieldDef, StructDef, TypeRef};

/// `Serialize`, `Deserialize` and (without secret fields, which need a redacting one) `Debug`
/// of struct `name`, each item preceded by `gate` (formatted `#[cfg(...)]` lines, or nothing).
pub fn struct_impls(name: &str, s: &StructDef, gate: &str) -> String {
    let mut out = String::with_capacity(640 + 128 * s.fields.len());
    let rust_name = ident(name).to_string();
    out.push_str(gate);
    serialize(&mut out, &rust_name, s);
    out.push_str(gate);
    deserialize(&mut out, &rust_name, s);
    if !s.fields.iter().any(|f| f.secret) {
        out.push_str(gate);
        debug(&mut out, &rust_name, name, s);
    }
    out
}

/// `Debug` like the derived one, but `#[inline]`: compiled to machine code only where
/// something formats the struct, not for every struct of the crate.
fn debug(out: &mut String, rust_name: &str, name: &str, s: &StructDef) {
    let _ = writeln!(out, "impl ::std::fmt::Debug for {rust_name} {{");
    out.push_str("    #[inline]\n    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {\n");
    if s.fields.is_empty() && s.additional_properties.is_none() {
        let _ = writeln!(out, "        ::restsmith_runtime::format::debug_struct(f, {}, &[])", literal(name));
        out.push_str("    }\n}\n");
        return;
    }
    let _ = writeln!(out, "        ::restsmith_runtime::format::debug_struct(\n            f,\n            {},\n            &[", literal(name));
    let mut field = |label: &str, place: &str| {
        let _ = writeln!(out, "                ({}, &self.{place}),", literal(label));
    };
    for f in &s.fields {
        let place = ident(&f.rust_name).to_string();
        field(&f.rust_name, &place);
    }
    if s.additional_properties.is_some() {
        field("additional_properties", "additional_properties");
    }
    out.push_str("            ],\n        )\n    }\n}\n");
}

/// A Rust string literal for `text`.
fn literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// The runtime's writer method for a field of a special wire format.
fn format_method(f: &FieldDef) -> Option<&'static str> {
    match (&f.ty, f.boxed) {
        (TypeRef::Prim(p), false) => wire_format(*p),
        _ => None,
    }
}

/// Lines that write field `f` of `value` into `fields`, indented by `pad`.
fn write_field(out: &mut String, pad: &str, f: &FieldDef) {
    let field = ident(&f.rust_name).to_string();
    let wire = literal(&f.wire_name);
    let method = format_method(f).unwrap_or("add");
    if !f.is_optional() {
        let _ = writeln!(out, "{pad}fields.{method}({wire}, &value.{field});");
        return;
    }
    let nullable = f.required && f.nullable;
    match (format_method(f).is_some(), f.read_only, nullable) {
        (false, false, false) => {
            let _ = writeln!(out, "{pad}fields.optional({wire}, &value.{field});");
        }
        (false, false, true) => {
            let _ = writeln!(out, "{pad}fields.nullable({wire}, &value.{field});");
        }
        // A special wire format: the value is passed unwrapped.
        (true, false, false) => {
            let _ = writeln!(out, "{pad}if let ::std::option::Option::Some(field) = &value.{field} {{");
            let _ = writeln!(out, "{pad}    fields.{method}({wire}, field);");
            let _ = writeln!(out, "{pad}}}");
        }
        (true, false, true) => write_nullable(out, pad, &field, &wire, method),
        // Read-only: also left out of request bodies.
        (_, true, false) => {
            let _ = writeln!(
                out,
                "{pad}if let (::std::option::Option::Some(field), false) = (&value.{field}, fields.in_request()) {{"
            );
            let _ = writeln!(out, "{pad}    fields.{method}({wire}, field);");
            let _ = writeln!(out, "{pad}}}");
        }
        (_, true, true) => {
            let _ = writeln!(out, "{pad}if !fields.in_request() {{");
            write_nullable(out, &format!("{pad}    "), &field, &wire, method);
            let _ = writeln!(out, "{pad}}}");
        }
    }
}

/// A required, nullable field: `None` is `null`.
fn write_nullable(out: &mut String, pad: &str, field: &str, wire: &str, method: &str) {
    let _ = writeln!(out, "{pad}match &value.{field} {{");
    let _ = writeln!(out, "{pad}    ::std::option::Option::Some(field) => fields.{method}({wire}, field),");
    let _ = writeln!(out, "{pad}    ::std::option::Option::None => fields.null({wire}),");
    let _ = writeln!(out, "{pad}}}");
}

/// `Serialize`: the fields are listed in a non-generic `#[inline]` function as type-erased
/// values; the generic part is one call.
fn serialize(out: &mut String, name: &str, s: &StructDef) {
    let _ = writeln!(out, "impl ::serde::Serialize for {name} {{");
    out.push_str("    fn serialize<__S: ::serde::Serializer>(\n        &self,\n        serializer: __S,\n    ) -> ::std::result::Result<__S::Ok, __S::Error> {\n");
    out.push_str("        #[inline]\n");
    let _ = writeln!(out, "        fn write(value: &{name}) -> ::restsmith_runtime::object::Fields<'_> {{");
    if s.fields.is_empty() && s.additional_properties.is_none() {
        out.push_str("            ::restsmith_runtime::object::Fields::with_capacity(0)\n");
    } else {
        let _ = writeln!(out, "            let mut fields = ::restsmith_runtime::object::Fields::with_capacity({});", s.fields.len());
        for f in &s.fields {
            write_field(out, "            ", f);
        }
        if s.additional_properties.is_some() {
            out.push_str("            for (key, field) in &value.additional_properties {\n");
            out.push_str("                fields.add(key, field);\n");
            out.push_str("            }\n");
        }
        out.push_str("            fields\n");
    }
    out.push_str("        }\n        ::serde::Serialize::serialize(&write(self), serializer)\n    }\n}\n");
}

/// The reader call that takes field `f` out of `__object`.
fn take(f: &FieldDef) -> String {
    let wire = literal(&f.wire_name);
    // The plain module's `deserialize`; the object handles `null` and absence.
    let plain_with = match (&f.ty, f.boxed) {
        (TypeRef::Prim(p), false) => serde_with(*p, false),
        _ => None,
    };
    match (plain_with, f.is_optional()) {
        (Some(module), true) => format!("__object.optional_with({wire}, {module}::deserialize)"),
        (Some(module), false) => format!("__object.required_with({wire}, {module}::deserialize)"),
        (None, true) => format!("__object.optional({wire})"),
        (None, false) => format!("__object.required({wire})"),
    }
}

/// `Deserialize`: the object is read into a map, and a non-generic `#[inline]` function takes
/// the fields out. Required fields go into locals checked by one `let … else`; optional ones
/// cannot fail on the spot (the object keeps the first error for `finish`). The locals are
/// the fields' names, so the reader is `__object` (a field may be called `object`).
fn deserialize(out: &mut String, name: &str, s: &StructDef) {
    let _ = writeln!(out, "impl<'de> ::serde::Deserialize<'de> for {name} {{");
    out.push_str("    fn deserialize<__D: ::serde::Deserializer<'de>>(\n        deserializer: __D,\n    ) -> ::std::result::Result<Self, __D::Error> {\n");
    out.push_str("        #[inline]\n");
    let empty = s.fields.is_empty() && s.additional_properties.is_none();
    let object = if empty { "_object" } else { "mut __object" };
    let _ = writeln!(
        out,
        "        fn read(\n            {object}: ::restsmith_runtime::object::Object,\n        ) -> ::restsmith_runtime::object::Result<{name}> {{"
    );
    if empty {
        let _ = writeln!(out, "            ::std::result::Result::Ok({name} {{}})");
    } else {
        let required: Vec<&FieldDef> = s.fields.iter().filter(|f| !f.is_optional()).collect();
        match required.as_slice() {
            [] => {}
            [f] => {
                let field = ident(&f.rust_name);
                let _ = writeln!(out, "            let ::std::option::Option::Some({field}) = {} else {{", take(f));
                out.push_str("                return ::std::result::Result::Err(__object.failure());\n            };\n");
            }
            fields => {
                out.push_str("            let (\n");
                for f in fields {
                    let _ = writeln!(out, "                ::std::option::Option::Some({}),", ident(&f.rust_name));
                }
                out.push_str("            ) = (\n");
                for f in fields {
                    let _ = writeln!(out, "                {},", take(f));
                }
                out.push_str("            ) else {\n                return ::std::result::Result::Err(__object.failure());\n            };\n");
            }
        }
        let _ = writeln!(out, "            let __value = {name} {{");
        for f in &s.fields {
            let field = ident(&f.rust_name);
            if f.is_optional() {
                let _ = writeln!(out, "                {field}: {},", take(f));
            } else {
                let _ = writeln!(out, "                {field},");
            }
        }
        if s.additional_properties.is_some() {
            out.push_str("                additional_properties: __object.rest(),\n");
        }
        out.push_str("            };\n            __object.finish(__value)\n");
    }
    let _ = writeln!(out, "        }}\n        ::restsmith_runtime::object::Object::deserialize(deserializer, {}, read)", literal(name));
    out.push_str("    }\n}\n");
}
