//! Clients generated in `build.rs` from every Swagger file of the AutoRest test server
//! (`@microsoft.azure/autorest.testserver`), one module per file. That this crate compiles
//! (and passes clippy and rustdoc with warnings denied, in the test command) is the corpus
//! check; `tests/` runs the LRO and paging scenarios against the server.

include!(concat!(env!("OUT_DIR"), "/corpus.rs"));
