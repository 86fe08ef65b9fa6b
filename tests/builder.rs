//! The `build.rs` front end, `restsmith::Builder`: the `cargo:` lines it prints (run in a child
//! process, as cargo runs a build script), writes only under its output directory and only when
//! bytes changed, located errors instead of panics, every generation option end to end, and the
//! README's build.rs section being the example crate that proves it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use restsmith::{Builder, GenerateOptions};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn spec(name: &str) -> PathBuf {
    repo().join("specs").join(name)
}

fn fixture(relative: &str) -> PathBuf {
    repo().join("tests/fixtures/load").join(relative)
}

/// Generates `builder` quietly into a fresh directory; returns the directory and the module.
fn generate(builder: Builder, module: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let modules = builder.quiet(true).out_dir(dir.path()).generate().unwrap_or_else(|e| panic!("generate failed:\n{e}"));
    let path = modules.iter().find(|m| m.name == module).unwrap_or_else(|| panic!("no module {module}")).path.clone();
    let source = std::fs::read_to_string(path).unwrap();
    (dir, source)
}

/// The error of a builder that must fail (the test fails if it panics instead).
fn error_of(builder: Builder) -> String {
    let dir = tempfile::tempdir().unwrap();
    match builder.quiet(true).out_dir(dir.path()).generate() {
        Ok(modules) => panic!("expected an error, generated {:?}", modules.iter().map(|m| &m.name).collect::<Vec<_>>()),
        Err(e) => {
            let written: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert!(written.is_empty(), "nothing is written on error, found {written:?}");
            e.to_string()
        }
    }
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
}

// ---------------------------------------------------------------------------------------------
// The builder as a build script: a child process with its own environment and stdout.

/// Which builder the child runs (`RESTSMITH_BUILDER_CASE`).
fn child_builder(case: &str) -> Builder {
    match case {
        "multi" => Builder::new().spec_as(fixture("multi/root.yaml"), "multi").spec_as(fixture("multi30/root.yaml"), "multi30"),
        "dangling" => Builder::new().spec(fixture("bad/dangling.yaml")),
        "ecs" => Builder::new().spec(spec("volcengine-ecs.yaml")),
        other => panic!("unknown case {other}"),
    }
}

/// Not a test of its own: the body of the child process started by [`run_child`].
#[test]
fn builder_child_process() {
    let Ok(case) = std::env::var("RESTSMITH_BUILDER_CASE") else { return };
    // The test harness has printed `test builder_child_process ... ` without a line break.
    println!();
    match child_builder(&case).generate() {
        Ok(modules) => println!("child: ok {}", modules.len()),
        Err(e) => println!("child: error {e}"),
    }
}

