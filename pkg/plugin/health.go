package plugin

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"

	"github.com/spanflame/spanflame/pkg/parcaapi"
)

// maxTypesInHealth bounds how many profile types the health message lists by name.
const (
	maxTypesInHealth = 8
	healthLookback   = 24 * time.Hour
)

// CheckHealth asks Parca for its profile types: that one call proves the URL, TLS,
// authentication and that the server speaks Parca's query API. Each way of failing gets its
// own sentence.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if d.settingsErr != nil {
		return healthError("Settings: %v", d.settingsErr), nil
	}
	// The last day only: without a time range Parca scans every profile it holds.
	now := time.Now()
	resp, err := d.parca.ProfileTypes(ctx, &pb.ProfileTypesRequest{Start: timestamp(now.Add(-healthLookback)), End: timestamp(now)})
	if err == nil {
		err = d.parca.CheckProfileTypes(resp) // the answer must be Parca's, not just decode as one
	}
	if err != nil {
		return healthFromError(d.settings.URL, err), nil
	}
	types := resp.GetTypes()
	if len(types) == 0 {
		return &backend.CheckHealthResult{Status: backend.HealthStatusOk,
			Message: fmt.Sprintf("Parca reachable at %s, but it received no profiles in the last 24 hours: check that something writes to it (a scrape config, an agent).", d.settings.URL)}, nil
	}
	names := make([]string, 0, min(len(types), maxTypesInHealth))
	for _, t := range types[:min(len(types), maxTypesInHealth)] {
		names = append(names, profileTypeID(t))
	}
	more := ""
	if len(types) > maxTypesInHealth {
		more = fmt.Sprintf(" and %d more", len(types)-maxTypesInHealth)
	}
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk,
		Message: fmt.Sprintf("Parca reachable, %d profile types: %s%s", len(types), strings.Join(names, ", "), more)}, nil
}

func healthFromError(url string, err error) *backend.CheckHealthResult {
	switch parcaapi.KindOf(err) {
	case parcaapi.KindUnreachable:
		return healthError("Cannot reach Parca at %s: check the URL and that Parca is running (%v)", url, err)
	case parcaapi.KindTLS:
		return healthError("TLS failed: %v", err)
	case parcaapi.KindUnauthorized:
		return healthError("Authentication failed: %v", err)
	case parcaapi.KindNotParca:
		return healthError("Not a Parca server: %v", err)
	case parcaapi.KindMalformed:
		return healthError("Not a Parca answer: %v", err)
	case parcaapi.KindTimeout:
		// Listing profile types is cheap: a server that accepts the connection and does not
		// answer it is stuck or overloaded, whatever the time range.
		return healthError("Timed out: %v. Parca accepted the connection but did not answer: it is overloaded or hung; check its logs, CPU and memory", err)
	case parcaapi.KindBusy:
		return healthError("%v", err)
	default:
		return healthError("Parca answered with an error: %v", err)
	}
}

func healthError(format string, args ...any) *backend.CheckHealthResult {
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: fmt.Sprintf(format, args...)}
}
