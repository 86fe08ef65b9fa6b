//! Generator tests: the IR of tricky mappings, snapshots of the generated code, determinism, and
//! bad input (exit code 2 with file and JSON pointer, nothing written).

use std::path::{Path, PathBuf};
use std::process::Command;

use restsmith::ir::{self, ApiIr, LroIr, ParamEncoding, Primitive, TypeKind, TypeRef};
use restsmith::load::load_bytes;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ir_of(yaml: &str) -> ApiIr {
    let spec = load_bytes(Path::new("inline.yaml"), yaml.as_bytes()).expect("spec loads");
    ir::build(&spec, "inline").expect("IR builds").0
}

fn build_error(yaml: &str) -> String {
    let spec = match load_bytes(Path::new("inline.yaml"), yaml.as_bytes()) {
        Ok(spec) => spec,
        Err(e) => return e.to_string(),
    };
    match ir::build(&spec, "inline") {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

fn struct_fields(ir: &ApiIr, name: &str) -> Vec<(String, String, TypeRef, bool)> {
    match &ir.type_def(name).unwrap_or_else(|| panic!("type {name} missing")).kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| (f.rust_name.clone(), f.wire_name.clone(), f.ty.clone(), f.is_optional())).collect(),
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

const MAPPINGS: &str = r#"
openapi: 3.0.3
info: { title: Mappings, version: "1" }
paths:
  /things/{thing-id}:
    parameters:
      - { name: thing-id, in: path, required: true, schema: { type: string, pattern: "^[a-z]+$", maxLength: 8 } }
    patch:
      operationId: updateThing
      parameters:
        - { name: x-sddc-token, in: header, schema: { type: string } }
        - { name: Action, in: query, required: true, schema: { type: string, enum: [UpdateThing] } }
        - { name: ImageIds, in: query, required: true, x-restsmith-indexed-list: true, schema: { type: array, maxItems: 3, items: { type: string } } }
        - { name: tags, in: query, schema: { type: array, items: { type: string } } }
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Thing' }
      responses:
        "202":
          description: accepted
          headers:
            Retry-After: { schema: { type: integer, format: int32 } }
            Location: { schema: { type: string } }
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Thing' }
        "204": { description: done }
        default:
          description: error
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Problem' }
      x-ms-long-running-operation: true
      x-ms-long-running-operation-options: { final-state-via: location }
  /scopes/{resourceUri}/x:
    get:
      operationId: getByScope
      parameters:
        - { name: resourceUri, in: path, required: true, x-ms-skip-url-encoding: true, schema: { type: string } }
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object, properties: { n: { type: integer } } } } } }
components:
  schemas:
    Thing:
      type: object
      required: [id, type]
      properties:
        id: { type: integer, format: int64 }
        type: { type: string }
        created: { type: string, format: date-time }
        day: { type: string, format: date }
        uid: { type: string, format: uuid }
        blob: { type: string, format: byte }
        stamp: { type: string, format: date-time-rfc1123 }
        note: { type: string, nullable: true }
        state: { $ref: '#/components/schemas/State' }
        inner:
          type: object
          properties:
            deep: { type: string, enum: [a, b] }
        parent: { $ref: '#/components/schemas/Thing' }
        children: { type: array, items: { $ref: '#/components/schemas/Thing' } }
        ImageIds.N: { type: string }
        secret: { type: string, format: password }
    State:
      type: string
      enum: [active, "+1", "-1", "", a b]
    Problem:
      type: object
      properties:
        error:
          type: object
          properties:
            code: { type: string }
            message: { type: string }
"#;

