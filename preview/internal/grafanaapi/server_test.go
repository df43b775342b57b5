package grafanaapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/spanflame/spanflame/preview/internal/store"
)

// fakeBackend records what the host sent and answers as told.
type fakeBackend struct {
	health   *backend.CheckHealthResult
	query    func(*backend.QueryDataRequest) *backend.QueryDataResponse
	resource *backend.CallResourceResponse

	lastContext  backend.PluginContext
	lastQuery    *backend.QueryDataRequest
	lastResource *backend.CallResourceRequest
}

func (f *fakeBackend) QueryData(_ context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	f.lastContext, f.lastQuery = req.PluginContext, req
	return f.query(req), nil
}

func (f *fakeBackend) CheckHealth(_ context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	f.lastContext = req.PluginContext
	return f.health, nil
}

func (f *fakeBackend) CallResource(_ context.Context, req *backend.CallResourceRequest) (*backend.CallResourceResponse, error) {
	f.lastContext, f.lastResource = req.PluginContext, req
	return f.resource, nil
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newTestServer lays out a dist/ like the plugin build's and starts the host on it.
func newTestServer(t *testing.T, fb *fakeBackend) *httptest.Server {
	t.Helper()
	return newTestServerWith(t, fb)
}

// newTestServerWith is newTestServer with more datasources beside the Parca one.
func newTestServerWith(t *testing.T, fb *fakeBackend, more ...store.DataSource) *httptest.Server {
	t.Helper()
	dist := t.TempDir()
	writeFile(t, filepath.Join(dist, "plugin.json"), `{"id":"spanflame-app","type":"app","name":"Spanflame","info":{"version":"0.1.0"},
		"includes":[{"type":"datasource","path":"datasource/plugin.json"}]}`)
	writeFile(t, filepath.Join(dist, "datasource", "plugin.json"), `{"id":"spanflame-parca-datasource","type":"datasource",
		"name":"Spanflame Parca","backend":true,"info":{"version":"0.1.0","logos":{"small":"img/logo.svg","large":"img/logo.svg"}}}`)
	writeFile(t, filepath.Join(dist, "datasource", "module.js"), `define([],function(){return {}})`)
	st, err := store.Open("", append([]store.DataSource{{
		ID: 1, UID: "parca", OrgID: 1, Name: "Parca", Type: "spanflame-parca-datasource", Access: "proxy",
		URL: "http://parca:7070", JSONData: map[string]any{"timeoutSeconds": 30}, Updated: time.Unix(1, 0),
	}}, more...))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Store: st, Backend: fb, DistDir: dist, WebDir: "../../web", IconsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

func do(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(raw)
}

func TestSecretsGoToTheBackendButNeverBackToTheBrowser(t *testing.T) {
	fb := &fakeBackend{health: &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: "fine"}}
	ts := newTestServer(t, fb)

	status, body := do(t, "PUT", ts.URL+"/api/datasources/uid/parca",
		`{"name":"Parca","url":"http://other:7070","jsonData":{"authType":"bearer"},"secureJsonData":{"bearerToken":"s3cret"},"version":0}`)
	if status != 200 || strings.Contains(body, "s3cret") || !strings.Contains(body, `"message":"Datasource updated"`) {
		t.Fatalf("PUT: %d %s", status, body)
	}
	status, body = do(t, "GET", ts.URL+"/api/datasources/uid/parca", "")
	if status != 200 || strings.Contains(body, "s3cret") || !strings.Contains(body, `"secureJsonFields":{"bearerToken":true}`) {
		t.Fatalf("GET: %d %s", status, body)
	}
	if _, body = do(t, "GET", ts.URL+"/api/datasources", ""); strings.Contains(body, "s3cret") || strings.Contains(body, "secureJson") {
		t.Fatalf("list shows secrets: %s", body)
	}

	if status, _ = do(t, "GET", ts.URL+"/api/datasources/uid/parca/health", ""); status != 200 {
		t.Fatalf("health: %d", status)
	}
	settings := fb.lastContext.DataSourceInstanceSettings
	if settings.DecryptedSecureJSONData["bearerToken"] != "s3cret" || settings.URL != "http://other:7070" ||
		!strings.Contains(string(settings.JSONData), `"authType":"bearer"`) || !settings.Updated.After(time.Unix(1, 0)) {
		t.Fatalf("backend got %+v", settings)
	}

	// The config page's Reset sends the key empty: the secret is gone.
	do(t, "PUT", ts.URL+"/api/datasources/uid/parca", `{"url":"http://other:7070","jsonData":{},"secureJsonData":{"bearerToken":""}}`)
	if _, body = do(t, "GET", ts.URL+"/api/datasources/uid/parca", ""); !strings.Contains(body, `"secureJsonFields":{}`) {
		t.Fatalf("after reset: %s", body)
	}
}

func TestHealthAnswersLikeGrafana(t *testing.T) {
	fb := &fakeBackend{health: &backend.CheckHealthResult{
		Status: backend.HealthStatusError, Message: "cannot reach Parca", JSONDetails: []byte(`{"verboseMessage":"dial tcp: refused"}`),
	}}
	ts := newTestServer(t, fb)
	status, body := do(t, "GET", ts.URL+"/api/datasources/uid/parca/health", "")
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if status != http.StatusBadRequest || got["status"] != "ERROR" || got["message"] != "cannot reach Parca" {
		t.Fatalf("health: %d %s", status, body)
	}
	if details, _ := got["details"].(map[string]any); details["verboseMessage"] != "dial tcp: refused" {
		t.Fatalf("details: %s", body)
	}
	if status, _ := do(t, "GET", ts.URL+"/api/datasources/uid/nope/health", ""); status != http.StatusNotFound {
		t.Fatalf("unknown uid: %d", status)
	}
}

func TestQueryDataPassesQueriesAndTimeRangeAndAnswersWithFrames(t *testing.T) {
	fb := &fakeBackend{query: func(req *backend.QueryDataRequest) *backend.QueryDataResponse {
		res := backend.NewQueryDataResponse()
		res.Responses["A"] = backend.DataResponse{Frames: data.Frames{data.NewFrame("cpu", data.NewField("value", nil, []int64{42}))}}
		res.Responses["B"] = backend.ErrDataResponse(backend.StatusBadRequest, "invalid label selector")
		return res
	}}
	ts := newTestServer(t, fb)
	status, body := do(t, "POST", ts.URL+"/api/ds/query", `{"from":"1700000000000","to":"1700000060000","queries":[
		{"refId":"A","datasource":{"uid":"parca","type":"spanflame-parca-datasource"},"queryType":"profile","profileType":"x","maxDataPoints":500,"intervalMs":1000},
		{"refId":"B","datasource":{"uid":"parca"},"labelSelector":"{bad"}]}`)
	if status != http.StatusBadRequest {
		t.Fatalf("a failed query makes the answer 400, as in Grafana: %d %s", status, body)
	}
	var got struct {
		Results map[string]struct {
			Status int               `json:"status"`
			Error  string            `json:"error"`
			Frames []json.RawMessage `json:"frames"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Results["A"].Frames) != 1 || got.Results["B"].Error != "invalid label selector" {
		t.Fatalf("results: %s", body)
	}
	q := fb.lastQuery.Queries[0]
	if q.RefID != "A" || q.QueryType != "profile" || q.MaxDataPoints != 500 || q.Interval != time.Second ||
		q.TimeRange.From.UnixMilli() != 1700000000000 || q.TimeRange.To.UnixMilli() != 1700000060000 ||
		!strings.Contains(string(q.JSON), `"profileType":"x"`) {
		t.Fatalf("query: %+v %s", q, q.JSON)
	}
}

func TestQueryDataRefusesWhatItDoesNotImplement(t *testing.T) {
	ts := newTestServer(t, &fakeBackend{})
	for name, body := range map[string]string{
		"expression": `{"from":"now-1h","to":"now","queries":[{"refId":"A","datasource":{"uid":"__expr__","type":"__expr__"}}]}`,
		"mixed":      `{"from":"now-1h","to":"now","queries":[{"refId":"A","datasource":{"uid":"parca"}},{"refId":"B","datasource":{"uid":"other"}}]}`,
		"bad time":   `{"from":"yesterday","to":"now","queries":[{"refId":"A","datasource":{"uid":"parca"}}]}`,
	} {
		if status, out := do(t, "POST", ts.URL+"/api/ds/query", body); status != http.StatusBadRequest || !strings.Contains(out, `"message"`) {
			t.Errorf("%s: %d %s", name, status, out)
		}
	}
}

func TestResourcesForwardPathQueryAndAnswer(t *testing.T) {
	fb := &fakeBackend{resource: &backend.CallResourceResponse{
		Status: http.StatusUnprocessableEntity, Headers: map[string][]string{"Content-Type": {"application/json"}}, Body: []byte(`{"error":"no"}`),
	}}
	ts := newTestServer(t, fb)
	status, body := do(t, "GET", ts.URL+"/api/datasources/uid/parca/resources/label-values?label=trace_id&from=1", "")
	if status != http.StatusUnprocessableEntity || body != `{"error":"no"}` {
		t.Fatalf("answer: %d %s", status, body)
	}
	if r := fb.lastResource; r.Path != "label-values" || r.URL != "label-values?label=trace_id&from=1" || r.Method != "GET" {
		t.Fatalf("request: %+v", r)
	}
}

func TestPageEmbedsBootDataAndServesThePluginLikeGrafana(t *testing.T) {
	ts := newTestServer(t, &fakeBackend{})
	status, body := do(t, "GET", ts.URL+"/explore", "")
	if status != 200 || !strings.Contains(body, `"module":"public/plugins/spanflame-app/datasource/module.js"`) ||
		!strings.Contains(body, `"theme":"dark"`) {
		t.Fatalf("page: %d %s", status, body)
	}
	if status, _ := do(t, "GET", ts.URL+"/public/plugins/spanflame-app/datasource/module.js", ""); status != 200 {
		t.Fatalf("module: %d", status)
	}
	if status, body := do(t, "GET", ts.URL+"/public/build/img/icons/unicons/not-in-npm.svg", ""); status != 200 || !strings.Contains(body, "<svg") {
		t.Fatalf("icon placeholder: %d %s", status, body)
	}
	if status, body := do(t, "GET", ts.URL+"/api/annotations", ""); status != 404 || !strings.Contains(body, "not part of this preview host") {
		t.Fatalf("unknown API: %d %s", status, body)
	}
}

func TestVersionConflictIsRefused(t *testing.T) {
	ts := newTestServer(t, &fakeBackend{})
	do(t, "PUT", ts.URL+"/api/datasources/uid/parca", `{"url":"http://a","version":0}`)
	do(t, "PUT", ts.URL+"/api/datasources/uid/parca", `{"url":"http://b","version":0}`)
	if status, _ := do(t, "PUT", ts.URL+"/api/datasources/uid/parca", `{"url":"http://c","version":1}`); status != http.StatusConflict {
		t.Fatalf("stale save: %d", status)
	}
}

func TestParseTime(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for text, want := range map[string]time.Time{
		"":              now,
		"now":           now,
		"now-1h":        now.Add(-time.Hour),
		"1763726400000": time.UnixMilli(1763726400000),
	} {
		got, err := parseTime(text, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v", text, got, err)
		}
	}
	if _, err := parseTime("yesterday", now); err == nil || !strings.Contains(err.Error(), "not a time") {
		t.Errorf("yesterday: %v", err)
	}
}
