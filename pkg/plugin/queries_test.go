package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"slices"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	profilestorepb "github.com/parca-dev/parca/gen/proto/go/parca/profilestore/v1alpha1"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/spanflame/spanflame/pkg/report/reporttest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const cpuID = "process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta"

var (
	t0 = time.Date(2026, 11, 21, 10, 0, 0, 250_000_000, time.UTC)
	t1 = t0.Add(120 * time.Millisecond)
)

func flameAnswer(t *testing.T, nodes []reporttest.Node, trimmed int64) func(*pb.QueryRequest) (*pb.QueryResponse, error) {
	t.Helper()
	record, err := reporttest.FlameRecord(nodes, reporttest.Widths{Value: arrow.PrimitiveTypes.Uint16, Diff: arrow.PrimitiveTypes.Int16, Index: arrow.PrimitiveTypes.Uint8, LZ4: true})
	if err != nil {
		t.Fatal(err)
	}
	return func(*pb.QueryRequest) (*pb.QueryResponse, error) {
		return &pb.QueryResponse{Total: nodes[0].Cumulative, Report: &pb.QueryResponse_FlamegraphArrow{
			FlamegraphArrow: &pb.FlamegraphArrow{Record: record, Unit: "nanoseconds", Trimmed: trimmed}}}, nil
	}
}

func demoTree() []reporttest.Node {
	return []reporttest.Node{
		{Cumulative: 1000, Diff: 400, Children: []uint32{1, 2}},
		{Function: "main.main", Mapping: "/bin/shop", Cumulative: 700, Flat: 100, Diff: 300, Children: []uint32{3}},
		{Function: "runtime.gcBgMarkWorker", Mapping: "/bin/shop", Cumulative: 300, Flat: 300, Diff: 100},
		{Function: "shop/checkout.(*Service).PlaceOrder", Mapping: "/bin/shop", Cumulative: 600, Flat: 600, Diff: 0},
	}
}

func TestProfileQuery(t *testing.T) {
	f := &fakeParca{}
	f.onQuery = flameAnswer(t, demoTree(), 25)
	d := f.start(t, "")
	model := `{"profileType":"` + cpuID + `","labelSelector":"{service_name=\"check\\\"out\"}","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","functionFilter":"checkout","binaryFilter":"!libc","groupBy":["service_name"],"nodeTrimThreshold":0.5}`
	dr := runQuery(t, d, "profile", model, t0, t1, nil)
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	experimental.CheckGoldenJSONResponse(t, "testdata", "profile_fake", &dr, *update)

	req := f.queries[0]
	merge := req.GetMerge()
	if !merge.GetStart().AsTime().Equal(t0) || !merge.GetEnd().AsTime().Equal(t1) {
		t.Fatalf("sent %v..%v, want the exact %v..%v", merge.GetStart().AsTime(), merge.GetEnd().AsTime(), t0, t1)
	}
	wantQuery := cpuID + `{service_name="check\"out",trace_id="4bf92f3577b34da6a3ce929d0e0e4736"}`
	if merge.GetQuery() != wantQuery {
		t.Fatalf("query = %s, want %s", merge.GetQuery(), wantQuery)
	}
	if req.GetNodeTrimThreshold() != 0.5 || strings.Join(req.GetGroupBy().GetFields(), ",") != "labels.service_name" {
		t.Fatalf("trim %v group by %v", req.GetNodeTrimThreshold(), req.GetGroupBy().GetFields())
	}
	if len(req.GetFilter()) != 2 || req.GetFilter()[0].GetStackFilter().GetCriteria().GetFunctionName().GetContains() != "checkout" ||
		req.GetFilter()[1].GetFrameFilter().GetCriteria().GetBinary().GetNotContains() != "libc" {
		t.Fatalf("filters = %v", req.GetFilter())
	}
}

func TestProfileQueryNoData(t *testing.T) {
	f := &fakeParca{}
	f.onQuery = func(*pb.QueryRequest) (*pb.QueryResponse, error) {
		return &pb.QueryResponse{Report: &pb.QueryResponse_FlamegraphArrow{FlamegraphArrow: &pb.FlamegraphArrow{}}}, nil
	}
	d := f.start(t, "")
	dr := runQuery(t, d, "profile", `{"profileType":"`+cpuID+`"}`, t0, t1, nil)
	if dr.Error != nil {
		t.Fatalf("no data became an error: %v", dr.Error)
	}
	frame := dr.Frames[0]
	if frame.Rows() != 0 || len(frame.Meta.Notices) == 0 || !strings.Contains(frame.Meta.Notices[0].Text, "No samples") {
		t.Fatalf("frame = %d rows, notices %+v", frame.Rows(), frame.Meta.Notices)
	}

	dr = runQuery(t, d, "profile", `{"profileType":"memory:alloc_space:bytes:space:bytes"}`, t0, t1, nil)
	if dr.Error == nil || !strings.Contains(dr.Error.Error(), "available: "+cpuID) || dr.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("unknown profile type: %v (%s)", dr.Error, dr.ErrorSource)
	}
}

