package service

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/spanflame/spanflame/demo/groundtruth"
)

// TestUnlinkedShareInCPUProfile is the self-check of the demo's main promise:
// in a CPU profile of a shop process, the CPU without a trace_id label makes
// up the configured -unlinked-share, and labeled CPU belongs to real spans and
// shows the hot function of the span's route.
func TestUnlinkedShareInCPUProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("drives load for seconds")
	}
	// minTolerance is what the demo promises; a short profile also carries sampling noise:
	// at 100 Hz a 6 s profile holds only ~500 samples, whose unlabeled share has a standard
	// error of ~2 points at 0.5, so the test allows three standard errors when that is wider.
	const minTolerance = 0.04
	for _, c := range []struct {
		share, slowShare float64
	}{
		{0.2, 0.03}, {0.5, 0.03},
		// A request slowed by computing runs 300-600 ms under its labels, which
		// only the background job makes up for: with many of them the share holds too.
		{0.3, 0.1},
	} {
		share := c.share
		t.Run(fmt.Sprintf("share %.1f slow %.2f", share, c.slowShare), func(t *testing.T) {
			shop := startTestShopWith(t, share, Config{WorkPerHop: 20 * time.Millisecond, ErrorShare: 0.03, SlowShare: c.slowShare})
			shop.load(t, 20, time.Second) // warm-up: connections, first GCs
			p := shop.profileWhileLoading(t, 20, 6*time.Second)
			spans := shop.spansLabeledIn(t, p)
			stats := shop.runner.Stats()
			computing := 0
			for _, s := range spans {
				if s.SlowBy == groundtruth.Computing {
					computing++
				}
			}
			t.Logf("%d labeled spans in the profile, %d of them slowed by computing", len(spans), computing)

			var total, unlabeled, deliberate int64
			byFn := map[string]int64{}
			unlinkedFns := UnlinkedFunctionNames()
			for _, s := range p.Sample {
				v := cpuValue(p, s)
				total += v
				if len(s.Label["trace_id"]) == 0 {
					unlabeled += v
					stack := stackFunctions(s)
					for _, fn := range unlinkedFns {
						if stack[fn] {
							deliberate += v
							byFn[fn] += v
						}
					}
				}
			}
			if total == 0 {
				t.Fatal("empty CPU profile")
			}
			measured := float64(unlabeled) / float64(total)
			samples := float64(total) / float64(10*time.Millisecond) // Go's CPU profiler: 100 Hz
			tolerance := math.Max(minTolerance, 3*math.Sqrt(share*(1-share)/samples))
			t.Logf("configured unlinked share %.2f, measured %.3f over %v of CPU samples (%d samples)", share, measured, time.Duration(total), len(p.Sample))
			t.Logf("profile: labeled %v, unlinked functions %v, other unlabeled %v", time.Duration(total-unlabeled), time.Duration(deliberate), time.Duration(unlabeled-deliberate))
			t.Logf("profile by unlinked function: %v", byFn)
			t.Logf("CPU clocks since start: labeled %v, unlinked functions %v, other %v; top-up carry %v", stats.Labeled, stats.Unlinked, stats.Process-stats.Labeled-stats.Unlinked, stats.Carry)
			if measured < share-tolerance || measured > share+tolerance {
				t.Errorf("unlabeled share of CPU samples is %.3f, want %.2f ± %.2f", measured, share, tolerance)
			}
			checkLabeledSamples(t, p, spans, shop)
		})
	}
}

// checkLabeledSamples checks that every labeled sample names a recorded server
// span, and that its stack holds the hot function of that span's route and of
// no other route.
func checkLabeledSamples(t *testing.T, p *profile.Profile, spans []groundtruth.Span, shop *testShop) {
	t.Helper()
	hotOfRoute := map[string]string{} // "<service> <METHOD> <route>" -> function
	allHot := map[string]bool{}
	for name, svc := range shop.services {
		for _, r := range svc.Routes() {
			allHot[r.HotFunctionName()] = true
			if !r.Unlabeled { // its work runs on the pool: never under a label
				hotOfRoute[name+" "+r.Key()] = r.HotFunctionName()
			}
		}
	}
	serverSpans := map[string]groundtruth.Span{} // trace_id/span_id -> span
	for _, s := range spans {
		if s.Kind == groundtruth.KindServer {
			serverSpans[s.TraceID+"/"+s.SpanID] = s
		}
	}

	var labeled, underOwnHot int64
	routesSeen := map[string]bool{}
	for _, s := range p.Sample {
		traceIDs, spanIDs := s.Label["trace_id"], s.Label["span_id"]
		if len(traceIDs) == 0 {
			continue
		}
		v := cpuValue(p, s)
		labeled += v
		if len(traceIDs) != 1 || len(spanIDs) != 1 || !hexID(traceIDs[0], 32) || !hexID(spanIDs[0], 16) {
			t.Errorf("sample labels trace_id=%q span_id=%q, want one 32- and one 16-digit lowercase hex id", traceIDs, spanIDs)
			continue
		}
		span, ok := serverSpans[traceIDs[0]+"/"+spanIDs[0]]
		if !ok {
			t.Errorf("sample labeled trace_id=%s span_id=%s: no such server span in the ground truth", traceIDs[0], spanIDs[0])
			continue
		}
		route := span.Service + " " + span.RouteKey()
		want := hotOfRoute[route]
		stack := stackFunctions(s)
		if stack[want] {
			underOwnHot += v
			routesSeen[route] = true
		}
		for fn := range allHot {
			if fn != want && stack[fn] {
				t.Errorf("sample of %s (trace %s) holds %s, the hot function of another route", route, span.TraceID, fn)
			}
		}
	}
	if labeled == 0 {
		t.Fatal("no labeled samples")
	}
	if share := float64(underOwnHot) / float64(labeled); share < 0.95 {
		t.Errorf("only %.2f of labeled CPU is under the hot function of its span's route, want >= 0.95", share)
	}
	for route := range hotOfRoute {
		if !routesSeen[route] {
			t.Errorf("no labeled sample of route %s under its hot function %s", route, hotOfRoute[route])
		}
	}
}

func hexID(id string, digits int) bool {
	if len(id) != digits || strings.Trim(id, "0") == "" {
		return false
	}
	return strings.Trim(id, "0123456789abcdef") == ""
}
