//! Stage 3: codegen. Turns an [`ApiIr`] into the files of a crate: Rust modules built with
//! `quote!`, parsed into a `syn::File` and printed by prettyplease, plus `Cargo.toml` and
//! `README.md` from the templates. Reads only the IR; performs no I/O.

mod client;
mod errors;
pub mod features;
mod lro;
mod models;
mod operations;
mod serde_text;
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

/// The items of module `name` (one of [`module_list`]'s). `plan` must be complete for the
/// models; the others need only its operations' features.
fn module_items(ir: &ApiIr, plan: Option<&features::FeaturePlan>, name: &str) -> TokenStream {
    match name {
        "auth" => client::auth_file(ir),
        "client" => client::client_file(ir, plan),
        "models" => models::models_file(ir, plan),
        _ => operations::operations_file(ir, plan, |_| {}),
    }
}

/// The items of the operations module and the complete feature plan: `tags_plan` (from
/// [`features_for_operations`]) with each model gated by the operations that name it, found
/// in the operation modules as they are built (so they are built once).
fn operations_and_plan(ir: &ApiIr, tags_plan: Option<features::FeaturePlan>) -> (TokenStream, Option<features::FeaturePlan>) {
    let mut items = TokenStream::new();
    let plan = each_operation_chunk(ir, tags_plan, |chunk| {
        items.extend(chunk);
        Ok(())
    });
    // The sink above never fails.
    (items, plan.unwrap_or_default())
}

/// Hands the operations module's items to `sink` one operation at a time, then returns the
/// complete feature plan as [`operations_and_plan`] does.
fn each_operation_chunk(
    ir: &ApiIr,
    tags_plan: Option<features::FeaturePlan>,
    mut sink: impl FnMut(TokenStream) -> Result<()>,
) -> Result<Option<features::FeaturePlan>> {
    let Some(mut plan) = tags_plan else {
        operations::operation_chunks(ir, None, |_| {}).try_for_each(sink)?;
        return Ok(None);
    };
    let names = features::ModelNames::of(ir);
    let mut named = Vec::with_capacity(ir.operations.len());
    operations::operation_chunks(ir, Some(&plan), |module| named.push(names.named_in(module))).try_for_each(&mut sink)?;
    plan.gate_models(ir, &named);
    Ok(Some(plan))
}

/// The cargo features of the crate and the operations they gate, with the features-per-tag
/// option (models are gated once the operation modules are built: [`operations_and_plan`]).
fn features_for_operations(ir: &ApiIr) -> Option<features::FeaturePlan> {
    (ir.options.features_per_tag && !ir.options.types_only).then(|| features::FeaturePlan::for_operations(ir))
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
    rust_sources_with(ir, features_for_operations(ir).as_ref())
}