func TestBadInputIsDownstream(t *testing.T) {
	d := (&fakeParca{}).start(t, "")
	for name, tc := range map[string]struct{ qt, model, want string }{
		"selector": {"profile", `{"profileType":"` + cpuID + `","labelSelector":"{a=b}"}`, `at "b"`},
		"trace id": {"table", `{"profileType":"` + cpuID + `","traceId":"xyz"}`, "32 hexadecimal"},
		"type":     {"flame", `{"profileType":"` + cpuID + `"}`, "unknown query type"},
	} {
		t.Run(name, func(t *testing.T) {
			dr := runQuery(t, d, tc.qt, tc.model, t0, t1, nil)
			if dr.Error == nil || !strings.Contains(dr.Error.Error(), tc.want) || dr.Status != backend.StatusBadRequest || dr.ErrorSource != backend.ErrorSourceDownstream {
				t.Fatalf("got %v, status %d, source %q", dr.Error, dr.Status, dr.ErrorSource)
			}
		})
	}
	dr := runQuery(t, d, "profile", `{"profileType":"`+cpuID+`"}`, t1, t0, nil)
	if dr.Error == nil || !strings.Contains(dr.Error.Error(), "inverted") {
		t.Fatalf("inverted range: %v", dr.Error)
	}
}

func TestQueryTypeFromJSONWhenRequestHasNone(t *testing.T) {
	f := &fakeParca{}
	d := f.start(t, "")
	dr := runQuery(t, d, "", `{"queryType":"metrics","profileType":"`+cpuID+`"}`, t0, t0.Add(time.Hour), nil)
	if dr.Error != nil || len(f.ranges) != 1 {
		t.Fatalf("error %v, QueryRange calls %d", dr.Error, len(f.ranges))
	}
}

func TestMetricsQuery(t *testing.T) {
	f := &fakeParca{}
	f.onRange = func(req *pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) {
		series := func(service string, values ...int64) *pb.MetricsSeries {
			s := &pb.MetricsSeries{Labelset: &profilestorepb.LabelSet{Labels: []*profilestorepb.Label{{Name: "service_name", Value: service}}}}
			for i, v := range values {
				s.Samples = append(s.Samples, &pb.MetricsSample{Timestamp: timestamppb.New(t0.Add(time.Duration(i) * 10 * time.Second)), Value: v})
			}
			return s
		}
		return &pb.QueryRangeResponse{Series: []*pb.MetricsSeries{series("payments", 5, 6), series("checkout", 1, 2, 3)}}, nil
	}
	d := f.start(t, "")
	dr := runQuery(t, d, "metrics", `{"profileType":"`+cpuID+`","groupBy":["service_name"]}`, t0, t0.Add(time.Hour), nil)
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	experimental.CheckGoldenJSONResponse(t, "testdata", "metrics_fake", &dr, *update)
	if got := f.ranges[0].GetSumBy(); len(got) != 1 || got[0] != "service_name" {
		t.Fatalf("sum_by = %v", got)
	}
	// One hour at 1000 points at most: the 1 s interval widens to 3.6 s.
	if step := f.ranges[0].GetStep().AsDuration(); step != 3600*time.Millisecond {
		t.Fatalf("step = %v", step)
	}
}

func TestTableQuery(t *testing.T) {
	f := &fakeParca{}
	record, err := reporttest.TableRecord([]reporttest.TableRow{
		{Function: "main.slow", File: "main.go", Mapping: "/bin/shop", Flat: 50, Cumulative: 80},
		{Function: "main.fast", File: "main.go", Mapping: "/bin/shop", Flat: 5, Cumulative: 5},
		{Function: "main.main", File: "main.go", Mapping: "/bin/shop", Flat: 1, Cumulative: 86},
	}, reporttest.Typical)
	if err != nil {
		t.Fatal(err)
	}
	f.onQuery = func(*pb.QueryRequest) (*pb.QueryResponse, error) {
		return &pb.QueryResponse{Total: 86, Report: &pb.QueryResponse_TableArrow{TableArrow: &pb.TableArrow{Record: record, Unit: "nanoseconds"}}}, nil
	}
	d := f.start(t, "")
	dr := runQuery(t, d, "table", `{"profileType":"`+cpuID+`","limit":2}`, t0, t1, nil)
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	experimental.CheckGoldenJSONResponse(t, "testdata", "table_fake", &dr, *update)
}

