//! Stage 3: codegen. Turns an [`ApiIr`] into the files of a crate: Rust modules built with
//! `quote!`, parsed into a `syn::File` and printed by prettyplease, plus `Cargo.toml` and
//! `README.md` from the templates. Reads only the IR; performs no I/O.

mod client;
mod errors;
pub mod features;
mod lro;
mod models;
mod operations;
pub mod rust;
pub mod surface;
mod templates;

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::{Error, Result};
use crate::ir::ApiIr;

pub use templates::CrateLayout;

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the crate root (e.g. `src/models.rs`).
    pub path: PathBuf,
    /// The file's contents.
    pub contents: String,
}

/// The version of restsmith written into `@generated` headers.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The modules of a generated API: (name, doc, public). Types-only mode has models only.
fn module_list(ir: &ApiIr) -> Vec<(&'static str, &'static str, bool)> {
    let models = ("models", "Models: the request and response bodies of the API.", true);
    if ir.options.types_only {
        return vec![models];
    }
    vec![
        ("auth", "Credentials for the security schemes the API declares.", true),
        ("client", "The API client.", false),
        models,
        ("operations", "One module per operation: its request builder and its response or poller.", true),
    ]
}

/// The modules of a generated API with their items: (name, doc, public, items).
fn modules(ir: &ApiIr, plan: Option<&features::FeaturePlan>) -> Vec<(&'static str, &'static str, bool, TokenStream)> {
    module_list(ir)
        .into_iter()
        .map(|(name, doc, public)| (name, doc, public, module_items(ir, plan, name)))
        .collect()
}

/// The items of module `name` (one of [`module_list`]'s).
fn module_items(ir: &ApiIr, plan: Option<&features::FeaturePlan>, name: &str) -> TokenStream {
    match name {
        "auth" => client::auth_file(ir),
        "client" => client::client_file(ir, plan),
        "models" => models::models_file(ir, plan),
        _ => operations::operations_file(ir, plan),
    }
}

/// The cargo features of the crate, with the features-per-tag option (and operations to gate).
pub fn feature_plan(ir: &ApiIr) -> Option<features::FeaturePlan> {
    (ir.options.features_per_tag && !ir.options.types_only).then(|| {
        features::FeaturePlan::new(ir, |op| {
            let mut tokens = operations::operation_module(ir, op);
            tokens.extend(client::operation_method(op));
            tokens
        })
    })
}

