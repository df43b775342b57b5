# Tempo API stand-in (preview/cmd/tempo-standin): Tempo is AGPL and cannot run here, so this
# small server answers the Tempo HTTP calls Spanflame makes (trace by id, TraceQL search, tags)
# in Tempo's JSON shapes, reading every span from the stack's Jaeger.
# shellcheck shell=bash

TEMPO_PORT="${SPANFLAME_TEMPO_PORT:-3200}"

tempostandin_help() {
  cat <<EOF
  SPANFLAME_TEMPO_PORT           Tempo API stand-in (over Jaeger) [3200]
EOF
}

tempostandin_port() { echo "$TEMPO_PORT"; }
tempostandin_port_hint() { echo "set SPANFLAME_TEMPO_PORT=<free port>"; }
# Ready answers once Jaeger answers the stand-in.
tempostandin_health() { echo "$(component_url tempo-standin)/ready"; }
tempostandin_validate() { require_whole_numbers TEMPO_PORT; }
tempostandin_install() { go_build "Tempo stand-in" tempo-standin preview ./cmd/tempo-standin; }

tempostandin_cmd() {
  # -stack names the stack on the command line (how stop tells its processes from others).
  CMD=("$BIN_DIR/tempo-standin" -addr "$HOST:$TEMPO_PORT" -jaeger-url "$(component_url jaeger)" -stack "$STACK_DIR/")
}

tempostandin_env() { echo "SPANFLAME_TEMPO_URL=$(component_url tempo-standin)"; }
tempostandin_summary() { summary_line "tempo stand-in" "$(component_url tempo-standin)" tempo-standin; }

register_component tempo-standin tempostandin
