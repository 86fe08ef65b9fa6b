//! Self-test of the test harness in `tests/support/`: the pinned mock servers
//! start on a free port, answer, validate, and are stopped by PID on drop.
//! Needs the tools that `bash scripts/test.sh` installs; fails (never skips)
//! without them.

mod support;

use std::net::TcpStream;
use std::path::Path;
use std::time::Instant;

use support::http;

const REQUEST_ID: &str = "5f0c1c8e-3b0a-4d3e-9d59-2c2a8f3f5b1a";

fn petstore() -> std::path::PathBuf {
    support::repo_root().join("tests/fixtures/harness/petstore-mini.yaml")
}

#[test]
fn prism_serves_valid_requests_and_flags_violations() {
    let started = Instant::now();
    let prism = support::start_prism(&petstore());
    eprintln!(
        "prism mock ready on {} after {:.2?}",
        prism.base_url,
        started.elapsed()
    );

    // Valid request: the spec's example, no violations.
    let ok = http::get(&prism.url("/pets/1"), &[("x-request-id", REQUEST_ID)]);
    ok.assert_no_violations();
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.text(), r#"{"id":1,"name":"Rex"}"#);

    // Missing required header; the operation declares a 400 → 400 + sl-violations.
    let bad = http::get(&prism.url("/pets/1"), &[]);
    assert_eq!(bad.status, 400, "{}", bad.text());
    let violations = bad
        .header("sl-violations")
        .expect("no sl-violations header on an invalid request");
    assert!(violations.contains("x-request-id"), "{violations}");
    assert!(bad.prism_violations().is_some());

    // Path parameter below its minimum → also a violation.
    let bad_path = http::get(&prism.url("/pets/0"), &[("x-request-id", REQUEST_ID)]);
    assert!(
        (400..500).contains(&bad_path.status),
        "{} {}",
        bad_path.status,
        bad_path.text()
    );
    assert!(bad_path.header("sl-violations").is_some());

    // Valid POST → 201.
    let created = http::post_json(&prism.url("/pets"), &[], r#"{"name":"Tom"}"#);
    created.assert_no_violations();
    assert_eq!(created.status, 201, "{}", created.text());

    // Invalid body, operation has no 4xx response → 422 problem+json (violations in the body).
    let invalid = http::post_json(&prism.url("/pets"), &[], r#"{"name":3}"#);
    assert_eq!(invalid.status, 422, "{}", invalid.text());
    let v = invalid
        .prism_violations()
        .expect("422 not recognised as a Prism violation");
    assert!(
        v.contains("UNPROCESSABLE_ENTITY") && v.contains("name"),
        "{v}"
    );

    // Unknown route → 404 from Prism, also reported.
    let missing = http::get(&prism.url("/nope"), &[]);
    assert_eq!(missing.status, 404);
    assert!(missing.prism_violations().is_some());

    // Dropping the server kills it by PID: the port closes.
    let port = prism.port;
    drop(prism);
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "prism still listening on {port} after drop"
    );
}

#[test]
fn autorest_testserver_serves_the_coverage_report() {
    let started = Instant::now();
    let server = support::start_autorest_testserver();
    eprintln!(
        "autorest test server ready on {} after {:.2?}",
        server.base_url,
        started.elapsed()
    );

    let report = http::get(&server.url("/report/azure"), &[]);
    assert_eq!(report.status, 200, "{}", report.text());
    let ctype = report.header("content-type").unwrap_or_default();
    assert!(
        ctype.starts_with("application/json"),
        "content-type {ctype}"
    );
    let body = report.text();
    assert!(
        body.starts_with('{') && body.contains("\"LROPut202Retry200\":"),
        "{body}"
    );

    // One real LRO step: the initial PUT answers 202 with a Location on our host.
    let put = http::request(
        "PUT",
        &server.url("/lro/put/202/retry/200"),
        &[("Content-Type", "application/json")],
        Some(br#"{"location":"West US"}"#),
    );
    assert_eq!(put.status, 202, "{}", put.text());
    let location = put.header("location").unwrap_or_default();
    assert!(
        location.starts_with(&server.base_url),
        "Location {location}"
    );

    let port = server.port;
    drop(server);
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "test server still listening on {port} after drop"
    );
}

#[test]
fn missing_tool_message_names_the_install_command() {
    let err = std::panic::catch_unwind(|| {
        support::tool_entry_in(
            Path::new("/nonexistent/node_modules"),
            "Prism",
            support::PRISM_ENTRY,
        )
    })
    .expect_err("a missing tool must fail the test");
    let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        msg.contains("bash scripts/test.sh") && msg.contains("npm ci --prefix tools/harness"),
        "{msg}"
    );
}
