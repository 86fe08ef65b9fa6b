//! restsmith's own corpus: one small spec per construct in `specs/`, each generated into a
//! module in `build.rs`. That it compiles (with clippy and rustdoc warnings denied in the test
//! command) is the first check; `tests/` exercises the behaviour over real HTTP.

include!(concat!(env!("OUT_DIR"), "/corpus.rs"));
