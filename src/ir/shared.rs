//! Sharing identical inline enums and structs.
//!
//! Large specs repeat the same inline enum under many properties (GitHub's description has
//! 3,714 enums with only 637 distinct value lists: `state: [open, closed]` alone appears
//! dozens of times). Each Rust enum costs its derives, serde impls and conversions at compile
//! time, so an inline enum whose values, variant names and docs equal those of an earlier one
//! becomes `pub type Name = Earlier;` — same name for users, one definition for the compiler.
//! Enums declared under `components/schemas` or named by `x-ms-enum.name` keep their own
//! definitions (they are the API's named types); an inline enum equal to one of them aliases it.
//!
//! Inline structs are shared the same way once their fields are equal — names, wire names,
//! docs, flags, defaults and types, where two field types are equal when they name the same
//! type after aliases are followed. Sharing one struct can make others equal, so the struct
//! pass repeats until nothing changes.

use std::collections::{BTreeSet, HashMap};

use super::{EnumDef, StructDef, TypeDef, TypeKind, TypeRef};

/// Whether `origin` (a JSON pointer) is a schema declared under `components/schemas` itself.
fn is_component(origin: &str) -> bool {
    origin
        .strip_prefix("/components/schemas/")
        .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
}

/// What makes two enums interchangeable: kind, extensibility and every variant.
type EnumKey<'a> = (bool, bool, Vec<(&'a str, &'a str, Option<&'a str>)>);

fn key(e: &EnumDef) -> EnumKey<'_> {
    (
        e.integer,
        e.extensible,
        e.variants
            .iter()
            .map(|v| (v.rust_name.as_str(), v.wire_value.as_str(), v.doc.as_deref()))
            .collect(),
    )
}

/// The aliases that make every type `key` gives a key equal to an earlier one's: (index of the
/// type, name of the earlier one). Declared types come first (and never become aliases), then
/// the others in `types` order; a type without a key takes no part.
fn duplicates<'a, K: std::hash::Hash + Eq>(
    types: &'a [TypeDef],
    declared: impl Fn(&TypeDef) -> bool,
    key: impl Fn(usize, &'a TypeDef) -> Option<K>,
) -> Vec<(usize, String)> {
    let keyed: Vec<(usize, &TypeDef, K)> = types.iter().enumerate().filter_map(|(i, t)| Some((i, t, key(i, t)?))).collect();
    let mut canonical: HashMap<&K, &str> = HashMap::new();
    for (_, t, key) in keyed.iter().filter(|(_, t, _)| declared(t)) {
        canonical.entry(key).or_insert(t.name.as_str());
    }
    let mut aliases = Vec::new();
    for (i, t, key) in keyed.iter().filter(|(_, t, _)| !declared(t)) {
        match canonical.get(key) {
            Some(first) => aliases.push((*i, (*first).to_owned())),
            None => {
                canonical.insert(key, t.name.as_str());
            }
        }
    }
    aliases
}

/// Turns every inline enum equal to an earlier one (declared ones first, then by name) into an
/// alias of it. `named` lists the enums named by `x-ms-enum.name`, which count as declared.
/// Returns how many became aliases. `types` must be sorted by name.
pub(super) fn share_identical_enums(types: &mut [TypeDef], named: &BTreeSet<String>) -> usize {
    let declared = |t: &TypeDef| is_component(&t.origin) || named.contains(&t.name);
    let aliases = duplicates(types, declared, |_, t| match &t.kind {
        TypeKind::Enum(e) => Some(key(e)),
        _ => None,
    });
    for (i, target) in &aliases {
        types[*i].kind = TypeKind::Alias(TypeRef::Named(target.clone()));
    }
    aliases.len()
}

/// The type an alias chain ends at (`name` itself when it is no alias).
fn resolve<'a>(by_name: &HashMap<&'a str, usize>, types: &'a [TypeDef], name: &'a str) -> &'a str {
    let mut current = name;
    for _ in 0..types.len() {
        match by_name.get(current).map(|&i| &types[i].kind) {
            Some(TypeKind::Alias(TypeRef::Named(next))) => current = next,
            _ => break,
        }
    }
    current
}

