//go:build integration

package integration

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"
	"time"
)

// The scale benchmark writes the same amount of CPU into Parca several times, each time
// spread over a different number of distinct trace ids (scaleTraceCounts), and times every
// query type on each. Rows stay constant (scaleSamples samples, each with its own stack
// within its series), so what changes is only the cardinality of trace_id: the backend's cost
// should not follow it, since no query lists, groups or regexp-matches trace ids.
const (
	scaleSamples    = 100_000
	scaleStacks     = 1_000 // distinct stacks (flame graph size is the same for every N)
	scaleUnlinked   = 0.3   // share of samples written without a trace id
	scaleBatchBytes = 2 << 20
)

var scaleTraceCounts = []int{100, 1_000, 10_000, 100_000}

type scaleDataset struct {
	job      string
	at       time.Time
	traceIDs []string
}

var (
	scaleOnce sync.Once
	scaleData map[int]*scaleDataset
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

// writeScaleDataset writes scaleSamples samples for one job: 70% over n trace ids, 30% without.
func writeScaleDataset(t testing.TB, parcaURL string, n int, at time.Time) *scaleDataset {
	ds := &scaleDataset{job: fmt.Sprintf("spanflame-scale-%d-n%d", at.Unix(), n), at: at}
	linked := int(float64(scaleSamples) * (1 - scaleUnlinked))
	perTrace := max(1, linked/n)
	var batch []syntheticSeries
	size := 0
	flush := func() {
		if len(batch) > 0 {
			writeProfiles(t, parcaURL, at, 10*time.Second, batch)
			batch, size = nil, 0
		}
	}
	for tr := 0; tr < n; tr++ {
		id := randomHex(32)
		ds.traceIDs = append(ds.traceIDs, id)
		series := syntheticSeries{labels: map[string]string{"job": ds.job, "trace_id": id, "span_id": randomHex(16)}}
		for k := 0; k < perTrace; k++ {
			series.samples = append(series.samples, stackSample{stack: scaleStack(tr*perTrace + k), cpu: 10 * time.Millisecond})
		}
		batch = append(batch, series)
		size += 300 + 40*perTrace
		if size > scaleBatchBytes {
			flush()
		}
	}
	unlinked := syntheticSeries{labels: map[string]string{"job": ds.job}}
	for k := 0; k < scaleSamples-linked; k++ {
		unlinked.samples = append(unlinked.samples, stackSample{stack: append(scaleStack(k), "scale.unlinkedWorker"), cpu: 10 * time.Millisecond})
	}
	batch = append(batch, unlinked)
	flush()
	return ds
}

// BenchmarkScaleDistinctTraceIDs: query time per query type as the number of distinct trace
// ids grows while the data stays the same size.
func BenchmarkScaleDistinctTraceIDs(b *testing.B) {
	s := loadStack(b)
	p := servePlugin(b, s.parcaURL)
	b.Logf("each dataset: %d samples, %d distinct stacks, %.0f%% without a trace id", scaleSamples, scaleStacks, 100*scaleUnlinked)
	scaleOnce.Do(func() {
		scaleData = map[int]*scaleDataset{}
		base := time.Now().Add(-10 * time.Minute).Truncate(time.Minute)
		for i, n := range scaleTraceCounts {
			start := time.Now()
			scaleData[n] = writeScaleDataset(b, s.parcaURL, n, base.Add(time.Duration(i)*time.Minute))
			b.Logf("wrote %d samples over %d trace ids in %v", scaleSamples, n, time.Since(start).Round(time.Millisecond))
		}
	})
	for _, n := range scaleTraceCounts {
		ds := scaleData[n]
		sel := fmt.Sprintf(`{job=%q}`, ds.job)
		from, to := ds.at.Add(-time.Second), ds.at.Add(time.Second)
		queries := []struct {
			name, queryType string
			model           map[string]any
		}{
			{"profile", "profile", map[string]any{"profileType": cpuID, "labelSelector": sel}},
			{"profile-one-trace", "profile", map[string]any{"profileType": cpuID, "labelSelector": sel, "traceId": ds.traceIDs[len(ds.traceIDs)/2]}},
			{"table", "table", map[string]any{"profileType": cpuID, "labelSelector": sel}},
			{"metrics", "metrics", map[string]any{"profileType": cpuID, "labelSelector": sel}},
			{"diff", "diff", map[string]any{"profileType": cpuID, "labelSelector": sel, "baseline": map[string]any{"mode": "offset", "offset": "1m"}}},
			{"coverage", "coverage", map[string]any{"profileType": cpuID, "labelSelector": sel}},
		}
		for _, q := range queries {
			b.Run(fmt.Sprintf("traceIDs=%d/%s", n, q.name), func(b *testing.B) {
				for b.Loop() {
					dr := p.query(b, q.queryType, q.model, from, to, nil)
					mustOK(b, dr)
					if dr.Frames[0].Rows() == 0 {
						b.Fatal("empty answer")
					}
				}
			})
		}
	}
}
