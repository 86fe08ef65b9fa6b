#!/usr/bin/env bash
# The test command (named in README.md, called by .ci/run):
#
#   bash scripts/test.sh
#
# Installs the test tools it needs into ignored folders, then runs every check:
#   tools/harness/node_modules   Prism + the AutoRest test server (npm ci from package-lock.json)
#   target/test-tools/venv       Python spec validator (pip, scripts/requirements.txt)
#   target/test-tools/cargo-semver-checks   cargo-semver-checks (cargo install --locked, for tests/diff.rs)
# Tests that need a server start it themselves (tests/support/mod.rs) on a free loopback
# port and stop it by PID. No test is skipped: a missing tool fails the run.
# Needs: bash, cargo (+ clippy), node >= 18 with npm, python3 >= 3.9 with venv; network
# access to the npm registry, PyPI and crates.io on the first run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
TOOLS="$ROOT/target/test-tools"
HARNESS="$ROOT/tools/harness"
VENV="$TOOLS/venv"
mkdir -p "$TOOLS"

export NPM_CONFIG_UPDATE_NOTIFIER=false
export PIP_DISABLE_PIP_VERSION_CHECK=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# ---- step bookkeeping: a header per step, elapsed time per step, a summary on exit ----
RUN_START=$SECONDS
STEP_NAME=""
STEP_START=0
SUMMARY=""

end_step() {
  if [ -n "$STEP_NAME" ]; then
    local took=$((SECONDS - STEP_START))
    echo "--- ${STEP_NAME}: done in ${took}s"
    SUMMARY="${SUMMARY}$(printf '  %5ss  %s' "$took" "$STEP_NAME")"$'\n'
  fi
  STEP_NAME=""
}

step() {
  end_step
  STEP_NAME=$1
  STEP_START=$SECONDS
  echo
  echo "=== ${STEP_NAME}"
}

on_exit() {
  local rc=$?
  if [ "$rc" -eq 0 ]; then
    end_step
  elif [ -n "$STEP_NAME" ]; then
    SUMMARY="${SUMMARY}$(printf '  %5ss  %s  <-- FAILED (exit %s)' "$((SECONDS - STEP_START))" "$STEP_NAME" "$rc")"$'\n'
  fi
  echo
  echo "=== Summary (total $((SECONDS - RUN_START))s)"
  printf '%s' "$SUMMARY"
  if [ "$rc" -ne 0 ]; then
    echo "scripts/test.sh FAILED (exit $rc)"
  fi
}
trap on_exit EXIT

die() {
  echo "error: $*" >&2
  exit 1
}

# ---- (a) JS test servers -------------------------------------------------------------
step "(a) npm ci in tools/harness (Prism, AutoRest test server)"
command -v node >/dev/null || die "node not found: install Node.js >= 18 (e.g. 'apt-get install nodejs npm')"
command -v npm >/dev/null || die "npm not found: install npm (e.g. 'apt-get install npm')"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || die "node $(node --version) is too old: the test servers need Node.js >= 18"
echo "node $(node --version), npm $(npm --version)"
NPM_STAMP="$HARNESS/node_modules/.restsmith-npm-ci.stamp"
if [ ! -f "$NPM_STAMP" ] || [ "$HARNESS/package-lock.json" -nt "$NPM_STAMP" ] \
  || [ "$HARNESS/package.json" -nt "$NPM_STAMP" ]; then
  (cd "$HARNESS" && npm ci --no-audit --no-fund)
  touch "$NPM_STAMP"
else
  echo "up to date (tools/harness/node_modules is newer than package-lock.json)"
fi
for entry in @stoplight/prism-cli/dist/index.js @microsoft.azure/autorest.testserver/dist/cli/cli.js; do
  [ -f "$HARNESS/node_modules/$entry" ] \
    || die "tools/harness/node_modules/$entry missing after npm ci: delete tools/harness/node_modules and rerun"
done

# ---- (b) Python tools + spec validation ----------------------------------------------
step "(b) Python venv target/test-tools/venv (pip install -r scripts/requirements.txt)"
PYTHON=""
for candidate in python3.11 python3 python; do
  if command -v "$candidate" >/dev/null \
    && "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
    PYTHON=$candidate
    break
  fi
