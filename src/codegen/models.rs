//! `models.rs`: one item per named type, plus round-trip tests built from the spec's examples.

use proc_macro2::TokenStream;
use quote::quote;

use super::errors::error_body_impl;
use super::serde_text;
use super::features::FeaturePlan;
use super::rust::{doc_attrs, ident, lines_to_doc, sanitize_doc, serde_with, type_tokens};
use crate::ir::{ApiIr, EnumDef, EnumVariant, FieldDef, StructDef, TypeDef, TypeKind, TypeRef, UnionDef};

/// Tokens of the whole models module.
pub fn models_file(ir: &ApiIr, plan: Option<&FeaturePlan>) -> TokenStream {
    let chunks = gated_model_chunks(ir, model_items(ir), plan).map(|(tokens, text)| {
        let impls = text.parse::<TokenStream>().unwrap_or_else(|e| {
            let message = format!("restsmith wrote invalid serde impls: {e}");
            quote!(::core::compile_error!(#message);)
        });
        quote!(#tokens #impls)
    });
    quote!(#(#chunks)*)
}

/// One model's items, not yet gated by features.
pub struct ModelItems<'a> {
    /// The model's name.
    name: String,
    /// Its items, as tokens.
    tokens: TokenStream,
    /// A struct that gets the compact serde impls (written as text by [`serde_text`]).
    serde_impls: Option<&'a StructDef>,
}

/// The items of every model, not yet gated by features: the types in `ir.types` order, then
/// the error-body impls.
pub fn model_items(ir: &ApiIr) -> Vec<ModelItems<'_>> {
    let compact = !uses_serde_derive(ir);
    let items = ir.types.iter().map(|t| ModelItems {
        name: t.name.clone(),
        tokens: type_item(ir, t),
        serde_impls: match &t.kind {
            TypeKind::Struct(s) if compact => Some(s),
            _ => None,
        },
    });
    let error_impls = error_types(ir).into_iter().filter_map(|name| {
        let tokens = error_body_impl(ir, &name)?;
        Some(ModelItems { name, tokens, serde_impls: None })
    });
    items.chain(error_impls).collect()
}

/// The models module in pieces that can be formatted one at a time: for each model, its items
/// as tokens and its serde impls as formatted text (maybe empty), each gated by the features
/// that compile the model (with features per tag); then the example tests.
pub fn gated_model_chunks<'a>(
    ir: &'a ApiIr,
    items: Vec<ModelItems<'a>>,
    plan: Option<&'a FeaturePlan>,
) -> impl Iterator<Item = (TokenStream, String)> + 'a {
    let mut gates = super::features::GateText::default();
    let items = items.into_iter().map(move |model| {
        let cfg = plan.map(|plan| plan.model_cfg(&model.name)).unwrap_or_default();
        let text = match model.serde_impls {
            Some(s) => serde_text::struct_impls(&model.name, s, gates.text(&cfg), compact_eq(ir)),
            None => String::new(),
        };
        (super::features::gate_items(model.tokens, &cfg), text)
    });
    items.chain(std::iter::once_with(move || (example_tests(ir, plan), String::new())))
}

/// Names of the named types used as error bodies.
pub fn error_types(ir: &ApiIr) -> Vec<String> {
    let mut names: Vec<String> = ir
        .operations
        .iter()
        .flat_map(|o| o.error_type.iter().chain(o.errors.iter().filter_map(|e| e.ty.as_ref())))
        .filter_map(|t| match t {
            // An alias (e.g. a shared type) gets its impl on the type it names.
            TypeRef::Named(n) => Some(ir.resolved_def(n).map_or_else(|| n.clone(), |d| d.name.clone())),
            _ => None,
        })
        .collect();
    // A polymorphic error type delegates to its variants, which need the impl too.
    let mut i = 0;
    while i < names.len() {
        if let Some(TypeKind::Union(u)) = ir.resolved_def(&names[i]).map(|d| &d.kind) {
            for v in &u.variants {
                if let TypeRef::Named(n) = &v.ty {
                    let n = ir.resolved_def(n).map_or_else(|| n.clone(), |d| d.name.clone());
                    if !names.contains(&n) {
                        names.push(n);
                    }
                }
            }
        }
        i += 1;
    }
    names.sort();
    names.dedup();
    names
}

