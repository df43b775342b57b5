//go:build unix

package hotpath

import (
	"time"

	"golang.org/x/sys/unix"
)

// ThreadCPU returns the CPU time used so far by the calling OS thread. It is
// only meaningful while the goroutine is locked to its thread.
func ThreadCPU() time.Duration { return clock(unix.CLOCK_THREAD_CPUTIME_ID) }

// ProcessCPU returns the CPU time used so far by the whole process, all threads.
func ProcessCPU() time.Duration { return clock(unix.CLOCK_PROCESS_CPUTIME_ID) }

func clock(id int32) time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(id, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
