// Package service is the demo shop: the HTTP routes and gRPC methods of the
// frontend, checkout and payments services, their telemetry and their
// ground-truth record.
package service

import (
	"context"
	"encoding/json"
	"errors"
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
	"google.golang.org/grpc"

	"github.com/spanflame/spanflame/demo/groundtruth"
	"github.com/spanflame/spanflame/demo/shop/internal/record"
	"github.com/spanflame/spanflame/demo/shop/internal/unlinked"
)

const (
	// workPiece is the size of the labeled pieces of a request's usual work, and
	// maxPieces caps their number; maxPiece caps a piece's size, so that the
	// long labeled work of a computing slowdown is interleaved with the little
	// unlabeled inline work at least every 20 ms (see unlinked.Plan).
	workPiece = 2 * time.Millisecond
	maxPieces = 16
	maxPiece  = 20 * time.Millisecond
	// shortWork is the CPU of a cache-hit request hop (Route.ShortShare): its
	// span is far shorter than a 10 ms sampling period.
	shortWork = 1500 * time.Microsecond
)

// slowExtra is how much longer the demo makes a slow request. Computing: 300-600
// ms more CPU, all of it in the route's hot function under the span's labels,
// so a profile holds 30-60 samples of it at 100 Hz, enough for the span page
// to call the span computing (it needs 20 samples and a 95% range of the CPU
// share wholly above 50%). Waiting: a 200-500 ms sleep.
func slowExtra(by string) time.Duration {
	if by == groundtruth.Computing {
		return 300*time.Millisecond + rand.N(300*time.Millisecond)
	}
	return 200*time.Millisecond + rand.N(300*time.Millisecond)
}

// Config is what one service process is asked to do.
type Config struct {
	Service        string        // frontend, checkout or payments
	Downstream     string        // base URL of the next service; "" for payments
	GroundTruthDir string        // where to write the ground truth; "" for none
	WorkPerHop     time.Duration // CPU per request, labeled and unlabeled together
	ErrorShare     float64       // share of requests a failing route fails
	SlowShare      float64       // share of requests a slow route makes slow
	// RPCMetrics is the generation of Beyla's gRPC server metrics to emit,
	// RPCMetricsCurrent or RPCMetricsLegacy; "" for the service's default
	// (DefaultRPCMetrics).
	RPCMetrics string
}

// Service is one running shop service.
type Service struct {
	cfg        Config
	routes     []Route
	runner     *unlinked.Runner
	telemetry  *telemetry
	client     *http.Client     // to the downstream service over HTTP, traced
	grpcClient *grpc.ClientConn // to the downstream service over gRPC; nil when no route calls one
	grpcServer *grpc.Server     // the service's gRPC methods; nil when it has none
	mux        *http.ServeMux
	ready      atomic.Bool
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
	if cfg.RPCMetrics == "" {
		cfg.RPCMetrics = DefaultRPCMetrics(cfg.Service)
	}
	tel, err := newTelemetry(ctx, cfg.Service, cfg.GroundTruthDir, runner)
	if err != nil {
		return nil, err
	}
	s := &Service{cfg: cfg, routes: routes, runner: runner, telemetry: tel}
	s.client = &http.Client{
		Timeout: 10 * time.Second,
		Transport: otelhttp.NewTransport(http.DefaultTransport,
			otelhttp.WithTracerProvider(tel.tracerProvider), otelhttp.WithMeterProvider(tel.meterProvider),
			otelhttp.WithPropagators(propagator)),
	}
	if err := s.setUpGRPC(); err != nil {
		_ = tel.shutdown(ctx)
		return nil, err
	}

	app := http.NewServeMux()
	for _, route := range routes {
		if !route.IsGRPC() {
			app.Handle(route.Key(), s.serveRoute(route))
		}
	}
	s.mux = http.NewServeMux()
	// Only the shop's own routes are traced and counted: scrapes of /metrics and
	// /debug/pprof are not part of the workload.
	s.mux.Handle("/", otelhttp.NewHandler(app, cfg.Service,
		otelhttp.WithTracerProvider(tel.tracerProvider), otelhttp.WithMeterProvider(tel.meterProvider),
		otelhttp.WithPropagators(propagator)))
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(tel.registry, promhttp.HandlerOpts{}))
	s.mux.HandleFunc("GET /healthz", s.serveHealth)
	s.mux.HandleFunc("/debug/pprof/", httppprof.Index)
	s.mux.HandleFunc("/debug/pprof/cmdline", httppprof.Cmdline)
	s.mux.HandleFunc("/debug/pprof/profile", serveCPUProfile(runner))
	s.mux.HandleFunc("/debug/pprof/symbol", httppprof.Symbol)
	s.mux.HandleFunc("/debug/pprof/trace", httppprof.Trace)
	return s, nil
}