/// `pub use client::Client;` (renamed by the client-name option), unless types-only.
fn client_export(ir: &ApiIr) -> TokenStream {
    if ir.options.types_only {
        return TokenStream::new();
    }
    let name = &ir.options.client_name;
    if name.is_empty() || name == "Client" {
        quote!(pub use client::Client;)
    } else {
        let alias = rust::ident(name);
        quote!(pub use client::Client as #alias;)
    }
}

/// Lints allowed in generated code (kept visible at the top of every generated crate).
fn allowed_lints(ir: &ApiIr) -> TokenStream {
    // With features per tag, a build with few features leaves some helpers unused.
    let partial = (ir.options.features_per_tag && !ir.options.types_only).then(|| quote!(, dead_code, unused_imports));
    quote!(clippy::large_enum_variant, clippy::too_many_arguments, clippy::doc_lazy_continuation, clippy::module_inception, rustdoc::bare_urls #partial)
}

/// The Rust sources of a crate for `ir`: `src/lib.rs`, `src/models.rs`, `src/operations.rs`,
/// `src/client.rs`, `src/auth.rs`.
pub fn rust_sources(ir: &ApiIr) -> Result<Vec<GeneratedFile>> {
    rust_sources_with(ir, feature_plan(ir).as_ref())
}

fn rust_sources_with(ir: &ApiIr, plan: Option<&features::FeaturePlan>) -> Result<Vec<GeneratedFile>> {
    let lib = GeneratedFile { contents: format_file(ir, "src/lib.rs", lib_file(ir))?, path: PathBuf::from("src/lib.rs") };
    // lib.rs declares exactly the modules produced here. Each module is built and formatted on
    // its own thread (token streams are not `Send`, so each thread makes its own): on a large
    // API, models and operations are of similar size and formatting dominates.
    let one = |name: &'static str, doc: &'static str| -> Result<GeneratedFile> {
        let items = module_items(ir, plan, name);
        let doc = format!(" {doc}");
        let path = format!("src/{name}.rs");
        Ok(GeneratedFile { contents: format_file(ir, &path, quote!(#![doc = #doc] #items))?, path: PathBuf::from(path) })
    };
    let modules = std::thread::scope(|scope| {
        let handles: Vec<_> = module_list(ir)
            .into_iter()
            .map(|(name, doc, _)| scope.spawn(move || one(name, doc)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect::<Result<Vec<_>>>()
    })?;
    Ok(std::iter::once(lib).chain(modules).collect())
}

/// The whole API as one file of items, for `include!` inside a module of the user's crate
/// (the `build.rs` flow). Paths inside are relative, so it works wherever it is mounted.
pub fn module_source(ir: &ApiIr) -> Result<String> {
    let lints = allowed_lints(ir);
    let plan = feature_plan(ir);
    let modules = modules(ir, plan.as_ref()).into_iter().map(|(name, doc, public, items)| {
        let name = rust::ident(name);
        let doc = format!(" {doc}");
        let vis = if public { quote!(pub) } else { TokenStream::new() };
        quote! {
            #[doc = #doc]
            #[allow(#lints)]
            #vis mod #name { #items }
        }
    });
    let error = error_alias(ir);
    let export = client_export(ir);
    format_file(ir, "module", quote! {
        #(#modules)*
        #export
        #error
    })
}

fn error_alias(ir: &ApiIr) -> TokenStream {
    let error_body = operations::crate_error_body(ir)
        .map(|t| rust::type_tokens(&t, &quote!(models::)))
        .unwrap_or_else(|| quote!(::serde_json::Value));
    quote! {
        /// The error type of this API's operations: transport and validation failures, and error
        /// responses decoded into the API's own error model.
        pub type Error = ::restsmith_runtime::Error<#error_body>;
    }
}

/// Every file of a crate for `ir`: the Rust sources plus `Cargo.toml` and `README.md`.
pub fn crate_files(ir: &ApiIr, layout: &CrateLayout) -> Result<Vec<GeneratedFile>> {
    let plan = feature_plan(ir);
    let mut files = templates::crate_files(ir, layout, plan.as_ref());
    files.extend(rust_sources_with(ir, plan.as_ref())?);
    Ok(files)
}

/// Formats tokens into a file with the `@generated` header.
fn format_file(ir: &ApiIr, path: &str, tokens: TokenStream) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal {
        what: format!("{} of `{}`", path, ir.crate_name),
        message: e.to_string(),
    })?;
    let body = prettyplease::unparse(&file);
    let how = if path == "module" { "it is regenerated by build.rs" } else { "regenerate with `cargo run -- generate`" };
    Ok(format!("// @generated by restsmith {GENERATOR_VERSION} from {}. Do not edit: {how}.\n\n{body}", ir.source_name))
}

/// `src/lib.rs`: the README (title, the spec's description, a usage example that `cargo test
/// --doc` compiles) as the crate documentation, the module declarations and re-exports.
fn lib_file(ir: &ApiIr) -> TokenStream {
    let error = error_alias(ir);
    let lints = allowed_lints(ir);
    let export = client_export(ir);
    let declarations = module_list(ir).into_iter().map(|(name, _, public)| {
        let name = rust::ident(name);
        if public {
            quote!(pub mod #name;)
        } else {
            quote!(mod #name;)
        }
    });
    quote! {
        #![doc = include_str!("../README.md")]
        #![allow(#lints)]

        #(#declarations)*

        #export

        #error
    }
}