#[test]
fn ir_maps_models() {
    let ir = ir_of(MAPPINGS);
    let fields = struct_fields(&ir, "Thing");
    let find = |n: &str| fields.iter().find(|f| f.0 == n).cloned().unwrap_or_else(|| panic!("field {n} missing: {fields:?}"));
    assert_eq!(find("id").2, TypeRef::Prim(Primitive::I64));
    assert!(!find("id").3, "required field is not optional");
    assert_eq!(find("type_").1, "type", "keyword field renamed");
    assert!(find("created").3, "optional field is an Option");
    assert_eq!(find("created").2, TypeRef::Prim(Primitive::DateTime));
    assert_eq!(find("day").2, TypeRef::Prim(Primitive::Date));
    assert_eq!(find("uid").2, TypeRef::Prim(Primitive::Uuid));
    assert_eq!(find("blob").2, TypeRef::Prim(Primitive::Bytes));
    assert_eq!(find("stamp").2, TypeRef::Prim(Primitive::DateTimeRfc1123));
    assert_eq!(find("state").2, TypeRef::Named("State".into()));
    assert_eq!(find("inner").2, TypeRef::Named("ThingInner".into()), "inline object named after its parent");
    assert_eq!(find("image_ids_n").1, "ImageIds.N");
    assert_eq!(struct_fields(&ir, "ThingInner")[0].2, TypeRef::Named("ThingInnerDeep".into()));
    let TypeKind::Struct(thing) = &ir.type_def("Thing").unwrap().kind else { unreachable!() };
    let parent = thing.fields.iter().find(|f| f.rust_name == "parent").unwrap();
    assert!(parent.boxed, "self-reference is boxed");
    let children = thing.fields.iter().find(|f| f.rust_name == "children").unwrap();
    assert!(!children.boxed, "a Vec needs no box");
    assert!(thing.fields.iter().find(|f| f.rust_name == "note").unwrap().nullable);
    assert!(thing.fields.iter().find(|f| f.rust_name == "secret").unwrap().secret);
    let TypeKind::Enum(state) = &ir.type_def("State").unwrap().kind else { panic!("State is an enum") };
    let names: Vec<_> = state.variants.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(names, ["Active", "Plus1", "Minus1", "Empty", "AB"]);
    assert!(state.extensible, "unknown values are kept by default");
}

#[test]
fn ir_maps_operations() {
    let ir = ir_of(MAPPINGS);
    let op = ir.operations.iter().find(|o| o.operation_id == "updateThing").unwrap();
    assert_eq!(op.method_name, "update_thing");
    let p = |w: &str| op.params.iter().find(|p| p.wire_name == w).unwrap_or_else(|| panic!("param {w}"));
    assert_eq!(p("thing-id").rust_name, "thing_id");
    assert_eq!(p("thing-id").validation.pattern.as_deref(), Some("^[a-z]+$"), "path-level parameter merged");
    assert_eq!(p("thing-id").validation.max_length, Some(8));
    assert_eq!(p("x-sddc-token").rust_name, "x_sddc_token");
    assert!(!p("x-sddc-token").required);
    assert_eq!(p("Action").constant.as_deref(), Some("UpdateThing"), "required single-value enum is a constant");
    assert_eq!(p("ImageIds").encoding, ParamEncoding::IndexedList);
    assert_eq!(p("ImageIds").validation.max_items, Some(3));
    assert_eq!(p("tags").encoding, ParamEncoding::Styled { style: restsmith::ir::ParamStyle::Form, explode: true, allow_reserved: false });
    let required: Vec<_> = op.required_args().map(|p| p.rust_name.as_str()).collect();
    assert_eq!(required, ["thing_id", "image_ids"]);
    assert_eq!(op.success.iter().map(|r| r.status).collect::<Vec<_>>(), [202, 204]);
    assert!(op.single_success_body().is_none(), "202 with a body and 204 without differ");
    let headers: Vec<_> = op.success[0].headers.iter().map(|h| (h.rust_name.as_str(), h.ty.clone())).collect();
    assert_eq!(headers, [("retry_after", TypeRef::Prim(Primitive::I32)), ("location", TypeRef::Prim(Primitive::String))]);
    assert_eq!(op.error_type, Some(TypeRef::Named("Problem".into())));
    assert_eq!(op.lro, Some(LroIr::Azure { final_state_via: Some("location".into()) }));
    let scoped = ir.operations.iter().find(|o| o.operation_id == "getByScope").unwrap();
    assert_eq!(scoped.params[0].encoding, ParamEncoding::ArmScope);
    assert_eq!(scoped.success[0].body, Some(TypeRef::Named("GetByScopeResponse".into())), "inline response named after the operation");
}

