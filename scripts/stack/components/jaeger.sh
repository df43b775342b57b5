# Jaeger v2: the stack's real trace store. In-memory storage, OTLP in (gRPC on
# SPANFLAME_JAEGER_OTLP_PORT, HTTP on the port after it), the query HTTP API on
# SPANFLAME_JAEGER_PORT (its gRPC API on the port before it, as Jaeger's defaults 16685/16686).
# Built from the Go module proxy as the Go tool of its own module (scripts/stack/jaeger/go.mod).
# Its config, scripts/stack/jaeger/config.yaml, is filled from the environment by Jaeger itself.
# shellcheck shell=bash

JAEGER_VERSION="v1.76.0"
JAEGER_PACKAGE="github.com/jaegertracing/jaeger/cmd/jaeger"
JAEGER_PORT="${SPANFLAME_JAEGER_PORT:-16686}"
JAEGER_OTLP_PORT="${SPANFLAME_JAEGER_OTLP_PORT:-4317}"
JAEGER_MAX_TRACES="${SPANFLAME_JAEGER_MAX_TRACES:-100000}"

jaeger_help() {
  cat <<EOF
  SPANFLAME_JAEGER_PORT          Jaeger query HTTP API and UI [16686] (its gRPC API uses the port before)
  SPANFLAME_JAEGER_OTLP_PORT     Jaeger OTLP gRPC receiver [4317] (OTLP HTTP uses the port after)
  SPANFLAME_JAEGER_MAX_TRACES    traces Jaeger keeps in memory [100000]
EOF
}

jaeger_port() { echo "$JAEGER_PORT"; }
jaeger_port_hint() { echo "set SPANFLAME_JAEGER_PORT=<free port> (Jaeger also takes the port before it)"; }
# The services list answers once the query service and its storage are up.
jaeger_health() { echo "$(component_url jaeger)/api/services"; }
jaeger_otlp_url() { echo "http://$HOST:$JAEGER_OTLP_PORT"; }
jaeger_validate() { require_whole_numbers JAEGER_PORT JAEGER_OTLP_PORT JAEGER_MAX_TRACES; }

# The build takes minutes on a cold Go build cache (11 minutes seen on a busy 2-core machine).
jaeger_install() {
  local bin="$BIN_DIR/jaeger" dir="$REPO_ROOT/scripts/stack/jaeger" blog="$CACHE_DIR/jaeger-build.log"
  if [[ -x "$bin" ]] && "$bin" version 2>/dev/null | grep -qF "\"gitVersion\":\"$JAEGER_VERSION\""; then
    log "install: jaeger: $bin ($JAEGER_VERSION) present, skipping"
    return 0
  fi
  mkdir -p "$BIN_DIR"
  log "install: jaeger: go build $JAEGER_PACKAGE@$JAEGER_VERSION, the tool of $dir/go.mod (minutes on a cold build cache; progress every 30 s; log: $blog)"
  local t0=$SECONDS next=$((SECONDS + 30)) pid rc=0
  # -v lists each package as it is compiled: the progress count below.
  (cd "$dir" && GOWORK=off go build -v -o "$bin.tmp" \
    -ldflags "-s -w -X github.com/jaegertracing/jaeger/internal/version.latestVersion=$JAEGER_VERSION" \
    "$JAEGER_PACKAGE") >"$blog" 2>&1 &
  pid=$!
  while is_alive "$pid"; do
    sleep 1
    if ((SECONDS >= next)); then
      log "install: jaeger: still building, $((SECONDS - t0)) s, $(wc -l <"$blog") packages compiled so far"
      next=$((SECONDS + 30))
    fi
  done
  wait "$pid" || rc=$?
  if ((rc != 0)); then
    rm -f "$bin.tmp"
    tail -n 20 "$blog" >&2
    die "install: jaeger: 'go build $JAEGER_PACKAGE' in $dir failed (log: $blog)"
  fi
  mv -f "$bin.tmp" "$bin"
  log "install: jaeger: built $bin in $((SECONDS - t0)) s"
}

# A copy in the state dir: the running process names its stack on its command line.
jaeger_prepare() { cp "$REPO_ROOT/scripts/stack/jaeger/config.yaml" "$STACK_DIR/jaeger.yaml"; }

# The ports Jaeger takes besides its query port, which the stack's own checks do not see.
jaeger_before_launch() {
  local p owner
  for p in $((JAEGER_PORT - 1)) "$JAEGER_OTLP_PORT" $((JAEGER_OTLP_PORT + 1)); do
    if port_busy "$p"; then
      owner="$(port_owner "$p")"
      die "jaeger: port $p on $HOST (query gRPC, OTLP gRPC or OTLP HTTP) is in use${owner:+ by $owner}; set SPANFLAME_JAEGER_PORT / SPANFLAME_JAEGER_OTLP_PORT to free ports"
    fi
  done
}

jaeger_cmd() {
  CMD=(env "SPANFLAME_JAEGER_HOST=$HOST" "SPANFLAME_JAEGER_PORT=$JAEGER_PORT"
    "SPANFLAME_JAEGER_GRPC_PORT=$((JAEGER_PORT - 1))" "SPANFLAME_JAEGER_OTLP_PORT=$JAEGER_OTLP_PORT"
    "SPANFLAME_JAEGER_OTLP_HTTP_PORT=$((JAEGER_OTLP_PORT + 1))" "SPANFLAME_JAEGER_MAX_TRACES=$JAEGER_MAX_TRACES"
    "$BIN_DIR/jaeger" --config "$STACK_DIR/jaeger.yaml")
}

jaeger_env() {
  echo "SPANFLAME_JAEGER_URL=$(component_url jaeger)"
  echo "SPANFLAME_JAEGER_OTLP_ENDPOINT=$(jaeger_otlp_url)"
  echo "SPANFLAME_JAEGER_OTLP_HTTP_ENDPOINT=http://$HOST:$((JAEGER_OTLP_PORT + 1))"
}
jaeger_summary() { summary_line jaeger "$(component_url jaeger)" jaeger; }

register_component jaeger jaeger
