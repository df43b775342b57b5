package service

import (
	"slices"
	"testing"
	"time"

	"github.com/spanflame/spanflame/demo/groundtruth"
)

const hotpathPackage = "github.com/spanflame/spanflame/demo/shop/internal/hotpath."

// TestGroundTruthRecordsTracesAcrossServices checks the ground-truth files: a
// request to the frontend's checkout is one trace through all three services,
// over HTTP and gRPC, each server span has its route and its own CPU, and the
// meta files name the hot functions.
func TestGroundTruthRecordsTracesAcrossServices(t *testing.T) {
	shop := startTestShopWith(t, 0.3, Config{WorkPerHop: 4 * time.Millisecond})
	for range 3 {
		if status := shop.request(t, "POST", "/checkout"); status != 200 {
			t.Fatalf("POST /checkout answered %d", status)
		}
	}
	spans := shop.spansOf(t, 3*3)
	roots := groundtruth.LatestServerSpans(spans, Frontend, "POST /checkout", 10)
	if len(roots) != 3 {
		t.Fatalf("want 3 frontend POST /checkout spans, got %d of %d spans", len(roots), len(spans))
	}
	trace := groundtruth.Trace(spans, roots[0].TraceID)
	plan := shop.runner.Plan(4 * time.Millisecond)
	var servers []string
	for _, s := range trace {
		if len(s.TraceID) != 32 || len(s.SpanID) != 16 || s.StartUnixNano == 0 || s.EndUnixNano < s.StartUnixNano {
			t.Errorf("malformed span %+v", s)
		}
		if s.Kind != groundtruth.KindServer {
			continue
		}
		servers = append(servers, s.Service+" "+s.RouteKey())
		// A hop's own work is its plan, less the background job's part of the unlabeled CPU.
		if !s.CPULabeled || !about(s.CPU(), plan.Labeled) || !about(s.OwnCPU(), plan.Labeled+plan.Inline+plan.Handoff) {
			t.Errorf("%s %s: own CPU %v of which labeled %v (labeled %v), want %v and %v",
				s.Service, s.RouteKey(), s.OwnCPU(), s.CPU(), s.CPULabeled, plan.Labeled+plan.Inline+plan.Handoff, plan.Labeled)
		}
		if s.Verdict == "" || s.SlowBy != "" {
			t.Errorf("%s %s: verdict %q, slow by %q: want a verdict and no slow-down", s.Service, s.RouteKey(), s.Verdict, s.SlowBy)
		}
	}
	slices.Sort(servers)
	want := []string{"checkout POST /orders", "frontend POST /checkout", "payments /shop.Payments/Charge"}
	if !slices.Equal(servers, want) {
		t.Errorf("server spans of trace %s: %v, want %v", roots[0].TraceID, servers, want)
	}
	if roots[0].ParentSpanID != "" {
		t.Errorf("frontend span has parent %s, want it to be the root", roots[0].ParentSpanID)
	}
	charge, _ := groundtruth.FindSpan(spans, roots[0].TraceID, spanIDOf(trace, Payments))
	if charge.Name != Charge || charge.Protocol != groundtruth.ProtocolGRPC || charge.Method != "" || charge.RPCStatusCode != "OK" {
		t.Errorf("payments span %+v: want a gRPC server span named %s with status OK", charge, Charge)
	}

	metas, err := groundtruth.ReadMeta(shop.dir)
	if err != nil {
		t.Fatal(err)
	}
	meta := metas[Checkout]
	if meta.UnlinkedCPUShare != 0.3 || meta.Listen == "" || meta.PID == 0 || meta.StartedAt.IsZero() {
		t.Errorf("checkout meta %+v", meta)
	}
	for service, routes := range map[string]map[string]string{
		Checkout: {"POST /orders": "ValidateOrder", AddToCart: "ReserveStock"},
		Payments: {Charge: "StretchCardKey"},
	} {
		for route, hot := range routes {
			if got := metas[service].Routes[route]; got != hotpathPackage+hot {
				t.Errorf("hot function of %s %s is %q, want %s", service, route, got, hot)
			}
		}
	}
	if len(metas) != 3 || len(metas[Frontend].Routes) != 5 {
		t.Errorf("metas %v", metas)
	}
	if got := metas[Frontend].UnlabeledRoutes["GET /recommendations"]; got != hotpathPackage+"RankRecommendations" ||
		!slices.Contains(metas[Frontend].UnlinkedFunctions, got) {
		t.Errorf("frontend's unlabeled routes %v, unlinked functions %v", metas[Frontend].UnlabeledRoutes, metas[Frontend].UnlinkedFunctions)
	}
	if metas[Checkout].RPCMetrics != RPCMetricsLegacy || metas[Payments].RPCMetrics != RPCMetricsCurrent || metas[Frontend].RPCMetrics != "" {
		t.Errorf("RPC metrics generations: checkout %q, payments %q, frontend %q",
			metas[Checkout].RPCMetrics, metas[Payments].RPCMetrics, metas[Frontend].RPCMetrics)
	}
	if metas[Payments].SlowRoutes[Charge] != groundtruth.Computing || metas[Checkout].SlowRoutes["POST /orders"] != groundtruth.Waiting {
		t.Errorf("slow routes: payments %v, checkout %v", metas[Payments].SlowRoutes, metas[Checkout].SlowRoutes)
	}
}

// spanIDOf is the id of the server span of service in trace.
func spanIDOf(trace []groundtruth.Span, service string) string {
	for _, s := range groundtruth.ServerSpans(trace, service) {
		return s.SpanID
	}
	return ""
}

// about tells whether a measured CPU time is its budget: the hot functions stop
// at most a step (well under a millisecond) past it.
func about(measured, budget time.Duration) bool {
	return measured >= budget && measured <= budget+time.Millisecond
}
