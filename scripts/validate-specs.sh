#!/usr/bin/env bash
# Validate every OpenAPI document in specs/:
#   1. openapi-spec-validator (structure of an OpenAPI 3.0 document, $refs resolve);
#   2. an example check: every `example`/`examples` value in the document (component schemas, request and
#      response bodies, parameters, headers) is plain JSON and validates against its schema (OAS 3.0 rules:
#      nullable, readOnly in requests, writeOnly in responses, formats), and every component schema carries an
#      `example` (the test-suite round-trips each model through serde with it; Prism serves the first example).
#
# The tools are installed into target/test-tools/venv (created on first use) from scripts/requirements.txt.
# Usage: bash scripts/validate-specs.sh [spec.yaml ...]   (default: specs/*.yaml)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/target/test-tools/venv"
REQS="$ROOT/scripts/requirements.txt"

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "creating venv $VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV"
fi
# Reinstall only when requirements.txt changed since the last successful install.
STAMP="$VENV/.requirements.sha256"
WANT="$(sha256sum "$REQS" | cut -d' ' -f1)"
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$WANT" ]]; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQS"
  echo "$WANT" > "$STAMP"
fi

if [[ $# -gt 0 ]]; then
  SPECS=("$@")
else
  shopt -s nullglob
  SPECS=("$ROOT"/specs/*.yaml)
  shopt -u nullglob
fi
if [[ ${#SPECS[@]} -eq 0 ]]; then
  echo "no specs found in $ROOT/specs" >&2
  exit 1
fi

failed=0
passed=0
for spec in "${SPECS[@]}"; do
  name="${spec#"$ROOT"/}"
  ok=1
  if ! out="$("$VENV/bin/openapi-spec-validator" "$spec" 2>&1)"; then
    echo "FAIL $name (openapi-spec-validator)"
    echo "$out" | sed 's/^/    /'
    ok=0
  fi
  if ! out="$("$VENV/bin/python" - "$spec" 2>&1 <<'PY'
import datetime
import email.utils
import re
import sys
import urllib.parse

import yaml
from jsonschema import FormatChecker
from openapi_schema_validator import OAS30ReadValidator, OAS30Validator, OAS30WriteValidator
from openapi_schema_validator._format import is_int32, is_int64

path = sys.argv[1]
try:
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
except yaml.YAMLError as e:
    print(f"not valid YAML: {e}")
    sys.exit(1)

fmt = FormatChecker()  # date-time (rfc3339-validator), uuid, email, ipv4, ...
fmt.checks("int32")(is_int32)
fmt.checks("int64")(is_int64)

RFC1123 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$")

@fmt.checks("date-time-rfc1123")
def _rfc1123(value):
    if not isinstance(value, str):
        return True
    return bool(RFC1123.match(value)) and email.utils.parsedate_to_datetime(value) is not None

@fmt.checks("uri")
def _uri(value):
    if not isinstance(value, str):
        return True
    u = urllib.parse.urlsplit(value)
    return bool(u.scheme) and bool(u.netloc)

errors = []

def json_native(value, where):
    """YAML can produce values JSON cannot hold (an unquoted timestamp becomes a datetime)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        errors.append(f"{where}: YAML timestamp {value!r} — quote it so every reader sees a string")
    elif isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                errors.append(f"{where}: non-string key {k!r}")
            json_native(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            json_native(v, f"{where}[{i}]")
    elif value is not None and not isinstance(value, (str, bool, int, float)):
        errors.append(f"{where}: value of type {type(value).__name__} is not JSON")

def check(schema, value, where, validator=OAS30Validator):
    """Validate `value` against `schema`, resolving `#/components/...` references in the whole document.

    The document itself is the root schema resource (its top-level keys are no JSON Schema keywords), with the
    schema to check merged on top, so local references resolve as they do in the spec.
    """
    json_native(value, where)
    if schema is None:
        return
    root = dict(doc)
    root.update(schema)
    v = validator(root, format_checker=fmt)
    for e in sorted(v.iter_errors(value), key=lambda e: list(e.absolute_path)):
        loc = "".join(f"[{p!r}]" for p in e.absolute_path)
        errors.append(f"{where}{loc}: {e.message}")

def deref(obj):
    seen = 0
    while isinstance(obj, dict) and "$ref" in obj:
        ref = obj["$ref"]
        if not ref.startswith("#/"):
            errors.append(f"external $ref not supported by this check: {ref}")
            return {}
        obj = doc
        for tok in ref[2:].split("/"):
            obj = obj[tok.replace("~1", "/").replace("~0", "~")]
        seen += 1
        if seen > 20:
            errors.append(f"$ref loop at {ref}")
            return {}
    return obj

def check_example_holder(holder, schema, where, validator):
    if "example" in holder:
        check(schema, holder["example"], f"{where}.example", validator)
    for name, ex in (holder.get("examples") or {}).items():
        ex = deref(ex)
        if "value" in ex:
            check(schema, ex["value"], f"{where}.examples.{name}", validator)

def check_media(content, where, validator):
    for mt, media in (content or {}).items():
        check_example_holder(media, media.get("schema"), f"{where}.content[{mt}]", validator)

components = doc.get("components") or {}
for name, schema in (components.get("schemas") or {}).items():
    where = f"components.schemas.{name}"
    if "example" not in schema:
        errors.append(f"{where}: no `example` (every model needs one)")
    else:
        check({"$ref": f"#/components/schemas/{name}"}, schema["example"], f"{where}.example")

def check_parameter(p, where):
    p = deref(p)
    check_example_holder(p, p.get("schema"), f"{where}[{p.get('in')}:{p.get('name')}]", OAS30Validator)

for ppath, item in (doc.get("paths") or {}).items():
    for p in item.get("parameters") or []:
        check_parameter(p, f"paths[{ppath}].parameters")
    for method, op in item.items():
        if method not in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
            continue
        where = f"{method.upper()} {ppath}"
        for p in op.get("parameters") or []:
            check_parameter(p, f"{where} parameters")
        if "requestBody" in op:
            check_media(deref(op["requestBody"]).get("content"), f"{where} requestBody", OAS30WriteValidator)
        for status, resp in (op.get("responses") or {}).items():
            resp = deref(resp)
            check_media(resp.get("content"), f"{where} response {status}", OAS30ReadValidator)
            for hname, h in (resp.get("headers") or {}).items():
                h = deref(h)
                hwhere = f"{where} response {status} header {hname}"
                if "example" not in h and "examples" not in h:
                    errors.append(f"{hwhere}: no `example`")
                check_example_holder(h, h.get("schema"), hwhere, OAS30Validator)

if errors:
    print("\n".join(errors))
    sys.exit(1)
PY
)"; then
    echo "FAIL $name (examples)"
    echo "$out" | sed 's/^/    /'
    ok=0
  fi
  if [[ $ok -eq 1 ]]; then
    echo "OK   $name"
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
