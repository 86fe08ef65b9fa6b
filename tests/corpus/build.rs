//! Generates one module per spec in `specs/` with the restsmith Builder.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let specs = manifest.join("specs");
    println!("cargo:rerun-if-changed={}", specs.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&specs)
        .expect("tests/corpus/specs")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut builder = restsmith::Builder::new().quiet(true);
    for file in &files {
        builder = builder.spec(file);
    }
    let generated = builder.generate().unwrap_or_else(|e| panic!("restsmith failed on the corpus:\n{e}"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut index = String::new();
    for m in &generated {
        for file in &m.files_read {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        index.push_str(&format!(
            "#[doc = \"Generated from `specs/{0}.yaml`.\"]\npub mod {0} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{0}.rs\")); }}\n",
            m.name
        ));
    }
    std::fs::write(out.join("corpus.rs"), index).expect("write corpus.rs");
}
