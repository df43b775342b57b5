# Shared helpers of the local stack (scripts/stack.sh): logging, the component registry,
# processes and ports, installs, and readiness. Sourced by scripts/stack.sh; don't run it.
# shellcheck shell=bash

# ---------------------------------------------------------------------------
# Output
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

# Components started by this invocation (stopped again if start fails), and where each
# one's log stood when it was started (to show only this run's lines on failure).
STARTED=()
declare -A LOG_OFFSET=()

# ---------------------------------------------------------------------------
# Component registry
#
# A component file (scripts/stack/components/<kind>.sh) defines functions named
# <kind>_<op> and calls `register_component NAME KIND [ARG]` once per process it runs.
# Required ops (called with ARG):
#   <kind>_cmd ARG          fill the global CMD array with the command line
#   <kind>_port ARG         print the port it listens on, or "-"
#   <kind>_health ARG       print the URL that answers 2xx once it is ready
# Optional ops:
#   <kind>_port_hint ARG    how to move it to another port (for "port in use")
#   <kind>_healthy ARG      own readiness check instead of GETting <kind>_health
#   <kind>_ready_grace      extra seconds to wait for readiness
#   <kind>_before_launch ARG   run right before it is launched
# Optional ops called once per kind (without ARG):
#   <kind>_enabled          false when the settings leave this kind out
#   <kind>_disabled_reason  why, for "running in another mode" messages
#   <kind>_validate         check settings, die with what to fix
#   <kind>_install          install/build what it needs (under the install lock)
#   <kind>_prepare NAME...  before any launch: write configs, make dirs (NAME... = what starts now)
#   <kind>_already_running  when everything already runs: warn about stale builds
#   <kind>_env              print KEY=VALUE lines for stack.env
#   <kind>_summary          print its lines of the "stack is up" summary
#   <kind>_help             print its environment variables for `help`
# Registration order is start order; stop goes in reverse.
# ---------------------------------------------------------------------------
ALL_COMPONENTS=()
KINDS=()
declare -A COMPONENT_KIND=() COMPONENT_ARG=()

register_component() {   # register_component NAME KIND [ARG]
  ALL_COMPONENTS+=("$1")
  COMPONENT_KIND[$1]="$2"
  COMPONENT_ARG[$1]="${3:-}"
  [[ " ${KINDS[*]} " == *" $2 "* ]] || KINDS+=("$2")
}

has_op() { declare -F "$1_$2" >/dev/null; }               # has_op KIND OP
comp() { "${COMPONENT_KIND[$1]}_$2" "${COMPONENT_ARG[$1]}"; }   # comp NAME OP
comp_has() { has_op "${COMPONENT_KIND[$1]}" "$2"; }
kind_enabled() { ! has_op "$1" enabled || "$1_enabled"; }
# each_kind OP [ARGS]: call <kind>_OP for every enabled kind that defines it.
each_kind() {
  local op="$1" k; shift
  for k in "${KINDS[@]}"; do
    if kind_enabled "$k" && has_op "$k" "$op"; then "${k}_$op" "$@"; fi
  done
}

# The components the current settings run, in start order.
enabled_components() {
  local c
  for c in "${ALL_COMPONENTS[@]}"; do
    if kind_enabled "${COMPONENT_KIND[$c]}"; then echo "$c"; fi
  done
}

is_enabled() { kind_enabled "${COMPONENT_KIND[$1]}"; }

component_port() { comp "$1" port; }
component_url() { echo "http://$HOST:$(component_port "$1")"; }
pid_file() { echo "$PID_DIR/$1.pid"; }
log_file() { echo "$LOG_DIR/$1.log"; }

# summary_line LABEL ADDRESS COMPONENT: one line of the "stack is up" summary.
summary_line() { printf '  %-16s %-28s log %s\n' "$1" "$2" "$(log_file "$3")"; }

# ---------------------------------------------------------------------------
# Processes and ports (only ever act on pids from our own pid files)
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
  if comp_has "$1" healthy; then comp "$1" healthy; return; fi
  curl -fsS -o /dev/null --max-time 3 "$(comp "$1" health)" 2>/dev/null
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

