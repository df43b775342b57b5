#!/usr/bin/env bash
# Spanflame local stack without Docker: the demo shop (three services), Parca and
# Prometheus as plain child processes, with all state under one directory.
#
# Run `scripts/stack.sh help` for usage.
set -euo pipefail

# ---------------------------------------------------------------------------
# Settings (all overridable from the environment)
# ---------------------------------------------------------------------------
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="$REPO_ROOT/.cache"
BIN_DIR="$CACHE_DIR/bin"
PARCA_BUILD_DIR="$CACHE_DIR/parca-build"
PARCA_VERSION="v0.28.0"
PARCA_MODULE="github.com/parca-dev/parca"

STACK_DIR="${SPANFLAME_STACK_DIR:-$REPO_ROOT/.stack}"
[[ "$STACK_DIR" == /* ]] || STACK_DIR="$PWD/$STACK_DIR"
STACK_DIR="${STACK_DIR%/}"
LOG_DIR="$STACK_DIR/logs"
PID_DIR="$STACK_DIR/pids"
DATA_DIR="$STACK_DIR/data"
GROUND_TRUTH_DIR="$STACK_DIR/groundtruth"
ENV_FILE="$STACK_DIR/stack.env"
RELAY_READY_FILE="$STACK_DIR/cpu-relay.ready"

PARCA_PORT="${SPANFLAME_PARCA_PORT:-7070}"
PROMETHEUS_PORT="${SPANFLAME_PROMETHEUS_PORT:-9090}"
SHOP_PORT="${SPANFLAME_SHOP_PORT:-18081}"
PARCA_SCRAPE_SECONDS="${SPANFLAME_PARCA_SCRAPE_SECONDS:-5}"
SHOP_LOAD_RPS="${SPANFLAME_SHOP_LOAD_RPS:-10}"
SHOP_UNLINKED_SHARE="${SPANFLAME_SHOP_UNLINKED_SHARE:-0.3}"
READY_TIMEOUT="${SPANFLAME_READY_TIMEOUT:-60}"
# Who collects the shop's CPU profiles:
#   relay  scripts/stack/cpurelay collects them and writes them to Parca, keeping the pprof
#          sample labels (trace_id, span_id). Parca v0.28.0's own scraper drops per-sample
#          labels (see scripts/stack/cpurelay/main.go), so without it no CPU sample in Parca
#          carries a trace_id.
#   parca  Parca scrapes /debug/pprof/profile itself (no trace_id labels with v0.28.0).
CPU_PROFILES="${SPANFLAME_CPU_PROFILES:-relay}"

HOST=127.0.0.1
SHOP_SERVICES=(frontend checkout payments)       # call chain: frontend -> checkout -> payments
# Start order. Only one CPU profile can run at a time in a Go program, so exactly one of
# Parca's scraper or the relay takes CPU profiles.
COMPONENTS=(shop-payments shop-checkout shop-frontend parca)
if [[ "$CPU_PROFILES" == relay ]]; then COMPONENTS+=(cpu-relay); fi
COMPONENTS+=(prometheus)
# Everything any mode may have started: what `stop` looks for.
ALL_COMPONENTS=(shop-payments shop-checkout shop-frontend parca cpu-relay prometheus)

# Components started by this invocation (stopped again if start fails), and where each
# one's log stood when it was started (to show only this run's lines on failure).
STARTED=()
declare -A LOG_OFFSET=()

# ---------------------------------------------------------------------------
# Output helpers
# ---------------------------------------------------------------------------
log()  { printf '[stack] %s\n' "$*" >&2 2>/dev/null || true; }
warn() { printf '[stack] WARNING: %s\n' "$*" >&2 2>/dev/null || true; }
# die MESSAGE: print, stop whatever this invocation started, exit 1.
die() {
  printf '[stack] ERROR: %s\n' "$*" >&2
  if ((${#STARTED[@]} > 0)); then
    log "stopping what this run had started: ${STARTED[*]}"
    local i rev=()
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do rev+=("${STARTED[$i]}"); done
    stop_components "${rev[@]}"
  fi
  exit 1
}

usage() {
  cat <<EOF
Usage: scripts/stack.sh <command>

Local Spanflame stack without Docker: demo shop (frontend -> checkout -> payments),
Parca $PARCA_VERSION holding their profiles (memory and goroutine scraped by Parca, CPU
written by cpu-relay so trace_id/span_id survive), Prometheus scraping their /metrics.

Commands:
  install   Install what the stack needs (cached in .cache/bin/, skipped when present):
            Parca $PARCA_VERSION (built from the Go module proxy, takes minutes),
            Prometheus (Debian package, when not on PATH), the demo shop (go build).
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
  SPANFLAME_PARCA_PORT           Parca HTTP+gRPC port [7070]
  SPANFLAME_PROMETHEUS_PORT      Prometheus port [9090]
  SPANFLAME_SHOP_PORT            first shop port; frontend, checkout, payments use it, +1, +2 [18081]
  SPANFLAME_PARCA_SCRAPE_SECONDS Parca scrape interval = CPU profile duration, seconds [5]
  SPANFLAME_SHOP_LOAD_RPS        load the frontend generates against itself [10]
  SPANFLAME_SHOP_UNLINKED_SHARE  share of work the shop does without trace labels [0.3]
  SPANFLAME_READY_TIMEOUT        seconds to wait for each component to become ready [60]
  SPANFLAME_CPU_PROFILES         who takes the shop's CPU profiles [relay]: 'relay' (cpu-relay
                                 writes them to Parca keeping trace_id/span_id sample labels,
                                 which Parca v0.28.0's scraper drops) or 'parca' (Parca scrapes)

Using the stack from a test:
  scripts/stack.sh start
  set -a; . .stack/stack.env; set +a        # or: eval "\$(scripts/stack.sh env)"
  go test -tags integration ./tests/integration/ -count=1 -v
EOF
}

# ---------------------------------------------------------------------------
# Component table
# ---------------------------------------------------------------------------
shop_index() {   # service -> 0,1,2
  case "$1" in frontend) echo 0 ;; checkout) echo 1 ;; payments) echo 2 ;; *) return 1 ;; esac
}
shop_port() { echo $((SHOP_PORT + $(shop_index "$1"))); }

component_port() {
  case "$1" in
    shop-*) shop_port "${1#shop-}" ;;
    parca) echo "$PARCA_PORT" ;;
    prometheus) echo "$PROMETHEUS_PORT" ;;
    *) echo "-" ;;   # cpu-relay listens nowhere
  esac
}

# How to move a component to another port, for error messages.
component_port_hint() {
  case "$1" in
    shop-frontend) echo "set SPANFLAME_SHOP_PORT=<free port> (frontend uses it, checkout +1, payments +2)" ;;
    shop-checkout) echo "set SPANFLAME_SHOP_PORT=<free port> (checkout uses SPANFLAME_SHOP_PORT+1, now $SHOP_PORT+1)" ;;
    shop-payments) echo "set SPANFLAME_SHOP_PORT=<free port> (payments uses SPANFLAME_SHOP_PORT+2, now $SHOP_PORT+2)" ;;
    parca) echo "set SPANFLAME_PARCA_PORT=<free port>" ;;
    prometheus) echo "set SPANFLAME_PROMETHEUS_PORT=<free port>" ;;
  esac
}

component_url() { echo "http://$HOST:$(component_port "$1")"; }

# Health URL: returns 2xx once the component is ready.
component_health_url() {
  case "$1" in
    shop-*) echo "$(component_url "$1")/healthz" ;;
    # ProfileTypes through Parca's JSON gateway: proves HTTP, the gateway's
    # loopback gRPC hop and the query engine all work.
    parca) echo "$(component_url parca)/api/profiles/types" ;;
    prometheus) echo "$(component_url prometheus)/-/ready" ;;
    cpu-relay) echo "$RELAY_READY_FILE" ;;
  esac
}

pid_file() { echo "$PID_DIR/$1.pid"; }
log_file() { echo "$LOG_DIR/$1.log"; }

# ---------------------------------------------------------------------------
# Process helpers (only ever act on pids from our own pid files)
# ---------------------------------------------------------------------------
is_alive() {   # pid: running and not a zombie
  local pid="$1" state
  kill -0 "$pid" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo '?')"
  [[ "$state" != "Z" ]]
}

# Prints the pid of a running component of THIS stack, or fails. A pid file whose
# process is gone, or whose pid was reused by something that is not ours (its
# command line does not mention our state dir), counts as not running.
running_pid() {
  local f pid
  f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(<"$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  is_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$STACK_DIR/" || return 1
  echo "$pid"
}

healthy() {
  if [[ "$1" == cpu-relay ]]; then
    # The relay rewrites its ready file after each relayed profile: healthy while fresh.
    [[ -f "$RELAY_READY_FILE" ]] || return 1
    local age=$(($(date +%s) - $(stat -c %Y "$RELAY_READY_FILE")))
    ((age <= 3 * PARCA_SCRAPE_SECONDS + 20))
    return
  fi
  curl -fsS -o /dev/null --max-time 3 "$(component_health_url "$1")" 2>/dev/null
}

port_busy() {   # something accepts connections on 127.0.0.1:port
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]] && return 0
  fi
  (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null
}

port_owner() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(([^)]*))' | head -1 || true
}

# Send SIGTERM to a component of this stack (its whole process group: setsid made it
# the leader). Prints the pid it signalled; fails if the component was not running.
signal_component() {
  local c="$1" pid
  pid="$(running_pid "$c")" || { rm -f "$(pid_file "$c")"; return 1; }
  log "stopping $c (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  echo "$pid"
}

# Wait up to 15 s for the given component pids to exit, then SIGKILL what is left.
reap_components() {   # reap_components comp:pid ...
  local entry c pid i alive
  for ((i = 0; i < 150; i++)); do
    alive=0
    for entry in "$@"; do is_alive "${entry#*:}" && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for entry in "$@"; do
    c="${entry%%:*}" pid="${entry#*:}"
    if is_alive "$pid"; then
      warn "$c (pid $pid) did not exit within 15 s of SIGTERM, sending SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true   # reap it if it is our child (run mode)
    rm -f "$(pid_file "$c")"
  done
}

stop_component() {
  local pid
  pid="$(signal_component "$1")" || return 0
  reap_components "$1:$pid"
}

# Stop components in parallel: SIGTERM to all (scrapers first, then the shop, the
# frontend before its downstreams), then wait for all.
stop_components() {
  local c pid entries=()
  for c in "$@"; do
    if pid="$(signal_component "$c")"; then entries+=("$c:$pid"); fi
  done
  if ((${#entries[@]} > 0)); then reap_components "${entries[@]}"; fi
}

stop_all() {
  local i rev=()
  for ((i = ${#ALL_COMPONENTS[@]} - 1; i >= 0; i--)); do rev+=("${ALL_COMPONENTS[$i]}"); done
  stop_components "${rev[@]}"
}

# ---------------------------------------------------------------------------
# install
# ---------------------------------------------------------------------------
APT_UPDATED=0
apt_install() {   # apt_install WHAT PACKAGE...
  local what="$1"; shift
  [[ "$(id -u)" == 0 ]] || die "install: $what needs 'apt-get install $*' as root (or install it yourself and put it on PATH)"
  command -v apt-get >/dev/null 2>&1 || die "install: $what: apt-get not found; install $* yourself"
  export DEBIAN_FRONTEND=noninteractive
  if ((APT_UPDATED == 0)); then
    log "install: apt-get update"
    apt-get update -q >"$CACHE_DIR/apt.log" 2>&1 || { tail -n 20 "$CACHE_DIR/apt.log" >&2; die "install: $what: 'apt-get update' failed (log: $CACHE_DIR/apt.log)"; }
    APT_UPDATED=1
  fi
  # The Debian prometheus package would start a system-wide prometheus on :9090 on a
  # systemd machine. We run our own, so forbid service starts during the install with
  # a temporary policy-rc.d (only when the machine has none of its own).
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\n# temporary, written by spanflame scripts/stack.sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    added_policy=1
  fi
  log "install: apt-get install -y --no-install-recommends $*"
  local rc=0
  apt-get install -y -q --no-install-recommends "$@" >>"$CACHE_DIR/apt.log" 2>&1 || rc=$?
  if ((added_policy)); then rm -f "$policy"; fi
  if ((rc != 0)); then
    tail -n 20 "$CACHE_DIR/apt.log" >&2
    die "install: $what: 'apt-get install $*' failed (log: $CACHE_DIR/apt.log)"
  fi
}

install_base_tools() {
  command -v go >/dev/null 2>&1 || die "install: the Go toolchain ('go') is not on PATH; it is needed to build Parca and the demo shop"
  local missing=()
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v flock >/dev/null 2>&1 || missing+=(util-linux)
  command -v ss >/dev/null 2>&1 || missing+=(iproute2)
  if ((${#missing[@]} > 0)); then apt_install "base tools" "${missing[@]}"; fi
}

install_prometheus() {
  if command -v prometheus >/dev/null 2>&1; then
    log "install: prometheus: found $(command -v prometheus), skipping"
    return 0
  fi
  apt_install "Prometheus" prometheus
  command -v prometheus >/dev/null 2>&1 || die "install: Prometheus: package installed but 'prometheus' is not on PATH"
  # If the package did start a system service anyway, say so: it may hold :9090.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
    warn "the Debian prometheus service is running (system-wide, probably on :9090);" \
      "this stack runs its own Prometheus: stop the service ('systemctl disable --now prometheus') or set SPANFLAME_PROMETHEUS_PORT"
  fi
}

# Runs go inside the Parca wrapper module, appending to its build log.
parca_go() {
  (cd "$PARCA_BUILD_DIR" && GOWORK=off go "$@") >>"$PARCA_BUILD_DIR/build.log" 2>&1
}

parca_step_failed() {
  tail -n 20 "$PARCA_BUILD_DIR/build.log" >&2
  die "install: parca: step '$1' failed (log: $PARCA_BUILD_DIR/build.log)"
}

install_parca() {
  local bin="$BIN_DIR/parca"
  if [[ -x "$bin" ]] && "$bin" --version 2>/dev/null | grep -q "$PARCA_VERSION"; then
    log "install: parca: $bin ($PARCA_VERSION) present, skipping"
    return 0
  fi
  # `go install $PARCA_MODULE/cmd/parca@version` fails against the module proxy here (its
  # deprecation lookup of @v/list is refused), so build inside a throwaway wrapper module.
  log "install: parca: building $PARCA_MODULE/cmd/parca@$PARCA_VERSION in $PARCA_BUILD_DIR"
  mkdir -p "$PARCA_BUILD_DIR" "$BIN_DIR"
  : >"$PARCA_BUILD_DIR/build.log"
  if [[ ! -f "$PARCA_BUILD_DIR/go.mod" ]]; then
    parca_go mod init spanflame.local/parcabuild || parca_step_failed "go mod init"
  fi
  cat >"$PARCA_BUILD_DIR/tools.go" <<EOF
//go:build tools

// Generated by scripts/stack.sh: pins the Parca server so it can be built with go build.
package tools

import _ "$PARCA_MODULE/cmd/parca"
EOF
  parca_go get "$PARCA_MODULE/cmd/parca@$PARCA_VERSION" || parca_step_failed "go get $PARCA_MODULE/cmd/parca@$PARCA_VERSION"

  log "install: parca: go build (several minutes on 2 cores, 15 min seen on a busy machine; progress every 30 s; log: $PARCA_BUILD_DIR/build.log)"
  local t0=$SECONDS next=$((SECONDS + 30)) pid rc=0
  # -v lists each package as it is compiled: the progress count below.
  parca_go build -v -ldflags "-s -w -X main.version=$PARCA_VERSION" -o "$bin.tmp" "$PARCA_MODULE/cmd/parca" &
  pid=$!
  while is_alive "$pid"; do
    sleep 1
    if ((SECONDS >= next)); then
      log "install: parca: still building, $((SECONDS - t0)) s, $(wc -l <"$PARCA_BUILD_DIR/build.log") packages compiled so far"
      next=$((SECONDS + 30))
    fi
  done
  wait "$pid" || rc=$?
  if ((rc != 0)); then
    rm -f "$bin.tmp"
    parca_step_failed "go build $PARCA_MODULE/cmd/parca"
  fi
  mv -f "$bin.tmp" "$bin"
  log "install: parca: built $bin in $((SECONDS - t0)) s"
}

shop_sources_present() { compgen -G "$REPO_ROOT/demo/shop/*.go" >/dev/null; }

build_shop() {
  if ! shop_sources_present; then
    die "install: demo shop: $REPO_ROOT/demo/shop has no Go sources yet (the demo workload is missing), so the stack cannot run it"
  fi
  mkdir -p "$BIN_DIR"
  local blog="$CACHE_DIR/shop-build.log"
  # The demo is a Go module of its own (demo/go.mod).
  log "install: demo shop: (cd demo && go build -o $BIN_DIR/shop ./shop)"
  if ! (cd "$REPO_ROOT/demo" && go build -o "$BIN_DIR/shop" ./shop) >"$blog" 2>&1; then
    tail -n 30 "$blog" >&2
    die "install: demo shop: 'go build ./shop' in demo/ failed (log: $blog)"
  fi
}

build_relay() {
  local blog="$CACHE_DIR/cpurelay-build.log"
  log "install: cpu-relay: go build -o $BIN_DIR/cpurelay ./scripts/stack/cpurelay"
  if ! (cd "$REPO_ROOT" && go build -o "$BIN_DIR/cpurelay" ./scripts/stack/cpurelay) >"$blog" 2>&1; then
    tail -n 30 "$blog" >&2
    die "install: cpu-relay: 'go build ./scripts/stack/cpurelay' failed (log: $blog)"
  fi
}

do_install() {
  mkdir -p "$BIN_DIR"
  # Serialise installs: two stacks started from the same checkout share .cache/bin.
  exec 9>"$CACHE_DIR/.install.lock"
  if ! flock -n 9; then
    log "install: another install is running in this checkout, waiting for it"
    flock 9
  fi
  install_base_tools
  install_prometheus
  install_parca
  build_shop
  if [[ "$CPU_PROFILES" == relay ]]; then build_relay; fi
  flock -u 9
  exec 9>&-
}

# ---------------------------------------------------------------------------
# Configs
# ---------------------------------------------------------------------------
write_parca_config() {
  local f="$STACK_DIR/parca.yaml" svc cpu=true
  # With the relay, the relay takes the CPU profiles (one at a time per Go program).
  if [[ "$CPU_PROFILES" == relay ]]; then cpu=false; fi
  {
    cat <<EOF
# Generated by scripts/stack.sh: do not edit, it is rewritten on every start.
object_storage:
  bucket:
    type: FILESYSTEM
    config:
      directory: "$DATA_DIR/parca"

scrape_configs:
EOF
    for svc in "${SHOP_SERVICES[@]}"; do
      # One job per service: every profile carries job="<service>" and service_name="<service>".
      # process_cpu is a delta profile: Parca adds ?seconds=<scrape_interval> to the URL
      # (disabled when cpu-relay takes the CPU profiles instead).
      cat <<EOF
  - job_name: "$svc"
    scrape_interval: "${PARCA_SCRAPE_SECONDS}s"
    scrape_timeout: "$((PARCA_SCRAPE_SECONDS + 5))s"
    static_configs:
      - targets: ["$HOST:$(shop_port "$svc")"]
        labels:
          service_name: "$svc"
    profiling_config:
      pprof_config:
        process_cpu:
          enabled: $cpu
          delta: true
          path: /debug/pprof/profile
        memory:
          enabled: true
          path: /debug/pprof/allocs
        goroutine:
          enabled: true
          path: /debug/pprof/goroutine
        block:
          enabled: false
        mutex:
          enabled: false
EOF
    done
  } >"$f"
}

write_prometheus_config() {
  local f="$STACK_DIR/prometheus.yml" svc
  {
    cat <<EOF
# Generated by scripts/stack.sh: do not edit, it is rewritten on every start.
global:
  scrape_interval: 5s
  evaluation_interval: 5s

scrape_configs:
  - job_name: spanflame-shop
    # As users scrape Beyla: keep the labels the target exposes (service_name, ...).
    honor_labels: true
    scrape_interval: 5s
    static_configs:
EOF
    for svc in "${SHOP_SERVICES[@]}"; do
      cat <<EOF
      - targets: ["$HOST:$(shop_port "$svc")"]
        labels:
          service_name: "$svc"
EOF
    done
  } >"$f"
}

write_env_file() {
  local svc up
  {
    echo "# Written by scripts/stack.sh start. Use: set -a; . $ENV_FILE; set +a"
    echo "SPANFLAME_STACK_DIR=$STACK_DIR"
    echo "SPANFLAME_PARCA_URL=$(component_url parca)"
    echo "SPANFLAME_PARCA_GRPC_ADDR=$HOST:$PARCA_PORT"
    echo "SPANFLAME_PROMETHEUS_URL=$(component_url prometheus)"
    echo "SPANFLAME_GROUND_TRUTH_DIR=$GROUND_TRUTH_DIR"
    echo "SPANFLAME_SHOP_SERVICES=$(IFS=,; echo "${SHOP_SERVICES[*]}")"
    for svc in "${SHOP_SERVICES[@]}"; do
      up="$(echo "$svc" | tr '[:lower:]' '[:upper:]')"
      echo "SPANFLAME_SHOP_${up}_URL=$(component_url "shop-$svc")"
    done
    echo "SPANFLAME_PARCA_SCRAPE_SECONDS=$PARCA_SCRAPE_SECONDS"
    echo "SPANFLAME_CPU_PROFILES=$CPU_PROFILES"
  } >"$ENV_FILE.tmp"
  mv -f "$ENV_FILE.tmp" "$ENV_FILE"
}

# ---------------------------------------------------------------------------
# start / run
# ---------------------------------------------------------------------------
component_cmd() {   # fills the global CMD array for a component
  local c="$1" svc
  case "$c" in
    shop-*)
      svc="${c#shop-}"
      CMD=("$BIN_DIR/shop" -service "$svc" -listen "$HOST:$(shop_port "$svc")"
        -ground-truth "$GROUND_TRUTH_DIR" -unlinked-share "$SHOP_UNLINKED_SHARE")
      case "$svc" in
        frontend) CMD+=(-downstream "$(component_url shop-checkout)" -load-rps "$SHOP_LOAD_RPS") ;;
        checkout) CMD+=(-downstream "$(component_url shop-payments)") ;;
      esac
      ;;
    parca)
      # No outbound calls: no debuginfod upstream (default debuginfod.elfutils.org),
      # ShareProfile pointed at a closed loopback port (default api.pprof.me:443),
      # no OTLP trace export (empty --otlp-address, the default), bound to loopback.
      CMD=("$BIN_DIR/parca"
        "--config-path=$STACK_DIR/parca.yaml"
        "--http-address=$HOST:$PARCA_PORT"
        "--debuginfod-upstream-servers="
        "--profile-share-server=$HOST:1"
        "--otlp-address="
        "--debuginfo-cache-dir=$DATA_DIR/parca-debuginfo-cache"
        "--storage-path=$DATA_DIR/parca"
        "--log-level=info")
      ;;
    cpu-relay)
      CMD=("$BIN_DIR/cpurelay" -parca "$HOST:$PARCA_PORT" -seconds "$PARCA_SCRAPE_SECONDS"
        -ready-file "$RELAY_READY_FILE")
      for svc in "${SHOP_SERVICES[@]}"; do CMD+=(-target "$svc=$HOST:$(shop_port "$svc")"); done
      ;;
    prometheus)
      CMD=(prometheus
        "--config.file=$STACK_DIR/prometheus.yml"
        "--storage.tsdb.path=$DATA_DIR/prometheus"
        "--storage.tsdb.retention.time=2d"
        "--web.listen-address=$HOST:$PROMETHEUS_PORT")
      ;;
  esac
}

launch_component() {
  local c="$1" pid
  component_cmd "$c"
  mkdir -p "$LOG_DIR" "$PID_DIR"
  if [[ "$c" == cpu-relay ]]; then rm -f "$RELAY_READY_FILE"; fi
  touch "$(log_file "$c")"
  LOG_OFFSET[$c]="$(stat -c %s "$(log_file "$c")")"
  echo "=== $(date -u +%FT%TZ) starting $c: $(printf '%q ' "${CMD[@]}")" >>"$(log_file "$c")"
  # setsid: own session and process group, so a Ctrl-C after `start` (or a closed
  # terminal) does not hit it, and `stop` can signal the whole group.
  # Run from the state dir so any relative path a component uses lands there.
  (cd "$STACK_DIR" && exec setsid "${CMD[@]}") </dev/null >>"$(log_file "$c")" 2>&1 &
  pid=$!
  echo "$pid" >"$(pid_file "$c")"
  STARTED+=("$c")
  log "started $c (pid $pid, log $(log_file "$c"))"
}

# Last lines of a component's log, from this run only when we started it.
log_tail() {
  local c="$1" n="${2:-30}" f
  f="$(log_file "$c")"
  echo "----- last lines of $f -----" >&2
  tail -c +"$((${LOG_OFFSET[$c]:-0} + 1))" "$f" 2>/dev/null | tail -n "$n" >&2 || true
  echo "-----" >&2
}

wait_ready() {
  local c="$1" pid deadline
  pid="$(<"$(pid_file "$c")")"
  deadline=$((SECONDS + READY_TIMEOUT))
  # The relay is ready after its first full profile: give it that long on top.
  if [[ "$c" == cpu-relay ]]; then deadline=$((deadline + PARCA_SCRAPE_SECONDS)); fi
  while ((SECONDS < deadline)); do
    if ! is_alive "$pid"; then
      log_tail "$c"
      die "$c exited before becoming ready (log: $(log_file "$c"))"
    fi
    healthy "$c" && return 0
    sleep 0.5
  done
  log_tail "$c"
  die "$c did not become ready within ${READY_TIMEOUT}s (health check: $(component_health_url "$c"); log: $(log_file "$c"); raise SPANFLAME_READY_TIMEOUT if the machine is just slow)"
}

check_ports() {   # fail before starting anything if a port we need is taken
  local c port owner
  for c in "$@"; do
    port="$(component_port "$c")"
    [[ "$port" == "-" ]] && continue
    if port_busy "$port"; then
      owner="$(port_owner "$port")"
      die "$c: port $port on $HOST is already in use${owner:+ by $owner}; stop that process or $(component_port_hint "$c")"
    fi
  done
}

validate_settings() {
  local v
  for v in PARCA_PORT PROMETHEUS_PORT SHOP_PORT PARCA_SCRAPE_SECONDS READY_TIMEOUT; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "SPANFLAME_$v must be a whole number, got '${!v}'"
  done
  ((PARCA_SCRAPE_SECONDS >= 1)) || die "SPANFLAME_PARCA_SCRAPE_SECONDS must be at least 1"
  [[ "$CPU_PROFILES" == relay || "$CPU_PROFILES" == parca ]] || die "SPANFLAME_CPU_PROFILES must be 'relay' or 'parca', got '$CPU_PROFILES'"
  local ports=("$PARCA_PORT" "$PROMETHEUS_PORT" "$SHOP_PORT" $((SHOP_PORT + 1)) $((SHOP_PORT + 2)))
  if [[ "$(printf '%s\n' "${ports[@]}" | sort -u | wc -l)" != "${#ports[@]}" ]]; then
    die "ports overlap: parca $PARCA_PORT, prometheus $PROMETHEUS_PORT, shop $SHOP_PORT..$((SHOP_PORT + 2)); change SPANFLAME_PARCA_PORT / SPANFLAME_PROMETHEUS_PORT / SPANFLAME_SHOP_PORT"
  fi
}

print_summary() {
  local c svc
  echo
  echo "Spanflame stack is up (state: $STACK_DIR)"
  for svc in "${SHOP_SERVICES[@]}"; do
    printf '  %-16s %-28s log %s\n' "shop $svc" "$(component_url "shop-$svc")" "$(log_file "shop-$svc")"
  done
  printf '  %-16s %-28s log %s\n' "parca" "$(component_url parca)" "$(log_file parca)"
  if [[ "$CPU_PROFILES" == relay ]]; then
    printf '  %-16s %-28s log %s\n' "cpu-relay" "-> parca" "$(log_file cpu-relay)"
  fi
  printf '  %-16s %-28s log %s\n' "prometheus" "$(component_url prometheus)" "$(log_file prometheus)"
  echo "  ground truth     $GROUND_TRUTH_DIR"
  echo "  env file         $ENV_FILE   (set -a; . $ENV_FILE; set +a)"
  echo
}

# do_start MODE: MODE is "background" (start) or "foreground" (run).
do_start() {
  local mode="$1" c pid todo=() t0=$SECONDS
  validate_settings
  # Ctrl-C / SIGTERM while starting: stop what we started, leave no orphans.
  trap 'die "interrupted while starting"' INT TERM HUP

  do_install

  for c in "${ALL_COMPONENTS[@]}"; do
    if [[ " ${COMPONENTS[*]} " != *" $c "* ]] && pid="$(running_pid "$c")"; then
      die "$c is running (pid $pid) but SPANFLAME_CPU_PROFILES=$CPU_PROFILES does not use it: the stack was started in the other mode; run 'scripts/stack.sh stop' first"
    fi
  done
  for c in "${COMPONENTS[@]}"; do
    if pid="$(running_pid "$c")"; then
      if [[ "$mode" == foreground ]]; then
        die "$c is already running (pid $pid) from an earlier 'start'; run 'scripts/stack.sh stop' first, or use another SPANFLAME_STACK_DIR"
      fi
      log "$c already running (pid $pid)"
    else
      todo+=("$c")
    fi
  done
  if ((${#todo[@]} == 0)); then
    log "everything is already running"
    # A changed shop build is only picked up by a restart (go build -o rewrites the file
    # every time, so compare contents with what the running process executes).
    if ! cmp -s "/proc/$(running_pid shop-frontend)/exe" "$BIN_DIR/shop"; then
      warn "the demo shop changed since it started; run 'scripts/stack.sh stop && scripts/stack.sh start' to use the new build"
    fi
    write_env_file
    print_summary
    return 0
  fi

  check_ports "${todo[@]}"
  mkdir -p "$LOG_DIR" "$PID_DIR" "$DATA_DIR/parca" "$DATA_DIR/prometheus" "$GROUND_TRUTH_DIR"
  # Fresh ground truth when the shop starts from scratch: old spans would not match
  # the profiles of this run.
  if [[ " ${todo[*]} " == *" shop-frontend "* && " ${todo[*]} " == *" shop-checkout "* && " ${todo[*]} " == *" shop-payments "* ]]; then
    rm -f "$GROUND_TRUTH_DIR"/*.spans.jsonl "$GROUND_TRUTH_DIR"/*.meta.json
  fi
  write_parca_config
  write_prometheus_config

  for c in "${todo[@]}"; do
    launch_component "$c"
    wait_ready "$c"
    log "$c ready after $((SECONDS - t0)) s"
  done
  write_env_file
  print_summary
  trap - INT TERM HUP
}

do_run() {
  do_start foreground
  local exited="" rc c pid
  # shellcheck disable=SC2317  # called through the trap
  on_signal() {
    log "got $1, stopping the stack"
    trap '' INT TERM HUP   # finish stopping even if signalled again
    stop_all
    exit 130
  }
  trap 'on_signal SIGINT' INT
  trap 'on_signal SIGTERM' TERM
  trap 'on_signal SIGHUP' HUP   # terminal closed
  trap 'stop_all' EXIT
  log "running in the foreground; Ctrl-C stops everything"
  # Block until any component exits (or a signal arrives: the trap runs then).
  while true; do
    rc=0
    wait -n 2>/dev/null || rc=$?
    ((rc == 127)) && sleep 1   # no child to wait for: poll instead
    for c in "${COMPONENTS[@]}"; do
      pid="$(<"$(pid_file "$c")")" 2>/dev/null || pid=""
      if [[ -z "$pid" ]] || ! is_alive "$pid"; then exited="$c"; break; fi
    done
    [[ -n "$exited" ]] && break
  done
  log_tail "$exited" 20
  warn "$exited exited; stopping the rest of the stack"
  trap '' INT TERM HUP
  stop_all
  trap - EXIT
  exit 1
}

# ---------------------------------------------------------------------------
# status / stop / env
# ---------------------------------------------------------------------------
do_status() {
  local c pid health addr all_ok=0 any=0
  printf '%-15s %-8s %-24s %s\n' COMPONENT PID ADDRESS STATE
  for c in "${ALL_COMPONENTS[@]}"; do
    # Show the other mode's components only if they run.
    if [[ " ${COMPONENTS[*]} " != *" $c "* ]] && ! running_pid "$c" >/dev/null; then continue; fi
    if pid="$(running_pid "$c")"; then
      any=1
      if healthy "$c"; then health="healthy"; else health="UNHEALTHY ($(component_health_url "$c") failing)"; all_ok=1; fi
    else
      pid="-"; health="not running"; all_ok=1
    fi
    addr="$HOST:$(component_port "$c")"
    [[ "$(component_port "$c")" == "-" ]] && addr="-"
    printf '%-15s %-8s %-24s %s\n' "$c" "$pid" "$addr" "$health"
  done
  echo "state dir: $STACK_DIR"
  ((any)) && echo "env file:  $ENV_FILE"
  return "$all_ok"
}

do_stop() {
  local any=0 c
  for c in "${ALL_COMPONENTS[@]}"; do
    if running_pid "$c" >/dev/null; then any=1; fi
  done
  stop_all
  if ((any)); then log "stack stopped ($STACK_DIR)"; else log "nothing was running ($STACK_DIR)"; fi
  rm -f "$ENV_FILE"
}

do_env() {
  [[ -f "$ENV_FILE" ]] || die "no $ENV_FILE: run 'scripts/stack.sh start' first"
  grep -E '^[A-Z_]+=' "$ENV_FILE" | sed 's/^/export /'
}

# ---------------------------------------------------------------------------
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
