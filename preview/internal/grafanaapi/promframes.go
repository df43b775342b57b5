package grafanaapi

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Frames in the shapes Grafana's Prometheus datasource answers with: one "timeseries-multi" frame
// per series (fields Time and Value, the series labels on Value, the legend as its display name);
// format "table" one frame with Time, a column per label and "Value #<refId>"; format "heatmap" one
// "heatmap-rows" frame with a field per `le` bucket, counts de-accumulated as Grafana's heatmap
// transform does.

type promSeries struct {
	Metric map[string]string `json:"metric"`
	Values [][2]any          `json:"values"` // matrix
	Value  *[2]any           `json:"value"`  // vector
}

type promData struct {
	ResultType string          `json:"resultType"`
	Result     json.RawMessage `json:"result"`
}

type series struct {
	labels data.Labels
	times  []time.Time
	values []float64
}

func parseSample(pair [2]any) (time.Time, float64, error) {
	ts, ok := pair[0].(float64)
	text, ok2 := pair[1].(string)
	if !ok || !ok2 {
		return time.Time{}, 0, fmt.Errorf("sample %v is not [time, \"value\"]", pair)
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("sample value %q: %w", text, err)
	}
	return time.UnixMilli(int64(math.Round(ts * 1000))).UTC(), v, nil
}

func readSeries(raw json.RawMessage) ([]series, string, error) {
	var d promData
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, "", err
	}
	var out []series
	switch d.ResultType {
	case "matrix", "vector":
		var list []promSeries
		if err := json.Unmarshal(d.Result, &list); err != nil {
			return nil, "", err
		}
		for _, ps := range list {
			s := series{labels: data.Labels(ps.Metric)}
			pairs := ps.Values
			if ps.Value != nil {
				pairs = [][2]any{*ps.Value}
			}
			for _, p := range pairs {
				t, v, err := parseSample(p)
				if err != nil {
					return nil, "", err
				}
				s.times, s.values = append(s.times, t), append(s.values, v)
			}
			out = append(out, s)
		}
	case "scalar":
		var p [2]any
		if err := json.Unmarshal(d.Result, &p); err != nil {
			return nil, "", err
		}
		t, v, err := parseSample(p)
		if err != nil {
			return nil, "", err
		}
		out = append(out, series{labels: data.Labels{}, times: []time.Time{t}, values: []float64{v}})
	default:
		return nil, "", fmt.Errorf("result type %q is not supported", d.ResultType)
	}
	return out, d.ResultType, nil
}

var legendLabel = regexp.MustCompile(`\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}`)

// legend is Grafana's legend: the legend format with {{label}} filled in, else the series' labels.
func legend(format string, labels data.Labels, expr string) string {
	if format != "" && format != "__auto" {
		return legendLabel.ReplaceAllStringFunc(format, func(m string) string {
			return labels[legendLabel.FindStringSubmatch(m)[1]]
		})
	}
	if len(labels) == 0 {
		return expr
	}
	name := labels["__name__"]
	var parts []string
	for _, k := range sortedLabelNames(labels) {
		if k != "__name__" {
			parts = append(parts, fmt.Sprintf("%s=%q", k, labels[k]))
		}
	}
	return name + "{" + strings.Join(parts, ", ") + "}"
}

