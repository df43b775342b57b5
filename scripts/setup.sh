#!/usr/bin/env bash
# Sets up everything Spanflame needs on this machine, idempotently: system packages,
# npm packages, the built plugin in dist/ (front end + Go backend), and the local
# stack's binaries (Parca, the demo shop). Safe to run again; it skips what is done.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

need go "install Go 1.26 or newer (https://go.dev/doc/install)"
need node "install Node.js 20 or newer"
need npm "install npm (it comes with Node.js)"
(($(node_major) >= 20)) || fail "Node.js $(node --version) is too old: Spanflame builds with Node.js 20 or newer"

# Prometheus, Chromium (browser tests) and docker-compose (to check the compose file
# offline) come from Debian; curl for the stack's readiness checks.
apt_ensure curl:curl prometheus:prometheus chromium:chromium docker-compose:docker-compose

# npm ci: exactly the versions in package-lock.json, and it never rewrites the lock, so a fresh
# clone stays clean (scripts/test.sh checks that setup leaves tracked files alone). The lock lists
# every platform's optional packages (e.g. @swc/core-darwin-arm64); npm skips the ones that are
# not for this machine. Only when package.json or the lock changed since the last install.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ||
  package.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm packages (npm ci, from package-lock.json)"
  quietly npm-install npm ci --no-audit --no-fund
fi

say "building the front end (webpack -> dist/)"
quietly webpack-build npm run build

# The SDK's Mage targets build the datasource backend named in src/datasource/plugin.json.
# Mage itself runs from the module graph (go.mod), so nothing is installed globally.
say "building the Go backend (mage build:linux -> dist/datasource/)"
quietly mage-build go run github.com/magefile/mage -v build:linux

say "installing the local stack (Parca, Prometheus, demo shop)"
scripts/stack.sh install
