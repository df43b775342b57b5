package service

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
)

// TestSpansReachAnOTLPReceiver: with only the standard OTEL_EXPORTER_OTLP_ENDPOINT
// and OTEL_EXPORTER_OTLP_PROTOCOL set (as the stack sets them for a trace
// store), every service sends its HTTP and gRPC spans with its service.name,
// and without the ground-truth facts.
func TestSpansReachAnOTLPReceiver(t *testing.T) {
	for _, protocol := range []string{"http/protobuf", "grpc"} {
		t.Run(protocol, func(t *testing.T) {
			receiver := &otlpReceiver{}
			t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.start(t, protocol))
			t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", protocol)
			shop := startTestShopWith(t, 0.3, Config{WorkPerHop: 2 * time.Millisecond})
			shop.request(t, "POST", "/checkout")
			shop.request(t, "POST", "/cart")
			shop.spansOf(t, 3+2)

			got := receiver.spans()
			for _, want := range []string{
				"frontend POST /checkout", "checkout POST /orders", "checkout shop.Payments/Charge", "payments " + Charge,
				"frontend POST /cart", "frontend shop.Checkout/AddToCart", "checkout " + AddToCart,
			} {
				if !slices.Contains(got, want) {
					t.Errorf("the receiver has no span %q (service.name, span name); it has %v", want, got)
				}
			}
			if receiver.facts > 0 {
				t.Errorf("%d spans carry the shop's ground-truth attributes", receiver.facts)
			}
		})
	}
}

// otlpReceiver is an OTLP trace receiver over HTTP or gRPC that keeps
// "<service.name> <span name>" of every span it gets.
type otlpReceiver struct {
	collectortrace.UnimplementedTraceServiceServer
	mu    sync.Mutex
	names []string
	facts int // spans with an attribute under the ground-truth prefix
}

func (r *otlpReceiver) start(t *testing.T, protocol string) string {
	if protocol == "grpc" {
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		server := grpc.NewServer()
		collectortrace.RegisterTraceServiceServer(server, r)
		go func() { _ = server.Serve(listener) }()
		t.Cleanup(server.Stop)
		return "http://" + listener.Addr().String()
	}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		var export collectortrace.ExportTraceServiceRequest
		if err != nil || req.URL.Path != "/v1/traces" || proto.Unmarshal(body, &export) != nil {
			http.Error(w, "not an OTLP trace export", http.StatusBadRequest)
			return
		}
		_, _ = r.Export(req.Context(), &export)
		w.Header().Set("Content-Type", "application/x-protobuf")
		out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
		_, _ = w.Write(out)
	}))
	t.Cleanup(server.Close)
	return server.URL
}

func (r *otlpReceiver) Export(_ context.Context, req *collectortrace.ExportTraceServiceRequest) (*collectortrace.ExportTraceServiceResponse, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rs := range req.GetResourceSpans() {
		service := ""
		for _, attr := range rs.GetResource().GetAttributes() {
			if attr.GetKey() == "service.name" {
				service = attr.GetValue().GetStringValue()
			}
		}
		for _, ss := range rs.GetScopeSpans() {
			for _, span := range ss.GetSpans() {
				r.names = append(r.names, service+" "+span.GetName())
				for _, attr := range span.GetAttributes() {
					if strings.HasPrefix(attr.GetKey(), "spanflame.") {
						r.facts++
					}
				}
			}
		}
	}
	return &collectortrace.ExportTraceServiceResponse{}, nil
}

func (r *otlpReceiver) spans() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.names)
}
