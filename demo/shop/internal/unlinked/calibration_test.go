package unlinked

import (
	"math"
	"testing"
	"time"
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
