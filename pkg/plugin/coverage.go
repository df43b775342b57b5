package plugin

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/parcaapi"
	"github.com/spanflame/spanflame/pkg/report"
	"github.com/spanflame/spanflame/pkg/selector"
)

// Coverage splits the selector's samples with two matchers and never by trace_id values:
// `trace_id!=""` (Parca: the label is not null) and `trace_id=""` (the label is null). Both
// are plain null checks, so their cost does not grow with the number of distinct trace ids,
// unlike a regexp such as `trace_id=~".+"`, which is evaluated per distinct value.
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
//   - the unlinked share of the whole range as a single number (percent; what alerts use),
//   - the top functions and the stacks of the unlinked samples: where the missing links are.
//
// From an alert rule or expression only the single number is returned, since Grafana's
// expression engine cannot mix a number with time series in one response.
func (d *Datasource) queryCoverage(ctx context.Context, q *models.Query, dq backend.DataQuery, req *backend.QueryDataRequest) (backend.DataResponse, error) {
	client, err := d.client()
	if err != nil {
		return backend.DataResponse{}, err
	}
	linkedSel, unlinkedSel := q.Selector.With(linkedMatcher), q.Selector.With(unlinkedMatcher)
	step := stepFor(q, dq)
	forAlert := fromAlertOrExpression(req.Headers)

	var linked, unlinked *pb.QueryRangeResponse
	var linkedErr, unlinkedErr error
	var wg sync.WaitGroup
	wg.Go(func() { linked, linkedErr = queryRangeTotal(ctx, client, q, linkedSel, step) })
	wg.Go(func() { unlinked, unlinkedErr = queryRangeTotal(ctx, client, q, unlinkedSel, step) })
	wg.Wait()
	if linkedErr != nil {
		return backend.DataResponse{}, linkedErr
	}
	if unlinkedErr != nil {
		return backend.DataResponse{}, unlinkedErr
	}

	series := mergeCoverageSeries(linked.GetSeries(), unlinked.GetSeries())
	unit := models.GrafanaUnit(q.ProfileType.SampleUnit)
	if len(series.times) == 0 {
		if err := d.checkProfileTypeKnown(ctx, client, q.ProfileType); err != nil {
			return backend.DataResponse{}, err
		}
		empty := data.NewFrame(coverageShareFrame)
		empty.AppendNotices(noDataNotice(q, q.Selector, q.From, q.To))
		return backend.DataResponse{Frames: data.Frames{empty}}, nil
	}
	share := shareFrame(series, unit)
	if forAlert {
		return backend.DataResponse{Frames: data.Frames{share}}, nil
	}
	frames := data.Frames{series.frame(unit), share}
	if series.unlinkedTotal > 0 {
		// Ranked by total value: the functions the unlinked CPU runs under (a worker pool, a
		// background job) say why it has no trace, more than the leaves it ends in.
		top, err := topFunctionsFrame(ctx, client, coverageTopFrame, q, unlinkedSel, report.ByCumulative)
		if err != nil {
			return backend.DataResponse{}, err
		}
		frames = append(frames, top)
		resp, err := client.Query(ctx, mergeRequest(q, unlinkedSel, q.From, q.To, pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW))
		if err != nil {
			return backend.DataResponse{}, err
		}
		stacks, err := flameGraphFrame(coverageStacksFrame, q, resp, false)
		if err != nil {
			return backend.DataResponse{}, err
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

// queryRangeTotal asks for one series (no sum_by: all matching samples summed per step).
func queryRangeTotal(ctx context.Context, client *parcaapi.Client, q *models.Query, sel selector.Selector, step time.Duration) (*pb.QueryRangeResponse, error) {
	return client.QueryRange(ctx, &pb.QueryRangeRequest{
		Query: selector.Query(q.ProfileType.String(), sel),
		Start: timestamp(q.From),
		End:   timestamp(q.To),
		Step:  durationpb.New(step),
	})
}

// coverageSeries is the linked and unlinked value per timestamp, on the union of both
// series' timestamps (a step with samples on one side only is 0 on the other).
type coverageSeries struct {
	times                      []time.Time
	linked, unlinked           []int64
	linkedTotal, unlinkedTotal int64
}

func mergeCoverageSeries(linked, unlinked []*pb.MetricsSeries) coverageSeries {
	byTime := map[int64]*[2]int64{}
	add := func(series []*pb.MetricsSeries, side int) {
		for _, s := range series {
			for _, sample := range s.GetSamples() {
				ts := sample.GetTimestamp().AsTime().UnixNano()
				v, ok := byTime[ts]
				if !ok {
					v = &[2]int64{}
					byTime[ts] = v
				}
				v[side] += sample.GetValue()
			}
		}
	}
	add(linked, 0)
	add(unlinked, 1)
	stamps := make([]int64, 0, len(byTime))
	for ts := range byTime {
		stamps = append(stamps, ts)
	}
	slices.Sort(stamps)
	out := coverageSeries{times: make([]time.Time, len(stamps)), linked: make([]int64, len(stamps)), unlinked: make([]int64, len(stamps))}
	for i, ts := range stamps {
		v := byTime[ts]
		out.times[i], out.linked[i], out.unlinked[i] = time.Unix(0, ts).UTC(), v[0], v[1]
		out.linkedTotal += v[0]
		out.unlinkedTotal += v[1]
	}
	return out
}

// frame is a wide time series: linked, unlinked and the unlinked share (percent) per step.
func (s coverageSeries) frame(unit string) *data.Frame {
	shares := make([]*float64, len(s.times))
	for i := range s.times {
		if total := s.linked[i] + s.unlinked[i]; total > 0 {
			share := percent(s.unlinked[i], total)
			shares[i] = &share
		}
	}
	valueConfig := &data.FieldConfig{Unit: unit}
	frame := data.NewFrame(coverageSeriesFrame,
		data.NewField("time", nil, s.times),
		data.NewField("linked", nil, s.linked).SetConfig(valueConfig),
		data.NewField("unlinked", nil, s.unlinked).SetConfig(valueConfig),
		data.NewField("unlinked share", nil, shares).SetConfig(&data.FieldConfig{Unit: "percent", Min: ptr(0), Max: ptr(100)}),
	)
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesWide, TypeVersion: data.FrameTypeVersion{0, 1}}
	return frame
}

// shareFrame is the unlinked share of the whole range as one number: a frame with a single
// numeric field and no time, which Grafana's alerting reads as a number to compare.
func shareFrame(s coverageSeries, unit string) *data.Frame {
	total := s.linkedTotal + s.unlinkedTotal
	share := percent(s.unlinkedTotal, total)
	frame := data.NewFrame(coverageShareFrame,
		data.NewField("unlinked share", nil, []float64{share}).SetConfig(&data.FieldConfig{Unit: "percent", Min: ptr(0), Max: ptr(100)}),
	)
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeNumericWide, TypeVersion: data.FrameTypeVersion{0, 1}}
	frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(
		"%.1f%% of the value has no trace_id label (%s of %s).", share, formatValue(s.unlinkedTotal, unit), formatValue(total, unit))})
	return frame
}

func ptr(f float64) *data.ConfFloat64 {
	v := data.ConfFloat64(f)
	return &v
}
