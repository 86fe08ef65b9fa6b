//! `impl ErrorBody` for the API's error models: where the error code and message are.
//!
//! The fields are found structurally: a string field named `code` (case-insensitive), and a
//! `message` that is either a string or an object with a string `value` (Azure Batch), looked
//! for in the type itself and in nested structs (`error`, `ResponseMetadata.Error`, …).

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::ident;
use crate::ir::{ApiIr, FieldDef, Primitive, TypeKind, TypeRef};

/// One step of a field path.
struct Step<'a> {
    field: &'a FieldDef,
}

/// `impl ::restsmith_runtime::ErrorBody for <name>`, if `name` is a struct.
pub fn error_body_impl(ir: &ApiIr, name: &str) -> Option<TokenStream> {
    let def = ir.resolved_def(name)?;
    if let TypeKind::Union(u) = &def.kind {
        return Some(union_error_body_impl(ir, name, u));
    }
    if !matches!(def.kind, TypeKind::Struct(_)) {
        return None;
    }
    let code = find_path(ir, name, &|f| is_string(&f.ty) && f.wire_name.eq_ignore_ascii_case("code"), 0);
    let message = find_path(ir, name, &|f| f.wire_name.eq_ignore_ascii_case("message") && message_like(ir, &f.ty), 0);
    let request_id = find_path(ir, name, &|f| is_string(&f.ty) && normalized(&f.wire_name) == "requestid", 0);
    let request_id_body = request_id.map(|path| accessor(ir, &path));
    let request_id_fn = request_id_body.map(|body| {
        quote! {
            #[inline]
            fn request_id(&self) -> Option<&str> {
                #body
            }
        }
    });
    let code_body = code.map(|path| accessor(ir, &path)).unwrap_or_else(|| quote!(None));
    let message_body = message.map(|path| accessor(ir, &path)).unwrap_or_else(|| quote!(None));
    let ty = ident(name);
    Some(quote! {
        impl ::restsmith_runtime::ErrorBody for #ty {
            #[inline]
            fn code(&self) -> Option<&str> {
                #code_body
            }
            #[inline]
            fn message(&self) -> Option<&str> {
                #message_body
            }
            #request_id_fn
        }
    })
}

/// Lower-case letters and digits only: `RequestId`, `request_id`, `request-id` → `requestid`.
fn normalized(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

fn is_string(t: &TypeRef) -> bool {
    matches!(t, TypeRef::Prim(Primitive::String))
}

/// A string, or a struct with a string `value` field.
fn message_like(ir: &ApiIr, t: &TypeRef) -> bool {
    match t {
        TypeRef::Prim(Primitive::String) => true,
        TypeRef::Named(n) => match ir.resolved_def(n).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => s.fields.iter().any(|f| f.wire_name == "value" && is_string(&f.ty)),
            _ => false,
        },
        _ => false,
    }
}

fn find_path<'a>(ir: &'a ApiIr, name: &str, wanted: &dyn Fn(&FieldDef) -> bool, depth: usize) -> Option<Vec<Step<'a>>> {
    if depth > 3 {
        return None;
    }
    let TypeKind::Struct(s) = &ir.resolved_def(name)?.kind else { return None };
    if let Some(field) = s.fields.iter().find(|f| wanted(f)) {
        return Some(vec![Step { field }]);
    }
    for field in &s.fields {
        if let TypeRef::Named(inner) = &field.ty {
            if let Some(mut rest) = find_path(ir, inner, wanted, depth + 1) {
                rest.insert(0, Step { field });
                return Some(rest);
            }
        }
    }
    None
}

/// An expression of type `Option<&str>` following the path from `self`.
fn accessor(ir: &ApiIr, path: &[Step<'_>]) -> TokenStream {
    let mut expr = quote!(self);
    let last = path.len() - 1;
    for (i, step) in path.iter().enumerate() {
        let fname = ident(&step.field.rust_name);
        let optional = step.field.is_optional();
        let is_last = i == last;
        if is_last {
            let leaf_is_string = is_string(&step.field.ty);
            let leaf = if leaf_is_string {
                if optional {
                    quote!(#expr.#fname.as_deref())
                } else {
                    quote!(Some(#expr.#fname.as_str()))
                }
            } else {
                // A message object with a `value` string.
                let value_field = match &step.field.ty {
                    TypeRef::Named(n) => match ir.resolved_def(n).map(|d| &d.kind) {
                        Some(TypeKind::Struct(s)) => s.fields.iter().find(|f| f.wire_name == "value"),
                        _ => None,
                    },
                    _ => None,
                };
                let Some(value_field) = value_field else { return quote!(None) };
                let vname = ident(&value_field.rust_name);
                let value = if value_field.is_optional() { quote!(m.#vname.as_deref()) } else { quote!(Some(m.#vname.as_str())) };
                if optional {
                    quote!(#expr.#fname.as_ref().and_then(|m| #value))
                } else {
                    quote!({ let m = &#expr.#fname; #value })
                }
            };
            return leaf;
        }
        if optional {
            expr = quote!(#expr.#fname.as_ref()?);
        } else {
            expr = quote!(#expr.#fname);
        }
    }
    quote!(None)
}

/// A union error type asks whichever variant it holds.
fn union_error_body_impl(ir: &ApiIr, name: &str, u: &crate::ir::UnionDef) -> TokenStream {
    let ty = ident(name);
    let arms = u.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let delegates = matches!(&v.ty, TypeRef::Named(n) if matches!(ir.resolved_def(n).map(|d| &d.kind), Some(TypeKind::Struct(_) | TypeKind::Union(_))));
        match (delegates, v.boxed) {
            (true, true) => quote!(Self::#vname(v) => Some(&**v),),
            (true, false) => quote!(Self::#vname(v) => Some(v),),
            (false, _) => quote!(Self::#vname(_) => None,),
        }
    });
    let unknown = u.keeps_unknown.then(|| quote!(Self::UnknownValue(v) => Some(v),));
    wrapping_impl(&quote!(#ty), quote!(match self { #(#arms)* #unknown }))
}

/// `impl ErrorBody for <ty>` through `wrapped()`, whose body is `wrapped` (typically a `match`
/// giving the variant's error body); the runtime's default methods ask that body.
pub fn wrapping_impl(ty: &TokenStream, wrapped: TokenStream) -> TokenStream {
    quote! {
        impl ::restsmith_runtime::ErrorBody for #ty {
            #[inline]
            fn wrapped(&self) -> Option<&dyn ::restsmith_runtime::ErrorBody> {
                #wrapped
            }
        }
    }
}
