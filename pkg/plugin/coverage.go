package plugin

import (
	"context"
	"strings"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/parcaapi"
	"github.com/spanflame/spanflame/pkg/selector"
)

// Coverage splits the selector's samples with two matchers and never by trace_id values:
// `trace_id!=""` and `trace_id=""`, which Parca turns into "the label is not null" and "the
// label is null" (parcacol.MatcherToBooleanExpression). Nothing in either request names,
// groups or pattern-matches a trace id, so what the backend asks does not change as trace ids
// grow from hundreds to millions (a regexp such as `trace_id=~".+"` would have Parca match
// every distinct value).
var (
	linkedMatcher   = selector.NotEqual(selector.TraceIDLabel, "")
	unlinkedMatcher = selector.Equal(selector.TraceIDLabel, "")
)

// Coverage frame names; the share frame is the one alert rules read.
const (
	coverageSeriesFrame = "trace link coverage"
	coverageShareFrame  = "missing trace link share"
	coverageTopFrame    = "top functions without a trace link"
	coverageStacksFrame = "stacks without a trace link"
)

// queryCoverage answers a coverage query: how much of the selector's CPU (or other value)
// carries a trace_id label. It returns
//   - a time series of the linked and unlinked value and the unlinked share per step,
//   - the unlinked share of the whole range as a number (percent; what alerts use),
//   - the top functions and the stacks of the unlinked samples: where the missing links are.
//
// With group-by labels (service_name, say) the series and the share come per label set, so
// one alert rule watches every service. From an alert rule or expression only the share is
// returned, since Grafana's expression engine cannot mix numbers and time series.
func (d *Datasource) queryCoverage(ctx context.Context, client *parcaapi.Client, q *models.Query, dq backend.DataQuery, req *backend.QueryDataRequest) (backend.DataResponse, error) {
	linkedSel, unlinkedSel := q.Selector.With(linkedMatcher), q.Selector.With(unlinkedMatcher)
	step := stepFor(q, dq)
	forAlert := fromAlertOrExpression(req.Headers)

	var linked, unlinked *pb.QueryRangeResponse
	var linkedErr, unlinkedErr error
	var wg sync.WaitGroup
	// A side that matches nothing is zero (a fully linked or fully unlinked selector): only
	// both sides empty is no data.
	wg.Go(func() {
		linked, linkedErr = queryRange(ctx, client, rangeRequest(q.ProfileType.String(), linkedSel, q.From, q.To, step, q.GroupBy))
	})
	wg.Go(func() {
		unlinked, unlinkedErr = queryRange(ctx, client, rangeRequest(q.ProfileType.String(), unlinkedSel, q.From, q.To, step, q.GroupBy))
	})
	wg.Wait()
	if linkedErr != nil {
		return backend.DataResponse{}, linkedErr
	}
	if unlinkedErr != nil {
		return backend.DataResponse{}, unlinkedErr
	}

	groups := mergeCoverage(linked.GetSeries(), unlinked.GetSeries(), q.GroupBy)
	unit := models.GrafanaUnit(q.ProfileType.SampleUnit)
	if len(groups) == 0 {
		return d.answerEmpty(ctx, client, q, coverageShareFrame, noDataNotice(q, q.Selector, q.From, q.To))
	}
	share := shareFrame(groups, q.GroupBy, unit)
	if forAlert {
		return backend.DataResponse{Frames: data.Frames{share}}, nil
	}
	frames := make(data.Frames, 0, len(groups)+3)
	var linkedTotal, unlinkedTotal int64
	for _, g := range groups {
		frames = append(frames, g.frame(unit))
		linkedTotal += g.linkedTotal
		unlinkedTotal += g.unlinkedTotal
	}
	frames = append(frames, share)
	if unlinkedTotal > 0 {
		// By total value, weighed against the same functions' linked value: the functions the
		// unlinked CPU runs under (a worker pool, a background job) say why it has no trace,
		// more than the leaves it ends in or the code every request runs too.
		top, err := unlinkedFunctionsFrame(ctx, client, q, unlinkedSel, linkedSel, linkedTotal > 0)
		if err != nil {
			return backend.DataResponse{}, err
		}
		frames = append(frames, top)
		resp, err := query(ctx, client, mergeRequest(q, unlinkedSel, q.From, q.To, pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW))
		if err != nil {
			return backend.DataResponse{}, err
		}
		stacks, err := flameGraphFrame(coverageStacksFrame, q, resp)
		if err != nil {
			return backend.DataResponse{}, err
		}
		if stacks == nil { // the query's filters removed every unlinked stack
			stacks = emptyFrame(coverageStacksFrame, noDataNotice(q, unlinkedSel, q.From, q.To))
		}
		frames = append(frames, stacks)
	}
	return backend.DataResponse{Frames: frames}, nil
}

// fromAlertOrExpression reports whether Grafana's alerting or expression engine sent the
// request (it sets these headers; casing varies across versions).
func fromAlertOrExpression(headers map[string]string) bool {
	for k, v := range headers {
		if (strings.EqualFold(k, "FromAlert") || strings.EqualFold(k, "FromExpression")) && strings.EqualFold(v, "true") {
			return true
		}
	}
	return false
}
