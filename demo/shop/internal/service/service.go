// Package service is the demo shop: the HTTP routes of the frontend, checkout
// and payments services, their telemetry and their ground-truth record.
package service

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	httppprof "net/http/pprof"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/spanflame/spanflame/demo/groundtruth"
	"github.com/spanflame/spanflame/demo/shop/internal/unlinked"
)

// workPiece is the size of the labeled pieces of a request's work.
const workPiece = 2 * time.Millisecond

// Config is what one service process is asked to do.
type Config struct {
	Service        string        // frontend, checkout or payments
	Downstream     string        // base URL of the next service; "" for payments
	GroundTruthDir string        // where to write the ground truth; "" for none
	WorkPerHop     time.Duration // CPU per request, labeled and unlinked together
	ErrorShare     float64       // share of requests a failing route answers with 5xx
	SlowShare      float64       // share of requests a slow route makes slow
}

// Service is one running shop service.
type Service struct {
	cfg       Config
	routes    []Route
	runner    *unlinked.Runner
	telemetry *telemetry
	client    *http.Client // to the downstream service, traced
	handler   http.Handler
	ready     atomic.Bool
}

// New builds a service. The runner does its unlinked work and must be shared
// by all services of the process.
func New(ctx context.Context, cfg Config, runner *unlinked.Runner) (*Service, error) {
	routes, err := RoutesOf(cfg.Service)
	if err != nil {
		return nil, err
	}
	if HasDownstream(cfg.Service) && cfg.Downstream == "" {
		return nil, fmt.Errorf("service %s needs a downstream URL", cfg.Service)
	}
	tel, err := newTelemetry(ctx, cfg.Service, cfg.GroundTruthDir, runner)
	if err != nil {
		return nil, err
	}
	s := &Service{cfg: cfg, routes: routes, runner: runner, telemetry: tel}
	propagator := propagation.TraceContext{}
	s.client = &http.Client{
		Timeout: 10 * time.Second,
		Transport: otelhttp.NewTransport(http.DefaultTransport,
			otelhttp.WithTracerProvider(tel.tracerProvider), otelhttp.WithMeterProvider(tel.meterProvider),
			otelhttp.WithPropagators(propagator)),
	}

	app := http.NewServeMux()
	for _, route := range routes {
		app.Handle(route.Key(), s.serveRoute(route))
	}
	mux := http.NewServeMux()
	// Only the shop's own routes are traced and counted: scrapes of /metrics and
	// /debug/pprof are not part of the workload.
	mux.Handle("/", otelhttp.NewHandler(app, cfg.Service,
		otelhttp.WithTracerProvider(tel.tracerProvider), otelhttp.WithMeterProvider(tel.meterProvider),
		otelhttp.WithPropagators(propagator)))
	mux.Handle("GET /metrics", promhttp.HandlerFor(tel.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", s.serveHealth)
	mux.HandleFunc("/debug/pprof/", httppprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", httppprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", httppprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", httppprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", httppprof.Trace)
	s.handler = mux
	return s, nil
}

// Handler serves the service's routes, /metrics, /healthz and /debug/pprof/.
func (s *Service) Handler() http.Handler { return s.handler }

// Routes are the service's routes.
func (s *Service) Routes() []Route { return s.routes }

// Start marks the service ready (for /healthz) and writes its meta file.
func (s *Service) Start(listen string) error {
	if s.cfg.GroundTruthDir != "" {
		if err := groundtruth.WriteMeta(s.cfg.GroundTruthDir, s.Meta(listen)); err != nil {
			return fmt.Errorf("ground-truth meta: %w", err)
		}
	}
	s.ready.Store(true)
	return nil
}

// Meta describes the service for the ground truth.
func (s *Service) Meta(listen string) groundtruth.Meta {
	hot := make(map[string]string, len(s.routes))
	for _, r := range s.routes {
		hot[r.Key()] = r.HotFunctionName()
	}
	return groundtruth.Meta{
		Service:           s.cfg.Service,
		PID:               os.Getpid(),
		Listen:            listen,
		Downstream:        s.cfg.Downstream,
		UnlinkedCPUShare:  s.runner.Share(),
		WorkPerHopMillis:  float64(s.cfg.WorkPerHop) / float64(time.Millisecond),
		StartedAt:         time.Now().UTC(),
		Routes:            hot,
		UnlinkedFunctions: UnlinkedFunctionNames(),
	}
}

// Flush writes buffered spans to the ground-truth record now.
func (s *Service) Flush(ctx context.Context) error { return s.telemetry.flush(ctx) }

// Shutdown flushes and stops the telemetry. Call it after the HTTP server stopped.
func (s *Service) Shutdown(ctx context.Context) error {
	s.ready.Store(false)
	return s.telemetry.shutdown(ctx)
}

func (s *Service) serveHealth(w http.ResponseWriter, _ *http.Request) {
	if !s.ready.Load() {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	_, _ = io.WriteString(w, "ok\n")
}

// serveRoute is the request path every route shares: labeled CPU work in the
// route's hot function, the unlinked part handed to the worker pool, maybe a
// slow-down, the downstream call, maybe a failure.
func (s *Service) serveRoute(route Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		span := trace.SpanFromContext(ctx)
		span.SetAttributes(semconv.HTTPRoute(route.Path))
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))

		plan := s.runner.Plan(s.cfg.WorkPerHop)
		slow := chance(s.cfg.SlowShare * route.SlowWeight)
		if slow && route.SlowBySpinning {
			plan.Labeled *= 3
		}
		s.runWork(ctx, span.SpanContext(), route, plan)
		if err := s.runner.Handoff(ctx, plan.Handoff); err != nil {
			return // the client is gone
		}
		if slow && !route.SlowBySpinning && !sleep(ctx, 150*time.Millisecond+rand.N(300*time.Millisecond)) {
			return
		}

		status := http.StatusOK
		if route.Next != "" {
			status = s.callDownstream(ctx, route)
		}
		if status == http.StatusOK && chance(s.cfg.ErrorShare*route.FailWeight) {
			status = http.StatusServiceUnavailable
		}
		writeAnswer(w, status, map[string]string{
			"service": s.cfg.Service, "route": route.Key(), "trace_id": span.SpanContext().TraceID().String(),
		})
	})
}

