package parcaapi

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// DefaultMaxConcurrent is how many calls one datasource makes to Parca at once unless its
// settings say otherwise. Parca answers a large flame graph with several cores and hundreds of
// megabytes; fifty at once made it grow to 9.7 GB and answer none in time.
const DefaultMaxConcurrent = 8

// limiter bounds the calls in flight to one Parca. A call that cannot start waits for a free
// slot for at most half of what is left of its deadline, keeping the other half for Parca to
// answer, and is then refused with a "busy" answer: better a clear refusal early than a
// timeout at the deadline.
type limiter struct {
	slots   chan struct{}
	waiting atomic.Int64
}

func newLimiter(n int) *limiter {
	if n <= 0 {
		n = DefaultMaxConcurrent
	}
	return &limiter{slots: make(chan struct{}, n)}
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
			"Parca is busy: %d queries from this datasource are running and %d more are waiting; this one waited %.1f s for its turn and was not sent, so that it can be answered within the timeout. Try again in a moment, or raise \"Max concurrent queries\" (now %d) in the datasource settings if Parca at %s has the capacity",
			len(l.slots), l.waiting.Load()-1, time.Since(start).Seconds(), cap(l.slots), c.baseURL)}
	}
}

func (l *limiter) release() { <-l.slots }

// noDeadlineWait bounds the wait of a caller without a deadline (the client sets one whenever
// it has a timeout).
const noDeadlineWait = 15 * time.Second

// waitBound is until when a call may wait for a slot: half of what is left until the caller's
// deadline.
func waitBound(ctx context.Context) time.Time {
	now := time.Now()
	if deadline, ok := ctx.Deadline(); ok {
		return now.Add(deadline.Sub(now) / 2)
	}
	return now.Add(noDeadlineWait)
}
