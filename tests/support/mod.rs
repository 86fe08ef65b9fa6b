//! Shared support for restsmith's integration tests: third-party mock servers
//! (Prism, the AutoRest test server) started per test on a free loopback port,
//! and a tiny blocking HTTP/1.1 client. Uses only `std`, so any test binary of
//! the root package can include it with `mod support;`.
//!
//! Team policy: no test is skipped because a tool is missing. The tools are
//! installed by `bash scripts/test.sh` (which runs `npm ci` in `tools/harness`);
//! if they are not there, the helpers below panic with a message naming that
//! command.
//!
//! # Using it
//!
//! ```ignore
//! mod support;
//! use support::{http, start_prism, repo_root};
//!
//! #[test]
//! fn get_pet() {
//!     let prism = start_prism(&repo_root().join("specs/petstore.yaml"));
//!     let resp = http::get(&prism.url("/pets/1"), &[("x-request-id", "…")]);
//!     resp.assert_no_violations();          // fails on any Prism request/response violation
//!     assert_eq!(resp.status, 200);
//! }   // `prism` is dropped here: the server is killed by PID and reaped
//! ```
//!
//! # How a test sees a Prism violation
//!
//! Prism is started as `prism mock --errors`. It validates every request (and
//! the response it builds from the spec's examples) against the OpenAPI file:
//! - invalid request, operation declares a 4xx response → that 4xx (the
//!   lowest declared) with header `sl-violations: [{location, severity, code,
//!   message}, …]`;
//! - invalid request, operation declares no 4xx → `422` problem+json
//!   (`type` ends in `#UNPROCESSABLE_ENTITY`), violations in its `validation`
//!   array (no `sl-violations` header);
//! - the spec's own example violates its schema → `500` problem+json
//!   `#VIOLATIONS` plus `sl-violations` (this is what `--errors` adds);
//! - wrong Content-Type → `415`; unknown path / method → `404` / `405`.
//!
//! [`HttpResponse::prism_violations`] returns the violations (if any) in all of
//! these cases and [`HttpResponse::assert_no_violations`] panics with them, so
//! a generated client that sends a request not matching the spec fails its
//! test. Prism's own log (one line per violation) is in
//! `target/test-tools/logs/prism-<port>.log`.
#![allow(dead_code)]

use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How the test tools are installed; named in every "not installed" panic.
pub const INSTALL_HINT: &str = "run `bash scripts/test.sh` (or `npm ci --prefix tools/harness`)";

/// How long a server may take to open its port.
pub const STARTUP_DEADLINE: Duration = Duration::from_secs(60);

pub const PRISM_ENTRY: &str = "@stoplight/prism-cli/dist/index.js";
pub const AUTOREST_TESTSERVER_ENTRY: &str = "@microsoft.azure/autorest.testserver/dist/cli/cli.js";

/// The repository root: the nearest ancestor of the crate being tested that holds
/// `tools/harness` (the root package, or `tests/autorest` inside it).
pub fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| dir.join("tools/harness/package.json").is_file())
        .map(Path::to_path_buf)
        .unwrap_or(manifest)
}

/// The `node_modules` folder holding the pinned JS test tools:
/// `$RESTSMITH_TOOLS_DIR` if set (scripts/test.sh sets it), else
/// `<repo>/tools/harness/node_modules`. Does not check that anything is
/// installed there; the `start_*` functions do.
pub fn tools_dir() -> PathBuf {
    match std::env::var_os("RESTSMITH_TOOLS_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => repo_root().join("tools/harness/node_modules"),
    }
}

/// The Python venv with the Python test tools: `$RESTSMITH_VENV` if set, else
/// `<repo>/target/test-tools/venv`.
pub fn venv_dir() -> PathBuf {
    match std::env::var_os("RESTSMITH_VENV") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => repo_root().join("target/test-tools/venv"),
    }
}

