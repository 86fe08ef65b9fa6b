//! `restsmith diff`: one old/new spec pair per rule under `tests/fixtures/diff/<rule>/`, each
//! with an insta snapshot of its text report (`tests/snapshots/diff__<rule>.snap`); the rule
//! table in sync with `src/diff/RULES.md` and the README; the generated-code facts the Rust
//! verdicts rely on checked against codegen; the CLI (formats, `--code`, exit codes); the
//! committed AKS example report; and agreement of the Rust verdicts with cargo-semver-checks on
//! the crates generated from every fixture pair.
//!
//! `RESTSMITH_BLESS=1 cargo test --test diff` rewrites `src/diff/RULES.md` and the docs/ report
//! instead of comparing them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use restsmith::diff::{self, render, rules, Version};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const FIXTURES: &str = "tests/fixtures/diff";

/// Rules without a fixture, and why.
const NO_FIXTURE: &[(&str, &str)] =
    &[("alias-target-changed", "the IR builder emits no aliases from specs today (`TypeKind::Alias` is unused)")];

/// Fixture directories that are not about one rule.
const EXTRA_FIXTURES: &[&str] = &["no-change", "swagger2-vs-openapi3"];

/// Fixture directories that are a second case of a rule: (directory, rule id).
const SECOND_CASES: &[(&str, &str)] = &[("enum-value-added-closed", "enum-value-added")];

/// The rule a fixture directory is about.
fn rule_of(name: &str) -> &str {
    SECOND_CASES.iter().find(|(dir, _)| *dir == name).map_or(name, |(_, rule)| rule)
}

/// The old and new spec of a fixture (relative paths, so reports are the same everywhere).
fn fixture_files(name: &str) -> (PathBuf, PathBuf) {
    let dir = Path::new(FIXTURES).join(name);
    let old = ["old.yaml", "old.json"].iter().map(|f| dir.join(f)).find(|p| root().join(p).exists()).expect("old spec");
    (old, dir.join("new.yaml"))
}

fn load(path: &Path) -> Version {
    Version::load(path, "pet-store").unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn report_of(name: &str) -> diff::Report {
    let (old, new) = fixture_files(name);
    diff::diff(&load(&old), &load(&new))
}

fn check_fixture(name: &str) {
    let report = report_of(name);
    if !EXTRA_FIXTURES.contains(&name) {
        assert!(
            report.changes.iter().any(|c| c.rule == rule_of(name)),
            "fixture `{name}` does not trigger its rule:\n{}",
            render::text(&report, false)
        );
    }
    insta::assert_snapshot!(name, render::text(&report, false));
}

macro_rules! fixtures {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check_fixture($name);
            }
        )*
        const FIXTURE_NAMES: &[&str] = &[$($name),*];
    };
}

