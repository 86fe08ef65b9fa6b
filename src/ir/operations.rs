//! Paths and operations → [`OperationIr`]: parameters (merged from path and operation level),
//! request bodies, success responses with typed headers, the error type, LRO strategy.

use std::collections::BTreeMap;

use openapiv3::{
    Header, MediaType, Operation, Parameter, ParameterData, ParameterSchemaOrContent, PathItem, PathStyle, QueryStyle, ReferenceOr,
    RequestBody, Response, Schema, SchemaKind, StatusCode, Type,
};
use serde_json::Value;

use super::names::{self, NameScope};
use super::types::{doc_of, TypeBuilder};
use super::{
    BodyKind, BodyVariantIr, EnvelopeIr, ErrorResponseIr, ErrorStatus, HeaderIr, LroIr, OperationIr, PartIr, ResponseMedia, ParamEncoding, ParamIr, ParamLocation, ParamStyle, PathPart, PathTemplate, Primitive,
    ReconcileIr, RequestBodyIr, ResponseIr, TypeRef, Validation,
};
use crate::error::{escape_pointer_token, Diagnostic, Location};

/// Method names that the generated `Client` uses itself, and the names of the operations
/// module's own modules (`by_tag`, `shared`).
const RESERVED_METHODS: &[&str] = &["new", "builder", "endpoint", "core", "with_options", "clone", "fmt", "by_tag", "shared"];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Builds operations; types met on the way go into the shared [`TypeBuilder`].
pub(crate) struct OperationBuilder<'t, 'a> {
    pub(crate) types: &'t mut TypeBuilder<'a>,
    pub(crate) openapi: &'a openapiv3::OpenAPI,
    pub(crate) file: std::path::PathBuf,
    pub(crate) envelope: Option<EnvelopeIr>,
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) errors: Vec<Diagnostic>,
    method_scope: NameScope,
    seen_ids: BTreeMap<String, String>,
}

impl<'t, 'a> OperationBuilder<'t, 'a> {
    /// A builder writing types into `types`.
    pub(crate) fn new(
        types: &'t mut TypeBuilder<'a>,
        openapi: &'a openapiv3::OpenAPI,
        file: &std::path::Path,
        envelope: Option<EnvelopeIr>,
    ) -> Self {
        OperationBuilder {
            types,
            openapi,
            file: file.to_path_buf(),
            envelope,
            warnings: Vec::new(),
            errors: Vec::new(),
            method_scope: NameScope::with_reserved(RESERVED_METHODS.iter().copied()),
            seen_ids: BTreeMap::new(),
        }
    }

