// Package record writes the shop's spans into the ground-truth record (see
// package groundtruth for the format and the reader).
package record

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/spanflame/spanflame/demo/groundtruth"
)

// SpanExporter is an OpenTelemetry span exporter that appends every span it
// gets to <dir>/<service>.spans.jsonl. Pair it with a batch span processor
// whose batch timeout is at most a second, so readers see recent spans soon.
type SpanExporter struct {
	service string
	mu      sync.Mutex
	file    *os.File
	out     *bufio.Writer
}

var _ sdktrace.SpanExporter = (*SpanExporter)(nil)

// NewSpanExporter opens (creating dir if needed) the span record of service
// for appending: records of earlier runs into the same dir are kept.
func NewSpanExporter(dir, service string) (*SpanExporter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	file, err := os.OpenFile(filepath.Join(dir, groundtruth.SpansFile(service)), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &SpanExporter{service: service, file: file, out: bufio.NewWriter(file)}, nil
}

// ExportSpans writes one JSON line per span and flushes them to the file.
func (e *SpanExporter) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.file == nil {
		return fmt.Errorf("groundtruth: span exporter of %s is shut down", e.service)
	}
	enc := json.NewEncoder(e.out)
	for _, s := range spans {
		if err := enc.Encode(e.record(s)); err != nil {
			return err
		}
	}
	return e.out.Flush()
}

func (e *SpanExporter) record(s sdktrace.ReadOnlySpan) groundtruth.Span {
	record := groundtruth.Span{
		TraceID:       s.SpanContext().TraceID().String(),
		SpanID:        s.SpanContext().SpanID().String(),
		Service:       e.service,
		Name:          s.Name(),
		Kind:          s.SpanKind().String(),
		StartUnixNano: s.StartTime().UnixNano(),
		EndUnixNano:   s.EndTime().UnixNano(),
	}
	if s.Parent().IsValid() {
		record.ParentSpanID = s.Parent().SpanID().String()
	}
	server := s.SpanKind() == trace.SpanKindServer
	for _, attr := range s.Attributes() {
		switch attr.Key {
		case semconv.HTTPRouteKey:
			record.Route = attr.Value.AsString()
		case semconv.HTTPRequestMethodKey:
			record.Method = attr.Value.AsString()
			record.Protocol = groundtruth.ProtocolHTTP
		case semconv.HTTPResponseStatusCodeKey:
			if attr.Value.Type() == attribute.INT64 {
				record.StatusCode = int(attr.Value.AsInt64())
			}
		case semconv.RPCMethodKey: // "shop.Payments/Charge"
			record.Protocol = groundtruth.ProtocolGRPC
			if server {
				record.Route = "/" + strings.TrimPrefix(attr.Value.AsString(), "/")
			}
		case semconv.RPCResponseStatusCodeKey:
			record.RPCStatusCode = attr.Value.AsString()
		case cpuKey:
			record.CPUNanos = attr.Value.AsInt64()
		case unlabeledCPUKey:
			record.UnlabeledCPUNanos = attr.Value.AsInt64()
		case cpuLabeledKey:
			record.CPULabeled = attr.Value.AsBool()
		case slowByKey:
			record.SlowBy = attr.Value.AsString()
		}
	}
	if server {
		record.Verdict = groundtruth.Waiting
		if 2*(record.CPUNanos+record.UnlabeledCPUNanos) >= record.EndUnixNano-record.StartUnixNano {
			record.Verdict = groundtruth.Computing
		}
	}
	return record
}

// Shutdown flushes and closes the file. Later exports fail.
func (e *SpanExporter) Shutdown(context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.file == nil {
		return nil
	}
	flushErr := e.out.Flush()
	closeErr := e.file.Close()
	e.file = nil
	if flushErr != nil {
		return flushErr
	}
	return closeErr
}
