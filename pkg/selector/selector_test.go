package selector

import (
	"strings"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    string // rendered selector; "" when an error is expected
		wantErr string // substring of the error
	}{
		{in: "", want: "{}"},
		{in: "{}", want: "{}"},
		{in: "  { }  ", want: "{}"},
		{in: `{service_name="checkout"}`, want: `{service_name="checkout"}`},
		{in: `service_name="checkout"`, want: `{service_name="checkout"}`},
		{in: `{a="1", b!="2", c=~"x.*", d!~"y|z"}`, want: `{a="1",b!="2",c=~"x.*",d!~"y|z"}`},
		{in: `{trace_id=""}`, want: `{trace_id=""}`},
		{in: `{trace_id=~".+"}`, want: `{trace_id=~".+"}`},
		{in: `{a="quote\" back\\ nl\n"}`, want: `{a="quote\" back\\ nl\n"}`},
		{in: `{"dotted.name"="v"}`, want: `{"dotted.name"="v"}`},
		{in: `{a=b}`, wantErr: `at "b"`},
		{in: `{a="b" c="d"}`, wantErr: `at "c"`},
		{in: `{a=~"("}`, wantErr: "missing closing )"},
		{in: `{a="b"`, wantErr: "invalid label selector"},
		{in: `process_cpu{a="b"}`, wantErr: "profile type"},
		{in: `{__name__="x"}`, wantErr: "__name__ is not a label"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Fatalf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

// TestEscapingCannotInject builds selectors from hostile values and checks that Parca's parser
// (the one Parca itself uses) reads back exactly one matcher with exactly that value.
func TestEscapingCannotInject(t *testing.T) {
	hostile := []string{
		`checkout"}`,
		`a", trace_id=~".+`,
		"line1\nline2",
		`back\slash\`,
		"tab\there",
		"nul\x00byte",
		"ünïcödé ✓",
		"\xff\xfe invalid utf-8",
		`}{`,
	}
	for _, v := range hostile {
		q := Query("process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta", Selector{}.With(Equal("service_name", v)))
		ms, err := parser.ParseMetricSelector(q)
		if err != nil {
			t.Fatalf("value %q: Parca's parser rejects %s: %v", v, q, err)
		}
		var values []string
		for _, m := range ms {
			if m.Name != "__name__" {
				values = append(values, m.Name+"="+m.Value)
			}
		}
		if len(values) != 1 || values[0] != "service_name="+v {
			t.Fatalf("value %q came back as %q from %s", v, values, q)
		}
	}
}

func TestWithoutAndHas(t *testing.T) {
	s, err := Parse(`{service_name="a", trace_id="b", span_id="c"}`)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Has(TraceIDLabel) {
		t.Fatal("Has(trace_id) = false")
	}
	got := s.Without(TraceIDLabel, SpanIDLabel).String()
	if got != `{service_name="a"}` {
		t.Fatalf("Without = %s", got)
	}
	if s.String() != `{service_name="a",trace_id="b",span_id="c"}` {
		t.Fatalf("Without changed the original: %s", s)
	}
	if strs := s.MatcherStrings(); len(strs) != 3 || strs[1] != `trace_id="b"` {
		t.Fatalf("MatcherStrings = %q", strs)
	}
}
