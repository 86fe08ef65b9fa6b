//! Times each phase of restsmith's pipeline on one spec, and the floor any generator pays:
//! parsing the spec alone and formatting the output alone.
//!
//! usage: restsmith-phases SPEC OUT_DIR [REPEAT]
//!
//! Prints one JSON object: the median milliseconds of each phase over REPEAT runs (default 5):
//! `read` (the file), `parse` (JSON/YAML text → JSON tree: the parse floor), `load` (restsmith's
//! whole load stage: parse, `$ref` bundling, dialect conversion, typed model), `ir`, `codegen`
//! (tokens → syn → prettyplease, all files), `write` (every file, atomically, into an empty
//! OUT_DIR), `total` (load + ir + codegen + write), and `format` (the output's Rust files parsed
//! by syn and printed by prettyplease again: the format floor), `floor` (parse + format) and
//! `total_over_floor`.

use std::path::PathBuf;
use std::time::Instant;

use restsmith::codegen::{crate_files, CrateLayout};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: restsmith-phases SPEC OUT_DIR [REPEAT]");
        std::process::exit(2);
    }
    let spec = PathBuf::from(&args[1]);
    let out = PathBuf::from(&args[2]);
    let repeat: usize = args.get(3).map(|r| r.parse().expect("REPEAT is a number")).unwrap_or(5);
    let names = ["read", "parse", "load", "ir", "codegen", "write", "format"];
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let mut summary = String::new();
    for _ in 0..repeat {
        let t = Instant::now();
        let bytes = std::fs::read(&spec).expect("read the spec");
        samples[0].push(ms(t));

        let t = Instant::now();
        let parsed = restsmith::load::parse_document(&spec, &bytes).expect("parse the spec");
        samples[1].push(ms(t));
        drop(parsed);

        let t = Instant::now();
        let loaded = restsmith::load::load_bytes(&spec, &bytes).unwrap_or_else(|e| panic!("load: {e}"));
        samples[2].push(ms(t));

        let t = Instant::now();
        let (ir, warnings) = restsmith::ir::build(&loaded, "bench").unwrap_or_else(|e| panic!("ir: {e}"));
        samples[3].push(ms(t));

        let t = Instant::now();
        let layout = CrateLayout { runtime_dependency: "{ path = \"runtime\" }".into(), standalone: true };
        let files = crate_files(&ir, &layout).unwrap_or_else(|e| panic!("codegen: {e}"));
        samples[4].push(ms(t));

        let _ = std::fs::remove_dir_all(&out);
        let t = Instant::now();
        restsmith::output::write_files(&out, &files).unwrap_or_else(|e| panic!("write: {e}"));
        samples[5].push(ms(t));

        let t = Instant::now();
        let mut formatted = 0usize;
        for file in files.iter().filter(|f| f.path.extension().is_some_and(|e| e == "rs")) {
            let syntax = syn::parse_file(&file.contents).expect("the output parses");
            formatted += prettyplease::unparse(&syntax).len();
        }
        samples[6].push(ms(t));

        let rust_bytes: usize = files.iter().filter(|f| f.path.extension().is_some_and(|e| e == "rs")).map(|f| f.contents.len()).sum();
        summary = format!(
            "\"operations\": {}, \"types\": {}, \"warnings\": {}, \"spec_bytes\": {}, \"rust_bytes\": {rust_bytes}, \"formatted_bytes\": {formatted}",
            ir.operations.len(),
            ir.types.len(),
            warnings.len(),
            bytes.len()
        );
        // Free everything inside the iteration, as the CLI does at exit (not timed).
        drop((files, ir, loaded));
    }
    let m: Vec<f64> = samples.into_iter().map(median).collect();
    let total = m[2] + m[3] + m[4] + m[5];
    let floor = m[1] + m[6];
    let mut fields: Vec<String> = names.iter().zip(&m).map(|(n, v)| format!("\"{n}\": {v:.1}")).collect();
    fields.push(format!("\"total\": {total:.1}"));
    fields.push(format!("\"floor\": {floor:.1}"));
    fields.push(format!("\"total_over_floor\": {:.2}", total / floor));
    fields.push(format!("\"repeat\": {repeat}"));
    println!("{{\"spec\": {}, {}, {summary}}}", serde_json::Value::String(spec.display().to_string()), fields.join(", "));
}
