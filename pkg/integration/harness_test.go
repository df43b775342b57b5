//go:build integration

package integration

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/datasourcetest"

	"github.com/spanflame/spanflame/pkg/plugin"
)

const cpuID = "process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta"

// stack is where the local stack runs.
type stack struct {
	parcaURL       string
	groundTruthDir string
	scrapeSeconds  int
}

// loadStack reads the stack's environment, from the process or from
// $SPANFLAME_STACK_DIR/stack.env, and fails the test with instructions when it is missing.
func loadStack(t testing.TB) stack {
	t.Helper()
	env := map[string]string{}
	if dir := os.Getenv("SPANFLAME_STACK_DIR"); dir != "" {
		if f, err := os.Open(filepath.Join(dir, "stack.env")); err == nil {
			scanner := bufio.NewScanner(f)
			for scanner.Scan() {
				if k, v, ok := strings.Cut(scanner.Text(), "="); ok && !strings.HasPrefix(k, "#") {
					env[k] = v
				}
			}
			f.Close()
		}
	}
	get := func(name string) string {
		if v := os.Getenv(name); v != "" {
			return v
		}
		return env[name]
	}
	s := stack{parcaURL: get("SPANFLAME_PARCA_URL"), groundTruthDir: get("SPANFLAME_GROUND_TRUTH_DIR"), scrapeSeconds: 5}
	if s.parcaURL == "" || s.groundTruthDir == "" {
		t.Fatalf(`the integration tests need the local stack (Parca v0.28.0 + the demo shop).
Start one and point the tests at it, e.g.:
  SPANFLAME_STACK_DIR=/tmp/sf-backend-stack SPANFLAME_PARCA_PORT=17070 SPANFLAME_PROMETHEUS_PORT=19090 SPANFLAME_SHOP_PORT=28181 scripts/stack.sh start
  SPANFLAME_STACK_DIR=/tmp/sf-backend-stack go test -tags integration ./pkg/integration/
(missing: SPANFLAME_PARCA_URL=%q, SPANFLAME_GROUND_TRUTH_DIR=%q)`, s.parcaURL, s.groundTruthDir)
	}
	if v := get("SPANFLAME_PARCA_SCRAPE_SECONDS"); v != "" {
		fmt.Sscan(v, &s.scrapeSeconds)
	}
	return s
}

// servedPlugin is the datasource served over gRPC in this process, with a client that calls it
// the way Grafana does (protobuf requests carrying the instance settings).
type servedPlugin struct {
	client   *datasourcetest.TestPluginClient
	settings *backend.DataSourceInstanceSettings
}

var (
	serveOnce   sync.Once
	served      *datasourcetest.TestPluginClient
	serveErr    error
	instanceSeq atomic.Int64
)

// servePlugin returns a client of the plugin served over gRPC, configured as a datasource of
// parcaURL. The SDK's server registers process-wide metrics, so one server serves every test;
// each call is a datasource instance of its own (own UID), as Grafana would have several.
func servePlugin(t testing.TB, parcaURL string) *servedPlugin {
	t.Helper()
	return servePluginWith(t, parcaURL, `{"timeoutSeconds":30}`)
}

// servePluginWith is servePlugin with the datasource's jsonData.
func servePluginWith(t testing.TB, parcaURL, jsonData string) *servedPlugin {
	t.Helper()
	serveOnce.Do(func() {
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			serveErr = err
			return
		}
		addr := listener.Addr().String()
		listener.Close()
		tp, err := datasourcetest.Manage(plugin.NewDatasource, datasourcetest.ManageOpts{Address: addr})
		served, serveErr = tp.Client, err
	})
	if serveErr != nil {
		t.Fatalf("serving the plugin over gRPC: %v", serveErr)
	}
	id := instanceSeq.Add(1)
	return &servedPlugin{client: served, settings: &backend.DataSourceInstanceSettings{
		ID: id, UID: fmt.Sprintf("spanflame-it-%d", id), Name: "Parca (integration)", Type: "spanflame-parca-datasource",
		URL: parcaURL, JSONData: json.RawMessage(jsonData), Updated: time.Now(),
	}}
}

func (p *servedPlugin) pluginContext() backend.PluginContext {
	return backend.PluginContext{OrgID: 1, PluginID: "spanflame-parca-datasource", DataSourceInstanceSettings: p.settings}
}

// query runs one query through the plugin protocol.
func (p *servedPlugin) query(t testing.TB, queryType string, model map[string]any, from, to time.Time, headers map[string]string) backend.DataResponse {
	t.Helper()
	raw, err := json.Marshal(model)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	resp, err := p.client.QueryData(ctx, &backend.QueryDataRequest{
		PluginContext: p.pluginContext(),
		Headers:       headers,
		Queries: []backend.DataQuery{{
			RefID: "A", QueryType: queryType, JSON: raw, Interval: time.Second, MaxDataPoints: 1000,
			TimeRange: backend.TimeRange{From: from, To: to},
		}},
	})
	if err != nil {
		t.Fatalf("QueryData over the plugin protocol: %v", err)
	}
	return resp.Responses["A"]
}

func (p *servedPlugin) health(t testing.TB) *backend.CheckHealthResult {
	t.Helper()
	res, err := p.client.CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: p.pluginContext()})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// resource calls a resource endpoint and returns status and body.
func (p *servedPlugin) resource(t testing.TB, path string) (int, []byte) {
	t.Helper()
	var status int
	var body []byte
	err := p.client.CallResource(context.Background(), &backend.CallResourceRequest{
		PluginContext: p.pluginContext(), Method: "GET", Path: strings.SplitN(path, "?", 2)[0], URL: path,
	}, backend.CallResourceResponseSenderFunc(func(res *backend.CallResourceResponse) error {
		if res.Status != 0 {
			status = res.Status
		}
		body = append(body, res.Body...)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return status, body
}

// loadEnv reads one variable from the process or the stack's env file.
func loadEnv(name string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	if dir := os.Getenv("SPANFLAME_STACK_DIR"); dir != "" {
		if b, err := os.ReadFile(filepath.Join(dir, "stack.env")); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if k, v, ok := strings.Cut(line, "="); ok && k == name {
					return v
				}
			}
		}
	}
	return ""
}