/// The Rust sources, `tags_plan` from [`features_for_operations`].
fn rust_sources_with(ir: &ApiIr, tags_plan: Option<&features::FeaturePlan>) -> Result<Vec<GeneratedFile>> {
    let lib = GeneratedFile { contents: format_file(ir, "src/lib.rs", lib_file(ir))?, path: PathBuf::from("src/lib.rs") };
    // lib.rs declares exactly the modules produced here. Each module is built and formatted on
    // its own thread (token streams are not `Send`, so each thread makes its own): on a large
    // API, models and operations are of similar size and formatting dominates. With features
    // per tag, the models thread waits for the plan the operations thread completes.
    let (plan_sender, plan_receiver) = std::sync::mpsc::channel::<features::FeaturePlan>();
    let mut plan_sender = Some(plan_sender);
    let mut plan_receiver = Some(plan_receiver);
    let modules = std::thread::scope(|scope| {
        let handles: Vec<_> = module_list(ir)
            .into_iter()
            .map(|(name, doc, _)| {
                let sender = if name == "operations" { plan_sender.take() } else { None };
                let receiver = if name == "models" { plan_receiver.take() } else { None };
                scope.spawn(move || -> Result<GeneratedFile> {
                    let path = format!("src/{name}.rs");
                    let mut source = SourceWriter::new(ir, &path);
                    let doc = format!(" {doc}");
                    source.push(quote!(#![doc = #doc]))?;
                    // The two large modules are formatted one operation or model at a time, so
                    // their tokens and syntax trees never exist all at once.
                    match name {
                        "operations" => {
                            // The plan first (the models thread waits for it), then the text.
                            let mut chunks = Vec::with_capacity(ir.operations.len() + 1);
                            let plan = each_operation_chunk(ir, tags_plan.cloned(), |chunk| {
                                chunks.push(chunk);
                                Ok(())
                            })?;
                            if let (Some(plan), Some(sender)) = (plan, sender) {
                                // The models thread may have failed already: nothing to tell it.
                                let _ = sender.send(plan);
                            }
                            chunks.into_iter().try_for_each(|chunk| source.push(chunk))?;
                        }
                        "models" => match (tags_plan, receiver) {
                            (Some(_), Some(receiver)) => {
                                // Build the models while the operations thread completes the plan.
                                let items = models::model_items(ir);
                                let plan = receiver.recv().map_err(|_| Error::Internal {
                                    what: format!("models of `{}`", ir.crate_name),
                                    message: "the operations module was not built".into(),
                                })?;
                                models::gated_model_chunks(ir, items, Some(&plan)).try_for_each(|chunk| source.push_model(chunk))?;
                            }
                            _ => models::gated_model_chunks(ir, models::model_items(ir), None).try_for_each(|chunk| source.push_model(chunk))?,
                        },
                        _ => source.push(module_items(ir, tags_plan, name))?,
                    }
                    Ok(GeneratedFile { contents: source.finish(), path: PathBuf::from(path) })
                })
            })
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
    // The operations first: they complete the feature plan the models need.
    let (operation_items, plan) = if ir.options.types_only {
        (TokenStream::new(), None)
    } else {
        operations_and_plan(ir, features_for_operations(ir))
    };
    let mut operation_items = Some(operation_items);
    let modules: Vec<TokenStream> = module_list(ir)
        .into_iter()
        .map(|(name, doc, public)| {
            let items = match name {
                "operations" => operation_items.take().unwrap_or_default(),
                _ => module_items(ir, plan.as_ref(), name),
            };
            let name = rust::ident(name);
            let doc = format!(" {doc}");
            let vis = if public { quote!(pub) } else { TokenStream::new() };
            quote! {
                #[doc = #doc]
                #[allow(#lints)]
                #vis mod #name { #items }
            }
        })
        .collect();
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
    // Cargo.toml's features table needs only the tags' features.
    let plan = features_for_operations(ir);
    let mut files = templates::crate_files(ir, layout, plan.as_ref());
    files.extend(rust_sources_with(ir, plan.as_ref())?);
    Ok(files)
}

/// Formats tokens into a file with the `@generated` header.
fn format_file(ir: &ApiIr, path: &str, tokens: TokenStream) -> Result<String> {
    let mut source = SourceWriter::new(ir, path);
    source.push(tokens)?;
    Ok(source.finish())
}

/// A Rust source file formatted piece by piece: each piece of items is parsed and printed on
/// its own and appended (prettyplease puts nothing between top-level items, so the text is the
/// same as printing them all as one file), after the `@generated` header.
struct SourceWriter<'a> {
    ir: &'a ApiIr,
    path: &'a str,
    text: String,
}

impl<'a> SourceWriter<'a> {
    fn new(ir: &'a ApiIr, path: &'a str) -> Self {
        let how = if path == "module" { "it is regenerated by build.rs" } else { "regenerate with `cargo run -- generate`" };
        let text = format!("// @generated by restsmith {GENERATOR_VERSION} from {}. Do not edit: {how}.\n\n", ir.source_name);
        SourceWriter { ir, path, text }
    }

    /// Parses and prints `tokens` (whole items, or a file's inner attributes) after the text so far.
    fn push(&mut self, tokens: TokenStream) -> Result<()> {
        if tokens.is_empty() {
            return Ok(());
        }
        let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal {
            what: format!("{} of `{}`", self.path, self.ir.crate_name),
            message: e.to_string(),
        })?;
        self.text.push_str(&prettyplease::unparse(&file));
        Ok(())
    }

    /// Pushes a model's items: tokens, then text already formatted.
    fn push_model(&mut self, (tokens, text): (TokenStream, String)) -> Result<()> {
        self.push(tokens)?;
        self.text.push_str(&text);
        Ok(())
    }

    fn finish(self) -> String {
        self.text
    }
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
