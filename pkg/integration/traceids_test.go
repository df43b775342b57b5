//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/spanflame/spanflame/demo/groundtruth"
)

// TestTraceIDsAreTheDemosTraces: the bounded traceIds query against the real Parca answers at
// most its limit of trace ids, most CPU first, every one a trace the demo recorded, and says how
// many the range held; a range over its bound is refused before Parca is asked.
func TestTraceIDsAreTheDemosTraces(t *testing.T) {
	s := loadStack(t)
	p := servePlugin(t, s.parcaURL)
	metas, err := groundtruth.ReadMeta(s.groundTruthDir)
	if err != nil {
		t.Fatal(err)
	}
	spans, err := groundtruth.ReadSpans(s.groundTruthDir)
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[string]bool{}
	for _, span := range spans {
		recorded[span.TraceID] = true
	}
	to := s.settled()
	from := to.Add(-2 * time.Minute)
	for service := range metas {
		t.Run(service, func(t *testing.T) {
			model := map[string]any{"profileType": cpuID, "labelSelector": fmt.Sprintf(`{service_name=%q}`, service), "limit": 10}
			dr := p.query(t, "traceIds", model, from, to, nil)
			mustOK(t, dr)
			frame := dr.Frames[0]
			if frame.Rows() == 0 || frame.Rows() > 10 {
				t.Fatalf("%d trace ids, want 1 to 10", frame.Rows())
			}
			var meta struct {
				TraceIDsInRange int `json:"traceIdsInRange"`
			}
			raw, _ := json.Marshal(frame.Meta.Custom)
			if err := json.Unmarshal(raw, &meta); err != nil || meta.TraceIDsInRange < frame.Rows() {
				t.Fatalf("meta %s: the range held fewer trace ids than answered", raw)
			}
			previous := int64(-1)
			for i := 0; i < frame.Rows(); i++ {
				id := frame.Fields[0].At(i).(string)
				value := frame.Fields[1].At(i).(int64)
				if !recorded[id] {
					t.Errorf("trace id %s is not one the demo recorded", id)
				}
				if previous >= 0 && value > previous {
					t.Errorf("row %d has more CPU (%d) than the row before it (%d)", i, value, previous)
				}
				previous = value
			}
			t.Logf("%s: the top %d of %d trace ids in 2 minutes", service, frame.Rows(), meta.TraceIDsInRange)
		})
	}
	dr := p.query(t, "traceIds", map[string]any{"profileType": cpuID}, to.Add(-time.Hour), to, nil)
	if dr.Error == nil {
		t.Fatal("an hour's traceIds query was answered; it must be refused")
	}
}
