package grafanaapi

// Grafana's own Prometheus, Tempo and Jaeger datasources are core plugins (AGPL, not on npm). The
// preview host lists them with the metadata Grafana gives core plugins (module "core:plugin/<id>")
// and the page builds small STAND-IN front ends for them (preview/web/src/standins/), so the app's
// scenes get the same datasource instances by uid as in Grafana.

// coreDataSources are the core datasource types the host stands in for, with their display names.
var coreDataSources = map[string]string{
	"prometheus": "Prometheus",
	"tempo":      "Tempo",
	"jaeger":     "Jaeger",
}

// coreModulePrefix is how Grafana names a core plugin's module in its boot data.
const coreModulePrefix = "core:plugin/"

func (r *registry) addCoreDataSources() {
	for id, name := range coreDataSources {
		r.datasources[id] = pluginJSON{
			ID: id, Type: "datasource", Name: name,
			raw: map[string]any{
				"id": id, "type": "datasource", "name": name, "builtIn": true, "backend": true,
				"metrics": true, "info": map[string]any{"version": GrafanaVersion, "description": name + " (preview host stand-in front end)"},
			},
			baseURL: "public/app/plugins/datasource/" + id,
		}
	}
}

func (r *registry) isCore(id string) bool {
	p, ok := r.datasources[id]
	return ok && p.raw["builtIn"] == true
}
