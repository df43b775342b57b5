// Command preview-host is a small stand-in for Grafana's shell: it serves a page that loads the
// BUILT Spanflame plugin (dist/) as Grafana does, answers the Grafana HTTP API calls the plugin
// makes, and runs the BUILT backend executable over the plugin protocol for them.
//
//	preview-host -addr 127.0.0.1:3001 -parca-url http://127.0.0.1:7070
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"

	"github.com/spanflame/spanflame/preview/internal/grafanaapi"
	"github.com/spanflame/spanflame/preview/internal/plugin"
	"github.com/spanflame/spanflame/preview/internal/store"
)

const datasourceType = "spanflame-parca-datasource"

func main() {
	repo := flag.String("repo", ".", "repository root (dist/ and preview/web/ are found from here)")
	addr := flag.String("addr", "127.0.0.1:3001", "listen address")
	parcaURL := flag.String("parca-url", envOr("SPANFLAME_PARCA_URL", "http://127.0.0.1:7070"), "URL the datasource starts with (the config page can change it)")
	prometheusURL := flag.String("prometheus-url", os.Getenv("SPANFLAME_PROMETHEUS_URL"), "URL of the Prometheus datasource spanflame-prometheus (Beyla RED metrics)")
	tempoURL := flag.String("tempo-url", os.Getenv("SPANFLAME_TEMPO_URL"), "URL of the Tempo datasource spanflame-tempo (the stack's Tempo API stand-in)")
	jaegerURL := flag.String("jaeger-url", os.Getenv("SPANFLAME_JAEGER_URL"), "URL of the Jaeger datasource spanflame-jaeger (query HTTP API)")
	stateDir := flag.String("state-dir", "", "where saved datasource settings live (default <repo>/.stack/preview); empty string with -ephemeral keeps them in memory")
	ephemeral := flag.Bool("ephemeral", false, "keep settings in memory only (tests)")
	flag.Parse()

	logger := log.New(os.Stderr, "[preview-host] ", log.LstdFlags)
	dist := filepath.Join(*repo, "dist")
	executable := filepath.Join(dist, "datasource", fmt.Sprintf("gpx_spanflame_parca_%s_%s", runtime.GOOS, runtime.GOARCH))

	statePath, appStatePath := "", ""
	if !*ephemeral {
		dir := *stateDir
		if dir == "" {
			dir = filepath.Join(*repo, ".stack", "preview")
		}
		statePath = filepath.Join(dir, "datasources.json")
		appStatePath = filepath.Join(dir, "appsettings.json")
	}
	// The datasources of provisioning/datasources/spanflame.yaml, same uids and names.
	settings, err := store.Open(statePath, []store.DataSource{{
		ID: 1, UID: "spanflame-parca", OrgID: 1, Name: "Spanflame Parca", Type: datasourceType,
		Access: "proxy", URL: *parcaURL, IsDefault: true,
		JSONData: map[string]any{"timeoutSeconds": 30, "serviceLabel": "service_name"},
	}, {
		ID: 2, UID: "spanflame-prometheus", OrgID: 1, Name: "Prometheus (RED metrics)", Type: "prometheus",
		Access: "proxy", URL: *prometheusURL, JSONData: map[string]any{"timeInterval": "5s"},
	}, {
		ID: 3, UID: "spanflame-tempo", OrgID: 1, Name: "Tempo", Type: "tempo", Access: "proxy", URL: *tempoURL,
	}, {
		ID: 4, UID: "spanflame-jaeger", OrgID: 1, Name: "Jaeger", Type: "jaeger", Access: "proxy", URL: *jaegerURL,
	}})
	if err != nil {
		logger.Fatalf("settings: %v", err)
	}

	// The app starts enabled with the jsonData of provisioning/plugins/app.yaml, which names the
	// provisioned datasources (the Prometheus one has no default: without it the overview has no RED).
	appSettings, err := store.OpenAppSettings(appStatePath, store.AppSettings{Enabled: true, Pinned: true,
		JSONData: map[string]any{
			"parcaDatasourceUid":      "spanflame-parca",
			"traceDatasourceUid":      "spanflame-tempo",
			"prometheusDatasourceUid": "spanflame-prometheus",
			"serviceLabel":            "service_name",
			"samplingHz":              map[string]any{"parca_agent": 19, "process_cpu": 100},
		}})
	if err != nil {
		logger.Fatalf("app settings: %v", err)
	}

	backend := plugin.New(plugin.Config{
		Executable: executable,
		Env:        []string{"GF_VERSION=" + grafanaapi.GrafanaVersion, "GF_EDITION=oss", "GF_PLUGIN_VERSION=dev"},
		Log:        os.Stderr,
	})
	if err := backend.Start(); err != nil {
		logger.Fatalf("%v", err)
	}
	defer backend.Stop()

	srv, err := grafanaapi.New(grafanaapi.Config{
		Store:       settings,
		AppSettings: appSettings,
		Backend:     backend,
		DistDir:     dist,
		WebDir:      filepath.Join(*repo, "preview", "web"),
		IconsDir:    filepath.Join(*repo, "node_modules", "@grafana", "ui", "dist", "public", "img", "icons"),
		// Provisioned dashboards, under /d/<uid> (panel plugins from dist/, queries through /api/ds/query).
		DashboardsDir: filepath.Join(*repo, "provisioning", "dashboards"),
		Logf:          logger.Printf,
	})
	if err != nil {
		logger.Fatalf("%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger.Printf("serving on http://%s (backend %s, pid %d)", *addr, executable, os.Getpid())
	logger.Printf("  datasource settings: http://%s/connections/datasources/edit/%s", *addr, settings.List()[0].UID)
	logger.Printf("  query editor:        http://%s/explore", *addr)
	logger.Printf("  dashboards:          http://%s/dashboards", *addr)
	if err := grafanaapi.Serve(ctx, *addr, srv); err != nil {
		logger.Printf("server: %v", err)
		backend.Stop()
		os.Exit(1)
	}
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
