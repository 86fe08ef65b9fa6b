#!/usr/bin/env python3
"""What compiling a `Deserialize` impl costs, by how it is written.

Writes four small crates, each with the same 150 structs of 60 fields (strings, integers,
booleans, lists, optional fields, boxed links to other structs; the shape of GitHub's repository
and webhook payloads), differing only in how the structs implement `serde::Deserialize`:

  none     no impl (the floor: the structs and their Debug/Clone/PartialEq derives)
  derive   `#[derive(serde::Deserialize)]` with `rename`/`default` attributes (what restsmith
           generates today)
  compact  a hand-written visitor: one `visit_map` matching on the key, no `visit_seq`, no
           field enum
  object   the object is read into a runtime map, and a non-generic `#[inline]` function takes
           each field out of it

then times `cargo check` and `cargo build` (dev profile) of each, dependencies prebuilt.

    python3 scripts/bench/deserialize_shapes.py        # about 3 minutes on 2 cores

Not part of the test command. Results: BENCHMARKS.md, "Where the GitHub crate's build goes".
"""
import os
import pathlib
import subprocess
import time

STRUCTS, FIELDS = 150, 60
TYPES = ["String", "i64", "Option<String>", "Option<i64>", "bool", "Vec<String>"]
ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "target" / "bench" / "deserialize-shapes"
TARGET = OUT / "target"

OBJECT_RUNTIME = """
/// The fields of one JSON object, taken out one by one.
pub struct Object(serde_json::Map<String, serde_json::Value>);
impl<'de> serde::Deserialize<'de> for Object {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Object(serde::Deserialize::deserialize(d)?))
    }
}
impl Object {
    fn required<T: serde::de::DeserializeOwned>(&mut self, key: &str) -> Result<T, String> {
        match self.0.remove(key) {
            Some(v) => serde_json::from_value(v).map_err(|e| format!("{key}: {e}")),
            None => Err(format!("missing field `{key}`")),
        }
    }
    fn optional<T: serde::de::DeserializeOwned>(&mut self, key: &str) -> Result<Option<T>, String> {
        match self.0.remove(key) {
            Some(serde_json::Value::Null) | None => Ok(None),
            Some(v) => serde_json::from_value(v).map(Some).map_err(|e| format!("{key}: {e}")),
        }
    }
}
"""


def fields(i):
    out = []
    for j in range(FIELDS):
        ty = TYPES[j % len(TYPES)]
        if j == FIELDS - 1 and i >= 10:
            ty = f"Option<Box<S{i % 10}>>"
        out.append((f"field_{j}", ty))
    return out


def struct_source(variant, i):
    fs = fields(i)
    if variant == "derive":
        body = "".join(
            ("    #[serde(default)]\n" if t.startswith("Option") else "") + f'    #[serde(rename = "{n}X")]\n    pub {n}: {t},\n'
            for n, t in fs
        )
        return f"#[derive(Debug, Clone, PartialEq, serde::Deserialize)]\npub struct S{i} {{\n{body}}}\n"
    body = "".join(f"    pub {n}: {t},\n" for n, t in fs)
    out = f"#[derive(Debug, Clone, PartialEq)]\npub struct S{i} {{\n{body}}}\n"
    if variant == "compact":
        slots = "".join(f"                let mut {n}: Option<{t}> = None;\n" for n, t in fs)
        arms = "".join(f'                        "{n}X" => {n} = Some(map.next_value()?),\n' for n, _ in fs)
        inits = "".join(
            f"                    {n}: {n}.flatten(),\n"
            if t.startswith("Option")
            else f'                    {n}: {n}.ok_or_else(|| serde::de::Error::missing_field("{n}X"))?,\n'
            for n, t in fs
        )
        out += f"""impl<'de> serde::Deserialize<'de> for S{i} {{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {{
            type Value = S{i};
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {{
                f.write_str("struct S{i}")
            }}
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<S{i}, A::Error> {{
{slots}                while let Some(key) = map.next_key::<String>()? {{
                    match key.as_str() {{
{arms}                        _ => {{
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }}
                    }}
                }}
                Ok(S{i} {{
{inits}                }})
            }}
        }}
        d.deserialize_map(V)
    }}
}}
"""
    if variant == "object":
        inits = "".join(
            f'            {n}: o.optional("{n}X")?,\n' if t.startswith("Option") else f'            {n}: o.required("{n}X")?,\n'
            for n, t in fs
        )
        out += f"""impl<'de> serde::Deserialize<'de> for S{i} {{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{
        let mut o: Object = serde::Deserialize::deserialize(d)?;
        Self::from_object(&mut o).map_err(serde::de::Error::custom)
    }}
}}
impl S{i} {{
    #[inline]
    fn from_object(o: &mut Object) -> Result<Self, String> {{
        Ok(S{i} {{
{inits}        }})
    }}
}}
"""
    return out


def write_crate(variant):
    crate = OUT / variant
    (crate / "src").mkdir(parents=True, exist_ok=True)
    (crate / "Cargo.toml").write_text(
        f'[package]\nname = "shape_{variant}"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n'
        '[dependencies]\nserde = { version = "1", features = ["derive"] }\n'
        'serde_json = { version = "1", features = ["preserve_order"] }\n\n[workspace]\n'
    )
    source = ["#![allow(dead_code)]\n"]
    if variant == "object":
        source.append(OBJECT_RUNTIME)
    source.extend(struct_source(variant, i) for i in range(STRUCTS))
    (crate / "src" / "lib.rs").write_text("".join(source))
    return crate


def cargo(crate, command):
    env = dict(os.environ, CARGO_TARGET_DIR=str(TARGET))
    (crate / "src" / "lib.rs").touch()
    start = time.monotonic()
    subprocess.run(["cargo", command, "--quiet"], cwd=crate, env=env, check=True, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def main():
    variants = ["none", "derive", "compact", "object"]
    crates = {v: write_crate(v) for v in variants}
    # Dependencies first, so only the crates themselves are timed.
    cargo(crates["none"], "build")
    cargo(crates["none"], "check")
    rows = [(v, cargo(crates[v], "check"), cargo(crates[v], "build")) for v in variants]
    print(f"{STRUCTS} structs x {FIELDS} fields")
    print("| Deserialize | cargo check | cargo build | build vs derive |")
    print("|---|---:|---:|---:|")
    derive_build = dict((v, b) for v, _, b in rows)["derive"]
    for variant, check, build in rows:
        print(f"| {variant} | {check:.1f} s | {build:.1f} s | {build / derive_build:.2f}x |")


if __name__ == "__main__":
    main()
