package service

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"
)

// The gRPC methods take and answer a google.protobuf.Struct: a well-known type
// that grpc's proto codec handles as is, so the shop needs no generated code and
// no protoc at build time. The service descriptions are built from the route
// table instead.

// Handler serves the service's gRPC methods, routes, /metrics, /healthz and
// /debug/pprof/, all on one port. gRPC needs HTTP/2: serve it with Protocols.
func (s *Service) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.grpcServer != nil && r.ProtoMajor == 2 && strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc") {
			s.grpcServer.ServeHTTP(w, r)
			return
		}
		s.mux.ServeHTTP(w, r)
	})
}

// Protocols are what a shop's HTTP server speaks: HTTP/1.1, and HTTP/2 without
// TLS (prior knowledge, as gRPC clients speak it) for the gRPC methods.
func Protocols() *http.Protocols {
	p := new(http.Protocols)
	p.SetHTTP1(true)
	p.SetUnencryptedHTTP2(true)
	return p
}

// setUpGRPC makes the gRPC server of a service with gRPC methods, and the
// client of one whose routes call a gRPC method downstream. Both are traced by
// otelgrpc with the service's tracer; otelgrpc's own metrics are off, the
// server records Beyla's instead (rpcServerMetrics).
func (s *Service) setUpGRPC() error {
	tracing := []otelgrpc.Option{
		otelgrpc.WithTracerProvider(s.telemetry.tracerProvider),
		otelgrpc.WithMeterProvider(noop.NewMeterProvider()),
		otelgrpc.WithPropagators(propagator),
	}
	if ServesGRPC(s.cfg.Service) {
		metrics, err := s.telemetry.rpcServerMetrics(s.cfg.RPCMetrics)
		if err != nil {
			return err
		}
		s.grpcServer = grpc.NewServer(
			grpc.StatsHandler(otelgrpc.NewServerHandler(tracing...)),
			grpc.ChainUnaryInterceptor(metrics))
		for _, desc := range s.serviceDescs() {
			s.grpcServer.RegisterService(desc, s)
		}
	}
	for _, route := range s.routes {
		if !strings.HasPrefix(route.Next, "/") || s.grpcClient != nil {
			continue
		}
		u, err := url.Parse(s.cfg.Downstream)
		if err != nil || u.Host == "" {
			return fmt.Errorf("downstream %q is not a URL like http://host:port", s.cfg.Downstream)
		}
		// The downstream serves gRPC on its HTTP port, over HTTP/2 without TLS.
		s.grpcClient, err = grpc.NewClient(u.Host,
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithStatsHandler(otelgrpc.NewClientHandler(tracing...)))
		if err != nil {
			return fmt.Errorf("gRPC client of %s: %w", u.Host, err)
		}
	}
	return nil
}

// serviceDescs describes the service's gRPC methods, one description per gRPC
// service ("shop.Payments").
func (s *Service) serviceDescs() []*grpc.ServiceDesc {
	var descs []*grpc.ServiceDesc
	byName := map[string]*grpc.ServiceDesc{}
	for _, route := range s.routes {
		if !route.IsGRPC() {
			continue
		}
		serviceName, method, _ := strings.Cut(strings.TrimPrefix(route.Path, "/"), "/")
		desc := byName[serviceName]
		if desc == nil {
			desc = &grpc.ServiceDesc{ServiceName: serviceName, HandlerType: (*any)(nil)}
			byName[serviceName] = desc
			descs = append(descs, desc)
		}
		desc.Methods = append(desc.Methods, grpc.MethodDesc{MethodName: method, Handler: s.rpcHandler(route)})
	}
	return descs
}

// rpcHandler serves one gRPC method through the request path all routes share.
func (s *Service) rpcHandler(route Route) grpc.MethodHandler {
	serve := func(ctx context.Context, _ any) (any, error) {
		span := trace.SpanFromContext(ctx)
		span.SetName(route.Path) // as Beyla names gRPC server spans: "/shop.Payments/Charge"
		switch s.handle(ctx, route) {
		case failedHere:
			return nil, status.Errorf(route.FailCode, "%s failed (the demo's share of failures)", route.Path)
		case failedDownstream:
			return nil, status.Errorf(codes.Aborted, "%s: the downstream call failed", route.Path)
		case abandoned:
			return nil, status.Error(codes.Canceled, "the caller went away")
		}
		return structpb.NewStruct(map[string]any{
			"service": s.cfg.Service, "route": route.Key(), "trace_id": span.SpanContext().TraceID().String(),
		})
	}
	return func(srv any, ctx context.Context, decode func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
		in := new(structpb.Struct)
		if err := decode(in); err != nil {
			return nil, err
		}
		if interceptor == nil {
			return serve(ctx, in)
		}
		return interceptor(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: route.Path}, serve)
	}
}

// callGRPC calls a gRPC method of the downstream service.
func (s *Service) callGRPC(ctx context.Context, method string) outcome {
	callCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	request, err := structpb.NewStruct(map[string]any{"cart": "demo", "items": 3})
	if err != nil {
		return failedDownstream
	}
	if err := s.grpcClient.Invoke(callCtx, method, request, new(structpb.Struct)); err != nil {
		return failedOrAbandoned(ctx)
	}
	return answered
}
