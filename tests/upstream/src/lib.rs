//! Clients generated in `build.rs` from the whole upstream Azure Swagger files, with every
//! operation and model: that this crate compiles, and passes clippy and rustdoc with warnings
//! denied in the test command, is the check.

/// Azure ScVmm 2024-06-01 (`scvmm.json`).
pub mod scvmm {
    include!(concat!(env!("OUT_DIR"), "/scvmm.rs"));
}

/// Azure Kubernetes Service 2024-09-01 (`managedClusters.json`).
pub mod aks {
    include!(concat!(env!("OUT_DIR"), "/aks.rs"));
}

/// Azure Batch data plane 2020-09-01.12.0 (`BatchService.json`).
pub mod batch {
    include!(concat!(env!("OUT_DIR"), "/batch.rs"));
}
