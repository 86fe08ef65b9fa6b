//! Raw bytes (JSON or YAML, any dialect) through load → IR → codegen.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A directory that does not exist: relative `$ref`s to other files fail to read, as they
    // should, instead of reading whatever lies in the working directory.
    restsmith_fuzz::pipeline(Path::new("/nonexistent-restsmith-fuzz/spec.yaml"), data);
});
