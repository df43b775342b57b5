//go:build integration

package integration

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// underLoadStacks sizes the profile of these tests: large enough that Parca takes a while,
// small enough to answer within the timeout on a busy 2-core machine.
const underLoadStacks = 10_000

// parcaQueryCalls is how many QueryService/Query calls Parca has handled, from its own
// metrics (grpc_server_handled_total, gRPC-web calls included).
func parcaQueryCalls(t *testing.T, parcaURL string) int {
	t.Helper()
	resp, err := http.Get(parcaURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	total, found := 0, false
	scanner := bufio.NewScanner(resp.Body)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		line := scanner.Text()
		if !strings.HasPrefix(line, "grpc_server_handled_total{") || !strings.Contains(line, `grpc_method="Query"`) ||
			!strings.Contains(line, `grpc_service="parca.query.v1alpha1.QueryService"`) {
			continue
		}
		n, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
		if err != nil {
			t.Fatalf("Parca's metric line %q: %v", line, err)
		}
		total, found = total+int(n), true
	}
	if !found {
		t.Fatalf("Parca's /metrics has no grpc_server_handled_total for QueryService/Query")
	}
	return total
}

// TestIdenticalQueriesCostParcaOneCall: ten panels asking the same flame graph at once are
// answered by one call to Parca, counted by Parca itself, and every panel gets the whole graph.
func TestIdenticalQueriesCostParcaOneCall(t *testing.T) {
	s := loadStack(t)
	job, at := loadProfile(t, s.parcaURL, underLoadStacks)
	p := servePlugin(t, s.parcaURL)
	// A range no other test asks for, so nothing else joins or adds calls.
	from, to := at.Add(-1500*time.Millisecond), at.Add(1500*time.Millisecond)
	before := parcaQueryCalls(t, s.parcaURL)
	results := make([]loadResult, 10)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() { results[i] = loadQuery(p.client.DataClient, p.settings, job, from, to, underLoadStacks) })
	}
	wg.Wait()
	for i, r := range results {
		if r.err != "" {
			t.Fatalf("query %d: %s", i, r.err)
		}
	}
	if calls := parcaQueryCalls(t, s.parcaURL) - before; calls != 1 {
		t.Fatalf("Parca handled %d Query calls for 10 identical queries, want 1", calls)
	}
}

// TestBusyBeforeTheDeadline: with one call at a time allowed and eight distinct large queries
// at once, each is answered or refused as busy, and none after the datasource timeout.
func TestBusyBeforeTheDeadline(t *testing.T) {
	s := loadStack(t)
	job, at := loadProfile(t, s.parcaURL, underLoadStacks)
	const timeout = 3 * time.Second
	p := servePluginWith(t, s.parcaURL, `{"timeoutSeconds":3,"maxConcurrentQueries":1}`)
	results := make([]loadResult, 8)
	var wg sync.WaitGroup
	for i := range results {
		from := at.Add(-2*time.Second - time.Duration(i)*time.Millisecond) // each its own question
		wg.Go(func() {
			results[i] = loadQuery(p.client.DataClient, p.settings, job, from, at.Add(time.Second), underLoadStacks)
		})
	}
	wg.Wait()
	busy := 0
	for i, r := range results {
		if r.latency > timeout+500*time.Millisecond {
			t.Errorf("query %d answered after %v, past the %v timeout: %s", i, r.latency, timeout, r.err)
		}
		switch r.outcome() {
		case "busy":
			busy++
			if !strings.Contains(r.err, "Parca is busy: 1 query from this datasource running") || r.status != http.StatusTooManyRequests {
				t.Errorf("query %d: %d %s", i, r.status, r.err)
			}
		case "ok", "timeout":
		default:
			t.Errorf("query %d: %d %s", i, r.status, r.err)
		}
	}
	if busy == 0 {
		t.Fatalf("no query was refused as busy: %+v", results)
	}
}
