//! Sharing identical inline enums.
//!
//! Large specs repeat the same inline enum under many properties (GitHub's description has
//! 3,714 enums with only 637 distinct value lists: `state: [open, closed]` alone appears
//! dozens of times). Each Rust enum costs its derives, serde impls and conversions at compile
//! time, so an inline enum whose values, variant names and docs equal those of an earlier one
//! becomes `pub type Name = Earlier;` — same name for users, one definition for the compiler.
//! Enums declared under `components/schemas` or named by `x-ms-enum.name` keep their own
//! definitions (they are the API's named types); an inline enum equal to one of them aliases it.

use std::collections::{BTreeSet, HashMap};

use super::{EnumDef, TypeDef, TypeKind, TypeRef};

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

/// Turns every inline enum equal to an earlier one (declared ones first, then by name) into an
/// alias of it. `named` lists the enums named by `x-ms-enum.name`, which count as declared.
/// Returns how many became aliases. `types` must be sorted by name.
pub(super) fn share_identical_enums(types: &mut [TypeDef], named: &BTreeSet<String>) -> usize {
    let declared = |t: &TypeDef| is_component(&t.origin) || named.contains(&t.name);
    let mut aliases: Vec<(usize, String)> = Vec::new();
    {
        let mut canonical: HashMap<EnumKey<'_>, &str> = HashMap::new();
        let enums = || {
            types.iter().enumerate().filter_map(|(i, t)| match &t.kind {
                TypeKind::Enum(e) => Some((i, t, e)),
                _ => None,
            })
        };
        for (_, t, e) in enums().filter(|(_, t, _)| declared(t)) {
            canonical.entry(key(e)).or_insert(t.name.as_str());
        }
        for (i, t, e) in enums().filter(|(_, t, _)| !declared(t)) {
            match canonical.get(&key(e)) {
                Some(first) => aliases.push((i, (*first).to_owned())),
                None => {
                    canonical.insert(key(e), t.name.as_str());
                }
            }
        }
    }
    for (i, target) in &aliases {
        types[*i].kind = TypeKind::Alias(TypeRef::Named(target.clone()));
    }
    aliases.len()
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
