// Package grafanaapi answers the Grafana HTTP API calls a datasource plugin's front end makes
// (datasource settings, health, resources, /api/ds/query) with Grafana's JSON shapes, by calling
// the plugin's backend, and serves the page and the built plugin files the way Grafana lays them
// out. It is a stand-in for Grafana's shell, not a copy of Grafana.
package grafanaapi

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/useragent"

	"github.com/spanflame/spanflame/preview/internal/store"
)

// GrafanaVersion is the version the host claims to be (the @grafana packages it bundles).
const GrafanaVersion = "13.2.2"

// Backend is the plugin backend (the go-plugin client in production, a fake in tests).
type Backend interface {
	QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error)
	CheckHealth(ctx context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error)
	CallResource(ctx context.Context, req *backend.CallResourceRequest) (*backend.CallResourceResponse, error)
}

// Config wires the server.
type Config struct {
	Store   *store.Store
	Backend Backend
	// DistDir is the plugin's build output (dist/), served as /public/plugins/<app id>/.
	DistDir string
	// WebDir holds index.html and the bundled host script (preview/web/dist).
	WebDir string
	// IconsDir is @grafana/ui's icon set, served where @grafana/ui looks for it.
	IconsDir string
	Logf     func(format string, args ...any)
}

// Server is the HTTP handler.
type Server struct {
	store   *store.Store
	backend Backend
	plugins *registry
	webDir  string
	index   *template.Template
	logf    func(format string, args ...any)
	mux     *http.ServeMux
}

// New reads the plugin metadata from DistDir and sets up the routes.
func New(cfg Config) (*Server, error) {
	plugins, err := loadRegistry(cfg.DistDir)
	if err != nil {
		return nil, err
	}
	index, err := template.ParseFiles(filepath.Join(cfg.WebDir, "index.html"))
	if err != nil {
		return nil, fmt.Errorf("page template: %w", err)
	}
	s := &Server{store: cfg.Store, backend: cfg.Backend, plugins: plugins, webDir: cfg.WebDir, index: index, logf: cfg.Logf, mux: http.NewServeMux()}
	if s.logf == nil {
		s.logf = func(string, ...any) {}
	}
	m := s.mux
	m.HandleFunc("GET /api/datasources", s.listDataSources)
	m.HandleFunc("GET /api/datasources/uid/{uid}", s.getDataSource)
	m.HandleFunc("PUT /api/datasources/uid/{uid}", s.updateDataSource)
	m.HandleFunc("GET /api/datasources/uid/{uid}/health", s.checkHealth)
	m.HandleFunc("/api/datasources/uid/{uid}/resources/{path...}", s.callResource)
	m.HandleFunc("POST /api/ds/query", s.queryData)
	m.HandleFunc("/api/datasources/proxy/uid/{uid}/{path...}", s.dataSourceProxy)
	m.HandleFunc("GET /api/frontend/settings", s.frontendSettings)
	m.HandleFunc("GET /api/plugins/{id}/settings", s.pluginSettings)
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeMessage(w, http.StatusNotFound, "Not found: "+r.URL.Path+" is not part of this preview host")
	})
	// Grafana serves a plugin's files under public/plugins/<id>/; a nested plugin's lie under its
	// parent's directory (public/plugins/spanflame-app/datasource/...).
	m.Handle("GET /public/plugins/"+plugins.app.ID+"/", noCache(http.StripPrefix("/public/plugins/"+plugins.app.ID+"/", http.FileServer(http.Dir(cfg.DistDir)))))
	m.Handle("GET /public/build/img/icons/", http.StripPrefix("/public/build/img/icons/", s.icons(cfg.IconsDir)))
	m.Handle("GET /preview/", noCache(http.StripPrefix("/preview/", http.FileServer(http.Dir(cfg.WebDir)))))
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/connections/datasources/edit/"+s.firstDataSourceUID(), http.StatusFound)
	})
	// Page routes use Grafana's own paths, so links and habits carry over.
	m.HandleFunc("GET /connections/datasources/edit/{uid}", s.page)
	m.HandleFunc("GET /explore", s.page)
	m.HandleFunc("GET /a/{app}/{rest...}", s.page)
	return s, nil
}

// placeholderIcon stands in for icons Grafana ships but @grafana/ui's npm package does not (it
// carries about 190 of them; "spinner" and some arrows are missing). A neutral dot keeps the
// layout honest without pretending to be the real icon.
const placeholderIcon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="3" fill="currentColor"/></svg>`

func (s *Server) icons(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	var mu sync.Mutex
	reported := map[string]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Clean("/" + r.URL.Path)
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil || !strings.HasSuffix(name, ".svg") {
			files.ServeHTTP(w, r)
			return
		}
		mu.Lock()
		if !reported[name] {
			reported[name] = true
			s.logf("icon %s is not in @grafana/ui's npm icon set; serving a placeholder", name)
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "image/svg+xml")
		_, _ = w.Write([]byte(placeholderIcon))
	})
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Server) firstDataSourceUID() string {
	if list := s.store.List(); len(list) > 0 {
		return list[0].UID
	}
	return "none"
}

// pluginContext is what Grafana sends the plugin with every call: org, user, and the
// datasource's settings with secrets decrypted.
func (s *Server) pluginContext(ds store.DataSource) backend.PluginContext {
	jsonData, _ := json.Marshal(nonNil(ds.JSONData))
	secrets := map[string]string{}
	for k, v := range ds.SecureJSONData {
		secrets[k] = v
	}
	ua, _ := useragent.New(GrafanaVersion, "linux", "amd64")
	return backend.PluginContext{
		OrgID:         ds.OrgID,
		PluginID:      ds.Type,
		PluginVersion: s.plugins.version(ds.Type),
		User:          &backend.User{Login: "admin", Name: "Preview admin", Email: "admin@localhost", Role: "Admin"},
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			ID: ds.ID, UID: ds.UID, Type: ds.Type, Name: ds.Name, URL: ds.URL, User: ds.User,
			Database: ds.Database, BasicAuthEnabled: ds.BasicAuth, BasicAuthUser: ds.BasicAuthUser,
			JSONData: jsonData, DecryptedSecureJSONData: secrets, Updated: ds.Updated,
		},
		UserAgent: ua,
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeMessage is Grafana's error body: {"message": "..."}.
func writeMessage(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"message": message})
}

// noCache makes the browser re-check files: a rebuilt dist/ must show up on reload.
func noCache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}

// Serve runs the server until ctx ends.
func Serve(ctx context.Context, addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errs := make(chan error, 1)
	go func() { errs <- srv.ListenAndServe() }()
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}
