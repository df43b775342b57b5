//go:build !unix

package hotpath

import "time"

var processStart = time.Now()

// ThreadCPU falls back to wall time where no per-thread CPU clock exists: the
// demo then burns roughly, not exactly, the requested CPU.
func ThreadCPU() time.Duration { return time.Since(processStart) }

// ProcessCPU falls back to wall time as well (see ThreadCPU).
func ProcessCPU() time.Duration { return time.Since(processStart) }
