package plugin

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/report"
	"github.com/spanflame/spanflame/pkg/selector"
)

// queryProfile answers a profile query: the flame graph of every profile matching the
// selector in the query's exact time range, merged.
func (d *Datasource) queryProfile(ctx context.Context, q *models.Query, _ backend.DataQuery, _ *backend.QueryDataRequest) (backend.DataResponse, error) {
	client, err := d.client()
	if err != nil {
		return backend.DataResponse{}, err
	}
	resp, err := client.Query(ctx, mergeRequest(q, q.Selector, q.From, q.To, pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW))
	if err != nil {
		return backend.DataResponse{}, err
	}
	frame, err := flameGraphFrame("profile", q, resp, false)
	if err != nil {
		return backend.DataResponse{}, err
	}
	if frame.Rows() == 0 {
		if err := d.checkProfileTypeKnown(ctx, client, q); err != nil {
			return backend.DataResponse{}, err
		}
		frame.AppendNotices(noDataNotice(q, q.Selector, q.From, q.To))
	}
	return backend.DataResponse{Frames: data.Frames{frame}}, nil
}

// queryDiff answers a diff query: the flame graph of the query range (right) against its
// baseline (left). trace_id/span_id narrow the right side only, so a span can be compared with
// its service's usual behaviour. Each side is its own merge query, laid over the other by
// report.MergeDiff: Parca v0.28.0's diff report wraps large decreases around (see MergeDiff).
func (d *Datasource) queryDiff(ctx context.Context, q *models.Query, _ backend.DataQuery, _ *backend.QueryDataRequest) (backend.DataResponse, error) {
	client, err := d.client()
	if err != nil {
		return backend.DataResponse{}, err
	}
	leftResp, err := client.Query(ctx, diffSideRequest(q, q.Baseline.Selector, q.Baseline.From, q.Baseline.To))
	if err != nil {
		return backend.DataResponse{}, err
	}
	rightResp, err := client.Query(ctx, diffSideRequest(q, q.Selector, q.From, q.To))
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
	unit := models.GrafanaUnit(q.ProfileType.SampleUnit)
	if u := rightResp.GetFlamegraphArrow().GetUnit(); u != "" {
		unit = models.GrafanaUnit(u)
	}
	frame := report.MergeDiff(left, right).Frame("diff", unit)
	if frame.Rows() == 0 {
		if err := d.checkProfileTypeKnown(ctx, client, q); err != nil {
			return backend.DataResponse{}, err
		}
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(
			"No samples on either side: %s between %s and %s, and the baseline %s between %s and %s.",
			selector.Query(q.ProfileType.String(), q.Selector), formatTime(q.From), formatTime(q.To),
			selector.Query(q.ProfileType.String(), q.Baseline.Selector), formatTime(q.Baseline.From), formatTime(q.Baseline.To))})
		return backend.DataResponse{Frames: data.Frames{frame}}, nil
	}
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

// decodeFlameGraph decodes one side of a diff; an answer with no samples is an empty graph.
func decodeFlameGraph(resp *pb.QueryResponse) (*report.FlameGraph, error) {
	arrowReport := resp.GetFlamegraphArrow()
	if arrowReport == nil {
		return nil, backend.DownstreamError(fmt.Errorf("parca answered without a flame graph (report %T)", resp.GetReport()))
	}
	if len(arrowReport.GetRecord()) == 0 {
		return &report.FlameGraph{}, nil
	}
	fg, err := report.DecodeFlameGraph(arrowReport.GetRecord(), false)
	if err != nil {
		return nil, backend.DownstreamError(fmt.Errorf("parca's flame graph could not be read: %w", err))
	}
	return fg, nil
}

// flameGraphFrame decodes a FLAMEGRAPH_ARROW answer into a frame, with notices for what Parca
// trimmed or filtered. An answer with no samples becomes a frame with the fields and no rows.
func flameGraphFrame(name string, q *models.Query, resp *pb.QueryResponse, diff bool) (*data.Frame, error) {
	unit := models.GrafanaUnit(q.ProfileType.SampleUnit)
	arrowReport := resp.GetFlamegraphArrow()
	if arrowReport == nil {
		return nil, backend.DownstreamError(fmt.Errorf("parca answered without a flame graph (report %T)", resp.GetReport()))
	}
	if len(arrowReport.GetRecord()) == 0 {
		return (&report.FlameGraph{}).Frame(name, unit), nil
	}
	fg, err := report.DecodeFlameGraph(arrowReport.GetRecord(), diff)
	if err != nil {
		return nil, backend.DownstreamError(fmt.Errorf("parca's flame graph could not be read: %w", err))
	}
	if fg.Total() == 0 {
		return (&report.FlameGraph{}).Frame(name, unit), nil
	}
	if arrowReport.GetUnit() != "" {
		unit = models.GrafanaUnit(arrowReport.GetUnit())
	}
	frame := fg.Frame(name, unit)
	if trimmed := arrowReport.GetTrimmed(); trimmed > 0 {
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(
			"Parca left out nodes under %g%% of the total (node trim threshold): %s of %s (%.1f%%) is not drawn as separate nodes. Lower the threshold to see them.",
			q.NodeTrimThreshold, formatValue(trimmed, unit), formatValue(resp.GetTotal(), unit), percent(trimmed, resp.GetTotal()))})
	}
	if filtered := resp.GetFiltered(); filtered > 0 && q.HasFilters() {
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(
			"The function/binary/filename filters removed %s (%.1f%% of the samples).",
			formatValue(filtered, unit), percent(filtered, resp.GetTotal()+filtered))})
	}
	return frame, nil
}

func noDataNotice(q *models.Query, sel selector.Selector, from, to time.Time) data.Notice {
	text := fmt.Sprintf("No samples for %s between %s and %s.", selector.Query(q.ProfileType.String(), sel), formatTime(from), formatTime(to))
	if q.TraceID != "" || q.SpanID != "" {
		// The usual cause: a span's exact time range.
		text += " A profile is stamped with the start of its collection window (10 s for a Go CPU profile by default), so a span's samples sit in a profile stamped up to one window before the span: start the range that much earlier."
	}
	return data.Notice{Severity: data.NoticeSeverityInfo, Text: text}
}
