package report

import (
	"slices"
	"testing"
)

// graph builds a FlameGraph from rows of (level, label, value, self).
func graph(rows ...any) *FlameGraph {
	fg := &FlameGraph{}
	labels := newLabelTable()
	for i := 0; i < len(rows); i += 4 {
		fg.Level = append(fg.Level, int64(rows[i].(int)))
		fg.Label = append(fg.Label, labels.id(rows[i+1].(string)))
		fg.Value = append(fg.Value, int64(rows[i+2].(int)))
		fg.Self = append(fg.Self, int64(rows[i+3].(int)))
	}
	fg.LabelText = labels.text
	return fg
}

func TestMergeDiffMatchesStacksAndKeepsBothTotals(t *testing.T) {
	// Values far beyond 32 bits: Parca's own diff report wraps these around.
	const g = int64(1_000_000_000)
	left := graph(
		0, "total", int(6*g), 0,
		1, "main", int(6*g), 0,
		2, "encode", int(5*g), int(5*g),
		2, "hash", int(1*g), int(1*g),
	)
	right := graph(
		0, "total", int(3*g), 0,
		1, "main", int(3*g), 0,
		2, "hash", int(2*g), int(2*g),
		2, "regexp", int(1*g), int(1*g),
	)
	got := MergeDiff(left, right)
	type row struct {
		level               int64
		label               string
		value, self, vr, sr int64
	}
	var rows []row
	for i := 0; i < got.Rows(); i++ {
		rows = append(rows, row{got.Level[i], got.LabelText[got.Label[i]], got.Value[i], got.Self[i], got.ValueRight[i], got.SelfRight[i]})
	}
	want := []row{
		{0, "total", 6 * g, 0, 3 * g, 0},
		{1, "main", 6 * g, 0, 3 * g, 0},
		{2, "encode", 5 * g, 5 * g, 0, 0},
		{2, "hash", 1 * g, 1 * g, 2 * g, 2 * g},
		{2, "regexp", 0, 0, 1 * g, 1 * g},
	}
	if !slices.Equal(rows, want) {
		t.Fatalf("merged diff:\n got %v\nwant %v", rows, want)
	}
}

func TestMergeDiffSameLabelUnderDifferentParentsStaysApart(t *testing.T) {
	left := graph(0, "total", 3, 0, 1, "a", 2, 0, 2, "x", 2, 2, 1, "b", 1, 0, 2, "x", 1, 1)
	got := MergeDiff(left, graph())
	if got.Rows() != 5 {
		t.Fatalf("want 5 nodes (x under a and under b), got %d", got.Rows())
	}
	if got.ValueRight[0] != 0 || got.Value[0] != 3 {
		t.Fatalf("root = %d/%d, want 3/0", got.Value[0], got.ValueRight[0])
	}
}

func TestMergeDiffOfNothingIsEmpty(t *testing.T) {
	if got := MergeDiff(graph(), &FlameGraph{}); got.Rows() != 0 {
		t.Fatalf("want no rows, got %d", got.Rows())
	}
}
