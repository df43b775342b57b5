//go:build integration

package integration

import (
	"fmt"
	"testing"
	"time"
)

// TestSubSecondWindow writes two profiles 500 ms apart within one second and checks that a
// 120 ms window around each returns that profile alone: the query's full timestamp precision
// reaches Parca (a whole-second window would merge both).
func TestSubSecondWindow(t *testing.T) {
	s := loadStack(t)
	p := servePlugin(t, s.parcaURL)
	job := fmt.Sprintf("spanflame-it-window-%d", time.Now().UnixNano())
	second := time.Now().Add(-time.Minute).Truncate(time.Second)
	early, late := second.Add(100*time.Millisecond), second.Add(600*time.Millisecond)
	writeProfiles(t, s.parcaURL, early, 100*time.Millisecond, []syntheticSeries{{
		Labels: map[string]string{"job": job}, Samples: []stackSample{{Stack: []string{"main.main", "window.Early"}, CPU: 50 * time.Millisecond}},
	}})
	writeProfiles(t, s.parcaURL, late, 100*time.Millisecond, []syntheticSeries{{
		Labels: map[string]string{"job": job}, Samples: []stackSample{{Stack: []string{"main.main", "window.Late"}, CPU: 70 * time.Millisecond}},
	}})
	model := map[string]any{"profileType": cpuID, "labelSelector": fmt.Sprintf(`{job=%q}`, job), "nodeTrimThreshold": 0}

	cases := []struct {
		name             string
		from, to         time.Time
		wantEarly, wantL bool
	}{
		{"120 ms around the early profile", early.Add(-50 * time.Millisecond), early.Add(70 * time.Millisecond), true, false},
		{"120 ms around the late profile", late.Add(-50 * time.Millisecond), late.Add(70 * time.Millisecond), false, true},
		{"the whole second", second, second.Add(time.Second), true, true},
		{"120 ms between them", early.Add(200 * time.Millisecond), early.Add(320 * time.Millisecond), false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dr := p.query(t, "profile", model, c.from, c.to, nil)
			mustOK(t, dr)
			labels := map[string]bool{}
			if dr.Frames[0].Rows() > 0 {
				labels = flameLabels(t, dr.Frames[0])
			}
			if labels["window.Early"] != c.wantEarly || labels["window.Late"] != c.wantL {
				t.Fatalf("early %v (want %v), late %v (want %v)", labels["window.Early"], c.wantEarly, labels["window.Late"], c.wantL)
			}
		})
	}
}
