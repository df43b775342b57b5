package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/otlptranslator"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/spanflame/spanflame/demo/shop/internal/record"
	"github.com/spanflame/spanflame/demo/shop/internal/unlinked"
)

// ServiceNamespace is the service.namespace of all shop services (the
// service_namespace label of their metrics, as Beyla sets it).
const ServiceNamespace = "shop"

// groundTruthFlushInterval bounds how old the newest span in the ground-truth
// file can be.
const groundTruthFlushInterval = 500 * time.Millisecond

// beylaMetricAttributes are the HTTP metric attributes Beyla exports; the
// others otelhttp adds (network.protocol.*) are dropped to match it.
var beylaMetricAttributes = attribute.NewAllowKeysFilter(
	semconv.HTTPRequestMethodKey, semconv.HTTPResponseStatusCodeKey, semconv.HTTPRouteKey,
	semconv.ServerAddressKey, semconv.ServerPortKey, semconv.URLSchemeKey, semconv.ErrorTypeKey,
)

// meterName is the instrumentation scope of the shop's own instruments (the
// RPC metrics); the exporter drops scope labels, as Beyla's metrics have none.
const meterName = "github.com/spanflame/spanflame/demo/shop"

// durationBuckets are the bucket boundaries (seconds) of every duration
// histogram, HTTP and RPC: Beyla's default duration buckets plus 0.0526 s, one
// sampling period of parca-agent (19 Hz), as a user of Beyla adds through its
// buckets.duration_histogram setting. With 0.01 s (Go's pprof at 100 Hz) among
// the defaults, the share of requests shorter than either sampling period can
// be read off the histogram without interpolation.
var durationBuckets = []float64{0, 0.005, 0.01, 0.025, 0.05, 0.0526, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// metricView shapes the instruments as Beyla's metrics: HTTP ones keep only
// Beyla's attributes, duration histograms get durationBuckets. (One view for
// both: two matching views would export an instrument twice.)
func metricView(inst sdkmetric.Instrument) (sdkmetric.Stream, bool) {
	stream := sdkmetric.Stream{Name: inst.Name, Description: inst.Description, Unit: inst.Unit}
	matched := false
	if strings.HasPrefix(inst.Name, "http.") {
		stream.AttributeFilter = beylaMetricAttributes
		matched = true
	}
	if strings.HasSuffix(inst.Name, ".duration") && inst.Kind == sdkmetric.InstrumentKindHistogram {
		stream.Aggregation = sdkmetric.AggregationExplicitBucketHistogram{Boundaries: durationBuckets}
		matched = true
	}
	return stream, matched
}

// telemetry is one service's tracing and metrics pipeline.
type telemetry struct {
	tracerProvider *sdktrace.TracerProvider
	meterProvider  *sdkmetric.MeterProvider
	registry       *prometheus.Registry // what /metrics serves
}

// newTelemetry builds the pipeline: spans go to the ground-truth file (when
// groundTruthDir is set) and over OTLP (when OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set), both HTTP and gRPC spans, with
// the resource's service.name; metrics go to a Prometheus registry.
func newTelemetry(ctx context.Context, service, groundTruthDir string, runner *unlinked.Runner) (*telemetry, error) {
	res, err := resource.New(ctx,
		resource.WithFromEnv(), resource.WithTelemetrySDK(),
		resource.WithAttributes(semconv.ServiceName(service), semconv.ServiceNamespace(ServiceNamespace)),
	)
	if err != nil {
		return nil, fmt.Errorf("telemetry resource: %w", err)
	}

	traceOptions := []sdktrace.TracerProviderOption{
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample())),
	}
	if groundTruthDir != "" {
		exporter, err := record.NewSpanExporter(groundTruthDir, service)
		if err != nil {
			return nil, fmt.Errorf("ground-truth span record: %w", err)
		}
		traceOptions = append(traceOptions, sdktrace.WithBatcher(exporter, sdktrace.WithBatchTimeout(groundTruthFlushInterval)))
	}
	if otlpConfigured() {
		exporter, err := newOTLPExporter(ctx)
		if err != nil {
			return nil, fmt.Errorf("OTLP span exporter: %w", err)
		}
		traceOptions = append(traceOptions, sdktrace.WithBatcher(record.WithoutFacts(exporter)))
	}

	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	registry.MustRegister(unlinkedCollectors(runner)...)
	metricExporter, err := otelprom.New(
		otelprom.WithRegisterer(registry),
		otelprom.WithTranslationStrategy(otlptranslator.UnderscoreEscapingWithSuffixes),
		otelprom.WithoutScopeInfo(),
		otelprom.WithResourceAsConstantLabels(attribute.NewAllowKeysFilter(semconv.ServiceNameKey, semconv.ServiceNamespaceKey)),
	)
	if err != nil {
		return nil, fmt.Errorf("prometheus exporter: %w", err)
	}
	meterProvider := sdkmetric.NewMeterProvider(
		sdkmetric.WithResource(res),
		sdkmetric.WithReader(metricExporter),
		sdkmetric.WithView(metricView),
	)

	return &telemetry{
		tracerProvider: sdktrace.NewTracerProvider(traceOptions...),
		meterProvider:  meterProvider,
		registry:       registry,
	}, nil
}

