package models

import (
	"strings"
	"testing"
	"time"
)

var (
	testFrom = time.Date(2026, 11, 21, 10, 0, 0, 250_000_000, time.UTC)
	testTo   = testFrom.Add(120 * time.Millisecond)
)

const cpu = "process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta"

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		qt      string
		check   func(t *testing.T, q *Query)
		wantErr string
	}{
		{
			name: "defaults",
			json: `{"profileType":"` + cpu + `"}`,
			check: func(t *testing.T, q *Query) {
				if q.Type != QueryTypeProfile || q.Limit != DefaultTableLimit || q.NodeTrimThreshold != DefaultNodeTrimThreshold {
					t.Fatalf("defaults not applied: %+v", q)
				}
				if !q.From.Equal(testFrom) || !q.To.Equal(testTo) {
					t.Fatalf("time range changed: %v..%v", q.From, q.To)
				}
			},
		},
		{
			name: "request query type wins",
			json: `{"queryType":"profile","profileType":"` + cpu + `"}`, qt: "metrics",
			check: func(t *testing.T, q *Query) {
				if q.Type != QueryTypeMetrics {
					t.Fatalf("type = %s", q.Type)
				}
			},
		},
		{
			name: "trace and span become matchers, upper case accepted",
			json: `{"profileType":"` + cpu + `","labelSelector":"{service_name=\"checkout\"}","traceId":"4BF92F3577B34DA6A3CE929D0E0E4736","spanId":"00f067aa0ba902b7"}`,
			check: func(t *testing.T, q *Query) {
				want := `{service_name="checkout",trace_id="4bf92f3577b34da6a3ce929d0e0e4736",span_id="00f067aa0ba902b7"}`
				if q.Selector.String() != want {
					t.Fatalf("selector = %s, want %s", q.Selector, want)
				}
				if q.BaseSelector.String() != `{service_name="checkout"}` {
					t.Fatalf("base selector = %s", q.BaseSelector)
				}
			},
		},
		{
			name: "filters with exclusion",
			json: `{"profileType":"` + cpu + `","functionFilter":"!runtime.","binaryFilter":"shop"}`,
			check: func(t *testing.T, q *Query) {
				if q.Function != (TextFilter{Text: "runtime.", Exclude: true}) || q.Binary != (TextFilter{Text: "shop"}) || q.Filename.Active() {
					t.Fatalf("filters = %+v %+v %+v", q.Function, q.Binary, q.Filename)
				}
			},
		},
		{
			name: "group by strips labels. prefix and duplicates",
			json: `{"profileType":"` + cpu + `","groupBy":["labels.service_name","service_name","job"]}`,
			check: func(t *testing.T, q *Query) {
				if strings.Join(q.GroupBy, ",") != "service_name,job" {
					t.Fatalf("groupBy = %v", q.GroupBy)
				}
			},
		},
		{
			name: "group by span id within one trace",
			json: `{"profileType":"` + cpu + `","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","groupBy":["labels.span_id"]}`,
			check: func(t *testing.T, q *Query) {
				if strings.Join(q.GroupBy, ",") != "span_id" || q.Selector.String() != `{trace_id="4bf92f3577b34da6a3ce929d0e0e4736"}` {
					t.Fatalf("groupBy = %v, selector = %s", q.GroupBy, q.Selector)
				}
			},
		},
		{
			name: "diff offset baseline",
			json: `{"queryType":"diff","profileType":"` + cpu + `","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","baseline":{"mode":"offset","offset":"1h"}}`,
			check: func(t *testing.T, q *Query) {
				if !q.Baseline.From.Equal(testFrom.Add(-time.Hour)) || !q.Baseline.To.Equal(testTo.Add(-time.Hour)) {
					t.Fatalf("baseline = %+v", q.Baseline)
				}
				if q.Baseline.Selector.String() != "{}" {
					t.Fatalf("baseline selector keeps the trace matcher: %s", q.Baseline.Selector)
				}
			},
		},
		{
			name: "diff range baseline, epoch ms and RFC 3339",
			json: `{"queryType":"diff","profileType":"` + cpu + `","baseline":{"mode":"range","from":1763719200250,"to":"2025-11-21T10:00:01.5Z"}}`,
			check: func(t *testing.T, q *Query) {
				if q.Baseline.From.UnixMilli() != 1763719200250 || q.Baseline.To.UnixMilli() != 1763719201500 {
					t.Fatalf("baseline = %v..%v", q.Baseline.From, q.Baseline.To)
				}
			},
		},
		{
			name: "diff selector baseline",
			json: `{"queryType":"diff","profileType":"` + cpu + `","labelSelector":"{service_name=\"a\"}","baseline":{"mode":"selector","labelSelector":"{service_name=\"b\"}"}}`,
			check: func(t *testing.T, q *Query) {
				if q.Baseline.Selector.String() != `{service_name="b"}` || !q.Baseline.From.Equal(q.From) {
					t.Fatalf("baseline = %+v", q.Baseline)
				}
			},
		},
		{name: "not JSON", json: `{`, wantErr: "not valid JSON"},
		{name: "unknown type", json: `{"queryType":"flamechart","profileType":"` + cpu + `"}`, wantErr: "known types: profile, metrics, table, diff, coverage"},
		{name: "no profile type", json: `{}`, wantErr: "no profile type chosen"},
		{name: "bad profile type", json: `{"profileType":"cpu"}`, wantErr: "has 1 parts"},
		{name: "bad selector", json: `{"profileType":"` + cpu + `","labelSelector":"{a=b}"}`, wantErr: `at "b"`},
		{name: "short trace id", json: `{"profileType":"` + cpu + `","traceId":"abc"}`, wantErr: "32 hexadecimal characters"},
		{name: "non-hex span id", json: `{"profileType":"` + cpu + `","spanId":"zzzzzzzzzzzzzzzz"}`, wantErr: "16 hexadecimal characters"},
		{name: "zero trace id", json: `{"profileType":"` + cpu + `","traceId":"00000000000000000000000000000000"}`, wantErr: "all zeros"},
		{name: "group by trace id", json: `{"profileType":"` + cpu + `","groupBy":["trace_id"]}`, wantErr: "cannot group by trace_id"},
		{name: "group by span id without a trace", json: `{"profileType":"` + cpu + `","groupBy":["span_id"]}`, wantErr: "set a trace id"},
		{name: "group by trace id within a trace", json: `{"profileType":"` + cpu + `","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","groupBy":["trace_id"]}`, wantErr: "cannot group by trace_id"},
		{name: "group by junk", json: `{"profileType":"` + cpu + `","groupBy":["a-b"]}`, wantErr: "not a label name"},
		{name: "trim over 100", json: `{"profileType":"` + cpu + `","nodeTrimThreshold":120}`, wantErr: "between 0 and 100"},
		{name: "negative limit", json: `{"profileType":"` + cpu + `","limit":-1}`, wantErr: "out of range"},
		{name: "diff without baseline", json: `{"queryType":"diff","profileType":"` + cpu + `"}`, wantErr: "needs a baseline"},
		{name: "diff bad offset", json: `{"queryType":"diff","profileType":"` + cpu + `","baseline":{"mode":"offset","offset":"yesterday"}}`, wantErr: "not a positive duration"},
		{name: "diff inverted range", json: `{"queryType":"diff","profileType":"` + cpu + `","baseline":{"mode":"range","from":2000,"to":1000}}`, wantErr: "baseline time range is inverted"},
		{name: "diff bad time", json: `{"queryType":"diff","profileType":"` + cpu + `","baseline":{"mode":"range","from":"noon","to":1000}}`, wantErr: "neither RFC 3339"},
		{name: "coverage with trace", json: `{"queryType":"coverage","profileType":"` + cpu + `","traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}`, wantErr: "leave trace id"},
		{name: "coverage with trace matcher", json: `{"queryType":"coverage","profileType":"` + cpu + `","labelSelector":"{trace_id=\"x\"}"}`, wantErr: "remove the trace_id matcher"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseQuery([]byte(tt.json), tt.qt, testFrom, testTo)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, q)
		})
	}
}