// propagator carries the trace context between the services (W3C traceparent).
var propagator = propagation.TraceContext{}

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
	meta := groundtruth.Meta{
		Service:           s.cfg.Service,
		PID:               os.Getpid(),
		Listen:            listen,
		Downstream:        s.cfg.Downstream,
		UnlinkedCPUShare:  s.runner.Share(),
		WorkPerHopMillis:  float64(s.cfg.WorkPerHop) / float64(time.Millisecond),
		StartedAt:         time.Now().UTC(),
		Routes:            map[string]string{},
		UnlinkedFunctions: UnlinkedFunctionNames(),
	}
	for _, r := range s.routes {
		if r.Unlabeled {
			meta.UnlabeledRoutes = setKey(meta.UnlabeledRoutes, r.Key(), r.HotFunctionName())
		} else {
			meta.Routes[r.Key()] = r.HotFunctionName()
		}
		if r.SlowWeight > 0 {
			meta.SlowRoutes = setKey(meta.SlowRoutes, r.Key(), r.SlowBy)
		}
		if r.ShortShare > 0 {
			meta.ShortRoutes = setKey(meta.ShortRoutes, r.Key(), r.ShortShare)
		}
	}
	if s.grpcServer != nil {
		meta.RPCMetrics = s.cfg.RPCMetrics
	}
	return meta
}

// setKey sets m[k] = v, making m first if it is nil.
func setKey[V any](m map[string]V, k string, v V) map[string]V {
	if m == nil {
		m = map[string]V{}
	}
	m[k] = v
	return m
}

// Flush writes buffered spans to the ground-truth record now.
func (s *Service) Flush(ctx context.Context) error { return s.telemetry.flush(ctx) }

// Shutdown stops the gRPC parts and flushes and stops the telemetry. Call it
// after the HTTP server stopped.
func (s *Service) Shutdown(ctx context.Context) error {
	s.ready.Store(false)
	var closeErr error
	if s.grpcClient != nil {
		closeErr = s.grpcClient.Close()
	}
	if s.grpcServer != nil {
		s.grpcServer.Stop()
	}
	return errors.Join(closeErr, s.telemetry.shutdown(ctx))
}

func (s *Service) serveHealth(w http.ResponseWriter, _ *http.Request) {
	if !s.ready.Load() {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	_, _ = io.WriteString(w, "ok\n")
}

// outcome is how serving a request ended.
type outcome int

const (
	answered         outcome = iota // it succeeded
	failedHere                      // the route failed it itself (Route.FailWeight)
	failedDownstream                // the downstream call failed
	abandoned                       // the caller went away
)

// serveRoute answers an HTTP route: 200, 503 when it failed, 502 when its
// downstream did.
func (s *Service) serveRoute(route Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		span := trace.SpanFromContext(ctx)
		span.SetAttributes(semconv.HTTPRoute(route.Path))
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))

		status := http.StatusOK
		switch s.handle(ctx, route) {
		case abandoned:
			return
		case failedHere:
			status = http.StatusServiceUnavailable
		case failedDownstream:
			status = http.StatusBadGateway
		}
		writeAnswer(w, status, map[string]string{
			"service": s.cfg.Service, "route": route.Key(), "trace_id": span.SpanContext().TraceID().String(),
		})
	})
}

