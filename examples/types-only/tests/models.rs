//! Reading and writing vm-snap documents with the generated models.

use types_only::sddc::models::{VmSnap, VmSnapUpdateRequest, VmSnapUpdateSpec};
use types_only::NullTime;

/// A `GET /vm-snaps/42` answer (the spec's example; the snapshot's status says it was deleted).
const VM_SNAP: &str = r#"{
  "metadata": { "created_at": "2022-11-07T09:56:17Z", "id": 42, "name": "nightly-42", "project_id": 1,
                "state": { "state": "active", "diff_fields": { "reconciling": [], "irreconcilable": [] } } },
  "spec": { "bios": "bios", "boot_device_order": ["hd", "cdrom"], "core_num_per_socket": 2,
            "cpu_mode": "host-passthrough", "cpu_num": 4, "created_at": "2022-11-07T09:56:17Z",
            "deleted_at": { "Time": "0001-01-01T00:00:00Z", "Valid": false },
            "description": "pre-upgrade snapshot", "etag": "7f3c9a1e5b2d4c6f",
            "graphics_auth_enabled": true, "graphics_spice_enabled": false, "ha_enabled": true,
            "id": 42, "memory_mb": 8192, "name": "nightly-42", "power_state": "stopped",
            "project_id": 1, "socket_num": 1, "thread_num_per_core": 2, "time_zone": "Asia/Shanghai",
            "updated_at": "2022-11-07T10:02:05Z", "vm_description": "web frontend", "vm_id": 17,
            "vm_name": "web-01" },
  "status": { "cloned_vm_num": 0, "created_at": "2022-11-07T09:56:17Z",
              "deleted_at": { "Time": "2022-11-08T01:00:04Z", "Valid": true },
              "etag": "2b8e4d0a9c1f3e57", "id": 42, "ip_addresses": ["192.0.2.15"],
              "updated_at": "2022-11-07T10:02:06Z", "vm_id": 17 }
}"#;

#[test]
fn reads_a_vm_snap_with_our_null_time() {
    let snap: VmSnap = serde_json::from_str(VM_SNAP).unwrap();
    assert_eq!(snap.metadata.id, 42);
    assert_eq!(snap.spec.memory_mb, 8192);
    // `replace_type("NullTime", "crate::NullTime")`: the fields have our type.
    let deleted: Option<NullTime> = snap.spec.deleted_at;
    assert_eq!(deleted, Some(NullTime(None)));
    let deleted_at = snap.status.deleted_at.and_then(|t| t.0).unwrap();
    assert_eq!(deleted_at.to_rfc3339(), "2022-11-08T01:00:04+00:00");

    // And back, in Go's form.
    let json = serde_json::to_value(&snap).unwrap();
    assert_eq!(json["spec"]["deleted_at"], serde_json::json!({ "Time": "0001-01-01T00:00:00Z", "Valid": false }));
    assert_eq!(json["status"]["deleted_at"]["Valid"], true);
}

#[test]
fn writes_an_update_request() {
    let mut spec = VmSnapUpdateSpec::new();
    spec.description = Some("before the upgrade".to_owned());
    let mut request = VmSnapUpdateRequest::new();
    request.spec = Some(spec);
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json, serde_json::json!({ "spec": { "description": "before the upgrade" } }));
}

/// `types_only(true)`: models only, no client, operations or credentials.
#[test]
fn no_client_is_generated() {
    let source = include_str!(concat!(env!("OUT_DIR"), "/neutonos_sddc.rs"));
    assert!(source.contains("pub mod models"));
    for absent in ["mod client", "mod operations", "mod auth"] {
        assert!(!source.contains(absent), "`{absent}` was generated in types-only mode");
    }
}
