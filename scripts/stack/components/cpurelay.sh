# cpu-relay (scripts/stack/cpurelay, its own Go module): takes the shop's CPU profiles and
# writes them to Parca keeping the pprof sample labels (trace_id, span_id), which Parca
# v0.28.0's own scraper drops. Listens nowhere; healthy while it keeps relaying.
# shellcheck shell=bash

# Who collects the shop's CPU profiles:
#   relay  cpu-relay (this component). Without it no CPU sample in Parca carries a trace_id.
#   parca  Parca scrapes /debug/pprof/profile itself (no trace_id labels with v0.28.0).
# Only one CPU profile can run at a time in a Go program, so exactly one of them does it.
CPU_PROFILES="${SPANFLAME_CPU_PROFILES:-relay}"
RELAY_READY_FILE="$STACK_DIR/cpu-relay.ready"

cpurelay_help() {
  cat <<EOF
  SPANFLAME_CPU_PROFILES         who takes the shop's CPU profiles [relay]: 'relay' (cpu-relay
                                 writes them to Parca keeping trace_id/span_id sample labels,
                                 which Parca v0.28.0's scraper drops) or 'parca' (Parca scrapes)
EOF
}

cpurelay_enabled() { [[ "$CPU_PROFILES" == relay ]]; }
cpurelay_disabled_reason() { echo "SPANFLAME_CPU_PROFILES=$CPU_PROFILES does not use it"; }
cpurelay_validate() {
  [[ "$CPU_PROFILES" == relay || "$CPU_PROFILES" == parca ]] || die "SPANFLAME_CPU_PROFILES must be 'relay' or 'parca', got '$CPU_PROFILES'"
}

cpurelay_port() { echo "-"; }
cpurelay_health() { echo "$RELAY_READY_FILE"; }
# The relay rewrites its ready file after each relayed profile: healthy while fresh.
cpurelay_healthy() {
  [[ -f "$RELAY_READY_FILE" ]] || return 1
  local age=$(($(date +%s) - $(stat -c %Y "$RELAY_READY_FILE")))
  ((age <= 3 * PARCA_SCRAPE_SECONDS + 20))
}
# It is ready after its first full profile: give it that long on top.
cpurelay_ready_grace() { echo "$PARCA_SCRAPE_SECONDS"; }

# Its own Go module (scripts/stack/cpurelay/go.mod): the plugin's go.mod does not carry its needs.
cpurelay_install() { go_build cpu-relay cpurelay scripts/stack/cpurelay . ; }

cpurelay_before_launch() { rm -f "$RELAY_READY_FILE"; }

cpurelay_cmd() {
  local svc
  CMD=("$BIN_DIR/cpurelay" -parca "$HOST:$PARCA_PORT" -seconds "$PARCA_SCRAPE_SECONDS"
    -ready-file "$RELAY_READY_FILE")
  for svc in "${SHOP_SERVICES[@]}"; do CMD+=(-target "$svc=$(shop_addr "$svc")"); done
}

cpurelay_summary() { summary_line cpu-relay "-> parca" cpu-relay; }

register_component cpu-relay cpurelay
