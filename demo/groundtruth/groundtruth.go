// Package groundtruth reads the demo shop's record of what it did, so tests can
// check Spanflame's answers against the truth. It is a Go module of its own with
// no dependencies: the plugin's tests import it without taking on the demo's
// dependencies (the shop's span exporter that writes the spans lives in the demo,
// demo/shop/internal/record).
//
// Each shop process writes into one directory (its -ground-truth flag):
//
//   - <service>.spans.jsonl: one JSON object (Span) per finished span, appended
//     at least every second while the process runs and on exit;
//   - <service>.meta.json: one JSON object (Meta) written at start-up, with the
//     process id, the configured unlinked CPU share and, per route, the pprof
//     function name of that route's CPU hot path.
//
// A typical test reads both and asks, for a route's latest traces, whether the
// profile samples labelled with their trace ids contain the route's hot
// function (routes are "METHOD /path" for HTTP, "/pkg.Service/Method" for gRPC):
//
//	spans, err := groundtruth.ReadSpans(dir)
//	metas, err := groundtruth.ReadMeta(dir)
//	latest := groundtruth.LatestServerSpans(spans, "checkout", "POST /orders", 5)
//	hot := metas["checkout"].Routes["POST /orders"]
package groundtruth

import "time"

// Span kinds as written in Span.Kind.
const (
	KindServer   = "server"
	KindClient   = "client"
	KindInternal = "internal"
)

// Protocols as written in Span.Protocol.
const (
	ProtocolHTTP = "http"
	ProtocolGRPC = "grpc"
)

// Verdicts as written in Span.Verdict and causes as written in Span.SlowBy.
const (
	// Computing: the span's own work used at least half its duration in CPU.
	Computing = "computing"
	// Waiting: it used less; the rest went to sleeping, a downstream call or
	// waiting for a core.
	Waiting = "waiting"
)

// Span is one finished span of the demo, as written to <service>.spans.jsonl.
type Span struct {
	TraceID      string `json:"trace_id"`       // 32 lowercase hex digits
	SpanID       string `json:"span_id"`        // 16 lowercase hex digits
	ParentSpanID string `json:"parent_span_id"` // "" for the root span of a trace
	Service      string `json:"service"`        // frontend, checkout or payments
	// Name is the span name: "POST /checkout" (HTTP server), "/shop.Payments/Charge"
	// (gRPC server, as Beyla names it), "POST" or "shop.Payments/Charge" (client).
	Name     string `json:"name"`
	Kind     string `json:"kind"`     // server, client or internal
	Protocol string `json:"protocol"` // http or grpc
	// Route is the http.route of HTTP server spans ("/checkout") and the full
	// method of gRPC server spans ("/shop.Payments/Charge"); "" otherwise.
	Route         string `json:"route"`
	Method        string `json:"method"`                    // HTTP request method, e.g. "POST"; "" for gRPC
	StatusCode    int    `json:"status_code"`               // HTTP response status code; 0 if none
	RPCStatusCode string `json:"rpc_status_code,omitempty"` // gRPC status of gRPC spans: "OK", "UNAVAILABLE", ...
	StartUnixNano int64  `json:"start_unix_nano"`
	EndUnixNano   int64  `json:"end_unix_nano"`

	// The fields below are set on server spans only.

	// CPUNanos is the thread CPU time of the span's own work that ran under its
	// pprof labels trace_id and span_id: what a profile can attribute to the span
	// by its span_id. Measured with the thread CPU clock, not sampled.
	CPUNanos int64 `json:"cpu_ns"`
	// UnlabeledCPUNanos is the thread CPU time of the span's own work that ran
	// without labels: before the labels were set, or handed to the worker pool.
	UnlabeledCPUNanos int64 `json:"unlabeled_cpu_ns"`
	// CPULabeled is false for routes whose work all runs on the worker pool
	// without labels (Meta.UnlabeledRoutes): their spans have no samples of
	// their own, only the service's CPU in their window.
	CPULabeled bool `json:"cpu_labeled"`
	// SlowBy says how the demo made this request slow: Computing (300-600 ms
	// more CPU in the route's hot function, all of it under the span's labels,
	// so in CPUNanos) or Waiting (a 200-500 ms sleep);
	// "" when it did not. A caller of a slowed request is slow too, with SlowBy
	// "": its verdict tells how (Waiting, on the downstream call).
	SlowBy string `json:"slow_by,omitempty"`
	// Verdict is Computing when the span's own CPU (CPUNanos+UnlabeledCPUNanos)
	// is at least half its duration, Waiting otherwise.
	Verdict string `json:"verdict,omitempty"`
}

