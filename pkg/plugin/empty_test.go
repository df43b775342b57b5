package plugin

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// parcaNoData is what Parca v0.28.0 answers a Query or QueryRange that matches nothing.
func parcaNoData() error {
	return connect.NewError(connect.CodeNotFound, errString("No data found for the query"))
}

// noDataParca answers every Query and QueryRange as Parca does when nothing matches.
func noDataParca(t *testing.T) *Datasource {
	f := &fakeParca{}
	f.onQuery = func(*pb.QueryRequest) (*pb.QueryResponse, error) { return nil, parcaNoData() }
	f.onRange = func(*pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) { return nil, parcaNoData() }
	return f.start(t, "")
}

// allQueryTypes carries what every query type needs (diff: a baseline).
var allQueryTypes = []string{"profile", "metrics", "table", "diff", "coverage"}

func modelFor(profileType string) string {
	return `{"profileType":"` + profileType + `","labelSelector":"{service_name=\"nothing\"}","baseline":{"mode":"offset","offset":"1h"}}`
}

// TestEmptyAnswerIsAFramelessNotice: whichever way Parca says "nothing" (NotFound or an empty
// report), every query type answers one frame without fields that carries the notice: what
// Grafana shows as "No data" (a flame graph frame without rows makes its flame graph throw).
func TestEmptyAnswerIsAFramelessNotice(t *testing.T) {
	d := noDataParca(t)
	for _, queryType := range allQueryTypes {
		t.Run(queryType, func(t *testing.T) {
			dr := runQuery(t, d, queryType, modelFor(cpuID), t0, t0.Add(time.Minute), nil)
			if dr.Error != nil {
				t.Fatalf("an empty answer became an error: %v (status %d)", dr.Error, dr.Status)
			}
			frame := dr.Frames[0]
			if len(dr.Frames) != 1 || len(frame.Fields) != 0 || frame.Meta == nil || len(frame.Meta.Notices) == 0 {
				t.Fatalf("%d frames, first with %d fields and meta %+v", len(dr.Frames), len(frame.Fields), frame.Meta)
			}
			if text := frame.Meta.Notices[0].Text; !strings.Contains(text, `service_name="nothing"`) || !strings.Contains(text, "No samples") {
				t.Fatalf("notice = %q", text)
			}
		})
	}
}

// TestUnknownProfileTypeIsNamedByEveryQueryType: Parca answers an unknown type as "no data";
// every query type turns that into an error naming the type and the available ones.
func TestUnknownProfileTypeIsNamedByEveryQueryType(t *testing.T) {
	d := noDataParca(t)
	for _, queryType := range allQueryTypes {
		t.Run(queryType, func(t *testing.T) {
			dr := runQuery(t, d, queryType, modelFor("memory:alloc_space:bytes:space:bytes"), t0, t0.Add(time.Minute), nil)
			if dr.Error == nil || !strings.Contains(dr.Error.Error(), `"memory:alloc_space:bytes:space:bytes" is unknown`) ||
				!strings.Contains(dr.Error.Error(), "available: "+cpuID) || dr.Status != backend.StatusBadRequest {
				t.Fatalf("got %v (status %d)", dr.Error, dr.Status)
			}
		})
	}
}

// TestRangeWithoutAnyProfilesIsEmpty: a range where Parca holds no profiles of any type (a
// shared link moved back before the agent ran) is an empty answer with its notice for every
// query type, not an error about the profile type.
func TestRangeWithoutAnyProfilesIsEmpty(t *testing.T) {
	f := &fakeParca{profileTypes: []*pb.ProfileType{}}
	f.onQuery = func(*pb.QueryRequest) (*pb.QueryResponse, error) { return nil, parcaNoData() }
	f.onRange = func(*pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) { return nil, parcaNoData() }
	d := f.start(t, "")
	for _, queryType := range allQueryTypes {
		t.Run(queryType, func(t *testing.T) {
			dr := runQuery(t, d, queryType, modelFor(cpuID), t0, t0.Add(time.Minute), nil)
			if dr.Error != nil {
				t.Fatalf("an empty range became an error: %v (status %d)", dr.Error, dr.Status)
			}
			frame := dr.Frames[0]
			if len(dr.Frames) != 1 || len(frame.Fields) != 0 || frame.Meta == nil || len(frame.Meta.Notices) == 0 ||
				!strings.Contains(frame.Meta.Notices[0].Text, "No samples") {
				t.Fatalf("%d frames, first with %d fields and meta %+v", len(dr.Frames), len(frame.Fields), frame.Meta)
			}
		})
	}
}