# Stop components in parallel: SIGTERM to all in the given order, then wait for all.
stop_components() {
  local c pid entries=()
  for c in "$@"; do
    if pid="$(signal_component "$c")"; then entries+=("$c:$pid"); fi
  done
  if ((${#entries[@]} > 0)); then reap_components "${entries[@]}"; fi
}

# Everything any mode may have started, in reverse start order (scrapers first, then the
# shop, the frontend before its downstreams).
stop_all() {
  local i rev=()
  for ((i = ${#ALL_COMPONENTS[@]} - 1; i >= 0; i--)); do rev+=("${ALL_COMPONENTS[$i]}"); done
  stop_components "${rev[@]}"
}

# ---------------------------------------------------------------------------
# Installs
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
  # A Debian package with a service (prometheus) would start it system-wide on a systemd
  # machine. We run our own, so forbid service starts during the install with a temporary
  # policy-rc.d (only when the machine has none of its own).
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

# go_build WHAT BINARY MODULE_DIR PACKAGE: build a Go program of this repository into
# $BIN_DIR/BINARY, from inside its module (MODULE_DIR, relative to the repo root).
go_build() {
  local what="$1" bin="$2" dir="$3" pkg="$4" blog="$CACHE_DIR/$2-build.log"
  mkdir -p "$BIN_DIR"
  log "install: $what: go build -o $BIN_DIR/$bin $pkg (in ${dir:-.})"
  if ! (cd "$REPO_ROOT/$dir" && go build -o "$BIN_DIR/$bin" "$pkg") >"$blog" 2>&1; then
    tail -n 30 "$blog" >&2
    die "install: $what: 'go build $pkg' in ${dir:-the repository root} failed (log: $blog)"
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
  each_kind install
  flock -u 9
  exec 9>&-
}

# render_config TEMPLATE OUTPUT NAME=VALUE...: writes OUTPUT from deploy/config/TEMPLATE with its
# placeholders filled from the NAME=VALUE pairs. The compose stack renders the same templates with
# the same renderer, so each config exists once.
render_config() {
  local template="$REPO_ROOT/deploy/config/$1" out="$2"; shift 2
  env "$@" "$REPO_ROOT/deploy/config/render.sh" "$template" "$out" ||
    die "could not write $out from $template (see above)"
}

# ---------------------------------------------------------------------------
# Launch and readiness
# ---------------------------------------------------------------------------
launch_component() {
  local c="$1" pid
  comp "$c" cmd
  mkdir -p "$LOG_DIR" "$PID_DIR"
  if comp_has "$c" before_launch; then comp "$c" before_launch; fi
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

# True when the component's log of this run says its port was taken.
lost_port_race() {
  tail -c +"$((${LOG_OFFSET[$1]:-0} + 1))" "$(log_file "$1")" 2>/dev/null | grep -q 'address already in use'
}

# wait_ready COMPONENT: returns once it is healthy; returns 2 when it exited because its port was
# taken after check_ports saw it free (on a busy machine another program's outgoing connection can
# hold any port of the ephemeral range for a moment); dies on any other exit or on timeout.
wait_ready() {
  local c="$1" pid deadline
  pid="$(<"$(pid_file "$c")")"
  deadline=$((SECONDS + READY_TIMEOUT))
  if comp_has "$c" ready_grace; then deadline=$((deadline + $(comp "$c" ready_grace))); fi
  while ((SECONDS < deadline)); do
    if ! is_alive "$pid"; then
      if lost_port_race "$c"; then return 2; fi
      log_tail "$c"
      die "$c exited before becoming ready (log: $(log_file "$c"))"
    fi
    healthy "$c" && return 0
    sleep 0.5
  done
  log_tail "$c"
  die "$c did not become ready within ${READY_TIMEOUT}s (health check: $(comp "$c" health); log: $(log_file "$c"); raise SPANFLAME_READY_TIMEOUT if the machine is just slow)"
}

# start_component COMPONENT: launch it and wait until ready, launching it again (3 attempts in all,
# 2 and 4 s apart) when it lost its port to a passing connection.
start_component() {
  local c="$1" attempt rc
  for attempt in 1 2 3; do
    launch_component "$c"
    rc=0
    wait_ready "$c" || rc=$?
    ((rc == 0)) && return 0
    ((attempt < 3)) || break
    warn "$c: port $(component_port "$c") was taken by another connection as it started; starting it again in $((attempt * 2)) s"
    sleep $((attempt * 2))
  done
  log_tail "$c"
  die "$c: port $(component_port "$c") stayed in use (log: $(log_file "$c")); $(comp_has "$c" port_hint && comp "$c" port_hint || echo "move it to another port")"
}

check_ports() {   # fail before starting anything if a port we need is taken
  local c port owner hint
  for c in "$@"; do
    port="$(component_port "$c")"
    [[ "$port" == "-" ]] && continue
    if port_busy "$port"; then
      owner="$(port_owner "$port")"
      hint="move it to a free port"
      if comp_has "$c" port_hint; then hint="$(comp "$c" port_hint)"; fi
      die "$c: port $port on $HOST is already in use${owner:+ by $owner}; stop that process or $hint"
    fi
  done
}

# require_whole_numbers VAR...: each SPANFLAME_<VAR> setting must be a whole number.
require_whole_numbers() {
  local v
  for v in "$@"; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "SPANFLAME_$v must be a whole number, got '${!v}'"
  done
}

# Every listening port of every component (all modes) must differ.
check_port_overlap() {
  local c port ports=() described=()
  for c in "${ALL_COMPONENTS[@]}"; do
    port="$(component_port "$c")"
    [[ "$port" == "-" ]] && continue
    ports+=("$port")
    described+=("$c $port")
  done
  if [[ "$(printf '%s\n' "${ports[@]}" | sort -u | wc -l)" != "${#ports[@]}" ]]; then
    die "ports overlap: $(IFS=,; echo "${described[*]}" | sed 's/,/, /g'); change the SPANFLAME_*_PORT settings (scripts/stack.sh help)"
  fi
}
