package report

import (
	"math"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// FlameGraph frame field names, as Grafana's flame graph panel reads them.
const (
	FieldLevel      = "level"
	FieldValue      = "value"
	FieldSelf       = "self"
	FieldLabel      = "label"
	FieldValueRight = "valueRight"
	FieldSelfRight  = "selfRight"
)

// Frame builds the flame graph frame: level (int32), value, self (and valueRight, selfRight
// for a diff) in unit, and label as an enum field (a string field when there are more distinct
// labels than an enum index can hold). The frame prefers the flame graph visualization.
func (fg *FlameGraph) Frame(name, unit string) *data.Frame {
	valueConfig := &data.FieldConfig{Unit: unit}
	fields := []*data.Field{
		data.NewField(FieldLevel, nil, narrowLevels(fg.Level)),
		data.NewField(FieldValue, nil, fg.Value).SetConfig(valueConfig),
		data.NewField(FieldSelf, nil, fg.Self).SetConfig(valueConfig),
	}
	if fg.IsDiff() {
		fields = append(fields,
			data.NewField(FieldValueRight, nil, fg.ValueRight).SetConfig(valueConfig),
			data.NewField(FieldSelfRight, nil, fg.SelfRight).SetConfig(valueConfig))
	}
	fields = append(fields, fg.labelField())
	frame := data.NewFrame(name, fields...)
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeFlameGraph}
	return frame
}

func (fg *FlameGraph) labelField() *data.Field {
	if len(fg.LabelText) > math.MaxUint16+1 {
		labels := make([]string, len(fg.Label))
		for i, id := range fg.Label {
			labels[i] = fg.LabelText[id]
		}
		return data.NewField(FieldLabel, nil, labels)
	}
	indices := make([]data.EnumItemIndex, len(fg.Label))
	for i, id := range fg.Label {
		indices[i] = data.EnumItemIndex(id)
	}
	field := data.NewField(FieldLabel, nil, indices)
	field.Config = &data.FieldConfig{TypeConfig: &data.FieldTypeConfig{Enum: &data.EnumFieldConfig{Text: fg.LabelText}}}
	return field
}

// narrowLevels is the level column as int32: a stack is never 2^31 frames deep, and the frame
// is encoded once per caller (fifty panels on one dashboard, fifty encodings held at once until
// Grafana has read them), so 4 bytes a node less is 4 bytes less in each copy. Grafana's flame
// graph reads any number type.
func narrowLevels(levels []int64) []int32 {
	narrow := make([]int32, len(levels))
	for i, l := range levels {
		narrow[i] = int32(l)
	}
	return narrow
}
