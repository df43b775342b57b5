package service

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestMetricsAreNamedAsBeyla checks the real /metrics output: the RED
// histograms carry Beyla's names and labels, and http_route is the route
// pattern, not the raw path.
func TestMetricsAreNamedAsBeyla(t *testing.T) {
	shop := startTestShop(t, 0.3, 2*time.Millisecond)
	for _, path := range []string{"/checkout", "/orders", "/products", "/search?q=kettle"} {
		method := http.MethodGet
		if path == "/checkout" {
			method = http.MethodPost
		}
		req, _ := http.NewRequest(method, shop.servers[Frontend].URL+path, strings.NewReader("{}"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}

	families := scrapeMetrics(t, shop.servers[Checkout].URL+"/metrics")
	server := families["http_server_request_duration_seconds"]
	if server == nil || server.GetType().String() != "HISTOGRAM" {
		t.Fatalf("no histogram http_server_request_duration_seconds in /metrics; have %v", keys(families))
	}
	routes := map[string]bool{}
	for _, m := range server.GetMetric() {
		labels := labelMap(m)
		checkDurationBuckets(t, "http_server_request_duration_seconds", m)
		for _, name := range []string{"service_name", "http_route", "http_request_method", "http_response_status_code"} {
			if labels[name] == "" {
				t.Errorf("series %v lacks label %s", labels, name)
			}
		}
		if labels["service_name"] != Checkout || labels["service_namespace"] != ServiceNamespace {
			t.Errorf("series %v: want service_name=%s service_namespace=%s", labels, Checkout, ServiceNamespace)
		}
		for name := range labels {
			if strings.HasPrefix(name, "otel_scope") || strings.HasPrefix(name, "network_protocol") {
				t.Errorf("series %v has label %s, which Beyla does not export", labels, name)
			}
		}
		routes[labels["http_request_method"]+" "+labels["http_route"]] = true
	}
	for _, want := range []string{"POST /orders", "GET /orders"} {
		if !routes[want] {
			t.Errorf("no series for route %s; have %v", want, routes)
		}
	}
	if families["http_client_request_duration_seconds"] == nil {
		t.Error("no http_client_request_duration_seconds for the calls to payments")
	}
}

func scrapeMetrics(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.LegacyValidation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return families
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