func sortedLabelNames(l data.Labels) []string {
	names := make([]string, 0, len(l))
	for k := range l {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func promFrames(raw json.RawMessage, q promQuery, refID, executed string) (data.Frames, error) {
	list, resultType, err := readSeries(raw)
	if err != nil {
		return nil, err
	}
	meta := func(t data.FrameType) *data.FrameMeta {
		return &data.FrameMeta{Type: t, TypeVersion: data.FrameTypeVersion{0, 1}, ExecutedQueryString: executed,
			Custom: map[string]any{"resultType": resultType}}
	}
	switch q.Format {
	case "heatmap":
		return data.Frames{heatmapFrame(list, q, refID, meta(data.FrameType("heatmap-rows")))}, nil
	case "table":
		return data.Frames{tableFrame(list, refID, meta(data.FrameTypeNumericLong))}, nil
	}
	frames := data.Frames{}
	for _, s := range list {
		value := data.NewField("Value", s.labels, s.values)
		value.Config = &data.FieldConfig{DisplayNameFromDS: legend(q.LegendFormat, s.labels, q.Expr)}
		f := data.NewFrame("", data.NewField("Time", nil, s.times), value)
		f.RefID, f.Meta = refID, meta(data.FrameTypeTimeSeriesMulti)
		frames = append(frames, f)
	}
	if len(frames) == 0 {
		// No series: an empty frame that still carries the executed query, as Grafana answers.
		f := data.NewFrame("", data.NewField("Time", nil, []time.Time{}), data.NewField("Value", nil, []float64{}))
		f.RefID, f.Meta = refID, meta(data.FrameTypeTimeSeriesMulti)
		frames = append(frames, f)
	}
	return frames, nil
}

func tableFrame(list []series, refID string, meta *data.FrameMeta) *data.Frame {
	names := map[string]bool{}
	for _, s := range list {
		for k := range s.labels {
			names[k] = true
		}
	}
	var labelNames []string
	for k := range names {
		labelNames = append(labelNames, k)
	}
	sort.Strings(labelNames)
	times, values := []time.Time{}, []float64{}
	columns := make([][]string, len(labelNames))
	for _, s := range list {
		for i := range s.times {
			times, values = append(times, s.times[i]), append(values, s.values[i])
			for j, k := range labelNames {
				columns[j] = append(columns[j], s.labels[k])
			}
		}
	}
	fields := []*data.Field{data.NewField("Time", nil, times)}
	for j, k := range labelNames {
		col := columns[j]
		if col == nil {
			col = []string{}
		}
		fields = append(fields, data.NewField(k, nil, col))
	}
	fields = append(fields, data.NewField("Value #"+refID, nil, values))
	f := data.NewFrame("", fields...)
	f.RefID, f.Meta = refID, meta
	return f
}

// heatmapFrame turns cumulative `le` buckets into per-bucket counts on shared timestamps. Each bucket
// field is named by its `le` and displayed by the query's legend, as Grafana's Prometheus heatmap frames are.
func heatmapFrame(list []series, q promQuery, refID string, meta *data.FrameMeta) *data.Frame {
	type bucket struct {
		le    float64
		label string
		byT   map[int64]float64
	}
	var buckets []bucket
	times := map[int64]time.Time{}
	for _, s := range list {
		le, err := strconv.ParseFloat(s.labels["le"], 64)
		if err != nil {
			continue // not a bucket series
		}
		b := bucket{le: le, label: s.labels["le"], byT: map[int64]float64{}}
		for i, t := range s.times {
			b.byT[t.UnixMilli()] += s.values[i]
			times[t.UnixMilli()] = t
		}
		buckets = append(buckets, b)
	}
	// Several series with one `le` (a sum missing "by (le)") merge into one bucket.
	sort.Slice(buckets, func(i, j int) bool { return buckets[i].le < buckets[j].le })
	merged := buckets[:0]
	for _, b := range buckets {
		if n := len(merged); n > 0 && merged[n-1].le == b.le {
			for t, v := range b.byT {
				merged[n-1].byT[t] += v
			}
			continue
		}
		merged = append(merged, b)
	}
	keys := make([]int64, 0, len(times))
	for k := range times {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	timeValues := make([]time.Time, len(keys))
	for i, k := range keys {
		timeValues[i] = times[k]
	}
	fields := []*data.Field{data.NewField("Time", nil, timeValues)}
	for i, b := range merged {
		counts := make([]float64, len(keys))
		for j, k := range keys {
			counts[j] = b.byT[k]
			if i > 0 {
				counts[j] -= merged[i-1].byT[k]
			}
			if counts[j] < 0 {
				counts[j] = 0 // a counter reset between buckets' scrapes
			}
		}
		labels := data.Labels{"le": b.label}
		field := data.NewField(b.label, labels, counts)
		field.Config = &data.FieldConfig{DisplayNameFromDS: legend(q.LegendFormat, labels, q.Expr)}
		fields = append(fields, field)
	}
	f := data.NewFrame("", fields...)
	f.RefID, f.Meta = refID, meta
	return f
}