func otlpConfigured() bool {
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// newOTLPExporter speaks OTLP/HTTP unless OTEL_EXPORTER_OTLP_PROTOCOL (or its
// _TRACES_ variant) says grpc. Both read the endpoint and headers from the
// standard OTEL_EXPORTER_OTLP_* variables.
func newOTLPExporter(ctx context.Context) (sdktrace.SpanExporter, error) {
	protocol := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	if protocol == "" {
		protocol = os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
	}
	if strings.EqualFold(protocol, "grpc") {
		return otlptracegrpc.New(ctx)
	}
	return otlptracehttp.New(ctx)
}

// flush pushes out buffered spans, for tests that read the record right away.
func (t *telemetry) flush(ctx context.Context) error {
	return t.tracerProvider.ForceFlush(ctx)
}

// shutdown flushes and stops both pipelines.
func (t *telemetry) shutdown(ctx context.Context) error {
	return errors.Join(t.tracerProvider.Shutdown(ctx), t.meterProvider.Shutdown(ctx))
}

// unlinkedCollectors expose the Runner's CPU accounting, so the unlinked share
// can be checked against process_cpu_seconds_total without a profile.
func unlinkedCollectors(runner *unlinked.Runner) []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "shop_labeled_cpu_seconds_total",
			Help: "CPU time of request work run under pprof trace labels.",
		}, func() float64 { return runner.Stats().Labeled.Seconds() }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "shop_unlinked_cpu_seconds_total",
			Help: "CPU time of the deliberately unlabeled work: worker pool and background job.",
		}, func() float64 { return runner.Stats().Unlinked.Seconds() }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "shop_accounted_cpu_seconds_total",
			Help: "CPU time of the process since its first labeled request work.",
		}, func() float64 { return runner.Stats().Process.Seconds() }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shop_unlinked_carry_seconds",
			Help: "Unlabeled CPU surplus written off (>0) or backlog dropped (<0) by the top-up job.",
		}, func() float64 { return runner.Stats().Carry.Seconds() }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shop_unlinked_cpu_share_target",
			Help: "Configured share of CPU time without pprof trace labels.",
		}, runner.Share),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shop_unlinked_cpu_share_profiled",
			Help: "Share of CPU without trace labels in the last CPU profile served from /debug/pprof/profile; -1 before the first.",
		}, func() float64 { profiled, _ := runner.Calibration(); return profiled }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shop_unlinked_cpu_share_bias",
			Help: "Correction of the configured share that the background job aims at, learned from served CPU profiles.",
		}, func() float64 { _, bias := runner.Calibration(); return bias }),
		unlinkedWork{runner},
	}
}

// unlinkedWorkDesc is the unlinked CPU per kind of work and function: which of
// the demo's unlinked functions ran, and how much (the background job may idle
// for minutes while the process's other unlabeled CPU covers its share).
var unlinkedWorkDesc = prometheus.NewDesc("shop_unlinked_work_cpu_seconds_total",
	"CPU time of the deliberately unlabeled work per kind (before_labels, worker_pool, background_job) and function.",
	[]string{"kind", "function"}, nil)

type unlinkedWork struct{ runner *unlinked.Runner }

func (unlinkedWork) Describe(ch chan<- *prometheus.Desc) { ch <- unlinkedWorkDesc }

func (u unlinkedWork) Collect(ch chan<- prometheus.Metric) {
	for _, w := range u.runner.WorkByFunction() {
		ch <- prometheus.MustNewConstMetric(unlinkedWorkDesc, prometheus.CounterValue, w.CPU.Seconds(), w.Kind, w.Function)
	}
}