/// `t` with every named type replaced by the end of its alias chain, as text.
fn canonical_ref(by_name: &HashMap<&str, usize>, types: &[TypeDef], t: &TypeRef, out: &mut String) {
    match t {
        TypeRef::Named(n) => {
            out.push('#');
            out.push_str(resolve(by_name, types, n));
        }
        TypeRef::Prim(p) => out.push_str(&format!("{p:?}")),
        TypeRef::List(inner) => {
            out.push('[');
            canonical_ref(by_name, types, inner, out);
            out.push(']');
        }
        TypeRef::Map(inner) => {
            out.push('{');
            canonical_ref(by_name, types, inner, out);
            out.push('}');
        }
        TypeRef::Any => out.push('*'),
    }
}

/// What makes two structs interchangeable apart from their field types (which change as
/// aliases are made): every field's names, docs, flags and default, as one string.
fn fixed_struct_key(s: &StructDef) -> String {
    let mut key = String::new();
    for f in &s.fields {
        key.push_str(&format!(
            "{:?}|{:?}|{:?}|{}{}{}{}{}|{:?}|{:?}\n",
            f.rust_name,
            f.wire_name,
            f.doc,
            u8::from(f.required),
            u8::from(f.nullable),
            u8::from(f.read_only),
            u8::from(f.secret),
            u8::from(f.boxed),
            f.discriminator_value,
            f.default.as_ref().map(ToString::to_string),
        ));
    }
    key.push_str(&format!("batch:{:?}", s.batch_result));
    key
}

/// The types of a struct's fields (and of its additional properties), each named type
/// replaced by the end of its alias chain, as one string.
fn field_types_key(by_name: &HashMap<&str, usize>, types: &[TypeDef], s: &StructDef) -> String {
    let mut key = String::new();
    for f in &s.fields {
        canonical_ref(by_name, types, &f.ty, &mut key);
        key.push('\n');
    }
    key.push_str("additional:");
    if let Some(t) = &s.additional_properties {
        canonical_ref(by_name, types, t, &mut key);
    }
    key
}