func TestParseQueryTimeRange(t *testing.T) {
	raw := []byte(`{"profileType":"` + cpu + `"}`)
	if _, err := ParseQuery(raw, "", testTo, testFrom); err == nil || !strings.Contains(err.Error(), "inverted") {
		t.Fatalf("inverted range: %v", err)
	}
	if _, err := ParseQuery(raw, "", testFrom, testFrom); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("empty range: %v", err)
	}
}

func TestGrafanaUnit(t *testing.T) {
	for unit, want := range map[string]string{"nanoseconds": "ns", "bytes": "bytes", "count": "short", "": "short"} {
		if got := GrafanaUnit(unit); got != want {
			t.Errorf("GrafanaUnit(%q) = %q, want %q", unit, got, want)
		}
	}
}

// FuzzParseQuery: no query JSON panics the parser, and what parses has a usable range and type.
func FuzzParseQuery(f *testing.F) {
	f.Add(`{"profileType":"`+cpu+`"}`, "")
	f.Add(`{"queryType":"diff","profileType":"`+cpu+`","baseline":{"mode":"range","from":"1","to":2}}`, "diff")
	f.Add(`{"profileType":"`+cpu+`","labelSelector":"{a=\"\\n\"}","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","groupBy":["a"],"limit":5,"nodeTrimThreshold":1.5}`, "table")
	f.Add(`{"baseline":{"mode":"offset","offset":"-1h"}}`, "diff")
	f.Fuzz(func(t *testing.T, raw, queryType string) {
		q, err := ParseQuery([]byte(raw), queryType, testFrom, testTo)
		if err != nil {
			return
		}
		if !q.Type.Valid() || !q.To.After(q.From) {
			t.Fatalf("accepted an unusable query: %+v", q)
		}
		if q.Type == QueryTypeDiff && (q.Baseline == nil || !q.Baseline.To.After(q.Baseline.From)) {
			t.Fatalf("accepted a diff without a usable baseline: %+v", q.Baseline)
		}
	})
}

