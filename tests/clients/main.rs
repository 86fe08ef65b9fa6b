//! Integration tests that call every operation of the five generated clients over real HTTP
//! (issue 2, item 6).
//!
//! * **Prism** (`prism mock --errors`, started on loopback from the same spec as the client)
//!   validates every request it can route: a request it rejects comes back as a 4xx/422 with
//!   an `sl-violations` header and fails the test ([`common::expect_ok`] prints the
//!   violations). Success tests assert on the typed response decoded from the spec's own
//!   examples. One Prism is started per spec and reused inside one test function.
//! * Where Prism cannot route an operation as the spec writes it — ScVmm's `{resourceUri}`
//!   (a scope holding slashes) and Volcengine's RPC path key `/#Action=DeleteImages` — the
//!   test says why and checks the request field by field (method, path, query, headers,
//!   body, signatures recomputed server-side) on a wiremock server.
//! * Error paths run against wiremock: each API's own 4xx body decoded into its typed error,
//!   a non-JSON (HTML) 500 kept raw with the attempt count asserted, and validation that
//!   rejects bad arguments before anything is sent.
//!
//! Run with `cargo test -p restsmith --test clients`. Prism is installed by
//! `npm ci --prefix tools/harness` (see `tests/support/mod.rs`).

#[path = "../support/mod.rs"]
mod support;

mod common;

mod aks;
mod batch;
mod neutonos;
mod scvmm;
mod volcengine;
