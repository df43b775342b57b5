package grafanaapi

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// checkHealth is GET /api/datasources/uid/{uid}/health: 200 with {status: "OK", message} when the
// backend says OK, 400 with the same shape otherwise, as Grafana answers.
func (s *Server) checkHealth(w http.ResponseWriter, r *http.Request) {
	ds, err := s.store.Get(r.PathValue("uid"))
	if err != nil {
		writeMessage(w, http.StatusNotFound, "Data source not found")
		return
	}
	res, err := s.backend.CheckHealth(r.Context(), &backend.CheckHealthRequest{
		PluginContext: s.pluginContext(ds),
		Headers:       map[string]string{},
	})
	if err != nil {
		s.logf("health check of %s: %v", ds.UID, err)
		writeMessage(w, http.StatusInternalServerError, "Plugin health check failed")
		return
	}
	payload := map[string]any{"status": res.Status.String(), "message": res.Message}
	if len(res.JSONDetails) > 0 {
		var details map[string]any
		if json.Unmarshal(res.JSONDetails, &details) == nil {
			payload["details"] = details
		}
	}
	status := http.StatusOK
	if res.Status != backend.HealthStatusOk {
		status = http.StatusBadRequest
	}
	writeJSON(w, status, payload)
}

// forwardedRequestHeaders are the request headers Grafana passes on to a resource call (it
// strips cookies and auth, which belong to Grafana's own session).
var forwardedRequestHeaders = []string{"Accept", "Accept-Encoding", "Accept-Language", "Content-Type", "Content-Length", "Cache-Control", "If-None-Match"}

// callResource is /api/datasources/uid/{uid}/resources/{path...}: the request goes to the
// backend's CallResource with the path after resources/, the answer comes back as it is.
func (s *Server) callResource(w http.ResponseWriter, r *http.Request) {
	ds, err := s.store.Get(r.PathValue("uid"))
	if err != nil {
		writeMessage(w, http.StatusNotFound, "Data source not found")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 16<<20))
	if err != nil {
		writeMessage(w, http.StatusBadRequest, "Failed to read request body")
		return
	}
	path := r.PathValue("path")
	resourceURL := path
	if r.URL.RawQuery != "" {
		resourceURL += "?" + r.URL.RawQuery
	}
	headers := map[string][]string{}
	for _, name := range forwardedRequestHeaders {
		if v := r.Header.Values(name); len(v) > 0 {
			headers[name] = v
		}
	}
	res, err := s.backend.CallResource(r.Context(), &backend.CallResourceRequest{
		PluginContext: s.pluginContext(ds),
		Path:          path,
		Method:        r.Method,
		URL:           resourceURL,
		Headers:       headers,
		Body:          body,
	})
	if err != nil {
		s.logf("resource %s %s of %s: %v", r.Method, path, ds.UID, err)
		writeMessage(w, http.StatusInternalServerError, "Failed to call resource")
		return
	}
	for name, values := range res.Headers {
		// Grafana sets its own security headers; the plugin may not override them.
		if strings.EqualFold(name, "Set-Cookie") {
			continue
		}
		for _, v := range values {
			w.Header().Add(name, v)
		}
	}
	status := res.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(res.Body)
}
