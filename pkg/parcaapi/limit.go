package parcaapi

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxConcurrent is how many calls one datasource makes to Parca at once unless its
// settings say otherwise. Parca answers a large flame graph with several cores and hundreds of
// megabytes; fifty at once made it grow to 9.7 GB and answer none in time, and on 2 cores 8
// large ones at once outlast a 30 s timeout where 4 do not.
const DefaultMaxConcurrent = 4

// limiter bounds the calls in flight to one Parca. A call that cannot start waits for a free
// slot for at most half of what is left of its deadline, and less when such calls have lately
// taken longer than the other half, then is refused with a "busy" answer: better a clear
// refusal early than a timeout at the deadline.
type limiter struct {
	slots   chan struct{}
	waiting atomic.Int64

	mu   sync.Mutex
	took map[string]time.Duration // recent call durations, per method
}

func newLimiter(n int) *limiter {
	if n <= 0 {
		n = DefaultMaxConcurrent
	}
	return &limiter{slots: make(chan struct{}, n), took: map[string]time.Duration{}}
}

// acquire takes a slot, waiting until waitUntil at the latest; release gives it back.
func (l *limiter) acquire(ctx context.Context, waitUntil time.Time, c *Client, method string) (release func(), err error) {
	select {
	case l.slots <- struct{}{}:
		return l.release, nil
	default:
	}
	l.waiting.Add(1)
	defer l.waiting.Add(-1)
	start := time.Now()
	timer := time.NewTimer(time.Until(waitUntil))
	defer timer.Stop()
	select {
	case l.slots <- struct{}{}:
		return l.release, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, &Error{Kind: KindBusy, Method: method, Message: fmt.Sprintf(
			"Parca is busy: %s from this datasource running and %d more waiting; this one waited %.1f s for its turn and was not sent, so that it can be answered within the timeout. Try again in a moment, or raise \"Max concurrent queries\" (now %d) in the datasource settings if Parca at %s has the capacity",
			queries(len(l.slots)), l.waiting.Load()-1, time.Since(start).Seconds(), cap(l.slots), c.baseURL)}
	}
}

func (l *limiter) release() { <-l.slots }

func queries(n int) string {
	if n == 1 {
		return "1 query"
	}
	return fmt.Sprintf("%d queries", n)
}

// noDeadlineWait bounds the wait of a caller without a deadline (the client sets one whenever
// it has a timeout).
const noDeadlineWait = 15 * time.Second

// waitBound is until when a call may wait for a slot: half of what is left until the caller's
// deadline, and no later than leaves the time such calls have lately taken (with a margin), so
// that a call that starts can still finish in time.
func (l *limiter) waitBound(ctx context.Context, method string) time.Time {
	now := time.Now()
	deadline, ok := ctx.Deadline()
	if !ok {
		return now.Add(noDeadlineWait)
	}
	until := now.Add(deadline.Sub(now) / 2)
	if typical := l.typical(method); typical > 0 {
		if latest := deadline.Add(-typical * 3 / 2); latest.Before(until) {
			until = latest
		}
	}
	return until
}

// observe records how long a call took once it had its slot (a moving average per method).
func (l *limiter) observe(method string, took time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if prev, ok := l.took[method]; ok {
		took = (3*prev + took) / 4
	}
	l.took[method] = took
}

func (l *limiter) typical(method string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.took[method]
}
