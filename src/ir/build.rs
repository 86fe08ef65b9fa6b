//! Builds the [`ApiIr`] of a loaded spec: types first (so references resolve), then operations,
//! then the passes that need everything (boxing of recursive fields, ordering).

use openapiv3::{MediaType, ReferenceOr};
use serde_json::Value;

use super::names;
use super::operations::OperationBuilder;
use super::recursion::box_recursive_fields;
use super::security::security_schemes;
use super::types::TypeBuilder;
use super::{ApiIr, EnvelopeIr, ParamLocation, ServerIr, ServerVariableIr, TypeRef};
use crate::error::{Diagnostic, Error, Location, Result};
use crate::load::LoadedSpec;
use crate::settings::GenerateOptions;

/// The IR of `spec` for a crate named `crate_name`, and the warnings met on the way.
pub fn build(spec: &LoadedSpec, crate_name: &str) -> Result<(ApiIr, Vec<Diagnostic>)> {
    build_with(spec, crate_name, &GenerateOptions::default())
}

/// [`build`] with generation options (operation filters, renames, type replacements, …).
pub fn build_with(spec: &LoadedSpec, crate_name: &str, options: &GenerateOptions) -> Result<(ApiIr, Vec<Diagnostic>)> {
    // Looking for unknown extensions walks the whole document: a second thread does it while
    // this one builds the IR.
    std::thread::scope(|scope| {
        let unknown = scope.spawn(|| super::extensions::unknown_extensions(&spec.raw, &spec.root_file));
        build_beside(spec, crate_name, options, move || unknown.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

/// [`build_with`]; `unknown_extensions` gives the warnings on unknown extensions (they come
/// first among the IR's warnings).
fn build_beside(
    spec: &LoadedSpec,
    crate_name: &str,
    options: &GenerateOptions,
    unknown_extensions: impl FnOnce() -> Vec<Diagnostic>,
) -> Result<(ApiIr, Vec<Diagnostic>)> {
    let openapi = &spec.openapi;
    let file = spec.root_file.as_path();
    let mut errors = Vec::new();
    let mut warnings: Vec<Diagnostic> = Vec::new();

    let envelope = match openapi.extensions.get("x-restsmith-envelope") {
        Some(config) => match envelope_of(config) {
            Some(envelope) => Some(envelope),
            None => {
                errors.push(Diagnostic::new(
                    Location::new(file, "/x-restsmith-envelope"),
                    "x-restsmith-envelope needs string pointers `result` and `error`",
                ));
                None
            }
        },
        None => None,
    };

    let mut types = TypeBuilder::new(openapi, file);
    types.build_components();
    let mut operation_builder = OperationBuilder::new(&mut types, openapi, file, envelope.clone());
    let mut operations = operation_builder.build_all();
    warnings.append(&mut operation_builder.warnings);
    errors.append(&mut operation_builder.errors);
    let security = security_schemes(openapi, file, &mut errors);

    let media_examples = media_examples(openapi, &types);
    let built = types.finish();
    let mut type_defs = built.types;
    let mut examples = built.examples;
    warnings.extend(built.warnings);
    errors.extend(built.errors);
    examples.extend(media_examples);
    examples.sort_by(|a, b| a.0.cmp(&b.0));
    examples.dedup();

    apply_options(options, &mut operations, &mut type_defs, &mut warnings, file, &mut errors);
    if !errors.is_empty() {
        errors.sort();
        errors.dedup();
        return Err(Error::SpecMany(errors.into_iter().map(|d| relocate(spec, d)).collect()));
    }

    if !options.distinct_inline_types {
        super::shared::share_identical_enums(&mut type_defs, &built.named_enums);
        super::shared::share_identical_structs(&mut type_defs);
    }
    box_recursive_fields(&mut type_defs);
    operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));

    let client_request_id_header = operations
        .iter()
        .flat_map(|o| o.params.iter())
        .find(|p| {
            p.location == ParamLocation::Header
                && (p.wire_name.eq_ignore_ascii_case("x-ms-client-request-id") || p.wire_name.eq_ignore_ascii_case("client-request-id"))
        })
        .map(|p| p.wire_name.to_ascii_lowercase())
        .or_else(|| {
            let arm = openapi.servers.iter().any(|s| s.url.contains("management.azure.com"))
                || operations.iter().any(|o| matches!(o.lro, Some(super::LroIr::Azure { .. })));
            arm.then(|| "x-ms-client-request-id".to_owned())
        });

    let mut client_settings: Vec<super::ParamIr> = Vec::new();
    for p in operations.iter().flat_map(|o| o.params.iter()).filter(|p| p.client_setting && p.constant.is_none()) {
        if !client_settings.iter().any(|c| c.rust_name == p.rust_name) {
            client_settings.push(p.clone());
        }
    }
    let ir = ApiIr {
        crate_name: crate_name.to_owned(),
        title: openapi.info.title.clone(),
        description: openapi.info.description.clone(),
        version: openapi.info.version.clone(),
        source_name: file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        servers: servers(openapi),
        types: type_defs,
        operations,
        security,
        client_settings,
        client_request_id_header,
        envelope,
        examples,
        options: super::CodegenChoices {
            types_only: options.types_only,
            features_per_tag: options.features_per_tag,
            serde_derive: options.serde_derive,
            extra_derives: options.extra_derives.clone(),
            extra_attributes: options.extra_attributes.clone(),
            client_name: options.client_name.clone().unwrap_or_else(|| "Client".to_owned()),
        },
    };
    warnings.splice(0..0, unknown_extensions());
    // Load warnings are located already; the IR's own ones point into the normalized document.
    let warnings = spec.warnings.iter().cloned().chain(warnings.into_iter().map(|d| relocate(spec, d))).collect();
    Ok((ir, warnings))
}

/// Maps a diagnostic on the normalized document back to the user's file.
fn relocate(spec: &LoadedSpec, d: Diagnostic) -> Diagnostic {
    if d.location.file == spec.root_file {
        Diagnostic { location: spec.locate(&d.location.pointer), message: d.message }
    } else {
        d
    }
}

fn envelope_of(config: &Value) -> Option<EnvelopeIr> {
    Some(EnvelopeIr {
        result: config.get("result")?.as_str()?.to_owned(),
        error: config.get("error")?.as_str()?.to_owned(),
        request_id: config.get("request-id").and_then(Value::as_str).map(str::to_owned),
    })
}

fn servers(openapi: &openapiv3::OpenAPI) -> Vec<ServerIr> {
    openapi
        .servers
        .iter()
        .map(|server| {
            let mut variables = Vec::new();
            let mut rest = server.url.as_str();
            while let Some(open) = rest.find('{') {
                let Some(close) = rest[open..].find('}') else { break };
                let name = &rest[open + 1..open + close];
                let spec_var = server.variables.as_ref().and_then(|v| v.get(name));
                let default = spec_var.map(|v| v.default.clone()).unwrap_or_default();
                variables.push(ServerVariableIr {
                    name: name.to_owned(),
                    rust_name: names::field_name(name),
                    is_whole_url: server.url.trim() == format!("{{{name}}}") || default.contains("://"),
                    default,
                    allowed: spec_var.map(|v| v.enumeration.clone()).unwrap_or_default(),
                    description: spec_var.and_then(|v| v.description.clone()),
                });
                rest = &rest[open + close + 1..];
            }
            ServerIr { url: server.url.clone(), description: server.description.clone(), variables }
        })
        .collect()
}

/// Examples given on request and response media types whose schema is a named component.
fn media_examples(openapi: &openapiv3::OpenAPI, types: &TypeBuilder<'_>) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut visit = |media: &MediaType| {
        let Some(ReferenceOr::Reference { reference }) = &media.schema else { return };
        let Some(TypeRef::Named(name)) = types.named_component(reference) else { return };
        if let Some(example) = &media.example {
            out.push((name.clone(), example.clone()));
        }
        for example in media.examples.values() {
            if let ReferenceOr::Item(example) = example {
                if let Some(value) = &example.value {
                    out.push((name.clone(), value.clone()));
                }
            }
        }
    };
    for (_, _, operation) in openapi.operations() {
        if let Some(ReferenceOr::Item(body)) = &operation.request_body {
            body.content.values().for_each(&mut visit);
        }
        for response in operation.responses.responses.values().chain(operation.responses.default.iter()) {
            if let ReferenceOr::Item(response) = response {
                response.content.values().for_each(&mut visit);
            }
        }
    }
    out
}

/// Operation filters, method renames and type replacements.
fn apply_options(
    options: &GenerateOptions,
    operations: &mut Vec<super::OperationIr>,
    types: &mut [super::TypeDef],
    warnings: &mut Vec<Diagnostic>,
    file: &std::path::Path,
    errors: &mut Vec<Diagnostic>,
) {
    let at = |message: String| Diagnostic::new(Location::new(file, ""), message);
    if !options.include_operations.is_empty() || !options.include_tags.is_empty() {
        operations.retain(|o| {
            options.include_operations.contains(&o.operation_id) || o.tags.iter().any(|t| options.include_tags.contains(t))
        });
        for id in &options.include_operations {
            if !operations.iter().any(|o| &o.operation_id == id) {
                errors.push(at(format!("--include-operation `{id}`: no such operationId")));
            }
        }
        for tag in &options.include_tags {
            if !operations.iter().any(|o| o.tags.contains(tag)) {
                errors.push(at(format!("--include-tag `{tag}`: no operation has this tag")));
            }
        }
    }
    if options.types_only {
        operations.clear();
    }
    for (id, method) in &options.method_names {
        let name = names::field_name(method);
        if operations.iter().any(|o| o.method_name == name && &o.operation_id != id) {
            errors.push(at(format!("--method-name {id}={method}: another operation already uses `{name}`")));
            continue;
        }
        match operations.iter_mut().find(|o| &o.operation_id == id) {
            Some(op) => op.method_name = name,
            None => errors.push(at(format!("--method-name `{id}`: no such operationId"))),
        }
    }
    for (schema, path) in &options.type_replacements {
        let name = names::type_name(schema);
        if syn::parse_str::<syn::Path>(path).is_err() {
            errors.push(at(format!("--replace-type {schema}={path}: `{path}` is not a Rust path")));
            continue;
        }
        match types.iter_mut().find(|t| t.name == name || t.origin.ends_with(&format!("/{schema}"))) {
            Some(t) => t.kind = super::TypeKind::External(path.clone()),
            None => warnings.push(at(format!("--replace-type `{schema}`: no such schema; ignored"))),
        }
    }
    for attribute in &options.extra_attributes {
        if syn::parse_str::<syn::Meta>(attribute).is_err() {
            errors.push(at(format!("--attribute `{attribute}` is not an attribute (write it without `#[]`)")));
        }
    }
    for derive in &options.extra_derives {
        if syn::parse_str::<syn::Path>(derive).is_err() {
            errors.push(at(format!("--derive `{derive}` is not a Rust path")));
        }
    }
    if let Some(name) = &options.client_name {
        if syn::parse_str::<syn::Ident>(name).is_err() {
            errors.push(at(format!("--client-name `{name}` is not a Rust identifier")));
        }
    }
}