#[test]
fn generated_code_parses_and_is_deterministic() {
    for spec in std::fs::read_dir(repo().join("specs")).unwrap().map(|e| e.unwrap().path()) {
        let settings = restsmith::CrateSettings::standalone(&spec, Path::new("/tmp/x"), None);
        let first = restsmith::generate_crate(&settings, Path::new("")).unwrap();
        let second = restsmith::generate_crate(&settings, Path::new("")).unwrap();
        assert_eq!(first.files, second.files, "{} generates the same bytes twice", spec.display());
    }
}

#[test]
fn snapshots_of_generated_crates() {
    let crates = restsmith::settings::workspace_crates(&repo()).unwrap();
    for settings in crates {
        let generated = restsmith::generate_crate(&settings, &repo()).unwrap();
        for file in generated.files.iter().filter(|f| f.path.extension().is_some_and(|x| x == "rs")) {
            let name = format!("{}__{}", settings.crate_name, file.path.file_name().unwrap().to_string_lossy());
            insta::assert_snapshot!(name, file.contents);
        }
    }
}

// ---- bad input ----

fn restsmith(args: &[&str], cwd: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_restsmith")).args(args).current_dir(cwd).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

const GOOD: &str = "openapi: 3.0.3\ninfo: { title: Good, version: '1' }\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: { '200': { description: ok } }\n";

#[test]
fn bad_input_exits_2_with_file_and_pointer_and_writes_nothing() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("not-yaml.yaml", "openapi: [unclosed\n", &["not-yaml.yaml", "not valid YAML"]),
        ("not-json.json", "{\"openapi\": ", &["not-json.json", "not valid JSON"]),
        (
            "dangling.yaml",
            "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { $ref: '#/components/schemas/Missing' }\n",
            &["dangling.yaml#/paths/~1a/get/responses/200/content/application~1json/schema/$ref", "Missing", "does not exist"],
        ),
        (
            "duplicate.yaml",
            "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    get:\n      operationId: same\n      responses: { '200': { description: ok } }\n  /b:\n    get:\n      operationId: same\n      responses: { '200': { description: ok } }\n",
            &["duplicate.yaml#/paths/~1b/get/operationId", "duplicate operationId `same`", "#/paths/~1a/get"],
        ),
        (
            "unsupported.yaml",
            "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    get:\n      operationId: getA\n      x-restsmith-lro: { style: telepathy }\n      responses: { '200': { description: ok } }\n",
            &["unsupported.yaml#/paths/~1a/get/x-restsmith-lro", "unknown x-restsmith-lro style"],
        ),
        (
            "missing-file.yaml",
            "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    $ref: 'other.yaml#/paths/~1a'\n",
            &["missing-file.yaml#/paths/~1a"],
        ),
        (
            "version.yaml",
            "openapi: 4.0.0\ninfo: { title: t, version: '1' }\npaths: {}\n",
            &["version.yaml#/openapi", "version `4.0.0`"],
        ),
        (
            "wrong-shape.yaml",
            "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    get:\n      responses: { '200': { description: [not, a, string] } }\n",
            &["wrong-shape.yaml#/paths/~1a/get/responses/200", "invalid OpenAPI document"],
        ),
        (
            // Schemas are deserialized on their own thread: a failure there is located too.
            "wrong-schema.yaml",
            "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      required: 7\n",
            &["wrong-schema.yaml#/components/schemas/Pet", "invalid OpenAPI document"],
        ),
    ];
    for (file, text, expected) in cases {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("specs")).unwrap();
        std::fs::write(root.path().join("specs/good.yaml"), GOOD).unwrap();
        std::fs::write(root.path().join("specs").join(file), text).unwrap();
        let (code, stderr) = restsmith(&["generate"], root.path());
        assert_eq!(code, 2, "{file}: exit code 2 expected, stderr: {stderr}");
        for needle in *expected {
            assert!(stderr.contains(needle), "{file}: stderr should contain {needle:?}:\n{stderr}");
        }
        assert!(!stderr.contains("panicked"), "{file}: {stderr}");
        assert!(!root.path().join("generated").exists(), "{file}: nothing may be written when a spec is bad");

        // The standalone form reports the same way.
        let out = root.path().join("out");
        let spec = root.path().join("specs").join(file);
        let (code, stderr) = restsmith(&["generate", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()], root.path());
        assert_eq!(code, 2, "{file}: {stderr}");
        assert!(stderr.contains(file), "{file}: {stderr}");
        assert!(!out.exists(), "{file}: no output directory for a bad spec");
    }
}

