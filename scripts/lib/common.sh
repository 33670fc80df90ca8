# Shared by scripts/setup.sh, run.sh and test.sh (sourced, not executed).
# Everything here is idempotent: check first, then install or start.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.tools"
RESULTS="$ROOT/test-results"
export VIRTLAB_STATE="${VIRTLAB_STATE:-/tmp/virtlab}"

log() { printf '%s\n' "virtlab: $*" >&2; }
die() { log "error: $*"; exit 1; }

# phase NAME CMD...: runs CMD, prints how long it took and appends that to $TIMINGS (if set).
# Returns CMD's exit code so callers decide whether a failed phase is fatal.
phase() {
  local name="$1"; shift
  local t0=$SECONDS rc=0
  printf '\n==> %s\n' "$name" >&2
  "$@" || rc=$?
  local dt=$((SECONDS - t0))
  printf '<== %s: %s in %ss\n' "$name" "$([ $rc -eq 0 ] && echo ok || echo "FAILED (exit $rc)")" "$dt" >&2
  [ -n "${TIMINGS:-}" ] && printf '%-28s %5ss  %s\n' "$name" "$dt" "$([ $rc -eq 0 ] && echo ok || echo "exit $rc")" >>"$TIMINGS"
  return $rc
}

is_root() { [ "$(id -u)" = 0 ]; }

apt_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Installs the packages of scripts/apt-packages.txt that are missing. Without root it only says
# what is missing (the parts that need them will then report themselves as unavailable).
ensure_apt_packages() {
  command -v dpkg-query >/dev/null || { log "not a Debian system: skipping apt packages"; return 0; }
  local missing=() p
  while read -r p; do
    p="${p%%#*}"; p="${p//[[:space:]]/}"
    [ -n "$p" ] && ! apt_installed "$p" && missing+=("$p")
  done <"$ROOT/scripts/apt-packages.txt"
  if [ ${#missing[@]} -eq 0 ]; then log "apt packages: all present"; return 0; fi
  if ! is_root; then
    log "apt packages missing: ${missing[*]}"
    log "install them with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
    return 0
  fi
  log "installing apt packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# npm ci, unless node_modules already matches package-lock.json (a stamp holds the lock's hash).
ensure_node_modules() {
  local stamp="$ROOT/node_modules/.virtlab-lock-sha256" want
  want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$ROOT/node_modules/.bin/mocha" ]; then
    log "node_modules: up to date"
    return 0
  fi
  log "node_modules: npm ci"
  (cd "$ROOT" && npm ci --no-audit --no-fund) || return 1
  printf '%s\n' "$want" >"$stamp"
}

# dockerd + Open vSwitch + the offline busybox image; only as root (they need it).
ensure_services() {
  if ! is_root; then log "not root: not starting dockerd / Open vSwitch (start them yourself, see README)"; return 0; fi
  bash "$ROOT/scripts/services.sh" all
}

# A free TCP port on 127.0.0.1, starting at $1.
free_port() {
  local p="${1:-8080}"
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}
