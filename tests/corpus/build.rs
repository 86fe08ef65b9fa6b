//! Generates one module per spec in `specs/` (top level only: files that other specs `$ref` live
//! in `refs/`) with the restsmith Builder, and an index (`corpus.rs`) that mounts them and
//! records the warnings restsmith gave for each spec, so tests can check what was skipped.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let specs = manifest.join("specs");
    println!("cargo:rerun-if-changed={}", specs.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&specs)
        .expect("tests/corpus/specs")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut builder = restsmith::Builder::new().quiet(true);
    for file in &files {
        builder = builder.spec(file);
    }
    let generated = builder.generate().unwrap_or_else(|e| panic!("restsmith failed on the corpus:\n{e}"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut index = String::new();
    let mut warnings = String::new();
    for (m, file) in generated.iter().zip(&files) {
        for read in &m.files_read {
            println!("cargo:rerun-if-changed={}", read.display());
        }
        let spec = file.file_name().expect("a file name").to_string_lossy();
        index.push_str(&format!(
            "#[doc = \"Generated from `specs/{spec}`.\"]\npub mod {0} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{0}.rs\")); }}\n",
            m.name
        ));
        if !m.warnings.is_empty() {
            let list: Vec<String> =
                m.warnings.iter().map(|w| format!("{:?}", format!("#{}: {}", w.location.pointer, w.message))).collect();
            warnings.push_str(&format!("        {:?} => &[{}],\n", m.name, list.join(", ")));
        }
    }
    index.push_str(&format!(
        "/// The warnings restsmith gave when generating a module (`\"#/json/pointer: message\"`), by\n\
         /// module name; empty for a module generated without any.\n\
         pub fn warnings(module: &str) -> &'static [&'static str] {{\n    match module {{\n{warnings}        _ => &[],\n    }}\n}}\n"
    ));
    std::fs::write(out.join("corpus.rs"), index).expect("write corpus.rs");
}
