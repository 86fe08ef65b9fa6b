//! Hostile input: every case runs the whole pipeline (load → IR → codegen, in memory) on a
//! document built to break it — 10,000-deep nesting, `$ref` cycles through every schema keyword,
//! a million-value enum, 100 MB strings, names that collide after case conversion, files that
//! never end — and must end in an error or a result, within bounded time and memory, never a
//! panic, a stack overflow or a hang.
//!
//! A stack overflow aborts the whole process and a hang never returns, so each case runs in a
//! child process (this test binary run again for that one test, with
//! `RESTSMITH_HOSTILE_CHILD=1`) under an address-space limit (`ulimit -v`), on a thread with an
//! 8 MiB stack (the main thread's size, where the CLI runs), and is killed at its deadline. The
//! parent asserts that the child exited normally in time with the expected outcome. Deadlines
//! are for debug builds on a loaded 2-core machine; release builds are 10-30x faster.
//!
//! `RESTSMITH_HOSTILE_DUMP=<dir> cargo test --test hostile` also writes each case's document
//! to `<dir>/<case>.json`, to run it through `restsmith generate` by hand.
//!
//! Crashes found by `fuzz/` (cargo fuzz) are added here as regression cases, each named
//! `fuzz_<what>` with the input inline.

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use restsmith::codegen::{crate_files, CrateLayout};
use restsmith::ir;
use restsmith::load::load_bytes;

const CHILD_ENV: &str = "RESTSMITH_HOSTILE_CHILD";
const STACK: usize = 8 << 20;

/// What a case must end in.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// A crate (generation succeeded).
    Generated,
    /// A located error (the input is refused).
    Refused,
    /// Either, as long as it ends cleanly.
    Either,
}

/// The outcome of the pipeline in the child, printed as one line for the parent.
fn pipeline(name: &str, bytes: &[u8]) -> Result<String, String> {
    let path = Path::new(name);
    let spec = load_bytes(path, bytes).map_err(|e| truncate(&e.to_string()))?;
    let (ir, warnings) = ir::build(&spec, "hostile").map_err(|e| truncate(&e.to_string()))?;
    let layout = CrateLayout { runtime_dependency: "{ path = \"runtime\" }".into(), standalone: true };
    let files = crate_files(&ir, &layout).map_err(|e| truncate(&e.to_string()))?;
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    Ok(format!(
        "{} files, {bytes} bytes, {} types, {} operations, {} warnings",
        files.len(),
        ir.types.len(),
        ir.operations.len(),
        warnings.len()
    ))
}

fn truncate(s: &str) -> String {
    let mut s: String = s.chars().take(600).collect();
    if s.len() >= 600 {
        s.push('…');
    }
    s.replace('\n', " | ")
}

/// Runs `make` (which builds the document) and the pipeline, bounded: in the child, for real;
/// in the parent, by starting the child and judging it.
fn bounded(case: &'static str, deadline_s: u64, memory_mib: u64, expect: Expect, make: fn() -> Vec<u8>) {
    if std::env::var_os(CHILD_ENV).is_some() {
        let worker = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || {
                let doc = make();
                // To reproduce a case with the CLI: RESTSMITH_HOSTILE_DUMP=dir writes the document.
                if let Some(dir) = std::env::var_os("RESTSMITH_HOSTILE_DUMP") {
                    std::fs::write(Path::new(&dir).join(format!("{case}.json")), &doc).expect("write the document");
                }
                let started = Instant::now();
                let outcome = pipeline(&format!("{case}.json"), &doc);
                (outcome, started.elapsed())
            })
            .expect("spawn the worker thread");
        let (outcome, took) = worker.join().unwrap_or_else(|_| {
            println!("OUTCOME panic");
            std::process::exit(101)
        });
        match outcome {
            Ok(summary) => println!("OUTCOME generated in {took:.2?}: {summary}"),
            Err(error) => println!("OUTCOME refused in {took:.2?}: {error}"),
        }
        return;
    }

    let exe = std::env::current_exe().expect("the test binary's path");
    // `ulimit -v` bounds the address space (KiB) of the child, so a runaway allocation ends in
    // an allocation failure (an abort, which fails the case) instead of taking the machine.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", memory_mib * 1024))
        .arg(&exe)
        .args([case, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the child");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(deadline_s) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{case}: still running after {deadline_s} s (a hang?); killed");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    child.stdout.take().expect("stdout").read_to_string(&mut stdout).expect("read stdout");
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("read stderr");
    // (The harness prints `test <name> ... ` before the case's own output, on the same line.)
    let outcome = stdout.lines().find_map(|l| l.split_once("OUTCOME ")).map(|(_, o)| o.to_owned());
    let tail: String = stderr.chars().rev().take(2000).collect::<Vec<_>>().into_iter().rev().collect();
    assert!(
        status.success() && outcome.is_some(),
        "{case}: the child did not end cleanly ({status}; a stack overflow or an allocation failure aborts, a panic exits 101)\n\
         outcome: {outcome:?}\nstderr: …{tail}"
    );
    let outcome = outcome.unwrap_or_default();
    println!("{case}: {outcome} (child took {:.2?} in all)", started.elapsed());
    match expect {
        Expect::Generated => assert!(outcome.starts_with("generated"), "{case}: expected a crate, got {outcome}"),
        Expect::Refused => assert!(outcome.starts_with("refused"), "{case}: expected an error, got {outcome}"),
        Expect::Either => {}
    }
}

