package plugin

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/parcaapi"
	"github.com/spanflame/spanflame/pkg/report"
	"github.com/spanflame/spanflame/pkg/selector"
)

// queryProfile answers a profile query: the flame graph of every profile matching the
// selector in the query's exact time range, merged.
func (d *Datasource) queryProfile(ctx context.Context, client *parcaapi.Client, q *models.Query, _ backend.DataQuery, _ *backend.QueryDataRequest) (backend.DataResponse, error) {
	resp, err := query(ctx, client, mergeRequest(q, q.Selector, q.From, q.To, pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW))
	if err != nil {
		return backend.DataResponse{}, err
	}
	frame, err := flameGraphFrame("profile", q, resp)
	if err != nil {
		return backend.DataResponse{}, err
	}
	if frame == nil {
		return d.answerEmpty(ctx, client, q, "profile", noDataNotice(q, q.Selector, q.From, q.To))
	}
	return backend.DataResponse{Frames: data.Frames{frame}}, nil
}

// decodeFlameGraph decodes a FLAMEGRAPH_ARROW answer; an answer with no samples is an empty
// graph (no rows).
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
	if fg.Total() == 0 {
		return &report.FlameGraph{}, nil
	}
	return fg, nil
}

// flameUnit is the Grafana unit of a flame graph answer: the one Parca names, else the
// profile type's sample unit.
func flameUnit(q *models.Query, resp *pb.QueryResponse) string {
	if u := resp.GetFlamegraphArrow().GetUnit(); u != "" {
		return models.GrafanaUnit(u)
	}
	return models.GrafanaUnit(q.ProfileType.SampleUnit)
}

// flameGraphFrame decodes a FLAMEGRAPH_ARROW answer into a frame, with notices for what Parca
// trimmed or filtered. An answer with no samples is no frame (nil): the caller says why.
func flameGraphFrame(name string, q *models.Query, resp *pb.QueryResponse) (*data.Frame, error) {
	fg, err := decodeFlameGraph(resp)
	if err != nil || fg.Total() == 0 {
		return nil, err
	}
	unit := flameUnit(q, resp)
	frame := fg.Frame(name, unit)
	if trimmed := resp.GetFlamegraphArrow().GetTrimmed(); trimmed > 0 {
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