fixtures! {
    api_version_changed => "api-version-changed",
    envelope_changed => "envelope-changed",
    server_url_changed => "server-url-changed",
    server_list_changed => "server-list-changed",
    server_variable_added => "server-variable-added",
    server_variable_removed => "server-variable-removed",
    server_variable_changed => "server-variable-changed",
    security_scheme_added => "security-scheme-added",
    security_scheme_removed => "security-scheme-removed",
    security_scheme_changed => "security-scheme-changed",
    client_setting_added => "client-setting-added",
    client_setting_removed => "client-setting-removed",
    client_setting_changed => "client-setting-changed",
    operation_added => "operation-added",
    operation_removed => "operation-removed",
    operation_moved => "operation-moved",
    operation_renamed => "operation-renamed",
    operation_deprecated => "operation-deprecated",
    operation_retry_safe_changed => "operation-retry-safe-changed",
    param_added_required => "param-added-required",
    param_added_optional => "param-added-optional",
    param_removed => "param-removed",
    param_became_required => "param-became-required",
    param_became_optional => "param-became-optional",
    param_location_changed => "param-location-changed",
    param_type_changed => "param-type-changed",
    param_pattern_changed => "param-pattern-changed",
    param_constraint_changed => "param-constraint-changed",
    param_default_changed => "param-default-changed",
    param_encoding_changed => "param-encoding-changed",
    param_constant_changed => "param-constant-changed",
    param_client_setting_changed => "param-client-setting-changed",
    param_rust_name_changed => "param-rust-name-changed",
    path_param_renamed => "path-param-renamed",
    param_arguments_reordered => "param-arguments-reordered",
    request_body_added => "request-body-added",
    request_body_removed => "request-body-removed",
    request_body_required_changed => "request-body-required-changed",
    request_body_type_changed => "request-body-type-changed",
    request_content_type_changed => "request-content-type-changed",
    response_status_added => "response-status-added",
    response_status_removed => "response-status-removed",
    response_body_type_changed => "response-body-type-changed",
    response_header_added => "response-header-added",
    response_header_removed => "response-header-removed",
    response_header_type_changed => "response-header-type-changed",
    error_type_changed => "error-type-changed",
    lro_added => "lro-added",
    lro_removed => "lro-removed",
    lro_final_state_changed => "lro-final-state-changed",
    lro_polling_changed => "lro-polling-changed",
    pagination_added => "pagination-added",
    pagination_removed => "pagination-removed",
    pagination_changed => "pagination-changed",
    type_added => "type-added",
    type_removed => "type-removed",
    type_renamed => "type-renamed",
    type_kind_changed => "type-kind-changed",
    field_added_optional => "field-added-optional",
    field_added_required => "field-added-required",
    field_removed => "field-removed",
    field_became_required => "field-became-required",
    field_became_optional => "field-became-optional",
    field_nullable_changed => "field-nullable-changed",
    field_read_only_changed => "field-read-only-changed",
    field_type_changed => "field-type-changed",
    field_renamed => "field-renamed",
    field_secret_changed => "field-secret-changed",
    additional_properties_added => "additional-properties-added",
    additional_properties_removed => "additional-properties-removed",
    additional_properties_type_changed => "additional-properties-type-changed",
    enum_value_added => "enum-value-added",
    enum_value_added_closed => "enum-value-added-closed",
    enum_value_removed => "enum-value-removed",
    enum_variant_renamed => "enum-variant-renamed",
    enum_extensibility_changed => "enum-extensibility-changed",
    union_variant_added => "union-variant-added",
    union_variant_removed => "union-variant-removed",
    union_variant_changed => "union-variant-changed",
    union_discriminator_changed => "union-discriminator-changed",
    union_unknown_variant_changed => "union-unknown-variant-changed",
    swagger2_vs_openapi3 => "swagger2-vs-openapi3",
    no_change => "no-change",
}

#[test]
fn every_rule_has_a_fixture_and_every_fixture_is_listed() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(root().join(FIXTURES))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = FIXTURE_NAMES.iter().map(|s| s.to_string()).collect();
    assert_eq!(on_disk, listed, "fixture directories and the fixtures! list differ");
    for rule in rules::RULES {
        let exempt = NO_FIXTURE.iter().any(|(id, _)| *id == rule.id);
        assert_eq!(listed.contains(rule.id), !exempt, "rule `{}`: a fixture, or an entry in NO_FIXTURE (not both)", rule.id);
    }
    for name in &listed {
        assert!(rules::rule(rule_of(name)).is_some() || EXTRA_FIXTURES.contains(&name.as_str()), "fixture `{name}` names no rule");
    }
    let ids: BTreeSet<&str> = rules::RULES.iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), rules::RULES.len(), "duplicate rule ids");
}

fn bless() -> bool {
    std::env::var_os("RESTSMITH_BLESS").is_some()
}

#[test]
fn rule_table_is_documented_in_rules_md_and_readme() {
    let table = rules::markdown_table();
    let rules_md = root().join("src/diff/RULES.md");
    if bless() {
        std::fs::write(&rules_md, &table).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&rules_md).unwrap(), table, "src/diff/RULES.md is stale: rerun with RESTSMITH_BLESS=1");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains(&table), "README.md's \"Reviewing spec changes\" section must contain the table of src/diff/RULES.md");
}

