// Command gpx_spanflame_parca is the backend of the spanflame-parca-datasource plugin.
// Grafana starts it and talks to it over the plugin protocol; it never runs on its own.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/spanflame/spanflame/pkg/plugin"
)

// pluginID must match src/datasource/plugin.json.
const pluginID = "spanflame-parca-datasource"

func main() {
	if err := datasource.Manage(pluginID, plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("datasource stopped", "error", err.Error())
		os.Exit(1)
	}
}