func TestDiffQuery(t *testing.T) {
	// The baseline (no trace id) is demoTree; the compared side ran only PlaceOrder, for
	// 3,000,000,000 ns: a change wider than 32 bits, which Parca's own diff report wraps.
	baseline := flameAnswer(t, demoTree(), 0)
	compared := flameAnswer(t, []reporttest.Node{
		{Cumulative: 900, Children: []uint32{1}},
		{Function: "main.main", Mapping: "/bin/shop", Cumulative: 900, Children: []uint32{2}},
		{Function: "shop/checkout.(*Service).PlaceOrder", Mapping: "/bin/shop", Cumulative: 900, Flat: 900},
	}, 0)
	f := &fakeParca{}
	f.onQuery = func(req *pb.QueryRequest) (*pb.QueryResponse, error) {
		if strings.Contains(req.GetMerge().GetQuery(), "trace_id=") {
			return compared(req)
		}
		return baseline(req)
	}
	d := f.start(t, "")
	model := `{"profileType":"` + cpuID + `","labelSelector":"{service_name=\"checkout\"}","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","groupBy":["service_name"],"baseline":{"mode":"offset","offset":"1h"}}`
	dr := runQuery(t, d, "diff", model, t0, t1, nil)
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	experimental.CheckGoldenJSONResponse(t, "testdata", "diff_fake", &dr, *update)
	if len(f.queries) != 2 {
		t.Fatalf("want one merge query per side, got %d queries", len(f.queries))
	}
	a, b := f.queries[0].GetMerge(), f.queries[1].GetMerge()
	if a.GetQuery() != cpuID+`{service_name="checkout"}` || !a.GetStart().AsTime().Equal(t0.Add(-time.Hour)) {
		t.Fatalf("baseline side = %v", a)
	}
	if !strings.Contains(b.GetQuery(), "trace_id=") || !b.GetEnd().AsTime().Equal(t1) {
		t.Fatalf("compared side = %v", b)
	}
	for _, q := range f.queries {
		if q.GetGroupBy() != nil {
			t.Fatalf("a diff side was grouped: %v", q.GetGroupBy())
		}
	}
}

func coverageFake(t *testing.T) *fakeParca {
	f := &fakeParca{}
	f.onRange = func(req *pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) {
		linked := strings.Contains(req.GetQuery(), `trace_id!=""`)
		values := []int64{30, 10}
		if linked {
			values = []int64{70, 40}
		}
		s := &pb.MetricsSeries{}
		for i, v := range values {
			s.Samples = append(s.Samples, &pb.MetricsSample{Timestamp: timestamppb.New(t0.Add(time.Duration(i) * 10 * time.Second)), Value: v})
		}
		return &pb.QueryRangeResponse{Series: []*pb.MetricsSeries{s}}, nil
	}
	// The unlinked side: a worker that only ever runs unlinked, a handler that mostly runs
	// under a trace and the runtime; the linked side has the handler and the runtime.
	unlinkedTable, err := reporttest.TableRecord([]reporttest.TableRow{
		{Function: "shop.handler", Mapping: "/bin/shop", Flat: 10, Cumulative: 50},
		{Function: "shop.worker", Mapping: "/bin/shop", Flat: 40, Cumulative: 40},
		{Function: "runtime.mallocgc", Mapping: "/bin/shop", Flat: 30, Cumulative: 30},
	}, reporttest.Typical)
	if err != nil {
		t.Fatal(err)
	}
	linkedTable, err := reporttest.TableRecord([]reporttest.TableRow{
		{Function: "shop.handler", Mapping: "/bin/shop", Flat: 20, Cumulative: 200},
		{Function: "runtime.mallocgc", Mapping: "/bin/shop", Flat: 90, Cumulative: 90},
	}, reporttest.Typical)
	if err != nil {
		t.Fatal(err)
	}
	flame := flameAnswer(t, demoTree(), 0)
	f.onQuery = func(req *pb.QueryRequest) (*pb.QueryResponse, error) {
		if req.GetReportType() == pb.QueryRequest_REPORT_TYPE_TABLE_ARROW {
			table := unlinkedTable
			if strings.Contains(req.GetMerge().GetQuery(), `trace_id!=""`) {
				table = linkedTable
			}
			return &pb.QueryResponse{Total: 40, Report: &pb.QueryResponse_TableArrow{TableArrow: &pb.TableArrow{Record: table}}}, nil
		}
		return flame(req)
	}
	return f
}

