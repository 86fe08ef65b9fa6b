//! NeutonOS SDDC `updateVmSnap` (`PATCH /vm-snaps/{id}`) and `getVmSnap` (`GET /vm-snaps/{id}`),
//! authenticated with the `x-sddc-token` header.
//!
//! The spec's server is `https://{host}/sddc/v1`, but Prism ignores server base paths: it
//! answers at `/vm-snaps/42`, not `/sddc/v1/vm-snaps/42` (404 there). The Prism test therefore
//! points the client at the Prism root; that the client keeps the `/sddc/v1` base path of
//! its endpoint is checked against wiremock in [`update_request_on_the_wire`].

use std::sync::Arc;
use std::time::Duration;

use neutonos_sddc::models::{VmSnapUpdateRequest, VmSnapUpdateSpec};
use neutonos_sddc::{auth, Client};
use restsmith_runtime::auth::Credential;
use restsmith_runtime::chrono::{TimeZone, Utc};
use restsmith_runtime::http::StatusCode;
use restsmith_runtime::poller::PollStatus;
use restsmith_runtime::{ClientOptions, Error};
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{
    assert_prism_validated, expect_api, expect_ok, fast_retries, header, no_retries, opt_header,
    prism, received, Prefer, Recorder,
};

const TOKEN: &str = "sddc-session-token-0001";

fn make_client(endpoint: &str, options: ClientOptions) -> Client {
    let credential: Arc<dyn Credential> = Arc::new(auth::sddc_token(TOKEN));
    Client::with_options(endpoint, Some(credential), options).expect("client")
}

fn update(name: Option<&str>, description: Option<&str>) -> VmSnapUpdateRequest {
    let mut spec = VmSnapUpdateSpec::new();
    spec.name = name.map(str::to_owned);
    spec.description = description.map(str::to_owned);
    let mut body = VmSnapUpdateRequest::new();
    body.spec = Some(spec);
    body
}

/// The `VmSnap` schema example of the spec (a settled snapshot), as a server would send it.
fn vm_snap_json(state: &str, reconciling: &[&str]) -> serde_json::Value {
    serde_json::json!({
        "metadata": {
            "created_at": "2022-11-07T09:56:17Z",
            "creation_finish": "2022-11-07T09:56:21Z",
            "id": 42,
            "labels": [],
            "name": "nightly-42",
            "project_id": 1,
            "state": {"state": state, "diff_fields": {"reconciling": reconciling, "irreconcilable": []}}
        },
        "spec": {
            "bios": "bios", "boot_device_order": ["hd"], "core_num_per_socket": 1,
            "cpu_mode": "host-model", "cpu_num": 2, "created_at": "2022-11-07T09:56:17Z",
            "creation_finish": "2022-11-07T09:56:21Z", "description": "nightly snapshot",
            "etag": "9e0d1c2b3a4f5e6d", "graphics_auth_enabled": false, "graphics_spice_enabled": false,
            "ha_enabled": false, "id": 42, "memory_mb": 4096, "name": "nightly-42",
            "power_state": "running", "project_id": 1, "socket_num": 2, "thread_num_per_core": 1,
            "time_zone": "UTC", "updated_at": "2022-11-07T09:56:21Z", "vm_description": "",
            "vm_id": 17, "vm_name": "web-01"
        },
        "status": {
            "created_at": "2022-11-07T09:56:17Z", "etag": "1a2b3c4d5e6f7a8b", "id": 42,
            "updated_at": "2022-11-07T09:56:21Z"
        }
    })
}

