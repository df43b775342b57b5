//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// The load benchmark: many panels asking the datasource for one large flame graph at once, the
// way a dashboard opened by many people does. It writes one profile of loadLeaves distinct
// stacks (about loadLeaves + 4,400 flame graph nodes, kept whole with a node trim threshold of
// 0) and sends 1, 5 and 50 concurrent queries, first all identical, then all distinct (each
// its own time range, so nothing can be shared), to the real backend executable started as
// Grafana starts it. Every request is bounded (the datasource timeout plus loadGrace), and so
// is the whole run: 112 queries.
const (
	loadTimeout       = 30 * time.Second // the datasource timeout (jsonData.timeoutSeconds)
	loadGrace         = 30 * time.Second // how long past the datasource timeout a request may wait
	loadSettleTimeout = 90 * time.Second
)

var loadConcurrency = []int{1, 5, 50}

// loadLeaves is the profile's number of distinct stacks: 120,000 (about 124,000 nodes), or
// SPANFLAME_LOAD_STACKS on a machine too busy for that.
var loadLeaves = func() int {
	if n, err := strconv.Atoi(os.Getenv("SPANFLAME_LOAD_STACKS")); err == nil && n > 0 {
		return n
	}
	return 120_000
}()

// writeLoadProfile writes a profile of `stacks` stacks, one sample each, at `at`, as job `job`.
func writeLoadProfile(t testing.TB, parcaURL, job string, at time.Time, stacks int) {
	w := newOTLPCPUWriter(t, parcaURL, job, at, 10*time.Second)
	defer w.close()
	for i := 0; i < stacks; i++ {
		w.add([]string{"main.main", fmt.Sprintf("load.handler%02d", i%16), fmt.Sprintf("load.service%03d", i%256),
			fmt.Sprintf("load.repository%04d", i%4096), fmt.Sprintf("load.leaf%06d", i)})
	}
}

var (
	loadMu       sync.Mutex
	loadProfiles = map[int]time.Time{} // stacks -> when its profile was written
)

// loadProfile writes a profile of `stacks` distinct stacks once per test process and returns
// its job and time.
func loadProfile(t testing.TB, parcaURL string, stacks int) (job string, at time.Time) {
	loadMu.Lock()
	defer loadMu.Unlock()
	at, ok := loadProfiles[stacks]
	if !ok {
		at = time.Now().Add(-3 * time.Minute).Truncate(time.Second)
		start := time.Now()
		writeLoadProfile(t, parcaURL, loadJobName(at, stacks), at, stacks)
		t.Logf("wrote %d stacks as job %s in %v", stacks, loadJobName(at, stacks), time.Since(start).Round(time.Millisecond))
		loadProfiles[stacks] = at
	}
	return loadJobName(at, stacks), at
}

func loadJobName(at time.Time, stacks int) string {
	return fmt.Sprintf("spanflame-load-%d-%d", at.Unix(), stacks)
}

// loadResult is one query's outcome as the caller saw it.
type loadResult struct {
	latency time.Duration
	status  backend.Status
	err     string
	rows    int
}

func (r loadResult) outcome() string {
	switch {
	case r.err == "":
		return "ok"
	case strings.Contains(r.err, "busy"):
		return "busy"
	case r.status == backend.StatusTimeout:
		return "timeout"
	default:
		return "error"
	}
}

// loadQuery sends one profile query in a request of its own (a panel's), and times it.
func loadQuery(plugin pluginv2.DataClient, settings *backend.DataSourceInstanceSettings, job string, from, to time.Time, stacks int) loadResult {
	model, _ := json.Marshal(map[string]any{"profileType": cpuID, "labelSelector": fmt.Sprintf(`{job=%q}`, job), "nodeTrimThreshold": 0})
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout+loadGrace)
	defer cancel()
	req := backend.ToProto().QueryDataRequest(&backend.QueryDataRequest{
		PluginContext: backend.PluginContext{OrgID: 1, PluginID: "spanflame-parca-datasource", DataSourceInstanceSettings: settings},
		Queries: []backend.DataQuery{{RefID: "A", QueryType: "profile", JSON: model, Interval: time.Second, MaxDataPoints: 1000,
			TimeRange: backend.TimeRange{From: from, To: to}}},
	})
	start := time.Now()
	resp, err := plugin.QueryData(ctx, req)
	r := loadResult{latency: time.Since(start)}
	if err != nil {
		r.err, r.status = "plugin call: "+err.Error(), backend.StatusInternal
		return r
	}
	answer, err := backend.FromProto().QueryDataResponse(resp)
	if err != nil {
		r.err, r.status = "decoding the answer: "+err.Error(), backend.StatusInternal
		return r
	}
	dr := answer.Responses["A"]
	if dr.Error != nil {
		r.err, r.status = dr.Error.Error(), dr.Status
		return r
	}
	if len(dr.Frames) > 0 {
		r.rows = dr.Frames[0].Rows()
	}
	if r.rows < stacks {
		r.err = fmt.Sprintf("flame graph of %d nodes, want over %d", r.rows, stacks)
	}
	return r
}

