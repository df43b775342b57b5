//go:build integration

package integration

import (
	"context"
	"net/http"
	"sort"
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
}

func newDirectParca(url string) *directParca {
	const svc = "/parca.query.v1alpha1.QueryService/"
	return &directParca{
		query:      connect.NewClient[pb.QueryRequest, pb.QueryResponse](http.DefaultClient, url+svc+"Query", connect.WithGRPCWeb()),
		queryRange: connect.NewClient[pb.QueryRangeRequest, pb.QueryRangeResponse](http.DefaultClient, url+svc+"QueryRange", connect.WithGRPCWeb()),
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
	req := &pb.QueryRangeRequest{Query: query, Start: timestamppb.New(from), End: timestamppb.New(to), Step: durationpb.New(step), SumBy: sumBy}
	if _, err := d.queryRange.CallUnary(context.Background(), connect.NewRequest(req)); err != nil {
		b.Fatal(err)
	}
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
				d.rangeQuery(b, cpuID+`{service_name="checkout",trace_id!=""}`, from, to, time.Second, nil)
				d.rangeQuery(b, cpuID+`{service_name="checkout",trace_id=""}`, from, to, time.Second, nil)
				d.merge(b, cpuID+`{service_name="checkout",trace_id=""}`, from, to, pb.QueryRequest_REPORT_TYPE_TABLE_ARROW, 0)
				d.merge(b, cpuID+`{service_name="checkout",trace_id=""}`, from, to, pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW, 0.1)
			}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var viaPlugin, viaDirect []time.Duration
			timeDirect := func() {
				start := time.Now()
				c.direct(b, direct, from, to)
				viaDirect = append(viaDirect, time.Since(start))
			}
			timePlugin := func() {
				start := time.Now()
				mustOK(b, p.query(b, c.queryType, c.model, from, to, nil))
				viaPlugin = append(viaPlugin, time.Since(start))
			}
			// Alternate the order (ABBA) so neither side always runs on a warmer Parca.
			for i := 0; b.Loop(); i++ {
				if i%2 == 0 {
					timeDirect()
					timePlugin()
				} else {
					timePlugin()
					timeDirect()
				}
			}
			d, pl := median(viaDirect), median(viaPlugin)
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
