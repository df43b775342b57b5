// A module of its own so the benchmark's converter never touches the backend's go.mod.
module github.com/spanflame/spanflame/scripts/bench/flamegraph/pprof2frame

go 1.26.5

require github.com/google/pprof v0.0.0-20260906184651-6331bc6350fe
