#!/usr/bin/env bash
# `npm test`: sets up what is missing, then runs every suite (checks, unit, integration, e2e with
# the extension-host suite inside it, reliability). Works on a fresh clone: it runs `npm ci` itself.
# Results: test-results/<suite>.json, logs in test-results/logs/, timings in test-results/timings.txt.
# The very last line of output is `N passed, N failed`; the exit code is non-zero if any failed.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$ROOT/scripts/lib/code-server.sh"
cd "$ROOT"

# Per-suite ceilings (seconds): a hung suite is cut off and counted as failed, the run goes on.
UNIT_LIMIT="${VIRTLAB_UNIT_LIMIT:-900}"
INTEGRATION_LIMIT="${VIRTLAB_INTEGRATION_LIMIT:-2700}"
E2E_LIMIT="${VIRTLAB_E2E_LIMIT:-1200}"
RELIABILITY_LIMIT="${VIRTLAB_RELIABILITY_LIMIT:-2400}"

rm -rf "$RESULTS"
mkdir -p "$RESULTS/logs"
TIMINGS="$RESULTS/timings.txt"
: >"$TIMINGS"
STATUS=()

# e2e suites start code-server in its own process group and record its pid in
# test-results/<profile>/code-server.pid; if a suite is cut off before its after() hook, stop
# that group here (only what this run started).
stop_leftovers() {
  local f pid
  for f in "$RESULTS"/*/code-server.pid; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    # Only if that pid is still the code-server we started (pids get reused).
    if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q code-server; then
      log "stopping code-server left running by a test (pid $pid)"
      kill -TERM -- "-$pid" 2>/dev/null; sleep 2; kill -KILL -- "-$pid" 2>/dev/null
    fi
    rm -f "$f"
  done
}
trap 'stop_leftovers 2>/dev/null' EXIT  # silent: the summary stays the last output
trap 'stop_leftovers; exit 130' INT TERM

# check NAME CMD...: a setup or build step, counted as one test in the "checks" suite.
check() {
  local name="$1"; shift
  local log="$RESULTS/logs/${name// /-}.log" rc=0
  phase "$name" logged "$log" "$@" || rc=$?
  node "$ROOT/scripts/results.mjs" check "$name" "$rc" "$log"
  return $rc
}
logged() { local log="$1"; shift; "$@" 2>&1 | tee "$log"; return "${PIPESTATUS[0]}"; }

# suite NAME LIMIT: one mocha run with test/.mocharc.NAME.json (reporter writes test-results/NAME.json).
suite() {
  local name="$1" limit="$2" rc=0
  phase "$name tests" timeout --kill-after=30 "$limit" "$ROOT/node_modules/.bin/mocha" --config "test/.mocharc.$name.json" || rc=$?
  STATUS+=("$name:$rc")
}

t_all=$SECONDS
check "apt packages" ensure_apt_packages
if check "npm ci" ensure_node_modules; then
  check "services" ensure_services
  check "code-server" ensure_code_server
  check "typecheck" "$ROOT/node_modules/.bin/tsc" --noEmit -p .
  # No stale VSIX may stand in for a failed package step.
  rm -f "$ROOT/dist/virtlab.vsix"
  check "build" npm run --silent build
  check "package" npm run --silent package

  suite unit "$UNIT_LIMIT"
  suite integration "$INTEGRATION_LIMIT"
  suite e2e "$E2E_LIMIT"
  stop_leftovers
  # The reliability suite (`npm run test:reliability`): its figures are summed per category into
  # test-results/reliability/, so they start from zero, and the table is printed after it.
  node scripts/reliability-table.mjs --reset >/dev/null
  suite reliability "$RELIABILITY_LIMIT"
  stop_leftovers
  node scripts/reliability-table.mjs | tee "$RESULTS/reliability-table.txt" >&2 || true
else
  log "npm ci failed: no suite can run"
  STATUS+=("unit:-" "integration:-" "e2e:-" "reliability:-")
fi
STATUS+=("extension:-")

{
  printf '\nTimings\n'
  cat "$TIMINGS"
  printf '%-28s %5ss\n' "total" "$((SECONDS - t_all))"
} >&2
# The summary is the last output: its last line is "N passed, N failed".
node "$ROOT/scripts/results.mjs" summary checks:0 "${STATUS[@]}"
