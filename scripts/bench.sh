#!/usr/bin/env bash
# Benchmarks restsmith side by side with progenitor (cargo-progenitor, crates.io) and
# openapi-generator (openapi-generator-cli -g rust, PyPI), in one run, and prints the table that
# BENCHMARKS.md records:
#
#   bash scripts/bench.sh                  # everything (about an hour on 2 cores)
#   bash scripts/bench.sh --no-build       # generation only (a few minutes)
#   bash scripts/bench.sh --only github,azure-aks --runs 3
#
# For every input (the five specs, the three upstream Azure files, GitHub's REST API description
# and a copy of it trimmed until progenitor accepts it) and every tool that accepts it:
#   generation: wall time (hyperfine, mean ± σ over --runs runs after a warm-up), CPU time and
#               peak RSS (/usr/bin/time -v, one run);
#   build:      `cargo build` (dev profile) of the generated crate alone, its dependencies
#               prebuilt in the shared CARGO_TARGET_DIR target/bench-build (a stub lib.rs is
#               built first): wall, CPU, peak RSS of the compiler, warnings, and seconds per 100
#               operations;
#   floor:      restsmith's own phases and the floor (parse the spec alone + format the output
#               alone with syn + prettyplease), from scripts/bench/phases.
# Ratios are the peer's figure over restsmith's (">1" = restsmith is faster / smaller).
#
# Installs, once, into target/bench-tools: cargo-progenitor (cargo install, ~9 min on 2 cores),
# openapi-generator-cli (pip, in a venv; needs java). Needs hyperfine and GNU time (apt-get
# install hyperfine time), python3, node/npm (GitHub's spec comes from @octokit/openapi in
# tools/harness). Results: target/bench/results.md (+ .tsv and logs in target/bench/run/).
# Not part of the test command.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
TOOLS="$ROOT/target/bench-tools"
RUN="$ROOT/target/bench/run"
BUILD_TARGET="$ROOT/target/bench-build"
PROGENITOR_VERSION=0.15.1
OAG_VERSION=7.26.0
RUNS=5
BUILD=1
ONLY=""

while [ $# -gt 0 ]; do
  case $1 in
    --no-build) BUILD=0 ;;
    --runs) RUNS=$2; shift ;;
    --only) ONLY=$2; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

die() { echo "error: $*" >&2; exit 1; }
note() { echo "--- $*" >&2; }

command -v hyperfine >/dev/null || die "hyperfine not found (apt-get install hyperfine)"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"
command -v java >/dev/null || die "java not found: openapi-generator needs a JRE (apt-get install default-jre-headless)"
mkdir -p "$TOOLS" "$RUN"

# ---- tools -------------------------------------------------------------------------------
note "building restsmith (release) and the phase timer into target/bench"
CARGO_TARGET_DIR="$ROOT/target/bench" cargo build --quiet --release --bin restsmith
CARGO_TARGET_DIR="$ROOT/target/bench" cargo build --quiet --release --manifest-path scripts/bench/phases/Cargo.toml
RESTSMITH="$ROOT/target/bench/release/restsmith"
PHASES="$ROOT/target/bench/release/restsmith-phases"

PROGENITOR="$TOOLS/progenitor/bin/cargo-progenitor"
if [ ! -x "$PROGENITOR" ]; then
  note "installing cargo-progenitor $PROGENITOR_VERSION (once; ~9 min on 2 cores)"
  start=$SECONDS
  CARGO_TARGET_DIR="$TOOLS/progenitor-build" cargo install --quiet --locked cargo-progenitor --version "$PROGENITOR_VERSION" --root "$TOOLS/progenitor"
  rm -rf "$TOOLS/progenitor-build"
  note "cargo-progenitor installed in $((SECONDS - start)) s"
fi
OAG="$TOOLS/venv/bin/openapi-generator-cli"
if [ ! -x "$OAG" ]; then
  note "installing openapi-generator-cli $OAG_VERSION (once)"
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install --quiet "openapi-generator-cli==$OAG_VERSION"
fi

GITHUB="$ROOT/tools/harness/node_modules/@octokit/openapi/generated/api.github.com.json"
if [ ! -f "$GITHUB" ]; then
  note "npm ci in tools/harness (for @octokit/openapi)"
  (cd tools/harness && npm ci --no-audit --no-fund)
fi
GITHUB_TRIMMED="$RUN/github-trimmed.json"
if [ ! -f "$GITHUB_TRIMMED" ] || [ "$GITHUB" -nt "$GITHUB_TRIMMED" ]; then
  note "trimming GitHub's spec until progenitor accepts it"
  python3 scripts/bench/trim_for_progenitor.py "$GITHUB" "$GITHUB_TRIMMED" "$PROGENITOR" >&2
