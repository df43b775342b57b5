package plugin

import (
	"fmt"
	"slices"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
)

// coverageGroup is one label set's linked and unlinked value per timestamp, on the union of
// both sides' timestamps (a step with samples on one side only is 0 on the other).
type coverageGroup struct {
	labels                     data.Labels
	times                      []time.Time
	linked, unlinked           []int64
	linkedTotal, unlinkedTotal int64
}

// mergeCoverage pairs the linked and unlinked series by label set (of the group-by labels
// only) and lines them up in time. Groups come sorted by label set.
func mergeCoverage(linked, unlinked []*pb.MetricsSeries, groupBy []string) []*coverageGroup {
	type point struct{ linked, unlinked int64 }
	byGroup := map[string]map[int64]*point{}
	labelsOf := map[string]data.Labels{}
	add := func(series []*pb.MetricsSeries, isLinked bool) {
		for _, s := range series {
			labels := data.Labels{}
			for _, l := range s.GetLabelset().GetLabels() {
				if slices.Contains(groupBy, l.GetName()) {
					labels[l.GetName()] = l.GetValue()
				}
			}
			if len(labels) == 0 {
				labels = nil // no group-by: fields without labels, as a single series has
			}
			key := labels.String()
			if byGroup[key] == nil {
				byGroup[key], labelsOf[key] = map[int64]*point{}, labels
			}
			for _, sample := range s.GetSamples() {
				ts := sample.GetTimestamp().AsTime().UnixNano()
				p := byGroup[key][ts]
				if p == nil {
					p = &point{}
					byGroup[key][ts] = p
				}
				if isLinked {
					p.linked += sample.GetValue()
				} else {
					p.unlinked += sample.GetValue()
				}
			}
		}
	}
	add(linked, true)
	add(unlinked, false)

	keys := make([]string, 0, len(byGroup))
	for k := range byGroup {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	groups := make([]*coverageGroup, 0, len(keys))
	for _, key := range keys {
		points := byGroup[key]
		if len(points) == 0 {
			continue
		}
		stamps := make([]int64, 0, len(points))
		for ts := range points {
			stamps = append(stamps, ts)
		}
		slices.Sort(stamps)
		g := &coverageGroup{labels: labelsOf[key], times: make([]time.Time, len(stamps)),
			linked: make([]int64, len(stamps)), unlinked: make([]int64, len(stamps))}
		for i, ts := range stamps {
			p := points[ts]
			g.times[i], g.linked[i], g.unlinked[i] = time.Unix(0, ts).UTC(), p.linked, p.unlinked
			g.linkedTotal += p.linked
			g.unlinkedTotal += p.unlinked
		}
		groups = append(groups, g)
	}
	return groups
}

// share is the group's unlinked share of the whole range, in percent.
func (g *coverageGroup) share() float64 {
	return percent(g.unlinkedTotal, g.linkedTotal+g.unlinkedTotal)
}

// frame is a wide time series: linked, unlinked and the unlinked share (percent) per step,
// labelled with the group's label set.
func (g *coverageGroup) frame(unit string) *data.Frame {
	shares := make([]*float64, len(g.times))
	for i := range g.times {
		if total := g.linked[i] + g.unlinked[i]; total > 0 {
			share := percent(g.unlinked[i], total)
			shares[i] = &share
		}
	}
	valueConfig := &data.FieldConfig{Unit: unit}
	frame := data.NewFrame(coverageSeriesFrame,
		data.NewField("time", nil, g.times),
		data.NewField("linked", g.labels, g.linked).SetConfig(valueConfig),
		data.NewField("unlinked", g.labels, g.unlinked).SetConfig(valueConfig),
		data.NewField("unlinked share", g.labels, shares).SetConfig(percentConfig()),
	)
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesWide, TypeVersion: data.FrameTypeVersion{0, 1}}
	return frame
}

// shareFrame is the unlinked share of the whole range: one numeric field and no time, which
// Grafana's alerting reads as numbers to compare. Without group-by it is a single number;
// with group-by, one row per label set with the labels as string fields (a multi-dimensional
// alert: one instance per service).
func shareFrame(groups []*coverageGroup, groupBy []string, unit string) *data.Frame {
	var linked, unlinked int64
	shares := make([]float64, len(groups))
	for i, g := range groups {
		shares[i] = g.share()
		linked += g.linkedTotal
		unlinked += g.unlinkedTotal
	}
	fields := make([]*data.Field, 0, len(groupBy)+1)
	for _, name := range groupBy {
		values := make([]string, len(groups))
		for i, g := range groups {
			values[i] = g.labels[name]
		}
		fields = append(fields, data.NewField(name, nil, values))
	}
	if len(groupBy) == 0 { // one number for the whole selector
		shares = []float64{percent(unlinked, linked+unlinked)}
	}
	fields = append(fields, data.NewField("unlinked share", nil, shares).SetConfig(percentConfig()))
	frame := data.NewFrame(coverageShareFrame, fields...)
	frameType := data.FrameTypeNumericWide
	if len(groupBy) > 0 {
		frameType = data.FrameTypeNumericLong
	}
	frame.Meta = &data.FrameMeta{Type: frameType, TypeVersion: data.FrameTypeVersion{0, 1}}
	frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(
		"%.1f%% of the value has no trace_id label (%s of %s).", percent(unlinked, linked+unlinked),
		formatValue(unlinked, unit), formatValue(linked+unlinked, unit))})
	return frame
}

func percentConfig() *data.FieldConfig {
	zero, hundred := data.ConfFloat64(0), data.ConfFloat64(100)
	return &data.FieldConfig{Unit: "percent", Min: &zero, Max: &hundred}
}
