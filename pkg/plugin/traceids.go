package plugin

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/parcaapi"
	"github.com/spanflame/spanflame/pkg/selector"
)

const traceIDsFrame = "trace ids by value"

// TraceIDsMeta is the traceIds frame's custom meta: how many trace ids the range held and how
// many the answer keeps, so a page can say "the top 20 of 1,234".
type TraceIDsMeta struct {
	TraceIDsInRange int `json:"traceIdsInRange"`
	Limit           int `json:"limit"`
}

// queryTraceIDs answers a traceIds query: the trace ids of the selector's samples carrying
// the most value in the range, at most the query's limit, with their value. It is the one
// place the backend splits by trace_id, and it is bounded on both sides: the range is at most
// models.MaxTraceIDRange (Parca's work grows with the requests in it), and the answer at most
// models.MaxTraceIDLimit rows (the caller looks each one up). One QueryRange call, one step
// covering the whole range, so each trace id is one series of one or two samples.
func (d *Datasource) queryTraceIDs(ctx context.Context, client *parcaapi.Client, q *models.Query, _ backend.DataQuery, _ *backend.QueryDataRequest) (backend.DataResponse, error) {
	sel := q.Selector.With(linkedMatcher)
	step := max(q.To.Sub(q.From), minStep)
	resp, err := queryRange(ctx, client, rangeRequest(q.ProfileType.String(), sel, q.From, q.To, step, []string{selector.TraceIDLabel}))
	if err != nil {
		return backend.DataResponse{}, err
	}
	type traceValue struct {
		id    string
		value int64
	}
	totals := map[string]int64{}
	for _, s := range resp.GetSeries() {
		id := ""
		for _, l := range s.GetLabelset().GetLabels() {
			if l.GetName() == selector.TraceIDLabel {
				id = l.GetValue()
			}
		}
		if id == "" {
			continue
		}
		for _, sample := range s.GetSamples() {
			totals[id] += sample.GetValue()
		}
	}
	traces := make([]traceValue, 0, len(totals))
	for id, v := range totals {
		if v > 0 {
			traces = append(traces, traceValue{id, v})
		}
	}
	if len(traces) == 0 {
		return d.answerEmpty(ctx, client, q, traceIDsFrame, noDataNotice(q, sel, q.From, q.To))
	}
	slices.SortFunc(traces, func(a, b traceValue) int {
		return cmp.Or(cmp.Compare(b.value, a.value), cmp.Compare(a.id, b.id))
	})
	kept := traces[:min(len(traces), q.Limit)]
	ids := make([]string, len(kept))
	values := make([]int64, len(kept))
	for i, t := range kept {
		ids[i], values[i] = t.id, t.value
	}
	unit := models.GrafanaUnit(q.ProfileType.SampleUnit)
	frame := data.NewFrame(traceIDsFrame,
		data.NewField("traceId", nil, ids),
		data.NewField("value", nil, values).SetConfig(&data.FieldConfig{Unit: unit}),
	)
	frame.Meta = &data.FrameMeta{Custom: TraceIDsMeta{TraceIDsInRange: len(traces), Limit: q.Limit}}
	frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo,
		Text: fmt.Sprintf("The %d of %d trace ids with the most value from %s to %s (at most %d).",
			len(kept), len(traces), formatTime(q.From), formatTime(q.To), q.Limit)})
	return backend.DataResponse{Frames: data.Frames{frame}}, nil
}
