#!/usr/bin/env bash
# Spanflame local stack without Docker: the demo shop (three services), Parca,
# Prometheus, Jaeger and a Tempo API stand-in as plain child processes, with all state
# under one directory.
#
# Each component lives in scripts/stack/components/<kind>.sh (install, command line, port,
# readiness, config, env lines); scripts/stack/lib.sh holds what they share and
# scripts/stack/lifecycle.sh the commands. Adding a component: write its file (see the
# registry notes in lib.sh) and add its kind to COMPONENT_FILES below, in start order.
#
# Run `scripts/stack.sh help` for usage.
set -euo pipefail

# ---------------------------------------------------------------------------
# Settings shared by every component (each component reads its own in its file)
# ---------------------------------------------------------------------------
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_SCRIPTS="$REPO_ROOT/scripts/stack"
CACHE_DIR="$REPO_ROOT/.cache"
BIN_DIR="$CACHE_DIR/bin"

STACK_DIR="${SPANFLAME_STACK_DIR:-$REPO_ROOT/.stack}"
[[ "$STACK_DIR" == /* ]] || STACK_DIR="$PWD/$STACK_DIR"
STACK_DIR="${STACK_DIR%/}"
LOG_DIR="$STACK_DIR/logs"
PID_DIR="$STACK_DIR/pids"
DATA_DIR="$STACK_DIR/data"
ENV_FILE="$STACK_DIR/stack.env"
READY_TIMEOUT="${SPANFLAME_READY_TIMEOUT:-60}"
HOST=127.0.0.1

# Component files, in start order: the trace store before the shop that sends it spans,
# the shop before what scrapes it.
COMPONENT_FILES=(jaeger tempostandin shop parca cpurelay prometheus)

# shellcheck source=stack/lib.sh
. "$STACK_SCRIPTS/lib.sh"
for kind in "${COMPONENT_FILES[@]}"; do
  # shellcheck source=/dev/null
  . "$STACK_SCRIPTS/components/$kind.sh"
done
unset kind
# shellcheck source=stack/lifecycle.sh
. "$STACK_SCRIPTS/lifecycle.sh"

usage() {
  cat <<EOF
Usage: scripts/stack.sh <command>

Local Spanflame stack without Docker: demo shop (frontend -> checkout -> payments),
Parca $PARCA_VERSION holding their profiles (memory and goroutine scraped by Parca, CPU
written by cpu-relay so trace_id/span_id survive), Prometheus scraping their /metrics,
Jaeger $JAEGER_VERSION holding their spans (OTLP), and a Tempo API stand-in reading Jaeger.
Components, in start order: ${ALL_COMPONENTS[*]}

Commands:
  install   Install what the stack needs (cached in .cache/bin/, skipped when present):
            Parca $PARCA_VERSION and Jaeger $JAEGER_VERSION (built from the Go module proxy,
            minutes each on a cold build cache), Prometheus (Debian package, when not on
            PATH), the demo shop, cpu-relay and the Tempo stand-in (go build).
  start     install if needed, start everything in the background, wait until ready,
            print where things run and write \$SPANFLAME_STACK_DIR/stack.env.
  run       like start, but stay in the foreground; Ctrl-C, SIGTERM or any component
            exiting stops every component.
  stop      stop everything this stack started (pid files); harmless when nothing runs.
  status    show each component: pid, port, healthy or not (exit 1 unless all healthy).
  env       print stack.env as 'export' lines:  eval "\$(scripts/stack.sh env)"
  help      this message.

Environment (defaults in brackets):
  SPANFLAME_STACK_DIR            state dir: logs/ pids/ data/ groundtruth/ configs [<repo>/.stack]
  SPANFLAME_READY_TIMEOUT        seconds to wait for each component to become ready [60]
EOF
  local k
  for k in "${KINDS[@]}"; do
    if has_op "$k" help; then "${k}_help"; fi
  done
  cat <<EOF

Using the stack from a test:
  scripts/stack.sh start
  set -a; . .stack/stack.env; set +a        # or: eval "\$(scripts/stack.sh env)"
  go test -tags integration ./tests/integration/ -count=1 -v
EOF
}

main() {
  local cmd="${1:-help}"
  case "$cmd" in
    install) mkdir -p "$CACHE_DIR"; do_install; log "install: done" ;;
    start) mkdir -p "$CACHE_DIR"; do_start background ;;
    run) mkdir -p "$CACHE_DIR"; do_run ;;
    stop) do_stop ;;
    status) do_status ;;
    env) do_env ;;
    help | -h | --help) usage ;;
    *) usage >&2; echo >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