#[test]
fn check_reports_stale_files_with_exit_1() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("specs")).unwrap();
    std::fs::write(root.path().join("specs/good.yaml"), GOOD).unwrap();
    let (code, stderr) = restsmith(&["check"], root.path());
    assert_eq!(code, 1, "nothing generated yet: {stderr}");
    assert!(stderr.contains("generated/good/src/lib.rs"), "{stderr}");
    let (code, stderr) = restsmith(&["generate"], root.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("generated 1 crate(s): 1 operations"), "{stderr}");
    let (code, _) = restsmith(&["check"], root.path());
    assert_eq!(code, 0);
    std::fs::write(root.path().join("generated/good/src/models.rs"), "// edited\n").unwrap();
    let (code, stderr) = restsmith(&["check"], root.path());
    assert_eq!(code, 1);
    assert!(stderr.contains("generated/good/src/models.rs"), "{stderr}");
    // A second generate changes nothing.
    restsmith(&["generate"], root.path());
    let (_, stderr) = restsmith(&["generate"], root.path());
    assert!(stderr.contains("0 file(s) changed"), "{stderr}");
}

#[test]
fn ir_errors_name_the_pointer() {
    let err = build_error("openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a/{id}:\n    get:\n      operationId: getA\n      responses: { '200': { description: ok } }\n");
    assert!(err.contains("inline.yaml#/paths/~1a~1{id}/get"), "{err}");
    assert!(err.contains("`{id}` is used in the path but not declared"), "{err}");
}

#[test]
fn ir_maps_polymorphism() {
    let ir = ir_of(&std::fs::read_to_string(repo().join("tests/fixtures/ir/polymorphism.yaml")).unwrap());
    let union = |name: &str| match &ir.type_def(name).unwrap_or_else(|| panic!("{name} missing")).kind {
        TypeKind::Union(u) => u.clone(),
        other => panic!("{name} is not a union: {other:?}"),
    };
    // Azure-style inheritance: the base becomes a union over itself and every descendant.
    let fish = union("Fish");
    assert_eq!(fish.discriminator.as_deref(), Some("fishtype"));
    let tags: Vec<_> = fish.variants.iter().map(|v| (v.rust_name.as_str(), v.tag.as_deref().unwrap(), v.ty.clone())).collect();
    assert_eq!(
        tags,
        [
            ("Fish", "Fish", TypeRef::Named("FishBase".into())),
            ("Salmon", "salmon", TypeRef::Named("SalmonBase".into())),
            ("SmartSalmon", "smart_salmon", TypeRef::Named("SmartSalmon".into())),
            ("Shark", "shark", TypeRef::Named("Shark".into())),
        ]
    );
    assert!(fish.keeps_unknown);
    // A subtype with its own subtypes is polymorphic too.
    assert_eq!(union("Salmon").variants.len(), 2);
    // Subtypes carry the base fields (allOf) and a fixed discriminator value.
    let shark = struct_fields(&ir, "Shark");
    assert_eq!(shark.iter().map(|f| f.1.as_str()).collect::<Vec<_>>(), ["fishtype", "length", "siblings", "best_friend", "age"]);
    let TypeKind::Struct(s) = &ir.type_def("Shark").unwrap().kind else { unreachable!() };
    assert_eq!(s.fields[0].discriminator_value.as_deref(), Some("shark"));
    // oneOf with a discriminator mapping, anyOf without one.
    let pet = union("Pet");
    assert_eq!(pet.discriminator.as_deref(), Some("kind"));
    assert_eq!(pet.variants.iter().map(|v| v.tag.as_deref().unwrap()).collect::<Vec<_>>(), ["cat", "dog"]);
    let shape = union("Shape");
    assert_eq!(shape.discriminator, None);
    assert_eq!(
        shape.variants.iter().map(|v| v.ty.clone()).collect::<Vec<_>>(),
        [TypeRef::Prim(Primitive::String), TypeRef::Prim(Primitive::I64), TypeRef::Named("Cat".into())]
    );
}

