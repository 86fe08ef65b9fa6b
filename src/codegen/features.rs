//! One cargo feature per tag (the features-per-tag option): which operations and models each
//! feature compiles, so a user of a large API builds only the parts they call.
//!
//! An operation is compiled when any of its tags' features is on (always, when it has no tag).
//! A model is compiled when an operation that uses it (directly or through other models) is, or
//! when `all-models` is on (models no operation uses, e.g. webhook payloads, need it). `full`
//! (the default) turns every feature on.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

use crate::ir::{names::NameScope, ApiIr, TypeKind, TypeRef};

/// The feature that compiles every model, used by an operation or not.
pub const ALL_MODELS: &str = "all-models";
/// The default feature: everything.
pub const FULL: &str = "full";

/// Which features compile which operations and models.
#[derive(Debug, Clone, Default)]
pub struct FeaturePlan {
    /// Tag → feature name, in tag order.
    pub tag_features: BTreeMap<String, String>,
    /// Operation method name → the features that compile it (empty: always compiled).
    operations: BTreeMap<String, BTreeSet<String>>,
    /// Model name → the features that compile it; absent: always compiled.
    models: BTreeMap<String, BTreeSet<String>>,
}

impl FeaturePlan {
    /// The features of the tags and which operations they compile; every model is still
    /// ungated until [`FeaturePlan::gate_models`] is called.
    pub fn for_operations(ir: &ApiIr) -> Self {
        let mut scope = NameScope::with_reserved([FULL, ALL_MODELS, "default"]);
        let mut tag_features = BTreeMap::new();
        for op in &ir.operations {
            for tag in &op.tags {
                if !tag_features.contains_key(tag) {
                    tag_features.insert(tag.clone(), scope.claim(&feature_name(tag)));
                }
            }
        }
        let operations = ir
            .operations
            .iter()
            .map(|op| (op.method_name.clone(), op.tags.iter().filter_map(|t| tag_features.get(t).cloned()).collect()))
            .collect();
        FeaturePlan { tag_features, operations, models: BTreeMap::new() }
    }

    /// Gates each model behind the features of the operations that use it. `named[i]` holds the
    /// models the code of `ir.operations[i]` names (see [`ModelNames::named_in`]).
    pub fn gate_models(&mut self, ir: &ApiIr, named: &[BTreeSet<String>]) {
        // Model → features; `None` = always compiled (used by an untagged operation or by the
        // client itself).
        let mut reached: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
        let always_roots = always_compiled_models(ir);
        for name in &always_roots {
            spread(ir, name, None, &mut reached);
        }
        for (op, named) in ir.operations.iter().zip(named) {
            let features = self.operations.get(&op.method_name).filter(|f| !f.is_empty());
            for name in named {
                spread(ir, name, features, &mut reached);
            }
        }
        let mut models = BTreeMap::new();
        for t in &ir.types {
            match reached.get(&t.name) {
                Some(None) => {}
                Some(Some(features)) => {
                    let mut features = features.clone();
                    features.insert(ALL_MODELS.to_owned());
                    models.insert(t.name.clone(), features);
                }
                None => {
                    models.insert(t.name.clone(), BTreeSet::from([ALL_MODELS.to_owned()]));
                }
            }
        }
        self.models = models;
    }

    /// `#[cfg(...)]` for an operation's module and method (nothing when always compiled).
    pub fn operation_cfg(&self, method_name: &str) -> TokenStream {
        self.operations.get(method_name).map(cfg_any).unwrap_or_default()
    }

