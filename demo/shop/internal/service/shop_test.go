package service

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/spanflame/spanflame/demo/groundtruth"
	"github.com/spanflame/spanflame/demo/shop/internal/unlinked"
)

// testShop is the three services in this process, each on an httptest server,
// recording into one ground-truth directory.
type testShop struct {
	dir      string
	runner   *unlinked.Runner
	services map[string]*Service
	servers  map[string]*httptest.Server
}

func startTestShop(t *testing.T, share float64, workPerHop time.Duration) *testShop {
	t.Helper()
	return startTestShopWith(t, share, Config{WorkPerHop: workPerHop, ErrorShare: 0.03, SlowShare: 0.03})
}

// startTestShopWith starts the shop with every service configured like base
// (its work, error and slow shares).
func startTestShopWith(t *testing.T, share float64, base Config) *testShop {
	t.Helper()
	shop := &testShop{
		dir:      t.TempDir(),
		runner:   unlinked.New(share, 4),
		services: map[string]*Service{},
		servers:  map[string]*httptest.Server{},
	}
	t.Cleanup(shop.runner.Close)
	downstream := ""
	for _, name := range []string{Payments, Checkout, Frontend} { // each needs the next one's URL
		cfg := base
		cfg.Service, cfg.Downstream, cfg.GroundTruthDir = name, downstream, shop.dir
		svc, err := New(context.Background(), cfg, shop.runner)
		if err != nil {
			t.Fatalf("new %s: %v", name, err)
		}
		server := httptest.NewUnstartedServer(svc.Handler())
		server.Config.Protocols = Protocols() // gRPC over HTTP/2 without TLS, as in main
		server.Start()
		t.Cleanup(func() {
			server.Close()
			_ = svc.Shutdown(context.Background())
		})
		if err := svc.Start(server.Listener.Addr().String()); err != nil {
			t.Fatalf("start %s: %v", name, err)
		}
		shop.services[name], shop.servers[name] = svc, server
		downstream = server.URL
	}
	return shop
}

// load drives the frontend at rps for d, then waits for open requests and
// flushes every service's span record.
func (s *testShop) load(t *testing.T, rps float64, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	GenerateLoad(ctx, s.servers[Frontend].URL, s.services[Frontend].Routes(), rps)
	for name, svc := range s.services {
		if err := svc.Flush(context.Background()); err != nil {
			t.Fatalf("flush %s: %v", name, err)
		}
	}
}

// profileWhileLoading takes a CPU profile of this process while driving load.
func (s *testShop) profileWhileLoading(t *testing.T, rps float64, d time.Duration) *profile.Profile {
	t.Helper()
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		t.Fatalf("start CPU profile: %v", err)
	}
	s.load(t, rps, d)
	pprof.StopCPUProfile()
	p, err := profile.Parse(&buf)
	if err != nil {
		t.Fatalf("parse CPU profile: %v", err)
	}
	return p
}

// request sends one request to the frontend and returns its status code.
func (s *testShop) request(t *testing.T, method, path string) int {
	t.Helper()
	req, err := http.NewRequest(method, s.servers[Frontend].URL+path, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// spansOf reads the ground truth once it holds n server spans: a gRPC server
// span ends after its answer is sent, so it can be recorded after its caller's.
func (s *testShop) spansOf(t *testing.T, n int) []groundtruth.Span {
	t.Helper()
	return s.spansUntil(t, func(spans []groundtruth.Span) bool { return len(groundtruth.ServerSpans(spans, "")) >= n })
}

// spansLabeledIn reads the ground truth once it holds the span of every
// trace_id/span_id label in p: a span ends a little after its caller has its
// answer, later still on a loaded machine.
func (s *testShop) spansLabeledIn(t *testing.T, p *profile.Profile) []groundtruth.Span {
	t.Helper()
	want := map[string]bool{}
	for _, sample := range p.Sample {
		if ids := sample.Label["span_id"]; len(ids) == 1 {
			want[sample.Label["trace_id"][0]+"/"+ids[0]] = true
		}
	}
	return s.spansUntil(t, func(spans []groundtruth.Span) bool {
		found := 0
		for _, span := range spans {
			if want[span.TraceID+"/"+span.SpanID] {
				found++
			}
		}
		return found >= len(want)
	})
}

// spansUntil flushes every service and reads the ground truth until done says
// it is complete, or 15 s pass (then the caller's checks tell what is missing):
// on a loaded machine a slowed request can run for seconds after its caller gave up.
func (s *testShop) spansUntil(t *testing.T, done func([]groundtruth.Span) bool) []groundtruth.Span {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		for name, svc := range s.services {
			if err := svc.Flush(context.Background()); err != nil {
				t.Fatalf("flush %s: %v", name, err)
			}
		}
		spans := s.spans(t)
		if done(spans) || time.Now().After(deadline) {
			return spans
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *testShop) spans(t *testing.T) []groundtruth.Span {
	t.Helper()
	spans, err := groundtruth.ReadSpans(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	return spans
}

// cpuValue is a sample's CPU time in nanoseconds.
func cpuValue(p *profile.Profile, s *profile.Sample) int64 {
	for i, st := range p.SampleType {
		if st.Type == "cpu" {
			return s.Value[i]
		}
	}
	return 0
}

// stackFunctions are the names of all functions in a sample's stack, inlined ones included.
func stackFunctions(s *profile.Sample) map[string]bool {
	names := map[string]bool{}
	for _, loc := range s.Location {
		for _, line := range loc.Line {
			if line.Function != nil {
				names[line.Function.Name] = true
			}
		}
	}
	return names
}
