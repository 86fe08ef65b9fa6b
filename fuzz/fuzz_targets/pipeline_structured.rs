//! Structure-aware: a seed document (our specs, the loader fixtures, the AutoRest test-server
//! files, the upstream Azure files) edited as a JSON tree — transplants, `$ref`s to any node or
//! schema, wrapping in schema keywords, deep nesting, colliding names, odd scalars — then
//! load → IR → codegen.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restsmith_fuzz::{cook, Recipe};

fuzz_target!(|recipe: Recipe| {
    let (path, bytes) = cook(&recipe);
    restsmith_fuzz::pipeline(&path, &bytes);
});
