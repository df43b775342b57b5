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
// function:
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

// Span is one finished span of the demo, as written to <service>.spans.jsonl.
type Span struct {
	TraceID       string `json:"trace_id"`       // 32 lowercase hex digits
	SpanID        string `json:"span_id"`        // 16 lowercase hex digits
	ParentSpanID  string `json:"parent_span_id"` // "" for the root span of a trace
	Service       string `json:"service"`        // frontend, checkout or payments
	Name          string `json:"name"`           // e.g. "POST /checkout" (server) or "POST" (client)
	Kind          string `json:"kind"`           // server, client or internal
	Route         string `json:"route"`          // http.route of server spans, e.g. "/checkout"; "" otherwise
	Method        string `json:"method"`         // HTTP request method, e.g. "POST"
	StatusCode    int    `json:"status_code"`    // HTTP response status code; 0 if none
	StartUnixNano int64  `json:"start_unix_nano"`
	EndUnixNano   int64  `json:"end_unix_nano"`
}

// RouteKey is the route as used in Meta.Routes, e.g. "POST /checkout"; "" for
// spans without a route.
func (s Span) RouteKey() string {
	if s.Route == "" {
		return ""
	}
	return s.Method + " " + s.Route
}

// Start is the span's start time.
func (s Span) Start() time.Time { return time.Unix(0, s.StartUnixNano) }

// End is the span's end time.
func (s Span) End() time.Time { return time.Unix(0, s.EndUnixNano) }

// Duration is the span's length.
func (s Span) Duration() time.Duration { return time.Duration(s.EndUnixNano - s.StartUnixNano) }

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
}

// SpansFile is the name of a service's span record inside the directory.
func SpansFile(service string) string { return service + ".spans.jsonl" }

// MetaFile is the name of a service's meta file inside the directory.
func MetaFile(service string) string { return service + ".meta.json" }
