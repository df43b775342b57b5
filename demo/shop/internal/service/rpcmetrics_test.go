package service

import (
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// TestRPCMetricsInBothBeylaGenerations checks the real /metrics of the two gRPC
// servers: checkout emits the older rpc_server_duration_seconds (with
// rpc_grpc_status_code), payments the newer rpc_server_call_duration_seconds
// (with rpc_response_status_code), each named and labelled as Beyla does, with
// failed calls under their non-OK codes.
func TestRPCMetricsInBothBeylaGenerations(t *testing.T) {
	shop := startTestShopWith(t, 0.3, Config{WorkPerHop: 2 * time.Millisecond, ErrorShare: 0.5})
	for range 16 {
		shop.request(t, "POST", "/cart")     // -> checkout /shop.Checkout/AddToCart
		shop.request(t, "POST", "/checkout") // -> checkout POST /orders -> payments /shop.Payments/Charge
	}
	// A server records a call after answering it: wait for the last ones.
	shop.spansOf(t, 16*2+16*3)

	for _, tc := range []struct {
		service, family, absent, method, statusLabel, systemLabel string
		okCode, failCode                                          string
	}{
		{Checkout, "rpc_server_duration_seconds", "rpc_server_call_duration_seconds", AddToCart,
			"rpc_grpc_status_code", "rpc_system", "0", "8"}, // 8: RESOURCE_EXHAUSTED
		{Payments, "rpc_server_call_duration_seconds", "rpc_server_duration_seconds", Charge,
			"rpc_response_status_code", "rpc_system_name", "OK", "UNAVAILABLE"},
	} {
		t.Run(tc.service, func(t *testing.T) {
			families := scrapeMetrics(t, shop.servers[tc.service].URL+"/metrics")
			if families[tc.absent] != nil {
				t.Errorf("%s also emits %s: one process, one generation", tc.service, tc.absent)
			}
			for name := range families {
				if strings.HasPrefix(name, "rpc_client") || strings.Contains(name, "milliseconds") {
					t.Errorf("%s emits %s, which Beyla does not", tc.service, name)
				}
			}
			family := families[tc.family]
			if family == nil || family.GetType() != dto.MetricType_HISTOGRAM {
				t.Fatalf("no histogram %s in /metrics of %s; have %v", tc.family, tc.service, keys(families))
			}
			codes := map[string]uint64{}
			for _, m := range family.GetMetric() {
				labels := labelMap(m)
				if labels["rpc_method"] != tc.method || labels[tc.systemLabel] != "grpc" ||
					labels["service_name"] != tc.service || labels["service_namespace"] != ServiceNamespace {
					t.Errorf("series %v: want rpc_method=%s %s=grpc service_name=%s", labels, tc.method, tc.systemLabel, tc.service)
				}
				codes[labels[tc.statusLabel]] += m.GetHistogram().GetSampleCount()
				checkDurationBuckets(t, tc.family, m)
			}
			if codes[tc.okCode] == 0 || codes[tc.failCode] == 0 || len(codes) != 2 {
				t.Errorf("calls by %s: %v, want some %s and some %s", tc.statusLabel, codes, tc.okCode, tc.failCode)
			}
			// gRPC calls are RPCs, not HTTP requests, as with Beyla.
			for _, m := range families["http_server_request_duration_seconds"].GetMetric() {
				if route := labelMap(m)["http_route"]; strings.HasPrefix(route, "/shop.") {
					t.Errorf("gRPC call counted as an HTTP request with http_route %s", route)
				}
			}
		})
	}
}

// checkDurationBuckets: a duration histogram has bucket boundaries at both
// sampling periods, 10 ms (Go's pprof, 100 Hz) and 52.6 ms (parca-agent, 19 Hz),
// so the share of requests shorter than either can be read off it.
func checkDurationBuckets(t *testing.T, family string, m *dto.Metric) {
	t.Helper()
	var bounds []float64
	for _, b := range m.GetHistogram().GetBucket() {
		bounds = append(bounds, b.GetUpperBound())
	}
	for _, want := range []float64{0.01, 0.0526} {
		if !slices.Contains(bounds, want) {
			t.Errorf("%s buckets %v lack %v", family, bounds, want)
		}
	}
}

func labelMap(m *dto.Metric) map[string]string {
	labels := map[string]string{}
	for _, l := range m.GetLabel() {
		labels[l.GetName()] = l.GetValue()
	}
	return labels
}
