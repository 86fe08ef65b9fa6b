//! Generates the NeutonOS SDDC models (no client) into `$OUT_DIR/neutonos_sddc.rs`.

fn main() {
    let generated = restsmith::Builder::new()
        .spec("../../specs/neutonos-sddc.yaml")
        .types_only(true)
        // The spec's `NullTime` is Go's sql.NullTime; use our own `Option`-like type instead.
        .replace_type("NullTime", "crate::NullTime")
        .generate();
    if let Err(error) = generated {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
