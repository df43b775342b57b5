//go:build integration

package integration

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// directParca calls Parca's query API with no plugin in between: the baseline the plugin's
// overhead is measured against.
type directParca struct {
	query      *connect.Client[pb.QueryRequest, pb.QueryResponse]
	queryRange *connect.Client[pb.QueryRangeRequest, pb.QueryRangeResponse]
	labels     *connect.Client[pb.LabelsRequest, pb.LabelsResponse]
}

func newDirectParca(url string) *directParca {
	const svc = "/parca.query.v1alpha1.QueryService/"
	return &directParca{
		query:      connect.NewClient[pb.QueryRequest, pb.QueryResponse](http.DefaultClient, url+svc+"Query", connect.WithGRPCWeb()),
		queryRange: connect.NewClient[pb.QueryRangeRequest, pb.QueryRangeResponse](http.DefaultClient, url+svc+"QueryRange", connect.WithGRPCWeb()),
		labels:     connect.NewClient[pb.LabelsRequest, pb.LabelsResponse](http.DefaultClient, url+svc+"Labels", connect.WithGRPCWeb()),
	}
}

func (d *directParca) merge(b *testing.B, query string, from, to time.Time, report pb.QueryRequest_ReportType, trim float32) {
	req := &pb.QueryRequest{Mode: pb.QueryRequest_MODE_MERGE, ReportType: report,
		Options: &pb.QueryRequest_Merge{Merge: &pb.MergeProfile{Query: query, Start: timestamppb.New(from), End: timestamppb.New(to)}}}
	if report == pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW {
		req.NodeTrimThreshold = &trim
	}
	if _, err := d.query.CallUnary(context.Background(), connect.NewRequest(req)); err != nil {
		b.Fatal(err)
	}
}

func (d *directParca) rangeQuery(b *testing.B, query string, from, to time.Time, step time.Duration, sumBy []string) {
	if err := d.tryRangeQuery(query, from, to, step, sumBy); err != nil {
		b.Fatal(err)
	}
}

func (d *directParca) tryRangeQuery(query string, from, to time.Time, step time.Duration, sumBy []string) error {
	req := &pb.QueryRangeRequest{Query: query, Start: timestamppb.New(from), End: timestamppb.New(to), Step: durationpb.New(step), SumBy: sumBy}
	_, err := d.queryRange.CallUnary(context.Background(), connect.NewRequest(req))
	return err
}

// labelNames lists the label names under the matchers, as the plugin's label-names resource does.
func (d *directParca) labelNames(b *testing.B, profileType string, matchers []string, from, to time.Time) {
	req := &pb.LabelsRequest{ProfileType: &profileType, Match: matchers, Start: timestamppb.New(from), End: timestamppb.New(to)}
	if _, err := d.labels.CallUnary(context.Background(), connect.NewRequest(req)); err != nil {
		b.Fatal(err)
	}
}

// coverage makes the Parca calls of the plugin's coverage query (pkg/plugin/coverage.go) for
// the selector's matchers (e.g. `job="x"`), in the same way: the linked and unlinked sums at
// once, then the unlinked top functions and stacks one after the other.
func (d *directParca) coverage(b *testing.B, matchers string, from, to time.Time, step time.Duration, trim float32) {
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, m := range []string{`trace_id!=""`, `trace_id=""`} {
		wg.Go(func() { errs[i] = d.tryRangeQuery(cpuID+"{"+matchers+","+m+"}", from, to, step, nil) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			b.Fatal(err) // here: Fatal must run on the benchmark's goroutine, not the ones above
		}
	}
	unlinked := cpuID + "{" + matchers + `,trace_id=""}`
	d.merge(b, unlinked, from, to, pb.QueryRequest_REPORT_TYPE_TABLE_ARROW, 0)
	d.merge(b, unlinked, from, to, pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW, trim)
}

// timePair times plugin and direct once per b.Loop iteration, alternating their order (ABBA)
// so neither side always runs on a warmer Parca, and returns the medians.
func timePair(b *testing.B, plugin, direct func()) (viaPlugin, viaDirect time.Duration) {
	var pl, d []time.Duration
	timed := func(f func(), into *[]time.Duration) {
		start := time.Now()
		f()
		*into = append(*into, time.Since(start))
	}
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			timed(direct, &d)
			timed(plugin, &pl)
		} else {
			timed(plugin, &pl)
			timed(direct, &d)
		}
	}
	return median(pl), median(d)
}

// overheadCase is one query sent through the plugin and, the same request(s), straight to Parca.
type overheadCase struct {
	name      string
	queryType string
	model     map[string]any
	direct    func(b *testing.B, d *directParca, from, to time.Time)
}

// BenchmarkPluginOverhead times each query type end to end through the plugin protocol and the
// same Parca calls made directly, alternating the two in one run so both see the same load,
// and reports both and the plugin's overhead in percent.
func BenchmarkPluginOverhead(b *testing.B) {
	s := loadStack(b)
	p := servePlugin(b, s.parcaURL)
	direct := newDirectParca(s.parcaURL)
	to := s.settled()
	from := to.Add(-5 * time.Minute)
	const sel = `{service_name="checkout"}`
	q := cpuID + sel
	cases := []overheadCase{
		{"profile", "profile", map[string]any{"profileType": cpuID, "labelSelector": sel},
			func(b *testing.B, d *directParca, from, to time.Time) {
				d.merge(b, q, from, to, pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW, 0.1)
			}},
		{"profile-untrimmed", "profile", map[string]any{"profileType": cpuID, "labelSelector": sel, "nodeTrimThreshold": 0},
			func(b *testing.B, d *directParca, from, to time.Time) {
				d.merge(b, q, from, to, pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW, 0)
			}},
		{"table", "table", map[string]any{"profileType": cpuID, "labelSelector": sel},
			func(b *testing.B, d *directParca, from, to time.Time) {
				d.merge(b, q, from, to, pb.QueryRequest_REPORT_TYPE_TABLE_ARROW, 0)
			}},
		{"metrics", "metrics", map[string]any{"profileType": cpuID, "groupBy": []string{"service_name"}},
			func(b *testing.B, d *directParca, from, to time.Time) {
				d.rangeQuery(b, cpuID+"{}", from, to, time.Second, []string{"service_name"})
			}},
		{"coverage", "coverage", map[string]any{"profileType": cpuID, "labelSelector": sel},
			func(b *testing.B, d *directParca, from, to time.Time) {
				d.coverage(b, `service_name="checkout"`, from, to, time.Second, 0.1)
			}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			pl, d := timePair(b,
				func() { mustOK(b, p.query(b, c.queryType, c.model, from, to, nil)) },
				func() { c.direct(b, direct, from, to) })
			b.ReportMetric(float64(d.Microseconds())/1000, "direct-ms")
			b.ReportMetric(float64(pl.Microseconds())/1000, "plugin-ms")
			b.ReportMetric(100*(float64(pl)-float64(d))/float64(d), "overhead-%")
		})
	}
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sorted := append([]time.Duration(nil), ds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	return sorted[len(sorted)/2]
}
