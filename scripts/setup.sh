#!/usr/bin/env bash
# Installs and starts what VirtLab needs, skipping whatever is already there:
#   apt packages (scripts/apt-packages.txt, as root), node_modules (npm ci), dockerd + Open vSwitch
#   + the offline busybox image (scripts/services.sh), and with --code-server a code-server under .tools/.
# Used by run.sh and test.sh; safe to run by hand any number of times.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$ROOT/scripts/lib/code-server.sh"

with_code_server=0
for a in "$@"; do
  case "$a" in
    --code-server) with_code_server=1 ;;
    -h|--help) echo "usage: bash scripts/setup.sh [--code-server]"; exit 0 ;;
    *) die "unknown option $a" ;;
  esac
done

phase "apt packages" ensure_apt_packages
phase "npm ci" ensure_node_modules
phase "services" ensure_services
[ "$with_code_server" = 1 ] && phase "code-server" ensure_code_server
exit 0