// ---- documents --------------------------------------------------------------------------

const HEAD: &str = r#""openapi": "3.0.3", "info": {"title": "Hostile", "version": "1"}"#;

/// A document with `schemas` (a JSON object body, without braces) and one GET returning `Root`.
fn doc_with_schemas(schemas: &str) -> Vec<u8> {
    format!(
        r##"{{{HEAD},
  "paths": {{"/x": {{"get": {{"operationId": "getX", "responses": {{"200": {{"description": "ok",
    "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Root"}}}}}}}}}}}}}}}},
  "components": {{"schemas": {{{schemas}}}}}}}"##
    )
    .into_bytes()
}

/// `n` levels of `open` … `close` around `inner`.
fn nest(open: &str, inner: &str, close: &str, n: usize) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * n + inner.len());
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str(inner);
    for _ in 0..n {
        s.push_str(close);
    }
    s
}

/// A chain `Root` → `S1` → … → `S<n>` where `link(next)` is the schema of each link.
fn chain(n: usize, link: fn(&str) -> String, last: &str) -> Vec<u8> {
    let mut schemas = Vec::with_capacity(n + 1);
    for i in 0..n {
        let this = if i == 0 { "Root".to_owned() } else { format!("S{i}") };
        schemas.push(format!(r#""{this}": {}"#, link(&format!("#/components/schemas/S{}", i + 1))));
    }
    schemas.push(format!(r#""S{n}": {last}"#));
    doc_with_schemas(&schemas.join(",\n"))
}

// ---- 10,000-deep nesting ----------------------------------------------------------------

#[test]
fn deep_nesting_json_properties() {
    bounded("deep_nesting_json_properties", 60, 2048, Expect::Refused, || {
        let inner = nest(r#"{"type": "object", "properties": {"a": "#, r#"{"type": "string"}"#, "}}", 10_000);
        doc_with_schemas(&format!(r#""Root": {inner}"#))
    });
}

#[test]
fn deep_nesting_json_arrays_in_an_example() {
    bounded("deep_nesting_json_arrays_in_an_example", 60, 2048, Expect::Refused, || {
        let example = nest("[", "1", "]", 10_000);
        doc_with_schemas(&format!(r#""Root": {{"type": "object", "properties": {{"a": {{"type": "string"}}}}, "example": {example}}}"#))
    });
}

#[test]
fn deep_nesting_yaml_block_mappings() {
    bounded("deep_nesting_yaml_block_mappings", 60, 2048, Expect::Refused, || {
        let mut doc = String::from("openapi: 3.0.3\ninfo: {title: Hostile, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Root:\n");
        // Block style: indentation grows with depth, so 1,000 levels (6 MB) — far past the
        // parser's limit of 128 — stand for 10,000 (flow style below).
        for depth in 0..1_000 {
            let indent = " ".repeat(6 + depth * 4);
            doc.push_str(&format!("{indent}type: object\n{indent}properties:\n{indent}  a:\n"));
        }
        doc.push_str(&" ".repeat(6 + 1_000 * 4));
        doc.push_str("type: string\n");
        doc.into_bytes()
    });
}

#[test]
fn deep_nesting_yaml_flow_mappings() {
    bounded("deep_nesting_yaml_flow_mappings", 60, 2048, Expect::Refused, || {
        let inner = nest("{type: object, properties: {a: ", "{type: string}", "}}", 10_000);
        format!("openapi: 3.0.3\ninfo: {{title: Hostile, version: '1'}}\npaths: {{}}\ncomponents: {{schemas: {{Root: {inner}}}}}\n").into_bytes()
    });
}

#[test]
fn deep_nesting_yaml_flow_sequences() {
    bounded("deep_nesting_yaml_flow_sequences", 60, 2048, Expect::Refused, || {
        format!("openapi: 3.0.3\ninfo: {{title: Hostile, version: '1'}}\npaths: {{}}\nx-deep: {}\n", nest("[", "1", "]", 10_000)).into_bytes()
    });
}

/// Just under the parsers' nesting limit (128): a result, not an error.
#[test]
fn deep_nesting_just_under_the_parser_limit() {
    bounded("deep_nesting_just_under_the_parser_limit", 120, 2048, Expect::Either, || {
        let inner = nest(r#"{"type": "object", "properties": {"a": "#, r#"{"type": "string"}"#, "}}", 55);
        doc_with_schemas(&format!(r#""Root": {inner}"#))
    });
}

#[test]
fn deep_chain_of_ref_aliases() {
    bounded("deep_chain_of_ref_aliases", 120, 2048, Expect::Either, || chain(10_000, |next| format!(r#"{{"$ref": "{next}"}}"#), r#"{"type": "string"}"#));
}

#[test]
fn deep_chain_of_arrays() {
    bounded("deep_chain_of_arrays", 120, 2048, Expect::Either, || {
        chain(10_000, |next| format!(r#"{{"type": "array", "items": {{"$ref": "{next}"}}}}"#), r#"{"type": "string"}"#)
    });
}

#[test]
fn deep_chain_of_maps() {
    bounded("deep_chain_of_maps", 120, 2048, Expect::Either, || {
        chain(10_000, |next| format!(r#"{{"type": "object", "additionalProperties": {{"$ref": "{next}"}}}}"#), r#"{"type": "string"}"#)
    });
}

#[test]
fn deep_chain_of_all_of() {
    bounded("deep_chain_of_all_of", 120, 2048, Expect::Either, || {
        chain(
            10_000,
            |next| format!(r#"{{"allOf": [{{"$ref": "{next}"}}], "properties": {{"p": {{"type": "string"}}}}}}"#),
            r#"{"type": "object", "properties": {"last": {"type": "string"}}}"#,
        )
    });
}

#[test]
fn deep_chain_of_one_of() {
    bounded("deep_chain_of_one_of", 120, 2048, Expect::Either, || {
        chain(10_000, |next| format!(r#"{{"oneOf": [{{"$ref": "{next}"}}, {{"type": "integer"}}]}}"#), r#"{"type": "string"}"#)
    });
}

#[test]
fn long_chain_of_structs() {
    bounded("long_chain_of_structs", 240, 4096, Expect::Generated, || {
        chain(
            10_000,
            |next| format!(r#"{{"type": "object", "properties": {{"next": {{"$ref": "{next}"}}}}}}"#),
            r#"{"type": "object", "properties": {"last": {"type": "string"}}}"#,
        )
    });
}

// ---- $ref cycles through every schema keyword -------------------------------------------

#[test]
fn ref_cycles_through_every_schema_keyword() {
    bounded("ref_cycles_through_every_schema_keyword", 120, 2048, Expect::Either, || {
        doc_with_schemas(
            r##""Root": {"type": "object", "properties": {
                   "p": {"$ref": "#/components/schemas/Root"},
                   "i": {"type": "array", "items": {"$ref": "#/components/schemas/Root"}},
                   "m": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Root"}},
                   "n": {"not": {"$ref": "#/components/schemas/Root"}},
                   "all": {"allOf": [{"$ref": "#/components/schemas/Root"}]},
                   "any": {"anyOf": [{"$ref": "#/components/schemas/Root"}, {"$ref": "#/components/schemas/B"}]},
                   "one": {"oneOf": [{"$ref": "#/components/schemas/Root"}, {"$ref": "#/components/schemas/B"}]},
                   "arr": {"$ref": "#/components/schemas/Arr"},
                   "map": {"$ref": "#/components/schemas/Map"}}},
               "B": {"type": "object", "properties": {"root": {"$ref": "#/components/schemas/Root"}}},
               "Arr": {"type": "array", "items": {"$ref": "#/components/schemas/Arr"}},
               "Map": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Map"}}"##,
        )
    });
}

#[test]
fn ref_cycle_of_aliases() {
    bounded("ref_cycle_of_aliases", 60, 2048, Expect::Refused, || {
        doc_with_schemas(
            r##""Root": {"type": "object", "properties": {"alias": {"$ref": "#/components/schemas/Alias1"}}},
               "Alias1": {"$ref": "#/components/schemas/Alias2"},
               "Alias2": {"$ref": "#/components/schemas/Alias1"}"##,
        )
    });
}

#[test]
fn ref_cycle_self_alias() {
    bounded("ref_cycle_self_alias", 60, 2048, Expect::Refused, || doc_with_schemas(r##""Root": {"$ref": "#/components/schemas/Root"}"##));
}

#[test]
fn ref_cycle_all_of_mutual() {
    bounded("ref_cycle_all_of_mutual", 60, 2048, Expect::Either, || {
        doc_with_schemas(
            r##""Root": {"allOf": [{"$ref": "#/components/schemas/B"}], "properties": {"a": {"type": "string"}}},
               "B": {"allOf": [{"$ref": "#/components/schemas/Root"}], "properties": {"b": {"type": "string"}}}"##,
        )
    });
}

#[test]
fn ref_cycle_one_of_and_any_of_only() {
    bounded("ref_cycle_one_of_and_any_of_only", 60, 2048, Expect::Either, || {
        doc_with_schemas(
            r##""Root": {"oneOf": [{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/Root"}]},
               "B": {"anyOf": [{"$ref": "#/components/schemas/Root"}, {"$ref": "#/components/schemas/B"}]}"##,
        )
    });
}

#[test]
fn ref_cycle_through_discriminator_mapping() {
    bounded("ref_cycle_through_discriminator_mapping", 60, 2048, Expect::Either, || {
        doc_with_schemas(
            r##""Root": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}},
                        "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A", "r": "#/components/schemas/Root"}},
                        "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/Root"}]},
               "A": {"allOf": [{"$ref": "#/components/schemas/Root"}], "properties": {"a": {"$ref": "#/components/schemas/A"}}}"##,
        )
    });
}

#[test]
fn ref_cycles_through_parameters_responses_bodies_headers_path_items() {
    bounded("ref_cycles_through_parameters_responses_bodies_headers_path_items", 60, 2048, Expect::Refused, || {
        format!(
            r##"{{{HEAD},
  "paths": {{
    "/a": {{"$ref": "#/paths/~1b"}},
    "/b": {{"$ref": "#/paths/~1a"}},
    "/c": {{"get": {{"operationId": "getC",
      "parameters": [{{"$ref": "#/components/parameters/P"}}],
      "requestBody": {{"$ref": "#/components/requestBodies/B"}},
      "responses": {{"200": {{"$ref": "#/components/responses/R"}},
                     "201": {{"description": "h", "headers": {{"X": {{"$ref": "#/components/headers/H"}}}}}}}}}}}}
  }},
  "components": {{
    "parameters": {{"P": {{"$ref": "#/components/parameters/Q"}}, "Q": {{"$ref": "#/components/parameters/P"}}}},
    "requestBodies": {{"B": {{"$ref": "#/components/requestBodies/B"}}}},
    "responses": {{"R": {{"$ref": "#/components/responses/R"}}}},
    "headers": {{"H": {{"$ref": "#/components/headers/H"}}}}
  }}}}"##
        )
        .into_bytes()
    });
}

#[test]
fn ref_cycle_swagger2_definitions() {
    bounded("ref_cycle_swagger2_definitions", 60, 2048, Expect::Either, || {
        br##"{"swagger": "2.0", "info": {"title": "Hostile", "version": "1"},
  "paths": {"/x": {"get": {"operationId": "getX", "parameters": [{"$ref": "#/parameters/P"}],
    "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/A"}}}}}},
  "parameters": {"P": {"$ref": "#/parameters/P"}},
  "definitions": {
    "A": {"type": "object", "properties": {"b": {"$ref": "#/definitions/B"}, "i": {"type": "array", "items": {"$ref": "#/definitions/A"}}}},
    "B": {"allOf": [{"$ref": "#/definitions/A"}], "additionalProperties": {"$ref": "#/definitions/B"}},
    "C": {"$ref": "#/definitions/D"}, "D": {"$ref": "#/definitions/C"}}}"##
            .to_vec()
    });
}

/// A `$ref` into a non-component part of the document that contains itself: inlining it must
/// not go on for ever.
#[test]
fn ref_cycle_through_inlined_non_component_pointer() {
    bounded("ref_cycle_through_inlined_non_component_pointer", 60, 2048, Expect::Either, || {
        let schema = "#/paths/~1x/get/responses/200/content/application~1json/schema";
        serde_json::to_vec(&serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "Hostile", "version": "1"},
            "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"type": "object", "properties": {
                    "self": {"$ref": schema},
                    "deeper": {"type": "array", "items": {"$ref": format!("{schema}/properties/deeper")}}
                }}}}}}}}}
        }))
        .expect("JSON")
    });
}

