//go:build integration

package grafanaapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spanflame/spanflame/preview/internal/store"
	"github.com/spanflame/spanflame/preview/internal/testproc"
)

// startPrometheus runs the real Prometheus (Debian's, on PATH) scraping itself every second: its own
// HTTP request counters and duration histograms are real series to query.
func startPrometheus(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Fatal("prometheus is not on PATH: scripts/stack.sh install puts it there")
	}
	port := testproc.FreePort(t)
	dir := t.TempDir()
	cfg := fmt.Sprintf("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:%d']\n", port)
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "prometheus.yml"), "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address=127.0.0.1:"+strconv.Itoa(port))
	testproc.Start(t, cmd)
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		// Ready once a few scrapes of the request histogram are in.
		res, err := http.Get(url + "/api/v1/query?query=" + "count(prometheus_http_request_duration_seconds_bucket)")
		if err == nil {
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if strings.Contains(string(body), `"result":[{`) {
				time.Sleep(4 * time.Second)
				return url
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatal("Prometheus held no samples of its own after 60 s")
	return ""
}

func TestPrometheusStandInAgainstARealPrometheus(t *testing.T) {
	promURL := startPrometheus(t)
	ts := newTestServerWith(t, &fakeBackend{}, store.DataSource{ID: 2, UID: "spanflame-prometheus", Name: "Prometheus",
		Type: "prometheus", URL: promURL, JSONData: map[string]any{"timeInterval": "1s"}})
	now := time.Now()
	post := func(query string) (int, string) {
		body := fmt.Sprintf(`{"from":"%d","to":"%d","queries":[%s]}`, now.Add(-time.Minute).UnixMilli(), now.UnixMilli(), query)
		res, err := http.Post(ts.URL+"/api/ds/query", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(raw)
	}

	status, raw := post(`{"refId":"A","datasource":{"uid":"spanflame-prometheus"},"expr":"sum by (handler) (rate(prometheus_http_requests_total[$__rate_interval]))","range":true,"intervalMs":1000,"legendFormat":"{{handler}}"}`)
	if status != http.StatusOK || !strings.Contains(raw, `"displayNameFromDS":"/api/v1/query"`) || !strings.Contains(raw, `"labels":{"handler":"/api/v1/query"}`) {
		t.Errorf("rate by handler: %d %.2000s", status, raw)
	}

	status, raw = post(`{"refId":"H","datasource":{"uid":"spanflame-prometheus"},"expr":"sum by (le) (increase(prometheus_http_request_duration_seconds_bucket[$__rate_interval]))","range":true,"intervalMs":1000,"format":"heatmap"}`)
	var answer struct {
		Results map[string]struct {
			Frames []struct {
				Schema struct {
					Meta   struct{ Type string }   `json:"meta"`
					Fields []struct{ Name string } `json:"fields"`
				} `json:"schema"`
				Data struct {
					Values [][]float64 `json:"values"`
				} `json:"data"`
			} `json:"frames"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(raw), &answer); err != nil || status != http.StatusOK {
		t.Fatalf("heatmap: %d %v %.500s", status, err, raw)
	}
	frames := answer.Results["H"].Frames
	if len(frames) != 1 || frames[0].Schema.Meta.Type != "heatmap-rows" || len(frames[0].Schema.Fields) < 3 {
		t.Fatalf("heatmap frame: %.1000s", raw)
	}
	fields := frames[0].Schema.Fields
	if fields[0].Name != "Time" || fields[len(fields)-1].Name != "+Inf" {
		t.Errorf("bucket fields: %v", fields)
	}
	for i, col := range frames[0].Data.Values[1:] {
		for _, v := range col {
			if v < 0 {
				t.Errorf("bucket %s has a negative count %v", fields[i+1].Name, v)
			}
		}
	}
}