    /// `#[cfg(...)]` for an item several operations share: compiled when any of them is
    /// (nothing when one of them is always compiled).
    pub fn operations_cfg<'a>(&self, method_names: impl IntoIterator<Item = &'a str>) -> TokenStream {
        let mut features = BTreeSet::new();
        for name in method_names {
            match self.operations.get(name).filter(|f| !f.is_empty()) {
                Some(f) => features.extend(f.iter().cloned()),
                None => return TokenStream::new(),
            }
        }
        cfg_any(&features)
    }

    /// `#[cfg(...)]` for a model's items (nothing when always compiled).
    pub fn model_cfg(&self, model: &str) -> TokenStream {
        self.models.get(model).map(cfg_any).unwrap_or_default()
    }

    /// `#[cfg(...)]` for the `by_tag` module of `tag`.
    pub fn tag_cfg(&self, tag: &str) -> TokenStream {
        self.tag_features.get(tag).map(|f| cfg_any(&BTreeSet::from([f.clone()]))).unwrap_or_default()
    }

    /// The `[features]` table of the crate's Cargo.toml.
    pub fn cargo_table(&self) -> String {
        let quoted = |names: &mut dyn Iterator<Item = &String>| names.map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
        let mut out = String::from("\n[features]\n");
        out.push_str(&format!("default = [\"{FULL}\"]\n"));
        out.push_str("# Every operation and every model.\n");
        let mut all: Vec<&String> = vec![];
        let all_models = ALL_MODELS.to_owned();
        all.push(&all_models);
        all.extend(self.tag_features.values());
        out.push_str(&format!("{FULL} = [{}]\n", quoted(&mut all.into_iter())));
        out.push_str("# Models no operation of the enabled features uses (e.g. webhook payloads).\n");
        out.push_str(&format!("{ALL_MODELS} = []\n"));
        for (tag, feature) in &self.tag_features {
            out.push_str(&format!("# Operations tagged `{}`.\n{feature} = []\n", tag.replace('\n', " ")));
        }
        out
    }
}

/// A cargo feature name for a tag: kebab-case ASCII.
fn feature_name(tag: &str) -> String {
    let name = heck::ToKebabCase::to_kebab_case(tag);
    let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let name = name.trim_matches('-').to_owned();
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("tag-{name}").trim_end_matches('-').to_owned()
    } else {
        name
    }
}

/// `#[cfg(any(feature = "a", …))]`, or nothing for an empty set (always compiled).
fn cfg_any(features: &BTreeSet<String>) -> TokenStream {
    if features.is_empty() {
        return TokenStream::new();
    }
    let names = features.iter();
    quote!(#[cfg(any(#(feature = #names),*))])
}

/// Models the client itself names: client settings and the crate-wide error body.
fn always_compiled_models(ir: &ApiIr) -> Vec<String> {
    let mut roots = Vec::new();
    for p in &ir.client_settings {
        named_in(&p.ty, &mut roots);
    }
    if let Some(t) = super::operations::crate_error_body(ir) {
        named_in(&t, &mut roots);
    }
    roots
}

fn named_in(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(n) => out.push(n.clone()),
        TypeRef::List(inner) | TypeRef::Map(inner) => named_in(inner, out),
        TypeRef::Prim(_) | TypeRef::Any => {}
    }
}

/// Marks `model` and every model it contains as compiled by `gate` (`None`: always).
fn spread(ir: &ApiIr, model: &str, gate: Option<&BTreeSet<String>>, reached: &mut BTreeMap<String, Option<BTreeSet<String>>>) {
    let mut stack = vec![model.to_owned()];
    while let Some(name) = stack.pop() {
        let changed = match (reached.get_mut(&name), gate) {
            (Some(None), _) => false,
            (Some(slot @ Some(_)), None) => {
                *slot = None;
                true
            }
            (Some(Some(have)), Some(gate)) => {
                let before = have.len();
                have.extend(gate.iter().cloned());
                have.len() != before
            }
            (None, gate) => {
                reached.insert(name.clone(), gate.cloned());
                true
            }
        };
        if !changed {
            continue;
        }
        let Some(def) = ir.type_def(&name) else { continue };
        let mut inner = Vec::new();
        match &def.kind {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    named_in(&f.ty, &mut inner);
                }
                if let Some(extra) = &s.additional_properties {
                    named_in(extra, &mut inner);
                }
            }
            TypeKind::Alias(t) => named_in(t, &mut inner),
            TypeKind::Union(u) => {
                for v in &u.variants {
                    named_in(&v.ty, &mut inner);
                }
            }
            TypeKind::Enum(_) | TypeKind::External(_) => {}
        }
        stack.extend(inner);
    }
}