func TestCoverageQuery(t *testing.T) {
	f := coverageFake(t)
	d := f.start(t, "")
	dr := runQuery(t, d, "coverage", `{"profileType":"`+cpuID+`","labelSelector":"{service_name=\"checkout\"}"}`, t0, t0.Add(time.Minute), nil)
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	experimental.CheckGoldenJSONResponse(t, "testdata", "coverage_fake", &dr, *update)
	// 40 unlinked of 150.
	share, _ := dr.Frames[1].FloatAt(0, 0)
	if share < 26.66 || share > 26.67 {
		t.Fatalf("share = %v, want 26.67", share)
	}
	for _, r := range f.ranges {
		if len(r.GetSumBy()) != 0 || strings.Contains(r.GetQuery(), "=~") {
			t.Fatalf("coverage must split with null checks, never group or regexp: %s sum_by %v", r.GetQuery(), r.GetSumBy())
		}
	}
	var tables []string
	for _, q := range f.queries {
		if q.GetReportType() == pb.QueryRequest_REPORT_TYPE_TABLE_ARROW {
			tables = append(tables, q.GetMerge().GetQuery())
		}
	}
	slices.Sort(tables)
	if len(tables) != 2 || !strings.HasSuffix(tables[0], `{service_name="checkout",trace_id!=""}`) ||
		!strings.HasSuffix(tables[1], `{service_name="checkout",trace_id=""}`) {
		t.Fatalf("function tables asked = %q, want the linked and the unlinked side", tables)
	}
	// The worker (all of it unlinked) explains more than the handler, which has more unlinked
	// CPU but runs under a trace four times out of five; the runtime explains least.
	top := dr.Frames[2]
	var order []string
	for i := range top.Rows() {
		order = append(order, top.Fields[1].At(i).(string))
	}
	if want := []string{"shop.worker", "shop.handler", "runtime.mallocgc"}; !slices.Equal(order, want) {
		t.Fatalf("functions ranked %v, want %v", order, want)
	}
}

// TestCoverageForAlerting: from an alert rule the answer is one numeric frame that Grafana's
// expression engine turns into a number (one numeric field, no time field).
func TestCoverageForAlerting(t *testing.T) {
	d := coverageFake(t).start(t, "")
	dr := runQuery(t, d, "coverage", `{"profileType":"`+cpuID+`"}`, t0, t0.Add(time.Minute), map[string]string{"FromAlert": "true"})
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	if len(dr.Frames) != 1 || len(dr.Frames[0].Fields) != 1 || dr.Frames[0].Fields[0].Type() != data.FieldTypeFloat64 || dr.Frames[0].Rows() != 1 {
		t.Fatalf("alert answer = %d frames, first %+v", len(dr.Frames), dr.Frames[0])
	}
	if schema := dr.Frames[0].TimeSeriesSchema(); schema.Type != data.TimeSeriesTypeNot {
		t.Fatalf("share frame looks like a time series to alerting: %v", schema.Type)
	}
}

func TestParcaDownIsDownstreamWithinTimeout(t *testing.T) {
	f := &fakeParca{delay: 5 * time.Second}
	d := f.start(t, `{"timeoutSeconds":0.3}`)
	started := time.Now()
	dr := runQuery(t, d, "profile", `{"profileType":"`+cpuID+`"}`, t0, t1, nil)
	if elapsed := time.Since(started); elapsed > 2*time.Second {
		t.Fatalf("took %v with a 300 ms timeout", elapsed)
	}
	if dr.Error == nil || !strings.Contains(dr.Error.Error(), "ran out of the datasource timeout of 300ms at step 1") ||
		!strings.Contains(dr.Error.Error(), "Query (REPORT_TYPE_FLAMEGRAPH_ARROW)") || dr.ErrorSource != backend.ErrorSourceDownstream || dr.Status != backend.StatusTimeout {
		t.Fatalf("got %v (%s, %d)", dr.Error, dr.ErrorSource, dr.Status)
	}

	closed := newTestDatasource(t, "http://127.0.0.1:1", "")
	dr = runQuery(t, closed, "metrics", `{"profileType":"`+cpuID+`"}`, t0, t1, nil)
	if dr.Error == nil || !strings.Contains(dr.Error.Error(), "cannot reach Parca") || dr.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("got %v (%s)", dr.Error, dr.ErrorSource)
	}
}

