package plugin

import (
	"context"

	"connectrpc.com/connect"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/parcaapi"
)

// isNoData reports whether err is Parca saying that nothing matched: v0.28.0 answers a Query
// or QueryRange whose selector (or profile type) matches no samples with NotFound ("No data
// found for the query"), not with an empty report. That is an empty answer, not a failure.
func isNoData(err error) bool {
	return connect.CodeOf(err) == connect.CodeNotFound
}

// queryRange calls QueryRange and reads Parca's "no data" as no series.
func queryRange(ctx context.Context, client *parcaapi.Client, req *pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) {
	resp, err := client.QueryRange(ctx, req)
	if isNoData(err) {
		return &pb.QueryRangeResponse{}, nil
	}
	return resp, err
}

// query calls Query and reads Parca's "no data" as an empty report of the kind asked for, so
// the decoders see one shape for "nothing" whichever way Parca says it.
func query(ctx context.Context, client *parcaapi.Client, req *pb.QueryRequest) (*pb.QueryResponse, error) {
	resp, err := client.Query(ctx, req)
	if !isNoData(err) {
		return resp, err
	}
	switch req.GetReportType() {
	case pb.QueryRequest_REPORT_TYPE_TABLE_ARROW:
		return &pb.QueryResponse{Report: &pb.QueryResponse_TableArrow{TableArrow: &pb.TableArrow{}}}, nil
	default:
		return &pb.QueryResponse{Report: &pb.QueryResponse_FlamegraphArrow{FlamegraphArrow: &pb.FlamegraphArrow{}}}, nil
	}
}

// emptyFrame is a frame with no fields that carries a notice. Grafana shows it as "No data"
// with the notice beside it, in Explore and in panels; a flame graph frame with no rows
// instead makes Grafana's flame graph throw, and an empty time series draws a blank graph.
func emptyFrame(name string, notice data.Notice) *data.Frame {
	frame := data.NewFrame(name)
	frame.AppendNotices(notice)
	return frame
}

// answerEmpty is every query type's answer when Parca has no samples for it. A profile type
// Parca does not hold around the range is the likeliest cause and the user's to fix, so that
// is an error naming the type and the available ones; otherwise the answer is one empty frame
// with the notice that says what was asked.
func (d *Datasource) answerEmpty(ctx context.Context, client *parcaapi.Client, q *models.Query, name string, notice data.Notice) (backend.DataResponse, error) {
	if err := d.checkProfileTypeKnown(ctx, client, q); err != nil {
		return backend.DataResponse{}, err
	}
	return backend.DataResponse{Frames: data.Frames{emptyFrame(name, notice)}}, nil
}
