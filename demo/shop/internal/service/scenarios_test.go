package service

import (
	"testing"
	"time"

	"github.com/spanflame/spanflame/demo/groundtruth"
)

// TestSlowRequestsComputeOrWait: with every slow route slowed, the ground truth
// has both causes, on the routes the meta names, and a verdict that follows the
// span's own CPU: /search and Charge computed (300-600 ms more CPU, all of it
// under their labels), POST /orders slept, and the frontend's checkout waited
// on them.
func TestSlowRequestsComputeOrWait(t *testing.T) {
	shop := startTestShopWith(t, 0.3, Config{WorkPerHop: 4 * time.Millisecond, SlowShare: 1})
	for range 2 {
		shop.request(t, "GET", "/search")
		shop.request(t, "POST", "/checkout")
	}
	spans := shop.spansOf(t, 2*1+2*3)
	bySlow := map[string]int{}
	leastComputing, mostWaiting := 1.0, 0.0 // own CPU per duration
	for _, s := range groundtruth.ServerSpans(spans, "") {
		wantVerdict := groundtruth.Waiting
		if 2*s.OwnCPU() >= s.Duration() {
			wantVerdict = groundtruth.Computing
		}
		if s.Verdict != wantVerdict {
			t.Errorf("%s %s: verdict %s for own CPU %v of %v", s.Service, s.RouteKey(), s.Verdict, s.OwnCPU(), s.Duration())
		}
		t.Logf("%s %s: slow by %q, CPU %v (own %v) of %v: %s", s.Service, s.RouteKey(), s.SlowBy, s.CPU(), s.OwnCPU(), s.Duration(), s.Verdict)
		switch key := s.Service + " " + s.RouteKey(); key {
		case "frontend GET /search", "payments " + Charge:
			// 300-600 ms more CPU, all of it under the labels: the span's labeled CPU is
			// what a profile sees by its span_id, and almost all of its own CPU (only
			// the usual hop's inline and handed-off parts, a few ms, run unlabeled).
			if s.SlowBy != groundtruth.Computing || s.CPU() < 300*time.Millisecond || s.CPU() < s.OwnCPU()*95/100 {
				t.Errorf("%s: slow by %q with %v of own CPU, %v labeled: want computing with 300-600 ms more, all labeled", key, s.SlowBy, s.OwnCPU(), s.CPU())
			}
			leastComputing = min(leastComputing, cpuShare(s))
		case "checkout POST /orders":
			if s.SlowBy != groundtruth.Waiting || s.Verdict != groundtruth.Waiting || s.Duration() < 200*time.Millisecond {
				t.Errorf("%s: slow by %q, verdict %s, %v long: want waiting at least 200 ms", key, s.SlowBy, s.Verdict, s.Duration())
			}
			mostWaiting = max(mostWaiting, cpuShare(s))
		case "frontend POST /checkout":
			// Not slowed itself: slow because its downstream was, so it waited.
			if s.SlowBy != "" || s.Verdict != groundtruth.Waiting || s.Duration() < 400*time.Millisecond {
				t.Errorf("%s: slow by %q, verdict %s, %v long: want waiting on its downstream", key, s.SlowBy, s.Verdict, s.Duration())
			}
		}
		bySlow[s.SlowBy]++
	}
	if bySlow[groundtruth.Computing] != 4 || bySlow[groundtruth.Waiting] != 2 {
		t.Errorf("slowed spans by cause %v, want 4 computing (2 /search, 2 Charge) and 2 waiting (POST /orders)", bySlow)
	}
	// On a busy machine a computing span may wait for a core for longer than it
	// runs, and then its verdict is waiting too (it did wait); but its share of
	// CPU stays far above a sleeping span's, so a threshold tells them apart.
	t.Logf("own CPU per duration: computing spans at least %.3f, waiting spans at most %.3f", leastComputing, mostWaiting)
	if leastComputing < 5*mostWaiting {
		t.Errorf("a span slowed by computing used %.3f of its duration in CPU, not clearly more than a waiting one (%.3f)", leastComputing, mostWaiting)
	}
}

func cpuShare(s groundtruth.Span) float64 { return float64(s.OwnCPU()) / float64(s.Duration()) }

// TestUnlabeledRouteRunsOnThePool: GET /recommendations does its work on the
// worker pool, so its span has no CPU of its own under labels: the ground truth
// says so and still records the CPU it caused.
func TestUnlabeledRouteRunsOnThePool(t *testing.T) {
	shop := startTestShopWith(t, 0.3, Config{WorkPerHop: 4 * time.Millisecond})
	for range 3 {
		if status := shop.request(t, "GET", "/recommendations"); status != 200 {
			t.Fatalf("GET /recommendations answered %d", status)
		}
	}
	spans := groundtruth.LatestServerSpans(shop.spansOf(t, 3), Frontend, "GET /recommendations", 10)
	if len(spans) != 3 {
		t.Fatalf("%d GET /recommendations spans, want 3", len(spans))
	}
	for _, s := range spans {
		if s.CPULabeled || s.CPU() != 0 || !about(s.OwnCPU(), 4*time.Millisecond) || s.Verdict == "" {
			t.Errorf("span %+v: want no labeled CPU and 4 ms of unlabeled CPU", s)
		}
	}
}

// TestCacheHitsAreShorterThanASamplingPeriod: about 30% of GET /products are
// cache hits of 1.5 ms of CPU, so the frontend has requests shorter than a 10 ms
// sampling period and the ground truth gives their true share.
func TestCacheHitsAreShorterThanASamplingPeriod(t *testing.T) {
	shop := startTestShopWith(t, 0.3, Config{WorkPerHop: 20 * time.Millisecond})
	for range 30 {
		shop.request(t, "GET", "/products")
	}
	spans := groundtruth.LatestServerSpans(shop.spansOf(t, 30), Frontend, "GET /products", 100)
	hits, full, underPeriod := 0, 0, 0
	shortestHit := time.Hour
	for _, s := range spans {
		switch {
		case s.OwnCPU() < 2*time.Millisecond:
			hits++
			shortestHit = min(shortestHit, s.Duration())
		case s.CPU() >= 13*time.Millisecond:
			full++
		default:
			t.Errorf("span of %v with %v of CPU (%v labeled) is neither a cache hit nor a full request", s.Duration(), s.OwnCPU(), s.CPU())
		}
		if s.Duration() < 10*time.Millisecond {
			underPeriod++
		}
	}
	share := groundtruth.ShareShorterThan(spans, 10*time.Millisecond)
	t.Logf("%d cache hits (shortest %v), %d full requests; share shorter than 10 ms: %.2f", hits, shortestHit, full, share)
	if hits == 0 || full == 0 {
		t.Errorf("%d cache hits and %d full requests of %d: want both", hits, full, len(spans))
	}
	// A cache hit waits for a core on a loaded machine, so not every one is short;
	// on the 2-core VMs under a load of 40 a third still were.
	if shortestHit >= 10*time.Millisecond {
		t.Errorf("no cache hit took less than 10 ms (shortest %v)", shortestHit)
	}
	if want := float64(underPeriod) / float64(len(spans)); share != want {
		t.Errorf("ShareShorterThan says %.3f, the spans %.3f", share, want)
	}
}