/// Items of a generated file by name, with whether they carry `#[non_exhaustive]`.
fn non_exhaustive_items(source: &str) -> BTreeMap<String, bool> {
    fn walk(items: &[syn::Item], prefix: &str, out: &mut BTreeMap<String, bool>) {
        let marked = |attrs: &[syn::Attribute]| attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
        for item in items {
            match item {
                syn::Item::Struct(s) => {
                    out.insert(format!("{prefix}{}", s.ident), marked(&s.attrs));
                }
                syn::Item::Enum(e) => {
                    out.insert(format!("{prefix}{}", e.ident), marked(&e.attrs));
                }
                syn::Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        walk(inner, &format!("{prefix}{}::", m.ident), out);
                    }
                }
                _ => {}
            }
        }
    }
    let file = syn::parse_file(source).expect("generated code parses");
    let mut out = BTreeMap::new();
    walk(&file.items, "", &mut out);
    out
}

fn generated(path: &Path) -> BTreeMap<String, String> {
    let version = load(path);
    let layout = restsmith::codegen::CrateLayout { runtime_dependency: "{ path = \"runtime\" }".into(), standalone: true };
    restsmith::codegen::crate_files(&version.ir, &layout)
        .unwrap()
        .into_iter()
        .map(|f| (f.path.display().to_string().replace('\\', "/"), f.contents))
        .collect()
}

/// The constants of `restsmith::diff::shape` describe what codegen emits.
#[test]
fn shape_constants_match_generated_code() {
    use restsmith::diff::shape;
    // A struct, string enums, a union, responses, headers and a per-status `Body` enum.
    let models = non_exhaustive_items(&generated(Path::new("tests/fixtures/diff/union-variant-added/old.yaml"))["src/models.rs"]);
    assert_eq!(models["Pet"], shape::STRUCTS_NON_EXHAUSTIVE, "models::Pet");
    assert_eq!(models["PetKind"], shape::EXTENSIBLE_ENUMS_NON_EXHAUSTIVE, "models::PetKind (extensible)");
    assert_eq!(models["AnyPet"], shape::UNIONS_KEEPING_UNKNOWN_NON_EXHAUSTIVE, "models::AnyPet (keeps unknown values)");
    let closed = non_exhaustive_items(&generated(Path::new("tests/fixtures/diff/enum-extensibility-changed/new.yaml"))["src/models.rs"]);
    assert_eq!(closed["PetStatus"], shape::CLOSED_ENUMS_NON_EXHAUSTIVE, "models::PetStatus (closed)");
    let files = generated(Path::new("tests/fixtures/diff/response-status-removed/old.yaml"));
    let operations = non_exhaustive_items(&files["src/operations.rs"]);
    // `Response` is the runtime's generic struct, named per operation by an alias.
    assert!(files["src/operations.rs"].contains("pub type Response = ::restsmith_runtime::Response<"), "get_pet::Response");
    let runtime = non_exhaustive_items(&std::fs::read_to_string("runtime/src/response.rs").unwrap());
    assert_eq!(runtime["Response"], shape::RESPONSES_NON_EXHAUSTIVE, "restsmith_runtime::Response");
    assert_eq!(operations["get_pet::Headers"], shape::RESPONSES_NON_EXHAUSTIVE);
    assert_eq!(operations["put_pet::Body"], shape::RESPONSE_BODY_ENUM_NON_EXHAUSTIVE, "put_pet answers 200 with a body and 202 without");
    // Optional parameters are builder setters; required ones method arguments.
    let operations_rs = &files["src/operations.rs"];
    assert_eq!(operations_rs.contains("pub fn verbose(mut self, value: bool) -> Self"), shape::OPTIONAL_PARAMS_ARE_SETTERS);
    let client = syn::parse_file(&files["src/client.rs"]).unwrap();
    let arguments: Vec<String> = client
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) => Some(block.items.iter()),
            _ => None,
        })
        .flatten()
        .find_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.ident == "get_pet" => Some(
                f.sig
                    .inputs
                    .iter()
                    .filter_map(|arg| match arg {
                        syn::FnArg::Typed(t) => Some(quote::ToTokens::to_token_stream(&t.pat).to_string()),
                        syn::FnArg::Receiver(_) => None,
                    })
                    .collect(),
            ),
            _ => None,
        })
        .expect("Client::get_pet");
    assert_eq!(arguments, ["pet_id"], "required `petId` is an argument, optional `verbose` is not");
}

