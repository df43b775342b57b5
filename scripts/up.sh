#!/usr/bin/env bash
# Quick start, command 1: set everything up and run Spanflame.
#   - With a Docker engine: the compose stack (Grafana on http://localhost:3000 with the
#     built plugin and provisioning mounted), profile "ebpf" (Beyla, parca-agent) when the
#     engine's kernel allows eBPF, else "fallback"; SPANFLAME_COMPOSE_PROFILE=ebpf|fallback chooses.
#   - Without one: the local stack (Parca, Prometheus, the demo shop) and the preview host
#     that loads the built plugin in a browser, in the foreground; Ctrl-C stops everything.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

scripts/setup.sh

# ebpf when the Docker engine's kernel (a VM's on Docker Desktop) has BTF and lets a privileged
# container see it: Beyla and parca-agent need both. Otherwise the fallback profile.
compose_profile() {
  if [[ -n "${SPANFLAME_COMPOSE_PROFILE:-}" ]]; then
    [[ "$SPANFLAME_COMPOSE_PROFILE" == ebpf || "$SPANFLAME_COMPOSE_PROFILE" == fallback ]] ||
      fail "SPANFLAME_COMPOSE_PROFILE must be 'ebpf' or 'fallback', got '$SPANFLAME_COMPOSE_PROFILE'"
    echo "$SPANFLAME_COMPOSE_PROFILE"
  elif docker run --rm --privileged --pid=host busybox:1.37.0 test -e /sys/kernel/btf/vmlinux >/dev/null 2>&1; then
    echo ebpf
  else
    echo fallback
  fi
}

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  profile=$(compose_profile)
  say "Docker engine found: starting the compose stack, profile $profile (Grafana on http://localhost:3000)"
  exec docker compose --profile "$profile" up --build
fi

say "no Docker engine: running the local stack in the foreground"
if [[ -x scripts/preview.sh ]]; then
  exec scripts/preview.sh
fi
exec scripts/stack.sh run
