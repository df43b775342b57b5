package service

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// The two generations of Beyla's gRPC server metrics (values of -rpc-metrics).
const (
	// RPCMetricsCurrent is Beyla 3.23 and later: rpc_server_call_duration_seconds
	// with rpc_method and rpc_response_status_code ("OK", "UNAVAILABLE", ...).
	RPCMetricsCurrent = "current"
	// RPCMetricsLegacy is Beyla before 3.23: rpc_server_duration_seconds with
	// rpc_method and rpc_grpc_status_code (0, 14, ...).
	RPCMetricsLegacy = "legacy"
)

// RPCMetricsGenerations are the valid values of Config.RPCMetrics.
var RPCMetricsGenerations = []string{RPCMetricsCurrent, RPCMetricsLegacy}

// DefaultRPCMetrics is the generation a service emits unless told otherwise:
// legacy for checkout and current for payments, so a shop run with defaults
// has both, each from its own process, as a fleet mid-upgrade has.
func DefaultRPCMetrics(service string) string {
	if service == Checkout {
		return RPCMetricsLegacy
	}
	return RPCMetricsCurrent
}

// Attribute keys of the legacy generation, which the current semantic
// conventions no longer define.
const (
	legacyRPCSystemKey      = attribute.Key("rpc.system")
	legacyGRPCStatusCodeKey = attribute.Key("rpc.grpc.status_code")
)

// rpcServerMetrics is a gRPC interceptor that records every call in Beyla's
// server duration histogram of the given generation, named and labelled as
// Beyla does (rpc_method is the full method, "/shop.Payments/Charge").
func (t *telemetry) rpcServerMetrics(generation string) (grpc.UnaryServerInterceptor, error) {
	name, describe := "rpc.server.call.duration", "Duration of gRPC calls on the server side (as Beyla 3.23+ names it)."
	attributes := func(method string, code codes.Code) []attribute.KeyValue {
		return []attribute.KeyValue{semconv.RPCMethod(method), semconv.RPCResponseStatusCode(canonicalCode(code)), semconv.RPCSystemNameGRPC}
	}
	switch generation {
	case RPCMetricsCurrent:
	case RPCMetricsLegacy:
		name, describe = "rpc.server.duration", "Duration of gRPC calls on the server side (as Beyla before 3.23 names it)."
		attributes = func(method string, code codes.Code) []attribute.KeyValue {
			return []attribute.KeyValue{semconv.RPCMethod(method), legacyGRPCStatusCodeKey.Int(int(code)), legacyRPCSystemKey.String("grpc")}
		}
	default:
		return nil, fmt.Errorf("unknown RPC metrics generation %q (want %q or %q)", generation, RPCMetricsCurrent, RPCMetricsLegacy)
	}
	histogram, err := t.meterProvider.Meter(meterName).Float64Histogram(name, metric.WithUnit("s"), metric.WithDescription(describe))
	if err != nil {
		return nil, fmt.Errorf("RPC metrics: %w", err)
	}
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		start := time.Now()
		resp, err := handler(ctx, req)
		histogram.Record(context.WithoutCancel(ctx), time.Since(start).Seconds(),
			metric.WithAttributes(attributes(info.FullMethod, status.Code(err))...))
		return resp, err
	}, nil
}

// canonicalCode is a gRPC status code's canonical name ("UNAVAILABLE"), as
// rpc.response.status_code carries it; codes.Code.String gives "Unavailable".
func canonicalCode(code codes.Code) string {
	names := [...]string{"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
		"ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
		"OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"}
	if int(code) < len(names) {
		return names[code]
	}
	return fmt.Sprintf("CODE_%d", code)
}