/// A program installed in the Python venv (e.g. `openapi-spec-validator`);
/// panics with the install command if it is missing.
pub fn venv_bin(name: &str) -> PathBuf {
    let path = venv_dir().join("bin").join(name);
    assert!(
        path.is_file(),
        "{name} is not installed (looked for {}): run `bash scripts/test.sh`",
        path.display()
    );
    path
}

/// Path of a JS entry point under [`tools_dir`]; panics with the install
/// command if it is missing.
fn tool_entry(what: &str, relative: &str) -> PathBuf {
    tool_entry_in(&tools_dir(), what, relative)
}

/// [`tool_entry`] with an explicit tools folder (for the self-test).
pub fn tool_entry_in(tools_dir: &Path, what: &str, relative: &str) -> PathBuf {
    let path = tools_dir.join(relative);
    assert!(
        path.is_file(),
        "{what} is not installed (looked for {}): {INSTALL_HINT}",
        path.display()
    );
    path
}

/// Where server logs go: `<repo>/target/test-tools/logs` (created).
pub fn logs_dir() -> PathBuf {
    let dir = repo_root().join("target/test-tools/logs");
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// A free TCP port on 127.0.0.1 (asked from the OS; there is a small window
/// in which another process could take it — `start_*` retry on that).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("cannot bind a loopback port")
}

/// A server child process. Dropping it kills the process by PID (SIGKILL)
/// and reaps it, so no server outlives its test (even when the test panics).
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub base_url: String,
    pub port: u16,
    /// The file the server's stdout and stderr go to.
    pub log_path: PathBuf,
    /// Short name used in log file names and messages (`prism`, …).
    pub name: String,
}

impl ServerProcess {
    /// `base_url` + `path` (`path` should start with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The last `lines` lines of the server's log (for failure messages).
    pub fn log_tail(&self, lines: usize) -> String {
        log_tail(&self.log_path, lines)
    }

    /// Kills the server now (same as dropping it).
    pub fn stop(self) {}
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

fn log_tail(path: &Path, lines: usize) -> String {
    let text = fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Spawns `node <entry> <args…>` (`{port}` in an argument is replaced by a free
/// port) with stdout+stderr to `target/test-tools/logs/<name>-<port>.log` and
/// waits until the port accepts connections. Retries with another port if the
/// server died because the port was taken in the meantime.
pub fn spawn_node_server(name: &str, entry: &Path, args: &[&str], cwd: &Path) -> ServerProcess {
    const ATTEMPTS: usize = 3;
    for attempt in 1..=ATTEMPTS {
        let port = free_port();
        let log_path = logs_dir().join(format!("{name}-{port}.log"));
        let log = File::create(&log_path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", log_path.display()));
        let err_log = log.try_clone().expect("cannot clone log file handle");
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replace("{port}", &port.to_string()))
            .collect();
        let child = Command::new("node")
            .arg(entry)
            .args(&args)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(err_log))
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run `node` for {name} ({e}): Node.js 20 must be on PATH; then {INSTALL_HINT}")
            });
        let mut server = ServerProcess {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            port,
            log_path,
            name: name.to_string(),
        };
        match wait_for_port(&mut server, STARTUP_DEADLINE) {
            Ok(()) => return server,
            Err(StartError::Exited(status)) => {
                let tail = server.log_tail(40);
                if attempt < ATTEMPTS && tail.contains("EADDRINUSE") {
                    continue;
                }
                panic!(
                    "{name} exited before opening port {port} ({status}); command: node {} {}\n\
                     --- last lines of {} ---\n{tail}",
                    entry.display(),
                    args.join(" "),
                    server.log_path.display()
                );
            }
            Err(StartError::Timeout) => panic!(
                "{name} did not open port {port} within {}s; --- last lines of {} ---\n{}",
                STARTUP_DEADLINE.as_secs(),
                server.log_path.display(),
                server.log_tail(40)
            ),
        }
    }
    unreachable!()
}

enum StartError {
    Exited(std::process::ExitStatus),
    Timeout,
}

