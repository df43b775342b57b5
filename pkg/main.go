// Command gpx_spanflame_parca is the backend of the spanflame-parca-datasource plugin.
// Grafana starts it and talks to it over the plugin protocol; it never runs on its own.
package main

import (
	"math"
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/spanflame/spanflame/pkg/memlimit"
	"github.com/spanflame/spanflame/pkg/plugin"
)

// pluginID must match src/datasource/plugin.json.
const pluginID = "spanflame-parca-datasource"

func main() {
	// Before any query: the limit decides when the runtime collects (see package memlimit).
	limit, from, err := memlimit.Apply(os.Getenv)
	if err != nil {
		log.DefaultLogger.Warn("memory limit setting ignored", "error", err.Error())
	}
	if limit == math.MaxInt64 {
		log.DefaultLogger.Info("no soft memory limit", "from", from)
	} else {
		log.DefaultLogger.Info("soft memory limit", "MiB", limit>>20, "from", from)
	}
	if err := datasource.Manage(pluginID, plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("datasource stopped", "error", err.Error())
		os.Exit(1)
	}
}
