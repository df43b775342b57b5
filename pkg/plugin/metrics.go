package plugin

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/selector"
)

// Step bounds: Grafana draws at most about this many points, and a step under a millisecond
// says nothing about profiles taken every few seconds.
const (
	maxPointsPerSeries = 11000
	minStep            = time.Millisecond
)

// stepFor picks the QueryRange step: the query's interval, widened so the series stays under
// maxPointsPerSeries (or the panel's max data points).
func stepFor(q *models.Query, dq backend.DataQuery) time.Duration {
	span := q.To.Sub(q.From)
	step := dq.Interval
	points := int64(maxPointsPerSeries)
	if dq.MaxDataPoints > 0 && dq.MaxDataPoints < points {
		points = dq.MaxDataPoints
	}
	if floor := span / time.Duration(points); step < floor {
		step = floor
	}
	return max(step, minStep)
}

// queryMetrics answers a metrics query: the profile's total value per step, one series per
// label set of the group-by labels. The frames are plain numeric time series, so alert rules
// can use them.
func (d *Datasource) queryMetrics(ctx context.Context, q *models.Query, dq backend.DataQuery, _ *backend.QueryDataRequest) (backend.DataResponse, error) {
	client, err := d.client()
	if err != nil {
		return backend.DataResponse{}, err
	}
	step := stepFor(q, dq)
	resp, err := client.QueryRange(ctx, &pb.QueryRangeRequest{
		Query: selector.Query(q.ProfileType.String(), q.Selector),
		Start: timestamp(q.From),
		End:   timestamp(q.To),
		Step:  durationpb.New(step),
		SumBy: q.GroupBy,
	})
	if err != nil {
		return backend.DataResponse{}, err
	}
	unit := models.GrafanaUnit(q.ProfileType.SampleUnit)
	frames := seriesFrames(resp.GetSeries(), q.ProfileType.String(), unit)
	if len(frames) == 0 {
		if err := d.checkProfileTypeKnown(ctx, client, q); err != nil {
			return backend.DataResponse{}, err
		}
		empty := data.NewFrame(q.ProfileType.String())
		empty.AppendNotices(noDataNotice(q, q.Selector, q.From, q.To))
		return backend.DataResponse{Frames: data.Frames{empty}}, nil
	}
	return backend.DataResponse{Frames: frames}, nil
}

// seriesFrames makes one time/value frame per series, labelled with its label set, in a
// stable order (by label set).
func seriesFrames(series []*pb.MetricsSeries, name, unit string) data.Frames {
	frames := make(data.Frames, 0, len(series))
	for _, s := range series {
		samples := s.GetSamples()
		times := make([]time.Time, len(samples))
		values := make([]float64, len(samples))
		for i, sample := range samples {
			times[i] = sample.GetTimestamp().AsTime()
			values[i] = float64(sample.GetValue())
		}
		labels := data.Labels{}
		for _, l := range s.GetLabelset().GetLabels() {
			labels[l.GetName()] = l.GetValue()
		}
		frame := data.NewFrame(name,
			data.NewField("time", nil, times),
			data.NewField("value", labels, values).SetConfig(&data.FieldConfig{Unit: unit, DisplayNameFromDS: displayName(name, labels)}),
		)
		frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
		frames = append(frames, frame)
	}
	sort.SliceStable(frames, func(i, j int) bool {
		return frames[i].Fields[1].Labels.String() < frames[j].Fields[1].Labels.String()
	})
	return frames
}

func displayName(profileType string, labels data.Labels) string {
	if len(labels) == 0 {
		return profileType
	}
	parts := make([]string, 0, len(labels))
	for _, k := range sortedKeys(labels) {
		parts = append(parts, fmt.Sprintf("%s=%s", k, labels[k]))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(labels data.Labels) []string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
