//! Polymorphic schemas: Azure-style inheritance (`allOf` a base that has a `discriminator`,
//! subtypes naming their value with `x-ms-discriminator-value`) found across all component
//! schemas.
//!
//! A component that has a discriminator (its own or inherited) and subtypes is *polymorphic*:
//! references to it become a union over itself and every descendant, chosen by the
//! discriminator value on the wire; its own fields live in a `…Base` struct.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind};
use serde_json::Value;

/// The inheritance structure of the component schemas.
#[derive(Debug, Default)]
pub(crate) struct Hierarchy {
    /// Component key → its discriminator property (own or nearest ancestor's).
    discriminator: BTreeMap<String, String>,
    /// Component key → direct subtypes, in document order.
    children: BTreeMap<String, Vec<String>>,
    /// Component key → the discriminator value that selects it.
    tag: BTreeMap<String, String>,
    /// Document order of the keys.
    order: Vec<String>,
}

/// `allOf` members of a schema (also when the schema has other keywords).
pub(crate) fn all_of(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(a) => &a.all_of,
        _ => &[],
    }
}

fn component_key(reference: &str) -> Option<String> {
    reference.strip_prefix("#/components/schemas/").map(crate::error::unescape_pointer_token)
}

impl Hierarchy {
    /// Builds the hierarchy of `openapi`'s component schemas.
    pub(crate) fn build(openapi: &OpenAPI) -> Self {
        let mut h = Hierarchy::default();
        let Some(components) = &openapi.components else { return h };
        let mut parents: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut own: BTreeMap<String, String> = BTreeMap::new();
        for (key, schema) in &components.schemas {
            h.order.push(key.clone());
            let ReferenceOr::Item(schema) = schema else { continue };
            if let Some(d) = &schema.schema_data.discriminator {
                own.insert(key.clone(), d.property_name.clone());
                for (value, target) in &d.mapping {
                    if let Some(target) = component_key(target) {
                        h.tag.entry(target).or_insert_with(|| value.clone());
                    }
                }
            }
            let tag = schema.schema_data.extensions.get("x-ms-discriminator-value").and_then(Value::as_str);
            if let Some(tag) = tag {
                h.tag.insert(key.clone(), tag.to_owned());
            }
            for member in all_of(schema) {
                if let ReferenceOr::Reference { reference } = member {
                    if let Some(parent) = component_key(reference) {
                        parents.entry(key.clone()).or_default().push(parent);
                    }
                }
            }
        }
        let inherited = Self::inherited(&h.order, &own, &parents);
        for key in &h.order {
            if let Some(Some(property)) = inherited.get(key) {
                h.discriminator.insert(key.clone(), property.clone());
            }
        }
        for key in &h.order {
            for parent in parents.get(key).into_iter().flatten() {
                // Only inheritance within a discriminated family makes a subtype.
                if h.discriminator.contains_key(parent) {
                    h.children.entry(parent.clone()).or_default().push(key.clone());
                }
            }
        }
        for key in h.order.clone() {
            if h.discriminator.contains_key(&key) {
                h.tag.entry(key.clone()).or_insert(key);
            }
        }
        h
    }

    /// The discriminator property of every key: its own, else the first one an `allOf` parent
    /// has (depth first, in document order). Memoized and iterative, so long chains of parents
    /// cost linear time and no stack; a parent already on the path (a cycle) contributes none.
    fn inherited(
        order: &[String],
        own: &BTreeMap<String, String>,
        parents: &BTreeMap<String, Vec<String>>,
    ) -> BTreeMap<String, Option<String>> {
        let mut memo: BTreeMap<String, Option<String>> = BTreeMap::new();
        let mut on_path: BTreeSet<String> = BTreeSet::new();
        let none: Vec<String> = Vec::new();
        for key in order {
            let mut stack: Vec<(String, usize)> = vec![(key.clone(), 0)];
            while let Some((current, next)) = stack.last().cloned() {
                if memo.contains_key(&current) {
                    on_path.remove(&current);
                    stack.pop();
                    continue;
                }
                if let Some(p) = own.get(&current) {
                    memo.insert(current.clone(), Some(p.clone()));
                    continue;
                }
                on_path.insert(current.clone());
                let list = parents.get(&current).unwrap_or(&none);
                let mut index = next;
                let mut outcome: Option<Option<String>> = None;
                let mut descend: Option<String> = None;
                while let Some(parent) = list.get(index) {
                    match memo.get(parent) {
                        Some(Some(found)) => {
                            outcome = Some(Some(found.clone()));
                            break;
                        }
                        Some(None) => index += 1,
                        None if on_path.contains(parent) => index += 1,
                        None => {
                            descend = Some(parent.clone());
                            break;
                        }
                    }
                }
                if let Some(frame) = stack.last_mut() {
                    frame.1 = index;
                }
                match (outcome, descend) {
                    (Some(found), _) => {
                        memo.insert(current, found);
                    }
                    (None, Some(parent)) => stack.push((parent, 0)),
                    (None, None) => {
                        memo.insert(current, None);
                    }
                }
            }
        }
        memo
    }

    /// Whether references to `key` become a union.
    pub(crate) fn is_polymorphic(&self, key: &str) -> bool {
        self.discriminator.contains_key(key) && self.children.get(key).is_some_and(|c| !c.is_empty())
    }

    /// The discriminator property of `key`, if it belongs to a discriminated family.
    pub(crate) fn discriminator(&self, key: &str) -> Option<&str> {
        self.discriminator.get(key).map(String::as_str)
    }

    /// The discriminator value that selects `key`.
    pub(crate) fn tag(&self, key: &str) -> Option<&str> {
        self.tag.get(key).map(String::as_str)
    }

    /// Every descendant of `key` (depth first, document order), without `key` itself.
    pub(crate) fn descendants(&self, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        self.collect(key, &mut out, &mut seen);
        out
    }

    fn collect(&self, key: &str, out: &mut Vec<String>, seen: &mut BTreeSet<String>) {
        for child in self.children.get(key).into_iter().flatten() {
            if seen.insert(child.clone()) {
                out.push(child.clone());
                self.collect(child, out, seen);
            }
        }
    }
}
