//go:build integration

package integration

import (
	"context"
	"fmt"
	"testing"
)

// TestPrometheusHoldsBothRPCGenerations: the stack's Prometheus holds Beyla's gRPC
// server metrics in both generations, each from its own demo process, with the
// labels the services page queries, and duration buckets at both sampling periods.
func TestPrometheusHoldsBothRPCGenerations(t *testing.T) {
	env := loadEnv(t)
	for _, tc := range []struct{ query, service string }{
		// Beyla 3.23 and later.
		{`sum by (service_name) (rpc_server_call_duration_seconds_count{rpc_method="/shop.Payments/Charge",rpc_response_status_code!="",rpc_system_name="grpc"})`, "payments"},
		// Beyla before 3.23.
		{`sum by (service_name) (rpc_server_duration_seconds_count{rpc_method="/shop.Checkout/AddToCart",rpc_grpc_status_code!="",rpc_system="grpc"})`, "checkout"},
		// The short-request share needs buckets at 10 ms and 52.6 ms.
		{`sum by (service_name) (http_server_request_duration_seconds_bucket{service_name="frontend",le="0.01"})`, "frontend"},
		{`sum by (service_name) (http_server_request_duration_seconds_bucket{service_name="frontend",le="0.0526"})`, "frontend"},
	} {
		poll(t, "Prometheus "+tc.query, func(ctx context.Context) error {
			got, err := promVector(ctx, env.prometheusURL, tc.query)
			if err != nil {
				return err
			}
			if len(got) != 1 || got[tc.service] == "" || got[tc.service] == "0" {
				return fmt.Errorf("want a count for service_name %s alone, have %v", tc.service, got)
			}
			t.Logf("%s: %s", tc.service, got[tc.service])
			return nil
		})
	}
}
