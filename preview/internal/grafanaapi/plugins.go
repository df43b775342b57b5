package grafanaapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/spanflame/spanflame/preview/internal/store"
)

// pluginJSON is the part of a built plugin.json the host reads; the whole object goes to the
// page as the plugin's meta, as Grafana sends it.
type pluginJSON struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Name string `json:"name"`
	Info struct {
		Version string `json:"version"`
		Logos   struct {
			Small string `json:"small"`
			Large string `json:"large"`
		} `json:"logos"`
	} `json:"info"`
	raw map[string]any
	// baseURL is where Grafana serves the plugin's files, without a leading slash.
	baseURL string
}

// registry is the app and the datasources nested in it, read from the built dist/.
type registry struct {
	app         pluginJSON
	datasources map[string]pluginJSON
}

func readPluginJSON(file, baseURL string) (pluginJSON, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return pluginJSON{}, fmt.Errorf("%w (build the plugin first: npm run build)", err)
	}
	var p pluginJSON
	if err := json.Unmarshal(raw, &p); err != nil {
		return pluginJSON{}, fmt.Errorf("%s: %w", file, err)
	}
	if err := json.Unmarshal(raw, &p.raw); err != nil {
		return pluginJSON{}, err
	}
	p.baseURL = baseURL
	return p, nil
}

// loadRegistry reads dist/plugin.json and the plugin.json of each datasource the app includes.
func loadRegistry(distDir string) (*registry, error) {
	app, err := readPluginJSON(filepath.Join(distDir, "plugin.json"), "")
	if err != nil {
		return nil, err
	}
	app.baseURL = "public/plugins/" + app.ID
	r := &registry{app: app, datasources: map[string]pluginJSON{}}
	includes, _ := app.raw["includes"].([]any)
	for _, inc := range includes {
		m, _ := inc.(map[string]any)
		if m["type"] != "datasource" {
			continue
		}
		rel, _ := m["path"].(string)
		dir := path.Dir(rel)
		ds, err := readPluginJSON(filepath.Join(distDir, filepath.FromSlash(rel)), app.baseURL+"/"+dir)
		if err != nil {
			return nil, err
		}
		r.datasources[ds.ID] = ds
	}
	if len(r.datasources) == 0 {
		return nil, fmt.Errorf("%s includes no datasource plugin", filepath.Join(distDir, "plugin.json"))
	}
	r.addCoreDataSources()
	return r, nil
}

func (r *registry) lookup(id string) (pluginJSON, bool) {
	if id == r.app.ID {
		return r.app, true
	}
	p, ok := r.datasources[id]
	return p, ok
}

func (r *registry) name(id string) string {
	if p, ok := r.lookup(id); ok {
		return p.Name
	}
	return id
}

func (r *registry) version(id string) string {
	if p, ok := r.lookup(id); ok {
		return p.Info.Version
	}
	return ""
}

func (r *registry) logoURL(id string) string {
	if p, ok := r.lookup(id); ok && p.Info.Logos.Small != "" {
		return "/" + p.baseURL + "/" + strings.TrimPrefix(p.Info.Logos.Small, "/")
	}
	return ""
}

// meta is the PluginMeta Grafana's front end gets: plugin.json plus module, baseUrl and logos
// rewritten to served paths.
func (r *registry) meta(id string) map[string]any {
	p, ok := r.lookup(id)
	if !ok {
		return map[string]any{"id": id}
	}
	out := map[string]any{}
	for k, v := range p.raw {
		out[k] = v
	}
	out["baseUrl"] = p.baseURL
	out["module"] = p.baseURL + "/module.js"
	if r.isCore(id) {
		out["module"] = coreModulePrefix + id
	}
	out["signature"] = "unsigned"
	if info, ok := p.raw["info"].(map[string]any); ok {
		infoCopy := map[string]any{}
		for k, v := range info {
			infoCopy[k] = v
		}
		infoCopy["logos"] = map[string]string{"small": r.logoURL(id), "large": r.logoURL(id)}
		out["info"] = infoCopy
	}
	return out
}

// frontendSettingsFor is what Grafana embeds in its page as grafanaBootData.settings (and serves
// at /api/frontend/settings): here the datasources, the app, build info and feature toggles.
func (s *Server) frontendSettingsFor(list []store.DataSource) map[string]any {
	datasources := map[string]any{}
	defaultName := ""
	for _, ds := range list {
		datasources[ds.Name] = map[string]any{
			"id": ds.ID, "uid": ds.UID, "type": ds.Type, "name": ds.Name,
			"meta": s.plugins.meta(ds.Type), "url": "/api/datasources/proxy/uid/" + ds.UID,
			"isDefault": ds.IsDefault, "access": "proxy", "jsonData": nonNil(ds.JSONData),
			"readOnly": ds.ReadOnly, "module": s.plugins.meta(ds.Type)["module"],
		}
		if ds.IsDefault || defaultName == "" {
			defaultName = ds.Name
		}
	}
	app := s.plugins.app
	// Grafana's nav opens an app at its defaultNav page.
	defaultPath := "/a/" + app.ID
	includes, _ := app.raw["includes"].([]any)
	for _, inc := range includes {
		if m, _ := inc.(map[string]any); m["type"] == "page" && m["defaultNav"] == true {
			if p, ok := m["path"].(string); ok && p != "" {
				defaultPath = p
			}
		}
	}
	return map[string]any{
		"datasources":       datasources,
		"defaultDatasource": defaultName,
		"apps": map[string]any{app.ID: map[string]any{
			"id": app.ID, "path": app.baseURL + "/module.js", "version": app.Info.Version, "preload": false,
			"defaultPath": defaultPath,
		}},
		"panels":         map[string]any{},
		"appSubUrl":      "",
		"appUrl":         "/",
		"featureToggles": map[string]bool{},
		"buildInfo": map[string]any{
			"version": GrafanaVersion, "edition": "Open Source", "env": "production",
			"commit": "preview-host", "hideVersion": false,
		},
	}
}

func (s *Server) frontendSettings(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.frontendSettingsFor(s.store.List()))
}

// pluginSettings is GET /api/plugins/{id}/settings, which plugin pages ask for their meta.
func (s *Server) pluginSettings(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := s.plugins.lookup(id); !ok {
		writeMessage(w, http.StatusNotFound, "Plugin not found, no installed plugin with that id")
		return
	}
	meta := s.plugins.meta(id)
	meta["enabled"] = true
	meta["pinned"] = false
	meta["jsonData"] = map[string]any{}
	writeJSON(w, http.StatusOK, meta)
}

// page renders index.html with the boot data Grafana would embed (html/template writes it into
// the script as JSON, escaped so no value can end the script).
func (s *Server) page(w http.ResponseWriter, _ *http.Request) {
	boot := map[string]any{
		"settings": s.frontendSettingsFor(s.store.List()),
		"user": map[string]any{
			"isSignedIn": true, "id": 1, "login": "admin", "name": "Preview admin", "orgId": 1,
			"orgName": "Main Org.", "orgRole": "Admin", "isGrafanaAdmin": true, "timezone": "browser",
			"weekStart": "browser", "theme": "dark", "locale": "en-US", "language": "en-US",
		},
		"navTree": []any{},
		"assets":  map[string]string{"dark": "", "light": ""},
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	if err := s.index.Execute(w, map[string]any{"BootData": boot}); err != nil {
		s.logf("page: %v", err)
	}
}