// ---- huge values --------------------------------------------------------------------------

#[test]
fn million_value_enum() {
    bounded("million_value_enum", 300, 8192, Expect::Either, || {
        let values: Vec<String> = (0..1_000_000).map(|i| format!("\"value-{i}\"")).collect();
        doc_with_schemas(&format!(r#""Root": {{"type": "string", "enum": [{}]}}"#, values.join(",")))
    });
}

#[test]
fn million_value_integer_enum() {
    bounded("million_value_integer_enum", 300, 8192, Expect::Either, || {
        let values: Vec<String> = (0..1_000_000).map(|i| i.to_string()).collect();
        doc_with_schemas(&format!(
            r#""Root": {{"type": "object", "properties": {{"n": {{"type": "integer", "enum": [{}]}}}}}}"#,
            values.join(",")
        ))
    });
}

fn big(len: usize) -> String {
    "ab c".repeat(len / 4)
}

#[test]
fn hundred_megabyte_description() {
    bounded("hundred_megabyte_description", 300, 8192, Expect::Either, || {
        doc_with_schemas(&format!(
            r#""Root": {{"type": "object", "description": "{}", "properties": {{"a": {{"type": "string"}}}}}}"#,
            big(100 << 20)
        ))
    });
}

#[test]
fn hundred_megabyte_names() {
    bounded("hundred_megabyte_names", 300, 8192, Expect::Either, || {
        let long = "a".repeat(100 << 20);
        doc_with_schemas(&format!(
            r#""Root": {{"type": "object", "properties": {{"{long}": {{"type": "string", "enum": ["{long}"]}}}}}}"#
        ))
    });
}

#[test]
fn hundred_megabyte_operation_id_and_path() {
    bounded("hundred_megabyte_operation_id_and_path", 300, 8192, Expect::Either, || {
        let long = "b".repeat(50 << 20);
        format!(
            r#"{{{HEAD}, "paths": {{"/{long}": {{"get": {{"operationId": "{long}", "responses": {{"204": {{"description": "ok"}}}}}}}}}}}}"#
        )
        .into_bytes()
    });
}

// ---- names that collide after case conversion ----------------------------------------------

#[test]
fn names_that_collide_after_case_conversion() {
    bounded("names_that_collide_after_case_conversion", 120, 2048, Expect::Generated, || {
        format!(
            r##"{{{HEAD},
  "paths": {{
    "/a/{{foo-bar}}/{{foo_bar}}/{{fooBar}}": {{"get": {{"operationId": "getFoo",
      "parameters": [
        {{"name": "foo-bar", "in": "path", "required": true, "schema": {{"type": "string"}}}},
        {{"name": "foo_bar", "in": "path", "required": true, "schema": {{"type": "string"}}}},
        {{"name": "fooBar", "in": "path", "required": true, "schema": {{"type": "string"}}}},
        {{"name": "foo-bar", "in": "query", "schema": {{"type": "string"}}}},
        {{"name": "Foo-Bar", "in": "header", "schema": {{"type": "string"}}}},
        {{"name": "self", "in": "query", "schema": {{"type": "string"}}}},
        {{"name": "type", "in": "query", "schema": {{"type": "string"}}}},
        {{"name": "", "in": "query", "schema": {{"type": "string"}}}},
        {{"name": "_", "in": "query", "schema": {{"type": "string"}}}},
        {{"name": "client", "in": "query", "schema": {{"type": "string"}}}},
        {{"name": "body", "in": "query", "schema": {{"type": "string"}}}}],
      "requestBody": {{"content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/FooBar"}}}}}}}},
      "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/foo_bar"}}}}}}}}}}}}}},
    "/b": {{"get": {{"operationId": "get_foo", "responses": {{"200": {{"description": "ok",
                "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/foo-bar"}}}}}}}}}}}},
            "put": {{"operationId": "GetFoo", "responses": {{"204": {{"description": "ok"}}}}}},
            "post": {{"operationId": "get-foo", "responses": {{"204": {{"description": "ok"}}}}}},
            "delete": {{"operationId": "GET_FOO", "responses": {{"204": {{"description": "ok"}}}}}}}},
    "/c": {{"get": {{"responses": {{"204": {{"description": "no operationId"}}}}}},
            "put": {{"operationId": "new", "responses": {{"204": {{"description": "ok"}}}}}},
            "post": {{"operationId": "into_stream", "responses": {{"204": {{"description": "ok"}}}}}},
            "patch": {{"operationId": "with_options", "responses": {{"204": {{"description": "ok"}}}}}}}}
  }},
  "components": {{"schemas": {{
    "FooBar": {{"type": "object", "properties": {{"fooBar": {{"type": "string"}}, "foo_bar": {{"type": "integer"}}, "foo-bar": {{"type": "boolean"}},
       "FOO_BAR": {{"type": "string"}}, "type": {{"type": "string"}}, "self": {{"type": "string"}}, "Self": {{"type": "string"}},
       "": {{"type": "string"}}, "_": {{"type": "string"}}, "1st": {{"type": "string"}}, "additional_properties": {{"type": "string"}}}},
       "additionalProperties": {{"type": "string"}}}},
    "foo_bar": {{"type": "object", "properties": {{"e": {{"$ref": "#/components/schemas/FOO_BAR"}}}}}},
    "foo-bar": {{"type": "object", "properties": {{"x": {{"type": "string"}}}}}},
    "FOO_BAR": {{"type": "string", "enum": ["a-b", "a_b", "A B", "aB", "AB", "", "_", "1", "Self", "UnknownValue", "unknown_value"]}},
    "fooBar": {{"type": "string", "enum": ["x"]}},
    "Foo Bar": {{"type": "object", "properties": {{"y": {{"type": "string"}}}}}},
    "Error": {{"type": "object", "properties": {{"y": {{"type": "string"}}}}}},
    "Client": {{"type": "object", "properties": {{"y": {{"type": "string"}}}}}},
    "Result": {{"type": "object", "properties": {{"y": {{"type": "string"}}}}}},
    "Option": {{"type": "object", "properties": {{"y": {{"type": "string"}}}}}},
    "String": {{"type": "object", "properties": {{"y": {{"type": "string"}}}}}},
    "Vec": {{"type": "object", "properties": {{"y": {{"type": "string"}}}}}},
    "Self": {{"type": "object", "properties": {{"y": {{"type": "string"}}}}}},
    "FooBarFooBar": {{"type": "object", "properties": {{"y": {{"type": "string"}}}}}},
    "FooBarFOO_BAR": {{"type": "object", "properties": {{"y": {{"type": "string"}}}}}}
  }}}}}}"##
        )
        .into_bytes()
    });
}

// ---- files that never end ------------------------------------------------------------------

/// A `$ref` to a device or a FIFO must not read for ever (or until memory runs out).
#[test]
fn ref_to_a_file_that_never_ends() {
    bounded("ref_to_a_file_that_never_ends", 60, 2048, Expect::Refused, || {
        doc_with_schemas(r##""Root": {"$ref": "/dev/zero#/x"}, "Other": {"$ref": "/dev/urandom#/y"}"##)
    });
}

#[test]
fn ref_to_a_directory() {
    bounded("ref_to_a_directory", 60, 2048, Expect::Refused, || doc_with_schemas(r##""Root": {"$ref": "/#/x"}"##));
}

// ---- YAML specials -------------------------------------------------------------------------

/// "Billion laughs": aliases that expand exponentially.
#[test]
fn yaml_alias_bomb() {
    bounded("yaml_alias_bomb", 60, 2048, Expect::Refused, || {
        let mut doc = String::from("openapi: 3.0.3\ninfo: {title: Hostile, version: '1'}\npaths: {}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..30 {
            let p = i - 1;
            doc.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        doc.into_bytes()
    });
}