done
[ -n "$PYTHON" ] || die "no python3 >= 3.9 with the venv module: install one (e.g. 'apt-get install python3 python3-venv')"
REQS="$ROOT/scripts/requirements.txt"
[ -f "$REQS" ] || die "scripts/requirements.txt is missing"
if ! "$VENV/bin/python" -c '' 2>/dev/null; then
  echo "creating $VENV with $("$PYTHON" --version 2>&1)"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi
# Same stamp as scripts/validate-specs.sh (sha256 of requirements.txt), so neither reinstalls
# what the other just installed.
PIP_STAMP="$VENV/.requirements.sha256"
want=$("$VENV/bin/python" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$REQS")
if [ ! -f "$PIP_STAMP" ] || [ "$(cat "$PIP_STAMP")" != "$want" ]; then
  "$VENV/bin/python" -m pip install --quiet -r "$REQS"
  echo "$want" >"$PIP_STAMP"
else
  echo "up to date (scripts/requirements.txt unchanged since the last install)"
fi

step "(b2) bash scripts/validate-specs.sh (OpenAPI documents in specs/)"
[ -f "$ROOT/scripts/validate-specs.sh" ] || die "scripts/validate-specs.sh is missing"
bash "$ROOT/scripts/validate-specs.sh"

# ---- (b3) cargo-semver-checks (tests/diff.rs checks restsmith's Rust verdicts with it) -------
step "(b3) cargo-semver-checks into target/test-tools/cargo-semver-checks"
# Built from crates.io (no prebuilt binary can be fetched here) without its release profile's
# fat LTO and single codegen unit, which only make the build slower; later runs reuse the
# binary. 0.51 reads the rustdoc JSON format of rustc 1.95.
SEMVER_CHECKS_VERSION=0.51.0
SEMVER_CHECKS_ROOT="$TOOLS/cargo-semver-checks"
SEMVER_CHECKS="$SEMVER_CHECKS_ROOT/bin/cargo-semver-checks"
if [ -x "$SEMVER_CHECKS" ] && "$SEMVER_CHECKS" semver-checks --version 2>/dev/null | grep -q " $SEMVER_CHECKS_VERSION\$"; then
  echo "up to date ($("$SEMVER_CHECKS" semver-checks --version))"
else
  CARGO_TARGET_DIR="$TOOLS/cargo-semver-checks-build" CARGO_PROFILE_RELEASE_LTO=false \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo install cargo-semver-checks --version "$SEMVER_CHECKS_VERSION" --locked --root "$SEMVER_CHECKS_ROOT"
  rm -rf "$TOOLS/cargo-semver-checks-build"
  "$SEMVER_CHECKS" semver-checks --version
fi
export RESTSMITH_SEMVER_CHECKS="$SEMVER_CHECKS"

# ---- (c) environment for the tests ---------------------------------------------------
step "(c) environment for the tests"
export RESTSMITH_TOOLS_DIR="$HARNESS/node_modules"
export RESTSMITH_VENV="$VENV"
rm -rf "$TOOLS/logs" "$TOOLS/autorest-coverage" # per-run server logs and coverage
mkdir -p "$TOOLS/logs"
echo "RESTSMITH_TOOLS_DIR=$RESTSMITH_TOOLS_DIR"
echo "RESTSMITH_VENV=$RESTSMITH_VENV"
echo "server logs: target/test-tools/logs/"

# ---- (d) generated/ in step with specs/ ----------------------------------------------
step "(d) cargo run -- check (generated/ is up to date)"
cargo run --quiet -- check

# ---- (e) tests -------------------------------------------------------------------------
step "(e) cargo test --workspace --all-targets"
cargo test --workspace --all-targets

step "(e2) cargo test --workspace --doc"
cargo test --workspace --doc

# ---- (f) lints -------------------------------------------------------------------------
step "(f) cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "(f2) cargo clippy of fuzz/ and scripts/bench/phases (workspaces of their own)"
# --locked: their Cargo.lock files must be up to date with restsmith's dependencies.
cargo clippy --manifest-path fuzz/Cargo.toml --target-dir target --locked --all-targets -- -D warnings
cargo clippy --manifest-path scripts/bench/phases/Cargo.toml --target-dir target --locked --all-targets -- -D warnings

# ---- (g) docs --------------------------------------------------------------------------
step "(g) cargo doc --workspace --no-deps (warnings are errors)"
RUSTDOCFLAGS=-Dwarnings cargo doc --workspace --no-deps

# ---- (h) fuzzing ------------------------------------------------------------------------
step "(h) cargo fuzz: pipeline_bytes and pipeline_structured, ${RESTSMITH_FUZZ_SECONDS:-30}s each"
# fuzz/ is its own workspace (not a member of ours). cargo-fuzz is built once from crates.io
# (~2 min) into target/test-tools; the targets are built without a sanitizer (`-s none`: the
# code under test is safe Rust; panics, stack overflows, hangs and runaway memory are what we
# look for) on the stable toolchain (RUSTC_BOOTSTRAP=1 for the -Z flags cargo-fuzz passes).
# Seeds: our specs, the loader fixtures, the AutoRest test-server files, the upstream Azure
# files. A crash fails the step; its input is in target/fuzz-artifacts/<target>/ and becomes a
# case in tests/hostile.rs. Longer runs by hand: fuzz/README.md.
CARGO_FUZZ_VERSION=0.13.2
CARGO_FUZZ_ROOT="$TOOLS/cargo-fuzz"
CARGO_FUZZ="$CARGO_FUZZ_ROOT/bin/cargo-fuzz"
if [ -x "$CARGO_FUZZ" ] && "$CARGO_FUZZ" --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION\$"; then
  echo "up to date ($("$CARGO_FUZZ" --version))"
else
  CARGO_TARGET_DIR="$TOOLS/cargo-fuzz-build" cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$CARGO_FUZZ_ROOT"
  rm -rf "$TOOLS/cargo-fuzz-build"
fi
FUZZ_SECONDS=${RESTSMITH_FUZZ_SECONDS:-30}
FUZZ_CORPUS="$TOOLS/fuzz-corpus"
mkdir -p "$FUZZ_CORPUS/pipeline_bytes" "$FUZZ_CORPUS/pipeline_structured" "$ROOT/target/fuzz-artifacts"
FUZZ_SEEDS="$TOOLS/fuzz-seeds"
rm -rf "$FUZZ_SEEDS" && mkdir -p "$FUZZ_SEEDS"
# Raw-bytes seeds: every spec-like file of at most 64 KiB (the inputs' length limit).
find "$ROOT/specs" "$ROOT/tests/fixtures" "$HARNESS/node_modules/@microsoft.azure/autorest.testserver/swagger" \
  -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -size -64k -print0 \
  | while IFS= read -r -d '' f; do cp "$f" "$FUZZ_SEEDS/$(echo "$f" | sha1sum | cut -c1-16)-$(basename "$f")"; done
echo "$(ls "$FUZZ_SEEDS" | wc -l) raw seeds"
(
  cd "$ROOT/fuzz"
  export RUSTC_BOOTSTRAP=1 PATH="$CARGO_FUZZ_ROOT/bin:$PATH"
  cargo fuzz build -s none --target-dir "$ROOT/target/fuzz"
  for target in pipeline_bytes pipeline_structured; do
    seeds=()
    [ "$target" = pipeline_bytes ] && seeds=("$FUZZ_SEEDS")
    echo "--- $target: ${FUZZ_SECONDS}s"
    cargo fuzz run -s none --target-dir "$ROOT/target/fuzz" "$target" "$FUZZ_CORPUS/$target" "${seeds[@]}" -- \
      -max_total_time="$FUZZ_SECONDS" -timeout=30 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$ROOT/target/fuzz-artifacts/" 2>&1 | grep -vE '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)' \
      || die "cargo fuzz found a crash in $target: see target/fuzz-artifacts/ and add it to tests/hostile.rs"
  done
)

end_step
echo
echo "All checks passed."
