//go:build integration

package integration

import (
	"context"
	"testing"
	"time"

	"github.com/spanflame/spanflame/pkg/parcatest"
)

type (
	stackSample     = parcatest.Sample
	syntheticSeries = parcatest.Series
)

// writeProfiles writes one CPU profile per series, all taken at `at`, with WriteRaw.
func writeProfiles(t testing.TB, parcaURL string, at time.Time, duration time.Duration, series []syntheticSeries) {
	t.Helper()
	if err := parcatest.WriteCPU(context.Background(), parcaURL, at, duration, series); err != nil {
		t.Fatal(err)
	}
}
