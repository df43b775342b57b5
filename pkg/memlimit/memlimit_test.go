package memlimit

import (
	"math"
	"runtime/debug"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]int64{
		"600MiB": 600 << 20, "1GiB": 1 << 30, "512KiB": 512 << 10, "1048576": 1 << 20, "2048B": 2048,
		" 64 MiB": 64 << 20, "off": math.MaxInt64,
	} {
		if got, err := Parse(strings.TrimSpace(in)); err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "600MB", "1.5GiB", "-1", "0", "lots", "9999999TiB"} {
		if got, err := Parse(in); err == nil || !strings.Contains(err.Error(), "such as 600MiB") {
			t.Errorf("Parse(%q) = %d, %v; want an error that says what to write", in, got, err)
		}
	}
}

func TestApply(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }

	cases := []struct {
		name      string
		vars      map[string]string
		want      int64
		from      string
		wantError bool
	}{
		{"nothing configured", nil, Default, "default", false},
		{"the plugin's grafana.ini setting", map[string]string{Env: "768MiB", goEnv: "1GiB"}, 768 << 20, Env, false},
		{"a setting it cannot read", map[string]string{Env: "768MB"}, Default, "default", true},
	}
	for _, c := range cases {
		limit, from, err := Apply(env(c.vars))
		if limit != c.want || from != c.from || (err != nil) != c.wantError {
			t.Errorf("%s: got %d from %s (%v), want %d from %s", c.name, limit, from, err, c.want, c.from)
		}
		if got := debug.SetMemoryLimit(-1); got != c.want {
			t.Errorf("%s: the runtime's limit is %d, want %d", c.name, got, c.want)
		}
	}

	// GOMEMLIMIT was applied by the runtime at start; Apply leaves it in force.
	debug.SetMemoryLimit(900 << 20)
	if limit, from, err := Apply(env(map[string]string{goEnv: "900MiB"})); limit != 900<<20 || from != goEnv || err != nil {
		t.Errorf("GOMEMLIMIT: got %d from %s (%v)", limit, from, err)
	}
}
