#!/usr/bin/env python3
"""Turns scripts/bench.sh's results.tsv and floor.jsonl into the Markdown tables of BENCHMARKS.md.

Ratios are the peer's figure over restsmith's: "14.2x" means the peer takes 14.2 times as long
(or as much memory) as restsmith on the same input.
"""
import csv
import json
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
floors = {}
for line in open(sys.argv[2]):
    if line.strip():
        f = json.loads(line)
        floors[f["spec"]] = f

TOOLS = ["restsmith", "progenitor", "openapi-generator"]
inputs = []
for r in rows:
    if r["input"] not in inputs:
        inputs.append(r["input"])
by = {(r["input"], r["tool"]): r for r in rows}


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def ratio(peer, ours):
    if peer is None or ours is None or ours == 0:
        return ""
    return f" ({peer / ours:.1f}x)"


def gen_cell(r, ours):
    if r is None:
        return "—"
    if r["status"] != "ok":
        return "fails: " + (r["note"] or "?").replace("|", "/")[:90]
    mean, sd = num(r["gen_mean_s"]), num(r["gen_sd_s"])
    return f"{mean:.3f} ± {sd:.3f} s" + ("" if r["tool"] == "restsmith" else ratio(mean, ours))


def rss_cell(r, ours):
    if r is None or r["status"] != "ok":
        return "—"
    v = num(r["gen_rss_mib"])
    return f"{v:.0f} MiB" + ("" if r["tool"] == "restsmith" else ratio(v, ours))


print("### Generation: wall time (mean ± σ) and peak memory; ratio = peer / restsmith\n")
print("| input | operations | " + " | ".join(f"{t} time" for t in TOOLS) + " | " + " | ".join(f"{t} peak RSS" for t in TOOLS) + " |")
print("|---|---:|" + "---:|" * (2 * len(TOOLS)))
for i in inputs:
    ours = by.get((i, "restsmith"))
    ours_t = num(ours["gen_mean_s"]) if ours and ours["status"] == "ok" else None
    ours_m = num(ours["gen_rss_mib"]) if ours and ours["status"] == "ok" else None
    ops = next((by[(i, t)]["operations"] for t in TOOLS if (i, t) in by), "")
    cells = [gen_cell(by.get((i, t)), ours_t) for t in TOOLS] + [rss_cell(by.get((i, t)), ours_m) for t in TOOLS]
    print(f"| {i} | {ops} | " + " | ".join(cells) + " |")

print("\n### Build of the generated crate alone (`cargo build`, dev profile, dependencies prebuilt)\n")
print("| input | tool | operations | wall | CPU | peak RSS (rustc) | s per 100 ops (wall) | warnings | vs restsmith (wall, RSS) |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for i in inputs:
    ours = by.get((i, "restsmith"))
    for t in [r["tool"] for r in rows if r["input"] == i]:
        r = by.get((i, t))
        if r is None or r["status"] != "ok" or not r["build_status"]:
            continue
        wall, cpu, rss = num(r["build_wall_s"]), num(r["build_cpu_s"]), num(r["build_rss_mib"])
        ops = num(r["operations"]) or 0
        per100 = f"{wall / ops * 100:.1f}" if ops else ""
        status = "" if r["build_status"] == "ok" else " **(fails)**"
        vs = ""
        if t != "restsmith" and ours and ours["build_status"] == "ok":
            vs = f"{wall / num(ours['build_wall_s']):.2f}x, {rss / num(ours['build_rss_mib']):.2f}x"
        print(f"| {i} | {t} | {r['operations']} | {wall:.1f} s{status} | {cpu:.1f} s | {rss:.0f} MiB | {per100} | {r['build_warnings']} | {vs} |")

print("\n### restsmith's phases and the floor (median ms; floor = parse the spec alone + format the output alone)\n")
print("| input | parse | load | ir | codegen | write | restsmith total | format (syn + prettyplease) | floor | total / floor |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for spec, f in floors.items():
    label = spec.split("/")[-1]
    print(f"| {label} | {f['parse']:.1f} | {f['load']:.1f} | {f['ir']:.1f} | {f['codegen']:.1f} | {f['write']:.1f} | {f['total']:.1f} | {f['format']:.1f} | {f['floor']:.1f} | {f['total_over_floor']:.2f} |")
