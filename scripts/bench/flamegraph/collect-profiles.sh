#!/usr/bin/env bash
# Records real Go CPU profiles and converts them to the flame graph frame contract.
# Why: the benchmark and harness need a large *real* call tree; the Go compiler building the
# standard library, plus a few CPU-heavy standard library test suites, give deep and varied stacks.
# Output (committed; rerun this script to regenerate):
#   fixtures/go-toolchain.json.gz     compiler + test suites, one top frame per program
#   fixtures/go-compile-diff.json.gz  diff frame: compiling std (baseline) vs compiling cmd (comparison)
# Takes a few minutes on 2 cores; needs only the Go toolchain and the Go module proxy.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/compile" "$work/profiles" "$here/fixtures"

# A toolexec wrapper that gives every compiler run its own -cpuprofile, named after the package.
cat >"$work/wrap.sh" <<'WRAP'
#!/usr/bin/env bash
tool="$1"; shift
if [[ "$(basename "$tool")" == compile* ]]; then
  pkg=unknown; prev=""
  for a in "$@"; do [[ "$prev" == "-p" ]] && pkg="$a"; prev="$a"; done
  exec "$tool" -cpuprofile "$PROFILE_DIR/$(echo "$pkg" | tr '/' '_').pprof" "$@"
fi
exec "$tool" "$@"
WRAP
chmod +x "$work/wrap.sh"

export GOCACHE="$work/gocache" GOFLAGS=-mod=mod
echo "compiling std with per-package CPU profiles..."
PROFILE_DIR="$work/compile" go build -a -p 2 -toolexec "$work/wrap.sh" std cmd/go cmd/compile
go tool pprof -proto "$work"/compile/*.pprof >"$work/profiles/cmd_compile.pb.gz" 2>/dev/null
# The same program on two kinds of input: a real diff (what costs more when compiling the toolchain).
mkdir -p "$work/diff"
go tool pprof -proto $(ls "$work"/compile/*.pprof | grep -v '/compile/cmd_') >"$work/diff/std.pb.gz" 2>/dev/null
go tool pprof -proto "$work"/compile/cmd_*.pprof >"$work/diff/cmd.pb.gz" 2>/dev/null

# The type checker's own test suite: deep recursive stacks of a different program.
# (Benchmarks are left out: some standard library benchmarks run for many minutes on 2 cores.)
for pkg in go/types; do
  name="test_$(echo "$pkg" | tr '/' '_')"
  echo "profiling go test $pkg..."
  (cd "$work" && go test -count=1 -run . -cpuprofile "$work/profiles/$name.pb.gz" -o "$work/$name.test" "$pkg" >/dev/null) || true
done

(cd "$here/pprof2frame" && go build -o "$work/pprof2frame" .)
"$work/pprof2frame" -group -o "$here/fixtures/go-toolchain.json.gz" "$work"/profiles/*.pb.gz
"$work/pprof2frame" -o "$here/fixtures/go-compile-diff.json.gz" "$work/diff/std.pb.gz" -vs "$work/diff/cmd.pb.gz"
ls -la "$here/fixtures"