#[tokio::test]
async fn vm_snaps_against_prism() {
    let prism = prism("neutonos-sddc.yaml").await;
    let recorder = Recorder::default();
    // Prism root, not `/sddc/v1`: Prism ignores the spec's server base path (module docs).
    let client = make_client(
        &prism.base_url,
        no_retries().interceptor(Arc::new(recorder.clone())),
    );

    // PATCH → 202 with the whole resource, still reconciling (the spec's 202 example). The
    // operation is long-running (x-restsmith-lro, style reconcile): the client returns a
    // poller whose first observation is that 202 body.
    let poller = expect_ok(
        "updateVmSnap",
        &prism,
        client
            .update_vm_snap(42, update(Some("nightly-42"), Some("pre-upgrade snapshot")))
            .await,
    );
    assert_eq!(poller.status(), PollStatus::InProgress);
    assert_eq!(poller.raw_status(), Some("reconciling"));
    assert_eq!(
        poller.next_delay(),
        Duration::from_secs(1),
        "initial-delay-ms: 1000"
    );
    let first = poller.last_status_body().expect("the 202 body");
    assert_eq!(
        first["metadata"]["state"]["diff_fields"]["reconciling"],
        serde_json::json!(["spec.name", "spec.description"])
    );
    assert_eq!(first["status"]["etag"], "5d1a7c3e9b0f2468");
    // Prism is stateless: re-reading the snapshot (getVmSnap, validated by Prism too) answers
    // the settled 200 example, so one poll finishes the operation with the typed resource.
    let snap = expect_ok(
        "updateVmSnap → poll with getVmSnap",
        &prism,
        poller.interval_override(Some(Duration::ZERO)).wait().await,
    );
    assert_eq!(snap.metadata.id, 42);
    assert_eq!(
        snap.metadata.created_at,
        Utc.with_ymd_and_hms(2022, 11, 7, 9, 56, 17).unwrap()
    );
    let state = snap.metadata.state.as_ref().expect("metadata.state");
    assert_eq!(state.state.as_deref(), Some("active"));
    let diff = state.diff_fields.as_ref().expect("diff_fields");
    assert_eq!(diff.reconciling.as_deref(), Some(&[][..]));
    assert_eq!(diff.irreconcilable.as_deref(), Some(&[][..]));
    let labels = snap.metadata.labels.as_ref().expect("labels");
    assert_eq!(labels[0].label_key_name.as_deref(), Some("env"));
    assert_eq!(labels[0].label_value_name.as_deref(), Some("staging"));
    assert_eq!(snap.spec.name, "nightly-42");
    assert_eq!(snap.spec.description, "pre-upgrade snapshot");
    assert_eq!(snap.spec.memory_mb, 8192);
    assert_eq!(
        snap.spec.boot_device_order.as_deref(),
        Some(&["hd".to_owned(), "cdrom".to_owned()][..])
    );
    let deleted_at = snap.spec.deleted_at.as_ref().expect("spec.deleted_at");
    assert_eq!(deleted_at.valid, Some(false));
    assert_eq!(
        deleted_at.time,
        Some(Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).unwrap()),
        "Go's zero time"
    );
    assert_eq!(snap.status.etag, "2b8e4d0a9c1f3e57");
    assert_eq!(
        snap.status.ip_addresses.as_deref(),
        Some(&["192.0.2.15".to_owned()][..])
    );

    // A partial spec (only the name).
    let poller = expect_ok(
        "updateVmSnap (name only)",
        &prism,
        client
            .update_vm_snap(42, update(Some("renamed"), None))
            .await,
    );
    assert_eq!(poller.status(), PollStatus::InProgress);
    drop(poller);

    // GET → 200, the settled snapshot.
    let response = expect_ok("getVmSnap", &prism, client.get_vm_snap(42).await);
    assert_eq!(response.status, StatusCode::OK);
    let snap = &response.body;
    let state = snap.metadata.state.as_ref().expect("metadata.state");
    assert_eq!(state.state.as_deref(), Some("active"));
    assert_eq!(
        state
            .diff_fields
            .as_ref()
            .and_then(|d| d.reconciling.as_deref()),
        Some(&[][..])
    );
    assert_eq!(snap.spec.vm_name, "web-01");
    assert_eq!(
        snap.spec.updated_at,
        Utc.with_ymd_and_hms(2022, 11, 7, 10, 2, 5).unwrap()
    );
    assert_eq!(
        snap.status.updated_at,
        Utc.with_ymd_and_hms(2022, 11, 7, 10, 2, 6).unwrap()
    );
    assert_eq!(snap.status.vm_id, Some(17));

    // PATCH, its poll (GET), PATCH (name only), GET.
    let sent = recorder.take();
    let methods: Vec<&str> = sent.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["PATCH", "GET", "PATCH", "GET"]);
    for request in &sent {
        assert_eq!(request.header("x-sddc-token"), Some(TOKEN));
        assert_eq!(request.header("authorization"), None);
        assert_eq!(request.url.path(), "/vm-snaps/42");
        assert_eq!(request.url.query(), None);
    }
    assert_eq!(sent[0].header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"spec": {"name": "nightly-42", "description": "pre-upgrade snapshot"}})
    );
    assert!(sent[1].body.is_empty());
    assert_eq!(
        sent[2].body, br#"{"spec":{"name":"renamed"}}"#,
        "unset fields are left out"
    );
    assert!(sent[3].body.is_empty());

    // The spec's error responses (Prefer: code=…) decode into its Error model.
    let client = make_client(
        &prism.base_url,
        no_retries().interceptor(Arc::new(Prefer("code=404"))),
    );
    let api = expect_api("getVmSnap (404)", client.get_vm_snap(42).await);
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(
        api.headers.get("sl-violations").is_none(),
        "no violation: {:?}",
        api.headers
    );
    let body = api.body.as_ref().expect("typed Error");
    assert_eq!(body.message, "vm-snap 42 not found");
    assert_eq!(body.return_code, Some(404));
    assert_eq!(api.message.as_deref(), Some("vm-snap 42 not found"));
    let client = make_client(
        &prism.base_url,
        no_retries().interceptor(Arc::new(Prefer("code=400"))),
    );
    let api = expect_api(
        "updateVmSnap (400)",
        client.update_vm_snap(42, update(Some("x"), None)).await,
    );
    assert_eq!(api.status, StatusCode::BAD_REQUEST);
    assert_eq!(api.body.as_ref().and_then(|b| b.return_code), Some(400));
    // Prism's verdict on all 6 requests of this test.
    assert_prism_validated(&prism, 6).await;
}

