package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/spanflame/spanflame/demo/shop/internal/service"
)

// options are the parsed and checked command-line flags.
type options struct {
	service        string
	listen         string
	downstream     string
	groundTruthDir string
	unlinkedShare  float64
	loadRPS        float64
	workPerHop     time.Duration
	errorShare     float64
	slowShare      float64
	workers        int
	rpcMetrics     string
}

// errUsage marks a bad command line: the process exits with status 2.
var errUsage = errors.New("usage")

// parseFlags parses args (without the program name). Problems are printed to
// stderr and returned wrapped in errUsage.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var workMillis float64
	fs := flag.NewFlagSet("shop", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.service, "service", "", "which service to run: "+strings.Join(service.Services, ", "))
	fs.StringVar(&o.listen, "listen", "", "host:port to serve on, e.g. 127.0.0.1:18081")
	fs.StringVar(&o.downstream, "downstream", "", "base URL of the next service (frontend -> checkout -> payments); not for payments")
	fs.StringVar(&o.groundTruthDir, "ground-truth", "", "directory for <service>.spans.jsonl and <service>.meta.json; none written if empty")
	fs.Float64Var(&o.unlinkedShare, "unlinked-share", 0.3, "share of the process's CPU that runs without pprof trace labels, 0 to 0.9")
	fs.Float64Var(&o.loadRPS, "load-rps", 0, "if > 0, also send this many requests per second to the own routes")
	fs.Float64Var(&workMillis, "work-ms", 20, "CPU milliseconds per request per service, labeled and unlinked together, 1 to 1000")
	fs.Float64Var(&o.errorShare, "error-share", 0.03, "share of requests a failing route fails (HTTP 503, or its gRPC error code), 0 to 1")
	fs.Float64Var(&o.slowShare, "slow-share", 0.05, "share of requests a slow route makes slow (200-500 ms more, computing or waiting), 0 to 1")
	fs.StringVar(&o.rpcMetrics, "rpc-metrics", "", "generation of Beyla's gRPC server metrics to emit: "+
		strings.Join(service.RPCMetricsGenerations, " or ")+"; default: "+service.RPCMetricsLegacy+" for checkout, "+service.RPCMetricsCurrent+" for payments")
	fs.IntVar(&o.workers, "workers", 4, "goroutines of the unlinked worker pool, 1 to 256")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: shop -service NAME -listen HOST:PORT [-downstream URL] [-ground-truth DIR] [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("%w: %w", errUsage, err) // flag has printed the problem and the usage
	}
	o.workPerHop = time.Duration(workMillis * float64(time.Millisecond))
	if err := o.check(fs.Args(), workMillis); err != nil {
		fmt.Fprintf(stderr, "shop: %v\n", err)
		fmt.Fprintln(stderr, "Run shop -h for the flags.")
		return o, fmt.Errorf("%w: %w", errUsage, err)
	}
	return o, nil
}

func (o options) check(extraArgs []string, workMillis float64) error {
	if len(extraArgs) > 0 {
		return fmt.Errorf("unexpected arguments %q", extraArgs)
	}
	if !slices.Contains(service.Services, o.service) {
		return fmt.Errorf("-service must be one of %s, not %q", strings.Join(service.Services, ", "), o.service)
	}
	if _, _, err := net.SplitHostPort(o.listen); err != nil {
		return fmt.Errorf("-listen must be host:port, not %q", o.listen)
	}
	if service.HasDownstream(o.service) {
		u, err := url.Parse(o.downstream)
		if o.downstream == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("-downstream must be the next service's base URL (http://host:port) for %s, not %q", o.service, o.downstream)
		}
	} else if o.downstream != "" {
		return fmt.Errorf("%s calls no other service: drop -downstream", o.service)
	}
	switch {
	case !(o.unlinkedShare >= 0 && o.unlinkedShare <= 0.9):
		return fmt.Errorf("-unlinked-share must be between 0 and 0.9, not %v", o.unlinkedShare)
	case !(o.loadRPS >= 0 && o.loadRPS <= 1000):
		return fmt.Errorf("-load-rps must be between 0 and 1000, not %v", o.loadRPS)
	case !(workMillis >= 1 && workMillis <= 1000):
		return fmt.Errorf("-work-ms must be between 1 and 1000, not %v", workMillis)
	case !(o.errorShare >= 0 && o.errorShare <= 1):
		return fmt.Errorf("-error-share must be between 0 and 1, not %v", o.errorShare)
	case !(o.slowShare >= 0 && o.slowShare <= 1):
		return fmt.Errorf("-slow-share must be between 0 and 1, not %v", o.slowShare)
	case o.workers < 1 || o.workers > 256:
		return fmt.Errorf("-workers must be between 1 and 256, not %d", o.workers)
	case o.rpcMetrics != "" && !slices.Contains(service.RPCMetricsGenerations, o.rpcMetrics):
		return fmt.Errorf("-rpc-metrics must be %s, not %q", strings.Join(service.RPCMetricsGenerations, " or "), o.rpcMetrics)
	case o.rpcMetrics != "" && !service.ServesGRPC(o.service):
		return fmt.Errorf("%s serves no gRPC: drop -rpc-metrics", o.service)
	}
	return nil
}