fi

UPSTREAM="$ROOT/../shared/upstream/specification"
INPUTS=(
  "azure-aks|$ROOT/specs/azure-aks.yaml"
  "azure-batch|$ROOT/specs/azure-batch.yaml"
  "azure-scvmm|$ROOT/specs/azure-scvmm.yaml"
  "neutonos-sddc|$ROOT/specs/neutonos-sddc.yaml"
  "volcengine-ecs|$ROOT/specs/volcengine-ecs.yaml"
  "upstream-scvmm|$UPSTREAM/scvmm/resource-manager/Microsoft.ScVmm/stable/2024-06-01/scvmm.json"
  "upstream-aks|$UPSTREAM/containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2024-09-01/managedClusters.json"
  "upstream-batch|$UPSTREAM/batch/data-plane/Microsoft.Batch/stable/2020-09-01.12.0/BatchService.json"
  "github|$GITHUB"
  "github-trimmed|$GITHUB_TRIMMED"
)
TOOL_NAMES=(restsmith progenitor openapi-generator)

wanted() {
  [ -z "$ONLY" ] && return 0
  case ",$ONLY," in *",$1,"*) return 0 ;; esac
  return 1
}

# The generation command of a tool for an input, writing into $3.
gen_cmd() {
  local tool=$1 spec=$2 out=$3 name=$4
  case $tool in
    restsmith)
      # GitHub's API: one cargo feature per tag (what a user of so large an API wants).
      local extra=""
      case $name in bench-github*) extra=" --features-per-tag" ;; esac
      echo "$RESTSMITH generate --quiet --spec $spec --out $out --crate-name $name$extra" ;;
    progenitor) echo "$PROGENITOR progenitor -i $spec -o $out -n $name -v 0.1.0" ;;
    # (The API version, e.g. 2020-04-01, is not a crate version: give one.)
    openapi-generator) echo "$OAG generate -g rust -i $spec -o $out --package-name $name --additional-properties=packageVersion=0.1.0" ;;
  esac
}

operations_in() {
  python3 - "$1" <<'EOF'
import json, sys
path = sys.argv[1]
text = open(path).read()
if path.endswith((".yaml", ".yml")):
    import re
    # no PyYAML needed: count operationIds (every operation of our specs has one)
    print(len(re.findall(r"^\s+operationId:", text, re.M)))
else:
    # Azure's files may carry trailing commas (restsmith accepts them with a warning).
    import re
    doc = json.loads(re.sub(r",(\s*[}\]])", r"\1", text))
    m = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
    print(sum(1 for item in doc.get("paths", {}).values() for k in item if k in m))
EOF
}

# /usr/bin/time -v fields of a log: wall seconds, CPU seconds, peak RSS MiB.
time_fields() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
    /User time/ { u = $2 } /System time/ { s = $2 }
    /Maximum resident set size/ { m = $2 / 1024 }
    END { printf "%.2f\t%.2f\t%.0f\n", w, u + s, m }' "$1"
}

RESULTS="$RUN/results.tsv"
echo -e "input\ttool\toperations\tstatus\tgen_mean_s\tgen_sd_s\tgen_cpu_s\tgen_rss_mib\tbuild_wall_s\tbuild_cpu_s\tbuild_rss_mib\tbuild_warnings\tbuild_status\tnote" >"$RESULTS"
FLOOR="$RUN/floor.jsonl"
: >"$FLOOR"

