package grafanaapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/spanflame/spanflame/preview/internal/store"
)

// dataSourceDTO is GET /api/datasources/uid/{uid}: Grafana's DataSource DTO, secrets reduced to
// secureJsonFields.
type dataSourceDTO struct {
	ID               int64           `json:"id"`
	UID              string          `json:"uid"`
	OrgID            int64           `json:"orgId"`
	Name             string          `json:"name"`
	Type             string          `json:"type"`
	TypeLogoURL      string          `json:"typeLogoUrl"`
	Access           string          `json:"access"`
	URL              string          `json:"url"`
	User             string          `json:"user"`
	Database         string          `json:"database"`
	BasicAuth        bool            `json:"basicAuth"`
	BasicAuthUser    string          `json:"basicAuthUser"`
	WithCredentials  bool            `json:"withCredentials"`
	IsDefault        bool            `json:"isDefault"`
	JSONData         map[string]any  `json:"jsonData"`
	SecureJSONFields map[string]bool `json:"secureJsonFields"`
	Version          int             `json:"version"`
	ReadOnly         bool            `json:"readOnly"`
}

// listItemDTO is one entry of GET /api/datasources.
type listItemDTO struct {
	ID          int64          `json:"id"`
	UID         string         `json:"uid"`
	OrgID       int64          `json:"orgId"`
	Name        string         `json:"name"`
	Type        string         `json:"type"`
	TypeName    string         `json:"typeName"`
	TypeLogoURL string         `json:"typeLogoUrl"`
	Access      string         `json:"access"`
	URL         string         `json:"url"`
	User        string         `json:"user"`
	Database    string         `json:"database"`
	BasicAuth   bool           `json:"basicAuth"`
	IsDefault   bool           `json:"isDefault"`
	JSONData    map[string]any `json:"jsonData"`
	ReadOnly    bool           `json:"readOnly"`
}

func (s *Server) toDTO(ds store.DataSource) dataSourceDTO {
	return dataSourceDTO{
		ID: ds.ID, UID: ds.UID, OrgID: ds.OrgID, Name: ds.Name, Type: ds.Type,
		TypeLogoURL: s.plugins.logoURL(ds.Type), Access: ds.Access, URL: ds.URL, User: ds.User,
		Database: ds.Database, BasicAuth: ds.BasicAuth, BasicAuthUser: ds.BasicAuthUser,
		WithCredentials: ds.WithCredentials, IsDefault: ds.IsDefault, JSONData: nonNil(ds.JSONData),
		SecureJSONFields: ds.SecureJSONFields(), Version: ds.Version, ReadOnly: ds.ReadOnly,
	}
}

func nonNil(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func (s *Server) listDataSources(w http.ResponseWriter, _ *http.Request) {
	out := []listItemDTO{}
	for _, ds := range s.store.List() {
		out = append(out, listItemDTO{
			ID: ds.ID, UID: ds.UID, OrgID: ds.OrgID, Name: ds.Name, Type: ds.Type,
			TypeName: s.plugins.name(ds.Type), TypeLogoURL: s.plugins.logoURL(ds.Type), Access: ds.Access,
			URL: ds.URL, User: ds.User, Database: ds.Database, BasicAuth: ds.BasicAuth,
			IsDefault: ds.IsDefault, JSONData: nonNil(ds.JSONData), ReadOnly: ds.ReadOnly,
		})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getDataSource(w http.ResponseWriter, r *http.Request) {
	ds, err := s.store.Get(r.PathValue("uid"))
	if err != nil {
		writeMessage(w, http.StatusNotFound, "Data source not found")
		return
	}
	writeJSON(w, http.StatusOK, s.toDTO(ds))
}

func (s *Server) updateDataSource(w http.ResponseWriter, r *http.Request) {
	var u store.Update
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&u); err != nil {
		writeMessage(w, http.StatusBadRequest, "bad request data: "+err.Error())
		return
	}
	ds, err := s.store.Update(r.PathValue("uid"), u)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeMessage(w, http.StatusNotFound, "Data source not found")
		return
	case errors.Is(err, store.ErrVersionConflict):
		writeMessage(w, http.StatusConflict, "Datasource has already been updated by someone else. Please reload and try again")
		return
	case err != nil:
		writeMessage(w, http.StatusInternalServerError, "Failed to update datasource: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"datasource": s.toDTO(ds),
		"id":         ds.ID,
		"message":    "Datasource updated",
		"name":       ds.Name,
	})
}
