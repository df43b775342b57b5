package grafanaapi

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/spanflame/spanflame/preview/internal/store"
)

func TestAppSettingsAreSavedAndServedLikeGrafana(t *testing.T) {
	ts := newTestServer(t, &fakeBackend{})
	status, body := do(t, http.MethodPost, ts.URL+"/api/plugins/spanflame-app/settings",
		`{"enabled":true,"pinned":true,"jsonData":{"parcaDatasourceUid":"parca","samplingHz":{"parca_agent":49}}}`)
	if status != http.StatusOK {
		t.Fatalf("save: %d %s", status, body)
	}
	status, body = do(t, http.MethodGet, ts.URL+"/api/plugins/spanflame-app/settings", "")
	if status != http.StatusOK {
		t.Fatalf("get: %d %s", status, body)
	}
	var meta struct {
		ID       string         `json:"id"`
		Module   string         `json:"module"`
		Enabled  bool           `json:"enabled"`
		Pinned   bool           `json:"pinned"`
		JSONData map[string]any `json:"jsonData"`
	}
	if err := json.Unmarshal([]byte(body), &meta); err != nil {
		t.Fatal(err)
	}
	if meta.ID != "spanflame-app" || meta.Module == "" || !meta.Enabled || !meta.Pinned {
		t.Errorf("meta = %+v", meta)
	}
	rates, _ := meta.JSONData["samplingHz"].(map[string]any)
	if meta.JSONData["parcaDatasourceUid"] != "parca" || rates["parca_agent"] != float64(49) {
		t.Errorf("jsonData = %v", meta.JSONData)
	}
	if status, _ := do(t, http.MethodPost, ts.URL+"/api/plugins/spanflame-app/settings", `{not json`); status != http.StatusBadRequest {
		t.Errorf("bad body: status %d, want 400", status)
	}
	if status, _ := do(t, http.MethodPost, ts.URL+"/api/plugins/spanflame-parca-datasource/settings", `{}`); status != http.StatusNotFound {
		t.Errorf("saving a datasource's app settings: status %d, want 404", status)
	}
	// The config page is a page of the host, at Grafana's path.
	if status, _ := do(t, http.MethodGet, ts.URL+"/plugins/spanflame-app", ""); status != http.StatusOK {
		t.Errorf("config page: status %d", status)
	}
}

func TestAppSettingsSurviveARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "appsettings.json")
	first, err := store.OpenAppSettings(path, store.AppSettings{Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Set(store.AppSettings{Enabled: true, JSONData: map[string]any{"serviceLabel": "app"}}); err != nil {
		t.Fatal(err)
	}
	second, err := store.OpenAppSettings(path, store.AppSettings{Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := second.Get().JSONData["serviceLabel"]; got != "app" {
		t.Errorf("after restart serviceLabel = %v, want app", got)
	}
}