    fn at(&self, pointer: &str) -> Location {
        Location::new(self.file.clone(), pointer)
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Diagnostic::new(self.at(pointer), message));
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(Diagnostic::new(self.at(pointer), message));
    }

    /// Every operation of the document, in document order.
    pub(crate) fn build_all(&mut self) -> Vec<OperationIr> {
        let mut out = Vec::new();
        for (path, item) in self.openapi.paths.paths.iter() {
            let path_pointer = format!("/paths/{}", escape_pointer_token(path));
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.error(&path_pointer, format!("path item `$ref` (`{reference}`) is not supported"));
                    continue;
                }
            };
            for (method, operation) in operations_of(item) {
                let pointer = format!("{path_pointer}/{method}");
                if let Some(op) = self.build_one(path, item, method, operation, &pointer) {
                    out.push(op);
                }
            }
        }
        self.resolve_poll_operations(&mut out);
        self.resolve_next_operations(&mut out);
        out
    }

    fn build_one(
        &mut self,
        path: &str,
        item: &PathItem,
        method: &str,
        operation: &Operation,
        pointer: &str,
    ) -> Option<OperationIr> {
        let operation_id = match &operation.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => derived_operation_id(method, path),
        };
        if operation_id.len() > crate::load::MAX_KEY_BYTES {
            let limit = crate::load::MAX_KEY_BYTES;
            self.error(&format!("{pointer}/operationId"), format!("an operationId longer than {limit} bytes (it becomes a Rust identifier)"));
            return None;
        }
        if let Some(first) = self.seen_ids.get(&operation_id).cloned() {
            self.error(&format!("{pointer}/operationId"), format!("duplicate operationId `{operation_id}` (first used at #{first})"));
            return None;
        }
        self.seen_ids.insert(operation_id.clone(), pointer.to_owned());
        let method_name = self.method_scope.claim(&names::field_name(&operation_id));
        if !operation.callbacks.is_empty() {
            self.warn(&format!("{pointer}/callbacks"), "callbacks describe requests the server sends; they are not part of the client and are skipped");
        }
        let type_stem = names::type_name(&operation_id);

        // `#Action=…` (RPC path keys) and `?query` (x-ms-paths overloads) are not part of the path.
        let template = path.split(['#', '?']).next().unwrap_or(path).to_owned();
        let template = if template.is_empty() { "/".to_owned() } else { template };
        let parts = match parse_template(&template) {
            Ok(parts) => parts,
            Err(message) => {
                self.error(pointer, message);
                return None;
            }
        };

        let params = self.parameters(item, operation, &type_stem, pointer);
        for part in &parts {
            if let PathPart::Param(name) = part {
                if !params.iter().any(|p| p.location == ParamLocation::Path && &p.wire_name == name) {
                    self.error(pointer, format!("path parameter `{{{name}}}` is used in the path but not declared"));
                    return None;
                }
            }
        }
        let body = match &operation.request_body {
            Some(body) => match self.request_body(body, &type_stem, &format!("{pointer}/requestBody")) {
                Ok(body) => body,
                Err(()) => return None,
            },
            None => None,
        };
        let (success, error_type, errors) = self.responses(operation, &type_stem, &format!("{pointer}/responses"));
        let accept = accept_header(operation, &success);
        let server = operation.servers.first().or(item.servers.first()).map(|server| {
            let mut url = server.url.clone();
            for (name, variable) in server.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &variable.default);
            }
            url
        });
        let lro = self.lro(operation, pointer);
        let is_azure_lro = matches!(lro, Some(LroIr::Azure { .. }));
        let pageable = match operation.extensions.get("x-ms-pageable") {
            Some(config) => self.pageable(config, &success, &format!("{pointer}/x-ms-pageable")),
            None => None,
        };
        Some(OperationIr {
            operation_id,
            method_name,
            type_stem,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            http_method: method.to_uppercase(),
            path: PathTemplate { template, parts },
            server,
            params,
            body,
            success,
            accept,
            error_type,
            errors,
            lro,
            pageable,
            deprecated: operation.deprecated,
            tags: operation.tags.clone(),
            // ARM long-running actions may be repeated: the RP answers a duplicate with the same 202.
            retry_safe: operation.extensions.get("x-restsmith-retry-safe").and_then(Value::as_bool).unwrap_or(false)
                || is_azure_lro,
            origin: pointer.to_owned(),
        })
    }

    fn resolve_parameter<'p>(&mut self, p: &'p ReferenceOr<Parameter>, pointer: &str) -> Option<&'p Parameter>
    where
        'a: 'p,
    {
        match p {
            ReferenceOr::Item(p) => Some(p),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/parameters/").map(crate::error::unescape_pointer_token);
                let found = key.as_ref().and_then(|k| self.openapi.components.as_ref()?.parameters.get(k));
                match found {
                    Some(ReferenceOr::Item(p)) => Some(p),
                    _ => {
                        self.error(&format!("{pointer}/$ref"), format!("`$ref` to parameter `{reference}`, which does not exist"));
                        None
                    }
                }
            }
        }
    }

    fn parameters(&mut self, item: &PathItem, operation: &Operation, stem: &str, pointer: &str) -> Vec<ParamIr> {
        // Path-level first, then operation-level overriding by (name, location).
        let mut merged: Vec<(Parameter, String)> = Vec::new();
        let path_pointer = pointer.rsplit_once('/').map(|(p, _)| p.to_owned()).unwrap_or_default();
        let sources = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{path_pointer}/parameters/{i}")))
            .chain(operation.parameters.iter().enumerate().map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))))
            .collect::<Vec<_>>();
        for (p, p_pointer) in sources {
            let Some(p) = self.resolve_parameter(p, &p_pointer).cloned() else { continue };
            let key = (p.parameter_data_ref().name.clone(), location_of(&p));
            if let Some(slot) = merged.iter_mut().find(|(q, _)| (q.parameter_data_ref().name.clone(), location_of(q)) == key) {
                *slot = (p, p_pointer);
            } else {
                merged.push((p, p_pointer));
            }
        }
        // The request builder's own field and method names.
        let mut arg_scope = NameScope::with_reserved(["self", "body", "client", "new", "send", "prepare", "into_stream"]);
        let mut out: Vec<ParamIr> = merged
            .into_iter()
            .filter_map(|(p, p_pointer)| self.parameter(&p, stem, &p_pointer, &mut arg_scope))
            .collect();
        out.sort_by_key(|p| p.location);
        out
    }

    fn parameter(&mut self, p: &Parameter, stem: &str, pointer: &str, scope: &mut NameScope) -> Option<ParamIr> {
        let location = location_of(p);
        let data: &ParameterData = p.parameter_data_ref();
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(s) => s.clone(),
            ParameterSchemaOrContent::Content(content) => match content.values().next().and_then(|m| m.schema.clone()) {
                Some(s) => s,
                None => {
                    self.error(pointer, format!("parameter `{}` has neither a schema nor a content schema", data.name));
                    return None;
                }
            },
        };
        let target = self.types.deref(&schema);
        let client_setting = data.extensions.get("x-ms-parameter-location").and_then(Value::as_str) == Some("client");
        let given = data.extensions.get("x-ms-client-name").and_then(Value::as_str);
        let rust_name = scope.claim(&names::field_name(given.unwrap_or(&data.name)));
        let single_value = target.and_then(single_enum_value);
        let constant = if data.required { single_value } else { None };
        // Azure's api-version is a client setting whose value is the spec's version.
        let constant = constant.or_else(|| {
            (location == ParamLocation::Query && data.required && data.name.eq_ignore_ascii_case("api-version"))
                .then(|| self.openapi.info.version.clone())
        });
        let ty = if constant.is_some() {
            TypeRef::Prim(Primitive::String)
        } else {
            let context = format!("{stem}{}", names::type_name(&data.name));
            self.types.type_of(&schema, &context, &format!("{pointer}/schema"))
        };
        let is_array = matches!(ty, TypeRef::List(_));
        let is_object = matches!(ty, TypeRef::Named(ref n) if self.types.is_struct(n)) || matches!(ty, TypeRef::Map(_));
        let ext = |name: &str| data.extensions.get(name).and_then(Value::as_bool).unwrap_or(false);
        let json_content = matches!(&data.format, ParameterSchemaOrContent::Content(c) if c.keys().any(|k| k.contains("json")));
        let (style, default_style) = match p {
            Parameter::Path { style, .. } => (
                match style {
                    PathStyle::Simple => ParamStyle::Simple,
                    PathStyle::Label => ParamStyle::Label,
                    PathStyle::Matrix => ParamStyle::Matrix,
                },
                ParamStyle::Simple,
            ),
            Parameter::Query { style, .. } => (
                match style {
                    QueryStyle::Form => ParamStyle::Form,
                    QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                    QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                    QueryStyle::DeepObject => ParamStyle::DeepObject,
                },
                ParamStyle::Form,
            ),
            Parameter::Header { .. } => (ParamStyle::Simple, ParamStyle::Simple),
            Parameter::Cookie { .. } => (ParamStyle::Form, ParamStyle::Form),
        };
        // The spec's default: `explode` is true for form, false for the other styles.
        let explode = data.explode.unwrap_or(style == ParamStyle::Form);
        let allow_reserved = matches!(p, Parameter::Query { allow_reserved: true, .. });
        let encoding = match p {
            _ if json_content => ParamEncoding::Json,
            Parameter::Path { .. } if ext("x-ms-skip-url-encoding") && is_arm_scope_name(&data.name) => ParamEncoding::ArmScope,
            Parameter::Path { .. } | Parameter::Query { .. } if ext("x-ms-skip-url-encoding") && !is_array => ParamEncoding::Unencoded,
            Parameter::Query { .. } if is_array && ext("x-restsmith-indexed-list") => ParamEncoding::IndexedList,
            _ if is_array || is_object || style != default_style || allow_reserved => {
                ParamEncoding::Styled { style, explode, allow_reserved }
            }
            _ => ParamEncoding::Simple,
        };
        if matches!(ty, TypeRef::Any) && !json_content {
            self.warn(pointer, format!("free-form parameter `{}` is sent as its JSON text", data.name));
        }
        let mut validation = target.map(validation_of).unwrap_or_default();
        if let Some(pattern) = &validation.pattern {
            if regex_syntax::Parser::new().parse(pattern).is_err() {
                self.warn(&format!("{pointer}/schema/pattern"), format!("pattern `{pattern}` uses syntax the Rust regex engine lacks; not checked before sending"));
                validation.pattern = None;
            }
        }
        Some(ParamIr {
            wire_name: data.name.clone(),
            rust_name,
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            constant,
            client_setting,
            encoding,
            validation,
            default: target.and_then(|s| s.schema_data.default.clone()),
            doc: data.description.clone().or_else(|| target.and_then(doc_of)),
        })
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<RequestBody>,
        stem: &str,
        pointer: &str,
    ) -> Result<Option<RequestBodyIr>, ()> {
        let body = match body {
            ReferenceOr::Item(b) => b.clone(),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/requestBodies/").map(crate::error::unescape_pointer_token);
                match key.as_ref().and_then(|k| self.openapi.components.as_ref()?.request_bodies.get(k)) {
                    Some(ReferenceOr::Item(b)) => b.clone(),
                    _ => {
                        self.error(&format!("{pointer}/$ref"), format!("`$ref` to request body `{reference}`, which does not exist"));
                        return Err(());
                    }
                }
            }
        };
        let mut variants: Vec<BodyVariantIr> = Vec::new();
        for (content_type, media) in &body.content {
            let base = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            let media_pointer = format!("{pointer}/content/{}", escape_pointer_token(content_type));
            let schema_pointer = format!("{media_pointer}/schema");
            let binary_schema = media.schema.as_ref().is_some_and(is_binary_string);
            let kind = if is_json_media(&base) && !binary_schema {
                BodyKind::Json
            } else if base == "application/x-www-form-urlencoded" {
                BodyKind::Form
            } else if base.starts_with("multipart/") {
                BodyKind::Multipart(Vec::new())
            } else if base.starts_with("text/") && !base.contains("xml") {
                BodyKind::Text
            } else if base.contains("xml") {
                self.warn(&media_pointer, format!("`{content_type}` request bodies are not supported (no XML); that media type is skipped"));
                continue;
            } else {
                BodyKind::Binary
            };
            if variants.iter().any(|v| std::mem::discriminant(&v.kind) == std::mem::discriminant(&kind)) {
                continue; // e.g. text/json after application/json: the first of a kind is used
            }
            let context = match kind {
                BodyKind::Json => format!("{stem}Body"),
                BodyKind::Form => format!("{stem}Form"),
                BodyKind::Multipart(_) => format!("{stem}Multipart"),
                _ => format!("{stem}Body"),
            };
            let ty = match (&kind, &media.schema) {
                (BodyKind::Binary, _) => TypeRef::Prim(Primitive::Binary),
                (BodyKind::Text, _) => TypeRef::Prim(Primitive::String),
                (_, Some(schema)) => self.types.type_of(schema, &context, &schema_pointer),
                (_, None) => TypeRef::Any,
            };
            let kind = match kind {
                BodyKind::Multipart(_) => match self.multipart_parts(&ty, media) {
                    Some(parts) => BodyKind::Multipart(parts),
                    None => {
                        self.warn(&schema_pointer, "a multipart body needs an object schema; that media type is skipped");
                        continue;
                    }
                },
                BodyKind::Form if !self.is_object(&ty) => {
                    self.warn(&schema_pointer, "a form body needs an object schema; that media type is skipped");
                    continue;
                }
                other => other,
            };
            variants.push(BodyVariantIr { content_type: content_type.clone(), rust_name: super::variant_name_for(&kind), kind, ty });
        }
        if variants.is_empty() {
            let types: Vec<_> = body.content.keys().cloned().collect();
            self.warn(pointer, format!("request body media types {types:?} are not supported; operation skipped"));
            return Err(());
        }
        // JSON first when the spec offers it; the others keep spec order.
        if let Some(json) = variants.iter().position(|v| v.kind == BodyKind::Json) {
            let first = variants.remove(json);
            variants.insert(0, first);
        }
        let primary = variants.remove(0);
        Ok(Some(RequestBodyIr {
            ty: primary.ty,
            required: body.required,
            content_type: primary.content_type,
            doc: body.description,
            kind: primary.kind,
            others: variants,
        }))
    }

    /// Whether a body type is an object (struct, map or free-form).
    fn is_object(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(n) => self.types.struct_def_of(n).is_some(),
            TypeRef::Map(_) | TypeRef::Any => true,
            _ => false,
        }
    }

    /// The parts of a multipart body: one per property of its (struct) schema.
    fn multipart_parts(&self, ty: &TypeRef, media: &MediaType) -> Option<Vec<PartIr>> {
        let TypeRef::Named(name) = ty else { return None };
        let def = self.types.struct_def_of(name)?;
        Some(
            def.fields
                .iter()
                .map(|f| {
                    let (list, inner) = match &f.ty {
                        TypeRef::List(inner) => (true, inner.as_ref()),
                        other => (false, other),
                    };
                    PartIr {
                        wire_name: f.wire_name.clone(),
                        rust_name: f.rust_name.clone(),
                        file: *inner == TypeRef::Prim(Primitive::Bytes),
                        // OpenAPI 3.0 Encoding Object: an object-valued part defaults to JSON.
                        content_type: media.encoding.get(&f.wire_name).and_then(|e| e.content_type.clone()).or_else(|| {
                            let object = match inner {
                                TypeRef::Named(n) => self.types.struct_def_of(n).is_some(),
                                TypeRef::Map(_) => true,
                                _ => false,
                            };
                            object.then(|| "application/json".to_owned())
                        }),
                        optional: f.is_optional(),
                        list,
                    }
                })
                .collect(),
        )
    }

    fn responses(&mut self, operation: &Operation, stem: &str, pointer: &str) -> (Vec<ResponseIr>, Option<TypeRef>, Vec<ErrorResponseIr>) {
        let mut success = Vec::new();
        let mut default_error = None;
        let mut first_error = None;
        let mut errors = Vec::new();
        for (code, response) in &operation.responses.responses {
            let (status, is_success) = match code {
                StatusCode::Code(c) => (*c, (200..300).contains(c)),
                StatusCode::Range(r) => (*r * 100, *r == 2),
            };
            let r_pointer = format!("{pointer}/{code}");
            let Some(response) = self.resolve_response(response, &r_pointer) else { continue };
            if !response.links.is_empty() {
                self.warn(&format!("{r_pointer}/links"), "links (follow-up operations) are documentation for the client; skipped");
            }
            let is_error_response = response.extensions.get("x-ms-error-response").and_then(Value::as_bool).unwrap_or(false);
            if is_success && !is_error_response {
                let (body, media) = self.response_body(&response, &format!("{stem}Response"), &r_pointer);
                let headers = self.response_headers(&response, stem, &r_pointer);
                let range = matches!(code, StatusCode::Range(_));
                success.push(ResponseIr { status, range, doc: Some(response.description.clone()).filter(|d| !d.is_empty()), body, media, headers });
            } else {
                let ty = self.error_body(&response, &r_pointer);
                if first_error.is_none() {
                    first_error = ty.clone();
                }
                let status = match code {
                    StatusCode::Code(c) => ErrorStatus::Code(*c),
                    StatusCode::Range(r) => ErrorStatus::Range(*r),
                };
                errors.push(ErrorResponseIr { status, ty });
            }
        }
        if let Some(response) = &operation.responses.default {
            let r_pointer = format!("{pointer}/default");
            if let Some(response) = self.resolve_response(response, &r_pointer) {
                default_error = self.error_body(&response, &r_pointer);
                errors.push(ErrorResponseIr { status: ErrorStatus::Default, ty: default_error.clone() });
            }
        }
        success.sort_by_key(|r| (r.range, r.status));
        (success, default_error.or(first_error), errors)
    }

    fn resolve_response(&mut self, response: &ReferenceOr<Response>, pointer: &str) -> Option<Response> {
        match response {
            ReferenceOr::Item(r) => Some(r.clone()),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/responses/").map(crate::error::unescape_pointer_token);
                match key.as_ref().and_then(|k| self.openapi.components.as_ref()?.responses.get(k)) {
                    Some(ReferenceOr::Item(r)) => Some(r.clone()),
                    _ => {
                        self.error(&format!("{pointer}/$ref"), format!("`$ref` to response `{reference}`, which does not exist"));
                        None
                    }
                }
            }
        }
    }

    fn error_body(&mut self, response: &Response, pointer: &str) -> Option<TypeRef> {
        let (content_type, media) = pick_json(&response.content)?;
        let schema = media.schema.as_ref().filter(|s| !is_binary_string(s))?;
        let context = "ErrorBody".to_owned();
        Some(self.types.type_of(schema, &context, &format!("{pointer}/content/{}/schema", escape_pointer_token(&content_type))))
    }

    /// The body type of a success response and how to decode it: JSON when the response offers
    /// it, else text for `text/*` and XML (kept as text), else raw bytes.
    fn response_body(&mut self, response: &Response, context: &str, pointer: &str) -> (Option<TypeRef>, ResponseMedia) {
        let Some((content_type, media)) = pick_json(&response.content) else {
            let Some(first) = response.content.keys().next() else { return (None, ResponseMedia::Json) };
            let base = first.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            return if base.starts_with("text/") || base.contains("xml") {
                (Some(TypeRef::Prim(Primitive::String)), ResponseMedia::Text)
            } else {
                (Some(TypeRef::Prim(Primitive::Binary)), ResponseMedia::Binary)
            };
        };
        let schema_pointer = format!("{pointer}/content/{}/schema", escape_pointer_token(&content_type));
        let Some(schema) = media.schema.as_ref() else { return (Some(TypeRef::Any), ResponseMedia::Json) };
        if is_binary_string(schema) {
            // `*/*` (or any JSON-compatible type) declared as `format: binary`: raw bytes.
            return (Some(TypeRef::Prim(Primitive::Binary)), ResponseMedia::Binary);
        }
        if let Some(envelope) = self.envelope.clone() {
            return (self.unwrap_envelope(schema, &envelope, context, &schema_pointer), ResponseMedia::Json);
        }
        (Some(self.types.type_of(schema, context, &schema_pointer)), ResponseMedia::Json)
    }

    /// The type of the `result` member of an enveloped response body.
    fn unwrap_envelope(
        &mut self,
        schema: &ReferenceOr<Schema>,
        envelope: &EnvelopeIr,
        context: &str,
        pointer: &str,
    ) -> Option<TypeRef> {
        // Build the envelope type too (users may want it, and examples refer to it).
        self.types.type_of(schema, context, pointer);
        let member = envelope.result.trim_start_matches('/');
        if member.contains('/') {
            self.warn(pointer, "x-restsmith-envelope `result` deeper than one level: the whole body is returned");
            return Some(self.types.type_of(schema, context, pointer));
        }
        let target = self.types.deref(schema)?;
        let property = match &target.schema_kind {
            SchemaKind::Type(Type::Object(o)) => o.properties.get(member),
            SchemaKind::Any(a) => a.properties.get(member),
            _ => None,
        };
        match property {
            Some(p) => Some(self.types.type_of_boxed(p, &format!("{context}Result"), &format!("{pointer}/properties/{member}"))),
            None => {
                self.warn(pointer, format!("response schema has no `{member}` property (x-restsmith-envelope): no body"));
                None
            }
        }
    }

    fn response_headers(&mut self, response: &Response, stem: &str, pointer: &str) -> Vec<HeaderIr> {
        let mut out = Vec::new();
        let mut scope = NameScope::with_reserved(["raw"]);
        for (name, header) in &response.headers {
            let h_pointer = format!("{pointer}/headers/{}", escape_pointer_token(name));
            let header: Header = match header {
                ReferenceOr::Item(h) => h.clone(),
                ReferenceOr::Reference { reference } => {
                    let key = reference.strip_prefix("#/components/headers/").map(crate::error::unescape_pointer_token);
                    match key.as_ref().and_then(|k| self.openapi.components.as_ref()?.headers.get(k)) {
                        Some(ReferenceOr::Item(h)) => h.clone(),
                        _ => {
                            self.error(&format!("{h_pointer}/$ref"), format!("`$ref` to header `{reference}`, which does not exist"));
                            continue;
                        }
                    }
                }
            };
            let ty = match &header.format {
                ParameterSchemaOrContent::Schema(s) => {
                    let t = self.types.type_of(s, &format!("{stem}{}", names::type_name(name)), &format!("{h_pointer}/schema"));
                    header_type(t)
                }
                ParameterSchemaOrContent::Content(_) => TypeRef::Prim(Primitive::String),
            };
            let rust_name = scope.claim(&names::field_name(name));
            out.push(HeaderIr { wire_name: name.clone(), rust_name, ty, doc: header.description.clone() });
        }
        out
    }

    fn pageable(&mut self, config: &Value, success: &[ResponseIr], pointer: &str) -> Option<super::PageableIr> {
        let item_field = config.get("itemName").and_then(Value::as_str).unwrap_or("value").to_owned();
        let next_link_field = config.get("nextLinkName").and_then(Value::as_str).map(str::to_owned);
        let body = success.iter().find_map(|r| r.body.clone());
        let Some(TypeRef::Named(page)) = body else {
            self.warn(pointer, "x-ms-pageable on an operation whose response is not an object: not paged");
            return None;
        };
        let Some(page_struct) = self.types.struct_def_of(&page) else {
            self.warn(pointer, format!("x-ms-pageable: `{page}` is not a struct: not paged"));
            return None;
        };
        let has_items = page_struct.fields.iter().any(|f| f.wire_name == item_field && matches!(f.ty, TypeRef::List(_)));
        let has_link = next_link_field
            .as_ref()
            .is_none_or(|l| page_struct.fields.iter().any(|f| &f.wire_name == l && f.ty == TypeRef::Prim(Primitive::String)));
        if !has_items || !has_link {
            self.warn(pointer, format!("x-ms-pageable: `{page}` lacks the array `{item_field}` or the string next link: not paged"));
            return None;
        }
        let next_operation = config.get("operationName").and_then(Value::as_str).map(str::to_owned);
        Some(super::PageableIr { item_field, next_link_field, next_operation })
    }

    fn lro(&mut self, operation: &Operation, pointer: &str) -> Option<LroIr> {
        if let Some(config) = operation.extensions.get("x-restsmith-lro") {
            return self.reconcile(config, &format!("{pointer}/x-restsmith-lro"));
        }
        if operation.extensions.get("x-ms-long-running-operation").and_then(Value::as_bool) == Some(true) {
            let final_state_via = operation
                .extensions
                .get("x-ms-long-running-operation-options")
                .and_then(|o| o.get("final-state-via"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            return Some(LroIr::Azure { final_state_via });
        }
        None
    }

    fn reconcile(&mut self, config: &Value, pointer: &str) -> Option<LroIr> {
        let style = config.get("style").and_then(Value::as_str);
        if style != Some("reconcile") {
            self.error(pointer, format!("unknown x-restsmith-lro style {style:?} (supported: reconcile)"));
            return None;
        }
        let text = |key: &str| config.get(key).and_then(Value::as_str).map(str::to_owned);
        let list = |key: &str| -> Vec<String> {
            config.get(key).and_then(Value::as_array).map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default()
        };
        let number = |key: &str, default: f64| config.get(key).and_then(Value::as_f64).unwrap_or(default);
        let (Some(poll), Some(state_pointer)) = (text("poll-operation"), text("state-pointer")) else {
            self.error(pointer, "x-restsmith-lro needs `poll-operation` and `state-pointer`");
            return None;
        };
        let poll_arguments = config
            .get("poll-parameters")
            .and_then(Value::as_object)
            .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned()))).collect())
            .unwrap_or_default();
        Some(LroIr::Reconcile(ReconcileIr {
            poll_method: poll,
            poll_arguments,
            state_pointer,
            succeeded: list("succeeded"),
            failed: list("failed"),
            gone: list("gone"),
            pending_pointer: text("pending-pointer"),
            irreconcilable_pointer: text("irreconcilable-pointer"),
            initial_delay_ms: number("initial-delay-ms", 1000.0) as u64,
            max_delay_ms: number("max-delay-ms", 10_000.0) as u64,
            multiplier: number("multiplier", 1.5),
            deadline_seconds: number("deadline-seconds", 1800.0) as u64,
        }))
    }

    /// `poll-operation` names an operationId and its parameters wire names; turn them into the
    /// Rust names the codegen needs.
    /// `x-ms-pageable.operationName` names an operationId; the codegen needs its method name.
    fn resolve_next_operations(&mut self, ops: &mut [OperationIr]) {
        let by_id: BTreeMap<String, String> = ops.iter().map(|o| (o.operation_id.clone(), o.method_name.clone())).collect();
        let mut problems = Vec::new();
        for op in ops.iter_mut() {
            let origin = op.origin.clone();
            if let Some(p) = &mut op.pageable {
                if let Some(next) = p.next_operation.take() {
                    match by_id.get(&next) {
                        Some(method) => p.next_operation = Some(method.clone()),
                        None => problems.push((format!("{origin}/x-ms-pageable/operationName"), format!("`{next}` is not an operationId of this spec; next links are fetched directly"))),
                    }
                }
            }
        }
        for (pointer, message) in problems {
            self.warn(&pointer, message);
        }
    }

    fn resolve_poll_operations(&mut self, ops: &mut [OperationIr]) {
        let by_id: BTreeMap<String, (String, Vec<(String, String)>)> = ops
            .iter()
            .map(|o| (o.operation_id.clone(), (o.method_name.clone(), o.params.iter().map(|p| (p.wire_name.clone(), p.rust_name.clone())).collect())))
            .collect();
        let mut problems = Vec::new();
        for op in ops.iter_mut() {
            let own: BTreeMap<String, String> = op.params.iter().map(|p| (p.wire_name.clone(), p.rust_name.clone())).collect();
            if let Some(LroIr::Reconcile(r)) = &mut op.lro {
                let pointer = format!("{}/x-restsmith-lro/poll-operation", op.origin);
                match by_id.get(&r.poll_method) {
                    None => problems.push((pointer, format!("poll-operation `{}` is not an operationId of this spec", r.poll_method))),
                    Some((method, poll_params)) => {
                        let poll_params: BTreeMap<_, _> = poll_params.iter().cloned().collect();
                        let mut resolved = Vec::new();
                        for (theirs, ours) in &r.poll_arguments {
                            match (poll_params.get(theirs), own.get(ours)) {
                                (Some(t), Some(o)) => resolved.push((t.clone(), o.clone())),
                                _ => problems.push((pointer.clone(), format!("poll-parameters `{theirs}: {ours}` does not name parameters of both operations"))),
                            }
                        }
                        r.poll_method = method.clone();
                        r.poll_arguments = resolved;
                    }
                }
            }
        }
        for (pointer, message) in problems {
            self.error(&pointer, message);
        }
    }
}

