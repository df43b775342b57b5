# Shared helpers for the top-level scripts (setup.sh, up.sh, test.sh). Source it; don't run it.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

say()  { printf '\n==> %s\n' "$*" >&2; }
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# need CMD HINT: fail with HINT when CMD is not on PATH.
need() { command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed: $2"; }

# apt_ensure PACKAGE:COMMAND...: install the Debian packages whose command is missing,
# with one 'apt-get update' first. Non-interactive; these machines run as root.
apt_ensure() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair#*:}" >/dev/null 2>&1 || missing+=("${pair%%:*}")
  done
  ((${#missing[@]} == 0)) && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=()
  [[ $(id -u) == 0 ]] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
    fail "apt-get update failed: check the machine's Debian package sources"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
    fail "apt-get install ${missing[*]} failed"
}

# node_major: the major version of the node on PATH.
node_major() { node -p 'process.versions.node.split(".")[0]'; }

# quietly NAME CMD...: run CMD with its output in .cache/logs/NAME.log; on failure show
# the end of that log, so a long build stays readable yet its errors are never hidden.
quietly() {
  local name=$1; shift
  local log="$REPO_ROOT/.cache/logs/$name.log"
  mkdir -p "$(dirname "$log")"
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    fail "$name failed (full log: ${log#"$REPO_ROOT"/})"
  fi
}
