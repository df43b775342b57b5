#!/usr/bin/env bash
# Quick start, command 2: run every test suite, non-interactively.
# Sets up what is missing first (scripts/setup.sh), starts a private copy of the local
# stack for the integration and browser tests, and stops it again whatever happens.
# Every suite runs even when an earlier one failed; the last line counts them.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

# Setup must leave the tracked files alone, so a fresh clone stays clean after it (npm once
# rewrote package-lock.json here). Git's view of the tree before and after setup is compared below.
tree_state() { git status --porcelain=v1 2>&1; git diff HEAD 2>&1 | sha1sum; }
tree_before_setup=$(tree_state)
scripts/setup.sh || fail "setup failed: see the messages above"
tree_after_setup=$(tree_state)

# The tests' own stack: its own state dir and ports, so a running dev stack is left alone.
export SPANFLAME_STACK_DIR="${SPANFLAME_STACK_DIR:-$REPO_ROOT/.stack/test}"
export SPANFLAME_PARCA_PORT="${SPANFLAME_PARCA_PORT:-27070}"
export SPANFLAME_PROMETHEUS_PORT="${SPANFLAME_PROMETHEUS_PORT:-29090}"
export SPANFLAME_SHOP_PORT="${SPANFLAME_SHOP_PORT:-28481}"
export SPANFLAME_JAEGER_PORT="${SPANFLAME_JAEGER_PORT:-26686}"
export SPANFLAME_JAEGER_OTLP_PORT="${SPANFLAME_JAEGER_OTLP_PORT:-24317}"
export SPANFLAME_TEMPO_PORT="${SPANFLAME_TEMPO_PORT:-23200}"
FUZZ_TIME="${SPANFLAME_FUZZ_TIME:-10s}"

passed=() failed=()
suite() {   # suite NAME CMD...: run one suite, record the outcome
  local name=$1; shift
  say "suite: $name"
  local start=$SECONDS
  if "$@"; then passed+=("$name"); echo "--- suite $name passed ($((SECONDS - start)) s)"
  else failed+=("$name"); echo "--- suite $name FAILED ($((SECONDS - start)) s)"; fi
}

stop_stack() { scripts/stack.sh stop >/dev/null 2>&1 || true; }
trap stop_stack EXIT
trap 'exit 130' INT TERM

# Start the stack early: Parca needs a few scrapes before there is data to assert on,
# and the unit suites run meanwhile.
say "starting the test stack in $SPANFLAME_STACK_DIR"
stack_ok=true
scripts/stack.sh start || stack_ok=false

fuzz_all() {   # each Fuzz target in pkg/ and demo/, briefly
  local file pkg target rc=0 log
  log=$(mktemp)
  while IFS=: read -r file target; do
    # go test -C runs in the package's own directory, so targets in the demo's own
    # modules (demo/go.mod, demo/groundtruth/go.mod) work too.
    pkg="$(dirname "$file")"
    echo "fuzz $pkg $target for $FUZZ_TIME"
    # A short -fuzzminimizetime: with the default (60 s) a worker still minimising a new
    # input when -fuzztime ends makes go test report "context deadline exceeded".
    # (pipefail: the pipeline fails when go test does.)
    if go test -C "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZ_TIME" -fuzzminimizetime 1s . 2>&1 | tee "$log"; then
      continue
    fi
    # Go before 1.27 can also fail a target with a bare "context deadline exceeded" when the
    # -fuzztime deadline races a busy worker's shutdown (golang/go#75804), with nothing found.
    # A real finding always writes its input; without one, the corpus replay decides.
    if grep -q 'context deadline exceeded' "$log" && ! grep -qE 'Failing input written|panic:|^\s+\S+_test\.go:[0-9]+:' "$log"; then
      echo "fuzz $target: deadline race at the end of fuzzing (golang/go#75804), no input found; replaying its corpus"
      go test -C "$pkg" -count=1 -run "^${target}\$" . || rc=1
    else
      rc=1
    fi
  done < <(grep -rHoE --include='*_test.go' '^func (Fuzz[A-Za-z0-9_]+)' pkg demo | sed 's/func //')
  rm -f "$log"
  return $rc
}

# The module's packages; ./... would also walk into node_modules, where an npm package ships Go code.
go_packages() { go list ./... | grep -v /node_modules/; }

# The packages with integration-tagged tests: the unit tests already ran in go-unit, and the
# demo's timing-sensitive self-checks should not run again beside the loaded test stack.
integration_packages() {
  grep -rl --include='*_test.go' '^//go:build integration' pkg tests | xargs -n1 dirname | sort -u | sed 's|^|./|'
}

setup_left_tree_alone() {
  [[ "$tree_before_setup" == "$tree_after_setup" ]] && return 0
  echo "scripts/setup.sh changed the working tree (git status and diff differ before and after it):"
  diff <(echo "$tree_before_setup") <(echo "$tree_after_setup")
  return 1
}
suite setup-leaves-tree-clean setup_left_tree_alone
suite typecheck npm run --silent typecheck
suite lint npm run --silent lint
suite jest npm run --silent test:ci
suite go-vet go vet $(go_packages)
suite go-unit go test -count=1 $(go_packages)
# Go modules of their own (each with its go.mod, so the plugin's go.mod holds only the plugin's
# dependencies): ./... above does not reach them. Vet and test each one.
# deploy/check reads the compose stack and provisioning (uids, pinned images, profiles, configs
# through promtool and Parca itself): Docker cannot run here, so that is what is checked.
NESTED_GO_MODULES=(preview scripts/stack/cpurelay deploy/check demo demo/groundtruth)
go_module() { (cd "$1" && go vet ./... && go test -count=1 ./...); }
for module in "${NESTED_GO_MODULES[@]}"; do suite "go-module:$module" go_module "$module"; done
suite go-fuzz fuzz_all
suite plugin-package node scripts/validate-plugin.mjs
suite compose-file docker-compose -f docker-compose.yaml config --quiet

if $stack_ok; then
  set -a; . "$SPANFLAME_STACK_DIR/stack.env"; set +a
  # The local stack's Prometheus config, rendered from deploy/config/prometheus.yml.tmpl.
  suite prometheus-config promtool check config "$SPANFLAME_STACK_DIR/prometheus.yml"
  suite go-integration go test -tags integration -count=1 $(integration_packages)
  # The preview module's integration tests start their own Jaeger (the stack's build) and
  # Prometheus on free ports: the Tempo stand-in and the Prometheus stand-in against real ones.
  # The TypeScript trace stores against the stack's Jaeger and Tempo stand-in (same spans from both).
  # The trace-CPU check (src/integration/) asks the real backend through a preview host of its own.
  suite jest-integration bash -c 'scripts/preview.sh build && npx jest --config jest.integration.config.js'
  suite preview-integration bash -c 'cd preview && go vet -tags integration ./... && go test -tags integration -count=1 ./...'
  suite browser npx playwright test
else
  failed+=("stack")
  echo "--- the local stack did not start: integration and browser suites not run (see above)"
fi

echo
echo "passed: ${passed[*]:-none}"
echo "failed: ${failed[*]:-none}"
echo "suites: ${#passed[@]} passed, ${#failed[@]} failed"
((${#failed[@]} == 0))