for entry in "${INPUTS[@]}"; do
  input=${entry%%|*}
  spec=${entry#*|}
  wanted "$input" || continue
  [ -f "$spec" ] || { note "skipping $input: $spec is missing"; continue; }
  ops=$(operations_in "$spec")
  for tool in "${TOOL_NAMES[@]}"; do
    name=$(echo "bench-$input-$tool" | tr -c 'a-z0-9\n' '-')
    out="$RUN/out/$input/$tool"
    log="$RUN/logs/$input.$tool"
    mkdir -p "$(dirname "$log")"
    cmd=$(gen_cmd "$tool" "$spec" "$out" "$name")
    note "$input / $tool: generating"
    rm -rf "$out"
    status=ok
    # shellcheck disable=SC2086
    if ! /usr/bin/time -v -o "$log.time" $cmd >"$log.gen" 2>&1 || [ ! -d "$out" ]; then
      status=failed
    fi
    reason=""
    if [ $status = failed ]; then
      if grep -q "panicked at" "$log.gen"; then
        reason="panic: $(grep -m1 -A1 "panicked at" "$log.gen" | tail -1)"
      else
        reason=$(grep -m1 -E "rror|xception" "$log.gen" || true)
      fi
      reason=$(echo "$reason" | cut -c1-160 | tr '\t' ' ')
      [ -n "$reason" ] || reason="exit $(grep 'Exit status' "$log.time" | awk '{print $3}')"
      echo -e "$input\t$tool\t$ops\tfailed\t\t\t\t\t\t\t\t\t\t$reason" >>"$RESULTS"
      note "$input / $tool: failed: $reason"
      continue
    fi
    IFS=$'\t' read -r _ gen_cpu gen_rss < <(time_fields "$log.time")
    hyperfine --runs "$RUNS" --warmup 1 --prepare "rm -rf $out" --export-json "$log.hyperfine.json" "$cmd" >"$log.hyperfine" 2>&1 \
      || die "hyperfine failed for $input / $tool: see $log.hyperfine"
    read -r mean sd < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f %.3f" % (r["mean"], r["stddev"] or 0))' "$log.hyperfine.json")
    if [ "$tool" = restsmith ]; then
      "$PHASES" "$spec" "$RUN/out/phases" 3 >>"$FLOOR"
    fi
    b_wall="" b_cpu="" b_rss="" b_warn="" b_status=""
    # On the trimmed copy progenitor's crate is built, and restsmith's beside it for the same
    # input (openapi-generator's is built from the whole spec).
    if [ $BUILD = 1 ] && { [ "$input" != github-trimmed ] || [ "$tool" != openapi-generator ]; }; then
      note "$input / $tool: building the generated crate (dependencies first)"
      crate="$RUN/build/$input/$tool"
      rm -rf "$crate"
      mkdir -p "$(dirname "$crate")"
      cp -r "$out" "$crate"
      grep -q '^\[workspace\]' "$crate/Cargo.toml" || printf '\n[workspace]\n' >>"$crate/Cargo.toml"
      mv "$crate/src" "$crate/src.real"
      mkdir "$crate/src"
      echo "" >"$crate/src/lib.rs"
      (cd "$crate" && CARGO_TARGET_DIR="$BUILD_TARGET" cargo build --quiet >"$log.deps" 2>&1) || true
      rm -rf "$crate/src"
      mv "$crate/src.real" "$crate/src"
      find "$crate/src" -name '*.rs' -exec touch {} +
      if (cd "$crate" && CARGO_TARGET_DIR="$BUILD_TARGET" /usr/bin/time -v -o "$log.build.time" cargo build >"$log.build" 2>&1); then
        b_status=ok
      else
        b_status=failed
      fi
      IFS=$'\t' read -r b_wall b_cpu b_rss < <(time_fields "$log.build.time")
      b_warn=$(grep -c '^warning' "$log.build" || true)
      note "$input / $tool: build $b_status in ${b_wall}s (${b_rss} MiB), $b_warn warning lines"
      # restsmith's GitHub crate again, as a user of two tags builds it.
      if [ "$tool" = restsmith ] && [ "$input" = github ]; then
        find "$crate/src" -name '*.rs' -exec touch {} +
        # A fresh incremental directory, as for the full build before it.
        rm -rf "$BUILD_TARGET/debug/incremental"
        if (cd "$crate" && CARGO_TARGET_DIR="$BUILD_TARGET" /usr/bin/time -v -o "$log.build-issues-pulls.time" cargo build --no-default-features --features issues,pulls >"$log.build-issues-pulls" 2>&1); then
          f_status=ok
        else
          f_status=failed
        fi
        IFS=$'\t' read -r f_wall f_cpu f_rss < <(time_fields "$log.build-issues-pulls.time")
        f_warn=$(grep -c '^warning' "$log.build-issues-pulls" || true)
        echo -e "$input\trestsmith (features issues,pulls)\t$ops\tok\t\t\t\t\t$f_wall\t$f_cpu\t$f_rss\t$f_warn\t$f_status\t" >>"$RESULTS"
        note "$input / restsmith (issues,pulls): build $f_status in ${f_wall}s (${f_rss} MiB)"
      fi
    fi
    echo -e "$input\t$tool\t$ops\t$status\t$mean\t$sd\t$gen_cpu\t$gen_rss\t$b_wall\t$b_cpu\t$b_rss\t$b_warn\t$b_status\t" >>"$RESULTS"
  done
done

python3 scripts/bench/table.py "$RESULTS" "$FLOOR" | tee "$ROOT/target/bench/results.md"
