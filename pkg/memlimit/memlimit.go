// Package memlimit sets the backend's soft memory limit (runtime/debug.SetMemoryLimit).
//
// Go lets its heap grow to about twice what is live before it collects. Under load the live
// memory is mostly short-lived: the SDK encodes every response's frames once per caller and
// holds each encoding until Grafana has read it (fifty panels sharing one 124k-node flame graph
// are fifty 5 MB encodings at once, and several times that in garbage), so the process would
// reach twice its peak for no use. A soft limit makes the runtime collect sooner when the heap
// nears it; it does not refuse memory, so a query that needs more still gets it (the runtime
// then collects more often, at most about half the CPU).
package memlimit

import (
	"fmt"
	"math"
	"runtime/debug"
	"strconv"
	"strings"
)

// Default is the limit when none is configured: under the load benchmark's aim of 500 MB for
// the whole process, with room for what the runtime does not count (the executable's code).
const Default int64 = 400 << 20

// Env is where Grafana puts the plugin's own setting: the key memory_limit in the section
// [plugin.spanflame-parca-datasource] of grafana.ini reaches the plugin as GF_PLUGIN_MEMORY_LIMIT
// (Grafana passes a plugin's section as GF_PLUGIN_<KEY>).
const Env = "GF_PLUGIN_MEMORY_LIMIT"

// goEnv is Go's own setting, which the runtime has applied before main runs. Grafana 12.4 and
// later pass it to a plugin only with [plugins] forward_host_env_vars naming the plugin.
const goEnv = "GOMEMLIMIT"

// Apply sets the limit from Env, else leaves GOMEMLIMIT's, else sets Default. It returns the
// limit in force and where it came from; a value of Env it cannot read is an error that says
// what to write, and Default applies.
func Apply(getenv func(string) string) (limit int64, from string, err error) {
	if v := strings.TrimSpace(getenv(Env)); v != "" {
		limit, err = Parse(v)
		if err == nil {
			debug.SetMemoryLimit(limit)
			return limit, Env, nil
		}
		err = fmt.Errorf("%s=%q: %w; using the default of %d MiB", Env, v, err, Default>>20)
	} else if getenv(goEnv) != "" {
		return debug.SetMemoryLimit(-1), goEnv, nil
	}
	debug.SetMemoryLimit(Default)
	return Default, "default", err
}

// units are GOMEMLIMIT's, longest first so that "MiB" is not read as "B".
var units = []struct {
	suffix string
	shift  uint
}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}

// Parse reads a size written as GOMEMLIMIT is: a whole number of bytes with an optional unit
// (B, KiB, MiB, GiB, TiB), or "off" for no limit.
func Parse(s string) (int64, error) {
	if s == "off" {
		return math.MaxInt64, nil
	}
	number, shift := s, uint(0)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			number, shift = rest, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(number), 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64>>shift {
		return 0, fmt.Errorf("not a size: write a whole number of bytes with a unit, such as 600MiB or 1GiB, or off")
	}
	return n << shift, nil
}