/// Turns every inline struct equal to an earlier one (components first, then by name) into an
/// alias of it, repeating until no more become equal. Returns how many became aliases.
/// `types` must be sorted by name.
pub(super) fn share_identical_structs(types: &mut [TypeDef]) -> usize {
    // The part of each struct's key that aliasing cannot change, made once.
    let fixed: Vec<Option<String>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct(s) => Some(fixed_struct_key(s)),
            _ => None,
        })
        .collect();
    let mut total = 0;
    loop {
        let aliases = {
            let by_name: HashMap<&str, usize> = types.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
            duplicates(
                types,
                |t| is_component(&t.origin),
                |i, t| match (&t.kind, &fixed[i]) {
                    (TypeKind::Struct(s), Some(fixed)) => Some((fixed.as_str(), field_types_key(&by_name, types, s))),
                    _ => None,
                },
            )
        };
        if aliases.is_empty() {
            return total;
        }
        total += aliases.len();
        for (i, target) in aliases {
            types[i].kind = TypeKind::Alias(TypeRef::Named(target));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::EnumVariant;

    fn enum_def(name: &str, origin: &str, values: &[&str]) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: None,
            origin: origin.into(),
            kind: TypeKind::Enum(EnumDef {
                variants: values
                    .iter()
                    .map(|v| EnumVariant { rust_name: heck::ToUpperCamelCase::to_upper_camel_case(*v), wire_value: (*v).into(), doc: None })
                    .collect(),
                extensible: true,
                integer: false,
            }),
        }
    }

    fn target(t: &TypeDef) -> Option<&str> {
        match &t.kind {
            TypeKind::Alias(TypeRef::Named(n)) => Some(n),
            _ => None,
        }
    }

    #[test]
    fn inline_duplicates_alias_the_component_or_the_first() {
        let mut types = vec![
            enum_def("AState", "/paths/~1a/get/parameters/0/schema", &["open", "closed"]),
            enum_def("BState", "/components/schemas/B/properties/state", &["open", "closed"]),
            enum_def("Colour", "/components/schemas/Colour", &["red", "blue"]),
            enum_def("PaintColour", "/components/schemas/Paint/properties/colour", &["red", "blue"]),
            enum_def("Shade", "/components/schemas/Shade", &["red", "blue"]),
            enum_def("Tint", "/components/schemas/Tint/properties/tint", &["red", "blue"]),
            enum_def("ZState", "/components/schemas/Z/properties/state", &["closed", "open"]),
        ];
        let named = BTreeSet::from(["Tint".to_owned()]);
        assert_eq!(share_identical_enums(&mut types, &named), 2);
        let targets: Vec<Option<&str>> = types.iter().map(target).collect();
        // BState = AState (first inline one); PaintColour = Colour (a component wins); Shade
        // is a component and Tint is named by x-ms-enum: both stay; ZState's values are in
        // another order: its own type.
        assert_eq!(targets, [None, Some("AState"), None, Some("Colour"), None, None, None]);
    }

    fn struct_def(name: &str, origin: &str, fields: &[(&str, TypeRef)]) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: None,
            origin: origin.into(),
            kind: TypeKind::Struct(StructDef {
                fields: fields
                    .iter()
                    .map(|(n, ty)| crate::ir::FieldDef {
                        rust_name: (*n).into(),
                        wire_name: (*n).into(),
                        doc: None,
                        ty: ty.clone(),
                        required: false,
                        nullable: false,
                        read_only: false,
                        secret: false,
                        boxed: false,
                        discriminator_value: None,
                        default: None,
                    })
                    .collect(),
                ..StructDef::default()
            }),
        }
    }

    #[test]
    fn structs_become_equal_once_their_field_types_are_shared() {
        let named = |n: &str| TypeRef::Named(n.into());
        let string = TypeRef::Prim(crate::ir::Primitive::String);
        let mut types = vec![
            enum_def("AState", "/x/a/state", &["open", "closed"]),
            struct_def("AStatus", "/x/a", &[("state", named("AState")), ("note", string.clone())]),
            enum_def("BState", "/x/b/state", &["open", "closed"]),
            struct_def("BStatus", "/x/b", &[("state", named("BState")), ("note", string.clone())]),
            struct_def("CStatus", "/x/c", &[("state", named("BState")), ("other", string.clone())]),
            struct_def("Wrapper1", "/x/w1", &[("items", TypeRef::List(Box::new(named("BStatus"))))]),
            struct_def("Wrapper2", "/x/w2", &[("items", TypeRef::List(Box::new(named("AStatus"))))]),
        ];
        assert_eq!(share_identical_enums(&mut types, &BTreeSet::new()), 1);
        // BStatus = AStatus once BState = AState; then Wrapper2 = Wrapper1 (a second round).
        assert_eq!(share_identical_structs(&mut types), 2);
        let targets: Vec<Option<&str>> = types.iter().map(target).collect();
        assert_eq!(targets, [None, None, Some("AState"), Some("AStatus"), None, None, Some("Wrapper1")]);
    }

    #[test]
    fn kind_and_extensibility_matter() {
        let mut closed = enum_def("Closed", "/x/closed", &["a"]);
        if let TypeKind::Enum(e) = &mut closed.kind {
            e.extensible = false;
        }
        let mut types = vec![enum_def("Aa", "/x/a", &["a"]), closed, enum_def("Open", "/x/open", &["a"])];
        assert_eq!(share_identical_enums(&mut types, &BTreeSet::new()), 1);
        assert_eq!(types.iter().map(target).collect::<Vec<_>>(), [None, None, Some("Aa")]);
    }
}