// TestCoverageOfOneSidedSelectors: a selector whose samples are all linked (or all unlinked)
// has one empty side, which Parca answers with NotFound: that side is zero.
func TestCoverageOfOneSidedSelectors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		emptySide  string
		wantShare  float64
		wantFrames int
	}{
		{"all linked", `trace_id=""`, 0, 2},      // no unlinked stacks to explain
		{"all unlinked", `trace_id!=""`, 100, 4}, // the top functions and stacks say why
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := coverageFake(t)
			answer := f.onRange
			f.onRange = func(req *pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) {
				if strings.Contains(req.GetQuery(), tc.emptySide+"}") {
					return nil, parcaNoData()
				}
				return answer(req)
			}
			d := f.start(t, "")
			dr := runQuery(t, d, "coverage", `{"profileType":"`+cpuID+`","labelSelector":"{service_name=\"checkout\"}"}`, t0, t0.Add(time.Minute), nil)
			if dr.Error != nil {
				t.Fatal(dr.Error)
			}
			if len(dr.Frames) != tc.wantFrames {
				t.Fatalf("%d frames, want %d", len(dr.Frames), tc.wantFrames)
			}
			if share, _ := dr.Frames[1].FloatAt(0, 0); share != tc.wantShare {
				t.Fatalf("share = %v, want %v", share, tc.wantShare)
			}
		})
	}
}

// TestDiffAgainstAnEmptyBaseline: no 0/0 shares (NaN in Grafana's table): the answer is the
// compared range's own flame graph with a notice naming the empty baseline and its range.
func TestDiffAgainstAnEmptyBaseline(t *testing.T) {
	compared := flameAnswer(t, demoTree(), 0)
	f := &fakeParca{}
	f.onQuery = func(req *pb.QueryRequest) (*pb.QueryResponse, error) {
		if req.GetMerge().GetStart().AsTime().Before(t0) { // the baseline, an hour earlier
			return nil, parcaNoData()
		}
		return compared(req)
	}
	d := f.start(t, "")
	dr := runQuery(t, d, "diff", `{"profileType":"`+cpuID+`","baseline":{"mode":"offset","offset":"1h"}}`, t0, t1, nil)
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	frame := dr.Frames[0]
	if _, i := frame.FieldByName("valueRight"); i >= 0 {
		t.Fatal("a diff against nothing still has a right side")
	}
	for _, field := range frame.Fields {
		for i := 0; i < field.Len(); i++ {
			if v, ok := field.ConcreteAt(i); ok {
				if x, isFloat := v.(float64); isFloat && (math.IsNaN(x) || math.IsInf(x, 0)) {
					t.Fatalf("%s[%d] = %v", field.Name, i, x)
				}
			}
		}
	}
	if frame.Rows() != len(demoTree()) {
		t.Fatalf("%d rows, want the compared range's %d nodes", frame.Rows(), len(demoTree()))
	}
	notice := frame.Meta.Notices[0]
	if !strings.Contains(notice.Text, "the baseline") || !strings.Contains(notice.Text, "has no samples") ||
		!strings.Contains(notice.Text, formatTime(t0.Add(-time.Hour))) || !strings.Contains(notice.Text, formatTime(t1.Add(-time.Hour))) {
		t.Fatalf("notice = %q", notice.Text)
	}
}

