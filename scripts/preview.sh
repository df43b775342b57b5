#!/usr/bin/env bash
# Spanflame preview host: the BUILT plugin in a real browser without a Grafana server.
# Builds what is missing or stale (dist/, the backend executable, the host page bundle, the host
# server), starts the local stack (Parca, Prometheus, demo shop) and serves the preview host on
# 127.0.0.1:3001 in the foreground. Ctrl-C stops everything this command started.
#
# Run `scripts/preview.sh help` for usage.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

ADDR="${SPANFLAME_PREVIEW_ADDR:-127.0.0.1:3001}"
HOST_BIN="$REPO_ROOT/.cache/bin/preview-host"
BACKEND_BIN="dist/datasource/gpx_spanflame_parca_$(go env GOOS)_$(go env GOARCH)"
HOST_BUNDLE="preview/web/dist/host.js"

log() { printf '[preview] %s\n' "$*" >&2; }
die() { printf '[preview] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<EOF
Usage: scripts/preview.sh [run|build|help]

  run     (default) build what is stale, start the local stack (scripts/stack.sh start) unless
          SPANFLAME_PARCA_URL is set, and serve the preview host on http://$ADDR in the
          foreground. Ctrl-C stops the host and the stack it started.
  build   only build what is missing or stale: dist/ (npm run build), the backend executable
          (mage build:linux), the page bundle (preview/web/build.mjs), the host server
          (.cache/bin/preview-host).
  help    this message.

Environment:
  SPANFLAME_PREVIEW_ADDR   listen address [127.0.0.1:3001]
  SPANFLAME_PARCA_URL      use this Parca instead of starting the stack
  SPANFLAME_STACK_DIR, SPANFLAME_*_PORT   passed on to scripts/stack.sh (see its help)
EOF
}

# stale TARGET PATH...: true when TARGET is missing or any file under PATH... is newer.
stale() {
  local target="$1"; shift
  [[ -e "$target" ]] || return 0
  [[ -n "$(find "$@" -newer "$target" -type f -print -quit 2>/dev/null)" ]]
}

build() {
  [[ -d node_modules ]] || { log "installing npm packages (npm ci)"; npm ci --no-audit --no-fund; }
  if stale dist/module.js src package.json package-lock.json || stale dist/datasource/module.js src; then
    log "building the plugin front end (npm run build)"
    npm run build >&2
  fi
  if stale "$BACKEND_BIN" pkg go.mod go.sum; then
    log "building the backend executable (mage build:linux)"
    go run github.com/magefile/mage -v build:linux >&2
  fi
  if stale "$HOST_BUNDLE" preview/web/src preview/web/build.mjs package-lock.json; then
    log "bundling the preview page (preview/web/build.mjs)"
    node preview/web/build.mjs >&2
  fi
  if stale "$HOST_BIN" preview/cmd preview/internal preview/go.mod preview/go.sum; then
    log "building the preview host server"
    mkdir -p "$(dirname "$HOST_BIN")"
    (cd preview && go build -o "$HOST_BIN" ./cmd/preview-host) >&2
  fi
}

run() {
  build
  # stack_started and host_pid are globals: the EXIT trap runs cleanup after run's locals are gone.
  stack_started=0
  local parca_url="${SPANFLAME_PARCA_URL:-}"
  local stack_dir="${SPANFLAME_STACK_DIR:-$REPO_ROOT/.stack}"
  if [[ -z "$parca_url" ]]; then
    log "starting the local stack (scripts/stack.sh start; the first run builds Parca, which takes minutes)"
    scripts/stack.sh start
    stack_started=1
    # Exported: the host reads SPANFLAME_PROMETHEUS_URL, _TEMPO_URL and _JAEGER_URL from its environment.
    # shellcheck disable=SC1091
    set -a; . "$stack_dir/stack.env"; set +a
    parca_url="${SPANFLAME_PARCA_URL:-}"
    [[ -n "$parca_url" ]] || die "$stack_dir/stack.env has no SPANFLAME_PARCA_URL"
  fi

  host_pid=""
  cleanup() {
    trap - INT TERM EXIT
    if [[ -n "$host_pid" ]] && kill -0 "$host_pid" 2>/dev/null; then
      kill -TERM "$host_pid" 2>/dev/null || true
      wait "$host_pid" 2>/dev/null || true
    fi
    if ((stack_started)); then
      log "stopping the local stack"
      scripts/stack.sh stop || true
    fi
  }
  trap cleanup INT TERM EXIT

  "$HOST_BIN" -repo "$REPO_ROOT" -addr "$ADDR" -parca-url "$parca_url" &
  host_pid=$!
  for _ in $(seq 1 50); do
    curl -fsS -o /dev/null "http://$ADDR/api/datasources" 2>/dev/null && break
    kill -0 "$host_pid" 2>/dev/null || die "the preview host exited during start"
    sleep 0.2
  done
  cat >&2 <<EOF

[preview] Spanflame preview host is up (Ctrl-C stops it$( ((stack_started)) && echo " and the stack"))
[preview]   datasource settings  http://$ADDR/connections/datasources/edit/spanflame-parca
[preview]   explore              http://$ADDR/explore
[preview]   Parca                $parca_url
[preview]   Tempo / Jaeger       ${SPANFLAME_TEMPO_URL:-not set} / ${SPANFLAME_JAEGER_URL:-not set}

EOF
  wait "$host_pid"
}

case "${1:-run}" in
  run) run ;;
  build) build ;;
  help | -h | --help) usage ;;
  *) usage; exit 2 ;;
esac