/// JSON media types.
fn is_json_media(base: &str) -> bool {
    base == "application/json" || base.ends_with("+json") || base == "text/json" || base == "*/*"
}

/// `Accept` for operations whose success responses are not (only) `application/json`: the media
/// types their success responses declare.
fn accept_header(operation: &Operation, success: &[ResponseIr]) -> Option<String> {
    let plain_json = |media: &str| {
        let base = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        base == "application/json" || base == "text/json"
    };
    let mut types: Vec<String> = Vec::new();
    for (code, response) in &operation.responses.responses {
        let is_success = match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        };
        if let (true, ReferenceOr::Item(response)) = (is_success, response) {
            for media in response.content.keys() {
                if !types.contains(media) {
                    types.push(media.clone());
                }
            }
        }
    }
    if success.iter().all(|r| r.media == ResponseMedia::Json) && types.iter().all(|m| plain_json(m)) {
        return None;
    }
    (!types.is_empty()).then(|| types.join(", "))
}

/// Parameters that hold an ARM resource id or scope (`{resourceUri}`, `{scope}`, …).
fn is_arm_scope_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["resourceuri", "scope", "resourceid", "resourcescope", "parentresourceid"].contains(&lower.as_str())
}

/// (method, operation) pairs of a path item, in a fixed order.
fn operations_of(item: &PathItem) -> Vec<(&'static str, &Operation)> {
    let slots = [
        &item.get, &item.put, &item.post, &item.delete, &item.options, &item.head, &item.patch, &item.trace,
    ];
    METHODS.iter().zip(slots).filter_map(|(m, op)| op.as_ref().map(|o| (*m, o))).collect()
}