fn type_item(ir: &ApiIr, t: &TypeDef) -> TokenStream {
    let doc = doc_attrs(t.doc.as_deref());
    match &t.kind {
        TypeKind::Struct(s) => struct_item(ir, &t.name, s, doc),
        TypeKind::Enum(e) => {
            let extra = extra_derives(ir, ENUM_IMPLS);
            enum_item(&t.name, e, quote!(#doc #extra))
        }
        TypeKind::Union(u) => {
            let extra = extra_derives(ir, UNION_IMPLS);
            union_item(&t.name, u, quote!(#doc #extra), uses_serde_derive(ir))
        }
        TypeKind::External(path) => {
            let name = ident(&t.name);
            let path: TokenStream = path.parse().unwrap_or_default();
            quote! {
                #doc
                ///
                /// Replaced by a type of your own (a generation option).
                pub type #name = #path;
            }
        }
        TypeKind::Alias(target) => {
            let name = ident(&t.name);
            let target = type_tokens(target, &TokenStream::new());
            quote! { #doc pub type #name = #target; }
        }
    }
}

fn field_type(f: &FieldDef) -> TokenStream {
    let inner = type_tokens(&f.ty, &TokenStream::new());
    let inner = if f.boxed { quote!(Box<#inner>) } else { inner };
    if f.is_optional() {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

/// Whether structs derive serde's `Deserialize` (with `#[serde]` attributes) instead of the
/// compact hand-written one: asked for, or needed by the user's extra attributes (`serde(…)`)
/// or derives of traits outside std and serde (e.g. `schemars::JsonSchema`, which reads
/// `#[serde]` attributes).
pub fn uses_serde_derive(ir: &ApiIr) -> bool {
    let foreign_derive = |path: &String| {
        let first = path.trim().trim_start_matches("::").split("::").next().unwrap_or_default().trim();
        path.contains("::") && !matches!(first, "std" | "core" | "serde")
    };
    ir.options.serde_derive
        || ir.options.extra_attributes.iter().any(|a| a.contains("serde") || a.contains("derive"))
        || ir.options.extra_derives.iter().any(foreign_derive)
}

/// Whether compact structs implement `PartialEq` through their field list (with the other
/// compact impls) instead of deriving it: not when the user derives a trait that must agree
/// with a derived `PartialEq` (`Eq`, `Hash`, `PartialOrd`, `Ord`).
pub fn compact_eq(ir: &ApiIr) -> bool {
    let needs_derived_eq = |path: &String| {
        let last = path.rsplit("::").next().unwrap_or_default().trim();
        matches!(last, "Eq" | "Hash" | "PartialOrd" | "Ord")
    };
    !uses_serde_derive(ir) && !ir.options.extra_derives.iter().any(needs_derived_eq)
}

fn struct_item(ir: &ApiIr, name: &str, s: &StructDef, doc: TokenStream) -> TokenStream {
    let name_ident = ident(name);
    let serde_derive = uses_serde_derive(ir);
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let ty = field_type(f);
        let fdoc = doc_attrs(f.doc.as_deref());
        let serde_attr = if serde_derive { field_serde_attribute(f) } else { TokenStream::new() };
        quote! { #fdoc #serde_attr pub #fname: #ty, }
    });
    let flatten = serde_derive.then(|| quote!(#[serde(flatten)]));
    let additional = s.additional_properties.as_ref().map(|t| {
        let ty = type_tokens(t, &TokenStream::new());
        quote! {
            /// Properties not named by the schema.
            #flatten
            pub additional_properties: ::std::collections::BTreeMap<String, #ty>,
        }
    });
    let required: Vec<&FieldDef> = s.fields.iter().filter(|f| !f.is_optional()).collect();
    let has_secret = s.fields.iter().any(|f| f.secret);
    // With spec defaults, `Default` is `new()` (which fills them in), written by hand.
    let derive_default = required.is_empty() && !s.fields.iter().any(|f| default_init(ir, f).is_some());
    // Compact structs get an `#[inline]` `Debug` (and, mostly, `PartialEq`) with their serde
    // impls.
    let mut derived = Vec::new();
    if !has_secret && serde_derive {
        derived.push(quote!(::std::fmt::Debug));
    }
    derived.push(quote!(::std::clone::Clone));
    if derive_default {
        derived.push(quote!(::std::default::Default));
    }
    if !compact_eq(ir) {
        derived.push(quote!(::std::cmp::PartialEq));
    }
    if serde_derive {
        derived.extend([quote!(::serde::Serialize), quote!(::serde::Deserialize)]);
    }
    let derives = quote!(#[derive(#(#derived),*)]);
    let constructor = constructor(name, s, &required, ir);
    let extra = extra_derives(ir, if derive_default { STRUCT_IMPLS } else { &STRUCT_IMPLS[1..] });
    // The user's extra attributes go on structs (serde attributes need serde's derives).
    let attributes: Vec<TokenStream> = ir.options.extra_attributes.iter().filter_map(|a| a.parse().ok()).collect();
    let extra = quote!(#extra #(#[#attributes])*);
    let batch = s.batch_result.as_ref().and_then(|b| batch_outcome(ir, name, s, b));
    let debug = has_secret.then(|| secret_debug(name, s));
    quote! {
        #doc
        #derives
        #extra
        #[non_exhaustive]
        pub struct #name_ident {
            #(#fields)*
            #additional
        }
        #constructor
        #debug
        #batch
    }
}

/// `#[serde(…)]` of a field, for serde's derives.
fn field_serde_attribute(f: &FieldDef) -> TokenStream {
    let mut serde_args: Vec<TokenStream> = Vec::new();
    if f.rust_name != f.wire_name {
        let wire = &f.wire_name;
        serde_args.push(quote!(rename = #wire));
    }
    if f.is_optional() {
        serde_args.push(quote!(default));
        match (f.read_only, f.required && f.nullable) {
            (true, false) => serde_args.push(quote!(skip_serializing_if = "::restsmith_runtime::serde_helpers::read_only::skip")),
            (true, true) => serde_args.push(quote!(skip_serializing_if = "::restsmith_runtime::serde_helpers::read_only::skip_in_request")),
            (false, false) => serde_args.push(quote!(skip_serializing_if = "::std::option::Option::is_none")),
            (false, true) => {}
        }
    }
    if let Some(with) = field_with(f) {
        serde_args.push(quote!(with = #with));
    }
    if serde_args.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[serde(#(#serde_args),*)])
    }
}

/// The runtime module with a field's wire format (for `with`), if it has a special one.
fn field_with(f: &FieldDef) -> Option<String> {
    match (&f.ty, f.boxed) {
        (TypeRef::Prim(p), false) => serde_with(*p, f.is_optional()),
        _ => None,
    }
}

fn field_by_wire<'a>(s: &'a StructDef, wire: &str) -> Option<&'a FieldDef> {
    s.fields.iter().find(|f| f.wire_name == wire)
}

fn struct_of<'a>(ir: &'a ApiIr, t: &TypeRef) -> Option<&'a StructDef> {
    match t {
        TypeRef::Named(n) => match &ir.resolved_def(n)?.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// An `Option<&str>` expression for string field `f` of `owner` (a reference expression).
fn opt_str(owner: &TokenStream, f: &FieldDef) -> TokenStream {
    let name = ident(&f.rust_name);
    if f.is_optional() {
        quote!(#owner.#name.as_deref())
    } else {
        quote!(Some(#owner.#name.as_str()))
    }
}

/// `outcome()` for `x-restsmith-batch-result`.
fn batch_outcome(ir: &ApiIr, name: &str, s: &StructDef, b: &crate::ir::BatchResultIr) -> Option<TokenStream> {
    let items_field = field_by_wire(s, &b.items)?;
    let TypeRef::List(item_type) = &items_field.ty else { return None };
    let item = struct_of(ir, item_type)?;
    let id = opt_str(&quote!(item), field_by_wire(item, &b.id)?);
    let error_field = field_by_wire(item, &b.error)?;
    let error = struct_of(ir, &error_field.ty)?;
    let code = opt_str(&quote!(e), field_by_wire(error, &b.error_code)?);
    let message = match b.error_message.as_deref().and_then(|m| field_by_wire(error, m)) {
        Some(f) => opt_str(&quote!(e), f),
        None => quote!(None),
    };
    let items_name = ident(&items_field.rust_name);
    let iter = if items_field.is_optional() { quote!(self.#items_name.iter().flatten()) } else { quote!(self.#items_name.iter()) };
    let error_name = ident(&error_field.rust_name);
    let error_ref = match (error_field.is_optional(), error_field.boxed) {
        (true, true) => quote!(item.#error_name.as_deref()),
        (true, false) => quote!(item.#error_name.as_ref()),
        (false, true) => quote!(Some(&*item.#error_name)),
        (false, false) => quote!(Some(&item.#error_name)),
    };
    let name_ident = ident(name);
    let doc = format!(
        " Splits the per-item results in `{}`: ids that succeeded, that failed (with `{}` and message), and requested ids the response does not mention.",
        b.items, b.error_code
    );
    Some(quote! {
        impl #name_ident {
            #[doc = #doc]
            pub fn outcome<S: ::std::convert::AsRef<str>>(&self, requested: &[S]) -> ::restsmith_runtime::batch::BatchOutcome {
                let items = #iter.map(|item| {
                    let error = #error_ref;
                    (#id, error.and_then(|e| #code), error.and_then(|e| #message))
                });
                ::restsmith_runtime::batch::BatchOutcome::from_items(items, requested)
            }
        }
    })
}

/// The expression that fills a discriminator field with its fixed value, when the field's type
/// can be built from a string.
fn discriminator_init(ir: &ApiIr, f: &FieldDef) -> Option<TokenStream> {
    let value = f.discriminator_value.as_ref()?;
    match &f.ty {
        TypeRef::Prim(crate::ir::Primitive::String) => Some(quote!(::std::borrow::ToOwned::to_owned(#value))),
        TypeRef::Named(n) if matches!(ir.resolved_def(n).map(|d| &d.kind), Some(TypeKind::Enum(e)) if e.extensible) => {
            let ty = ident(n);
            Some(quote!(#ty::from(#value)))
        }
        _ => None,
    }
}

/// The value of a field's spec `default`, for the types a literal can build (strings, numbers,
/// booleans, enums, and lists of those).
fn default_init(ir: &ApiIr, f: &FieldDef) -> Option<TokenStream> {
    literal(ir, &f.ty, f.default.as_ref()?)
}

/// A Rust expression of type `ty` for the JSON `value`, where a literal can build it.
fn literal(ir: &ApiIr, ty: &TypeRef, value: &serde_json::Value) -> Option<TokenStream> {
    use crate::ir::Primitive;
    let default = value;
    Some(match (ty, default) {
        (TypeRef::List(item), serde_json::Value::Array(values)) => {
            let items = values.iter().map(|v| literal(ir, item, v)).collect::<Option<Vec<_>>>()?;
            quote!(::std::vec![#(#items),*])
        }
        (TypeRef::Prim(Primitive::String), serde_json::Value::String(v)) => quote!(::std::borrow::ToOwned::to_owned(#v)),
        (TypeRef::Prim(Primitive::Bool), serde_json::Value::Bool(v)) => quote!(#v),
        (TypeRef::Prim(Primitive::I32), serde_json::Value::Number(n)) => {
            let v = i32::try_from(n.as_i64()?).ok()?;
            quote!(#v)
        }
        (TypeRef::Prim(Primitive::I64), serde_json::Value::Number(n)) => {
            let v = n.as_i64()?;
            quote!(#v)
        }
        (TypeRef::Prim(Primitive::F64), serde_json::Value::Number(n)) => {
            let v = n.as_f64()?;
            quote!(#v)
        }
        (TypeRef::Prim(Primitive::F32), serde_json::Value::Number(n)) => {
            let v = n.as_f64()? as f32;
            quote!(#v)
        }
        (TypeRef::Named(name), value) => {
            let TypeKind::Enum(e) = &ir.resolved_def(name)?.kind else { return None };
            let ty = ident(name);
            match value {
                serde_json::Value::String(v) if !e.integer => {
                    let variant = e.variants.iter().find(|x| &x.wire_value == v)?;
                    let vname = ident(&variant.rust_name);
                    quote!(#ty::#vname)
                }
                serde_json::Value::Number(n) if e.integer => {
                    let variant = e.variants.iter().find(|x| x.wire_value == n.to_string())?;
                    let vname = ident(&variant.rust_name);
                    quote!(#ty::#vname)
                }
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// `new(required fields…)`: structs are `#[non_exhaustive]`, so users build them through this.
/// A discriminator field is filled in, not asked for.
fn constructor(name: &str, s: &StructDef, required: &[&FieldDef], ir: &ApiIr) -> TokenStream {
    let name_ident = ident(name);
    let args: Vec<TokenStream> = required
        .iter()
        .filter(|f| discriminator_init(ir, f).is_none())
        .map(|f| {
            let fname = ident(&f.rust_name);
            let ty = type_tokens(&f.ty, &TokenStream::new());
            quote!(#fname: #ty)
        })
        .collect();
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        if let (Some(init), false) = (discriminator_init(ir, f), f.is_optional()) {
            if f.boxed {
                quote!(#fname: Box::new(#init))
            } else {
                quote!(#fname: #init)
            }
        } else if let (true, Some(init)) = (f.is_optional() && !f.boxed, default_init(ir, f)) {
            quote!(#fname: Some(#init))
        } else if f.is_optional() {
            quote!(#fname: None)
        } else if f.boxed {
            quote!(#fname: Box::new(#fname))
        } else {
            quote!(#fname)
        }
    });
    let additional = s.additional_properties.as_ref().map(|_| quote!(additional_properties: ::std::collections::BTreeMap::new(),));
    let doc = if args.is_empty() {
        format!(" A `{name}` with every optional field unset.")
    } else {
        format!(" A `{name}` with its required fields; optional fields start unset.")
    };
    let too_many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // `Default` is derived when nothing is required; a struct whose only required field is a
    // discriminator gets it here.
    let has_defaults = s.fields.iter().any(|f| default_init(ir, f).is_some());
    let default_impl = (args.is_empty() && (!required.is_empty() || has_defaults)).then(|| {
        quote! {
            impl ::std::default::Default for #name_ident {
                #[inline]
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        impl #name_ident {
            #[doc = #doc]
            #too_many
            #[inline]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #additional }
            }
        }
        #default_impl
    }
}

fn secret_debug(name: &str, s: &StructDef) -> TokenStream {
    let name_ident = ident(name);
    let name_str = name;
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let label = &f.rust_name;
        if f.secret {
            quote!(.field(#label, &"<redacted>"))
        } else {
            quote!(.field(#label, &self.#fname))
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name_ident {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name_str) #(#fields)* .finish_non_exhaustive()
            }
        }
    }
}

/// An enum of integer values (`type: integer` with `enum`), sent as JSON numbers.
fn int_enum_item(name: &str, e: &EnumDef, doc: TokenStream) -> TokenStream {
    let name_ident = ident(name);
    let value = |v: &crate::ir::EnumVariant| v.wire_value.parse::<i64>().unwrap_or_default();
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let vdoc = variant_doc(v);
        quote!(#vdoc #vname,)
    });
    let to_value = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let n = value(v);
        quote!(Self::#vname => #n,)
    });
    let from_value = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let n = value(v);
        quote!(#n => Some(Self::#vname),)
    });
    let all = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        quote!(Self::#vname)
    });
    let count = e.variants.len();
    let (unknown_variant, unknown_to, unknown_from, from_doc) = if e.extensible {
        (
            quote!(/// A value not known when this crate was generated.
                UnknownValue(i64),),
            quote!(Self::UnknownValue(value) => *value,),
            quote!(Self::known(value).unwrap_or(Self::UnknownValue(value))),
            " The enum value for `value` (unknown values are kept).",
        )
    } else {
        (TokenStream::new(), TokenStream::new(), quote!(Self::known(value).unwrap_or(Self::KNOWN[0])), " The enum value for `value` (an unknown value maps to the first known one).")
    };
    let non_exhaustive = keeps_unknown_attr(e.extensible);
    let deserialize = if e.extensible {
        quote!(Ok(Self::from(value)))
    } else {
        quote!(Self::known(value).ok_or_else(|| <D::Error as ::serde::de::Error>::custom(format!("unknown value {value}"))))
    };
    let from_impl = (e.extensible || count > 0).then(|| {
        quote! {
            impl ::std::convert::From<i64> for #name_ident {
                #[doc = #from_doc]
                #[inline]
                fn from(value: i64) -> Self {
                    #unknown_from
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        #non_exhaustive
        pub enum #name_ident {
            #(#variants)*
            #unknown_variant
        }
        impl #name_ident {
            /// The known values.
            pub const KNOWN: [Self; #count] = [#(#all),*];
            /// The value as sent on the wire.
            #[inline]
            pub fn value(&self) -> i64 {
                match self {
                    #(#to_value)*
                    #unknown_to
                }
            }
            #[inline]
            fn known(value: i64) -> Option<Self> {
                match value {
                    #(#from_value)*
                    _ => None,
                }
            }
        }
        #from_impl
        impl ::std::fmt::Display for #name_ident {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }
        impl ::serde::Serialize for #name_ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name_ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <i64 as ::serde::Deserialize>::deserialize(deserializer)?;
                #deserialize
            }
        }
    }
}

fn enum_item(name: &str, e: &EnumDef, doc: TokenStream) -> TokenStream {
    if e.integer {
        return int_enum_item(name, e, doc);
    }
    let name_ident = ident(name);
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let vdoc = variant_doc(v);
        quote!(#vdoc #vname,)
    });
    let as_str_arms = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote!(Self::#vname => #wire,)
    });
    let from_arms = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote!(#wire => Self::#vname,)
    });
    let all = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        quote!(Self::#vname)
    });
    let count = e.variants.len();
    let from_body = if e.variants.is_empty() {
        quote!(Self::UnknownValue(value.to_owned()))
    } else {
        quote! {
            match value {
                #(#from_arms)*
                other => Self::UnknownValue(other.to_owned()),
            }
        }
    };
    let separator = (!doc.is_empty()).then(|| quote!(#[doc = ""]));
    if e.extensible {
        quote! {
            #doc
            #separator
            /// Values this version of the crate does not know are kept in `UnknownValue`; a
            /// later version may know more, so the enum is `#[non_exhaustive]`.
            /// Equality, hashing and ordering go by the wire value ([`as_str`](Self::as_str)).
            #[derive(::std::fmt::Debug, ::std::clone::Clone)]
            #[non_exhaustive]
            pub enum #name_ident {
                #(#variants)*
                /// A value not known when this crate was generated.
                UnknownValue(String),
            }
            impl #name_ident {
                /// The known values.
                pub const KNOWN: [Self; #count] = [#(#all),*];
                /// The value as sent on the wire.
                #[inline]
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#as_str_arms)*
                        Self::UnknownValue(value) => value.as_str(),
                    }
                }
            }
            impl ::std::convert::From<&str> for #name_ident {
                #[inline]
                fn from(value: &str) -> Self {
                    #from_body
                }
            }
            impl ::std::cmp::PartialEq for #name_ident {
                #[inline]
                fn eq(&self, other: &Self) -> bool {
                    self.as_str() == other.as_str()
                }
            }
            impl ::std::cmp::Eq for #name_ident {}
            impl ::std::hash::Hash for #name_ident {
                #[inline]
                fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                    self.as_str().hash(state);
                }
            }
            impl ::std::cmp::PartialOrd for #name_ident {
                #[inline]
                fn partial_cmp(&self, other: &Self) -> Option<::std::cmp::Ordering> {
                    Some(::std::cmp::Ord::cmp(self, other))
                }
            }
            impl ::std::cmp::Ord for #name_ident {
                #[inline]
                fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                    self.as_str().cmp(other.as_str())
                }
            }
            impl ::std::str::FromStr for #name_ident {
                type Err = ::std::convert::Infallible;
                #[inline]
                fn from_str(value: &str) -> Result<Self, Self::Err> {
                    Ok(Self::from(value))
                }
            }
            impl ::std::fmt::Display for #name_ident {
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
            impl ::serde::Serialize for #name_ident {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name_ident {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                    Ok(Self::from(value.as_str()))
                }
            }
        }
    } else {
        let renamed = e.variants.iter().map(|v| {
            let vname = ident(&v.rust_name);
            let wire = &v.wire_value;
            let vdoc = variant_doc(v);
            quote!(#vdoc #[serde(rename = #wire)] #vname,)
        });
        quote! {
            #doc
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord, ::serde::Serialize, ::serde::Deserialize)]
            pub enum #name_ident {
                #(#renamed)*
            }
            impl #name_ident {
                /// Every value.
                pub const KNOWN: [Self; #count] = [#(#all),*];
                /// The value as sent on the wire.
                #[inline]
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#as_str_arms)*
                    }
                }
            }
            impl ::std::fmt::Display for #name_ident {
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        }
    }
}

/// `#[cfg(test)]` round trips of every example the spec gives for a named type.
fn example_tests(ir: &ApiIr, plan: Option<&FeaturePlan>) -> TokenStream {
    if ir.examples.is_empty() {
        return TokenStream::new();
    }
    let mut counters = std::collections::BTreeMap::<String, usize>::new();
    let tests = ir.examples.iter().filter(|(name, _)| ir.type_def(name).is_some()).map(|(name, example)| {
        let n = counters.entry(name.clone()).or_insert(0);
        *n += 1;
        let test_name = ident(&format!("{}_example_{}", heck::ToSnakeCase::to_snake_case(name.as_str()), n));
        let ty = ident(name);
        let json = serde_json::to_string_pretty(example).unwrap_or_default();
        let cfg = plan.map(|p| p.model_cfg(name)).unwrap_or_default();
        quote! {
            #cfg
            #[test]
            fn #test_name() {
                ::restsmith_runtime::testing::assert_round_trip::<super::#ty>(#json);
            }
        }
    });
    quote! {
        /// Every example in the spec deserializes into its model and serializes back to the same JSON.
        #[cfg(test)]
        mod example_round_trips {
            #(#tests)*
        }
    }
}

/// `` `wire value` ``, then the spec's description of it.
fn variant_doc(v: &EnumVariant) -> TokenStream {
    let mut lines = vec![format!("`{}`", v.wire_value.replace('`', "'"))];
    if let Some(doc) = &v.doc {
        let spec = sanitize_doc(doc);
        if !spec.is_empty() {
            lines.push(String::new());
            lines.extend(spec);
        }
    }
    lines_to_doc(&lines)
}

fn union_item(name: &str, u: &UnionDef, doc: TokenStream, serde_derive: bool) -> TokenStream {
    let name_ident = ident(name);
    let variant_type = |v: &crate::ir::UnionVariant| {
        let ty = type_tokens(&v.ty, &TokenStream::new());
        if v.boxed {
            quote!(Box<#ty>)
        } else {
            ty
        }
    };
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let ty = variant_type(v);
        let vdoc = match &v.tag {
            Some(tag) => {
                let line = format!(" `{}` = `{}`.", u.discriminator.as_deref().unwrap_or_default(), tag);
                quote!(#[doc = #line])
            }
            None => quote!(#[doc = " This variant."]),
        };
        quote!(#vdoc #vname(#ty),)
    });
    let non_exhaustive = keeps_unknown_attr(u.keeps_unknown);
    let unknown = u.keeps_unknown.then(|| {
        quote! {
            /// A value none of the known variants accepts (e.g. a discriminator value added to the
            /// API after this crate was generated).
            UnknownValue(::serde_json::Value),
        }
    });
    let (doc_line, reads) = match &u.discriminator {
        None if serde_derive => {
            return quote! {
                #doc
                ///
                /// The first variant the JSON value deserializes into is chosen.
                #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(untagged)]
                #non_exhaustive
                pub enum #name_ident {
                    #(#variants)*
                    #unknown
                }
            };
        }
        None => {
            let attempts = u.variants.iter().map(|v| {
                let vname = ident(&v.rust_name);
                quote! {
                    if let Some(variant) = ::restsmith_runtime::object::variant(&value) {
                        return Ok(#name_ident::#vname(variant));
                    }
                }
            });
            let last = if u.keeps_unknown {
                quote!(Ok(#name_ident::UnknownValue(value)))
            } else {
                quote!(Err(::restsmith_runtime::object::no_variant(#name)))
            };
            (" The first variant the JSON value deserializes into is chosen.".to_owned(), quote!(#(#attempts)* #last))
        }
        Some(property) => {
            let arms = u.variants.iter().filter_map(|v| {
                let tag = v.tag.as_ref()?;
                let vname = ident(&v.rust_name);
                Some(quote! {
                    Some(#tag) => ::serde_json::from_value(value).map(#name_ident::#vname),
                })
            });
            let last = if u.keeps_unknown {
                quote!(Ok(#name_ident::UnknownValue(value)))
            } else {
                quote!(Err(::restsmith_runtime::object::no_variant(#name)))
            };
            let reads = quote! {
                match value.get(#property).and_then(::serde_json::Value::as_str) {
                    #(#arms)*
                    _ => #last,
                }
            };
            (format!(" The variant is chosen by the `{property}` property."), reads)
        }
    };
    let value_arms = u.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        quote!(#name_ident::#vname(value) => value,)
    });
    let unknown_arm = u.keeps_unknown.then(|| quote!(#name_ident::UnknownValue(value) => value,));
    quote! {
        #doc
        ///
        #[doc = #doc_line]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        #non_exhaustive
        pub enum #name_ident {
            #(#variants)*
            #unknown
        }
        impl ::serde::Serialize for #name_ident {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                #[inline]
                fn value(union: &#name_ident) -> &dyn ::restsmith_runtime::erased_serde::Serialize {
                    match union {
                        #(#value_arms)*
                        #unknown_arm
                    }
                }
                ::serde::Serialize::serialize(value(self), serializer)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name_ident {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                #[inline]
                fn read(value: ::serde_json::Value) -> ::restsmith_runtime::object::Result<#name_ident> {
                    #reads
                }
                read(<::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?).map_err(::restsmith_runtime::object::Object::error)
            }
        }
    }
}

/// `#[non_exhaustive]` for an enum with an `UnknownValue` variant: a later version of the crate
/// may turn unknown values into variants of their own, which must not break users' `match`es.
fn keeps_unknown_attr(keeps_unknown: bool) -> Option<TokenStream> {
    keeps_unknown.then(|| quote!(#[non_exhaustive]))
}

/// Traits every struct implements (derived or by hand); `Default` (first) only when no field is
/// required.
const STRUCT_IMPLS: &[&str] = &["Default", "Debug", "Clone", "PartialEq", "Serialize", "Deserialize"];
/// Traits every string enum implements (`Copy` only closed ones, but extensible ones keep a
/// `String` and cannot be `Copy` anyway).
const ENUM_IMPLS: &[&str] =
    &["Debug", "Clone", "Copy", "PartialEq", "Eq", "Hash", "PartialOrd", "Ord", "Serialize", "Deserialize"];
/// Traits every union implements.
const UNION_IMPLS: &[&str] = &["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"];

/// `#[derive(...)]` with the user's extra derives (a generation option), or nothing. A derive
/// of a std or serde trait the item already implements is left out (`--derive Eq` must not
/// make string enums, which are always `Eq`, derive it twice).
fn extra_derives(ir: &ApiIr, implemented: &[&str]) -> TokenStream {
    let already = |path: &str| {
        let segments: Vec<&str> = path.trim().trim_start_matches("::").split("::").map(str::trim).collect();
        let well_known = segments.len() == 1 || matches!(segments[0], "std" | "core" | "serde");
        well_known && segments.last().is_some_and(|last| implemented.contains(last))
    };
    let paths: Vec<TokenStream> =
        ir.options.extra_derives.iter().filter(|d| !already(d)).filter_map(|d| d.parse().ok()).collect();
    if paths.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[derive(#(#paths),*)])
    }
}
