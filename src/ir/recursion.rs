//! Breaking type cycles: a struct that contains itself (directly or through other structs, by
//! value or through `Option`) has infinite size; such fields are boxed. `Vec` and maps already
//! allocate, so cycles through them need nothing.

use std::collections::{BTreeMap, BTreeSet};

use super::{TypeDef, TypeKind, TypeRef};

/// Marks `boxed` on every field that closes a by-value cycle.
pub(crate) fn box_recursive_fields(types: &mut [TypeDef]) {
    let edges: BTreeMap<String, Vec<String>> = types
        .iter()
        .map(|t| {
            let targets = match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().filter_map(|f| by_value_target(&f.ty)).collect(),
                TypeKind::Alias(r) => by_value_target(r).into_iter().collect(),
                TypeKind::Union(u) => u.variants.iter().filter_map(|v| by_value_target(&v.ty)).collect(),
                TypeKind::Enum(_) | TypeKind::External(_) => Vec::new(),
            };
            (t.name.clone(), targets)
        })
        .collect();
    for t in types.iter_mut() {
        let name = t.name.clone();
        match &mut t.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    if let Some(target) = by_value_target(&field.ty) {
                        if reaches(&edges, &target, &name) {
                            field.boxed = true;
                        }
                    }
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    if let Some(target) = by_value_target(&variant.ty) {
                        if reaches(&edges, &target, &name) {
                            variant.boxed = true;
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn by_value_target(t: &TypeRef) -> Option<String> {
    match t {
        TypeRef::Named(n) => Some(n.clone()),
        _ => None,
    }
}

/// Whether `goal` is reachable from `start` over by-value edges.
fn reaches(edges: &BTreeMap<String, Vec<String>>, start: &str, goal: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![start.to_owned()];
    while let Some(current) = stack.pop() {
        if current == goal {
            return true;
        }
        if !seen.insert(current.clone()) {
            continue;
        }
        if let Some(next) = edges.get(&current) {
            stack.extend(next.iter().cloned());
        }
    }
    false
}