fn location_of(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// An operationId for an operation that has none: method + path words.
fn derived_operation_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    format!("{method}_{}", words.join("_"))
}

/// Splits `/a/{b}/c({d})` into literals and parameters.
fn parse_template(template: &str) -> Result<Vec<PathPart>, String> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_owned()));
        }
        let Some(close) = rest[open..].find('}') else {
            return Err(format!("path `{template}` has an unclosed `{{`"));
        };
        let name = &rest[open + 1..open + close];
        if name.is_empty() {
            return Err(format!("path `{template}` has an empty parameter `{{}}`"));
        }
        parts.push(PathPart::Param(name.to_owned()));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    Ok(parts)
}

/// The JSON media type of a content map (`application/json`, `…+json`, `application/json; odata=…`).
fn pick_json(content: &indexmap::IndexMap<String, MediaType>) -> Option<(String, MediaType)> {
    content
        .iter()
        .find(|(k, _)| {
            let base = k.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            base == "application/json" || base.ends_with("+json") || base == "text/json" || base == "*/*"
        })
        .map(|(k, v)| (k.clone(), v.clone()))
}

/// The only value a required parameter may take (`enum` with one member), as wire text.
fn single_enum_value(schema: &Schema) -> Option<String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if s.enumeration.len() == 1 => s.enumeration[0].clone(),
        SchemaKind::Type(Type::Boolean(b)) if b.enumeration.len() == 1 => b.enumeration[0].map(|v| v.to_string()),
        SchemaKind::Type(Type::Integer(i)) if i.enumeration.len() == 1 => i.enumeration[0].map(|v| v.to_string()),
        _ => None,
    }
}

