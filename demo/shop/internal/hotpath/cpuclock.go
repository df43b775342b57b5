// Package hotpath holds the CPU hot paths of the demo shop. Every route of every
// service burns its CPU in one exported, named function of this package, so a
// CPU profile shows which route a sample came from (see Route in the service
// package and the "routes" map of the ground-truth meta file).
//
// Each hot function runs its unit of work repeatedly until the calling
// goroutine has used a given amount of CPU time. Measuring CPU time rather than
// wall time or iterations keeps the burned CPU right on a busy machine, where
// a goroutine may wait for a core for longer than it runs.
package hotpath

import (
	"runtime"
	"time"
)

// clockCheckInterval is about how much CPU burn spends between two readings of
// the thread's CPU clock. Reading it is a system call; doing that after every
// few microseconds of work would make the system call a large part of the
// work, and Go's profiler sees such kernel time poorly.
const clockCheckInterval = 200 * time.Microsecond

// burn calls step until the calling goroutine has used at least budget of CPU
// time, and returns the CPU time it used. The goroutine is locked to its OS
// thread meanwhile, so that the thread's CPU clock is the goroutine's.
func burn(budget time.Duration, step func()) time.Duration {
	if budget <= 0 {
		return 0
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := ThreadCPU()
	last, steps := start, 1
	for {
		for range steps {
			step()
		}
		now := ThreadCPU()
		used := now - start
		if used >= budget {
			return used
		}
		// Size the next batch of steps to about clockCheckInterval, and not
		// much past the budget.
		perStep := max((now-last)/time.Duration(steps), time.Microsecond)
		steps = max(1, int(min(clockCheckInterval, budget-used)/perStep))
		last = now
	}
}
