package record

import (
	"context"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// The shop tells the span exporter what it did for a request through span
// attributes under this prefix. They are the answers tests check against, so
// WithoutFacts strips them before spans leave for a trace store.
const factPrefix = "spanflame.demo."

const (
	cpuKey          = attribute.Key(factPrefix + "cpu_ns")
	unlabeledCPUKey = attribute.Key(factPrefix + "unlabeled_cpu_ns")
	cpuLabeledKey   = attribute.Key(factPrefix + "cpu_labeled")
	slowByKey       = attribute.Key(factPrefix + "slow_by")
)

// Facts is what a server span's own work did, measured with the thread CPU clock.
type Facts struct {
	CPU          time.Duration // own work under the span's pprof labels
	UnlabeledCPU time.Duration // own work without labels (before them, or on the worker pool)
	CPULabeled   bool          // false for routes whose work all runs unlabeled
	SlowBy       string        // groundtruth.Computing or Waiting when the demo slowed the request; ""
}

// Attributes are the facts as span attributes, for the ground-truth exporter.
func (f Facts) Attributes() []attribute.KeyValue {
	attrs := []attribute.KeyValue{
		cpuKey.Int64(int64(f.CPU)), unlabeledCPUKey.Int64(int64(f.UnlabeledCPU)), cpuLabeledKey.Bool(f.CPULabeled),
	}
	if f.SlowBy != "" {
		attrs = append(attrs, slowByKey.String(f.SlowBy))
	}
	return attrs
}

// WithoutFacts wraps an exporter (OTLP, to a trace store) so that the spans it
// sends carry none of the shop's ground-truth facts: a trace store holds what
// it would hold for a real service.
func WithoutFacts(exporter sdktrace.SpanExporter) sdktrace.SpanExporter {
	return factStripper{exporter}
}

type factStripper struct{ sdktrace.SpanExporter }

func (f factStripper) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	stripped := make([]sdktrace.ReadOnlySpan, len(spans))
	for i, s := range spans {
		stripped[i] = spanWithoutFacts{s}
	}
	return f.SpanExporter.ExportSpans(ctx, stripped)
}

// spanWithoutFacts is a span whose attributes leave out the facts. Embedding
// the interface keeps every other method (and the SDK's private marker).
type spanWithoutFacts struct{ sdktrace.ReadOnlySpan }

func (s spanWithoutFacts) Attributes() []attribute.KeyValue {
	all := s.ReadOnlySpan.Attributes()
	kept := make([]attribute.KeyValue, 0, len(all))
	for _, kv := range all {
		if !strings.HasPrefix(string(kv.Key), factPrefix) {
			kept = append(kept, kv)
		}
	}
	return kept
}
