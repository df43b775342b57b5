package coalesce

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type answer struct{ rows []int }

// TestCallersShareOneAnswer: ten identical calls in flight together run once, and every caller
// gets the very same answer (not a copy), all but the first told it was shared.
func TestCallersShareOneAnswer(t *testing.T) {
	var g Group[*answer]
	var runs atomic.Int32
	release := make(chan struct{})
	got := make([]*answer, 10)
	shared := make([]bool, 10)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			got[i], _, shared[i] = g.Do(context.Background(), "q", func(context.Context) (*answer, error) {
				runs.Add(1)
				<-release
				return &answer{rows: make([]int, 1000)}, nil
			})
		})
	}
	for g.waiting("q") < 10 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if runs.Load() != 1 {
		t.Fatalf("the call ran %d times for 10 identical callers", runs.Load())
	}
	sharedCount := 0
	for i, a := range got {
		if a == nil || a != got[0] {
			t.Fatalf("caller %d got %p, caller 0 %p: want the same answer", i, a, got[0])
		}
		if shared[i] {
			sharedCount++
		}
	}
	if sharedCount != 9 {
		t.Errorf("%d callers told the answer was shared, want 9", sharedCount)
	}
}

// TestLeavingCallerDoesNotCancelTheCall: the caller that started the call leaves; the call runs
// on for the other. When the last caller leaves, the call is cancelled.
func TestLeavingCallerDoesNotCancelTheCall(t *testing.T) {
	var g Group[string]
	release := make(chan struct{})
	callCancelled := make(chan struct{})
	call := func(ctx context.Context) (string, error) {
		select {
		case <-release:
			return "answer", nil
		case <-ctx.Done():
			close(callCancelled)
			return "", ctx.Err()
		}
	}
	first, leave := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var firstErr, stayErr error
	var stayed string
	wg.Go(func() { _, firstErr, _ = g.Do(first, "q", call) })
	for g.waiting("q") < 1 {
		time.Sleep(time.Millisecond)
	}
	wg.Go(func() { stayed, stayErr, _ = g.Do(context.Background(), "q", call) })
	for g.waiting("q") < 2 {
		time.Sleep(time.Millisecond)
	}
	leave()
	for g.waiting("q") > 1 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if !errors.Is(firstErr, context.Canceled) || stayErr != nil || stayed != "answer" {
		t.Fatalf("first caller: %v; the one that stayed: %q, %v", firstErr, stayed, stayErr)
	}

	// Everybody leaves: the call is cancelled, and a new caller starts a new one.
	gone, leaveAll := context.WithCancel(context.Background())
	release, callCancelled = make(chan struct{}), make(chan struct{})
	wg.Go(func() { _, _, _ = g.Do(gone, "q", call) })
	for g.waiting("q") < 1 {
		time.Sleep(time.Millisecond)
	}
	leaveAll()
	wg.Wait()
	select {
	case <-callCancelled:
	case <-time.After(time.Second):
		t.Fatal("the call nobody waits for was not cancelled")
	}
	if g.InFlight() != 0 {
		t.Fatalf("%d calls still in flight", g.InFlight())
	}
}

// waiting is how many callers wait on key's call (0 when none is in flight).
func (f *Group[T]) waiting(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fl, ok := f.flying[key]; ok {
		return fl.callers
	}
	return 0
}
