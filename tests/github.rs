//! GitHub's REST API description (`@octokit/openapi`, installed into `tools/harness/node_modules`
//! by the test command's `npm ci`; ~1,200 operations, 13 MB of JSON): every operation is
//! generated — any construct skipped or approximated is listed with its JSON pointer and reason —
//! with one cargo feature per tag, and the crate compiles without a single warning (`cargo check`
//! with `-D warnings`, in its own target directory, since this test runs inside the workspace's
//! `cargo test`) both with no feature and with the `issues` and `pulls` features: what a user of
//! those two parts of the API builds. The whole crate (`full`, the default) takes far longer to
//! compile; `scripts/bench.sh` builds it and BENCHMARKS.md records the figures.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use restsmith::{generate_crate, output::write_files, CrateSettings};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn github_spec() -> PathBuf {
    let modules = std::env::var_os("RESTSMITH_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("tools/harness/node_modules"));
    let spec = modules.join("@octokit/openapi/generated/api.github.com.json");
    assert!(
        spec.is_file(),
        "{} is missing: run `npm ci` in tools/harness (scripts/test.sh does), which installs @octokit/openapi",
        spec.display()
    );
    spec
}

/// Operations in the document (every method of every path item).
fn operations_in(spec: &Path) -> usize {
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(spec).expect("read the spec")).expect("JSON");
    let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| item.as_object().map_or(0, |i| i.keys().filter(|k| methods.contains(&k.as_str())).count()))
        .sum()
}

#[test]
fn github_rest_api_generates_every_operation_and_compiles_without_warnings() {
    let spec = github_spec();
    let out = repo().join("target/github-check/api-github-com");
    let started = Instant::now();
    let mut settings = CrateSettings::standalone(&spec, &out, Some("api-github-com"));
    settings.options.features_per_tag = true;
    let generated = generate_crate(&settings, Path::new("")).unwrap_or_else(|e| panic!("GitHub's spec does not generate:\n{e}"));
    let took = started.elapsed();
    write_files(&out, &generated.files).expect("write the crate");

    let expected = operations_in(&spec);
    println!(
        "generated {} operations (of {expected}) and {} types in {took:.2?}; {} constructs skipped or approximated:",
        generated.operations,
        generated.types,
        generated.warnings.len()
    );
    for warning in &generated.warnings {
        println!("  {warning}");
    }
    assert_eq!(generated.operations, expected, "every operation of GitHub's spec must be generated");

    // Its own target directory: the workspace's is locked by the `cargo test` running us. The
    // dependencies (reqwest, tokio, serde, …) are checked there once and reused by later runs.
    let target = repo().join("target/github-check/target");
    for features in [&["--no-default-features"][..], &["--no-default-features", "--features", "issues,pulls"]] {
        let started = Instant::now();
        let check = Command::new(env!("CARGO"))
            .args(["check", "--quiet", "--lib", "--message-format=short"])
            .args(features)
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .expect("run cargo check");
        let stderr = String::from_utf8_lossy(&check.stderr);
        println!("cargo check {features:?} of the generated crate: {:.1?}", started.elapsed());
        let problems: Vec<&str> = stderr.lines().filter(|l| l.contains("warning") || l.contains("error")).collect();
        assert!(
            check.status.success() && problems.is_empty(),
            "the GitHub crate does not compile cleanly with {features:?} ({}):\n{}",
            check.status,
            problems.iter().take(60).copied().collect::<Vec<_>>().join("\n")
        );
    }
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("read Cargo.toml");
    for feature in ["issues = []", "pulls = []", "all-models = []", "default = [\"full\"]"] {
        assert!(manifest.contains(feature), "Cargo.toml has no `{feature}`");
    }
}
