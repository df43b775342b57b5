//go:build integration

package integration

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/spanflame/spanflame/pkg/parcatest"
)

// TestCoverageOfFullyLinkedAndFullyUnlinkedSelectors: a selector whose samples all carry a
// trace_id is 0% unlinked, one whose samples carry none is 100%. Parca answers the empty side's
// QueryRange with NotFound; that side is zero, not an error. (The demo labels every process
// both ways, so the test writes two jobs of its own.)
func TestCoverageOfFullyLinkedAndFullyUnlinkedSelectors(t *testing.T) {
	s := loadStack(t)
	p := servePlugin(t, s.parcaURL)
	at := time.Now().Add(-time.Minute).Truncate(time.Second)
	suffix := randomHex(8)
	linked, unlinked := "coverage-linked-"+suffix, "coverage-unlinked-"+suffix
	if err := parcatest.OneSidedCoverage(context.Background(), s.parcaURL, at, linked, unlinked); err != nil {
		t.Fatal(err)
	}
	for job, want := range map[string]float64{linked: 0, unlinked: 100} {
		t.Run(job, func(t *testing.T) {
			model := map[string]any{"profileType": cpuID, "labelSelector": fmt.Sprintf(`{job=%q}`, job)}
			for _, headers := range []map[string]string{nil, {"FromAlert": "true"}} {
				var dr backend.DataResponse
				// Parca makes a write queryable shortly after answering it.
				for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(500 * time.Millisecond) {
					dr = p.query(t, "coverage", model, at.Add(-time.Minute), at.Add(time.Minute), headers)
					if dr.Error != nil || len(dr.Frames[0].Fields) > 0 || time.Now().After(deadline) {
						break
					}
				}
				mustOK(t, dr)
				share := shareFrame(t, dr.Frames)
				got, err := share.FloatAt(len(share.Fields)-1, 0)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Fatalf("missing-link share %v%%, want %v%% (headers %v)", got, want, headers)
				}
			}
		})
	}
}

func shareFrame(t *testing.T, frames data.Frames) *data.Frame {
	t.Helper()
	for _, f := range frames {
		if f.Name == "missing trace link share" {
			return f
		}
	}
	t.Fatalf("no share frame among %d frames", len(frames))
	return nil
}

// TestEveryQueryTypeAnswersEmptyAndUnknownTheSameWay: a selector that matches nothing is an
// empty frame with a notice for every query type (Parca's NotFound is not passed on), and an
// unknown profile type is an error that names it and the available types.
func TestEveryQueryTypeAnswersEmptyAndUnknownTheSameWay(t *testing.T) {
	s := loadStack(t)
	p := servePlugin(t, s.parcaURL)
	to := s.settled()
	from := to.Add(-time.Minute)
	for _, queryType := range []string{"profile", "metrics", "table", "diff", "coverage"} {
		t.Run(queryType, func(t *testing.T) {
			dr := p.query(t, queryType, map[string]any{"profileType": cpuID, "labelSelector": `{service_name="no-such-service"}`,
				"baseline": map[string]any{"mode": "offset", "offset": "1m"}}, from, to, nil)
			mustOK(t, dr)
			frame := dr.Frames[0]
			if len(dr.Frames) != 1 || len(frame.Fields) != 0 || frame.Meta == nil || len(frame.Meta.Notices) == 0 ||
				!strings.Contains(frame.Meta.Notices[0].Text, `service_name="no-such-service"`) {
				t.Fatalf("empty answer: %d frames, %d fields, meta %+v", len(dr.Frames), len(frame.Fields), frame.Meta)
			}

			dr = p.query(t, queryType, map[string]any{"profileType": "process_cpu:cpu:nanoseconds:cpu:nanoseconds",
				"baseline": map[string]any{"mode": "offset", "offset": "1m"}}, from, to, nil)
			if dr.Error == nil || !strings.Contains(dr.Error.Error(), `"process_cpu:cpu:nanoseconds:cpu:nanoseconds" is unknown`) ||
				!strings.Contains(dr.Error.Error(), "available: ") || !strings.Contains(dr.Error.Error(), cpuID) {
				t.Fatalf("unknown profile type: %v", dr.Error)
			}
		})
	}
}
