//! `operations.rs`: one module per operation with its request builder, typed response and
//! response headers. The client's methods (see `client.rs`) only create the builders.

use proc_macro2::TokenStream;
use quote::quote;

use super::features::FeaturePlan;
use super::rust::{doc_attrs, ident, inline_debug, lines_to_doc, primitive_tokens, sanitize_doc, trusted_doc, type_tokens};
use crate::ir::{
    ApiIr, BodyKind, HeaderIr, OperationIr, ParamEncoding, ParamIr, ParamLocation, PathPart, Primitive, TypeKind, TypeRef,
};

/// Tokens of the whole operations module. `inspect` sees the module of each operation, in
/// the order of `ir.operations` (the feature plan scans them for the models they name).
pub fn operations_file<'a>(ir: &'a ApiIr, plan: Option<&'a FeaturePlan>, inspect: impl FnMut(&TokenStream) + 'a) -> TokenStream {
    let chunks = operation_chunks(ir, plan, inspect);
    quote!(#(#chunks)*)
}

/// The items of [`operations_file`] in pieces that can be formatted one at a time: each
/// operation's module (built lazily; `inspect` sees it before its `cfg` is added), then the
/// `by_tag` module.
pub fn operation_chunks<'a>(
    ir: &'a ApiIr,
    plan: Option<&'a FeaturePlan>,
    mut inspect: impl FnMut(&TokenStream) + 'a,
) -> impl Iterator<Item = TokenStream> + 'a {
    let shared = SharedItems::of(ir);
    let shared_module = shared.module(ir, plan);
    let modules = ir.operations.iter().enumerate().map(move |(index, op)| {
        let module = operation_module(ir, op, &shared.reexports(index));
        // The models the operation names include those of the shared items it re-exports.
        let items = shared.items_of(index);
        inspect(&quote!(#module #(#items)*));
        match plan {
            Some(plan) => {
                let cfg = plan.operation_cfg(&op.method_name);
                quote!(#cfg #module)
            }
            None => module,
        }
    });
    std::iter::once(shared_module).chain(modules).chain(std::iter::once_with(move || tag_modules(ir, plan)))
}

/// Response-header structs and error-body enums that several operations declare identically
/// (GitHub's description: 242 `Headers` structs of 7 kinds, 289 `ErrorBody` enums of 120):
/// generated once, in the private `shared` module, and re-exported by each operation module
/// under its usual name (`pub use super::shared::IssuesListForRepoHeaders as Headers;`).
struct SharedItems {
    /// Every shared item.
    items: Vec<SharedItem>,
    /// Per operation: (its `Headers`, its `ErrorBody`) as an index into `items`, when shared.
    uses: Vec<SharedUses>,
}

/// One item several operations share.
struct SharedItem {
    /// Its name in the `shared` module.
    name: String,
    /// Its tokens as an operation module would declare it (named `Headers` or `ErrorBody`).
    tokens: TokenStream,
    /// The operations that re-export it (indexes into `ir.operations`).
    operations: Vec<usize>,
    /// A `Headers` struct (else an `ErrorBody` enum).
    is_headers: bool,
}

/// The `pub use` items of an operation module for the shared items it re-exports.
#[derive(Default)]
struct SharedReexports {
    headers: Option<TokenStream>,
    error_body: Option<TokenStream>,
}

/// Which shared items an operation module re-exports instead of declaring them.
#[derive(Default, Clone, Copy)]
struct SharedUses {
    headers: Option<usize>,
    error_body: Option<usize>,
}

impl SharedItems {
    fn of(ir: &ApiIr) -> Self {
        // Identical tokens (docs included) make identical items.
        let mut by_tokens: std::collections::HashMap<String, (TokenStream, Vec<usize>, bool)> = std::collections::HashMap::new();
        let mut order = Vec::new();
        for (index, op) in ir.operations.iter().enumerate() {
            let headers = (op.lro.is_none()).then(|| headers_struct(ir, op, &quote!(Headers))).flatten();
            let error_body = Some(error_enum(op, &quote!(ErrorBody))).filter(|t| !t.is_empty());
            for (tokens, is_headers) in [(headers, true), (error_body, false)] {
                let Some(tokens) = tokens else { continue };
                let key = tokens.to_string();
                let entry = by_tokens.entry(key.clone()).or_insert_with(|| {
                    order.push(key);
                    (tokens, Vec::new(), is_headers)
                });
                entry.1.push(index);
            }
        }
        let mut scope = crate::ir::names::NameScope::new();
        let mut items = Vec::new();
        let mut uses = vec![SharedUses::default(); ir.operations.len()];
        for key in order {
            let Some((tokens, ops, is_headers)) = by_tokens.remove(&key) else { continue };
            if ops.len() < 2 {
                continue;
            }
            let first = &ir.operations[ops[0]].method_name;
            let suffix = if is_headers { "Headers" } else { "ErrorBody" };
            let name = scope.claim(&format!("{}{suffix}", heck::ToUpperCamelCase::to_upper_camel_case(first.as_str())));
            for &op in &ops {
                if is_headers {
                    uses[op].headers = Some(items.len());
                } else {
                    uses[op].error_body = Some(items.len());
                }
            }
            items.push(SharedItem { name, tokens, operations: ops, is_headers });
        }
        SharedItems { items, uses }
    }

    /// `pub use super::shared::… as Headers;` (and `as ErrorBody`) for operation `index`: the
    /// items its module re-exports instead of declaring.
    fn reexports(&self, index: usize) -> SharedReexports {
        let uses = self.uses[index];
        let reexport = |item: Option<usize>, alias: TokenStream| {
            item.map(|i| {
                let name = ident(&self.items[i].name);
                quote!(pub use super::shared::#name as #alias;)
            })
        };
        SharedReexports {
            headers: reexport(uses.headers, quote!(Headers)),
            error_body: reexport(uses.error_body, quote!(ErrorBody)),
        }
    }

    /// The tokens of the shared items operation `index` re-exports.
    fn items_of(&self, index: usize) -> impl Iterator<Item = &TokenStream> {
        let uses = self.uses[index];
        [uses.headers, uses.error_body].into_iter().flatten().map(|i| &self.items[i].tokens)
    }

    /// `mod shared { … }` with every shared item under its own name, compiled when any
    /// operation that re-exports it is; nothing when no item is shared.
    fn module(&self, ir: &ApiIr, plan: Option<&FeaturePlan>) -> TokenStream {
        if self.items.is_empty() {
            return TokenStream::new();
        }
        let items = self.items.iter().map(|SharedItem { name, operations: ops, is_headers, .. }| {
            let name_ident = ident(name);
            let first = &ir.operations[ops[0]];
            let item = if *is_headers {
                headers_struct(ir, first, &quote!(#name_ident)).unwrap_or_default()
            } else {
                error_enum(first, &quote!(#name_ident))
            };
            let cfg = plan.map(|plan| plan.operations_cfg(ops.iter().map(|&i| ir.operations[i].method_name.as_str()))).unwrap_or_default();
            super::features::gate_items(item, &cfg)
        });
        quote! {
            /// Response headers and error bodies that several operations share; each operation
            /// module re-exports its own under the names `Headers` and `ErrorBody`.
            mod shared {
                #(#items)*
            }
        }
    }
}

/// `by_tag::<tag>`: the operation modules grouped by the spec's tags (an operation with several
/// tags appears under each).
fn tag_modules(ir: &ApiIr, plan: Option<&FeaturePlan>) -> TokenStream {
    let mut groups: std::collections::BTreeMap<String, (String, Vec<&OperationIr>)> = std::collections::BTreeMap::new();
    let mut scope = crate::ir::names::NameScope::new();
    for op in &ir.operations {
        for tag in &op.tags {
            if !groups.contains_key(tag) {
                let module = scope.claim(&crate::ir::names::field_name(tag));
                groups.insert(tag.clone(), (module, Vec::new()));
            }
            if let Some((_, ops)) = groups.get_mut(tag) {
                ops.push(op);
            }
        }
    }
    if groups.is_empty() {
        return TokenStream::new();
    }
    let modules = groups.iter().map(|(tag, (module, ops))| {
        let module = ident(module);
        let doc = format!(" Operations tagged `{}`.", tag.replace('`', "'"));
        let uses = ops.iter().map(|op| {
            let name = ident(&op.method_name);
            quote!(pub use super::super::#name;)
        });
        let cfg = plan.map(|p| p.tag_cfg(tag)).unwrap_or_default();
        quote! {
            #[doc = #doc]
            #cfg
            pub mod #module {
                #(#uses)*
            }
        }
    });
    quote! {
        /// The operations grouped by the spec's tags.
        pub mod by_tag {
            #(#modules)*
        }
    }
}

/// The path prefix of models from inside an operation module.
pub fn models_path() -> TokenStream {
    quote!(super::super::models::)
}

/// The error body type of an operation (`serde_json::Value` when the spec names none).
pub fn error_body_type(op: &OperationIr) -> TokenStream {
    if op.has_error_enum() {
        return quote!(ErrorBody);
    }
    op.error_type.as_ref().map(|t| type_tokens(t, &models_path())).unwrap_or_else(|| quote!(::serde_json::Value))
}

/// The error type an operation returns.
pub fn error_type(ir: &ApiIr, op: &OperationIr) -> TokenStream {
    if op.has_error_enum() {
        quote!(::restsmith_runtime::Error<ErrorBody>)
    } else if op.error_type.as_ref() == crate_error_body(ir).as_ref() {
        quote!(super::super::Error)
    } else {
        let body = op.error_type.as_ref().map(|t| type_tokens(t, &models_path())).unwrap_or_else(|| quote!(::serde_json::Value));
        quote!(::restsmith_runtime::Error<#body>)
    }
}

/// The error body type most operations use (the crate's `Error` alias is built on it).
pub fn crate_error_body(ir: &ApiIr) -> Option<TypeRef> {
    let mut counts = std::collections::BTreeMap::<&TypeRef, usize>::new();
    for op in &ir.operations {
        if let Some(t) = &op.error_type {
            *counts.entry(t).or_default() += 1;
        }
    }
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))).map(|(t, _)| t.clone())
}

/// The type a caller passes for a parameter (`impl Into<String>` for strings, …).
/// `models` is the path prefix of named types where the argument appears.
pub fn argument_type(p: &ParamIr, models: &TokenStream) -> TokenStream {
    match &p.ty {
        TypeRef::Prim(Primitive::String) => quote!(impl ::std::convert::Into<String>),
        TypeRef::List(inner) if **inner == TypeRef::Prim(Primitive::String) => {
            quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<String>>)
        }
        other => type_tokens(other, models),
    }
}

/// Converts an argument (named `name`) of [`argument_type`] into the stored type.
pub fn argument_conversion(p: &ParamIr, name: &TokenStream) -> TokenStream {
    match &p.ty {
        TypeRef::Prim(Primitive::String) => quote!(#name.into()),
        TypeRef::List(inner) if **inner == TypeRef::Prim(Primitive::String) => {
            quote!(#name.into_iter().map(::std::convert::Into::into).collect())
        }
        _ => quote!(#name),
    }
}

/// A struct field initializer `name: conversion`, or the shorthand `name` when nothing converts.
pub fn field_init(p: &ParamIr, name: &proc_macro2::Ident) -> TokenStream {
    let conv = argument_conversion(p, &quote!(#name));
    if *name == conv.to_string() {
        quote!(#name,)
    } else {
        quote!(#name: #conv,)
    }
}

fn stored_type(p: &ParamIr) -> TokenStream {
    type_tokens(&p.ty, &models_path())
}

fn operation_module(ir: &ApiIr, op: &OperationIr, shared: &SharedReexports) -> TokenStream {
    let module = ident(&op.method_name);
    let module_doc = format!(" Types of the `{}` operation (`{} {}`).", op.operation_id, op.http_method, op.path.template);
    let builder = request_builder(ir, op);
    let response = match &op.lro {
        Some(_) => super::lro::lro_items(ir, op),
        None => {
            let decode = decode_response(ir, op);
            let types = response_types(ir, op, shared.headers.as_ref());
            quote!(#decode #types)
        }
    };
    let op_id = &op.operation_id;
    let template = &op.path.template;
    let method = ident(&op.http_method);
    let retry_safe = op.retry_safe;
    let body_enum = body_enum(op);
    let error_enum = match &shared.error_body {
        Some(reexport) => reexport.clone(),
        None => error_enum(op, &quote!(ErrorBody)),
    };
    quote! {
        #[doc = #module_doc]
        pub mod #module {
            static META: ::restsmith_runtime::OperationMeta = ::restsmith_runtime::OperationMeta {
                operation_id: #op_id,
                method: ::restsmith_runtime::http::Method::#method,
                path_template: #template,
                retry_safe: #retry_safe,
            };
            #builder
            #body_enum
            #error_enum
            #response
        }
    }
}

/// The field initializers of `op`'s request builder, in the client method that creates it (no
/// constructor of its own, which would be one more generic function per operation to check):
/// the required arguments (converted), unset optional parameters.
pub fn builder_inits(ir: &ApiIr, op: &OperationIr) -> Vec<TokenStream> {
    let mut inits: Vec<TokenStream> = op.required_args().map(|p| field_init(p, &ident(&p.rust_name))).collect();
    if let Some(b) = &op.body {
        let (_, _, conv) = body_types(b);
        inits.push(match (b.required, conv) {
            (true, true) => quote!(body: body.into(),),
            (true, false) => quote!(body,),
            (false, _) => quote!(body: None,),
        });
    }
    if own_client_request_id(ir, op).is_some() {
        inits.push(quote!(client_request_id: None,));
    }
    inits.extend(op.optional_args().map(|p| {
        let name = ident(&p.rust_name);
        quote!(#name: None,)
    }));
    inits
}

fn request_builder(ir: &ApiIr, op: &OperationIr) -> TokenStream {
    let method = &op.method_name;
    let error = error_type(ir, op);
    let required: Vec<&ParamIr> = op.required_args().collect();
    let optional: Vec<&ParamIr> = op.optional_args().collect();

    let mut fields = Vec::new();
    let mut names = Vec::new();
    for p in &required {
        let name = ident(&p.rust_name);
        let ty = stored_type(p);
        fields.push(quote!(pub(crate) #name: #ty,));
        names.push(name.clone());
    }
    if let Some(b) = &op.body {
        let (ty, _, _) = body_types(b);
        if b.required {
            fields.push(quote!(pub(crate) body: #ty,));
        } else {
            fields.push(quote!(pub(crate) body: Option<#ty>,));
        }
        names.push(ident("body"));
    }
    let mut setters = Vec::new();
    if let Some(header) = own_client_request_id(ir, op) {
        fields.push(quote!(pub(crate) client_request_id: Option<String>,));
        names.push(ident("client_request_id"));
        let doc = format!(" Sends `{header}: value` instead of a generated UUID (it is re-sent on every retry and poll), to correlate the call with your own logs.");
        setters.push(quote! {
            #[doc = #doc]
            #[inline]
            pub fn client_request_id(mut self, value: impl ::std::convert::Into<String>) -> Self {
                self.client_request_id = Some(value.into());
                self
            }
        });
    }
    for p in &optional {
        let name = ident(&p.rust_name);
        let ty = stored_type(p);
        let arg_ty = argument_type(p, &models_path());
        let conv = argument_conversion(p, &quote!(value));
        fields.push(quote!(pub(crate) #name: Option<#ty>,));
        names.push(name.clone());
        let doc = lines_to_doc(&param_doc(p));
        setters.push(quote! {
            #doc
            #[inline]
            pub fn #name(mut self, value: #arg_ty) -> Self {
                self.#name = Some(#conv);
                self
            }
        });
    }
    if let Some(b) = op.body.as_ref().filter(|b| !b.required) {
        let (_, arg_ty, conv) = body_types(b);
        let doc = match &b.doc {
            Some(text) => doc_attrs(Some(text)),
            None => trusted_doc("The request body."),
        };
        let value = if conv { quote!(value.into()) } else { quote!(value) };
        setters.push(quote! {
            #doc
            #[inline]
            pub fn body(mut self, value: #arg_ty) -> Self {
                self.body = Some(#value);
                self
            }
        });
    }

    let prepare_body = prepare_body(ir, op);
    let send_call = match &op.lro {
        Some(_) => super::lro::lro_send(ir, op),
        None => quote!(::restsmith_runtime::Call::new(self.client.core(), self.prepare(), decode)),
    };
    let error_body = error_body_type(op);
    let stream = pager_method(ir, op);
    let output = match &op.lro {
        Some(_) => super::lro::poller_type(ir, op),
        None => quote!(Response),
    };
    let send_doc = match &op.lro {
        Some(_) => "Sends the initial request and returns a poller that follows the long-running operation (await it for the final result).",
        None => "Sends the request and decodes the response.",
    };
    let builder_doc = format!(" Request builder for [`Client::{method}`](super::super::client::Client::{method}): set optional parameters, then `.await` it (or call `send`).");
    let labelled: Vec<(String, TokenStream)> = names.iter().map(|n| (n.to_string(), quote!(self.#n))).collect();
    let debug = inline_debug(&quote!(RequestBuilder<'_>), "RequestBuilder", &labelled);
    quote! {
        #[doc = #builder_doc]
        #[derive(::std::clone::Clone)]
        #[must_use = "a request builder does nothing until it is awaited or sent"]
        pub struct RequestBuilder<'a> {
            pub(crate) client: &'a super::super::client::Client,
            #(#fields)*
        }

        #debug

        impl<'a> RequestBuilder<'a> {
            #(#setters)*

            #[doc = #send_doc]
            #[inline]
            pub fn send(self) -> ::restsmith_runtime::Call<'a, #output, #error_body> {
                #send_call
            }

            /// Checks the arguments and builds the HTTP request.
            #[inline]
            fn prepare(&self) -> Result<::restsmith_runtime::Request, #error> {
                #prepare_body
            }

            #stream
        }

        impl<'a> ::std::future::IntoFuture for RequestBuilder<'a> {
            type Output = Result<#output, #error>;
            type IntoFuture = ::restsmith_runtime::Call<'a, #output, #error_body>;
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    }
}

/// `into_stream()` for `x-ms-pageable` operations: every item of every page.
fn pager_method(ir: &ApiIr, op: &OperationIr) -> Option<TokenStream> {
    let pageable = op.pageable.as_ref()?;
    if op.lro.is_some() {
        return None;
    }
    let Some(Some(TypeRef::Named(page))) = op.single_success_body() else { return None };
    let TypeKind::Struct(page_struct) = &ir.resolved_def(page)?.kind else { return None };
    let items = page_struct.fields.iter().find(|f| f.wire_name == pageable.item_field)?;
    let TypeRef::List(item_type) = &items.ty else { return None };
    let item_type = type_tokens(item_type, &models_path());
    let page_type = type_tokens(&TypeRef::Named(page.clone()), &models_path());
    let error_body = error_body_type(op);
    let items_name = ident(&items.rust_name);
    let take_items = if items.is_optional() { quote!(page.#items_name.unwrap_or_default()) } else { quote!(page.#items_name) };
    let take_link = match pageable.next_link_field.as_ref().and_then(|l| page_struct.fields.iter().find(|f| &f.wire_name == l)) {
        Some(f) => {
            let name = ident(&f.rust_name);
            if f.is_optional() {
                quote!(page.#name)
            } else {
                quote!(Some(page.#name))
            }
        }
        None => quote!(None),
    };
    let doc = match &pageable.next_link_field {
        Some(link) => format!(" Every item of every page: sends this request, then follows `{link}` until a page has none. An error ends the stream."),
        None => " Every item of the (single) page.".to_owned(),
    };
    let (captures, next) = next_page_fetch(ir, op, pageable, &page_type, &error_body);
    Some(quote! {
        #[doc = #doc]
        #[inline]
        pub fn into_stream(self) -> ::restsmith_runtime::pager::ItemStream<'a, #item_type, #error_body> {
            let client = self.client;
            #(#captures)*
            ::restsmith_runtime::pager::items(
                Box::pin(self.send().map(|response| response.body)),
                move |link| {
                    #next
                },
                |page: #page_type| (#take_items, #take_link),
            )
        }
    })
}

/// How the next page is fetched: through `operationName`'s operation when it takes the link as
/// a `nextLink` parameter (its other arguments copied from this request), else by following
/// the link, adding that operation's constant query parameters.
fn next_page_fetch(
    ir: &ApiIr,
    op: &OperationIr,
    pageable: &crate::ir::PageableIr,
    page_type: &TokenStream,
    error_body: &TokenStream,
) -> (Vec<TokenStream>, TokenStream) {
    let direct = |extra: Vec<TokenStream>| {
        quote! {
            Box::pin(async move {
                ::restsmith_runtime::pager::next_page_with::<#page_type, #error_body>(client.core(), &META, &link, &[#(#extra),*]).await
            })
        }
    };
    // Azure: next links are fetched with the client's api-version, whatever the link carries.
    let own_api_version: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query && p.wire_name.eq_ignore_ascii_case("api-version"))
        .filter_map(|p| {
            let value = p.constant.as_ref()?;
            let wire = &p.wire_name;
            Some(quote!((#wire, #value)))
        })
        .collect();
    let Some(next) = pageable.next_operation.as_ref().and_then(|m| ir.operations.iter().find(|o| &o.method_name == m)) else {
        return (Vec::new(), direct(own_api_version));
    };
    let constants: Vec<TokenStream> = next
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .filter_map(|p| {
            let value = p.constant.as_ref()?;
            let wire = &p.wire_name;
            Some(quote!((#wire, #value)))
        })
        .collect();
    let link_param = next.required_args().find(|p| p.wire_name.eq_ignore_ascii_case("nextLink"));
    let same_page = next.single_success_body() == op.single_success_body();
    let Some(link_param) = link_param.filter(|_| same_page && next.body.is_none() && next.lro.is_none()) else {
        return (Vec::new(), direct(constants));
    };
    let mut captures = Vec::new();
    let mut args = Vec::new();
    for p in next.required_args() {
        if p.rust_name == link_param.rust_name {
            args.push(quote!(link.clone()));
            continue;
        }
        let Some(ours) = op.required_args().find(|o| o.rust_name == p.rust_name && o.ty == p.ty) else {
            // An argument this request does not have: follow the link instead.
            return (Vec::new(), direct(constants));
        };
        let name = ident(&ours.rust_name);
        let captured = ident(&format!("next_{}", ours.rust_name));
        captures.push(quote!(let #captured = self.#name.clone();));
        args.push(quote!(#captured.clone()));
    }
    let method = ident(&next.method_name);
    let fetch = quote! {
        Box::pin(client.#method(#(#args),*).send().map(|response| response.body))
    };
    (captures, fetch)
}

/// The client-request-id header an operation's builder lets the caller set, when the API uses
/// one and the operation does not declare it as a parameter of its own.
fn own_client_request_id<'a>(ir: &'a ApiIr, op: &OperationIr) -> Option<&'a str> {
    let header = ir.client_request_id_header.as_deref()?;
    let declared = op.params.iter().any(|p| p.wire_name.eq_ignore_ascii_case(header) || p.rust_name == "client_request_id");
    (!declared).then_some(header)
}

/// Documentation lines of a parameter: its description plus constraints and default.
pub fn param_doc(p: &ParamIr) -> Vec<String> {
    let mut lines = match p.doc.as_deref().map(sanitize_doc) {
        Some(lines) if !lines.is_empty() => lines,
        _ => vec![format!("The `{}` parameter.", p.wire_name)],
    };
    let mut notes = Vec::new();
    let v = &p.validation;
    if let Some(pattern) = &v.pattern {
        notes.push(format!("must match `{pattern}`"));
    }
    match (v.min_length, v.max_length) {
        (Some(a), Some(b)) => notes.push(format!("length {a}..={b}")),
        (Some(a), None) => notes.push(format!("length at least {a}")),
        (None, Some(b)) => notes.push(format!("length at most {b}")),
        _ => {}
    }
    match (v.minimum, v.maximum) {
        (Some(a), Some(b)) => notes.push(format!("between {a} and {b}")),
        (Some(a), None) => notes.push(format!("at least {a}")),
        (None, Some(b)) => notes.push(format!("at most {b}")),
        _ => {}
    }
    match (v.min_items, v.max_items) {
        (Some(a), Some(b)) => notes.push(format!("{a} to {b} items")),
        (Some(a), None) => notes.push(format!("at least {a} items")),
        (None, Some(b)) => notes.push(format!("at most {b} items")),
        _ => {}
    }
    if let Some(default) = &p.default {
        notes.push(format!("server default `{default}`"));
    }
    if !notes.is_empty() {
        lines.push(String::new());
        lines.push(format!("Constraints: {}.", notes.join("; ")));
    }
    lines
}

/// An expression of type `&str` (or `&String`) for a value of type `t` held in `value` (a
/// reference), usable as a `&str` argument.
fn text_arg(ir: &ApiIr, t: &TypeRef, value: &TokenStream) -> TokenStream {
    match t {
        TypeRef::Named(name) if is_int_enum(ir, name) => quote!(&#value.to_string()),
        TypeRef::Prim(Primitive::String) => quote!(#value),
        TypeRef::Prim(Primitive::DateTime) => quote!(&::restsmith_runtime::format::date_time(#value)),
        TypeRef::Prim(Primitive::DateTimeRfc1123) => quote!(&::restsmith_runtime::format::rfc1123(#value)),
        TypeRef::Prim(Primitive::UnixTime) => quote!(&#value.timestamp().to_string()),
        TypeRef::Prim(Primitive::Bytes) => quote!(&::restsmith_runtime::format::base64(#value)),
        TypeRef::Prim(_) => quote!(&#value.to_string()),
        TypeRef::Named(name) if matches!(ir.resolved_def(name).map(|d| &d.kind), Some(TypeKind::Enum(_))) => {
            quote!(#value.as_str())
        }
        _ => quote!(&::restsmith_runtime::format::json(#value)),
    }
}

/// An expression implementing `AsRef<str>` (a reference or an owned `String`, never a borrow of
/// a temporary) for generic arguments such as `Query::push`.
fn text_value(ir: &ApiIr, t: &TypeRef, value: &TokenStream) -> TokenStream {
    match t {
        TypeRef::Named(name) if is_int_enum(ir, name) => quote!(#value.to_string()),
        TypeRef::Prim(Primitive::String) => quote!(#value),
        TypeRef::Named(name) if matches!(ir.resolved_def(name).map(|d| &d.kind), Some(TypeKind::Enum(_))) => {
            quote!(#value.as_str())
        }
        _ => text_owned(ir, t, value),
    }
}

/// An owned `String` for a value of type `t` held in `value` (a reference).
fn text_owned(ir: &ApiIr, t: &TypeRef, value: &TokenStream) -> TokenStream {
    match t {
        TypeRef::Named(name) if is_int_enum(ir, name) => quote!(#value.to_string()),
        TypeRef::Prim(Primitive::String) => quote!(#value.clone()),
        TypeRef::Named(name) if matches!(ir.resolved_def(name).map(|d| &d.kind), Some(TypeKind::Enum(_))) => {
            quote!(#value.as_str().to_owned())
        }
        TypeRef::Prim(Primitive::DateTime) => quote!(::restsmith_runtime::format::date_time(#value)),
        TypeRef::Prim(Primitive::DateTimeRfc1123) => quote!(::restsmith_runtime::format::rfc1123(#value)),
        TypeRef::Prim(Primitive::UnixTime) => quote!(#value.timestamp().to_string()),
        TypeRef::Prim(Primitive::Bytes) => quote!(::restsmith_runtime::format::base64(#value)),
        TypeRef::Prim(_) => quote!(#value.to_string()),
        _ => quote!(::restsmith_runtime::format::json(#value)),
    }
}

/// Whether `name` is an enum of integers (text via `Display`, not `as_str`).
fn is_int_enum(ir: &ApiIr, name: &str) -> bool {
    matches!(ir.resolved_def(name).map(|d| &d.kind), Some(TypeKind::Enum(e)) if e.integer)
}

/// `::restsmith_runtime::style::Style::…`.
fn style_tokens(style: crate::ir::ParamStyle) -> TokenStream {
    use crate::ir::ParamStyle::*;
    let name = ident(match style {
        Form => "Form",
        Simple => "Simple",
        Label => "Label",
        Matrix => "Matrix",
        SpaceDelimited => "SpaceDelimited",
        PipeDelimited => "PipeDelimited",
        DeepObject => "DeepObject",
    });
    quote!(::restsmith_runtime::style::Style::#name)
}

/// A `StyleValue` for a value of type `t` held in `value` (a reference).
fn style_value(ir: &ApiIr, t: &TypeRef, value: &TokenStream) -> TokenStream {
    match t {
        TypeRef::List(inner) if **inner == TypeRef::Prim(Primitive::String) => {
            quote!(::restsmith_runtime::style::StyleValue::Array(#value.clone()))
        }
        TypeRef::List(inner) => {
            let item = text_owned(ir, inner, &quote!(item));
            quote!(::restsmith_runtime::style::StyleValue::Array(#value.iter().map(|item| #item).collect()))
        }
        TypeRef::Map(_) | TypeRef::Any => quote!(::restsmith_runtime::style::StyleValue::object(#value)),
        TypeRef::Named(n) if !matches!(ir.resolved_def(n).map(|d| &d.kind), Some(TypeKind::Enum(_))) => {
            quote!(::restsmith_runtime::style::StyleValue::object(#value))
        }
        other => {
            let text = text_owned(ir, other, value);
            quote!(::restsmith_runtime::style::StyleValue::Primitive(#text))
        }
    }
}

/// Validation calls for a parameter value held in `value` (a reference).
fn validation_calls(p: &ParamIr, value: &TokenStream) -> TokenStream {
    let v = &p.validation;
    let name = &p.rust_name;
    let mut calls = Vec::new();
    let opt_usize = |x: Option<usize>| match x {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    };
    let opt_f64 = |x: Option<f64>| match x {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    };
    match &p.ty {
        TypeRef::Prim(Primitive::String) => {
            if let Some(pattern) = &v.pattern {
                calls.push(quote!(::restsmith_runtime::validate::pattern(#name, #value, #pattern)?;));
            }
            if v.min_length.is_some() || v.max_length.is_some() {
                let (min, max) = (opt_usize(v.min_length), opt_usize(v.max_length));
                calls.push(quote!(::restsmith_runtime::validate::length(#name, #value, #min, #max)?;));
            }
        }
        TypeRef::Prim(p @ (Primitive::I32 | Primitive::I64 | Primitive::F32 | Primitive::F64)) => {
            let as_f64 = if *p == Primitive::F64 { quote!(*#value) } else { quote!(*#value as f64) };
            if v.exclusive_minimum || v.exclusive_maximum {
                let bound = |b: Option<f64>, exclusive: bool| match b {
                    Some(n) => quote!(Some((#n, #exclusive))),
                    None => quote!(None),
                };
                let (min, max) = (bound(v.minimum, v.exclusive_minimum), bound(v.maximum, v.exclusive_maximum));
                calls.push(quote!(::restsmith_runtime::validate::range_exclusive(#name, #as_f64, #min, #max)?;));
            } else if v.minimum.is_some() || v.maximum.is_some() {
                let (min, max) = (opt_f64(v.minimum), opt_f64(v.maximum));
                calls.push(quote!(::restsmith_runtime::validate::range(#name, #as_f64, #min, #max)?;));
            }
            if let Some(factor) = v.multiple_of {
                calls.push(quote!(::restsmith_runtime::validate::multiple_of(#name, #as_f64, #factor)?;));
            }
        }
        TypeRef::List(_) => {
            if v.min_items.is_some() || v.max_items.is_some() {
                let (min, max) = (opt_usize(v.min_items), opt_usize(v.max_items));
                calls.push(quote!(::restsmith_runtime::validate::items(#name, #value.len(), #min, #max)?;));
            }
            if v.unique_items {
                calls.push(quote!(::restsmith_runtime::validate::unique(#name, #value)?;));
            }
        }
        _ => {}
    }
    quote!(#(#calls)*)
}

/// Runs `f` with an expression for the parameter's value (a reference), only when it is set.
/// Where a parameter's value lives: on the request builder, or on the client for settings.
fn value_place(p: &ParamIr) -> TokenStream {
    let name = ident(&p.rust_name);
    if p.client_setting {
        quote!(self.client.#name)
    } else {
        quote!(self.#name)
    }
}

fn with_value(p: &ParamIr, f: impl Fn(&TokenStream) -> TokenStream) -> TokenStream {
    let place = value_place(p);
    if let Some(constant) = &p.constant {
        return f(&quote!(#constant));
    }
    if p.required || p.client_setting {
        let body = f(&quote!(value));
        quote!({ let value = &#place; #body })
    } else {
        let body = f(&quote!(value));
        quote!(if let Some(value) = &#place { #body })
    }
}

/// The statements of `prepare()`: check the arguments and build the request.
fn prepare_body(ir: &ApiIr, op: &OperationIr) -> TokenStream {
    let validations = op.params.iter().filter(|p| p.constant.is_none() && !p.validation.is_empty()).map(|p| {
        with_value(p, |value| validation_calls(p, value))
    });

    let path = path_join(ir, op).unwrap_or_else(|| {
        let pushes = path_pushes(ir, op, &|p| value_place(p));
        quote!(let mut path = String::new(); #(#pushes)*)
    });

    let query_params: Vec<&ParamIr> = op.params.iter().filter(|p| p.location == ParamLocation::Query).collect();
    let mut query_pushes = Vec::new();
    // Runs of plain parameters go in one `push_texts` call each (order is kept).
    let batched = |p: &ParamIr| p.constant.is_none() && plain_text_param(ir, p);
    for run in query_params.chunk_by(|a, b| batched(a) == batched(b)) {
        if batched(run[0]) {
            let pairs = run.iter().map(|p| {
                let wire = &p.wire_name;
                let value = optional_value(p);
                quote!((#wire, #value))
            });
            query_pushes.push(quote!(query.push_texts(&[#(#pairs),*]);));
        } else {
            query_pushes.extend(run.iter().map(|p| query_push(ir, p)));
        }
    }

    let header_sets = op.params.iter().filter(|p| matches!(p.location, ParamLocation::Header | ParamLocation::Cookie)).map(|p| {
        let wire = &p.wire_name;
        let is_cookie = p.location == ParamLocation::Cookie;
        if let Some(constant) = &p.constant {
            return if is_cookie {
                quote!(request.cookie(#wire, #constant)?;)
            } else {
                quote!(request.header(#wire, #constant)?;)
            };
        }
        with_value(p, |value| {
            let text = match (&p.encoding, &p.ty) {
                (ParamEncoding::Styled { explode, .. }, ty) => {
                    let v = style_value(ir, ty, value);
                    quote!(&::restsmith_runtime::style::header(#explode, &#v))
                }
                (ParamEncoding::Json, _) => quote!(&::restsmith_runtime::format::json(#value)),
                (_, TypeRef::List(inner)) if **inner == TypeRef::Prim(Primitive::String) => quote!(&#value.join(",")),
                (_, TypeRef::List(inner)) => {
                    let item = text_owned(ir, inner, &quote!(item));
                    quote!(&#value.iter().map(|item| #item).collect::<Vec<_>>().join(","))
                }
                (_, other) => text_arg(ir, other, value),
            };
            if is_cookie {
                quote!(request.cookie(#wire, #text)?;)
            } else {
                quote!(request.header(#wire, #text)?;)
            }
        })
    });

    let body = op.body.as_ref().map(|b| {
        let set = if b.others.is_empty() {
            set_body(ir, &b.variants()[0], &quote!(body))
        } else {
            let arms = b.variants().into_iter().map(|v| {
                let name = ident(&v.rust_name);
                let set = set_body(ir, &v, &quote!(body));
                quote!(Body::#name(body) => { #set })
            });
            quote!(match body { #(#arms)* })
        };
        if b.required {
            quote!({ let body = &self.body; #set })
        } else {
            quote!(if let Some(body) = &self.body { #set })
        }
    });

    let accept = op.accept.as_ref().map(|accept| quote!(request.header("accept", #accept)?;));
    // An operation with its own server: absolute, or relative to the client's endpoint.
    let make_request = match &op.server {
        Some(server) => quote! {{
            let base = self.client.endpoint().join(#server).map_err(|e| ::restsmith_runtime::Error::validation("server", e.to_string()))?;
            self.client.core().request_at(&base, &META, &path, &query)
        }},
        None => quote!(self.client.core().request(&META, &path, &query)),
    };
    let own_request_id = own_client_request_id(ir, op).map(|header| {
        quote! {
            if let Some(value) = &self.client_request_id {
                request.header(#header, value)?;
            }
        }
    });
    quote! {
        #(#validations)*
        #path
        #[allow(unused_mut)]
        let mut query = ::restsmith_runtime::query::Query::new();
        #(#query_pushes)*
        #[allow(unused_mut)]
        let mut request = #make_request;
        #(#header_sets)*
        #accept
        #own_request_id
        #body
        Ok(request)
    }
}

/// The statement that adds query parameter `p` to `query` (when set).
fn query_push(ir: &ApiIr, p: &ParamIr) -> TokenStream {
    let wire = &p.wire_name;
    if let Some(constant) = &p.constant {
        return quote!(query.push(#wire, #constant););
    }
    with_value(p, |value| match (&p.encoding, &p.ty) {
        (ParamEncoding::IndexedList, TypeRef::List(inner)) if **inner == TypeRef::Prim(Primitive::String) => {
            quote!(query.push_indexed_list(#wire, #value);)
        }
        (ParamEncoding::IndexedList, TypeRef::List(inner)) => {
            let item = text_owned(ir, inner, &quote!(item));
            quote!(query.push_indexed_list(#wire, &#value.iter().map(|item| #item).collect::<Vec<_>>());)
        }
        (ParamEncoding::Styled { style, explode, allow_reserved }, ty) => {
            let style = style_tokens(*style);
            let v = style_value(ir, ty, value);
            quote!(query.push_encoded(::restsmith_runtime::style::query(#wire, #style, #explode, #allow_reserved, &#v));)
        }
        (ParamEncoding::Json, _) => quote!(query.push(#wire, ::restsmith_runtime::format::json(#value));),
        (ParamEncoding::Unencoded, _) => {
            let text = text_value(ir, &p.ty, value);
            quote!(query.push_unencoded(#wire, #text);)
        }
        _ => {
            let text = text_value(ir, &p.ty, value);
            quote!(query.push(#wire, #text);)
        }
    })
}

/// Whether a parameter is sent as its value's `Display` text, percent-encoded (no style, list
/// or special format): a string, number, boolean, UUID, date or enum. Such query parameters are
/// added by one `Query::push_texts` call and such path parameters by `path::join`.
fn plain_text_param(ir: &ApiIr, p: &ParamIr) -> bool {
    p.encoding == ParamEncoding::Simple
        && match &p.ty {
            TypeRef::Prim(prim) => !matches!(
                prim,
                Primitive::DateTime | Primitive::DateTimeRfc1123 | Primitive::UnixTime | Primitive::Bytes | Primitive::Binary
            ),
            TypeRef::Named(name) => matches!(ir.resolved_def(name).map(|d| &d.kind), Some(TypeKind::Enum(_))),
            _ => false,
        }
}

/// `&Option<…>` (as `&dyn QueryText`) of a parameter's value: the builder's field for an
/// optional parameter, `Some(…)` for a required one or a setting.
fn optional_value(p: &ParamIr) -> TokenStream {
    let place = value_place(p);
    if p.required || p.client_setting {
        quote!(&Some(&#place))
    } else {
        quote!(&#place)
    }
}

/// `path::join(literals, values)` building `op`'s path in one call, when every path parameter
/// is plain text (see [`plain_text_param`]); `None` otherwise.
fn path_join(ir: &ApiIr, op: &OperationIr) -> Option<TokenStream> {
    let mut literals = vec![String::new()];
    let mut values = Vec::new();
    for part in &op.path.parts {
        match part {
            PathPart::Literal(text) => literals.last_mut()?.push_str(text),
            PathPart::Param(wire) => {
                let p = op.params.iter().find(|p| p.location == ParamLocation::Path && &p.wire_name == wire)?;
                if !plain_text_param(ir, p) {
                    return None;
                }
                values.push(match &p.constant {
                    Some(constant) => quote!(&#constant),
                    None => {
                        let place = value_place(p);
                        quote!(&#place)
                    }
                });
                literals.push(String::new());
            }
        }
    }
    Some(quote!(let path = ::restsmith_runtime::path::join(&[#(#literals),*], &[#(#values),*]);))
}

/// Statements that append `op`'s path to a `path: String`, reading each path parameter from the
/// place `place_of` gives (a field of the builder or client).
pub fn path_pushes(ir: &ApiIr, op: &OperationIr, place_of: &dyn Fn(&ParamIr) -> TokenStream) -> Vec<TokenStream> {
    op.path
        .parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) if text.chars().count() == 1 => {
                let c = text.chars().next().unwrap_or('/');
                quote!(path.push(#c);)
            }
            PathPart::Literal(text) => quote!(path.push_str(#text);),
            PathPart::Param(wire) => {
                let Some(p) = op.params.iter().find(|p| p.location == ParamLocation::Path && &p.wire_name == wire) else {
                    return TokenStream::new();
                };
                if let Some(constant) = &p.constant {
                    return quote!(path.push_str(&::restsmith_runtime::path::segment(#constant)););
                }
                let place = place_of(p);
                let rust_name = &p.rust_name;
                match p.encoding {
                    ParamEncoding::ArmScope => quote!(path.push_str(&::restsmith_runtime::path::arm_scope(#rust_name, &#place)?);),
                    ParamEncoding::Unencoded => {
                        let text = text_arg(ir, &p.ty, &quote!(value));
                        quote!({ let value = &#place; path.push_str(&::restsmith_runtime::path::unencoded(#rust_name, #text)?); })
                    }
                    ParamEncoding::Styled { style, explode, .. } => {
                        let wire = &p.wire_name;
                        let style = style_tokens(style);
                        let v = style_value(ir, &p.ty, &quote!(value));
                        quote!({ let value = &#place; path.push_str(&::restsmith_runtime::style::path(#wire, #style, #explode, &#v)); })
                    }
                    ParamEncoding::Json => {
                        quote!({ let value = &#place; path.push_str(&::restsmith_runtime::path::segment(&::restsmith_runtime::format::json(value))); })
                    }
                    _ => {
                        let text = text_arg(ir, &p.ty, &quote!(value));
                        quote!({ let value = &#place; path.push_str(&::restsmith_runtime::path::segment(#text)); })
                    }
                }
            }
        })
        .collect()
}

/// (stored type, argument type, whether the argument converts with `.into()`) of a request body.
fn body_types(b: &crate::ir::RequestBodyIr) -> (TokenStream, TokenStream, bool) {
    if !b.others.is_empty() {
        return (quote!(Body), quote!(Body), false);
    }
    match b.kind {
        BodyKind::Binary => (quote!(::restsmith_runtime::Binary), quote!(impl ::std::convert::Into<::restsmith_runtime::Binary>), true),
        BodyKind::Text => (quote!(String), quote!(impl ::std::convert::Into<String>), true),
        _ => {
            let ty = type_tokens(&b.ty, &models_path());
            (ty.clone(), ty, false)
        }
    }
}

/// Statements putting `value` (a reference to the body) on the request as media type `v`.
fn set_body(ir: &ApiIr, v: &crate::ir::BodyVariantIr, value: &TokenStream) -> TokenStream {
    let content_type = &v.content_type;
    match &v.kind {
        BodyKind::Json => {
            let set_type = (content_type != "application/json").then(|| quote!(request.content_type(#content_type);));
            quote!(#set_type request.json(#value)?;)
        }
        BodyKind::Form => quote!(request.content_type(#content_type); request.form(#value)?;),
        BodyKind::Binary | BodyKind::Text => quote!(request.content_type(#content_type); request.set_body(#value.clone());),
        BodyKind::Multipart(parts) => {
            let fields = match &v.ty {
                TypeRef::Named(n) => match ir.resolved_def(n).map(|d| &d.kind) {
                    Some(TypeKind::Struct(s)) => s.fields.clone(),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            let adds = parts.iter().filter_map(|part| {
                let field = fields.iter().find(|f| f.rust_name == part.rust_name)?;
                let name = ident(&part.rust_name);
                let wire = &part.wire_name;
                let part_type = match &part.content_type {
                    Some(t) => quote!(Some(#t)),
                    None => quote!(None),
                };
                let inner = match &field.ty {
                    TypeRef::List(inner) => inner.as_ref().clone(),
                    other => other.clone(),
                };
                let add_one = if part.file {
                    quote!(multipart.file(#wire, #wire, item.clone(), #part_type);)
                } else {
                    let text = text_owned(ir, &inner, &quote!(item));
                    quote!(multipart.text(#wire, #text, #part_type);)
                };
                let each = if part.list { quote!(for item in items { #add_one }) } else { quote!({ let item = items; #add_one }) };
                Some(if part.optional {
                    quote!(if let Some(items) = &#value.#name { #each })
                } else {
                    quote!({ let items = &#value.#name; #each })
                })
            });
            quote! {
                let mut multipart = ::restsmith_runtime::body::Multipart::new();
                #(#adds)*
                request.multipart(&multipart);
            }
        }
    }
}

/// The operation's `ErrorBody` enum when its error responses have different types by status.
fn error_enum(op: &OperationIr, name: &TokenStream) -> TokenStream {
    use crate::ir::ErrorStatus;
    if !op.has_error_enum() {
        return TokenStream::new();
    }
    let name_of = |status: ErrorStatus| match status {
        ErrorStatus::Code(c) => format!("Status{c}"),
        ErrorStatus::Range(r) => format!("Status{r}XX"),
        ErrorStatus::Default => "Default".to_owned(),
    };
    let typed: Vec<(ErrorStatus, &TypeRef)> = op.errors.iter().filter_map(|e| Some((e.status, e.ty.as_ref()?))).collect();
    let variants = typed.iter().map(|(status, ty)| {
        let name = ident(&name_of(*status));
        let ty = type_tokens(ty, &models_path());
        let doc = match status {
            ErrorStatus::Code(c) => format!(" The body of an HTTP {c} response."),
            ErrorStatus::Range(r) => format!(" The body of an HTTP {r}xx response."),
            ErrorStatus::Default => " The body of any other error response.".to_owned(),
        };
        quote!(#[doc = #doc] #name(#ty),)
    });
    // Exact statuses first, then classes, then the default.
    let mut ordered = op.errors.clone();
    ordered.sort_by_key(|e| match e.status {
        ErrorStatus::Code(_) => 0,
        ErrorStatus::Range(_) => 1,
        ErrorStatus::Default => 2,
    });
    let arms = ordered.iter().map(|e| {
        let pattern = match e.status {
            ErrorStatus::Code(c) => quote!(#c),
            ErrorStatus::Range(r) => {
                let (low, high) = (r * 100, r * 100 + 99);
                quote!(#low..=#high)
            }
            ErrorStatus::Default => quote!(_),
        };
        match &e.ty {
            Some(_) => {
                let name = ident(&name_of(e.status));
                quote!(#pattern => ::serde_json::from_slice(body).ok().map(Self::#name),)
            }
            None => quote!(#pattern => None,),
        }
    });
    let has_default = op.errors.iter().any(|e| e.status == ErrorStatus::Default);
    let fallback = (!has_default).then(|| quote!(_ => None,));
    let wrapped_arms = typed.iter().map(|(status, ty)| {
        let name = ident(&name_of(*status));
        if matches!(ty, TypeRef::Named(_) | TypeRef::Any) {
            quote!(Self::#name(body) => Some(body),)
        } else {
            quote!(Self::#name(_) => None,)
        }
    });
    let error_body_impl = super::errors::wrapping_impl(name, quote!(match self { #(#wrapped_arms)* }));
    quote! {
        /// The error bodies this operation documents, by status.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub enum #name {
            #(#variants)*
        }
        impl #name {
            /// Decodes the body of an error response with the type its status documents.
            #[inline]
            pub fn decode(status: ::restsmith_runtime::http::StatusCode, body: &[u8]) -> Option<Self> {
                #[allow(unreachable_patterns)]
                match status.as_u16() {
                    #(#arms)*
                    #fallback
                }
            }
        }
        #error_body_impl
    }
}

/// The operation's `Body` enum when its request body has several media types.
fn body_enum(op: &OperationIr) -> TokenStream {
    let Some(b) = op.body.as_ref().filter(|b| !b.others.is_empty()) else { return TokenStream::new() };
    let variants = b.variants().into_iter().map(|v| {
        let name = ident(&v.rust_name);
        let ty = match v.kind {
            BodyKind::Binary => quote!(::restsmith_runtime::Binary),
            BodyKind::Text => quote!(String),
            _ => type_tokens(&v.ty, &models_path()),
        };
        let doc = format!(" Sent as `{}`.", v.content_type);
        quote!(#[doc = #doc] #name(#ty),)
    });
    quote! {
        /// The request body in one of the media types the operation accepts.
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        pub enum Body {
            #(#variants)*
        }
    }
}

/// Whether responses need the envelope unwrapper.
fn body_expr(ir: &ApiIr, t: &TypeRef) -> TokenStream {
    let ty = type_tokens(t, &models_path());
    match &ir.envelope {
        Some(envelope) => {
            let result = &envelope.result;
            let error = &envelope.error;
            quote!(response.envelope_result::<#ty, _>(#result, #error)?)
        }
        None => quote!(response.json::<#ty, _>()?),
    }
}

/// The module's `decode` function: the response of a plain (not long-running) operation.
fn decode_response(ir: &ApiIr, op: &OperationIr) -> TokenStream {
    if let Some(call) = decode_one_call(ir, op) {
        let error = error_type(ir, op);
        return quote! {
            /// Checks the response's status and decodes it.
            #[inline]
            fn decode(response: ::restsmith_runtime::RawResponse) -> Result<Response, #error> {
                #call
            }
        };
    }
    let single = op.single_success_body();
    let arms = op.success.iter().map(|r| {
        let status = r.status;
        let decode = |t: &TypeRef| match r.media {
            crate::ir::ResponseMedia::Json => body_expr(ir, t),
            crate::ir::ResponseMedia::Text => quote!(response.text()),
            crate::ir::ResponseMedia::Binary => quote!(response.body.clone()),
        };
        let body = match (&r.body, single.is_some()) {
            (Some(t), true) => decode(t),
            (None, true) => quote!({}),
            (Some(t), false) => {
                let variant = ident(&status_variant(r));
                let expr = decode(t);
                quote!(Body::#variant(#expr))
            }
            (None, false) => {
                let variant = ident(&status_variant(r));
                quote!(Body::#variant)
            }
        };
        if r.range {
            quote!(200..=299 => #body,)
        } else {
            quote!(#status => #body,)
        }
    });
    let bind = if single == Some(None) { quote!() } else { quote!(let body =) };
    // An operation that documents no success response: any 2xx is success without a body.
    let arms: Vec<TokenStream> = if op.success.is_empty() { vec![quote!(200..=299 => {})] } else { arms.collect() };
    let into_error = if op.has_error_enum() { quote!(response.into_error_with(ErrorBody::decode)) } else { quote!(response.into_error()) };
    let request_id = match ir.envelope.as_ref().and_then(|e| e.request_id.as_ref()) {
        Some(pointer) => quote!(response.request_id().map(::std::borrow::ToOwned::to_owned).or_else(|| response.body_str_at(#pointer))),
        None => quote!(response.request_id().map(::std::borrow::ToOwned::to_owned)),
    };
    let body_value = if single == Some(None) { quote!(()) } else { quote!(body) };
    let headers = if merged_headers(op).is_empty() {
        quote!(::std::default::Default::default())
    } else {
        quote!(Headers::from_response(&response))
    };
    let error = error_type(ir, op);
    quote! {
        /// Checks the response's status and decodes it.
        #[inline]
        fn decode(response: ::restsmith_runtime::RawResponse) -> Result<Response, #error> {
        #bind match response.status.as_u16() {
            #(#arms)*
            _ => return Err(#into_error),
        };
        let request_id = #request_id;
        let headers = #headers;
        Ok(::restsmith_runtime::Response::new(response, request_id, headers, #body_value))
        }
    }
}

/// The body of `decode` as one call of `RawResponse::decode_one`, for an operation with at most
/// one success response whose body is JSON or absent (the usual case); `None` for the others
/// (several statuses, text or binary bodies, envelopes), which get a `match`.
fn decode_one_call(ir: &ApiIr, op: &OperationIr) -> Option<TokenStream> {
    if ir.envelope.is_some() || op.success.len() > 1 {
        return None;
    }
    let (range, has_body) = match op.success.first() {
        None => ((200u16, 299u16), false),
        Some(r) => {
            if r.body.is_some() && r.media != crate::ir::ResponseMedia::Json {
                return None;
            }
            (if r.range { (200, 299) } else { (r.status, r.status) }, r.body.is_some())
        }
    };
    let (low, high) = (proc_macro2::Literal::u16_unsuffixed(range.0), proc_macro2::Literal::u16_unsuffixed(range.1));
    let body = if has_body {
        quote!(::restsmith_runtime::RawResponse::json)
    } else {
        quote!(::restsmith_runtime::RawResponse::no_body)
    };
    let headers = if merged_headers(op).is_empty() {
        quote!(::restsmith_runtime::response::no_headers)
    } else {
        quote!(Headers::from_response)
    };
    let error_body = if op.has_error_enum() {
        quote!(ErrorBody::decode)
    } else {
        quote!(::restsmith_runtime::response::json_error)
    };
    Some(quote!(response.decode_one(#low..=#high, #body, #headers, #error_body)))
}

/// `Status201`, or `Status2XX` for the range.
fn status_variant(r: &crate::ir::ResponseIr) -> String {
    if r.range {
        "Status2XX".to_owned()
    } else {
        format!("Status{}", r.status)
    }
}

/// Headers of all success responses, merged by name (first declaration wins).
pub fn merged_headers(op: &OperationIr) -> Vec<HeaderIr> {
    let mut out: Vec<HeaderIr> = Vec::new();
    for r in &op.success {
        for h in &r.headers {
            if !out.iter().any(|o| o.wire_name.eq_ignore_ascii_case(&h.wire_name)) {
                out.push(h.clone());
            }
        }
    }
    out
}

fn header_field_type(ir: &ApiIr, h: &HeaderIr) -> TokenStream {
    match &h.ty {
        TypeRef::Prim(Primitive::Bytes) => quote!(String),
        TypeRef::Prim(p) => primitive_tokens(*p),
        TypeRef::Named(n) if extensible_enum(ir, n) => type_tokens(&h.ty, &models_path()),
        _ => quote!(String),
    }
}

fn extensible_enum(ir: &ApiIr, name: &str) -> bool {
    matches!(ir.resolved_def(name).map(|d| &d.kind), Some(TypeKind::Enum(e)) if e.extensible && !e.integer)
}

fn header_read(ir: &ApiIr, h: &HeaderIr) -> TokenStream {
    let wire = &h.wire_name;
    match &h.ty {
        TypeRef::Prim(Primitive::DateTimeRfc1123) => quote!(response.header_rfc1123(#wire)),
        TypeRef::Prim(Primitive::DateTime) => quote!(response.header_date_time(#wire)),
        TypeRef::Prim(Primitive::String | Primitive::Bytes) => quote!(response.header_str(#wire).map(::std::borrow::ToOwned::to_owned)),
        TypeRef::Prim(Primitive::UnixTime) => quote!(response.header::<i64>(#wire).and_then(|s| ::restsmith_runtime::chrono::DateTime::from_timestamp(s, 0))),
        TypeRef::Prim(p) => {
            let ty = primitive_tokens(*p);
            quote!(response.header::<#ty>(#wire))
        }
        TypeRef::Named(n) if extensible_enum(ir, n) => {
            let ty = type_tokens(&h.ty, &models_path());
            quote!(response.header_str(#wire).map(#ty::from))
        }
        _ => quote!(response.header_str(#wire).map(::std::borrow::ToOwned::to_owned)),
    }
}

/// The operation's `Headers` struct (named `name`) and its reader, when the spec documents
/// response headers.
fn headers_struct(ir: &ApiIr, op: &OperationIr, name: &TokenStream) -> Option<TokenStream> {
    let headers = merged_headers(op);
    if headers.is_empty() {
        return None;
    }
    let header_fields = headers.iter().map(|h| {
        let name = ident(&h.rust_name);
        let ty = header_field_type(ir, h);
        let doc = lines_to_doc(&labelled(&format!("`{}`", h.wire_name), h.doc.as_deref()));
        quote!(#doc pub #name: Option<#ty>,)
    });
    let header_inits = headers.iter().map(|h| {
        let name = ident(&h.rust_name);
        let read = header_read(ir, h);
        quote!(#name: #read,)
    });
    Some(quote! {
        /// The response headers the spec documents, decoded (`None` when absent or malformed).
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::default::Default, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#header_fields)*
        }

        impl #name {
            #[inline]
            pub(crate) fn from_response(response: &::restsmith_runtime::RawResponse) -> Self {
                Self { #(#header_inits)* }
            }
        }
    })
}

/// The operation's `Response` alias, its `Body` enum when several statuses have bodies, and its
/// `Headers` (`shared_headers`: the re-export of a shared struct, see [`SharedItems`]).
fn response_types(ir: &ApiIr, op: &OperationIr, shared_headers: Option<&TokenStream>) -> TokenStream {
    let method = &op.method_name;
    let (body_type, body_item) = match op.single_success_body() {
        Some(Some(t)) => (type_tokens(t, &models_path()), TokenStream::new()),
        Some(None) => (quote!(()), TokenStream::new()),
        None => {
            let variants = op.success.iter().map(|r| {
                let variant = ident(&status_variant(r));
                let doc = lines_to_doc(&labelled(&format!("HTTP {}", r.status), r.doc.as_deref()));
                match &r.body {
                    Some(t) => {
                        let ty = type_tokens(t, &models_path());
                        quote!(#doc #variant(#ty),)
                    }
                    None => quote!(#doc #variant,),
                }
            });
            (
                quote!(Body),
                quote! {
                    /// The response body, which depends on the status code.
                    #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
                    pub enum Body {
                        #(#variants)*
                    }
                },
            )
        }
    };
    let statuses = op.success.iter().map(|r| r.status.to_string()).collect::<Vec<_>>().join(", ");
    let response_doc = format!(" The successful response of [`Client::{method}`](super::super::client::Client::{method}) (status {statuses}).");
    // Without documented headers, the runtime's shared (empty) type: no struct to compile.
    let headers_item = match shared_headers {
        Some(reexport) => reexport.clone(),
        None => headers_struct(ir, op, &quote!(Headers)).unwrap_or_else(|| {
            quote! {
                /// The response headers the spec documents: none.
                pub type Headers = ::restsmith_runtime::NoHeaders;
            }
        }),
    };
    quote! {
        #[doc = #response_doc]
        pub type Response = ::restsmith_runtime::Response<#body_type, Headers>;

        #body_item

        #headers_item
    }
}

/// `label: first line of the spec text`, then the rest of it.
fn labelled(label: &str, spec: Option<&str>) -> Vec<String> {
    let mut lines = spec.map(sanitize_doc).unwrap_or_default();
    match lines.first_mut() {
        Some(first) => *first = format!("{label}: {first}"),
        None => lines.push(label.to_owned()),
    }
    lines
}