/// Runs the builder of `case` in a child process the way cargo runs a build script (with
/// `OUT_DIR` set, or unset when `out_dir` is `None`); returns the `cargo:` and `child:` lines
/// it printed.
fn run_child(case: &str, out_dir: Option<&Path>) -> Vec<String> {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(["--exact", "builder_child_process", "--nocapture", "--test-threads=1"]);
    command.env("RESTSMITH_BUILDER_CASE", case);
    match out_dir {
        Some(dir) => command.env("OUT_DIR", dir),
        None => command.env_remove("OUT_DIR"),
    };
    let output = command.output().unwrap();
    assert!(output.status.success(), "child failed:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("cargo:") || l.starts_with("child:"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn rerun_if_changed_names_every_file_read_including_refd_files() {
    let out = tempfile::tempdir().unwrap();
    let lines = run_child("multi", Some(out.path()));
    let rerun: Vec<&str> = lines.iter().filter_map(|l| l.strip_prefix("cargo:rerun-if-changed=")).collect();
    let expected: Vec<PathBuf> = vec![
        // Swagger 2.0: root → sub/dir/types.json → ../shared.json, and a path item in sub/paths.yaml.
        fixture("multi/root.yaml"),
        fixture("multi/sub/dir/types.json"),
        fixture("multi/sub/shared.json"),
        fixture("multi/sub/paths.yaml"),
        // OpenAPI 3.0: request bodies and responses in common.yaml, a whole-file schema.
        fixture("multi30/root.yaml"),
        fixture("multi30/common.yaml"),
        fixture("multi30/schemas/Pet.yaml"),
    ];
    let rerun_paths: Vec<PathBuf> = rerun.iter().map(PathBuf::from).collect();
    assert_eq!(rerun_paths, expected, "one line per file read, in reading order:\n{lines:#?}");
    for path in &rerun_paths {
        assert!(path.is_file(), "{} is not a file", path.display());
    }
    assert!(lines.contains(&"child: ok 2".to_owned()), "{lines:#?}");
    assert_eq!(files_in(out.path()), BTreeSet::from(["multi.rs".to_owned(), "multi30.rs".to_owned()]));
}

#[test]
fn a_broken_spec_still_names_its_file_for_cargo() {
    let out = tempfile::tempdir().unwrap();
    let lines = run_child("dangling", Some(out.path()));
    let dangling = fixture("bad/dangling.yaml");
    assert!(lines.contains(&format!("cargo:rerun-if-changed={}", dangling.display())), "{lines:#?}");
    let error = lines.iter().find_map(|l| l.strip_prefix("child: error ")).unwrap_or_else(|| panic!("{lines:#?}"));
    assert!(error.contains(&format!("{}#/", dangling.display())), "file and pointer: {error}");
    assert!(files_in(out.path()).is_empty());
}

#[test]
fn out_dir_defaults_to_the_out_dir_variable_and_its_absence_is_an_error() {
    let out = tempfile::tempdir().unwrap();
    let lines = run_child("ecs", Some(out.path()));
    assert!(lines.contains(&"child: ok 1".to_owned()), "{lines:#?}");
    assert_eq!(files_in(out.path()), BTreeSet::from(["volcengine_ecs.rs".to_owned()]));

    let lines = run_child("ecs", None);
    let error = lines.iter().find_map(|l| l.strip_prefix("child: error ")).unwrap_or_else(|| panic!("{lines:#?}"));
    assert!(error.contains("OUT_DIR is not set"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Writes: only under the output directory, only when the bytes changed.

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn writes_only_its_modules_and_only_when_bytes_changed() {
    let out = tempfile::tempdir().unwrap();
    let builder = || Builder::new().quiet(true).out_dir(out.path()).spec(spec("volcengine-ecs.yaml")).spec(spec("azure-aks.yaml"));
    let first = builder().generate().unwrap();
    let names: Vec<&str> = first.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["volcengine_ecs", "azure_aks"]);
    // Only the two modules: no temporary files left, nothing else.
    assert_eq!(files_in(out.path()), BTreeSet::from(["azure_aks.rs".to_owned(), "volcengine_ecs.rs".to_owned()]));
    let ecs = out.path().join("volcengine_ecs.rs");
    let aks = out.path().join("azure_aks.rs");
    let (ecs_time, aks_time) = (mtime(&ecs), mtime(&aks));
    let ecs_bytes = std::fs::read(&ecs).unwrap();
    assert!(String::from_utf8_lossy(&ecs_bytes).starts_with(&format!(
        "// @generated by restsmith {} from volcengine-ecs.yaml. Do not edit: it is regenerated by build.rs.\n",
        env!("CARGO_PKG_VERSION")
    )));

    // Coarse file-system clocks: make sure a rewrite would show in the mtime.
    std::thread::sleep(Duration::from_millis(1100));
    builder().generate().unwrap();
    assert_eq!(mtime(&ecs), ecs_time, "same spec, same bytes: the file is not touched");
    assert_eq!(mtime(&aks), aks_time);
    assert_eq!(std::fs::read(&ecs).unwrap(), ecs_bytes);

    // Other options, other bytes: only the module that changed is rewritten.
    std::fs::write(&aks, "// edited by hand\n").unwrap();
    let aks_edited = mtime(&aks);
    std::thread::sleep(Duration::from_millis(1100));
    builder().generate().unwrap();
    assert_eq!(mtime(&ecs), ecs_time);
    assert_ne!(mtime(&aks), aks_edited, "changed bytes are rewritten");
    assert!(std::fs::read_to_string(&aks).unwrap().starts_with("// @generated by restsmith"));
    assert_eq!(files_in(out.path()).len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Located errors, never a panic, nothing written.

#[test]
fn bad_specs_and_options_are_located_errors() {
    let ecs = spec("volcengine-ecs.yaml");
    let aks = spec("azure-aks.yaml");
    let cases: Vec<(&str, Builder, Vec<String>)> = vec![
        (
            "dangling $ref",
            Builder::new().spec(fixture("bad/dangling.yaml")),
            vec![format!("{}#/", fixture("bad/dangling.yaml").display())],
        ),
        (
            "missing $ref'd file",
            Builder::new().spec(fixture("bad/missing-file.yaml")),
            vec![fixture("bad/missing-file.yaml").display().to_string()],
        ),
        ("missing spec", Builder::new().spec(repo().join("specs/no-such-spec.yaml")), vec!["no-such-spec.yaml".into()]),
        (
            "unknown operation",
            Builder::new().spec(&aks).include_operation("ManagedClusters_Delete"),
            vec![aks.display().to_string(), "`ManagedClusters_Delete`: no such operationId".into()],
        ),
        (
            "unknown tag",
            Builder::new().spec(&aks).include_tag("Snapshots"),
            vec![aks.display().to_string(), "`Snapshots`: no operation has this tag".into()],
        ),
        (
            "method of an unknown operation",
            Builder::new().spec(&ecs).method_name("DescribeImages", "describe"),
            vec![ecs.display().to_string(), "`DescribeImages`: no such operationId".into()],
        ),
        (
            "method names colliding",
            Builder::new().spec(&aks).method_name("ManagedClusters_Get", "managed_clusters_abort_latest_operation"),
            vec![aks.display().to_string(), "another operation already uses".into()],
        ),
        ("derive not a path", Builder::new().spec(&ecs).derive("Eq + Hash"), vec!["`Eq + Hash` is not a Rust path".into()]),
        ("type not a path", Builder::new().spec(&ecs).replace_type("OperationDetail", "not a path"), vec!["is not a Rust path".into()]),
        ("client name", Builder::new().spec(&ecs).client_name("Ecs-Client"), vec!["`Ecs-Client` is not a Rust identifier".into()]),
        ("module name", Builder::new().spec_as(&ecs, "ecs-client"), vec![ecs.display().to_string(), "`ecs-client` is not a valid module name".into()]),
        (
            "two specs, one module",
            Builder::new().spec_as(&ecs, "api").spec_as(&aks, "api"),
            vec![aks.display().to_string(), "module `api` is also generated from".into()],
        ),
        // The first spec is fine, the second is not: nothing at all is written.
        ("second spec broken", Builder::new().spec(&ecs).spec(fixture("bad/dangling.yaml")), vec!["dangling.yaml#/".into()]),
    ];
    for (what, builder, needles) in cases {
        let error = error_of(builder);
        for needle in needles {
            assert!(error.contains(&needle), "{what}: `{needle}` not in the error:\n{error}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Every option, end to end (the examples/ crates compile and use the same options).

/// `#[derive(...)]` paths of every struct and enum in a generated module, by item name.
fn derives(source: &str) -> Vec<(String, Vec<String>)> {
    fn walk(items: &[syn::Item], out: &mut Vec<(String, Vec<String>)>) {
        for item in items {
            let (name, attrs) = match item {
                syn::Item::Struct(s) => (s.ident.to_string(), &s.attrs),
                syn::Item::Enum(e) => (e.ident.to_string(), &e.attrs),
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        walk(items, out);
                    }
                    continue;
                }
                _ => continue,
            };
            let mut paths = Vec::new();
            for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
                let list = attr
                    .parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                    .unwrap();
                paths.extend(list.iter().map(|p| p.segments.last().unwrap().ident.to_string()));
            }
            out.push((name, paths));
        }
    }
    let file = syn::parse_file(source).unwrap();
    let mut out = Vec::new();
    walk(&file.items, &mut out);
    out
}

/// Traits implemented by hand (`impl Trait for Type`) in a generated module: (type, trait).
fn impls(source: &str) -> Vec<(String, String)> {
    fn walk(items: &[syn::Item], out: &mut Vec<(String, String)>) {
        for item in items {
            match item {
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        walk(items, out);
                    }
                }
                syn::Item::Impl(i) => {
                    if let (Some((_, path, _)), syn::Type::Path(ty)) = (&i.trait_, &*i.self_ty) {
                        let last = |p: &syn::Path| p.segments.last().unwrap().ident.to_string();
                        out.push((last(&ty.path), last(path)));
                    }
                }
                _ => {}
            }
        }
    }
    let file = syn::parse_file(source).unwrap();
    let mut out = Vec::new();
    walk(&file.items, &mut out);
    out
}

#[test]
fn extra_derives_reach_every_model_once() {
    // AKS has structs and string enums; the enums derive Eq and Hash already.
    let (_dir, source) = generate(Builder::new().spec(spec("azure-aks.yaml")).derive("Eq").derive("::std::hash::Hash"), "azure_aks");
    let models: Vec<_> = derives(&source)
        .into_iter()
        .filter(|(name, _)| ["CloudError", "ManagedCluster", "Code", "CreatedByType", "PowerState"].contains(&name.as_str()))
        .collect();
    assert_eq!(models.len(), 5, "{models:?}");
    let by_hand = impls(&source);
    for (name, paths) in &models {
        // Structs and extensible enums implement serde's traits by hand; extensible enums also
        // `PartialEq`, `Eq` and `Hash` (by wire value).
        for wanted in ["Eq", "Hash", "PartialEq"] {
            let derived = paths.iter().filter(|p| *p == wanted).count();
            let written = by_hand.iter().filter(|(ty, t)| ty == name && t == wanted).count();
            assert_eq!(derived + written, 1, "{name} implements {wanted} {derived}+{written} times: {paths:?}");
        }
        assert!(!paths.iter().any(|p| p == "Deserialize"), "{name}: {paths:?}");
    }
}

/// Structs derive serde's traits when asked, or when an extra derive or attribute may read
/// `#[serde]` attributes; otherwise they get restsmith's compact impls.
#[test]
fn serde_derives_when_asked_or_needed() {
    let serde_derives = |builder: Builder| {
        let (_dir, source) = generate(builder, "azure_aks");
        let models = derives(&source);
        let (_, paths) = models.iter().find(|(name, _)| name == "ManagedCluster").expect("ManagedCluster");
        let derived = ["Serialize", "Deserialize"].map(|t| paths.iter().filter(|p| *p == t).count());
        let by_hand = source.contains("impl<'de> ::serde::Deserialize<'de> for ManagedCluster");
        (derived, by_hand)
    };
    let aks = || Builder::new().spec(spec("azure-aks.yaml"));
    assert_eq!(serde_derives(aks()), ([0, 0], true));
    assert_eq!(serde_derives(aks().derive("Eq")), ([0, 0], true));
    assert_eq!(serde_derives(aks().serde_derive(true)), ([1, 1], false));
    assert_eq!(serde_derives(aks().derive("schemars::JsonSchema")), ([1, 1], false));
    assert_eq!(serde_derives(aks().attribute("serde(deny_unknown_fields)")), ([1, 1], false));
}

#[test]
fn type_replacements_use_the_given_type() {
    let (_dir, source) = generate(
        Builder::new().spec(spec("neutonos-sddc.yaml")).types_only(true).replace_type("NullTime", "crate::NullTime"),
        "neutonos_sddc",
    );
    assert!(source.contains("pub type NullTime = crate::NullTime;"), "{source}");
    assert!(!source.contains("pub struct NullTime"));
    assert!(source.contains("pub deleted_at: Option<NullTime>"));
}

#[test]
fn client_and_method_names_and_operation_filters() {
    let (_dir, source) = generate(
        Builder::new()
            .spec_as(spec("azure-aks.yaml"), "aks")
            .include_tag("ManagedClusters")
            .client_name("AksClient")
            .method_name("ManagedClusters_Get", "get_cluster"),
        "aks",
    );
    assert!(source.contains("pub use client::Client as AksClient;"));
    assert!(source.contains("pub fn get_cluster("));
    assert!(source.contains("pub mod get_cluster"), "the operation module follows the method name");
    assert!(source.contains("pub fn managed_clusters_abort_latest_operation("), "both operations have the tag");
    assert!(!source.contains("pub fn managed_clusters_get("));

    let (_dir, source) = generate(Builder::new().spec(spec("azure-aks.yaml")).include_operation("ManagedClusters_Get"), "azure_aks");
    assert!(source.contains("pub fn managed_clusters_get("));
    assert!(!source.contains("managed_clusters_abort_latest_operation"));
    assert!(source.contains("pub use client::Client;"));
}

#[test]
fn types_only_has_models_and_no_client() {
    let (_dir, source) = generate(Builder::new().spec(spec("volcengine-ecs.yaml")).types_only(true), "volcengine_ecs");
    assert!(source.contains("pub mod models"));
    for absent in ["mod client", "mod operations", "mod auth", "pub use client"] {
        assert!(!source.contains(absent), "`{absent}` in a types-only module");
    }
}

/// `options()` takes the same `GenerateOptions` the CLI flattens into `restsmith generate`.
#[test]
fn options_and_the_chained_methods_are_the_same_settings() {
    let options = GenerateOptions {
        types_only: false,
        features_per_tag: true,
        include_operations: vec!["ManagedClusters_Get".into()],
        include_tags: vec![],
        extra_derives: vec!["Eq".into()],
        extra_attributes: vec!["serde(deny_unknown_fields)".into()],
        type_replacements: vec![("PowerState".into(), "crate::Power".into())],
        client_name: Some("AksClient".into()),
        method_names: vec![("ManagedClusters_Get".into(), "get_cluster".into())],
        distinct_inline_types: true,
        serde_derive: true,
    };
    let (_a, from_options) = generate(Builder::new().spec(spec("azure-aks.yaml")).options(options), "azure_aks");
    let (_b, chained) = generate(
        Builder::new()
            .spec(spec("azure-aks.yaml"))
            .include_operation("ManagedClusters_Get")
            .features_per_tag(true)
            .derive("Eq")
            .attribute("serde(deny_unknown_fields)")
            .replace_type("PowerState", "crate::Power")
            .client_name("AksClient")
            .method_name("ManagedClusters_Get", "get_cluster")
            .distinct_inline_types(true)
            .serde_derive(true),
        "azure_aks",
    );
    assert_eq!(from_options, chained);
}

// ---------------------------------------------------------------------------------------------
// Documentation: the README's build.rs section is the example crate, verbatim.

#[test]
fn readme_build_rs_section_is_the_example_crate() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = &readme[readme.find("## Generating in build.rs").expect("README has a build.rs section")..];
    let example = repo().join("examples/build-rs-clients");
    for (file, fence) in [("build.rs", "rust"), ("src/lib.rs", "rust")] {
        let text = std::fs::read_to_string(example.join(file)).unwrap();
        assert!(section.contains(&format!("```{fence}\n{text}```")), "README.md's `{file}` differs from examples/build-rs-clients/{file}");
    }
    let manifest = std::fs::read_to_string(example.join("Cargo.toml")).unwrap();
    let dependencies = &manifest[manifest.find("[dependencies]").unwrap()..manifest.find("[dev-dependencies]").unwrap()];
    assert!(section.contains(&format!("```toml\n{}\n```", dependencies.trim_end())), "README.md's Cargo.toml tables differ");
    // The calls shown are the example's test.
    let calls = section.split("the calls are the usual ones").nth(1).and_then(|s| s.split("```rust\n").nth(1)).unwrap();
    let test = std::fs::read_to_string(example.join("tests/loopback.rs")).unwrap();
    for line in calls.split("```").next().unwrap().lines() {
        assert!(test.contains(line.trim()), "README.md's call `{line}` is not in examples/build-rs-clients/tests/loopback.rs");
    }
}

/// Every generated crate's documentation is its README, whose usage example is a doctest
/// (`cargo test --doc` in scripts/test.sh compiles it).
#[test]
fn generated_crates_document_themselves_with_a_compiled_readme_example() {
    for entry in std::fs::read_dir(repo().join("generated")).unwrap() {
        let dir = entry.unwrap().path();
        let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
        assert!(lib.contains("#![doc = include_str!(\"../README.md\")]"), "{}", dir.display());
        let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
        assert!(readme.contains("```rust,no_run\n"), "{}: no usage example", dir.display());
        assert!(!readme.contains("```rust,ignore"), "{}", dir.display());
    }
}
