//go:build integration

package integration

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
)

// The scale benchmark writes the same CPU into Parca several times, each time spread over a
// different number of distinct trace ids, and times every query type on each, through the
// plugin and straight against Parca. Rows stay the same (scaleLinked samples with a trace id,
// scaleUnlinked without, over the same scaleStacks stacks), so only the cardinality of
// trace_id changes.
const (
	// One sample per trace at the largest count, so every count divides it and each trace
	// holds exactly scaleLinked/N samples.
	scaleLinked   = 1_000_000
	scaleUnlinked = 428_572 // 30% of all samples
	scaleStacks   = 1_000   // distinct stacks: the flame graph has the same size for every N
)

// Override with SPANFLAME_SCALE_TRACE_IDS=100,10000 for a quicker run.
var scaleTraceCounts = []int{100, 10_000, 100_000, 1_000_000}

type scaleDataset struct {
	n        int
	job      string
	at       time.Time
	probe    string   // one trace id, for the one-trace queries
	probeTop []string // the stack of the probe trace's first sample
}

var (
	scaleOnce sync.Once
	scaleData []*scaleDataset
)

func randomHex(n int) string {
	b := make([]byte, n/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// scaleStack is stack i of the pool: 6 frames, the leaf unique to i.
func scaleStack(i int) []string {
	return []string{"main.main", fmt.Sprintf("scale.handler%d", i%7), fmt.Sprintf("scale.service%d", i%23),
		fmt.Sprintf("scale.repository%d", i%41), "scale.encode", fmt.Sprintf("scale.leaf%03d", i%scaleStacks)}
}

// writeScaleDataset writes one job at `at`: scaleLinked samples over n trace ids (each with one
// span id), trace t holding samples t*perTrace .. (t+1)*perTrace-1, and scaleUnlinked samples
// without trace_id/span_id, whose stacks end in scale.unlinkedWorker.
func writeScaleDataset(t testing.TB, parcaURL string, n int, at time.Time) *scaleDataset {
	ds := &scaleDataset{n: n, job: fmt.Sprintf("spanflame-scale-%d-n%d", at.Unix(), n), at: at}
	w := newOTLPCPUWriter(t, parcaURL, ds.job, at, 10*time.Second)
	defer w.close()
	perTrace := scaleLinked / n
	probe := (n/2 + 7) % n // off the round numbers, so its stack (at N = 1M) is not leaf000
	stacks := make([][]string, scaleStacks)
	for i := range stacks {
		stacks[i] = scaleStack(i)
	}
	var traceID, spanID string
	for j := 0; j < scaleLinked; j++ {
		if j%perTrace == 0 {
			traceID, spanID = randomHex(32), randomHex(16)
			if j/perTrace == probe {
				ds.probe, ds.probeTop = traceID, stacks[j%scaleStacks]
			}
		}
		w.add(stacks[j%scaleStacks], "trace_id", traceID, "span_id", spanID)
	}
	for k := 0; k < scaleUnlinked; k++ {
		w.add(append(stacks[k%scaleStacks][:6:6], "scale.unlinkedWorker"))
	}
	return ds
}

func scaleCounts(t testing.TB) []int {
	v := os.Getenv("SPANFLAME_SCALE_TRACE_IDS")
	if v == "" {
		return scaleTraceCounts
	}
	var counts []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 || scaleLinked%n != 0 {
			t.Fatalf("SPANFLAME_SCALE_TRACE_IDS: %q is not a divisor of %d", f, scaleLinked)
		}
		counts = append(counts, n)
	}
	return counts
}

// scaleQuery is one query type (or resource): the plugin's query, the Parca calls the plugin
// makes for it, and a check of the plugin's answer.
type scaleQuery struct {
	name, queryType string
	model           map[string]any
	resource        string // a resource path instead of a query
	direct          func(b *testing.B, d *directParca)
	check           func(b *testing.B, dr backend.DataResponse)
	checkBody       func(b *testing.B, body []byte) // for a resource
}

func queryCase(name, queryType string, model map[string]any, direct func(*testing.B, *directParca), check func(*testing.B, backend.DataResponse)) scaleQuery {
	return scaleQuery{name: name, queryType: queryType, model: model, direct: direct, check: check}
}

const scaleTrim = 0.1 // the plugin's default node trim threshold, percent

func scaleQueries(ds *scaleDataset, from, to time.Time) []scaleQuery {
	matchers := fmt.Sprintf(`job=%q`, ds.job)
	sel := "{" + matchers + "}"
	probeSel := "{" + matchers + fmt.Sprintf(`,trace_id=%q}`, ds.probe)
	total := int64(scaleLinked+scaleUnlinked) * int64(cpuPeriod)
	perTrace := int64(scaleLinked/ds.n) * int64(cpuPeriod)
	flame := func(b *testing.B, d *directParca, query string) {
		d.merge(b, cpuID+query, from, to, pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW, scaleTrim)
	}
	return []scaleQuery{
		queryCase("profile", "profile", map[string]any{"profileType": cpuID, "labelSelector": sel},
			func(b *testing.B, d *directParca) { flame(b, d, sel) },
			func(b *testing.B, dr backend.DataResponse) { wantTotal(b, dr, 0, "value", total) }),
		// A span's flame graph: the trace id becomes a trace_id="..." matcher.
		queryCase("profile-one-trace", "profile", map[string]any{"profileType": cpuID, "labelSelector": sel, "traceId": ds.probe},
			func(b *testing.B, d *directParca) { flame(b, d, probeSel) },
			func(b *testing.B, dr backend.DataResponse) {
				wantTotal(b, dr, 0, "value", perTrace)
				if perTrace >= scaleStacks*int64(cpuPeriod) {
					return // each stack is 0.1% of the trace: Parca may trim it away
				}
				labels := flameLabels(b, dr.Frames[0])
				for _, fn := range ds.probeTop {
					if !labels[fn] {
						b.Fatalf("the trace's flame graph lacks %s of its stack %v: %v", fn, ds.probeTop, labels)
					}
				}
				if perTrace == int64(cpuPeriod) && len(labels) != len(ds.probeTop)+1 { // + the root
					b.Fatalf("the one-sample trace's flame graph has %v, want the root and %v", labels, ds.probeTop)
				}
			}),
		queryCase("table", "table", map[string]any{"profileType": cpuID, "labelSelector": sel},
			func(b *testing.B, d *directParca) {
				d.merge(b, cpuID+sel, from, to, pb.QueryRequest_REPORT_TYPE_TABLE_ARROW, 0)
			},
			func(b *testing.B, dr backend.DataResponse) {
				if fn := dr.Frames[0].Fields[0].At(0).(string); fn != "scale.unlinkedWorker" {
					b.Fatalf("top function by self value is %s, want scale.unlinkedWorker (30%% of the samples)", fn)
				}
			}),
		queryCase("metrics", "metrics", map[string]any{"profileType": cpuID, "labelSelector": sel},
			func(b *testing.B, d *directParca) { d.rangeQuery(b, cpuID+sel, from, to, time.Second, nil) },
			func(b *testing.B, dr backend.DataResponse) {
				if v, _ := dr.Frames[0].FloatAt(1, 0); int64(v) != total {
					b.Fatalf("metrics value %v, want %d", v, total)
				}
			}),
		// A span against its service: the trace narrows the right side, the baseline is the
		// whole job in the same range.
		queryCase("diff-one-trace", "diff", map[string]any{"profileType": cpuID, "labelSelector": sel, "traceId": ds.probe,
			"baseline": map[string]any{"mode": "selector", "labelSelector": sel}},
			func(b *testing.B, d *directParca) { flame(b, d, sel); flame(b, d, probeSel) },
			func(b *testing.B, dr backend.DataResponse) {
				wantTotal(b, dr, 0, "value", total)
				wantTotal(b, dr, 0, "valueRight", perTrace)
			}),
		queryCase("coverage", "coverage", map[string]any{"profileType": cpuID, "labelSelector": sel},
			func(b *testing.B, d *directParca) { d.coverage(b, matchers, from, to, time.Second, scaleTrim) },
			func(b *testing.B, dr backend.DataResponse) {
				if len(dr.Frames) != 4 {
					b.Fatalf("coverage returned %d frames, want series, share, top functions, stacks", len(dr.Frames))
				}
				want := 100 * float64(scaleUnlinked) / float64(scaleLinked+scaleUnlinked)
				if share, _ := dr.Frames[1].FloatAt(0, 0); math.Abs(share-want) > 0.01 {
					b.Fatalf("unlinked share %.3f%%, want %.3f%%", share, want)
				}
				wantTotal(b, dr, 3, "value", int64(scaleUnlinked)*int64(cpuPeriod))
			}),
		// Not a query type, but the query editor's label-name list runs on the same data.
		{name: "label-names",
			resource: fmt.Sprintf("label-names?profileType=%s&labelSelector=%s&from=%d&to=%d",
				url.QueryEscape(cpuID), url.QueryEscape(sel), from.UnixMilli(), to.UnixMilli()),
			direct: func(b *testing.B, d *directParca) { d.labelNames(b, cpuID, []string{matchers}, from, to) },
			checkBody: func(b *testing.B, body []byte) {
				if !strings.Contains(string(body), `"trace_id"`) || !strings.Contains(string(body), `"job"`) {
					b.Fatalf("label-names lacks job or trace_id: %s", body)
				}
			}},
	}
}

func wantTotal(b *testing.B, dr backend.DataResponse, frame int, field string, want int64) {
	b.Helper()
	if got := rootValue(b, dr.Frames[frame], field); got != want {
		b.Fatalf("%s: %s total %d, want %d", dr.Frames[frame].Name, field, got, want)
	}
}

// BenchmarkScaleDistinctTraceIDs: the time of each query type, through the plugin (plugin-ms)
// and as the same Parca calls made directly (parca-ms), as the number of distinct trace ids
// grows from a hundred to a million while the data stays the same size. The plugin never
// lists, groups or regexp-matches trace ids (a span is trace_id="...", coverage is
// trace_id!="" / trace_id=""), so its overhead does not follow the count: overhead-% stays
// within the run's noise.
//
// What grows (one-trace profile and diff, coverage, metrics and label names: 2x to 3x from
// 100 to 1M ids, more for the one-trace profile when Parca could rule out the row groups at
// 100 ids) grows in parca-ms alike: it is Parca's storage, which CPU profiles of
// Parca place in FrostDB turning the labels.trace_id/span_id columns of every row it reads
// into Arrow dictionaries (nearly one distinct string per row at a million ids), and it reads
// more rows as ids grow because a trace_id matcher rules out row groups (8,192 rows) only
// while each holds few trace ids, QueryRange reads every label column even without sum-by,
// and Labels is a distinct over all label columns.
//
// Run it against the test stack (scripts/test.sh's ports), ideally with
// SPANFLAME_SHOP_LOAD_RPS=0 so the demo's load does not add noise:
//
//	go test -tags integration ./pkg/integration -run '^$' -bench BenchmarkScaleDistinctTraceIDs -benchtime 5x -timeout 60m -v
//
// Writing the four datasets takes about 40 s (OTLP, otlpwriter_test.go); the queries about
// 6 min on 2 idle cores. Parca keeps them in memory, about 150 MB of its 512 MB active block
// (beyond which it drops the block): restart the stack between runs.
func BenchmarkScaleDistinctTraceIDs(b *testing.B) {
	s := loadStack(b)
	p := servePlugin(b, s.parcaURL)
	direct := newDirectParca(s.parcaURL)
	counts := scaleCounts(b)
	b.Logf("each dataset: %d samples (%d without a trace id), %d distinct stacks", scaleLinked+scaleUnlinked, scaleUnlinked, scaleStacks)
	scaleOnce.Do(func() {
		// One job and one minute per dataset, all in the past so no live data mixes in.
		base := time.Now().Add(-time.Duration(len(counts)+5) * time.Minute).Truncate(time.Minute)
		for i, n := range counts {
			start := time.Now()
			scaleData = append(scaleData, writeScaleDataset(b, s.parcaURL, n, base.Add(time.Duration(i)*time.Minute)))
			b.Logf("wrote %d samples over %d trace ids in %v", scaleLinked+scaleUnlinked, n, time.Since(start).Round(time.Millisecond))
		}
	})
	// Query type outside, trace id count inside: the counts of one query type run back to back,
	// so a change in the machine's load (it is shared) shifts them alike.
	queries := make([][]scaleQuery, len(scaleData))
	for i, ds := range scaleData {
		queries[i] = scaleQueries(ds, ds.at.Add(-time.Second), ds.at.Add(time.Second))
	}
	for k := range queries[0] {
		for i, ds := range scaleData {
			q := queries[i][k]
			from, to := ds.at.Add(-time.Second), ds.at.Add(time.Second)
			b.Run(fmt.Sprintf("traceIDs=%d/%s", ds.n, q.name), func(b *testing.B) {
				var last backend.DataResponse
				var body []byte
				pl, d := timePair(b,
					func() {
						if q.resource == "" {
							last = p.query(b, q.queryType, q.model, from, to, nil)
							mustOK(b, last)
							return
						}
						var status int
						if status, body = p.resource(b, q.resource); status != http.StatusOK {
							b.Fatalf("%s: %d %s", q.resource, status, body)
						}
					},
					func() { q.direct(b, direct) })
				// The checks run outside the timings.
				if q.check != nil {
					q.check(b, last)
				}
				if q.checkBody != nil {
					q.checkBody(b, body)
				}
				reportScale(b, pl, d)
			})
		}
	}
}

func reportScale(b *testing.B, viaPlugin, viaParca time.Duration) {
	b.ReportMetric(float64(viaPlugin.Microseconds())/1000, "plugin-ms")
	b.ReportMetric(float64(viaParca.Microseconds())/1000, "parca-ms")
	b.ReportMetric(100*(float64(viaPlugin)-float64(viaParca))/float64(viaParca), "overhead-%")
}