// TestCancellationIsHonoured: a caller that goes away stops the query at once, and gets the
// cancellation as the request's error, which the SDK logs as "cancelled" (an answer with an
// error it would log at ERROR, for a request nobody reads any more).
func TestCancellationIsHonoured(t *testing.T) {
	f := &fakeParca{delay: 10 * time.Second}
	d := f.start(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	started := time.Now()
	resp, err := d.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", QueryType: "table", JSON: json.RawMessage(`{"profileType":"` + cpuID + `"}`),
		TimeRange: backend.TimeRange{From: t0, To: t1},
	}}})
	if elapsed := time.Since(started); elapsed > 2*time.Second {
		t.Fatalf("cancelled query ran for %v", elapsed)
	}
	if !errors.Is(err, context.Canceled) || resp != nil {
		t.Fatalf("got %v, %v; want no answer and the cancellation", resp, err)
	}
	if status := backend.RequestStatusFromQueryDataResponse(resp, err); status != backend.RequestStatusCancelled {
		t.Fatalf("the SDK would record the request as %s", status)
	}
}

func TestParcaRejectsQuery(t *testing.T) {
	f := &fakeParca{}
	f.onQuery = func(*pb.QueryRequest) (*pb.QueryResponse, error) {
		return nil, connect.NewError(connect.CodeInvalidArgument, errString("invalid group by field"))
	}
	d := f.start(t, "")
	dr := runQuery(t, d, "profile", `{"profileType":"`+cpuID+`"}`, t0, t1, nil)
	if dr.Error == nil || !strings.Contains(dr.Error.Error(), "Parca rejected the query: invalid group by field") || dr.Status != backend.StatusBadRequest {
		t.Fatalf("got %v (%d)", dr.Error, dr.Status)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// TestCoveragePerService: with group-by, the share comes per label set, as a number table
// (string label fields and one numeric field) that alerting turns into one number per service.
func TestCoveragePerService(t *testing.T) {
	f := &fakeParca{}
	f.onRange = func(req *pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) {
		linked := strings.Contains(req.GetQuery(), `trace_id!=""`)
		var out []*pb.MetricsSeries
		for service, values := range map[string][2]int64{"checkout": {60, 40}, "payments": {90, 10}} {
			v := values[1]
			if linked {
				v = values[0]
			}
			out = append(out, &pb.MetricsSeries{
				Labelset: &profilestorepb.LabelSet{Labels: []*profilestorepb.Label{{Name: "service_name", Value: service}}},
				Samples:  []*pb.MetricsSample{{Timestamp: timestamppb.New(t0), Value: v}},
			})
		}
		return &pb.QueryRangeResponse{Series: out}, nil
	}
	d := f.start(t, "")
	dr := runQuery(t, d, "coverage", `{"profileType":"`+cpuID+`","groupBy":["service_name"]}`, t0, t0.Add(time.Minute), map[string]string{"FromAlert": "true"})
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	if got := f.ranges[0].GetSumBy(); len(got) != 1 || got[0] != "service_name" {
		t.Fatalf("sum_by = %v", got)
	}
	share := dr.Frames[0]
	if len(dr.Frames) != 1 || share.Rows() != 2 || len(share.Fields) != 2 {
		t.Fatalf("alert answer: %d frames, %d rows, %d fields", len(dr.Frames), share.Rows(), len(share.Fields))
	}
	for i, want := range map[int][2]any{0: {"checkout", 40.0}, 1: {"payments", 10.0}} {
		if share.Fields[0].At(i) != want[0] || share.Fields[1].At(i) != want[1] {
			t.Fatalf("row %d = %v %v, want %v", i, share.Fields[0].At(i), share.Fields[1].At(i), want)
		}
	}
}

// TestIgnoredOptionsAreSaid: an option a query type cannot apply is named in a notice.
func TestIgnoredOptionsAreSaid(t *testing.T) {
	f := &fakeParca{}
	f.onRange = func(*pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) {
		return &pb.QueryRangeResponse{Series: []*pb.MetricsSeries{{Samples: []*pb.MetricsSample{{Timestamp: timestamppb.New(t0), Value: 1}}}}}, nil
	}
	d := f.start(t, "")
	dr := runQuery(t, d, "metrics", `{"profileType":"`+cpuID+`","functionFilter":"main."}`, t0, t0.Add(time.Minute), nil)
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	notices := dr.Frames[0].Meta.Notices
	if len(notices) != 1 || !strings.Contains(notices[0].Text, "filters") || notices[0].Severity != data.NoticeSeverityWarning {
		t.Fatalf("notices = %+v", notices)
	}
}
