# The demo shop: three services, one process each (call chain frontend -> checkout -> payments).
# They serve /healthz, /metrics (RED metrics, as Beyla names them) and /debug/pprof, and
# write each span they finish to the ground truth folder the tests compare against.
# shellcheck shell=bash

SHOP_PORT="${SPANFLAME_SHOP_PORT:-18081}"
SHOP_LOAD_RPS="${SPANFLAME_SHOP_LOAD_RPS:-10}"
SHOP_UNLINKED_SHARE="${SPANFLAME_SHOP_UNLINKED_SHARE:-0.3}"
SHOP_SERVICES=(frontend checkout payments)
GROUND_TRUTH_DIR="$STACK_DIR/groundtruth"

shop_help() {
  cat <<EOF
  SPANFLAME_SHOP_PORT            first shop port; frontend, checkout, payments use it, +1, +2 [18081]
  SPANFLAME_SHOP_LOAD_RPS        load the frontend generates against itself [10]
  SPANFLAME_SHOP_UNLINKED_SHARE  share of work the shop does without trace labels [0.3]
EOF
}

shop_index() {   # service -> 0,1,2
  case "$1" in frontend) echo 0 ;; checkout) echo 1 ;; payments) echo 2 ;; *) return 1 ;; esac
}
shop_port() { echo $((SHOP_PORT + $(shop_index "$1"))); }
shop_addr() { echo "$HOST:$(shop_port "$1")"; }   # host:port of a service
shop_health() { echo "$(component_url "shop-$1")/healthz"; }

shop_port_hint() {
  case "$1" in
    frontend) echo "set SPANFLAME_SHOP_PORT=<free port> (frontend uses it, checkout +1, payments +2)" ;;
    *) echo "set SPANFLAME_SHOP_PORT=<free port> ($1 uses SPANFLAME_SHOP_PORT+$(shop_index "$1"), now $SHOP_PORT+$(shop_index "$1"))" ;;
  esac
}

shop_validate() { require_whole_numbers SHOP_PORT; }

shop_install() {
  compgen -G "$REPO_ROOT/demo/shop/*.go" >/dev/null ||
    die "install: demo shop: $REPO_ROOT/demo/shop has no Go sources yet (the demo workload is missing), so the stack cannot run it"
  go_build "demo shop" shop demo ./shop   # the demo is a module of its own (demo/go.mod)
}

shop_cmd() {
  local svc="$1"
  # Spans go to the stack's Jaeger over OTLP/gRPC, exported every second (default 5 s), so a
  # test finds a request's spans soon after it.
  CMD=(env "OTEL_EXPORTER_OTLP_ENDPOINT=$(jaeger_otlp_url)" OTEL_EXPORTER_OTLP_PROTOCOL=grpc OTEL_BSP_SCHEDULE_DELAY=1000
    "$BIN_DIR/shop" -service "$svc" -listen "$(shop_addr "$svc")"
    -ground-truth "$GROUND_TRUTH_DIR" -unlinked-share "$SHOP_UNLINKED_SHARE")
  case "$svc" in
    frontend) CMD+=(-downstream "$(component_url shop-checkout)" -load-rps "$SHOP_LOAD_RPS") ;;
    checkout) CMD+=(-downstream "$(component_url shop-payments)") ;;
  esac
}

shop_prepare() {
  mkdir -p "$GROUND_TRUTH_DIR"
  # Fresh ground truth when the shop starts from scratch: old spans would not match
  # the profiles of this run.
  local svc
  for svc in "${SHOP_SERVICES[@]}"; do
    [[ " $* " == *" shop-$svc "* ]] || return 0
  done
  rm -f "$GROUND_TRUTH_DIR"/*.spans.jsonl "$GROUND_TRUTH_DIR"/*.meta.json
}

# A changed shop build is only picked up by a restart (go build -o rewrites the file
# every time, so compare contents with what the running process executes).
shop_already_running() {
  if ! cmp -s "/proc/$(running_pid shop-frontend)/exe" "$BIN_DIR/shop"; then
    warn "the demo shop changed since it started; run 'scripts/stack.sh stop && scripts/stack.sh start' to use the new build"
  fi
}

shop_env() {
  local svc
  echo "SPANFLAME_GROUND_TRUTH_DIR=$GROUND_TRUTH_DIR"
  echo "SPANFLAME_SHOP_SERVICES=$(IFS=,; echo "${SHOP_SERVICES[*]}")"
  for svc in "${SHOP_SERVICES[@]}"; do
    echo "SPANFLAME_SHOP_${svc^^}_URL=$(component_url "shop-$svc")"
  done
}

shop_summary() {
  local svc
  for svc in "${SHOP_SERVICES[@]}"; do summary_line "shop $svc" "$(component_url "shop-$svc")" "shop-$svc"; done
  echo "  ground truth     $GROUND_TRUTH_DIR"
}

# Downstreams first: each service's downstream is up before it sends traffic.
for ((i = ${#SHOP_SERVICES[@]} - 1; i >= 0; i--)); do
  register_component "shop-${SHOP_SERVICES[$i]}" shop "${SHOP_SERVICES[$i]}"
done
unset i
