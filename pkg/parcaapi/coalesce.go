package parcaapi

import (
	"context"
	"sync"
)

// flights runs identical calls that are in flight at the same time once: the first caller
// starts the call, later ones wait for its answer. Dashboards and alert rules send the same
// query many times at once (fifty people opening one dashboard); Parca pays for it once.
//
// The call runs on a context of its own, not the first caller's: a caller that goes away
// (its panel closed, its deadline passed) leaves, and the others keep waiting. When the last
// caller has left, the call is cancelled, so Parca does not keep working on an answer nobody
// waits for.
type flights struct {
	mu     sync.Mutex
	flying map[string]*flight
}

type flight struct {
	done    chan struct{}
	res     any
	err     error
	callers int
	cancel  context.CancelFunc
}

func newFlights() *flights { return &flights{flying: map[string]*flight{}} }

// do returns the answer of fn for key, joining a call already in flight for the same key.
// fn runs on a context that keeps ctx's values but ends only when every caller has left (or
// fn returns). shared says whether the answer came from another caller's call.
func (f *flights) do(ctx context.Context, key string, fn func(context.Context) (any, error)) (res any, err error, shared bool) {
	f.mu.Lock()
	fl, joined := f.flying[key]
	if joined {
		fl.callers++
	} else {
		var callCtx context.Context
		callCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		fl = &flight{done: make(chan struct{}), callers: 1, cancel: cancel}
		f.flying[key] = fl
		go f.run(key, fl, callCtx, fn)
	}
	f.mu.Unlock()

	select {
	case <-fl.done:
		return fl.res, fl.err, joined
	case <-ctx.Done():
		f.leave(key, fl)
		return nil, ctx.Err(), joined
	}
}

func (f *flights) run(key string, fl *flight, ctx context.Context, fn func(context.Context) (any, error)) {
	defer fl.cancel()
	res, err := fn(ctx)
	f.mu.Lock()
	if f.flying[key] == fl {
		delete(f.flying, key)
	}
	fl.res, fl.err = res, err
	f.mu.Unlock()
	close(fl.done)
}

// leave drops one caller; the last one to leave cancels the call, and a caller arriving after
// that starts a new one.
func (f *flights) leave(key string, fl *flight) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fl.callers--
	if fl.callers > 0 {
		return
	}
	if f.flying[key] == fl {
		delete(f.flying, key)
	}
	fl.cancel()
}

// inFlight is how many distinct calls are running (for tests).
func (f *flights) inFlight() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.flying)
}
