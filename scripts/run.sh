#!/usr/bin/env bash
# `npm start`: sets up what is missing, builds and packages VirtLab, installs the VSIX into a VS Code
# (code-server from npm, cached under .tools/) and serves it on 127.0.0.1, printing the URL.
# Ctrl-C stops the server. Environment: VIRTLAB_PORT (default: first free port from 8080),
# VIRTLAB_FOLDER (the folder to open; default: this repository).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$ROOT/scripts/lib/code-server.sh"
cd "$ROOT"

TIMINGS=""
phase "apt packages" ensure_apt_packages
phase "npm ci" ensure_node_modules
phase "services" ensure_services || log "services did not all start; VirtLab will show what is missing"
phase "code-server" ensure_code_server || die "could not install code-server (see the output above)"
phase "build + package" npm run --silent package || die "build failed"

VSIX="$ROOT/dist/virtlab.vsix"
[ -f "$VSIX" ] || die "npm run package did not produce $VSIX"

# A persistent profile of its own: the user's settings and layout survive restarts.
PROFILE="$TOOLS/profile"
[ -f "$PROFILE/data/User/settings.json" ] || write_settings "$PROFILE/data"
printf 'auth: none\n' >"$PROFILE/config.yaml"
phase "install VSIX" install_vsix "$PROFILE/data" "$PROFILE/extensions" "$VSIX" >/dev/null || die "could not install $VSIX into code-server"

PORT="${VIRTLAB_PORT:-$(free_port 8080)}"
FOLDER="${VIRTLAB_FOLDER:-$ROOT}"
cat <<MSG

  VirtLab is ready.

  Open in a browser:   http://127.0.0.1:$PORT/?folder=$FOLDER
                       (served by code-server on 127.0.0.1 only; from another machine use
                        ssh -L $PORT:127.0.0.1:$PORT <this host>)
  VS Code desktop:     code --install-extension $VSIX
  Stop the server:     Ctrl-C

MSG
exec "$CODE_SERVER_BIN" --config "$PROFILE/config.yaml" --auth none --bind-addr "127.0.0.1:$PORT" \
  --user-data-dir "$PROFILE/data" --extensions-dir "$PROFILE/extensions" \
  --disable-telemetry --disable-update-check --disable-getting-started-override "$FOLDER"
