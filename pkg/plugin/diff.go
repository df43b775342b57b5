package plugin

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/parcaapi"
	"github.com/spanflame/spanflame/pkg/report"
	"github.com/spanflame/spanflame/pkg/selector"
)

// queryDiff answers a diff query: the flame graph of the query range (right) against its
// baseline (left). trace_id/span_id narrow the right side only, so a span can be compared with
// its service's usual behaviour. Each side is its own merge query, laid over the other by
// report.MergeDiff: Parca v0.28.0's diff report wraps large decreases around (see MergeDiff).
//
// A side with no samples is no baseline to compare with: every share against it is 0/0, which
// Grafana's flame graph table shows as NaN. The answer is then the other side's plain flame
// graph, with a notice that names the empty side and its range.
func (d *Datasource) queryDiff(ctx context.Context, client *parcaapi.Client, q *models.Query, _ backend.DataQuery, _ *backend.QueryDataRequest) (backend.DataResponse, error) {
	leftResp, err := query(ctx, client, diffSideRequest(q, q.Baseline.Selector, q.Baseline.From, q.Baseline.To))
	if err != nil {
		return backend.DataResponse{}, err
	}
	rightResp, err := query(ctx, client, diffSideRequest(q, q.Selector, q.From, q.To))
	if err != nil {
		return backend.DataResponse{}, err
	}
	left, err := decodeFlameGraph(leftResp)
	if err != nil {
		return backend.DataResponse{}, err
	}
	right, err := decodeFlameGraph(rightResp)
	if err != nil {
		return backend.DataResponse{}, err
	}
	baseline := fmt.Sprintf("the baseline %s between %s and %s",
		selector.Query(q.ProfileType.String(), q.Baseline.Selector), formatTime(q.Baseline.From), formatTime(q.Baseline.To))
	compared := fmt.Sprintf("the compared range %s between %s and %s",
		selector.Query(q.ProfileType.String(), q.Selector), formatTime(q.From), formatTime(q.To))
	switch {
	case left.Total() == 0 && right.Total() == 0:
		return d.answerEmpty(ctx, client, q, "diff", data.Notice{Severity: data.NoticeSeverityInfo,
			Text: fmt.Sprintf("No samples on either side: %s, and %s.", compared, baseline)})
	case left.Total() == 0:
		return oneSidedDiff(q, rightResp, fmt.Sprintf(
			"Nothing to compare with: %s has no samples. Showing %s alone; widen or move the baseline to compare.", baseline, compared))
	case right.Total() == 0:
		return oneSidedDiff(q, leftResp, fmt.Sprintf(
			"Nothing to compare: %s has no samples. Showing %s alone; widen or move the range to compare.", compared, baseline))
	}

	unit := flameUnit(q, rightResp)
	frame := report.MergeDiff(left, right).Frame("diff", unit)
	for _, side := range []struct {
		name string
		resp *pb.QueryResponse
	}{{"baseline", leftResp}, {"compared range", rightResp}} {
		if trimmed := side.resp.GetFlamegraphArrow().GetTrimmed(); trimmed > 0 {
			frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(
				"Parca left out nodes under %g%% of the %s's total (node trim threshold): %s of %s (%.1f%%) is not drawn as separate nodes.",
				q.NodeTrimThreshold, side.name, formatValue(trimmed, unit), formatValue(side.resp.GetTotal(), unit), percent(trimmed, side.resp.GetTotal()))})
		}
	}
	frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(
		"Left (value): baseline %s, %s to %s. Right (valueRight): %s, %s to %s.",
		q.Baseline.Selector, formatTime(q.Baseline.From), formatTime(q.Baseline.To),
		q.Selector, formatTime(q.From), formatTime(q.To))})
	return backend.DataResponse{Frames: data.Frames{frame}}, nil
}

// oneSidedDiff answers a diff whose other side is empty with this side's plain flame graph,
// the notice saying why first.
func oneSidedDiff(q *models.Query, resp *pb.QueryResponse, why string) (backend.DataResponse, error) {
	frame, err := flameGraphFrame("diff", q, resp)
	if err != nil {
		return backend.DataResponse{}, err
	}
	notices := append([]data.Notice{{Severity: data.NoticeSeverityWarning, Text: why}}, frame.Meta.Notices...)
	frame.Meta.Notices = notices
	return backend.DataResponse{Frames: data.Frames{frame}}, nil
}
