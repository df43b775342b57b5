package plugin

import (
	"time"

	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/selector"
)

// timestamp keeps every nanosecond: Parca compares profile timestamps in nanoseconds, so a
// 120 ms span queries 120 ms (Grafana's own Parca datasource sent whole seconds).
func timestamp(t time.Time) *timestamppb.Timestamp { return timestamppb.New(t) }

// mergeRequest asks for one report of the profiles matching sel in [from, to], merged.
func mergeRequest(q *models.Query, sel selector.Selector, from, to time.Time, report pb.QueryRequest_ReportType) *pb.QueryRequest {
	req := &pb.QueryRequest{
		Mode: pb.QueryRequest_MODE_MERGE,
		Options: &pb.QueryRequest_Merge{Merge: &pb.MergeProfile{
			Query: selector.Query(q.ProfileType.String(), sel),
			Start: timestamp(from),
			End:   timestamp(to),
		}},
		ReportType: report,
		Filter:     filters(q),
	}
	if report == pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW {
		trim := q.NodeTrimThreshold
		req.NodeTrimThreshold = &trim
		if len(q.GroupBy) > 0 {
			req.GroupBy = &pb.GroupBy{Fields: groupByFields(q.GroupBy)}
		}
	}
	return req
}

// rangeRequest asks for the value of the profiles of profileType matching sel in [from, to],
// per step, one series per label set of the sumBy labels (one series without them).
func rangeRequest(profileType string, sel selector.Selector, from, to time.Time, step time.Duration, sumBy []string) *pb.QueryRangeRequest {
	return &pb.QueryRangeRequest{
		Query: selector.Query(profileType, sel),
		Start: timestamp(from),
		End:   timestamp(to),
		Step:  durationpb.New(step),
		SumBy: sumBy,
	}
}

// diffSideRequest asks for one side of a diff: a plain merge, never grouped (a diff compares
// whole stacks), with the query's filters and trimming.
func diffSideRequest(q *models.Query, sel selector.Selector, from, to time.Time) *pb.QueryRequest {
	req := mergeRequest(q, sel, from, to, pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW)
	req.GroupBy = nil
	return req
}

// groupByFields names labels the way Parca's merge group_by takes them.
func groupByFields(labels []string) []string {
	fields := make([]string, len(labels))
	for i, l := range labels {
		fields[i] = "labels." + l
	}
	return fields
}

// filters turns the query's text filters into Parca's (gRPC-only) filters: the function and
// filename filters keep (or drop) whole stacks, the binary filter keeps (or drops) frames.
func filters(q *models.Query) []*pb.Filter {
	var out []*pb.Filter
	if q.Function.Active() {
		out = append(out, stackFilter(&pb.FilterCriteria{FunctionName: condition(q.Function)}))
	}
	if q.Filename.Active() {
		out = append(out, stackFilter(&pb.FilterCriteria{Filename: condition(q.Filename)}))
	}
	if q.Binary.Active() {
		out = append(out, &pb.Filter{Filter: &pb.Filter_FrameFilter{FrameFilter: &pb.FrameFilter{
			Filter: &pb.FrameFilter_Criteria{Criteria: &pb.FilterCriteria{Binary: condition(q.Binary)}},
		}}})
	}
	return out
}

func stackFilter(c *pb.FilterCriteria) *pb.Filter {
	return &pb.Filter{Filter: &pb.Filter_StackFilter{StackFilter: &pb.StackFilter{
		Filter: &pb.StackFilter_Criteria{Criteria: c},
	}}}
}

func condition(f models.TextFilter) *pb.StringCondition {
	if f.Exclude {
		return &pb.StringCondition{Condition: &pb.StringCondition_NotContains{NotContains: f.Text}}
	}
	return &pb.StringCondition{Condition: &pb.StringCondition_Contains{Contains: f.Text}}
}
