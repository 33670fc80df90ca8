#!/usr/bin/env bash
# Start what VirtLab's tests and the served VS Code need, only if it is not already running.
# Idempotent: check, then start. Logs go under ${VIRTLAB_STATE:-/tmp/virtlab}/logs.
set -euo pipefail
STATE="${VIRTLAB_STATE:-/tmp/virtlab}"
mkdir -p "$STATE/logs"

wait_for() { # seconds, description, command...
  local secs="$1" what="$2"; shift 2
  for _ in $(seq 1 $((secs * 4))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  echo "services: $what did not come up within ${secs}s" >&2; return 1
}

start_docker() {
  command -v dockerd >/dev/null || { echo "services: dockerd not installed" >&2; return 1; }
  if docker info >/dev/null 2>&1; then echo "services: dockerd already running"; return 0; fi
  echo "services: starting dockerd (log: $STATE/logs/dockerd.log)"
  # setsid: the daemon must outlive the shell that started it.
  setsid dockerd --iptables=false >"$STATE/logs/dockerd.log" 2>&1 < /dev/null &
  wait_for 60 dockerd docker info
}

start_ovs() {
  command -v ovs-vsctl >/dev/null || { echo "services: openvswitch not installed" >&2; return 1; }
  if ovs-vsctl --timeout=2 show >/dev/null 2>&1; then echo "services: Open vSwitch already running"; return 0; fi
  echo "services: starting Open vSwitch"
  /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random >"$STATE/logs/ovs-ctl.log" 2>&1 || true
  wait_for 30 ovsdb-server ovs-vsctl --timeout=2 show
}

# An offline image: busybox-static in a rootfs, imported (no registry is reachable here).
ensure_busybox_image() {
  if docker image inspect virtlab/busybox:latest >/dev/null 2>&1; then return 0; fi
  local root; root="$(mktemp -d)"
  mkdir -p "$root/bin" "$root/tmp" "$root/proc" "$root/sys" "$root/etc" "$root/dev"
  cp /bin/busybox "$root/bin/busybox"
  for a in sh ash sleep ps ip cat hostname ls echo id top free ping wc grep head tail dd mkdir rm touch sync uname mount df env true false yes nslookup ifconfig route; do
    ln -sf busybox "$root/bin/$a"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  tar -C "$root" -c . | docker import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - virtlab/busybox:latest >/dev/null
  rm -rf "$root"
  echo "services: imported virtlab/busybox:latest"
}

case "${1:-all}" in
  docker) start_docker; ensure_busybox_image ;;
  ovs) start_ovs ;;
  all) start_docker; ensure_busybox_image; start_ovs ;;
  *) echo "usage: services.sh [docker|ovs|all]" >&2; exit 2 ;;
esac