/// Waits until `127.0.0.1:<port>` accepts a connection, checking every 50 ms
/// that the child is still running.
fn wait_for_port(server: &mut ServerProcess, deadline: Duration) -> Result<(), StartError> {
    let end = Instant::now() + deadline;
    let addr = SocketAddr::from(([127, 0, 0, 1], server.port));
    loop {
        if let Ok(Some(status)) = server.child.try_wait() {
            return Err(StartError::Exited(status));
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        if Instant::now() >= end {
            return Err(StartError::Timeout);
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// Starts `prism mock --errors` on `spec` (OpenAPI 3.x or Swagger 2.0, YAML or
/// JSON) on a free loopback port. See the module docs for how violations show.
pub fn start_prism(spec: &Path) -> ServerProcess {
    let entry = tool_entry("Prism", PRISM_ENTRY);
    let spec = if spec.is_absolute() {
        spec.to_path_buf()
    } else {
        repo_root().join(spec)
    };
    assert!(
        spec.is_file(),
        "OpenAPI file {} does not exist",
        spec.display()
    );
    let spec = spec.to_string_lossy().into_owned();
    spawn_node_server(
        "prism",
        &entry,
        &[
            "mock",
            "--host",
            "127.0.0.1",
            "--port",
            "{port}",
            "--errors",
            "--cors=false",
            &spec,
        ],
        &repo_root(),
    )
}

/// Starts the AutoRest test server (`cli.js run --port <port>`) on a free
/// port. It listens on all interfaces but is only ever called on 127.0.0.1.
/// Its coverage reports go to `target/test-tools/autorest-coverage/<port>/`;
/// `GET /report/azure` (etc.) returns the live counts.
/// State (LRO progress) is kept per `scenario` cookie, so tests with separate
/// cookie jars may share one server.
pub fn start_autorest_testserver() -> ServerProcess {
    let entry = tool_entry("The AutoRest test server", AUTOREST_TESTSERVER_ENTRY);
    let cov = repo_root().join("target/test-tools/autorest-coverage");
    fs::create_dir_all(&cov).unwrap_or_else(|e| panic!("cannot create {}: {e}", cov.display()));
    let cov = cov.join("{port}").to_string_lossy().into_owned();
    spawn_node_server(
        "autorest-testserver",
        &entry,
        &["run", "--port", "{port}", "--coverageDirectory", &cov],
        &repo_root(),
    )
}

/// The Swagger files shipped with the AutoRest test server (`lro.json`, …).
/// Note: many start with a UTF-8 BOM; strip `\u{FEFF}` before parsing.
pub fn autorest_swagger_dir() -> PathBuf {
    let dir = tools_dir().join("@microsoft.azure/autorest.testserver/swagger");
    assert!(
        dir.is_dir(),
        "The AutoRest test server is not installed (looked for {}): {INSTALL_HINT}",
        dir.display()
    );
    dir
}

/// A minimal blocking HTTP/1.1 client over `std::net::TcpStream` (plain
/// http only, `Connection: close`, chunked responses decoded). Enough to probe
/// the mock servers without extra dev-dependencies.
pub mod http {
    use super::*;

    #[derive(Debug, Clone)]
    pub struct HttpResponse {
        pub status: u16,
        pub reason: String,
        /// Header names as sent by the server; look up with [`HttpResponse::header`].
        pub headers: Vec<(String, String)>,
        pub body: Vec<u8>,
    }

    impl HttpResponse {
        /// First header with this name (case-insensitive).
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }

        pub fn text(&self) -> String {
            String::from_utf8_lossy(&self.body).into_owned()
        }

        /// Prism's verdict: the `sl-violations` header, or the body of a
        /// problem+json error that Prism generated itself (`422` invalid
        /// request, `500` violations, `415`, `404` no path, `405` no method).
        /// `None` when Prism found nothing wrong.
        pub fn prism_violations(&self) -> Option<String> {
            if let Some(v) = self.header("sl-violations") {
                return Some(format!(
                    "{} {}: sl-violations: {v}",
                    self.status, self.reason
                ));
            }
            let is_problem = self
                .header("content-type")
                .is_some_and(|c| c.contains("problem+json"));
            let body = self.text();
            if is_problem && body.contains("stoplight.io/prism/errors#") {
                return Some(format!("{} {}: {body}", self.status, self.reason));
            }
            None
        }

        /// Panics if Prism reported any violation (see [`Self::prism_violations`]).
        pub fn assert_no_violations(&self) {
            if let Some(v) = self.prism_violations() {
                panic!("the mock server reported OpenAPI violations: {v}");
            }
        }
    }

    pub fn get(url: &str, headers: &[(&str, &str)]) -> HttpResponse {
        request("GET", url, headers, None)
    }

    /// POST with a JSON body (`Content-Type: application/json` unless given).
    pub fn post_json(url: &str, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let mut h: Vec<(&str, &str)> = headers.to_vec();
        if !h
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            h.push(("Content-Type", "application/json"));
        }
        request("POST", url, &h, Some(body.as_bytes()))
    }

    /// Sends one request and reads the whole response; panics on I/O errors
    /// (30 s read timeout).
    pub fn request(
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> HttpResponse {
        try_request(method, url, headers, body)
            .unwrap_or_else(|e| panic!("{method} {url} failed: {e}"))
    }

    pub fn try_request(
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<HttpResponse, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or("only http:// URLs are supported")?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let addr = if authority.contains(':') {
            authority.to_string()
        } else {
            format!("{authority}:80")
        };
        let mut stream = TcpStream::connect(&addr).map_err(|e| format!("connect {addr}: {e}"))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| e.to_string())?;
        stream
            .set_write_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| e.to_string())?;

        let mut req =
            format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
        let has = |n: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(n));
        if !has("accept") {
            req.push_str("Accept: */*\r\n");
        }
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        if let Some(b) = body {
            req.push_str(&format!("Content-Length: {}\r\n", b.len()));
        } else if matches!(method, "POST" | "PUT" | "PATCH") {
            req.push_str("Content-Length: 0\r\n");
        }
        req.push_str("\r\n");
        let mut bytes = req.into_bytes();
        if let Some(b) = body {
            bytes.extend_from_slice(b);
        }
        stream
            .write_all(&bytes)
            .map_err(|e| format!("write: {e}"))?;

        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .map_err(|e| format!("read: {e}"))?;
        parse_response(&raw, method == "HEAD")
    }

    fn parse_response(raw: &[u8], head: bool) -> Result<HttpResponse, String> {
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| format!("incomplete response: {:?}", String::from_utf8_lossy(raw)))?;
        let head_text = String::from_utf8_lossy(&raw[..end]).into_owned();
        let mut lines = head_text.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let mut parts = status_line.splitn(3, ' ');
        let _version = parts.next();
        let status: u16 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("bad status line {status_line:?}"))?;
        let reason = parts.next().unwrap_or_default().to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let mut resp = HttpResponse {
            status,
            reason,
            headers,
            body: Vec::new(),
        };
        let rest = &raw[end + 4..];
        if head {
            return Ok(resp);
        }
        let chunked = resp
            .header("transfer-encoding")
            .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
        resp.body = if chunked {
            decode_chunked(rest)?
        } else if let Some(len) = resp
            .header("content-length")
            .and_then(|l| l.parse::<usize>().ok())
        {
            rest[..len.min(rest.len())].to_vec()
        } else {
            rest.to_vec()
        };
        Ok(resp)
    }

    fn decode_chunked(mut data: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        loop {
            let nl = data
                .windows(2)
                .position(|w| w == b"\r\n")
                .ok_or("bad chunk header")?;
            let size_text = String::from_utf8_lossy(&data[..nl]);
            let size_hex = size_text.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size_hex, 16)
                .map_err(|_| format!("bad chunk size {size_hex:?}"))?;
            data = &data[nl + 2..];
            if size == 0 {
                return Ok(out);
            }
            if data.len() < size {
                return Err("truncated chunk".into());
            }
            out.extend_from_slice(&data[..size]);
            data = data.get(size + 2..).unwrap_or_default();
        }
    }
}