/// The whole upstream Azure files (every operation and model) as test inputs: the public API
/// of what restsmith generates from them, as one line per item, so reviewers see changes.
/// (`tests/upstream` compiles the same code with clippy and rustdoc warnings denied.)
#[test]
fn upstream_public_api_surface() {
    let root = repo().join("../shared/upstream/specification");
    assert!(root.is_dir(), "{} is missing: the upstream Azure specs live beside the repository in ../shared", root.display());
    let specs = [
        ("scvmm", "scvmm/resource-manager/Microsoft.ScVmm/stable/2024-06-01/scvmm.json"),
        ("aks", "containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2024-09-01/managedClusters.json"),
        ("batch", "batch/data-plane/Microsoft.Batch/stable/2020-09-01.12.0/BatchService.json"),
    ];
    for (name, path) in specs {
        let spec = restsmith::load::load(&root.join(path)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (ir, _) = ir::build(&spec, name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let source = restsmith::codegen::module_source(&ir).unwrap();
        let surface = restsmith::codegen::surface::api_surface(&source).unwrap();
        insta::assert_snapshot!(format!("upstream_{name}_api"), surface);
    }
}

/// restsmith's own corpus (tests/corpus/specs, one spec per construct): the generated module
/// of each, so reviewers see how every construct is rendered. (tests/corpus compiles and
/// exercises them.)
#[test]
fn corpus_snapshots() {
    let dir = repo().join("tests/corpus/specs");
    let mut specs: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    specs.sort();
    assert!(!specs.is_empty());
    for spec_path in specs {
        let name = spec_path.file_stem().unwrap().to_string_lossy().into_owned();
        let spec = restsmith::load::load(&spec_path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (ir, _) = ir::build(&spec, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let source = restsmith::codegen::module_source(&ir).unwrap();
        insta::assert_snapshot!(format!("corpus_{name}"), source);
    }
}

/// Identical inline types are aliases of the first; `distinct_inline_types` keeps them apart,
/// and `restsmith diff` (which compares types by name) always does.
#[test]
fn identical_inline_types_are_shared_unless_asked_not_to() {
    let path = repo().join("tests/corpus/specs/shared-inline-types.yaml");
    let spec = restsmith::load::load(&path).expect("loads");
    let kind_of = |ir: &ApiIr, name: &str| match &ir.type_def(name).unwrap_or_else(|| panic!("{name}")).kind {
        TypeKind::Alias(TypeRef::Named(target)) => format!("= {target}"),
        TypeKind::Enum(_) => "enum".to_owned(),
        TypeKind::Struct(_) => "struct".to_owned(),
        other => format!("{other:?}"),
    };
    let names = ["ListIssuesResponse", "ListIssuesResponseState", "ListIssuesState", "ListLabelsState", "ListPullsResponse", "ListPullsState"];
    let (shared, _) = ir::build(&spec, "shared").expect("IR");
    let kinds: Vec<String> = names.iter().map(|n| kind_of(&shared, n)).collect();
    assert_eq!(
        kinds,
        ["struct", "enum", "= ListIssuesResponseState", "enum", "= ListIssuesResponse", "= ListIssuesResponseState"]
    );
    let options = restsmith::GenerateOptions { distinct_inline_types: true, ..Default::default() };
    let (distinct, _) = ir::build_with(&spec, "shared", &options).expect("IR");
    let kinds: Vec<String> = names.iter().map(|n| kind_of(&distinct, n)).collect();
    assert_eq!(kinds, ["struct", "enum", "enum", "enum", "struct", "enum"]);
}
