//! Generates two API clients into `OUT_DIR`; `src/lib.rs` mounts them with `include!`.
//!
//! restsmith prints `cargo:rerun-if-changed` for every file it reads (a spec and every file it
//! `$ref`s), so cargo reruns this script only when one of them changes.

fn main() {
    if let Err(error) = generate() {
        // A located message, e.g. `../../specs/azure-aks.yaml#/paths/…: …`.
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn generate() -> Result<(), restsmith::Error> {
    // Volcengine ECS → $OUT_DIR/volcengine_ecs.rs. Its models hold only strings, integers and
    // lists, so they can be `Eq` too.
    restsmith::Builder::new()
        .spec("../../specs/volcengine-ecs.yaml")
        .derive("Eq")
        .generate()?;

    // AKS → $OUT_DIR/aks.rs: only the operation this crate calls, under names of our own.
    restsmith::Builder::new()
        .spec_as("../../specs/azure-aks.yaml", "aks")
        .include_operation("ManagedClusters_Get")
        .method_name("ManagedClusters_Get", "get_cluster")
        .client_name("AksClient")
        .generate()?;
    Ok(())
}