// TestQueryTypesOfOneRequestRunTogether: a dashboard's metrics and profile queries go out at
// once. The fake's QueryRange waits for a Query to arrive: run one type after the other and
// the request times out.
func TestQueryTypesOfOneRequestRunTogether(t *testing.T) {
	profileAsked := make(chan struct{})
	f := &fakeParca{}
	flame := flameAnswer(t, demoTree(), 0)
	f.onQuery = func(req *pb.QueryRequest) (*pb.QueryResponse, error) {
		close(profileAsked)
		return flame(req)
	}
	f.onRange = func(*pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) {
		select {
		case <-profileAsked:
		case <-time.After(3 * time.Second):
			return nil, connect.NewError(connect.CodeDeadlineExceeded, errString("the profile query never came"))
		}
		return &pb.QueryRangeResponse{Series: []*pb.MetricsSeries{{Samples: []*pb.MetricsSample{{Timestamp: timestamppb.New(t0), Value: 1}}}}}, nil
	}
	d := f.start(t, "")
	model := json.RawMessage(`{"profileType":"` + cpuID + `"}`)
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		{RefID: "M", QueryType: "metrics", JSON: model, TimeRange: backend.TimeRange{From: t0, To: t0.Add(time.Minute)}, Interval: time.Second},
		{RefID: "P", QueryType: "profile", JSON: model, TimeRange: backend.TimeRange{From: t0, To: t0.Add(time.Minute)}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for ref, dr := range resp.Responses {
		if dr.Error != nil {
			t.Fatalf("%s: %v", ref, dr.Error)
		}
	}
}

// TestFramesCarryTheirUnits: the flame graph's value and self fields carry the unit Grafana's
// flame graph reads (ns, bytes, or a plain count), and CPU series read as cores.
func TestFramesCarryTheirUnits(t *testing.T) {
	for _, tc := range []struct {
		profileType, parcaUnit, want string
	}{
		{cpuID, "nanoseconds", "ns"},
		{"memory:alloc_space:bytes:space:bytes", "bytes", "bytes"},
		{"parca_agent:samples:count:cpu:nanoseconds:delta", "count", "short"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			record := flameAnswer(t, demoTree(), 0)
			f := &fakeParca{profileTypes: []*pb.ProfileType{cpuType}}
			f.onQuery = func(req *pb.QueryRequest) (*pb.QueryResponse, error) {
				resp, err := record(req)
				resp.GetFlamegraphArrow().Unit = tc.parcaUnit
				return resp, err
			}
			d := f.start(t, "")
			dr := runQuery(t, d, "profile", `{"profileType":"`+tc.profileType+`"}`, t0, t1, nil)
			if dr.Error != nil {
				t.Fatal(dr.Error)
			}
			for _, name := range []string{"value", "self"} {
				field, _ := dr.Frames[0].FieldByName(name)
				if field == nil || field.Config == nil || field.Config.Unit != tc.want {
					t.Fatalf("%s field config = %+v, want unit %q", name, field.Config, tc.want)
				}
			}
		})
	}

	f := &fakeParca{}
	f.onRange = func(*pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) {
		// 12.5 s of CPU over 10 s of profiles: 1.25 cores (Parca divides by the duration in ns).
		return &pb.QueryRangeResponse{Series: []*pb.MetricsSeries{{Samples: []*pb.MetricsSample{
			{Timestamp: timestamppb.New(t0), Value: 12_500_000_000, ValuePerSecond: 1.25, Duration: 10_000_000_000}}}}}, nil
	}
	d := f.start(t, "")
	dr := runQuery(t, d, "metrics", `{"profileType":"`+cpuID+`"}`, t0, t0.Add(time.Minute), nil)
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	value := dr.Frames[0].Fields[1]
	if value.Config.Unit != "suffix:cores" || value.At(0) != 1.25 {
		t.Fatalf("CPU series = %v in %q, want 1.25 cores", value.At(0), value.Config.Unit)
	}
	if got := data.FieldTypeFloat64; value.Type() != got {
		t.Fatalf("value type %v", value.Type())
	}
}
