package grafanaapi

import (
	"encoding/json"
	"net/http"

	"github.com/spanflame/spanflame/preview/internal/store"
)

// pluginSettings is GET /api/plugins/{id}/settings: the plugin's meta and, for the app, what its
// config page saved (enabled, pinned, jsonData), as Grafana answers it.
func (s *Server) pluginSettings(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := s.plugins.lookup(id); !ok {
		writeMessage(w, http.StatusNotFound, "Plugin not found, no installed plugin with that id")
		return
	}
	meta := s.plugins.meta(id)
	meta["enabled"], meta["pinned"], meta["jsonData"] = true, false, map[string]any{}
	if id == s.plugins.app.ID {
		saved := s.appSettings.Get()
		meta["enabled"], meta["pinned"], meta["jsonData"] = saved.Enabled, saved.Pinned, saved.JSONData
	}
	writeJSON(w, http.StatusOK, meta)
}

// savePluginSettings is POST /api/plugins/{id}/settings, which app config pages call to save
// their settings (Grafana's UpdatePluginSettingCmd: enabled, pinned, jsonData).
func (s *Server) savePluginSettings(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id != s.plugins.app.ID {
		writeMessage(w, http.StatusNotFound, "Plugin not found, no installed app with that id")
		return
	}
	var body store.AppSettings
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
		writeMessage(w, http.StatusBadRequest, "bad request data: "+err.Error())
		return
	}
	if err := s.appSettings.Set(body); err != nil {
		writeMessage(w, http.StatusInternalServerError, "Failed to update plugin setting: "+err.Error())
		return
	}
	writeMessage(w, http.StatusOK, "Plugin settings updated")
}