// TestTraceIDsQueryIsBounded: a traceIds query splits by trace id, so its range and its answer
// are capped, and it refuses the trace matchers it would read itself.
func TestTraceIDsQueryIsBounded(t *testing.T) {
	parse := func(model string, span time.Duration) (*Query, error) {
		return ParseQuery([]byte(`{"profileType":"`+cpu+`"`+model+`}`), "traceIds", testFrom, testFrom.Add(span))
	}
	q, err := parse(``, 5*time.Minute)
	if err != nil || q.Limit != DefaultTraceIDLimit {
		t.Fatalf("defaults: %+v, %v", q, err)
	}
	if q, err = parse(`,"limit":50`, MaxTraceIDRange); err != nil || q.Limit != 50 {
		t.Fatalf("the caps themselves: %+v, %v", q, err)
	}
	for name, tc := range map[string]struct {
		model string
		span  time.Duration
		want  string
	}{
		"range":     {``, time.Hour, "at most 15m0s: shorten it (got 1h0m0s)"},
		"limit":     {`,"limit":51`, time.Minute, "choose 1 to 50 trace ids"},
		"trace id":  {`,"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"`, time.Minute, "leave trace id and span id empty"},
		"matcher":   {`,"labelSelector":"{trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\"}"`, time.Minute, "remove the trace_id matcher"},
		"negative":  {`,"limit":-1`, time.Minute, "choose 1 to 50"},
		"span name": {`,"labelSelector":"{span_id!=\"\"}"`, time.Minute, "remove the span_id matcher"},
	} {
		if _, err := parse(tc.model, tc.span); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", name, err, tc.want)
		}
	}
}
