package service

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime/pprof"
	"strings"
	"sync"
	"time"
)

// maxLoadInFlight bounds the load generator's open requests, so a stalled
// service does not pile up goroutines.
const maxLoadInFlight = 64

// GenerateLoad sends rps requests per second to baseURL, spread over routes by
// their LoadWeight, until ctx ends; then it waits for open requests. The
// requests are not traced, so each trace starts at the service's server span.
// Open-loop: a slow answer does not slow the rate down.
func GenerateLoad(ctx context.Context, baseURL string, routes []Route, rps float64) {
	if rps <= 0 || len(routes) == 0 {
		return
	}
	pprof.SetGoroutineLabels(context.Background()) // load is no request work
	client := &http.Client{Timeout: 15 * time.Second}
	pick := weightedPicker(routes)
	slots := make(chan struct{}, maxLoadInFlight)
	var open sync.WaitGroup
	defer open.Wait()

	ticker := time.NewTicker(time.Duration(float64(time.Second) / rps))
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		select {
		case slots <- struct{}{}:
		default:
			continue // too many open requests: skip this one
		}
		route := pick()
		open.Add(1)
		go func() {
			defer open.Done()
			defer func() { <-slots }()
			// Requests already sent run to their end: a cut-off request would
			// leave the service working on after the load stopped.
			sendLoadRequest(context.WithoutCancel(ctx), client, baseURL, route)
		}()
	}
}

func sendLoadRequest(ctx context.Context, client *http.Client, baseURL string, route Route) {
	var body io.Reader
	if route.Method == http.MethodPost {
		body = strings.NewReader(`{"cart":"demo","items":3}`)
	}
	req, err := http.NewRequestWithContext(ctx, route.Method, baseURL+route.Path, body)
	if err != nil {
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		return // refused or timed out: the next tick tries again
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
}

// weightedPicker returns a function that picks a route at random, each with
// probability proportional to its LoadWeight.
func weightedPicker(routes []Route) func() Route {
	total := 0
	for _, r := range routes {
		total += max(r.LoadWeight, 0)
	}
	return func() Route {
		if total == 0 {
			return routes[rand.IntN(len(routes))]
		}
		n := rand.IntN(total)
		for _, r := range routes {
			if n < r.LoadWeight {
				return r
			}
			n -= max(r.LoadWeight, 0)
		}
		return routes[len(routes)-1]
	}
}
