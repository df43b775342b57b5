package plugin

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	profilestorepb "github.com/parca-dev/parca/gen/proto/go/parca/profilestore/v1alpha1"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// traceSeries is one QueryRange series of a trace id (or of samples without one, id ""),
// with one sample per value.
func traceSeries(id string, values ...int64) *pb.MetricsSeries {
	s := &pb.MetricsSeries{Labelset: &profilestorepb.LabelSet{}}
	if id != "" {
		s.Labelset.Labels = []*profilestorepb.Label{{Name: "trace_id", Value: id}}
	}
	for i, v := range values {
		s.Samples = append(s.Samples, &pb.MetricsSample{Timestamp: timestamppb.New(t0.Add(time.Duration(i) * time.Minute)), Value: v})
	}
	return s
}

func traceID(c byte) string { return strings.Repeat(string(c), 32) }

func TestTraceIDsQuery(t *testing.T) {
	f := &fakeParca{}
	f.onRange = func(*pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) {
		return &pb.QueryRangeResponse{Series: []*pb.MetricsSeries{
			traceSeries(traceID('a'), 10),
			traceSeries(traceID('b'), 30, 20), // a range split over two steps: both count
			traceSeries(traceID('c'), 40),
			traceSeries(traceID('d'), 0),
			traceSeries("", 500), // no trace id: never listed
		}}, nil
	}
	d := f.start(t, "")
	dr := runQuery(t, d, "traceIds", `{"profileType":"`+cpuID+`","labelSelector":"{service_name=\"checkout\"}","limit":2}`, t0, t0.Add(5*time.Minute), nil)
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	experimental.CheckGoldenJSONResponse(t, "testdata", "traceids_fake", &dr, *update)

	frame := dr.Frames[0]
	if frame.Rows() != 2 {
		t.Fatalf("rows = %d, want the limit of 2", frame.Rows())
	}
	if a, b := frame.Fields[0].At(0), frame.Fields[0].At(1); a != traceID('b') || b != traceID('c') {
		t.Fatalf("trace ids = %v, %v; want b (50) before c (40)", a, b)
	}
	meta, _ := json.Marshal(frame.Meta.Custom)
	if string(meta) != `{"traceIdsInRange":3,"limit":2}` {
		t.Fatalf("meta = %s", meta)
	}
	if len(f.ranges) != 1 {
		t.Fatalf("QueryRange calls = %d, want 1", len(f.ranges))
	}
	r := f.ranges[0]
	if got := r.GetSumBy(); len(got) != 1 || got[0] != "trace_id" {
		t.Fatalf("sum_by = %v", got)
	}
	if r.GetQuery() != cpuID+`{service_name="checkout",trace_id!=""}` {
		t.Fatalf("query = %s", r.GetQuery())
	}
	if r.GetStep().AsDuration() != 5*time.Minute {
		t.Fatalf("step = %v, want the whole range", r.GetStep().AsDuration())
	}
}

func TestTraceIDsQueryEmptyAndTooLong(t *testing.T) {
	f := &fakeParca{}
	d := f.start(t, "")
	dr := runQuery(t, d, "traceIds", `{"profileType":"`+cpuID+`"}`, t0, t0.Add(time.Minute), nil)
	if dr.Error != nil || len(dr.Frames) != 1 || dr.Frames[0].Rows() != 0 ||
		!strings.Contains(dr.Frames[0].Meta.Notices[0].Text, `No samples for `+cpuID+`{trace_id!=""}`) {
		t.Fatalf("empty answer = %+v, %v", dr.Frames, dr.Error)
	}

	dr = runQuery(t, d, "traceIds", `{"profileType":"`+cpuID+`"}`, t0, t0.Add(time.Hour), nil)
	if dr.Error == nil || !strings.Contains(dr.Error.Error(), "shorten it") || dr.Status != backend.StatusBadRequest {
		t.Fatalf("an hour: %v (status %d)", dr.Error, dr.Status)
	}
	if len(f.ranges) != 1 {
		t.Fatalf("a refused query still called Parca: %d calls", len(f.ranges))
	}
}
