package parcaapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
)

// slowParca answers Query after `hold` (or when its caller gives up), counting the calls it
// receives, how many run at once, and how many were cancelled under it.
type slowParca struct {
	hold      time.Duration
	calls     atomic.Int64
	running   atomic.Int64
	peak      atomic.Int64
	cancelled atomic.Int64
}

func (s *slowParca) start(t *testing.T, timeout time.Duration, maxConcurrent int) *Client {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(queryService+"Query", connect.NewUnaryHandler(queryService+"Query",
		func(ctx context.Context, req *connect.Request[pb.QueryRequest]) (*connect.Response[pb.QueryResponse], error) {
			s.calls.Add(1)
			n := s.running.Add(1)
			defer s.running.Add(-1)
			for p := s.peak.Load(); n > p && !s.peak.CompareAndSwap(p, n); p = s.peak.Load() {
			}
			select {
			case <-time.After(s.hold):
				return connect.NewResponse(&pb.QueryResponse{Total: 42}), nil
			case <-ctx.Done():
				s.cancelled.Add(1)
				return nil, ctx.Err()
			}
		}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return New(srv.Client(), srv.URL, timeout, maxConcurrent)
}

// mergeQuery is a flame graph query; distinct n give distinct queries.
func mergeQuery(n int) *pb.QueryRequest {
	return &pb.QueryRequest{Mode: pb.QueryRequest_MODE_MERGE, ReportType: pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW,
		Options: &pb.QueryRequest_Merge{Merge: &pb.MergeProfile{Query: fmt.Sprintf(`process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta{n="%d"}`, n)}}}
}

// TestIdenticalQueriesRunOnce: 20 identical queries in flight together cost Parca one call,
// and every caller gets the answer.
func TestIdenticalQueriesRunOnce(t *testing.T) {
	parca := &slowParca{hold: 300 * time.Millisecond}
	c := parca.start(t, 5*time.Second, 2)
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() {
			resp, err := c.Query(context.Background(), mergeQuery(1))
			if err == nil && resp.GetTotal() != 42 {
				err = fmt.Errorf("total %d", resp.GetTotal())
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if n := parca.calls.Load(); n != 1 {
		t.Fatalf("Parca received %d calls for 20 identical queries, want 1", n)
	}
	// Once answered, the next identical query is a new question (no caching of answers).
	if _, err := c.Query(context.Background(), mergeQuery(1)); err != nil || parca.calls.Load() != 2 {
		t.Fatalf("a later identical query: %v, %d calls", err, parca.calls.Load())
	}
}

// TestCancelledCallerLeavesOthers: a caller that gives up leaves; the shared call goes on for
// the callers still waiting. When the last one gives up, the call to Parca is cancelled.
func TestCancelledCallerLeavesOthers(t *testing.T) {
	parca := &slowParca{hold: 500 * time.Millisecond}
	c := parca.start(t, 5*time.Second, 2)
	quitter, quit := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var quitErr, stayErr error
	wg.Go(func() { _, quitErr = c.Query(quitter, mergeQuery(1)) })
	time.Sleep(50 * time.Millisecond) // the quitter starts the call
	wg.Go(func() { _, stayErr = c.Query(context.Background(), mergeQuery(1)) })
	time.Sleep(50 * time.Millisecond)
	quit()
	wg.Wait()
	if KindOf(quitErr) != KindCanceled {
		t.Fatalf("the caller that gave up got %v", quitErr)
	}
	if stayErr != nil || parca.calls.Load() != 1 || parca.cancelled.Load() != 0 {
		t.Fatalf("the caller that stayed got %v; Parca: %d calls, %d cancelled", stayErr, parca.calls.Load(), parca.cancelled.Load())
	}

	// Everyone gives up: Parca's call is cancelled at once, not left to run to its end.
	parca = &slowParca{hold: 10 * time.Second}
	c = parca.start(t, 20*time.Second, 2)
	ctx, cancel := context.WithCancel(context.Background())
	for range 3 {
		wg.Go(func() { _, _ = c.Query(ctx, mergeQuery(2)) })
	}
	time.Sleep(100 * time.Millisecond)
	cancel()
	wg.Wait()
	waitFor(t, time.Second, func() bool { return parca.cancelled.Load() == 1 }, "the abandoned call to be cancelled")
	if c.flights.InFlight() != 0 {
		t.Fatalf("%d calls still in flight", c.flights.InFlight())
	}
}

func waitFor(t *testing.T, d time.Duration, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("waited %v for %s", d, what)
}

// TestBoundRefusesBeforeTheDeadline: with 2 slots and calls that each take longer than the
// callers' deadline allows, two run and the rest are refused as busy after waiting half their
// time, never answered late.
func TestBoundRefusesBeforeTheDeadline(t *testing.T) {
	parca := &slowParca{hold: 2 * time.Second}
	c := parca.start(t, 10*time.Second, 2)
	const deadline = time.Second
	type outcome struct {
		err  error
		took time.Duration
	}
	outcomes := make([]outcome, 6)
	var wg sync.WaitGroup
	for i := range outcomes {
		wg.Go(func() {
			ctx, cancel := WithQueryBudget(context.Background(), "profile", deadline)
			defer cancel()
			start := time.Now()
			_, err := c.Query(ctx, mergeQuery(i))
			outcomes[i] = outcome{err, time.Since(start)}
		})
	}
	wg.Wait()
	busy, timedOut := 0, 0
	for _, o := range outcomes {
		var e *Error
		if !errors.As(o.err, &e) {
			t.Fatalf("not a classified error: %v", o.err)
		}
		switch e.Kind {
		case KindBusy:
			busy++
			// Refused before the deadline (it waits half of it); a loaded machine may add scheduling.
			if o.took >= deadline || !strings.Contains(e.Message, "Parca is busy: 2 queries from this datasource running") ||
				!strings.Contains(e.Message, `raise "Max concurrent queries" (now 2)`) || e.Status() != 429 {
				t.Errorf("busy after %v (%d): %s", o.took, e.Status(), e.Message)
			}
		case KindTimeout:
			timedOut++
			// Not at the call's end (2 s): at the deadline, give or take a loaded machine's scheduling.
			if o.took > deadline+700*time.Millisecond {
				t.Errorf("timed out after %v, past the %v deadline", o.took, deadline)
			}
		default:
			t.Errorf("%v", e)
		}
	}
	if busy != 4 || timedOut != 2 || parca.peak.Load() != 2 {
		t.Fatalf("%d busy, %d timed out, Parca saw %d at once; want 4, 2, 2", busy, timedOut, parca.peak.Load())
	}
}

// TestOneDeadlinePerQuery: the datasource timeout covers every call of a query. Three calls
// of 400 ms in a row under a 1 s budget: the third runs out, at 1 s, and the message names it.
func TestOneDeadlinePerQuery(t *testing.T) {
	parca := &slowParca{hold: 400 * time.Millisecond}
	c := parca.start(t, time.Second, 4) // each call alone would fit in the timeout
	ctx, cancel := WithQueryBudget(context.Background(), "coverage", time.Second)
	defer cancel()
	start := time.Now()
	var err error
	for i := 0; i < 3 && err == nil; i++ {
		_, err = c.Query(ctx, mergeQuery(i))
	}
	// The error below proves the budget (without it the third call would answer at 1.2 s); the
	// time only proves that nothing waits past it, with room for a loaded machine's scheduling.
	took := time.Since(start)
	if took > 2*time.Second {
		t.Fatalf("the query ran %v under a 1 s timeout", took)
	}
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTimeout || e.Status() != 504 {
		t.Fatalf("got %v", err)
	}
	for _, want := range []string{"the coverage query ran out of the datasource timeout of 1s at step 3",
		"to answer Query (REPORT_TYPE_FLAMEGRAPH_ARROW)", "the calls before it answered: Query (REPORT_TYPE_FLAMEGRAPH_ARROW) 0.", " s, Query (REPORT_TYPE_FLAMEGRAPH_ARROW) 0.",
		"narrow the time range"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message %q lacks %q", e.Message, want)
		}
	}
}
