package grafanaapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/spanflame/spanflame/preview/internal/store"
)

func TestGrafanaIntervalVariablesAsGrafanaComputesThem(t *testing.T) {
	step := promStep(30*time.Second, 5*time.Second, time.Hour)
	if step != 30*time.Second {
		t.Fatalf("step %s", step)
	}
	got := interpolatePromQL(`rate(x[$__rate_interval]) / $__interval_ms + $__interval + $__range + $__range_s + $__range_ms + $__rate_interval_ms`, step, 5*time.Second, time.Hour)
	want := `rate(x[35s]) / 30000 + 30s + 3600s + 3600 + 3600000 + 35000`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// $__rate_interval is at least four scrape intervals.
	if got := interpolatePromQL(`[$__rate_interval]`, 5*time.Second, 15*time.Second, time.Hour); got != `[60s]` {
		t.Errorf("rate interval floor: %s", got)
	}
	// A long range raises the step so a series holds at most 11,000 points.
	if s := promStep(time.Second, time.Second, 30*24*time.Hour); s < 235*time.Second {
		t.Errorf("30 days at 1 s: step %s", s)
	}
	if formatPromDuration(1500*time.Millisecond) != "1500ms" {
		t.Error("sub-second step")
	}
}

// promCall is what the fake Prometheus saw.
type promCall struct {
	path   string
	params url.Values
}

func fakePrometheus(t *testing.T, answer string) (*httptest.Server, *[]promCall) {
	t.Helper()
	var calls []promCall
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		calls = append(calls, promCall{r.URL.Path, r.PostForm})
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.PostForm.Get("query"), "syntax error") {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"status":"error","errorType":"bad_data","error":"parse error at char 7"}`))
			return
		}
		_, _ = w.Write([]byte(answer))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// dsQuery posts one query to /api/ds/query as Grafana's Prometheus front end does.
func dsQuery(t *testing.T, ts *httptest.Server, query string) (int, map[string]any) {
	t.Helper()
	body := `{"from":"1795867200000","to":"1795870800000","queries":[` + query + `]}`
	res, err := http.Post(ts.URL+"/api/ds/query", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%d %s", res.StatusCode, raw)
	}
	return res.StatusCode, out
}

func promServer(t *testing.T, answer string) (*httptest.Server, *[]promCall) {
	prom, calls := fakePrometheus(t, answer)
	ts := newTestServerWith(t, &fakeBackend{}, store.DataSource{ID: 2, UID: "spanflame-prometheus", Name: "Prometheus",
		Type: "prometheus", URL: prom.URL, JSONData: map[string]any{"timeInterval": "5s"}})
	return ts, calls
}

func TestPrometheusRangeQueryAnswersInGrafanaFrames(t *testing.T) {
	ts, calls := promServer(t, `{"status":"success","data":{"resultType":"matrix","result":[
		{"metric":{"service_name":"checkout","http_route":"/checkout"},"values":[[1795867200,"1.5"],[1795867230,"2"]]}]}}`)
	status, out := dsQuery(t, ts, `{"refId":"A","datasource":{"type":"prometheus","uid":"spanflame-prometheus"},
		"expr":"sum by (service_name, http_route) (rate(http_server_request_duration_seconds_count[$__rate_interval]))",
		"range":true,"legendFormat":"{{service_name}} {{http_route}}","intervalMs":30000,"maxDataPoints":120}`)
	if status != http.StatusOK {
		t.Fatalf("%d %v", status, out)
	}
	c := (*calls)[0]
	if c.path != "/api/v1/query_range" || c.params.Get("step") != "30" || c.params.Get("start") != "1795867200" ||
		c.params.Get("query") != "sum by (service_name, http_route) (rate(http_server_request_duration_seconds_count[35s]))" {
		t.Errorf("Prometheus got %s %v", c.path, c.params)
	}
	raw, _ := json.Marshal(out)
	for _, want := range []string{
		`"name":"Time","type":"time"`, `"name":"Value","type":"number"`,
		`"labels":{"http_route":"/checkout","service_name":"checkout"}`,
		`"displayNameFromDS":"checkout /checkout"`, `"type":"timeseries-multi"`,
		`"values":[[1795867200000,1795867230000],[1.5,2]]`,
	} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("answer lacks %s:\n%s", want, raw)
		}
	}
}

func TestPrometheusHeatmapIsPerBucketCounts(t *testing.T) {
	ts, _ := promServer(t, `{"status":"success","data":{"resultType":"matrix","result":[
		{"metric":{"le":"+Inf"},"values":[[1795867200,"10"]]},
		{"metric":{"le":"0.1"},"values":[[1795867200,"6"]]},
		{"metric":{"le":"0.05"},"values":[[1795867200,"2"]]}]}}`)
	_, out := dsQuery(t, ts, `{"refId":"H","datasource":{"uid":"spanflame-prometheus"},"expr":"sum by (le) (rate(x_bucket[$__rate_interval]))","format":"heatmap","legendFormat":"{{le}}"}`)
	raw, _ := json.Marshal(out)
	// Displayed by the legend, "0.05", not by name and label ("0.05 0.05"), as Grafana's heatmap frames are.
	wants := []string{`"type":"heatmap-rows"`, `"name":"0.05"`, `"displayNameFromDS":"0.05"`, `"values":[[1795867200000],[2],[4],[4]]`}
	for _, want := range wants {
		if !strings.Contains(string(raw), want) {
			t.Errorf("answer lacks %s:\n%s", want, raw)
		}
	}
	if strings.Index(string(raw), `"name":"0.05"`) > strings.Index(string(raw), `"name":"+Inf"`) {
		t.Errorf("buckets not in le order:\n%s", raw)
	}
}

func TestPrometheusErrorsCarryItsSentence(t *testing.T) {
	ts, _ := promServer(t, "")
	status, out := dsQuery(t, ts, `{"refId":"A","datasource":{"uid":"spanflame-prometheus"},"expr":"syntax error"}`)
	raw, _ := json.Marshal(out)
	if status != http.StatusBadRequest || !strings.Contains(string(raw), "parse error at char 7") {
		t.Errorf("%d %s", status, raw)
	}
	status, out = dsQuery(t, ts, `{"refId":"A","datasource":{"uid":"spanflame-prometheus"},"expr":" "}`)
	raw, _ = json.Marshal(out)
	if status != http.StatusBadRequest || !strings.Contains(string(raw), "no PromQL expression") {
		t.Errorf("%d %s", status, raw)
	}
}