// BenchmarkLoad prints, per scenario, the latency (p50, p95, max), the outcomes (answered,
// refused as busy, timed out, other errors), how many answers came after the datasource
// timeout, and the backend's peak resident memory. Against the test stack (~3-6 min):
//
//	go test -tags integration ./pkg/integration -run '^$' -bench BenchmarkLoad -benchtime 1x -timeout 20m -v
//
// Start the stack with SPANFLAME_SHOP_LOAD_RPS=0, so the demo's load does not add noise. The
// aims: 50 identical queries all answered within 2x the time of one; 50 distinct ones all
// answered or refused as busy, none after the timeout; the backend under 500 MB.
func BenchmarkLoad(b *testing.B) {
	s := loadStack(b)
	job, at := loadProfile(b, s.parcaURL, loadLeaves)

	be := startBackend(b)
	settings := &backend.DataSourceInstanceSettings{ID: 1, UID: "spanflame-load", Name: "Parca (load)", Type: "spanflame-parca-datasource",
		URL: s.parcaURL, JSONData: json.RawMessage(fmt.Sprintf(`{"timeoutSeconds":%g}`, loadTimeout.Seconds())), Updated: time.Now()}
	from, to := at.Add(-time.Second), at.Add(time.Second)
	// Warm up: the first query pays for connections and Parca's caches.
	if r := loadQuery(be.data, settings, job, from, to, loadLeaves); r.err != "" {
		b.Fatalf("warm-up query: %s", r.err)
	}

	var report strings.Builder
	fmt.Fprintf(&report, "\n%-10s %4s %5s %4s %7s %5s %6s %8s %8s %8s %9s\n", "queries", "n", "ok", "busy", "timeout", "error", "late", "p50", "p95", "max", "peak MB")
	var firstErrors []string
	for _, distinct := range []bool{false, true} {
		for _, n := range loadConcurrency {
			settle(b, be, settings, job, from, to)
			if err := be.resetPeakMemory(); err != nil {
				b.Logf("cannot reset the backend's peak memory (%v): the figure is the peak since start", err)
			}
			results := make([]loadResult, n)
			var wg sync.WaitGroup
			for i := range n {
				qFrom := from
				if distinct {
					qFrom = from.Add(-time.Duration(i+1) * time.Millisecond) // its own range, the same profile
				}
				wg.Go(func() { results[i] = loadQuery(be.data, settings, job, qFrom, to, loadLeaves) })
			}
			wg.Wait()
			peak, _ := be.peakMemoryMB()
			name := "identical"
			if distinct {
				name = "distinct"
			}
			counts := map[string]int{}
			late := 0
			latencies := make([]time.Duration, n)
			for i, r := range results {
				counts[r.outcome()]++
				latencies[i] = r.latency
				if r.latency > loadTimeout {
					late++
				}
				if r.err != "" && len(firstErrors) < 8 && !slices.ContainsFunc(firstErrors, func(e string) bool { return strings.HasSuffix(e, r.err) }) {
					firstErrors = append(firstErrors, fmt.Sprintf("%s x%d: %d %s", name, n, r.status, r.err))
				}
			}
			slices.Sort(latencies)
			fmt.Fprintf(&report, "%-10s %4d %5d %4d %7d %5d %6d %8s %8s %8s %9.0f\n", name, n, counts["ok"], counts["busy"], counts["timeout"], counts["error"], late,
				fmtSeconds(percentile(latencies, 0.50)), fmtSeconds(percentile(latencies, 0.95)), fmtSeconds(latencies[n-1]), peak)
		}
	}
	fmt.Fprintf(os.Stdout, "%s(late: answered after the %v datasource timeout; peak MB: the backend process's peak RSS during the scenario)\n", report.String(), loadTimeout)
	for _, e := range firstErrors {
		fmt.Fprintf(os.Stdout, "  %s\n", e)
	}
}

// settle waits until one query answers within the datasource timeout, so a scenario does not
// start while Parca still works on the previous one's queries.
func settle(b *testing.B, be *backendProcess, settings *backend.DataSourceInstanceSettings, job string, from, to time.Time) {
	deadline := time.Now().Add(loadSettleTimeout)
	for time.Now().Before(deadline) {
		// A range of its own: an identical query still in flight would answer at once.
		probeFrom := from.Add(-time.Duration(time.Now().UnixNano()%1000+1000) * time.Millisecond)
		if r := loadQuery(be.data, settings, job, probeFrom, to, loadLeaves); r.err == "" {
			return
		}
		time.Sleep(2 * time.Second)
	}
	b.Fatalf("Parca did not settle within %v", loadSettleTimeout)
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	return sorted[int(p*float64(len(sorted)-1)+0.5)]
}

func fmtSeconds(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }
