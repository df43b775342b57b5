package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/spanflame/spanflame/pkg/report/reporttest"
)

// smallTree is stored out of depth-first order: main (row 3) holds handler (row 1), and the
// root lists main before gc although gc sorts first.
func smallTree() []reporttest.Node {
	return []reporttest.Node{
		{Cumulative: 100, Flat: 0, Diff: 40, Children: []uint32{3, 2}},
		{Function: "main.handler", Mapping: "/bin/shop", Cumulative: 60, Flat: 60, Diff: 30},
		{Function: "runtime.gcBgMarkWorker", Mapping: "/bin/shop", Cumulative: 30, Flat: 30, Diff: 0},
		{Function: "main.main", Mapping: "/bin/shop", Cumulative: 70, Flat: 10, Diff: 40, Children: []uint32{1}},
	}
}

type flameRow struct {
	level       int64
	label       string
	value, self int64
}

func rowsOf(fg *FlameGraph) []flameRow {
	out := make([]flameRow, fg.Rows())
	for i := range out {
		out[i] = flameRow{fg.Level[i], fg.LabelText[fg.Label[i]], fg.Value[i], fg.Self[i]}
	}
	return out
}

var allIntTypes = []arrow.DataType{
	arrow.PrimitiveTypes.Uint8, arrow.PrimitiveTypes.Uint16, arrow.PrimitiveTypes.Uint32, arrow.PrimitiveTypes.Uint64,
	arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Int16, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64,
}

// TestDecodeFlameGraphAllWidths decodes the same tree written with every integer width for the
// values and every index width for the dictionaries, compressed and not.
func TestDecodeFlameGraphAllWidths(t *testing.T) {
	want := []flameRow{
		{0, "total", 100, 0},
		{1, "main.main", 70, 10},
		{2, "main.handler", 60, 60},
		{1, "runtime.gcBgMarkWorker", 30, 30},
	}
	for _, value := range allIntTypes {
		for _, index := range allIntTypes {
			for _, lz4 := range []bool{true, false} {
				name := fmt.Sprintf("value=%s/index=%s/lz4=%v", value, index, lz4)
				t.Run(name, func(t *testing.T) {
					stream, err := reporttest.FlameRecord(smallTree(), reporttest.Widths{Value: value, Diff: arrow.PrimitiveTypes.Int8, Index: index, LZ4: lz4})
					if err != nil {
						t.Fatal(err)
					}
					fg, err := DecodeFlameGraph(stream, false)
					if err != nil {
						t.Fatal(err)
					}
					if got := rowsOf(fg); !slices.Equal(got, want) {
						t.Fatalf("rows:\n got %v\nwant %v", got, want)
					}
				})
			}
		}
	}
}

func TestDecodeFlameGraphDiff(t *testing.T) {
	for _, diffType := range []arrow.DataType{arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Int16, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64} {
		stream, err := reporttest.FlameRecord(smallTree(), reporttest.Widths{Value: arrow.PrimitiveTypes.Uint16, Diff: diffType, Index: arrow.PrimitiveTypes.Uint8, LZ4: true})
		if err != nil {
			t.Fatal(err)
		}
		fg, err := DecodeFlameGraph(stream, true)
		if err != nil {
			t.Fatal(err)
		}
		// left = cumulative - diff; self = value - children's values on each side.
		wantLeft, wantRight := []int64{60, 30, 30, 30}, []int64{100, 70, 60, 30}
		wantSelfLeft, wantSelfRight := []int64{0, 0, 30, 30}, []int64{0, 10, 60, 30}
		if !slices.Equal(fg.Value, wantLeft) || !slices.Equal(fg.ValueRight, wantRight) ||
			!slices.Equal(fg.Self, wantSelfLeft) || !slices.Equal(fg.SelfRight, wantSelfRight) {
			t.Fatalf("%s: value %v right %v self %v selfRight %v", diffType, fg.Value, fg.ValueRight, fg.Self, fg.SelfRight)
		}
	}
}

func TestDecodeFlameGraphLabels(t *testing.T) {
	nodes := []reporttest.Node{
		{Cumulative: 10, Children: []uint32{1}},
		{LabelsOnly: true, Labels: map[string]string{"service_name": "checkout"}, Cumulative: 10, Children: []uint32{2, 3}},
		{Mapping: "/usr/lib/libc.so.6", Address: 0xdead, Cumulative: 4, Flat: 4},
		{Address: 0xbeef, Cumulative: 6, Flat: 6},
	}
	fg := decodeNodes(t, nodes, reporttest.Typical)
	var labels []string
	for _, id := range fg.Label {
		labels = append(labels, fg.LabelText[id])
	}
	want := []string{"total", "service_name=checkout", "0xbeef", "[libc.so.6] 0xdead"}
	if !slices.Equal(labels, want) {
		t.Fatalf("labels = %q, want %q", labels, want)
	}
}

// TestDecodeFlameGraphMalformed: children that point outside the record, at the root or in a
// cycle are ignored instead of looping or panicking.
func TestDecodeFlameGraphMalformed(t *testing.T) {
	nodes := []reporttest.Node{
		{Cumulative: 3, Children: []uint32{1, 99, 0}},
		{Function: "a", Cumulative: 2, Children: []uint32{2}},
		{Function: "b", Cumulative: 1, Children: []uint32{1}},
	}
	fg := decodeNodes(t, nodes, reporttest.Typical)
	if fg.Rows() != 3 || !slices.Equal(fg.Level, []int64{0, 1, 2}) {
		t.Fatalf("levels = %v", fg.Level)
	}
	if _, err := DecodeFlameGraph([]byte("not arrow"), false); err == nil {
		t.Fatal("garbage decoded without error")
	}
	if _, err := DecodeFlameGraph(nil, false); err == nil {
		t.Fatal("empty stream decoded without error")
	}
}

func TestFlameGraphFrame(t *testing.T) {
	fg := decodeNodes(t, smallTree(), reporttest.Typical)
	frame := fg.Frame("profile", "ns")
	var names []string
	for _, f := range frame.Fields {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != "level,value,self,label" {
		t.Fatalf("fields = %v", names)
	}
	if frame.Meta.PreferredVisualization != data.VisTypeFlameGraph {
		t.Fatalf("visualization = %q", frame.Meta.PreferredVisualization)
	}
	label := frame.Fields[3]
	if label.Type() != data.FieldTypeEnum || label.Config.TypeConfig.Enum.Text[0] != "total" {
		t.Fatalf("label field = %s %+v", label.Type(), label.Config)
	}
	if frame.Fields[1].Config.Unit != "ns" {
		t.Fatalf("unit = %q", frame.Fields[1].Config.Unit)
	}

	diffStream, err := reporttest.FlameRecord(smallTree(), reporttest.Typical)
	if err != nil {
		t.Fatal(err)
	}
	diff, err := DecodeFlameGraph(diffStream, true)
	if err != nil {
		t.Fatal(err)
	}
	if diff.Frame("diff", "bytes").Fields[3].Name != FieldValueRight {
		t.Fatal("diff frame has no valueRight after self")
	}
}

func TestSyntheticTreeDecodesWhole(t *testing.T) {
	nodes := reporttest.SyntheticTree(5000, 1)
	fg := decodeNodes(t, nodes, reporttest.Widths{Value: arrow.PrimitiveTypes.Uint64, Diff: arrow.PrimitiveTypes.Int64, Index: arrow.PrimitiveTypes.Uint32, LZ4: true})
	if fg.Rows() != len(nodes) || fg.Value[0] != nodes[0].Cumulative {
		t.Fatalf("rows %d (want %d), root %d (want %d)", fg.Rows(), len(nodes), fg.Value[0], nodes[0].Cumulative)
	}
	// Depth-first: each row's level is at most one deeper than the row before.
	for i := 1; i < fg.Rows(); i++ {
		if fg.Level[i] > fg.Level[i-1]+1 || fg.Level[i] < 1 {
			t.Fatalf("row %d jumps from level %d to %d", i, fg.Level[i-1], fg.Level[i])
		}
	}
}

// decodeNodes encodes nodes as Parca's Arrow record with the given widths and decodes them as a
// plain (not diff) flame graph, failing the test on any error.
func decodeNodes(t testing.TB, nodes []reporttest.Node, widths reporttest.Widths) *FlameGraph {
	t.Helper()
	stream, err := reporttest.FlameRecord(nodes, widths)
	if err != nil {
		t.Fatal(err)
	}
	fg, err := DecodeFlameGraph(stream, false)
	if err != nil {
		t.Fatal(err)
	}
	return fg
}
