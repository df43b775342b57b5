package unlinked

import (
	"math"
	"testing"
	"time"

	"github.com/spanflame/spanflame/demo/shop/internal/hotpath"
)

func TestObserveSteersTowardsTheConfiguredShare(t *testing.T) {
	r := &Runner{share: 0.3, profiled: -1}
	if profiled, bias := r.Calibration(); profiled != -1 || bias != 0 {
		t.Fatalf("before any profile: profiled %v bias %v, want -1 and 0", profiled, bias)
	}
	// A profile that shows 36% unlabeled: aim lower.
	r.Observe(360*time.Millisecond*5, 5*time.Second)
	profiled, bias := r.Calibration()
	if math.Abs(profiled-0.36) > 1e-9 {
		t.Errorf("profiled %v, want 0.36", profiled)
	}
	if want := -calibrationGain * 0.06; math.Abs(bias-want) > 1e-9 {
		t.Errorf("bias %v after a profile 6 points high, want %v", bias, want)
	}
	// A profile that shows too little: aim higher again.
	r.Observe(1*time.Second, 5*time.Second)
	if _, after := r.Calibration(); after <= bias {
		t.Errorf("bias %v after a profile 10 points low, want more than %v", after, bias)
	}
}

func TestObserveIsBounded(t *testing.T) {
	r := &Runner{share: 0.3, profiled: -1}
	for range 100 {
		r.Observe(5*time.Second, 5*time.Second) // all unlabeled: a broken profile
	}
	if _, bias := r.Calibration(); bias < -maxBias-1e-9 {
		t.Errorf("bias %v, want at least %v", bias, -maxBias)
	}
	small := &Runner{share: 0.05, profiled: -1}
	for range 100 {
		small.Observe(5*time.Second, 5*time.Second)
	}
	if _, bias := small.Calibration(); small.share+bias < -1e-9 {
		t.Errorf("aim %v below zero", small.share+bias)
	}
}

func TestObserveIgnoresWhatCannotSteer(t *testing.T) {
	for name, obs := range map[string][2]time.Duration{
		"too little CPU":      {50 * time.Millisecond, 100 * time.Millisecond},
		"more than the total": {6 * time.Second, 5 * time.Second},
		"negative unlabeled":  {-time.Second, 5 * time.Second},
	} {
		r := &Runner{share: 0.3, profiled: -1}
		r.Observe(obs[0], obs[1])
		if profiled, bias := r.Calibration(); profiled != -1 || bias != 0 {
			t.Errorf("%s: profiled %v bias %v, want it ignored", name, profiled, bias)
		}
	}
	off := &Runner{share: 0, profiled: -1}
	off.Observe(time.Second, 5*time.Second)
	if _, bias := off.Calibration(); bias != 0 {
		t.Errorf("share 0: bias %v, want 0 (nothing to steer)", bias)
	}
}

// TestLongLabeledWorkStartsItsCounterpart: a long labeled burst (a request
// slowed by computing) gets its unlinked counterpart at once, in a job of its
// own, and the top-up does not pay for it a second time; usual request work
// leaves its share to the top-up.
func TestLongLabeledWorkStartsItsCounterpart(t *testing.T) {
	r := New(0.5, 1)
	defer r.Close()
	short := r.StartLabeled(20 * time.Millisecond)
	if pending := r.pending.Load(); pending != 0 {
		t.Errorf("20 ms of labeled work started %v of unlinked work alongside, want none", time.Duration(pending))
	}
	short.Record(hotpath.MatchProducts(20 * time.Millisecond)) // starts the accounting
	short.Done()

	const burst = 200 * time.Millisecond
	work := r.StartLabeled(burst)
	if pending := time.Duration(r.pending.Load()); pending < burst*9/10 {
		t.Errorf("a %v burst at share 0.5 started %v of unlinked work alongside, want about as much", burst, pending)
	}
	work.Record(hotpath.MatchProducts(burst))
	work.Done()
	deadline := time.Now().Add(20 * time.Second)
	for r.pending.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if r.expected.Load() != 0 || r.pending.Load() != 0 {
		t.Fatalf("expected %v, pending %v after the burst: want both settled", time.Duration(r.expected.Load()), time.Duration(r.pending.Load()))
	}
	stats := r.Stats()
	t.Logf("labeled %v, unlinked %v, process %v", stats.Labeled, stats.Unlinked, stats.Process)
	if ratio := float64(stats.Unlinked) / float64(stats.Labeled); ratio < 0.8 || ratio > 1.3 {
		t.Errorf("unlinked CPU %v for %v labeled at share 0.5 (ratio %.2f), want about as much", stats.Unlinked, stats.Labeled, ratio)
	}
}
