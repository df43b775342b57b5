#!/usr/bin/env bash
# Quick start, command 1: set everything up and run Spanflame.
#   - With a Docker engine: the compose stack (Grafana on http://localhost:3000 with the
#     built plugin and provisioning mounted).
#   - Without one: the local stack (Parca, Prometheus, the demo shop) and the preview host
#     that loads the built plugin in a browser, in the foreground; Ctrl-C stops everything.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

scripts/setup.sh

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  say "Docker engine found: starting the compose stack (Grafana on http://localhost:3000)"
  exec docker compose up --build
fi

say "no Docker engine: running the local stack in the foreground"
if [[ -x scripts/preview.sh ]]; then
  exec scripts/preview.sh
fi
exec scripts/stack.sh run
