package plugin

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// builtBackend is the executable `mage build:linux` writes; the test talks to it as Grafana would.
func builtBackend(t *testing.T) string {
	path, _ := filepath.Abs(filepath.Join("..", "..", "..", "dist", "datasource", "gpx_spanflame_parca_"+runtime.GOOS+"_"+runtime.GOARCH))
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no built backend at %s (go run github.com/magefile/mage -v build:linux)", path)
	}
	return path
}

func pluginContext(url string) backend.PluginContext {
	return backend.PluginContext{
		OrgID: 1, PluginID: "spanflame-parca-datasource",
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			ID: 1, UID: "parca", Name: "Parca", Type: "spanflame-parca-datasource", URL: url,
			JSONData: []byte(`{"timeoutSeconds":5}`), DecryptedSecureJSONData: map[string]string{}, Updated: time.Now(),
		},
	}
}

func TestBuiltBackendAnswersOverThePluginProtocol(t *testing.T) {
	c := New(Config{Executable: builtBackend(t), Log: io.Discard})
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Nothing listens on port 9 of loopback: the health check must say so, readably.
	health, err := c.CheckHealth(ctx, &backend.CheckHealthRequest{PluginContext: pluginContext("http://127.0.0.1:9")})
	if err != nil {
		t.Fatal(err)
	}
	if health.Status != backend.HealthStatusError || !strings.Contains(health.Message, "127.0.0.1:9") {
		t.Fatalf("health: %+v", health)
	}

	// A resource call travels the stream and comes back whole, status and body.
	res, err := c.CallResource(ctx, &backend.CallResourceRequest{
		PluginContext: pluginContext("http://127.0.0.1:9"), Path: "label-values", Method: http.MethodGet,
		URL: "label-values?label=trace_id",
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status < 400 || !strings.Contains(string(res.Body), "trace_id") {
		t.Fatalf("resource: %d %s", res.Status, res.Body)
	}
}

func TestMissingExecutableSaysHowToBuildIt(t *testing.T) {
	err := New(Config{Executable: filepath.Join(t.TempDir(), "gpx_missing"), Log: io.Discard}).Start()
	if err == nil || !strings.Contains(err.Error(), "mage -v build:linux") {
		t.Fatalf("error: %v", err)
	}
}
