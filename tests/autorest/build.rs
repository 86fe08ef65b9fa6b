//! Generates one module per Swagger file the AutoRest test server ships (installed by
//! `bash scripts/test.sh`, i.e. `npm ci --prefix tools/harness`), with the restsmith Builder.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let swagger = manifest.join("../../tools/harness/node_modules/@microsoft.azure/autorest.testserver/swagger");
    println!("cargo:rerun-if-changed={}", swagger.display());
    let entries = match std::fs::read_dir(&swagger) {
        Ok(entries) => entries,
        Err(_) => panic!(
            "the AutoRest test server is not installed at {}: run `bash scripts/test.sh` (or `npm ci --prefix tools/harness`)",
            swagger.display()
        ),
    };
    let mut files: Vec<PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    files.sort();
    let mut builder = restsmith::Builder::new().quiet(true);
    let mut modules = Vec::new();
    for file in &files {
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let module: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
        builder = builder.spec_as(file, &module);
        modules.push(module);
    }
    let generated = match builder.generate() {
        Ok(generated) => generated,
        Err(e) => panic!("restsmith failed on the AutoRest corpus:\n{e}"),
    };
    // The list the tests and lib.rs include.
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut index = String::new();
    for m in &generated {
        index.push_str(&format!(
            "#[doc = \"Client generated from `{0}.json`.\"]\npub mod {0} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{0}.rs\")); }}\n",
            m.name
        ));
    }
    let warnings: usize = generated.iter().map(|m| m.warnings.len()).sum();
    index.push_str(&format!("/// Number of Swagger files generated.\npub const GENERATED: usize = {};\n/// Warnings (skipped or approximated constructs) over the corpus.\npub const WARNINGS: usize = {warnings};\n", generated.len()));
    std::fs::write(out.join("corpus.rs"), index).expect("write corpus.rs");
}
