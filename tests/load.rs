//! Load-stage tests: Swagger 2.0 and OpenAPI 3.1 normalized to the OpenAPI 3.0 model, `$ref`s
//! across files, the real Azure specs and the AutoRest test server swaggers, bad input, and a
//! no-panic sweep over truncated and mutated copies of real specs.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use openapiv3::{
    APIKeyLocation, HeaderStyle, OpenAPI, Operation, Parameter, ParameterSchemaOrContent, PathItem,
    PathStyle, QueryStyle, ReferenceOr, RequestBody, Response, Schema, SchemaKind, SecurityScheme, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use restsmith::ir::{self, ParamEncoding};
use restsmith::load::{load, load_bytes, LoadedSpec, SourceVersion};
use serde_json::json;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(relative: &str) -> PathBuf {
    repo().join("tests/fixtures/load").join(relative)
}

fn load_ok(path: &Path) -> LoadedSpec {
    load(path).unwrap_or_else(|e| panic!("{} does not load:\n{e}", path.display()))
}

fn load_err(path: &Path) -> String {
    match load(path) {
        Ok(_) => panic!("{} loaded, expected an error", path.display()),
        Err(e) => e.to_string(),
    }
}

fn path_item<'a>(api: &'a OpenAPI, path: &str) -> &'a PathItem {
    match api.paths.paths.get(path) {
        Some(ReferenceOr::Item(item)) => item,
        other => panic!("path {path}: {other:?}"),
    }
}

fn operation<'a>(api: &'a OpenAPI, path: &str, method: &str) -> &'a Operation {
    path_item(api, path).iter().find(|(m, _)| *m == method).map(|(_, op)| op).unwrap_or_else(|| panic!("{method} {path}"))
}

fn item<T: std::fmt::Debug>(r: &ReferenceOr<T>) -> &T {
    match r {
        ReferenceOr::Item(t) => t,
        other => panic!("expected an item, got {other:?}"),
    }
}

fn reference<T: std::fmt::Debug>(r: &ReferenceOr<T>) -> &str {
    match r {
        ReferenceOr::Reference { reference } => reference,
        other => panic!("expected a reference, got {other:?}"),
    }
}

fn boxed_item(r: &ReferenceOr<Box<Schema>>) -> &Schema {
    match r {
        ReferenceOr::Item(s) => s,
        other => panic!("expected an item, got {other:?}"),
    }
}

fn param<'a>(op: &'a Operation, name: &str) -> &'a Parameter {
    op.parameters
        .iter()
        .filter_map(|p| match p {
            ReferenceOr::Item(p) => Some(p),
            _ => None,
        })
        .find(|p| p.parameter_data_ref().name == name)
        .unwrap_or_else(|| panic!("parameter {name}"))
}

fn param_schema(p: &Parameter) -> &Schema {
    match &p.parameter_data_ref().format {
        ParameterSchemaOrContent::Schema(s) => item(s),
        other => panic!("{other:?}"),
    }
}

fn schema<'a>(api: &'a OpenAPI, name: &str) -> &'a Schema {
    item(api.components.as_ref().expect("components").schemas.get(name).unwrap_or_else(|| panic!("schema {name}")))
}

fn properties(s: &Schema) -> &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>> {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => &o.properties,
        SchemaKind::Any(a) => &a.properties,
        other => panic!("not an object schema: {other:?}"),
    }
}

fn property<'a>(s: &'a Schema, name: &str) -> &'a ReferenceOr<Box<Schema>> {
    properties(s).get(name).unwrap_or_else(|| panic!("property {name}"))
}