// runWork runs the request's own CPU work on one OS thread: the route's hot
// function under the pprof labels trace_id and span_id of the server span (so
// CPU samples taken meanwhile carry them), in small pieces that alternate with
// the unlabeled inline work (see unlinked.Plan for why). The labeled pieces
// must not start goroutines or call other services: both would carry the
// labels on (new goroutines and pooled connections inherit them).
func (s *Service) runWork(ctx context.Context, sc trace.SpanContext, route Route, plan unlinked.Plan) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	pieces := max(1, int(plan.Labeled/workPiece))
	labeled := func(context.Context) { s.runner.RecordLabeled(route.Hot(plan.Labeled / time.Duration(pieces))) }
	labels := pprof.Labels("trace_id", sc.TraceID().String(), "span_id", sc.SpanID().String())
	for range pieces {
		s.runner.RunInline(plan.Inline / time.Duration(pieces))
		if sc.IsValid() {
			pprof.Do(ctx, labels, labeled)
		} else {
			labeled(ctx)
		}
	}
}

// callDownstream calls route.Next on the downstream service and maps its answer
// to this service's status: 200 when it succeeded, 502 otherwise.
func (s *Service) callDownstream(ctx context.Context, route Route) int {
	var body io.Reader
	if route.Method == http.MethodPost {
		body = strings.NewReader(`{"cart":"demo"}`)
	}
	req, err := http.NewRequestWithContext(ctx, route.Method, s.cfg.Downstream+route.Next, body)
	if err != nil {
		return http.StatusInternalServerError
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return http.StatusBadGateway
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return http.StatusBadGateway
	}
	return http.StatusOK
}

func writeAnswer(w http.ResponseWriter, status int, answer map[string]string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if status != http.StatusOK {
		answer["error"] = http.StatusText(status)
	}
	_ = json.NewEncoder(w).Encode(answer) // a failed write means the client left
}

// chance is true with probability p.
func chance(p float64) bool { return p > 0 && rand.Float64() < p }

// sleep waits for d and reports whether it did, false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}
