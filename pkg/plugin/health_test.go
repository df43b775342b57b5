package plugin

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
)

func checkHealth(t *testing.T, d *Datasource) *backend.CheckHealthResult {
	t.Helper()
	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestHealthOK(t *testing.T) {
	f := &fakeParca{profileTypes: []*pb.ProfileType{cpuType, {Name: "memory", SampleType: "alloc_space", SampleUnit: "bytes", PeriodType: "space", PeriodUnit: "bytes"}}}
	res := checkHealth(t, f.start(t, ""))
	want := "Parca reachable, 2 profile types: " + cpuID + ", memory:alloc_space:bytes:space:bytes"
	if res.Status != backend.HealthStatusOk || res.Message != want {
		t.Fatalf("%v: %s", res.Status, res.Message)
	}
}

// TestHealthFailures: each way of failing has its own plain message.
func TestHealthFailures(t *testing.T) {
	unauthorized := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "who are you", http.StatusUnauthorized)
	}))
	defer unauthorized.Close()
	forbidden := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer forbidden.Close()
	website := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>hello</html>"))
	}))
	defer website.Close()
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()
	tlsServer := httptest.NewTLSServer((&fakeParca{}).handler())
	defer tlsServer.Close()
	slow := &fakeParca{delay: 3 * time.Second}

	tests := []struct {
		name string
		d    *Datasource
		want string
	}{
		{"unreachable", newTestDatasource(t, "http://127.0.0.1:1", ""), "Cannot reach Parca at http://127.0.0.1:1"},
		{"no such host", newTestDatasource(t, "http://parca.invalid:7070", ""), "Cannot reach Parca"},
		{"401", newTestDatasource(t, unauthorized.URL, ""), "Authentication failed"},
		{"403", newTestDatasource(t, forbidden.URL, ""), "refused access (403)"},
		{"website", newTestDatasource(t, website.URL, ""), "Not a Parca server"},
		{"404", newTestDatasource(t, notFound.URL, ""), "Not a Parca server"},
		{"untrusted TLS", newTestDatasource(t, tlsServer.URL, ""), "TLS failed: TLS with " + tlsServer.URL + " failed: the server's certificate is signed by an unknown authority"},
		{"plain HTTP to TLS", newTestDatasource(t, strings.Replace(tlsServer.URL, "https", "http", 1), ""), "Not a Parca server"},
		{"timeout", slow.start(t, `{"timeoutSeconds":0.2}`), "Timed out"},
		{"bad settings", newTestDatasource(t, "parca:7070", ""), "Settings: URL \"parca:7070\" is not an http:// or https://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := checkHealth(t, tt.d)
			if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, tt.want) {
				t.Fatalf("%v: %s\nwant it to contain %q", res.Status, res.Message, tt.want)
			}
		})
	}
}

// TestTLSOptions: a server certificate is trusted through a custom CA, or not verified when
// (and only when) tlsSkipVerify is chosen; the untrusted case is in TestHealthFailures.
func TestTLSOptions(t *testing.T) {
	srv := httptest.NewTLSServer((&fakeParca{profileTypes: []*pb.ProfileType{cpuType}}).handler())
	defer srv.Close()
	res := checkHealth(t, newTestDatasource(t, srv.URL, `{"tlsSkipVerify":true}`))
	if res.Status != backend.HealthStatusOk {
		t.Fatalf("skip verify chosen: %s", res.Message)
	}

	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
		URL: srv.URL, JSONData: []byte(`{"tlsAuthWithCACert":true}`),
		DecryptedSecureJSONData: map[string]string{"tlsCACert": caPEM},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res := checkHealth(t, inst.(*Datasource)); res.Status != backend.HealthStatusOk {
		t.Fatalf("custom CA: %s", res.Message)
	}
}