fn validation_of(schema: &Schema) -> Validation {
    let mut v = Validation::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            v.pattern = s.pattern.clone();
            v.min_length = s.min_length;
            v.max_length = s.max_length;
        }
        SchemaKind::Type(Type::Integer(i)) => {
            v.minimum = i.minimum.map(|m| m as f64);
            v.maximum = i.maximum.map(|m| m as f64);
            v.exclusive_minimum = i.exclusive_minimum;
            v.exclusive_maximum = i.exclusive_maximum;
            v.multiple_of = i.multiple_of.map(|m| m as f64);
        }
        SchemaKind::Type(Type::Number(n)) => {
            v.minimum = n.minimum;
            v.maximum = n.maximum;
            v.exclusive_minimum = n.exclusive_minimum;
            v.exclusive_maximum = n.exclusive_maximum;
            v.multiple_of = n.multiple_of;
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.min_items = a.min_items;
            v.max_items = a.max_items;
            v.unique_items = a.unique_items;
        }
        _ => {}
    }
    v
}

/// Header values are scalars; anything else is kept as text.
fn header_type(t: TypeRef) -> TypeRef {
    match t {
        TypeRef::Prim(_) | TypeRef::Named(_) => t,
        _ => TypeRef::Prim(Primitive::String),
    }
}

/// An inline `type: string, format: binary` schema (raw bytes whatever the media type says).
fn is_binary_string(schema: &ReferenceOr<openapiv3::Schema>) -> bool {
    matches!(schema, ReferenceOr::Item(openapiv3::Schema { schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(s)), .. })
        if matches!(&s.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)))
}
