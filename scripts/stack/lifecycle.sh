# The local stack's commands (start, run, status, stop, env) over the registered
# components. Sourced by scripts/stack.sh after lib.sh and the component files.
# shellcheck shell=bash

write_env_file() {
  {
    echo "# Written by scripts/stack.sh start. Use: set -a; . $ENV_FILE; set +a"
    echo "SPANFLAME_STACK_DIR=$STACK_DIR"
    each_kind env
  } >"$ENV_FILE.tmp"
  mv -f "$ENV_FILE.tmp" "$ENV_FILE"
}

print_summary() {
  echo
  echo "Spanflame stack is up (state: $STACK_DIR)"
  each_kind summary
  echo "  env file         $ENV_FILE   (set -a; . $ENV_FILE; set +a)"
  echo
}

validate_settings() {
  require_whole_numbers READY_TIMEOUT
  local k
  # Every kind validates its settings, enabled or not: the port overlap check covers all modes.
  for k in "${KINDS[@]}"; do
    if has_op "$k" validate; then "${k}_validate"; fi
  done
  check_port_overlap
}

# do_start MODE: MODE is "background" (start) or "foreground" (run).
do_start() {
  local mode="$1" c pid todo=() t0=$SECONDS enabled
  validate_settings
  # Ctrl-C / SIGTERM while starting: stop what we started, leave no orphans.
  trap 'die "interrupted while starting"' INT TERM HUP

  do_install

  for c in "${ALL_COMPONENTS[@]}"; do
    if ! is_enabled "$c" && pid="$(running_pid "$c")"; then
      die "$c is running (pid $pid) but $("${COMPONENT_KIND[$c]}_disabled_reason"): the stack was started in another mode; run 'scripts/stack.sh stop' first"
    fi
  done
  mapfile -t enabled < <(enabled_components)
  for c in "${enabled[@]}"; do
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
    each_kind already_running
    write_env_file
    print_summary
    return 0
  fi

  check_ports "${todo[@]}"
  mkdir -p "$LOG_DIR" "$PID_DIR" "$DATA_DIR"
  each_kind prepare "${todo[@]}"

  for c in "${todo[@]}"; do
    start_component "$c"
    log "$c ready after $((SECONDS - t0)) s"
  done
  write_env_file
  print_summary
  trap - INT TERM HUP
}

do_run() {
  do_start foreground
  local exited="" rc c pid enabled
  mapfile -t enabled < <(enabled_components)
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
    for c in "${enabled[@]}"; do
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

do_status() {
  local c pid health addr port all_ok=0 any=0
  printf '%-15s %-8s %-24s %s\n' COMPONENT PID ADDRESS STATE
  for c in "${ALL_COMPONENTS[@]}"; do
    # Show the other mode's components only if they run.
    if ! is_enabled "$c" && ! running_pid "$c" >/dev/null; then continue; fi
    if pid="$(running_pid "$c")"; then
      any=1
      if healthy "$c"; then health="healthy"; else health="UNHEALTHY ($(comp "$c" health) failing)"; all_ok=1; fi
    else
      pid="-"; health="not running"; all_ok=1
    fi
    port="$(component_port "$c")"
    addr="$HOST:$port"
    [[ "$port" == "-" ]] && addr="-"
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
