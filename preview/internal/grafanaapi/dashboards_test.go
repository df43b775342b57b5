package grafanaapi

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spanflame/spanflame/preview/internal/store"
)

func TestDashboardsAndPanelPluginsAreServedAsGrafanaServesThem(t *testing.T) {
	dist, dashboards := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(dist, "plugin.json"), `{"id":"spanflame-app","type":"app","name":"Spanflame","info":{"version":"0.1.0"},
		"includes":[{"type":"datasource","path":"datasource/plugin.json"},{"type":"panel","path":"panels/coverage/plugin.json"}]}`)
	writeFile(t, filepath.Join(dist, "datasource", "plugin.json"), `{"id":"spanflame-parca-datasource","type":"datasource","name":"Parca","info":{"version":"0.1.0"}}`)
	writeFile(t, filepath.Join(dist, "panels", "coverage", "plugin.json"), `{"id":"spanflame-coverage-panel","type":"panel","name":"Coverage","info":{"version":"0.1.0"}}`)
	writeFile(t, filepath.Join(dashboards, "spanflame", "services.json"), `{"uid":"spanflame-services","title":"Spanflame / Services","panels":[]}`)
	st, err := store.Open("", []store.DataSource{{ID: 1, UID: "parca", Name: "Parca", Type: "spanflame-parca-datasource"}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Store: st, Backend: &fakeBackend{}, DistDir: dist, WebDir: "../../web", IconsDir: t.TempDir(), DashboardsDir: dashboards})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	// The boot settings list the nested panel with the module Grafana would load it from.
	_, body := do(t, "GET", ts.URL+"/api/frontend/settings", "")
	var settings struct {
		Panels map[string]struct{ Module, BaseURL string } `json:"panels"`
	}
	if err := json.Unmarshal([]byte(body), &settings); err != nil {
		t.Fatal(err)
	}
	if got := settings.Panels["spanflame-coverage-panel"].Module; got != "public/plugins/spanflame-app/panels/coverage/module.js" {
		t.Fatalf("panel module %q in %s", got, body)
	}

	status, body := do(t, "GET", ts.URL+"/api/dashboards/uid/spanflame-services", "")
	if status != 200 || !strings.Contains(body, `"title":"Spanflame / Services"`) || !strings.Contains(body, `"url":"/d/spanflame-services/spanflame-services"`) {
		t.Fatalf("dashboard: %d %s", status, body)
	}
	if status, body = do(t, "GET", ts.URL+"/api/dashboards/uid/nope", ""); status != 404 || !strings.Contains(body, "Dashboard not found") {
		t.Fatalf("missing dashboard: %d %s", status, body)
	}
	if _, body = do(t, "GET", ts.URL+"/api/search", ""); !strings.Contains(body, `"uid":"spanflame-services"`) {
		t.Fatalf("search: %s", body)
	}
	// ?theme=light reaches the boot data, as Grafana's theme URL parameter does.
	if status, body = do(t, "GET", ts.URL+"/d/spanflame-services/x?theme=light", ""); status != 200 || !strings.Contains(body, `"theme":"light"`) {
		t.Fatalf("page: %d %s", status, body[:min(len(body), 400)])
	}
}
