#!/usr/bin/env python3
"""Trims an OpenAPI 3.0 JSON document until cargo-progenitor generates a crate from it.

progenitor 0.15 panics on some constructs (`todo!`): request bodies with several media types,
media types with an encoding or without a schema, … and its crate does not compile when two
schemas share a `title` or a union component is nullable. This removes schema titles and
`nullable` from union components, drops every operation that has one of
those constructs, then runs progenitor and drops the operation each further panic or error names, until it
succeeds (or nothing named is left to drop). The dropped operations and the reasons are written
beside the output as <out>.dropped.tsv.

usage: trim_for_progenitor.py SPEC.json OUT.json PROGENITOR_BINARY
"""
import json
import os
import re
import subprocess
import sys
import tempfile

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations(doc):
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def deref(doc, obj):
    while isinstance(obj, dict) and "$ref" in obj:
        parts = obj["$ref"].lstrip("#/").split("/")
        obj = doc
        for p in parts:
            obj = obj[p.replace("~1", "/").replace("~0", "~")]
    return obj


def response_kind(doc, response):
    response = deref(doc, response)
    content = (response or {}).get("content") or {}
    if not content:
        return "none"
    for media, mt in content.items():
        if "json" in media:
            return json.dumps(deref(doc, mt.get("schema")), sort_keys=True)
    return "raw"


def static_reason(doc, op):
    responses = op.get("responses", {})
    success = {response_kind(doc, r) for code, r in responses.items() if str(code).startswith("2")}
    errors = {response_kind(doc, r) for code, r in responses.items() if str(code)[0] in "45" or code == "default"}
    if len(success) > 1:
        return f"success responses of {len(success)} different types (assert in progenitor)"
    if len(errors) > 1:
        return f"error responses of {len(errors)} different types (assert in progenitor)"
    body = deref(doc, op.get("requestBody"))
    if isinstance(body, dict):
        content = body.get("content", {})
        if len(content) > 1:
            return f"request body with {len(content)} media types (todo! in progenitor)"
        for mt in content.values():
            if "schema" not in mt:
                return "request body media type without a schema"
            if mt.get("encoding"):
                return "request body media type with an encoding (todo! in progenitor)"
    return None


def normalized(value):
    return re.sub(r"[^0-9a-z]", "", str(value).lower())


def relax_colliding_enums(node, pointer, relaxed):
    """typify panics on enums whose values collide once reduced to identifier characters
    (`+1` and `-1`): such enums become plain strings (recorded in the dropped list)."""
    if isinstance(node, dict):
        values = node.get("enum")
        if isinstance(values, list) and len({normalized(v) for v in values}) < len(values):
            del node["enum"]
            relaxed.append((pointer, f"enum {values[:6]} relaxed to its type (values collide as identifiers)"))
        for k, v in node.items():
            relax_colliding_enums(v, f"{pointer}/{k}", relaxed)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            relax_colliding_enums(v, f"{pointer}/{i}", relaxed)


def drop_titles(node):
    """typify names a type after its schema's `title`, and GitHub gives pairs like `milestone`
    and `nullable-milestone` the same title, so progenitor's crate declares such types twice and
    does not compile. Titles are documentation only: remove them (under `components` and
    `paths`; `info.title` stays) so types are named after their component keys. Returns how many."""
    count = 0
    if isinstance(node, dict):
        if isinstance(node.get("title"), str):
            del node["title"]
            count += 1
        for v in node.values():
            count += drop_titles(v)
    elif isinstance(node, list):
        for v in node:
            count += drop_titles(v)
    return count


def unnull_union_components(doc):
    """typify declares a nullable oneOf/anyOf component and its inner enum under one name (a
    duplicate type): such components lose `nullable` (the rest of the document keeps it).
    Returns their names."""
    names = [k for k, v in doc.get("components", {}).get("schemas", {}).items()
             if isinstance(v, dict) and v.get("nullable") is True and ("oneOf" in v or "anyOf" in v)]
    for k in names:
        del doc["components"]["schemas"][k]["nullable"]
    return names


def drop(doc, op_id):
    for path, method, op in list(operations(doc)):
        if op.get("operationId") == op_id:
            del doc["paths"][path][method]
            if not any(m in doc["paths"][path] for m in METHODS):
                del doc["paths"][path]
            return True
    return False


def main():
    spec, out, progenitor = sys.argv[1:4]
    doc = json.load(open(spec))
    dropped = []
    relax_colliding_enums(doc, "#", dropped)
    titles = drop_titles(doc.get("components", {})) + drop_titles(doc.get("paths", {}))
    dropped.append(("(schema titles)", f"{titles} `title` keywords removed (typify names types after them; same-titled schemas collide)"))
    for name in unnull_union_components(doc):
        dropped.append((f"#/components/schemas/{name}", "`nullable` removed (typify declares the nullable union and its enum under one name)"))
    for path, method, op in list(operations(doc)):
        reason = static_reason(doc, op)
        if reason:
            dropped.append((op.get("operationId", f"{method} {path}"), reason))
            drop(doc, op.get("operationId"))
    ids = {op.get("operationId") for _, _, op in operations(doc)}
    for attempt in range(200):
        json.dump(doc, open(out, "w"))
        with tempfile.TemporaryDirectory() as tmp:
            run = subprocess.run(
                [progenitor, "progenitor", "-i", out, "-o", os.path.join(tmp, "c"), "-n", "trimmed", "-v", "0.1.0"],
                capture_output=True, text=True,
            )
        if run.returncode == 0:
            break
        message = (run.stderr + run.stdout).strip()
        first = next((l for l in message.splitlines() if "panicked" in l or "rror" in l), "")
        detail = message.splitlines()[message.splitlines().index(first) + 1] if "panicked" in first else first
        named = [i for i in ids if i and re.search(r"(?<![\w/-])" + re.escape(i) + r"(?![\w/-])", message)]
        if not named:
            sys.exit(f"progenitor fails and names no operation we can drop:\n{message[-3000:]}")
        for i in named:
            drop(doc, i)
            ids.discard(i)
            dropped.append((i, detail.strip()[:200]))
    else:
        sys.exit("gave up after 200 attempts")
    with open(out + ".dropped.tsv", "w") as f:
        for op_id, reason in dropped:
            f.write(f"{op_id}\t{reason}\n")
    total = sum(1 for _ in operations(json.load(open(spec))))
    kept = sum(1 for _ in operations(doc))
    print(f"{out}: {kept} of {total} operations kept, {total - kept} dropped (see {out}.dropped.tsv)")


if __name__ == "__main__":
    main()