/// The names of an API's models, to find the ones a piece of generated code names.
pub struct ModelNames<'a>(std::collections::HashSet<&'a str>);

impl<'a> ModelNames<'a> {
    /// The models of `ir`.
    pub fn of(ir: &'a ApiIr) -> Self {
        ModelNames(ir.types.iter().map(|t| t.name.as_str()).collect())
    }

    /// Every identifier in `tokens` that is the name of a model.
    pub fn named_in(&self, tokens: &TokenStream) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        self.collect(tokens, &mut out);
        out
    }

    fn collect(&self, tokens: &TokenStream, out: &mut BTreeSet<String>) {
        for tree in tokens.clone() {
            match tree {
                TokenTree::Ident(i) => {
                    let text = i.to_string();
                    if self.0.contains(text.as_str()) {
                        out.insert(text);
                    }
                }
                TokenTree::Group(g) => self.collect(&g.stream(), out),
                TokenTree::Punct(_) | TokenTree::Literal(_) => {}
            }
        }
    }
}

/// `#[cfg(...)]` attributes formatted as prettyplease prints them before an item, for items
/// written as text; each distinct attribute is formatted once.
#[derive(Default)]
pub struct GateText {
    formatted: std::collections::HashMap<String, String>,
}

impl GateText {
    /// The text of `attribute` (a `#[cfg(...)]`, or nothing), ending in a newline.
    pub fn text(&mut self, attribute: &TokenStream) -> &str {
        self.formatted.entry(attribute.to_string()).or_insert_with(|| {
            if attribute.is_empty() {
                return String::new();
            }
            let item = quote::quote!(#attribute struct Gate;);
            match syn::parse2::<syn::File>(item) {
                Ok(file) => {
                    let text = prettyplease::unparse(&file);
                    text.strip_suffix("struct Gate;\n").unwrap_or(&text).to_owned()
                }
                Err(_) => String::new(),
            }
        })
    }
}

/// Puts `attribute` (a `#[cfg(...)]`, or nothing) on every item of `items`: before each item's
/// first token, where an item ends after a `;` or a `{ … }` group at the top level (what every
/// model item generated here looks like). A walk over the tokens, no parsing.
pub fn gate_items(items: TokenStream, attribute: &TokenStream) -> TokenStream {
    if attribute.is_empty() {
        return items;
    }
    let mut out = TokenStream::new();
    let mut at_item_start = true;
    for tree in items {
        if at_item_start {
            out.extend(attribute.clone());
        }
        let ends_item = match &tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => g.delimiter() == proc_macro2::Delimiter::Brace,
            _ => false,
        };
        out.extend(std::iter::once(tree));
        at_item_start = ends_item;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names_are_kebab_case_ascii() {
        assert_eq!(feature_name("Repos"), "repos");
        assert_eq!(feature_name("code-scanning"), "code-scanning");
        assert_eq!(feature_name("Virtual Machines"), "virtual-machines");
        assert_eq!(feature_name("2fa"), "tag-2fa");
        assert_eq!(feature_name("Ünïcode"), "ncode");
    }

    #[test]
    fn every_item_gets_the_attribute() {
        let items = quote! {
            #[derive(Debug)] pub struct A { a: u8 }
            impl A { fn f() { let x = 1; } }
            pub type B = A;
            pub struct C(u8);
            impl ::std::fmt::Display for C { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { Ok(()) } }
        };
        let gated = gate_items(items, &quote!(#[cfg(feature = "x")]));
        let file: syn::File = syn::parse2(gated).expect("still valid Rust");
        assert_eq!(file.items.len(), 5);
        for item in &file.items {
            let text = quote!(#item).to_string();
            assert!(text.starts_with("# [cfg (feature = \"x\")]"), "{text}");
        }
    }
}
