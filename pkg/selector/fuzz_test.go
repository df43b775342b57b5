package selector

import (
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
)

// FuzzParse: no input panics, and whatever parses renders to a query Parca's parser accepts
// and that parses back to the same selector.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{"", "{}", `{a="b"}`, `a="b"`, `{a=~"x.*",b!=""}`, `{a="\n\""}`, `{`, `}`, `{a=}`, `{"a.b"="c"}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sel, err := Parse(text)
		if err != nil {
			return
		}
		query := Query("process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta", sel)
		if _, err := parser.ParseMetricSelector(query); err != nil {
			t.Fatalf("Parse(%q) rendered %s, which Parca's parser rejects: %v", text, query, err)
		}
		again, err := Parse(sel.String())
		if err != nil {
			t.Fatalf("Parse(%q) rendered %s, which does not parse back: %v", text, sel, err)
		}
		if again.String() != sel.String() {
			t.Fatalf("round trip changed %s into %s", sel, again)
		}
	})
}

// FuzzEqualValue: any label value, however hostile, stays one matcher with that value.
func FuzzEqualValue(f *testing.F) {
	for _, seed := range []string{"checkout", `x"}`, "a\nb", `\`, "\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		query := Query("p:a:b:c:d", Selector{}.With(Equal("service_name", value)))
		ms, err := parser.ParseMetricSelector(query)
		if err != nil {
			t.Fatalf("value %q: %s rejected: %v", value, query, err)
		}
		if len(ms) != 2 {
			t.Fatalf("value %q: %s parsed into %d matchers", value, query, len(ms))
		}
	})
}
