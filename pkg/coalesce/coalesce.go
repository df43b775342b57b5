// Package coalesce runs identical work that is in flight at the same time once, for every
// caller waiting on it, and cancels it when nobody waits any more.
package coalesce

import (
	"context"
	"sync"
)

// Group runs identical calls that are in flight at the same time once: the first caller
// starts the call, later ones wait for its answer. Dashboards and alert rules send the same
// query many times at once (fifty people opening one dashboard); Parca pays for it once.
//
// The call runs on a context of its own, not the first caller's: a caller that goes away
// (its panel closed, its deadline passed) leaves, and the others keep waiting. When the last
// caller has left, the call is cancelled, so Parca does not keep working on an answer nobody
// waits for.
//
// The zero Group is ready to use. Answers are shared: callers must read them, never change them.
type Group[T any] struct {
	mu     sync.Mutex
	flying map[string]*flight[T]
}

type flight[T any] struct {
	done    chan struct{}
	res     T
	err     error
	callers int
	cancel  context.CancelFunc
}

// Do returns the answer of fn for key, joining a call already in flight for the same key.
// fn runs on a context that keeps ctx's values (not its deadline) and ends when every caller
// has left (or fn returns). shared says whether the call was started by another caller.
func (f *Group[T]) Do(ctx context.Context, key string, fn func(context.Context) (T, error)) (res T, err error, shared bool) {
	f.mu.Lock()
	if f.flying == nil {
		f.flying = map[string]*flight[T]{}
	}
	fl, joined := f.flying[key]
	if joined {
		fl.callers++
	} else {
		var callCtx context.Context
		callCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		fl = &flight[T]{done: make(chan struct{}), callers: 1, cancel: cancel}
		f.flying[key] = fl
		go f.run(key, fl, callCtx, fn)
	}
	f.mu.Unlock()

	select {
	case <-fl.done:
		return fl.res, fl.err, joined
	case <-ctx.Done():
		f.leave(key, fl)
		var zero T
		return zero, ctx.Err(), joined
	}
}

func (f *Group[T]) run(key string, fl *flight[T], ctx context.Context, fn func(context.Context) (T, error)) {
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
func (f *Group[T]) leave(key string, fl *flight[T]) {
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

// InFlight is how many distinct calls are running.
func (f *Group[T]) InFlight() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.flying)
}