fn restsmith_bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_restsmith"));
    command.current_dir(root());
    command
}

#[test]
fn cli_exit_codes_and_formats() {
    let (old, new) = fixture_files("field-added-required");
    let run = |args: &[&str]| {
        let output = restsmith_bin().arg("diff").arg(&old).arg(&new).args(args).output().unwrap();
        (output.status.code(), String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
    };
    // Wire- and Rust-breaking: 1 unless told otherwise.
    assert_eq!(run(&[]).0, Some(1));
    assert_eq!(run(&["--fail-on", "wire"]).0, Some(1));
    assert_eq!(run(&["--fail-on", "none"]).0, Some(0));
    let (code, text, _) = run(&["--color", "always"]);
    assert_eq!(code, Some(1));
    assert!(text.contains("\x1b[31mbreaking\x1b[0m"), "{text}");
    assert!(!run(&["--color", "never"]).1.contains('\x1b'));
    let (_, json, _) = run(&["--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["bump"], "major");
    assert_eq!(value["wire_breaking"], true);
    assert_eq!(value["changes"][0]["rule"], "field-added-required");
    assert_eq!(value["changes"][0]["pointer"], "/components/schemas/PetInput/properties/owner");
    assert_eq!(value["changes"][0]["side"], "new");
    let (_, markdown, _) = run(&["--format", "markdown"]);
    assert!(markdown.starts_with("### restsmith diff:"), "{markdown}");
    assert!(markdown.contains("| `field-added-required` |") || markdown.contains("`field-added-required`"), "{markdown}");
    // --code: the generated constructor gains the argument.
    let (_, code_diff, _) = run(&["--code", "--format", "markdown"]);
    assert!(code_diff.contains("```diff\n--- old/src/models.rs\n+++ new/src/models.rs\n"), "{code_diff}");
    assert!(code_diff.contains("\n+    pub owner: String,\n"), "{code_diff}");
    let (_, json_code, _) = run(&["--code", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json_code).unwrap();
    assert!(value["code"].as_str().unwrap().contains("+++ new/src/models.rs"));

    // Rust-breaking only (an enum variant renamed in Rust): `--fail-on wire` passes.
    let (old, new) = fixture_files("enum-variant-renamed");
    let status = |args: &[&str]| restsmith_bin().arg("diff").arg(&old).arg(&new).args(args).output().unwrap().status.code();
    assert_eq!(status(&["--fail-on", "wire"]), Some(0));
    assert_eq!(status(&["--fail-on", "rust"]), Some(1));

    // Compatible only: 0.
    let (old, new) = fixture_files("field-added-optional");
    assert_eq!(restsmith_bin().arg("diff").arg(&old).arg(&new).output().unwrap().status.code(), Some(0));

    // Bad input: 2, with the file named.
    let output = restsmith_bin().args(["diff", "Cargo.toml", "tests/fixtures/diff/no-change/new.yaml"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Cargo.toml"));
    let output = restsmith_bin().args(["diff", "missing.yaml", "tests/fixtures/diff/no-change/new.yaml"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn diff_help_has_an_example() {
    let output = restsmith_bin().args(["diff", "--help"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("diff_help", String::from_utf8(output.stdout).unwrap());
}

#[test]
fn json_pointers_map_back_to_swagger_2_files() {
    // The Swagger 2.0 file as OLD, an OpenAPI 3.0 file with one more property as NEW, and the
    // other way round: removals point into the 2.0 file's `definitions`.
    let swagger = load(Path::new("tests/fixtures/diff/swagger2-vs-openapi3/old.json"));
    let openapi = load(Path::new("tests/fixtures/diff/field-removed/old.yaml"));
    let report = diff::diff(&swagger, &load(Path::new("tests/fixtures/diff/field-removed/new.yaml")));
    let removed = report.changes.iter().find(|c| c.rule == "field-removed").expect("field-removed");
    assert_eq!(removed.pointer, "/definitions/Pet/properties/age");
    assert_eq!(removed.file, Path::new("tests/fixtures/diff/swagger2-vs-openapi3/old.json"));
    assert_eq!(diff::diff(&swagger, &openapi).changes, Vec::new(), "2.0 and 3.0 forms of one API");
}

// ---- the real case ----------------------------------------------------------------------

fn upstream() -> PathBuf {
    root().join("../shared/upstream/specification")
}

/// Writes (with `RESTSMITH_BLESS=1`) or checks the committed Markdown report of a real diff.
fn check_real_case(doc: &str, title: &str, dir: &Path, short_dir: &str, old: &str, new: &str, crate_name: &str) -> diff::Report {
    let mut report = diff::diff_files(&dir.join(old), &dir.join(new), crate_name).unwrap();
    // Paths as a reader of the docs sees them.
    report.old = Path::new(short_dir).join(old);
    report.new = Path::new(short_dir).join(new);
    for c in &mut report.changes {
        if let Ok(rel) = c.file.strip_prefix(dir) {
            c.file = Path::new(short_dir).join(rel);
        }
    }
    let markdown = render::markdown(&report);
    let text = format!(
        "# Example: what reviewers see for {title}\n\n\
         `restsmith diff --format markdown` on the published Swagger 2.0 files\n\
         (`specification/{short_dir}/{{{old},{new}}}` in the Azure REST API specs), as it would be posted on the\n\
         pull request that moves our spec to the new version. `tests/diff.rs` keeps it current\n\
         (`RESTSMITH_BLESS=1 cargo test --test diff` rewrites it).\n\n{markdown}"
    );
    let path = root().join(doc);
    if bless() {
        std::fs::write(&path, &text).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), text, "{doc} is stale: rerun with RESTSMITH_BLESS=1");
    report
}

/// AKS 2024-08-01 → 2024-09-01: additions only.
#[test]
fn aks_example_report_is_current() {
    let short = "containerservice/resource-manager/Microsoft.ContainerService/aks/stable";
    let report = check_real_case(
        "docs/diff-aks-2024-08-01-to-2024-09-01.md",
        "AKS 2024-08-01 → 2024-09-01",
        &upstream().join(short),
        short,
        "2024-08-01/managedClusters.json",
        "2024-09-01/managedClusters.json",
        "azure-aks",
    );
    assert!(report.changes.iter().any(|c| c.rule == "api-version-changed"));
    assert!(!report.rust_breaking() && !report.wire_breaking(), "AKS 2024-09-01 only adds");
}

/// ScVmm 2023-10-07 → 2024-06-01: the TypeSpec migration, with breaking changes.
#[test]
fn scvmm_example_report_is_current() {
    let short = "scvmm/resource-manager/Microsoft.ScVmm/stable";
    let report = check_real_case(
        "docs/diff-scvmm-2023-10-07-to-2024-06-01.md",
        "ScVmm 2023-10-07 → 2024-06-01",
        &upstream().join(short),
        short,
        "2023-10-07/scvmm.json",
        "2024-06-01/scvmm.json",
        "azure-scvmm",
    );
    assert!(report.rust_breaking() && report.wire_breaking());
}

/// The README's example output is what the command prints.
#[test]
fn readme_example_is_current() {
    let (old, new) = fixture_files("lro-added");
    let output = restsmith_bin().arg("diff").arg(&old).arg(&new).output().unwrap();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let printed = String::from_utf8(output.stdout).unwrap();
    assert!(readme.contains(&format!("```text\n{printed}```")), "README.md's diff example differs from:\n{printed}");
}

// ---- agreement with cargo-semver-checks --------------------------------------------------

/// Fixtures where cargo-semver-checks cannot see the Rust break restsmith reports, and why. The
/// test fails if one of them starts agreeing, so the list stays true.
/// All are type changes (cargo-semver-checks 0.51 has no lint for a changed type of a field,
/// argument, return value or alias) or argument order.
const SEMVER_CHECKS_BLIND_SPOTS: &[(&str, &str)] = &[
    ("client-setting-changed", "`Client::new` argument type `impl Into<String>` → `Uuid`"),
    ("param-type-changed", "setter argument type `i32` → `i64`"),
    ("param-arguments-reordered", "two `impl Into<String>` arguments swap places"),
    ("request-body-type-changed", "`body` argument type `PetInput` → `Pet`"),
    ("response-body-type-changed", "`Response::body` field type `Pet` → `PetList`"),
    ("response-header-type-changed", "`Headers::x_count` field type `Option<String>` → `Option<i32>`"),
    ("error-type-changed", "`send()` error type and the `Error` alias change"),
    ("lro-added", "`send()` returns a poller instead of `Response`, an alias of the runtime's generic struct"),
    ("field-type-changed", "`Pet::age` field type `Option<i32>` → `Option<String>`"),
    ("additional-properties-type-changed", "`additional_properties` map value type `String` → `i64`"),
];

fn semver_checks_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("RESTSMITH_SEMVER_CHECKS") {
        return PathBuf::from(path);
    }
    root().join("target/test-tools/cargo-semver-checks/bin/cargo-semver-checks")
}

/// Writes a crate whose `lib.rs` mounts every fixture's generated API (old or new side) as a
/// module whose source file is named after the fixture, so findings map back to fixtures.
fn write_fixture_crate(dir: &Path, side: &str, fixtures: &[&str]) {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let runtime = root().join("runtime");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"diff_fixtures\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\n\n[dependencies]\nrestsmith-runtime = {{ path = {:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    // The workspace's lock file pins the same dependency versions the workspace builds.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let mut lib = String::from("//! Every `restsmith diff` fixture's generated API, one module each.\n#![allow(warnings)]\n");
    for name in fixtures {
        let (old, new) = fixture_files(name);
        let path = if side == "old" { old } else { new };
        let version = load(&path);
        let source = restsmith::codegen::module_source(&version.ir).unwrap();
        let module = name.replace('-', "_");
        write_if_changed(&src.join(format!("{module}.rs")), &source);
        lib.push_str(&format!("pub mod {module} {{\n    include!(\"{module}.rs\");\n}}\n"));
    }
    write_if_changed(&src.join("lib.rs"), &lib);
}

/// Keeps modification times (and so cargo's fingerprints) of unchanged files.
fn write_if_changed(path: &Path, contents: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::write(path, contents).unwrap();
    }
}

fn rustdoc_json(dir: &Path, target: &Path, out: &Path) {
    let status = Command::new(env!("CARGO"))
        .args(["rustdoc", "--lib", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .args(["--", "-Z", "unstable-options", "--output-format", "json", "--document-hidden-items"])
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTDOCFLAGS")
        .status()
        .unwrap();
    assert!(status.success(), "cargo rustdoc (JSON) failed for {}", dir.display());
    std::fs::copy(target.join("doc/diff_fixtures.json"), out).unwrap();
}

/// Lint name → fixture modules it fired in, from cargo-semver-checks' text output. Each failed
/// lint prints `--- failure <lint>: …` and then one line per finding ending in `<file>:<line>`;
/// `--- warning <lint>: …` sections (lints that only warn) are not failures.
fn semver_findings(output: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut lint: Option<String> = None;
    for line in output.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("--- ") {
            lint = trimmed.strip_prefix("--- failure ").and_then(|rest| rest.split(':').next()).map(str::to_owned);
            continue;
        }
        let Some(lint) = &lint else { continue };
        for word in trimmed.split_whitespace() {
            let Some(file) = word.rsplit_once(':').map(|(f, _)| f) else { continue };
            if let Some(stem) = file.strip_suffix(".rs").and_then(|f| Path::new(f).file_name()).and_then(|f| f.to_str()) {
                if stem != "lib" {
                    out.entry(lint.clone()).or_default().insert(stem.to_owned());
                }
            }
        }
    }
    out
}

/// restsmith's Rust verdict for every fixture pair agrees with cargo-semver-checks run on the
/// crates generated from the two sides: all fixtures go into one crate per side (one module
/// each), so the whole comparison is two rustdoc builds and one cargo-semver-checks run.
#[test]
fn rust_verdicts_agree_with_cargo_semver_checks() {
    let started = std::time::Instant::now();
    let binary = semver_checks_binary();
    assert!(binary.exists(), "{} is missing: `bash scripts/test.sh` installs it (or set RESTSMITH_SEMVER_CHECKS)", binary.display());
    let work = root().join("target/diff-semver");
    let target = work.join("target");
    let fixtures: Vec<&str> = FIXTURE_NAMES.to_vec();
    for side in ["old", "new"] {
        write_fixture_crate(&work.join(side), side, &fixtures);
        rustdoc_json(&work.join(side), &target, &work.join(format!("{side}.json")));
    }
    let output = Command::new(&binary)
        .args(["semver-checks", "--baseline-rustdoc"])
        .arg(work.join("old.json"))
        .arg("--current-rustdoc")
        .arg(work.join("new.json"))
        // Declaring a minor release makes exactly the lints that require a major one fail.
        .args(["--release-type", "minor"])
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    std::fs::write(work.join("semver-checks.txt"), &text).unwrap();
    let findings = semver_findings(&text);
    let mut by_fixture: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (lint, modules) in &findings {
        for module in modules {
            by_fixture.entry(module.clone()).or_default().push(lint.clone());
        }
    }
    let mut agree = Vec::new();
    let mut disagree = Vec::new();
    let mut lines = Vec::new();
    for name in &fixtures {
        let report = report_of(name);
        let ours = report.rust_breaking();
        let theirs = by_fixture.get(&name.replace('-', "_")).cloned().unwrap_or_default();
        let blind = SEMVER_CHECKS_BLIND_SPOTS.iter().find(|(f, _)| f == name);
        let agrees = ours != theirs.is_empty();
        lines.push(format!(
            "{name:40} restsmith: {:8} cargo-semver-checks: {}",
            if ours { "major" } else { "no major" },
            if theirs.is_empty() { "no major lint".to_owned() } else { theirs.join(", ") }
        ));
        match (agrees, blind) {
            (true, None) => agree.push(*name),
            (false, Some(_)) => {}
            (true, Some((_, why))) => disagree.push(format!("{name}: listed as a blind spot ({why}) but now agrees")),
            (false, None) => disagree.push(format!(
                "{name}: restsmith says {}, cargo-semver-checks found {}",
                if ours { "Rust-breaking" } else { "Rust-compatible" },
                if theirs.is_empty() { "no major lint".to_owned() } else { theirs.join(", ") }
            )),
        }
    }
    let summary = format!(
        "{} of {} fixture pairs agree with cargo-semver-checks ({} known blind spots) in {:.0?}\n{}\n",
        agree.len(),
        fixtures.len(),
        SEMVER_CHECKS_BLIND_SPOTS.len(),
        started.elapsed(),
        lines.join("\n")
    );
    std::fs::write(work.join("agreement.txt"), &summary).unwrap();
    eprintln!("{summary}");
    assert!(agree.len() >= 15, "at least 15 fixture pairs must be checked by cargo-semver-checks\n{summary}");
    assert!(
        disagree.is_empty(),
        "disagreements:\n{}\n\n{summary}\ncargo-semver-checks output: {}",
        disagree.join("\n"),
        work.join("semver-checks.txt").display()
    );
}
