// Command shop is the demo workload of Spanflame: one of three small services
// (frontend -> checkout -> payments, over HTTP and gRPC) that burn CPU under
// pprof trace labels, leave a set share of CPU unlabeled, export traces and
// Beyla-style RED metrics, and record the ground truth for tests. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spanflame/spanflame/demo/shop/internal/service"
	"github.com/spanflame/spanflame/demo/shop/internal/unlinked"
)

func main() {
	opts, err := parseFlags(os.Args[1:], os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case err != nil:
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, opts); err != nil {
		log.Printf("shop %s: %v", opts.service, err)
		os.Exit(1)
	}
}

// run serves until ctx ends, then shuts down in order: load generator, HTTP
// server, telemetry (which flushes the ground-truth record), unlinked work.
func run(ctx context.Context, opts options) error {
	log.SetPrefix(opts.service + ": ")
	runner := unlinked.New(opts.unlinkedShare, opts.workers)
	defer runner.Close()

	svc, err := service.New(ctx, service.Config{
		Service:        opts.service,
		Downstream:     opts.downstream,
		GroundTruthDir: opts.groundTruthDir,
		WorkPerHop:     opts.workPerHop,
		ErrorShare:     opts.errorShare,
		SlowShare:      opts.slowShare,
		RPCMetrics:     opts.rpcMetrics,
	}, runner)
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", opts.listen)
	if err != nil {
		return err
	}
	server := &http.Server{Handler: svc.Handler(), Protocols: service.Protocols(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	if err := svc.Start(listener.Addr().String()); err != nil {
		_ = server.Close()
		return err
	}
	log.Printf("serving on %s (unlinked share %.2f, %v CPU per request)", listener.Addr(), opts.unlinkedShare, opts.workPerHop)

	loadCtx, stopLoad := context.WithCancel(ctx)
	loadDone := make(chan struct{})
	go func() {
		defer close(loadDone)
		service.GenerateLoad(loadCtx, "http://"+listener.Addr().String(), svc.Routes(), opts.loadRPS)
	}()

	select {
	case <-ctx.Done():
		log.Printf("stopping")
	case err := <-served:
		stopLoad()
		<-loadDone
		return fmt.Errorf("server stopped: %w", err)
	}
	stopLoad()
	<-loadDone
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	serverErr := server.Shutdown(shutdownCtx)
	return errors.Join(serverErr, svc.Shutdown(shutdownCtx))
}
