package plugin

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/parcaapi"
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
func (d *Datasource) queryMetrics(ctx context.Context, client *parcaapi.Client, q *models.Query, dq backend.DataQuery, _ *backend.QueryDataRequest) (backend.DataResponse, error) {
	step := stepFor(q, dq)
	resp, err := queryRange(ctx, client, rangeRequest(q.ProfileType.String(), q.Selector, q.From, q.To, step, q.GroupBy))
	if err != nil {
		return backend.DataResponse{}, err
	}
	if len(resp.GetSeries()) == 0 {
		return d.answerEmpty(ctx, client, q, q.ProfileType.String(), noDataNotice(q, q.Selector, q.From, q.To))
	}
	return backend.DataResponse{Frames: seriesFrames(resp.GetSeries(), q.ProfileType, step)}, nil
}

// rate says how a profile type's series read best. A delta profile's value per step depends
// on the step (10 s of CPU time per 10 s step reads "10 s"), so delta series are given per
// second of profiling: CPU time per second is cores, bytes per second a rate of allocation.
// A cumulative profile (memory in use) is shown as it is.
type rate struct {
	perSecond bool
	// Parca's value_per_second divides by the profiles' duration in nanoseconds when the
	// sample unit is nanoseconds (so CPU nanoseconds come out as cores), else in seconds.
	perNanosecond bool
	scale         float64 // turns Parca's per-second value into the unit: other time units into cores
	unit          string
}

// coresUnit is a Grafana custom unit: the value with " cores" after it.
const coresUnit = "suffix:cores"

func rateOf(pt models.ProfileType) rate {
	unit := models.GrafanaUnit(pt.SampleUnit)
	if !pt.Delta {
		return rate{unit: unit}
	}
	switch unit {
	case "ns":
		return rate{perSecond: true, perNanosecond: true, scale: 1, unit: coresUnit}
	case "µs":
		return rate{perSecond: true, scale: 1e-6, unit: coresUnit}
	case "ms":
		return rate{perSecond: true, scale: 1e-3, unit: coresUnit}
	case "s":
		return rate{perSecond: true, scale: 1, unit: coresUnit}
	case "bytes":
		return rate{perSecond: true, scale: 1, unit: "binBps"}
	default:
		return rate{perSecond: true, scale: 1, unit: "cps"}
	}
}

// value is one sample as the series shows it. Parca computes the per-second value over the
// time the step's profiles cover; where it could not (no duration), the step stands in.
func (r rate) value(sample *pb.MetricsSample, step time.Duration) float64 {
	if !r.perSecond {
		return float64(sample.GetValue())
	}
	perSecond := sample.GetValuePerSecond()
	if (perSecond == 0 && sample.GetValue() != 0) || math.IsInf(perSecond, 0) || math.IsNaN(perSecond) {
		perSecond = 0
		if step > 0 {
			perSecond = float64(sample.GetValue()) / step.Seconds()
			if r.perNanosecond {
				perSecond = float64(sample.GetValue()) / float64(step.Nanoseconds())
			}
		}
	}
	return perSecond * r.scale
}

// seriesFrames makes one time/value frame per series, labelled with its label set, in a
// stable order (by label set).
func seriesFrames(series []*pb.MetricsSeries, pt models.ProfileType, step time.Duration) data.Frames {
	name, r := pt.String(), rateOf(pt)
	frames := make(data.Frames, 0, len(series))
	for _, s := range series {
		samples := s.GetSamples()
		times := make([]time.Time, len(samples))
		values := make([]float64, len(samples))
		for i, sample := range samples {
			times[i] = sample.GetTimestamp().AsTime()
			values[i] = r.value(sample, step)
		}
		labels := data.Labels{}
		for _, l := range s.GetLabelset().GetLabels() {
			labels[l.GetName()] = l.GetValue()
		}
		frame := data.NewFrame(name,
			data.NewField("time", nil, times),
			data.NewField("value", labels, values).SetConfig(&data.FieldConfig{Unit: r.unit, DisplayNameFromDS: displayName(name, labels)}),
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