// RouteKey is the route as used in Meta.Routes: "POST /checkout" for HTTP,
// the full method "/shop.Payments/Charge" for gRPC; "" for spans without a route.
func (s Span) RouteKey() string {
	if s.Route == "" || s.Method == "" {
		return s.Route
	}
	return s.Method + " " + s.Route
}

// Start is the span's start time.
func (s Span) Start() time.Time { return time.Unix(0, s.StartUnixNano) }

// End is the span's end time.
func (s Span) End() time.Time { return time.Unix(0, s.EndUnixNano) }

// Duration is the span's length.
func (s Span) Duration() time.Duration { return time.Duration(s.EndUnixNano - s.StartUnixNano) }

// CPU is the span's own CPU time under its labels (see CPUNanos).
func (s Span) CPU() time.Duration { return time.Duration(s.CPUNanos) }

// OwnCPU is all of the span's own CPU time, labelled or not.
func (s Span) OwnCPU() time.Duration { return time.Duration(s.CPUNanos + s.UnlabeledCPUNanos) }

// Meta describes one shop process, as written to <service>.meta.json.
type Meta struct {
	Service          string    `json:"service"`
	PID              int       `json:"pid"`
	Listen           string    `json:"listen"`               // host:port it serves on
	Downstream       string    `json:"downstream,omitempty"` // base URL of the next service
	UnlinkedCPUShare float64   `json:"unlinked_cpu_share"`   // configured share of CPU without trace_id label
	WorkPerHopMillis float64   `json:"work_ms"`              // CPU per request hop, labeled and unlinked together
	StartedAt        time.Time `json:"started_at"`
	// Routes maps each route ("GET /products") to the fully qualified name of
	// its hot function as it appears in a pprof profile.
	Routes map[string]string `json:"routes"`
	// UnlinkedFunctions are the fully qualified names of the functions that do
	// the deliberately unlabeled work (worker pool and background job).
	UnlinkedFunctions []string `json:"unlinked_functions"`
	// UnlabeledRoutes maps each route whose work all runs on the worker pool,
	// without trace labels, to the function doing it (also in UnlinkedFunctions,
	// not in Routes): its spans can only be profiled by their window.
	UnlabeledRoutes map[string]string `json:"unlabeled_routes,omitempty"`
	// SlowRoutes maps each route the demo makes slow at times to how: Computing
	// or Waiting (see Span.SlowBy).
	SlowRoutes map[string]string `json:"slow_routes,omitempty"`
	// ShortRoutes maps each route some of whose requests do only a little work
	// (a cache hit), so that their spans are shorter than a sampling period, to
	// the share of its requests that do.
	ShortRoutes map[string]float64 `json:"short_routes,omitempty"`
	// RPCMetrics names the generation of Beyla's gRPC server metrics this
	// process emits: "current" (rpc_server_call_duration_seconds, Beyla 3.23
	// and later) or "legacy" (rpc_server_duration_seconds); "" when it serves
	// no gRPC.
	RPCMetrics string `json:"rpc_metrics,omitempty"`
}

// SpansFile is the name of a service's span record inside the directory.
func SpansFile(service string) string { return service + ".spans.jsonl" }

// MetaFile is the name of a service's meta file inside the directory.
func MetaFile(service string) string { return service + ".meta.json" }