// handle is the request path every route shares, HTTP or gRPC: the route's CPU
// work (labeled in its hot function, or all of it on the worker pool for an
// unlabeled route), the unlabeled pieces, maybe a slow-down, the downstream
// call, maybe a failure. What the work cost goes on the span for the ground truth.
func (s *Service) handle(ctx context.Context, route Route) outcome {
	span := trace.SpanFromContext(ctx)
	facts := record.Facts{CPULabeled: !route.Unlabeled}
	defer func() { span.SetAttributes(facts.Attributes()...) }()

	hop := s.cfg.WorkPerHop
	short := chance(route.ShortShare)
	if short {
		hop = min(hop, shortWork)
	}
	var extra, computeMore time.Duration
	if !short && chance(s.cfg.SlowShare*route.SlowWeight) {
		facts.SlowBy = route.SlowBy
		extra = slowExtra(route.SlowBy)
	}
	if facts.SlowBy == groundtruth.Computing {
		// All of the extra CPU runs under the span's labels, as a real hot loop
		// in a request would: a profile sees all of what made the span slow.
		// The unlinked share still holds: the background job tops the process's
		// unlabeled CPU up for it while it runs (unlinked.Runner.StartLabeled),
		// as it does for the usual work.
		computeMore = extra
	}

	if route.Unlabeled {
		used, err := s.runner.HandoffWork(ctx, hop+computeMore, route.Hot)
		facts.UnlabeledCPU += used
		if err != nil {
			return abandoned
		}
	} else {
		plan := s.runner.Plan(hop)
		own, inline := s.runWork(ctx, span.SpanContext(), route.Hot, plan.Inline, plan.Labeled+computeMore)
		facts.CPU, facts.UnlabeledCPU = own, inline
		used, err := s.runner.Handoff(ctx, plan.Handoff)
		facts.UnlabeledCPU += used
		if err != nil {
			return abandoned
		}
	}
	if facts.SlowBy == groundtruth.Waiting && !sleep(ctx, extra) {
		return abandoned
	}
	if route.Next != "" {
		if result := s.callDownstream(ctx, route.Next); result != answered {
			return result
		}
	}
	if chance(s.cfg.ErrorShare * route.FailWeight) {
		return failedHere
	}
	return answered
}

// runWork runs the request's own CPU work on one OS thread: hot under the
// pprof labels trace_id and span_id of the server span (so CPU samples taken
// meanwhile carry them), in pieces that alternate with the unlabeled inline
// work (see unlinked.Plan for why). The labeled pieces must not start
// goroutines or call other services: both would carry the labels on (new
// goroutines and pooled connections inherit them). It returns the CPU used
// under the labels and without them.
func (s *Service) runWork(ctx context.Context, sc trace.SpanContext, hot HotFunc, inline, labeled time.Duration) (own, unlabeled time.Duration) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	pieces := max(min(max(1, int(labeled/workPiece)), maxPieces), int((labeled+maxPiece-1)/maxPiece))
	work := s.runner.StartLabeled(labeled)
	defer work.Done()
	piece := func(context.Context) {
		used := hot(labeled / time.Duration(pieces))
		work.Record(used)
		own += used
	}
	labels := pprof.Labels("trace_id", sc.TraceID().String(), "span_id", sc.SpanID().String())
	for range pieces {
		unlabeled += s.runner.RunInline(inline / time.Duration(pieces))
		if sc.IsValid() {
			pprof.Do(ctx, labels, piece)
		} else {
			piece(ctx)
		}
	}
	return own, unlabeled
}

// callDownstream calls the downstream route next ("GET /orders" over HTTP,
// "/shop.Payments/Charge" over gRPC).
func (s *Service) callDownstream(ctx context.Context, next string) outcome {
	if strings.HasPrefix(next, "/") {
		return s.callGRPC(ctx, next)
	}
	method, path, _ := strings.Cut(next, " ")
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(`{"cart":"demo"}`)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.cfg.Downstream+path, body)
	if err != nil {
		return failedDownstream
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return failedOrAbandoned(ctx)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return failedDownstream
	}
	return answered
}

// failedOrAbandoned is the outcome of a failed downstream call: abandoned when
// the caller went away meanwhile.
func failedOrAbandoned(ctx context.Context) outcome {
	if ctx.Err() != nil {
		return abandoned
	}
	return failedDownstream
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
