//go:build integration

package integration

import (
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// flameLabels returns the distinct node labels of a flame graph frame (none for an empty
// answer: a frame without fields).
func flameLabels(t testing.TB, frame *data.Frame) map[string]bool {
	t.Helper()
	if len(frame.Fields) == 0 {
		return map[string]bool{}
	}
	field, _ := frame.FieldByName("label")
	if field == nil {
		t.Fatalf("frame %q has no label field", frame.Name)
	}
	out := map[string]bool{}
	texts := []string{}
	if field.Config != nil && field.Config.TypeConfig != nil && field.Config.TypeConfig.Enum != nil {
		texts = field.Config.TypeConfig.Enum.Text
	}
	for i := 0; i < field.Len(); i++ {
		switch v := field.At(i).(type) {
		case data.EnumItemIndex:
			out[texts[v]] = true
		case string:
			out[v] = true
		}
	}
	return out
}

// rootValue is the root node's value (the flame graph's total).
func rootValue(t testing.TB, frame *data.Frame, field string) int64 {
	t.Helper()
	f, _ := frame.FieldByName(field)
	if f == nil || f.Len() == 0 {
		return 0
	}
	v, err := frame.FloatAt(fieldIndex(frame, field), 0)
	if err != nil {
		t.Fatal(err)
	}
	return int64(v)
}

func fieldIndex(frame *data.Frame, name string) int {
	for i, f := range frame.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

func mustOK(t testing.TB, dr backend.DataResponse) {
	t.Helper()
	if dr.Error != nil {
		t.Fatalf("query failed: %v (status %d, source %s)", dr.Error, dr.Status, dr.ErrorSource)
	}
	if len(dr.Frames) == 0 {
		t.Fatal("query returned no frames")
	}
}

func shortName(fq string) string {
	if i := strings.LastIndex(fq, "/"); i >= 0 {
		return fq[i+1:]
	}
	return fq
}
