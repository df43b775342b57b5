package grafanaapi

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Dashboards are read from the provisioning directory on every request, as Grafana's file
// provider would find them (JSON files under the provider's path), so an edited file shows on
// reload. Only reading: the preview host saves no dashboards.

type dashboardFile struct {
	uid, title, path string
	json             map[string]any
}

func readDashboards(dir string) ([]dashboardFile, error) {
	if dir == "" {
		return nil, nil
	}
	var out []dashboardFile
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var dash map[string]any
		if err := json.Unmarshal(raw, &dash); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		uid, _ := dash["uid"].(string)
		title, _ := dash["title"].(string)
		out = append(out, dashboardFile{uid: uid, title: title, path: path, json: dash})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].title < out[j].title })
	return out, err
}

func slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// getDashboard is GET /api/dashboards/uid/{uid}: Grafana's {dashboard, meta} shape.
func (s *Server) getDashboard(w http.ResponseWriter, r *http.Request) {
	dashboards, err := readDashboards(s.dashboardsDir)
	if err != nil {
		writeMessage(w, http.StatusInternalServerError, "reading provisioned dashboards: "+err.Error())
		return
	}
	uid := r.PathValue("uid")
	for _, d := range dashboards {
		if d.uid == uid {
			rel, _ := filepath.Rel(s.dashboardsDir, d.path)
			writeJSON(w, http.StatusOK, map[string]any{
				"dashboard": d.json,
				"meta": map[string]any{
					"slug": slugify(d.title), "url": "/d/" + d.uid + "/" + slugify(d.title),
					"provisioned": true, "provisionedExternalId": rel, "canSave": false, "canEdit": false,
				},
			})
			return
		}
	}
	writeMessage(w, http.StatusNotFound, "Dashboard not found")
}

// search is GET /api/search: the provisioned dashboards (no folders, no query filter).
func (s *Server) search(w http.ResponseWriter, _ *http.Request) {
	dashboards, err := readDashboards(s.dashboardsDir)
	if err != nil {
		writeMessage(w, http.StatusInternalServerError, "reading provisioned dashboards: "+err.Error())
		return
	}
	hits := make([]map[string]any, 0, len(dashboards))
	for _, d := range dashboards {
		hits = append(hits, map[string]any{
			"uid": d.uid, "title": d.title, "type": "dash-db", "url": "/d/" + d.uid + "/" + slugify(d.title),
		})
	}
	writeJSON(w, http.StatusOK, hits)
}

// panelMetas is grafanaBootData.settings.panels: the nested panel plugins by id, with the
// module and baseUrl a dashboard loads them from (Grafana's PanelPluginMeta).
func (r *registry) panelMetas() map[string]any {
	out := map[string]any{}
	for id := range r.panels {
		meta := r.meta(id)
		meta["sort"] = 100
		meta["skipDataQuery"] = false
		meta["hideFromList"] = false
		out[id] = meta
	}
	return out
}
