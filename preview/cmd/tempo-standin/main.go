// Command tempo-standin is a STAND-IN for Grafana Tempo's HTTP query API (Tempo is AGPL and cannot
// run here). It answers the Tempo calls Spanflame makes from the spans of a real Jaeger v2:
//
//	tempo-standin -addr 127.0.0.1:3200 -jaeger-url http://127.0.0.1:16686
//
// See preview/internal/tempostandin for what it understands.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spanflame/spanflame/preview/internal/tempostandin"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:3200", "listen address (Tempo's HTTP port is 3200)")
	jaegerURL := flag.String("jaeger-url", "http://127.0.0.1:16686", "Jaeger v2 query HTTP URL the spans are read from")
	timeout := flag.Duration("timeout", 30*time.Second, "bound on each call to Jaeger")
	stack := flag.String("stack", "", "state directory of the local stack that runs it (logged; lets the stack recognise its process)")
	flag.Parse()
	logger := log.New(os.Stderr, "[tempo-standin] ", log.LstdFlags)
	if *stack != "" {
		logger.Printf("part of the local stack in %s", *stack)
	}

	srv := &http.Server{Addr: *addr, Handler: tempostandin.New(*jaegerURL, *timeout), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errs := make(chan error, 1)
	go func() { errs <- srv.ListenAndServe() }()
	logger.Printf("Tempo API stand-in on http://%s, reading spans from Jaeger at %s", *addr, *jaegerURL)
	select {
	case err := <-errs:
		if !errors.Is(err, http.ErrServerClosed) {
			logger.Fatalf("%v", err)
		}
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}
}
