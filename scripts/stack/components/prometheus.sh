# Prometheus: scrapes the shop's RED metrics (named as Beyla names them) from /metrics.
# shellcheck shell=bash

PROMETHEUS_PORT="${SPANFLAME_PROMETHEUS_PORT:-9090}"

prometheus_help() {
  cat <<EOF
  SPANFLAME_PROMETHEUS_PORT      Prometheus port [9090]
EOF
}

prometheus_port() { echo "$PROMETHEUS_PORT"; }
prometheus_port_hint() { echo "set SPANFLAME_PROMETHEUS_PORT=<free port>"; }
prometheus_health() { echo "$(component_url prometheus)/-/ready"; }
prometheus_validate() { require_whole_numbers PROMETHEUS_PORT; }

prometheus_install() {
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

# Prometheus's config: deploy/config/prometheus.yml.tmpl, the one the compose stack renders too.
# The shop's own metrics stand in for Beyla's here (same names, service_name on every series).
prometheus_prepare() {
  local svc targets=()
  mkdir -p "$DATA_DIR/prometheus"
  for svc in "${SHOP_SERVICES[@]}"; do targets+=("\"$(shop_addr "$svc")\""); done
  render_config prometheus.yml.tmpl "$STACK_DIR/prometheus.yml" \
    SHOP_METRICS_TARGETS="$(IFS=,; echo "${targets[*]}")" \
    BEYLA_METRICS_TARGETS=""
}

prometheus_cmd() {
  CMD=(prometheus
    "--config.file=$STACK_DIR/prometheus.yml"
    "--storage.tsdb.path=$DATA_DIR/prometheus"
    "--storage.tsdb.retention.time=2d"
    "--web.listen-address=$HOST:$PROMETHEUS_PORT")
}

prometheus_env() { echo "SPANFLAME_PROMETHEUS_URL=$(component_url prometheus)"; }
prometheus_summary() { summary_line prometheus "$(component_url prometheus)" prometheus; }

register_component prometheus prometheus
