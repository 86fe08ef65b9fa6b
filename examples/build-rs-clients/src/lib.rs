//! Two API clients generated at build time by `restsmith::Builder` (see `build.rs`) and mounted
//! with `include!`: nothing generated is checked in, and the specs are the only source.

/// Volcengine ECS: every operation of `specs/volcengine-ecs.yaml`; the models also derive `Eq`.
pub mod ecs {
    include!(concat!(env!("OUT_DIR"), "/volcengine_ecs.rs"));
}

/// Azure Kubernetes Service: only `ManagedClusters_Get`, as `AksClient::get_cluster`.
pub mod aks {
    include!(concat!(env!("OUT_DIR"), "/aks.rs"));
}