/// The PATCH on the wire, with the spec's `/sddc/v1` base path kept, and the reconcile
/// poll (GET of the same resource, same token) until the snapshot is settled.
#[tokio::test]
async fn update_request_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(vm_snap_json("reconciling", &["spec.name"])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(vm_snap_json("reconciling", &["spec.name"])),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(vm_snap_json("active", &[])))
        .mount(&server)
        .await;
    let client = make_client(&format!("{}/sddc/v1", server.uri()), no_retries());
    let poller = client
        .update_vm_snap(42, update(Some("nightly-42"), Some("pre-upgrade snapshot")))
        .await
        .expect("updateVmSnap");
    assert_eq!(poller.raw_status(), Some("reconciling"));
    let snap = poller
        .interval_override(Some(Duration::ZERO))
        .await
        .expect("the snapshot settles");
    assert_eq!(
        snap.metadata
            .state
            .as_ref()
            .and_then(|s| s.state.as_deref()),
        Some("active")
    );
    assert_eq!(snap.spec.cpu_num, 2);
    assert_eq!(snap.spec.name, "nightly-42");

    let requests = received(&server).await;
    let methods: Vec<&str> = requests.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(
        methods,
        ["PATCH", "GET", "GET"],
        "one PATCH, then polls until active with nothing pending"
    );
    for request in &requests {
        assert_eq!(request.url.path(), "/sddc/v1/vm-snaps/42");
        assert_eq!(request.url.query(), None);
        assert_eq!(header(request, "x-sddc-token"), TOKEN);
        assert_eq!(opt_header(request, "authorization"), None);
    }
    let request = &requests[0];
    assert_eq!(header(request, "content-type"), "application/json");
    let body: serde_json::Value = request.body_json().expect("JSON body");
    assert_eq!(
        body,
        serde_json::json!({"spec": {"name": "nightly-42", "description": "pre-upgrade snapshot"}})
    );
}

/// The NeutonOS error body `{message, returnCode}` decoded into the typed error, with and
/// without the optional `returnCode`.
#[tokio::test]
async fn error_response_is_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            serde_json::json!({"message": "vm-snap 4242 not found", "returnCode": 404}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"message": "token is invalid or expired"})),
        )
        .mount(&server)
        .await;
    let client = make_client(&format!("{}/sddc/v1", server.uri()), fast_retries(3));

    let api = expect_api("getVmSnap → 404", client.get_vm_snap(4242).await);
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    let body = api.body.as_ref().expect("typed Error");
    assert_eq!(body.message, "vm-snap 4242 not found");
    assert_eq!(body.return_code, Some(404));
    assert_eq!(api.message.as_deref(), Some("vm-snap 4242 not found"));
    assert_eq!(api.code, None, "the NeutonOS error has no string code");
    assert_eq!(api.attempts, 1);

    let api = expect_api(
        "updateVmSnap → 401",
        client.update_vm_snap(4242, update(Some("n"), None)).await,
    );
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    let body = api.body.as_ref().expect("typed Error without returnCode");
    assert_eq!(body.message, "token is invalid or expired");
    assert_eq!(body.return_code, None);
    assert_eq!(api.attempts, 1, "401 is not retried");
    assert_eq!(received(&server).await.len(), 2);
}

/// A non-JSON (HTML) 500 on the PATCH: kept raw; the PATCH is retry-safe
/// (`x-restsmith-retry-safe`), so it is retried with the same body.
#[tokio::test]
async fn update_html_500_is_retried_and_kept_raw() {
    const HTML: &str = "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_raw(HTML, "text/html"))
        .mount(&server)
        .await;
    let client = make_client(&format!("{}/sddc/v1", server.uri()), fast_retries(2));
    let api = expect_api(
        "updateVmSnap → HTML 500",
        client
            .update_vm_snap(42, update(Some("nightly-42"), None))
            .await,
    );
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.raw_body, HTML);
    assert!(api.body.is_none());
    assert_eq!(api.message, None);
    assert_eq!(
        api.attempts, 3,
        "1 attempt + 2 retries (updateVmSnap is retry-safe)"
    );
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.body, br#"{"spec":{"name":"nightly-42"}}"#);
        assert_eq!(header(request, "x-sddc-token"), TOKEN);
    }
}

/// A token that would inject a header is refused before anything is sent.
#[tokio::test]
async fn token_with_newline_is_refused_before_sending() {
    let server = MockServer::start().await;
    let credential: Arc<dyn Credential> = Arc::new(auth::sddc_token("s3cr3t\r\nx-evil: 1"));
    let client =
        Client::with_options(&server.uri(), Some(credential), no_retries()).expect("client");
    match client.get_vm_snap(42).await {
        Err(Error::Credential(e)) => assert!(
            !e.message().contains("s3cr3t"),
            "the token is not echoed: {e}"
        ),
        other => panic!("expected Error::Credential, got {other:?}"),
    }
    assert!(received(&server).await.is_empty());
}
