//! Generates the whole upstream Azure specs kept beside the repository (`../shared/upstream`,
//! with their `$ref`s into common-types) into one module each.

use std::path::PathBuf;

/// (module, path under `../shared/upstream/specification`).
const SPECS: &[(&str, &str)] = &[
    ("scvmm", "scvmm/resource-manager/Microsoft.ScVmm/stable/2024-06-01/scvmm.json"),
    ("aks", "containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2024-09-01/managedClusters.json"),
    ("batch", "batch/data-plane/Microsoft.Batch/stable/2020-09-01.12.0/BatchService.json"),
];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest.join("../../../shared/upstream/specification");
    assert!(root.is_dir(), "{} is missing: the upstream Azure specs live beside the repository in ../shared", root.display());
    let mut builder = restsmith::Builder::new().quiet(true);
    for (module, path) in SPECS {
        builder = builder.spec_as(root.join(path), module);
    }
    let generated = builder.generate().unwrap_or_else(|e| panic!("restsmith failed on an upstream spec:\n{e}"));
    for module in &generated {
        for file in &module.files_read {
            println!("cargo:rerun-if-changed={}", file.display());
        }
    }
}