fn is_binary_string(s: &Schema) -> bool {
    matches!(&s.schema_kind, SchemaKind::Type(Type::String(t)) if t.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
}

fn components_keys<T>(map: &indexmap::IndexMap<String, T>) -> Vec<&str> {
    map.keys().map(String::as_str).collect()
}

// ---------------------------------------------------------------------------------------------
// Swagger 2.0

fn check_petstore(spec: &LoadedSpec) {
    let api = &spec.openapi;
    let file = spec.root_file.display().to_string();
    assert_eq!(spec.source_version, SourceVersion::Swagger20);
    assert_eq!(api.openapi, "3.0.3");
    assert_eq!(spec.files_read, vec![spec.root_file.clone()]);

    // host/basePath/schemes → servers, one per scheme in order.
    let urls: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(urls, ["https://pets.example.com/v1", "http://pets.example.com/v1"]);
    assert_eq!(api.extensions["x-restsmith-retry-safe-note"], "root extensions stay on the root");
    assert_eq!(api.info.extensions["x-ms-code-generation-settings"]["name"], "PetstoreClient");
    assert!(!api.extensions.contains_key("x-ms-paths"));
    assert_eq!(api.security.as_ref().expect("security")[0]["oauth_implicit"], vec!["read".to_owned()]);

    // Operation fields carry over; path-level parameters stay on the path item.
    let pets = path_item(api, "/pets");
    assert_eq!(reference(&pets.parameters[0]), "#/components/parameters/ApiVersion");
    let list = operation(api, "/pets", "get");
    assert_eq!(list.operation_id.as_deref(), Some("Pets_List"));
    assert_eq!(list.summary.as_deref(), Some("Lists pets."));
    assert_eq!(list.description.as_deref(), Some("Lists pets, filtered."));
    assert_eq!(list.tags, ["pets"]);
    assert!(list.deprecated);
    assert_eq!(list.extensions["x-ms-pageable"]["nextLinkName"], "nextLink");
    assert_eq!(list.extensions["x-ms-odata"], "#/components/schemas/PetFilter");

    // collectionFormat → style/explode.
    let query_style = |name: &str| match param(list, name) {
        Parameter::Query { style, parameter_data, .. } => (style.clone(), parameter_data.explode),
        other => panic!("{other:?}"),
    };
    assert_eq!(query_style("csv"), (QueryStyle::Form, Some(false)));
    assert_eq!(query_style("multi"), (QueryStyle::Form, Some(true)));
    assert_eq!(query_style("ssv"), (QueryStyle::SpaceDelimited, Some(false)));
    assert_eq!(query_style("pipes"), (QueryStyle::PipeDelimited, Some(false)));
    assert_eq!(query_style("tsv"), (QueryStyle::Form, Some(false)));
    let tsv = param(list, "tsv").parameter_data_ref();
    assert_eq!(tsv.extensions["x-restsmith-collection-format"], "tsv");
    assert_eq!(tsv.extensions["x-custom"], "kept");
    let tsv_warning = spec
        .warnings
        .iter()
        .find(|w| w.message.contains("tsv"))
        .unwrap_or_else(|| panic!("no tsv warning in {:?}", spec.warnings));
    assert_eq!(tsv_warning.location.file, spec.root_file);
    assert_eq!(tsv_warning.location.pointer, "/paths/~1pets/get/parameters/4/collectionFormat");
    assert!(tsv_warning.to_string().starts_with(&format!("{file}#/paths/~1pets/get/parameters/4")), "{tsv_warning}");
    match param(list, "kinds") {
        Parameter::Header { style, parameter_data, .. } => {
            assert_eq!(*style, HeaderStyle::Simple);
            assert_eq!(parameter_data.explode, Some(false));
        }
        other => panic!("{other:?}"),
    }

    // Parameter keywords → schema.
    match &param_schema(param(list, "limit")).schema_kind {
        SchemaKind::Type(Type::Integer(i)) => {
            assert_eq!((i.minimum, i.maximum, i.exclusive_maximum, i.multiple_of), (Some(1), Some(100), true, Some(1)));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(param_schema(param(list, "limit")).schema_data.default, Some(json!(10)));
    let name = param(list, "name");
    match name {
        Parameter::Query { allow_empty_value, .. } => assert_eq!(*allow_empty_value, Some(true)),
        other => panic!("{other:?}"),
    }
    assert_eq!(name.parameter_data_ref().extensions["x-ms-client-name"], "petName");
    match &param_schema(name).schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            assert_eq!((s.pattern.as_deref(), s.min_length, s.max_length), (Some("^[a-z]+$"), Some(1), Some(20)));
        }
        other => panic!("{other:?}"),
    }
    match &param_schema(param(list, "kinds")).schema_kind {
        SchemaKind::Type(Type::Array(a)) => {
            assert_eq!((a.min_items, a.max_items, a.unique_items), (Some(1), Some(3), true));
            match &boxed_item(a.items.as_ref().expect("items")).schema_kind {
                SchemaKind::Type(Type::String(s)) => assert_eq!(s.enumeration, [Some("cat".into()), Some("dog".into())]),
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    let color = param(list, "color");
    assert_eq!(color.parameter_data_ref().extensions["x-ms-enum"]["name"], "Color");
    assert_eq!(param_schema(color).schema_data.extensions["x-ms-enum"]["name"], "Color");
    assert!(param_schema(param(list, "nick")).schema_data.nullable);

    // Responses: schema → content per produces, headers → schema, examples → example.
    let ok = item(&list.responses.responses[&openapiv3::StatusCode::Code(200)]);
    assert_eq!(components_keys(&ok.content), ["application/json"]);
    let media = &ok.content["application/json"];
    assert_eq!(reference(media.schema.as_ref().expect("schema")), "#/components/schemas/PetList");
    assert_eq!(media.example, Some(json!({"value": []})));
    let request_id = item(&ok.headers["x-ms-request-id"]);
    assert_eq!(request_id.description.as_deref(), Some("Request id."));
    assert_eq!(request_id.extensions["x-ms-client-name"], "requestId");
    match &request_id.format {
        ParameterSchemaOrContent::Schema(s) => {
            assert!(matches!(&item(s).schema_kind, SchemaKind::Type(Type::String(t)) if t.format == VariantOrUnknownOrEmpty::Unknown("uuid".into())))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(reference(&list.responses.responses[&openapiv3::StatusCode::Code(404)]), "#/components/responses/NotFound");

    // Body parameter → requestBody with one media type per consumes entry, x-ms-* kept.
    let create = operation(api, "/pets", "post");
    let body: &RequestBody = item(create.request_body.as_ref().expect("request body"));
    assert_eq!(components_keys(&body.content), ["application/json", "text/json"]);
    assert!(body.required);
    assert_eq!(body.description.as_deref(), Some("The pet to create."));
    assert_eq!(body.extensions["x-ms-client-name"], "newPet");
    assert_eq!(body.extensions["x-ms-parameter-location"], "method");
    assert_eq!(reference(body.content["text/json"].schema.as_ref().expect("schema")), "#/components/schemas/Pet");
    assert_eq!(create.security.as_ref().expect("security")[0]["api_key"], Vec::<String>::new());
    assert_eq!(create.extensions["x-ms-long-running-operation"], true);
    assert_eq!(create.extensions["x-ms-long-running-operation-options"]["final-state-via"], "azure-async-operation");
    let conflict: &Response = item(&create.responses.responses[&openapiv3::StatusCode::Code(409)]);
    assert_eq!(conflict.extensions["x-ms-error-response"], true);

    // A global body parameter → components/requestBodies; path arrays → simple style.
    let replace = operation(api, "/pets/{petIds}", "put");
    assert_eq!(reference(replace.request_body.as_ref().expect("body")), "#/components/requestBodies/PetBody");
    match param(replace, "petIds") {
        Parameter::Path { style, parameter_data } => {
            assert_eq!(*style, PathStyle::Simple);
            assert_eq!(parameter_data.explode, Some(false));
            assert!(parameter_data.required);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(param(replace, "If-Match").parameter_data_ref().extensions["x-ms-parameter-location"], "method");

    // formData → multipart (a file) or urlencoded object schemas.
    let upload = operation(api, "/pets/{petId}/photo", "post");
    let form = item(upload.request_body.as_ref().expect("body"));
    assert!(form.required);
    assert_eq!(components_keys(&form.content), ["multipart/form-data"]);
    let form_schema = item(form.content["multipart/form-data"].schema.as_ref().expect("schema"));
    let photo = boxed_item(property(form_schema, "photo"));
    assert!(is_binary_string(photo));
    assert_eq!(photo.schema_data.description.as_deref(), Some("The photo."));
    match &form_schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => assert_eq!(o.required, ["photo"]),
        other => panic!("{other:?}"),
    }
    assert_eq!(upload.parameters.len(), 1);
    let tags = operation(api, "/pets/{petId}/tags", "post");
    let form = item(tags.request_body.as_ref().expect("body"));
    let media = &form.content["application/x-www-form-urlencoded"];
    assert!(media.encoding["tag"].explode);
    let form_schema = item(media.schema.as_ref().expect("schema"));
    assert_eq!(boxed_item(property(form_schema, "note")).schema_data.extensions["x-ms-client-name"], "remark");

    // type: file responses, per-operation produces.
    let raw_photo = operation(api, "/pets/{petId}/photo/raw", "get");
    let ok = item(&raw_photo.responses.responses[&openapiv3::StatusCode::Code(200)]);
    assert_eq!(components_keys(&ok.content), ["image/png", "application/octet-stream"]);
    assert!(is_binary_string(item(ok.content["image/png"].schema.as_ref().expect("schema"))));

    // x-ms-paths merged into paths, the key kept as written.
    assert_eq!(operation(api, "/pets?op=search", "post").operation_id.as_deref(), Some("Pets_Search"));

    // Components.
    let components = api.components.as_ref().expect("components");
    let api_version = item(&components.parameters["ApiVersion"]);
    assert_eq!(api_version.parameter_data_ref().extensions["x-ms-parameter-location"], "client");
    let pet_body = item(&components.request_bodies["PetBody"]);
    assert_eq!(pet_body.extensions["x-ms-parameter-location"], "method");
    assert!(!components.parameters.contains_key("PetBody"));
    let not_found = item(&components.responses["NotFound"]);
    assert_eq!(item(&not_found.headers["x-ms-error-code"]).extensions["x-ms-header-note"], "kept");

    // Schemas: discriminator, x-nullable, type file, readOnly, example, refs rewritten.
    let pet = schema(api, "Pet");
    assert_eq!(pet.schema_data.discriminator.as_ref().expect("discriminator").property_name, "kind");
    assert_eq!(pet.schema_data.example, Some(json!({"kind": "cat", "name": "Tom"})));
    let pet_name = boxed_item(property(pet, "name"));
    assert!(pet_name.schema_data.nullable);
    assert_eq!(pet_name.schema_data.extensions["x-nullable"], true);
    assert!(boxed_item(property(pet, "id")).schema_data.read_only);
    assert!(is_binary_string(boxed_item(property(pet, "birthCertificate"))));
    assert_eq!(reference(property(pet, "owner")), "#/components/schemas/Owner");
    assert!(schema(api, "Owner").schema_data.nullable);
    let cat = schema(api, "Cat");
    assert_eq!(cat.schema_data.extensions["x-ms-discriminator-value"], "cat");
    match &cat.schema_kind {
        SchemaKind::Any(a) => assert_eq!(reference(&a.all_of[0]), "#/components/schemas/Pet"),
        other => panic!("{other:?}"),
    }

    // Security schemes.
    let schemes = &components.security_schemes;
    assert!(matches!(item(&schemes["basic_auth"]), SecurityScheme::HTTP { scheme, .. } if scheme == "basic"));
    assert!(matches!(item(&schemes["api_key"]), SecurityScheme::APIKey { location: APIKeyLocation::Header, name, .. } if name == "x-api-key"));
    let flows = |name: &str| match item(&schemes[name]) {
        SecurityScheme::OAuth2 { flows, extensions, .. } => (flows.clone(), extensions.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(flows("oauth_implicit").0.implicit.expect("implicit").authorization_url, "https://login.example.com/authorize");
    assert_eq!(flows("oauth_password").0.password.expect("password").scopes["write"], "Write pets.");
    assert_eq!(flows("oauth_application").0.client_credentials.expect("clientCredentials").token_url, "https://login.example.com/token");
    let (code, extensions) = flows("oauth_code");
    assert_eq!(code.authorization_code.expect("authorizationCode").scopes["admin"], "Administer.");
    assert_eq!(extensions["x-ms-note"], "kept");

    // Diagnostics on the normalized document point into the Swagger file.
    let located = spec.locate("/paths/~1pets/post/requestBody/content/text~1json/schema");
    assert_eq!((located.file.clone(), located.pointer.as_str()), (spec.root_file.clone(), "/paths/~1pets/post/parameters/0/schema"));
    assert_eq!(spec.locate("/components/schemas/Pet/properties/name").pointer, "/definitions/Pet/properties/name");
    assert_eq!(spec.locate("/components/requestBodies/PetBody").pointer, "/parameters/PetBody");
    assert_eq!(spec.locate("/paths/~1pets/get/parameters/3/schema").pointer, "/paths/~1pets/get/parameters/3");
    assert_eq!(spec.locate("/paths/~1pets?op=search/post").pointer, "/x-ms-paths/~1pets?op=search/post");
    assert_eq!(spec.locate("/servers/0/url").pointer, "/host/0/url");

    // The IR reads it.
    let (ir, _) = ir::build(spec, "petstore").unwrap_or_else(|e| panic!("IR: {e}"));
    let list = ir.operations.iter().find(|o| o.operation_id == "Pets_List").expect("Pets_List");
    let encoding = |name: &str| list.params.iter().find(|p| p.wire_name == name).map(|p| p.encoding.clone());
    let form = |explode| Some(ParamEncoding::Styled { style: restsmith::ir::ParamStyle::Form, explode, allow_reserved: false });
    assert_eq!(encoding("csv"), form(false));
    assert_eq!(encoding("multi"), form(true));
}

#[test]
fn swagger2_yaml_is_normalized_to_openapi3() {
    check_petstore(&load_ok(&fixture("swagger2/petstore.yaml")));
}

#[test]
fn swagger2_json_with_bom_is_normalized_to_openapi3() {
    let json = load_ok(&fixture("swagger2/petstore.json"));
    check_petstore(&json);
    let yaml = load_ok(&fixture("swagger2/petstore.yaml"));
    assert_eq!(json.raw, yaml.raw, "the JSON and YAML forms normalize to the same document");
}

#[test]
fn swagger2_parameterized_host_becomes_a_server_with_variables() {
    let spec = load_ok(&fixture("swagger2/parameterized-host.json"));
    let server = &spec.openapi.servers[0];
    assert_eq!(server.url, "https://{accountName}.{region}.{dnsSuffix}/api");
    let variables = server.variables.as_ref().expect("variables");
    assert_eq!(components_keys(variables), ["accountName", "region", "dnsSuffix"]);
    assert_eq!(variables["accountName"].description.as_deref(), Some("The account."));
    assert_eq!(variables["accountName"].extensions["x-ms-parameter-location"], "client");
    assert_eq!(variables["region"].enumeration, ["westus", "eastus"]);
    assert_eq!(variables["region"].default, "westus");
    assert_eq!(variables["dnsSuffix"].default, "batch.azure.com");
    assert_eq!(spec.openapi.extensions["x-ms-parameterized-host"]["positionInOperation"], "first");
    let (ir, _) = ir::build(&spec, "host").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ir.servers[0].variables.len(), 3);
}

// ---------------------------------------------------------------------------------------------
// OpenAPI 3.1

#[test]
fn openapi31_is_normalized_to_openapi30() {
    let spec = load_ok(&fixture("oas31/pets.yaml"));
    let api = &spec.openapi;
    assert_eq!(spec.source_version, SourceVersion::OpenApi31);
    assert_eq!(api.openapi, "3.0.3");
    for key in ["webhooks", "jsonSchemaDialect", "$defs"] {
        assert!(spec.raw.get(key).is_none(), "{key} kept");
    }
    assert!(spec.raw["info"].get("summary").is_none());
    assert!(spec.raw["info"]["license"].get("identifier").is_none());
    let warned = |needle: &str, pointer: &str| {
        let w = spec.warnings.iter().find(|w| w.message.contains(needle)).unwrap_or_else(|| panic!("no `{needle}` warning: {:?}", spec.warnings));
        assert_eq!(w.location.pointer, pointer, "{w}");
        assert_eq!(w.location.file, spec.root_file);
    };
    warned("webhook", "/webhooks");
    warned("several types", "/components/schemas/Pet/properties/anything/type");
    warned("prefixItems", "/components/schemas/Pet/properties/tuple");

    let pet = schema(api, "Pet");
    assert_eq!(pet.schema_data.example, Some(json!({"name": "Tom"})));
    assert!(!spec.raw["components"]["schemas"]["Pet"].as_object().expect("object").contains_key("$id"));
    let prop = |name: &str| boxed_item(property(pet, name));
    let nickname = prop("nickname");
    assert!(nickname.schema_data.nullable && matches!(nickname.schema_kind, SchemaKind::Type(Type::String(_))));
    let age = prop("age");
    assert!(age.schema_data.nullable);
    assert!(matches!(&age.schema_kind, SchemaKind::Type(Type::Integer(i)) if i.minimum == Some(0)));
    // exclusiveMinimum 0 is looser than minimum 5: the minimum stays inclusive.
    assert!(matches!(&prop("weight").schema_kind, SchemaKind::Type(Type::Number(n)) if n.minimum == Some(5.0) && !n.exclusive_minimum));
    assert!(matches!(&prop("anything").schema_kind, SchemaKind::Any(a) if a.typ.is_none()));
    assert_eq!(spec.raw["components"]["schemas"]["Pet"]["properties"]["species"]["enum"], json!(["cat"]));
    // A $ref with only an annotation beside it stays a reference.
    assert_eq!(reference(property(pet, "owner")), "#/components/schemas/Owner");
    // nullable/readOnly beside a $ref survive on an allOf wrapper.
    let vet = prop("vet");
    assert!(vet.schema_data.nullable && vet.schema_data.read_only);
    assert!(matches!(&vet.schema_kind, SchemaKind::AllOf { all_of } if reference(&all_of[0]) == "#/components/schemas/Owner"));
    let sitter = prop("sitter");
    assert!(sitter.schema_data.nullable);
    assert!(matches!(&sitter.schema_kind, SchemaKind::AllOf { all_of } if reference(&all_of[0]) == "#/components/schemas/Owner"));
    // $defs referenced through #/$defs/X and through a nested $defs become components.
    assert_eq!(reference(property(pet, "address")), "#/components/schemas/Address");
    assert_eq!(reference(property(pet, "collar")), "#/components/schemas/Buckle");
    assert!(properties(schema(api, "Address")).contains_key("street"));
    assert!(properties(schema(api, "Buckle")).contains_key("metal"));
    assert!(spec.raw["components"]["schemas"]["Collar"].get("$defs").is_none());
    assert_eq!(spec.locate("/components/schemas/Address/properties/street").pointer, "/$defs/Address/properties/street");
    assert!(matches!(&prop("extra").schema_kind, SchemaKind::Any(_)));
    assert!(matches!(&prop("photo").schema_kind, SchemaKind::Type(Type::String(s)) if s.format == VariantOrUnknownOrEmpty::Item(StringFormat::Byte)));
    assert_eq!(schema(api, "Owner").schema_data.description, None);
    assert_eq!(spec.raw["components"]["schemas"]["Owner"]["properties"]["name"]["example"], "Ann");

    let get = operation(api, "/pets/{id}", "get");
    match &param_schema(param(get, "id")).schema_kind {
        SchemaKind::Type(Type::Integer(i)) => {
            assert_eq!((i.minimum, i.exclusive_minimum, i.maximum, i.exclusive_maximum), (Some(0), true, Some(1000), true));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(spec.raw["paths"]["/pets/{id}"]["get"]["parameters"][1]["schema"]["enum"], json!(["full"]));
    ir::build(&spec, "pets31").unwrap_or_else(|e| panic!("IR: {e}"));
}

#[test]
fn openapi31_paths_are_optional() {
    let text = "openapi: 3.1.1\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A: {type: object, properties: {a: {type: [string, 'null']}}}\n";
    let spec = load_bytes(Path::new("no-paths.yaml"), text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert!(spec.openapi.paths.paths.is_empty());
    assert!(boxed_item(property(schema(&spec.openapi, "A"), "a")).schema_data.nullable);
}

// ---------------------------------------------------------------------------------------------
// $ref across files

#[test]
fn references_across_files_are_bundled() {
    let root = fixture("multi/root.yaml");
    let spec = load_ok(&root);
    let api = &spec.openapi;
    let dir = fixture("multi");
    assert_eq!(
        spec.files_read,
        vec![root.clone(), dir.join("sub/dir/types.json"), dir.join("sub/shared.json"), dir.join("sub/paths.yaml")]
    );
    let components = api.components.as_ref().expect("components");
    // One name per (file, pointer); collisions get the file stem; the root keeps its own names.
    assert_eq!(
        components_keys(&components.schemas),
        ["Error", "Alias", "UsesAlias", "Thing", "Shared", "Thing_size", "Node", "Error_types", "Local", "AliasTarget", "Tree", "Error_shared"]
    );
    assert_eq!(components_keys(&components.parameters), ["ApiVersion", "filter"]);
    // The same schema through three routes (root → shared.json, types.json → ../shared.json,
    // paths.yaml → shared.json) is one component.
    let thing = schema(api, "Thing");
    assert_eq!(reference(property(thing, "shared")), "#/components/schemas/Shared");
    assert_eq!(reference(property(schema(api, "Local"), "shared")), "#/components/schemas/Shared");
    let put = operation(api, "/things", "put");
    let body = item(put.request_body.as_ref().expect("body"));
    assert_eq!(reference(body.content["application/json"].schema.as_ref().expect("schema")), "#/components/schemas/Shared");
    // Refs inside a referenced file resolve against that file.
    assert_eq!(reference(property(thing, "error")), "#/components/schemas/Error_types");
    assert_eq!(reference(property(schema(api, "Tree"), "error")), "#/components/schemas/Error_shared");
    assert!(properties(schema(api, "Error")).contains_key("rootMessage"));
    assert!(properties(schema(api, "Error_types")).contains_key("typesMessage"));
    // The cross-file cycle Node → Tree → Node terminates.
    match &schema(api, "Node").schema_kind {
        SchemaKind::Type(Type::Object(o)) => match &boxed_item(&o.properties["children"]).schema_kind {
            SchemaKind::Type(Type::Array(a)) => {
                assert_eq!(reference(a.items.as_ref().expect("items")), "#/components/schemas/Tree")
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert_eq!(reference(property(schema(api, "Tree"), "node")), "#/components/schemas/Node");
    // A chain of references stays a chain of components.
    assert_eq!(spec.raw["components"]["schemas"]["Alias"]["$ref"], "#/components/schemas/AliasTarget");
    assert_eq!(spec.raw["components"]["schemas"]["AliasTarget"]["$ref"], "#/components/schemas/Thing");
    // Non-standard locations are imported under generated names.
    assert!(properties(schema(api, "Thing_size")).contains_key("width"));
    let get = operation(api, "/things", "get");
    assert_eq!(reference(&get.parameters[1]), "#/components/parameters/filter");
    // A referenced path item is inlined, its refs resolved against its own file.
    let inlined = operation(api, "/inlined", "get");
    let ok = item(&inlined.responses.responses[&openapiv3::StatusCode::Code(200)]);
    assert_eq!(reference(ok.content["application/json"].schema.as_ref().expect("schema")), "#/components/schemas/Local");

    // Origins: every import maps back to the file the user must edit.
    let types = dir.join("sub/dir/types.json");
    let shared = dir.join("sub/shared.json");
    let at = |pointer: &str| {
        let l = spec.locate(pointer);
        (l.file, l.pointer)
    };
    assert_eq!(at("/components/schemas/Thing/properties/size"), (types.clone(), "/definitions/Thing/properties/size".into()));
    assert_eq!(at("/components/schemas/Error_shared"), (shared.clone(), "/definitions/Error".into()));
    assert_eq!(at("/components/schemas/Thing_size/properties/width"), (types.clone(), "/definitions/Thing/properties/size/properties/width".into()));
    assert_eq!(at("/components/parameters/filter/schema"), (shared.clone(), "/paths/~1shared/get/parameters/0".into()));
    assert_eq!(at("/components/parameters/ApiVersion"), (types, "/parameters/ApiVersion".into()));
    assert_eq!(at("/paths/~1inlined/get/responses/200"), (dir.join("sub/paths.yaml"), "/paths/~1inlined/get/responses/200".into()));
    assert_eq!(at("/components/schemas/UsesAlias"), (root.clone(), "/definitions/UsesAlias".into()));
    assert_eq!(at("/paths/~1things/get/parameters/0"), (root, "/paths/~1things/get/parameters/0".into()));

    let (ir, _) = ir::build(&spec, "multi").unwrap_or_else(|e| panic!("IR: {e}"));
    assert_eq!(ir.operations.len(), 4);
}

#[test]
fn references_across_files_in_openapi3() {
    let root = fixture("multi30/root.yaml");
    let spec = load_ok(&root);
    let dir = fixture("multi30");
    assert_eq!(spec.files_read, vec![root, dir.join("common.yaml"), dir.join("schemas/Pet.yaml")]);
    let components = spec.openapi.components.as_ref().expect("components");
    assert_eq!(components_keys(&components.schemas), ["Local", "Pet", "Problem"]);
    assert_eq!(components_keys(&components.request_bodies), ["PetBody"]);
    assert_eq!(components_keys(&components.responses), ["PetResponse", "Problem"]);
    assert_eq!(components_keys(&components.headers), ["RateLimit"]);
    // A whole-file reference is named after the file; its self-reference finds the same name.
    assert_eq!(reference(property(schema(&spec.openapi, "Pet"), "friend")), "#/components/schemas/Pet");
    assert_eq!(reference(property(schema(&spec.openapi, "Local"), "pet")), "#/components/schemas/Pet");
    let response = item(&components.responses["PetResponse"]);
    assert_eq!(reference(&response.headers["X-Rate-Limit"]), "#/components/headers/RateLimit");
    assert_eq!(spec.locate("/components/schemas/Pet/properties/friend").file, dir.join("schemas/Pet.yaml"));
    assert_eq!(spec.locate("/components/headers/RateLimit").pointer, "/components/headers/RateLimit");
    let (ir, _) = ir::build(&spec, "multi30").unwrap_or_else(|e| panic!("IR: {e}"));
    assert_eq!(ir.operations.len(), 1);
}

#[test]
fn openapi30_specs_with_local_references_pass_through_unchanged() {
    for name in ["azure-aks.yaml", "azure-batch.yaml", "azure-scvmm.yaml", "neutonos-sddc.yaml", "volcengine-ecs.yaml"] {
        let path = repo().join("specs").join(name);
        let spec = load_ok(&path);
        let bytes = std::fs::read(&path).expect("read");
        let (parsed, _) = restsmith::load::parse_document(&path, &bytes).expect("parse");
        assert_eq!(spec.source_version, SourceVersion::OpenApi30);
        assert_eq!(spec.raw, parsed, "{name}");
        assert_eq!(spec.files_read, vec![path.clone()]);
        assert!(spec.origins.is_empty(), "{name}: {:?}", spec.origins);
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input: errors name the file and the pointer

#[test]
fn missing_file_names_the_ref() {
    let file = fixture("bad/missing-file.yaml");
    let err = load_err(&file);
    assert!(err.starts_with(&format!("{}#/paths/~1x/get/responses/200/schema/$ref: ", file.display())), "{err}");
    assert!(err.contains("nowhere/missing.json"), "{err}");
}

#[test]
fn dangling_fragment_names_the_ref_and_the_target() {
    let file = fixture("bad/dangling.yaml");
    let err = load_err(&file);
    assert!(err.starts_with(&format!("{}#/paths/~1x/get/responses/200/schema/$ref: ", file.display())), "{err}");
    assert!(err.contains(&format!("{}#/definitions/Nope", fixture("bad/parts.json").display())), "{err}");
    assert!(err.contains("`/definitions`"), "{err}");
    let local = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  A: {properties: {b: {$ref: '#/definitions/B'}}}\n";
    let err = load_bytes(Path::new("local.yaml"), local.as_bytes()).expect_err("dangling local ref").to_string();
    assert!(err.starts_with("local.yaml#/definitions/A/properties/b/$ref: "), "{err}");
}

#[test]
fn unterminated_cycles_name_the_ref() {
    let file = fixture("bad/cycle.yaml");
    let err = load_err(&file);
    let shown = file.display();
    assert_eq!(
        err,
        format!(
            "{shown}#/definitions/A/$ref: `$ref` cycle that never reaches a definition: {shown}#/definitions/A → \
             {shown}#/definitions/B → {shown}#/definitions/A (reached from {shown}#/paths/~1x/get/responses/200/schema/$ref)"
        )
    );
    let file = fixture("bad/cycle-files.yaml");
    let err = load_err(&file);
    let other = fixture("bad/cycle-other.json");
    assert!(err.starts_with(&format!("{}#/definitions/B/$ref: `$ref` cycle", other.display())), "{err}");
    assert!(err.contains(&format!("{}#/definitions/A", file.display())), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn swagger2_with_openapi3_keys_is_an_error_naming_the_key() {
    let file = fixture("bad/mixed.yaml");
    let err = load_err(&file);
    assert!(err.starts_with(&format!("{}#/paths/~1x/post/requestBody: ", file.display())), "{err}");
    assert!(err.contains("OpenAPI 3 keyword"), "{err}");
    let both = "swagger: '2.0'\nopenapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let err = load_bytes(Path::new("both.yaml"), both.as_bytes()).expect_err("both").to_string();
    assert!(err.starts_with("both.yaml#/openapi: "), "{err}");
    let servers = "swagger: '2.0'\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://x'}]\npaths:\n  /a:\n    get:\n      parameters: [{name: q, in: query, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n";
    let err = load_bytes(Path::new("servers.yaml"), servers.as_bytes()).expect_err("servers").to_string();
    assert!(err.contains("servers.yaml#/servers: "), "{err}");
    assert!(err.contains("servers.yaml#/paths/~1a/get/parameters/0/schema: "), "{err}");
}

#[test]
fn unsupported_versions_are_errors_naming_the_version() {
    for (text, pointer, version) in [
        ("openapi: 4.0.0\ninfo: {title: t, version: '1'}\n", "/openapi", "4.0.0"),
        ("openapi: 3.2.0\ninfo: {title: t, version: '1'}\n", "/openapi", "3.2.0"),
        ("swagger: '1.2'\ninfo: {title: t, version: '1'}\n", "/swagger", "1.2"),
    ] {
        let err = load_bytes(Path::new("v.yaml"), text.as_bytes()).expect_err(version).to_string();
        assert!(err.starts_with(&format!("v.yaml#{pointer}: unsupported version `{version}`")), "{err}");
    }
    let err = load_bytes(Path::new("none.yaml"), b"info: {title: t}\n").expect_err("no version").to_string();
    assert!(err.starts_with("none.yaml: "), "{err}");
}

#[test]
fn invalid_converted_documents_point_into_the_source() {
    // A Swagger 2.0 security scheme of an unknown type is dropped with a warning; a broken
    // schema in an imported file is reported in that file.
    let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\nsecurityDefinitions: {k: {type: magic}}\ndefinitions:\n  A: {type: object, properties: {n: {type: integer, minimum: 'low'}}}\n";
    let err = load_bytes(Path::new("inv.yaml"), text.as_bytes()).expect_err("invalid").to_string();
    assert!(err.starts_with("inv.yaml#/definitions/A/properties/n"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Real specs

/// The upstream Azure specs beside the project (`../shared/upstream`); a missing folder fails
/// the test: it is part of every checkout's surroundings, CI included.
fn upstream() -> Option<PathBuf> {
    let dir = repo().join("../shared/upstream/specification");
    assert!(dir.is_dir(), "{} is missing: the upstream Azure specs live beside the repository in ../shared", dir.display());
    Some(dir)
}

#[test]
fn upstream_azure_specs_load_and_build() {
    let Some(dir) = upstream() else { return };
    let cases = [
        ("scvmm/resource-manager/Microsoft.ScVmm/stable/2024-06-01/scvmm.json", 52, 2),
        ("containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2024-09-01/managedClusters.json", 59, 3),
        ("batch/data-plane/Microsoft.Batch/stable/2020-09-01.12.0/BatchService.json", 76, 1),
    ];
    for (relative, operations, files) in cases {
        let path = dir.join(relative);
        let spec = load_ok(&path);
        assert_eq!(spec.source_version, SourceVersion::Swagger20);
        assert_eq!(spec.files_read.len(), files, "{relative}: {:?}", spec.files_read);
        assert_eq!(spec.files_read[0], path);
        let (ir, warnings) = ir::build(&spec, "upstream").unwrap_or_else(|e| panic!("{relative}: IR failed:\n{e}"));
        println!("{relative}: {} operations, {} types, {} warnings, files {:?}", ir.operations.len(), ir.types.len(), warnings.len(), spec.files_read);
        assert_eq!(ir.operations.len(), operations, "{relative}");
        assert!(!ir.types.is_empty());
    }
    // The AKS file is not strict JSON: the trailing comma is accepted with a located warning.
    let aks = load_ok(&dir.join(cases[1].0));
    assert!(aks.warnings.iter().any(|w| w.message.contains("line 4985: trailing comma")), "{:?}", aks.warnings);
    // Imported ARM common types keep their origin.
    let scvmm = load_ok(&dir.join(cases[0].0));
    let origin = scvmm.locate("/components/schemas/ErrorResponse");
    assert!(origin.file.ends_with("common-types/resource-management/v5/types.json"), "{origin}");
    assert_eq!(origin.pointer, "/definitions/ErrorResponse");
}

#[test]
fn autorest_testserver_swaggers_load() {
    let dir = repo().join("tools/harness/node_modules/@microsoft.azure/autorest.testserver/swagger");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        panic!("{} is not installed: run `bash scripts/test.sh` (or `npm ci --prefix tools/harness`)", dir.display());
    };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    files.sort();
    let mut load_failures = Vec::new();
    let mut ir_failures = Vec::new();
    for file in &files {
        match load(file) {
            Err(e) => load_failures.push(format!("{}: {e}", file.display())),
            Ok(spec) => {
                if let Err(e) = ir::build(&spec, "testserver") {
                    ir_failures.push(format!("{}: {e}", file.display()));
                }
            }
        }
    }
    println!("{} swaggers; IR failures: {}\n{}", files.len(), ir_failures.len(), ir_failures.join("\n"));
    assert!(load_failures.is_empty(), "{}", load_failures.join("\n"));
    let url = load_ok(&dir.join("url.json"));
    assert!(url.raw.to_string().contains("\"x-restsmith-collection-format\":\"tsv\""));
}

// ---------------------------------------------------------------------------------------------
// Errors never panic

/// A small deterministic generator (Numerical Recipes LCG), seeded per file.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that change the structure of JSON and YAML documents.
const INTERESTING: &[u8] = b"{}[]\":,#/$~-. \n\t0123456789aetfnx\\";

fn mutate(bytes: &[u8], rng: &mut Lcg) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let edits = 1 + rng.below(3);
    for _ in 0..edits {
        if out.is_empty() {
            break;
        }
        let at = rng.below(out.len());
        match rng.below(5) {
            0 => out[at] = INTERESTING[rng.below(INTERESTING.len())],
            1 => {
                out.remove(at);
            }
            2 => out.insert(at, INTERESTING[rng.below(INTERESTING.len())]),
            3 => {
                let end = (at + 1 + rng.below(64)).min(out.len());
                out.drain(at..end);
            }
            // Mostly printable ASCII; now and then any byte (which is seldom UTF-8).
            _ => out[at] = if rng.below(8) == 0 { rng.next() as u8 } else { b' ' + rng.below(95) as u8 },
        }
    }
    out
}

fn sweep_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![repo().join("specs")];
    if let Some(dir) = upstream() {
        stack.push(dir);
    }
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "json" || x == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Loads and lowers one input; returns the error text, or a panic message.
fn run_pipeline(path: &Path, bytes: &[u8]) -> Result<Option<String>, String> {
    catch_unwind(AssertUnwindSafe(|| match load_bytes(path, bytes) {
        Err(e) => Some(e.to_string()),
        Ok(spec) => ir::build(&spec, "sweep").err().map(|e| e.to_string()),
    }))
    .map_err(|panic| {
        panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default()
    })
}

#[test]
fn truncated_and_mutated_specs_never_panic() {
    let files = sweep_files();
    assert!(files.len() >= 5, "{files:?}");
    let names: BTreeSet<String> = files.iter().filter_map(|f| f.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
    let started = std::time::Instant::now();
    // Work split over two threads; each file's inputs are deterministic.
    let chunks: Vec<Vec<PathBuf>> = (0..2).map(|k| files.iter().skip(k).step_by(2).cloned().collect()).collect();
    let names = &names;
    let results: Vec<(usize, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                scope.spawn(move || {
                    let mut runs = 0;
                    let mut problems = Vec::new();
                    for path in chunk {
                        let Ok(bytes) = std::fs::read(path) else { continue };
                        let seed = path.to_string_lossy().bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
                        let mut rng = Lcg(seed);
                        let mut inputs: Vec<Vec<u8>> = (1..=20).map(|k| bytes[..bytes.len() * k / 21].to_vec()).collect();
                        // A run costs about its size: small files get up to 200 mutations, large
                        // ones fewer, so the sweep stays within seconds in a debug build.
                        let mutations = (1_500_000 / bytes.len().max(1)).clamp(6, 200);
                        inputs.extend((0..mutations).map(|_| mutate(&bytes, &mut rng)));
                        for input in inputs {
                            runs += 1;
                            match run_pipeline(path, &input) {
                                Err(panic) => problems.push(format!("{}: PANIC {panic}", path.display())),
                                Ok(Some(message)) if !names.iter().any(|n| message.contains(n.as_str())) => {
                                    problems.push(format!("{}: error names no file: {message}", path.display()))
                                }
                                Ok(_) => {}
                            }
                        }
                    }
                    (runs, problems)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| (0, vec!["sweep thread panicked".to_owned()]))).collect()
    });
    let runs: usize = results.iter().map(|r| r.0).sum();
    let problems: Vec<String> = results.into_iter().flat_map(|r| r.1).collect();
    println!("{runs} inputs from {} files in {:?}", files.len(), started.elapsed());
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
