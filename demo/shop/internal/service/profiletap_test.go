package service

import (
	"context"
	"io"
	"math"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestServedProfileSteersTheShare checks that a collector gets the CPU profile
// unchanged and that the Runner calibrates on exactly what was served.
func TestServedProfileSteersTheShare(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: drives a shop under load for seconds; run without -short (CI does)")
	}
	shop := startTestShop(t, 0.3, 20*time.Millisecond)
	if profiled, _ := shop.runner.Calibration(); profiled != -1 {
		t.Fatalf("calibrated before any profile was served: %v", profiled)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		GenerateLoad(ctx, shop.servers[Frontend].URL, shop.services[Frontend].Routes(), 30)
	}()
	defer func() { cancel(); wg.Wait() }()

	resp, err := http.Get(shop.servers[Checkout].URL + "/debug/pprof/profile?seconds=3")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /debug/pprof/profile: %d, %v", resp.StatusCode, err)
	}
	unlabeled, total, err := unlabeledCPU(body)
	if err != nil {
		t.Fatalf("the served profile does not parse: %v", err)
	}
	if total < 500*time.Millisecond {
		t.Fatalf("only %v of CPU in 3 s of load: too little for the Runner to calibrate on", total)
	}
	served := float64(unlabeled) / float64(total)
	profiled, bias := shop.runner.Calibration()
	t.Logf("served profile: %v CPU, %.3f unlabeled; bias now %+.3f", total, served, bias)
	if math.Abs(profiled-served) > 1e-9 {
		t.Errorf("the Runner saw share %.4f, the collector got %.4f", profiled, served)
	}
	if want := 0.3 * (0.3 - served); math.Abs(bias-want) > 1e-9 {
		t.Errorf("bias %.4f after one profile at %.3f, want %.4f", bias, served, want)
	}
}
