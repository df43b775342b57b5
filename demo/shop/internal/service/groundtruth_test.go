package service

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spanflame/spanflame/demo/groundtruth"
)

// TestGroundTruthRecordsTracesAcrossServices checks the ground-truth files: a
// request to the frontend's checkout is one trace through all three services,
// each server span has its route, and the meta files name the hot functions.
func TestGroundTruthRecordsTracesAcrossServices(t *testing.T) {
	shop := startTestShop(t, 0.3, 2*time.Millisecond)
	for range 3 {
		resp, err := http.Post(shop.servers[Frontend].URL+"/checkout", "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	for _, svc := range shop.services {
		if err := svc.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
	}

	spans := shop.spans(t)
	roots := groundtruth.LatestServerSpans(spans, Frontend, "POST /checkout", 10)
	if len(roots) != 3 {
		t.Fatalf("want 3 frontend POST /checkout spans, got %d of %d spans", len(roots), len(spans))
	}
	trace := groundtruth.Trace(spans, roots[0].TraceID)
	var servers []string
	for _, s := range trace {
		if len(s.TraceID) != 32 || len(s.SpanID) != 16 || s.StartUnixNano == 0 || s.EndUnixNano < s.StartUnixNano {
			t.Errorf("malformed span %+v", s)
		}
		if s.Kind == groundtruth.KindServer {
			servers = append(servers, s.Service+" "+s.RouteKey())
		}
	}
	slices.Sort(servers)
	want := []string{"checkout POST /orders", "frontend POST /checkout", "payments POST /charge"}
	if !slices.Equal(servers, want) {
		t.Errorf("server spans of trace %s: %v, want %v", roots[0].TraceID, servers, want)
	}
	if roots[0].ParentSpanID != "" {
		t.Errorf("frontend span has parent %s, want it to be the root", roots[0].ParentSpanID)
	}

	metas, err := groundtruth.ReadMeta(shop.dir)
	if err != nil {
		t.Fatal(err)
	}
	meta := metas[Checkout]
	if meta.UnlinkedCPUShare != 0.3 || meta.Listen == "" || meta.PID == 0 || meta.StartedAt.IsZero() {
		t.Errorf("checkout meta %+v", meta)
	}
	const hotpath = "github.com/spanflame/spanflame/demo/shop/internal/hotpath."
	if got := meta.Routes["POST /orders"]; got != hotpath+"ValidateOrder" {
		t.Errorf("hot function of checkout POST /orders is %q", got)
	}
	if len(metas) != 3 || len(metas[Frontend].Routes) != 4 {
		t.Errorf("metas %v", metas)
	}
}
