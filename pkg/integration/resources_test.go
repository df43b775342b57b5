//go:build integration

package integration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"
)

func TestResourcesAgainstRealParca(t *testing.T) {
	s := loadStack(t)
	p := servePlugin(t, s.parcaURL)
	to := s.settled()
	from := to.Add(-time.Minute)
	window := fmt.Sprintf("from=%d&to=%d", from.UnixMilli(), to.UnixMilli())

	status, body := p.resource(t, "label-values?label=trace_id&profileType="+cpuID+"&"+window)
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(body), "never listed") {
		t.Fatalf("trace_id values: %d %s", status, body)
	}

	// Scoped to the selector: checkout's instance only, although three services write.
	selector := url.QueryEscape(`{service_name="checkout"}`)
	status, body = p.resource(t, "label-values?label=instance&profileType="+cpuID+"&labelSelector="+selector+"&"+window)
	var values struct {
		Values []string `json:"values"`
	}
	if err := json.Unmarshal(body, &values); err != nil || status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	checkoutURL := strings.TrimPrefix(loadEnv("SPANFLAME_SHOP_CHECKOUT_URL"), "http://")
	if len(values.Values) != 1 || values.Values[0] != checkoutURL {
		t.Fatalf("instances under {service_name=\"checkout\"} = %v, want [%s]", values.Values, checkoutURL)
	}

	status, body = p.resource(t, "pprof?profileType="+cpuID+"&labelSelector="+selector+"&"+window)
	if status != http.StatusOK {
		t.Fatalf("pprof: %d %s", status, body)
	}
	prof, err := profile.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the download is not a pprof profile: %v", err)
	}
	if len(prof.Sample) == 0 || len(prof.Function) == 0 {
		t.Fatalf("the downloaded profile is empty: %d samples", len(prof.Sample))
	}
	t.Logf("pprof download: %d bytes, %d samples, %d functions", len(body), len(prof.Sample), len(prof.Function))
}
