package report

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/spanflame/spanflame/pkg/report/reporttest"
)

// The fuzz targets build records with arrow-go from fuzzed trees rather than feeding raw
// bytes to arrow-go's IPC reader: the reader trusts flatbuffer vector lengths in the schema
// and can make a slice of any size a corrupt header claims (a fatal out-of-memory no recover
// catches). That parser is arrow-go's and its input is the configured Parca's answer; what
// these targets check is this package's own handling of whatever a well-formed record holds:
// children out of range or in cycles, nulls, every integer and index width.

var fuzzWidths = []arrow.DataType{
	arrow.PrimitiveTypes.Uint8, arrow.PrimitiveTypes.Uint16, arrow.PrimitiveTypes.Uint32, arrow.PrimitiveTypes.Uint64,
	arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Int16, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64,
}

// fuzzTree reads a tree from fuzz bytes: per node, a child count, child indices (any value),
// a function index, a value and whether it is a label-group row.
func fuzzTree(data []byte) ([]reporttest.Node, reporttest.Widths) {
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return b
	}
	w := reporttest.Widths{Value: fuzzWidths[next()%8], Diff: fuzzWidths[4+next()%4], Index: fuzzWidths[next()%8], LZ4: next()%2 == 0}
	var nodes []reporttest.Node
	for len(data) > 0 && len(nodes) < 200 {
		n := reporttest.Node{Cumulative: int64(next()), Flat: int64(next() % 16), Diff: int64(int8(next()))}
		for range next() % 4 {
			n.Children = append(n.Children, uint32(next())%260)
		}
		switch f := next(); {
		case f%5 == 0: // unsymbolized
			n.Address = uint64(f)
		case f%7 == 0:
			n.LabelsOnly, n.Labels = true, map[string]string{"service_name": fmt.Sprint(f)}
		default:
			n.Function = fmt.Sprintf("fn%d", f%32)
		}
		nodes = append(nodes, n)
	}
	if len(nodes) == 0 {
		nodes = append(nodes, reporttest.Node{})
	}
	return nodes, w
}

// FuzzFlameGraphRecord: no tree panics the decoder, and what decodes is depth-first (each row
// at most one level below the previous), visits each stored row at most once, and has one
// label per row.
func FuzzFlameGraphRecord(f *testing.F) {
	f.Add([]byte{2, 1, 3, 0, 50, 2, 1, 2, 11, 30, 5, 0, 9, 20, 3, 0, 4, 1, 1, 0})
	f.Add([]byte{7, 3, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		nodes, w := fuzzTree(data)
		stream, err := reporttest.FlameRecord(nodes, w)
		if err != nil {
			return // a value the chosen width cannot hold
		}
		for _, diff := range []bool{false, true} {
			fg, err := DecodeFlameGraph(stream, diff)
			if err != nil {
				t.Fatalf("a well-formed record failed to decode: %v", err)
			}
			if fg.Rows() > len(nodes) {
				t.Fatalf("%d rows from %d nodes", fg.Rows(), len(nodes))
			}
			for i := range fg.Level {
				if i > 0 && fg.Level[i] > fg.Level[i-1]+1 {
					t.Fatalf("row %d jumps from level %d to %d", i, fg.Level[i-1], fg.Level[i])
				}
				if int(fg.Label[i]) >= len(fg.LabelText) {
					t.Fatalf("row %d has label %d of %d", i, fg.Label[i], len(fg.LabelText))
				}
			}
			_ = fg.Frame("fuzz", "ns")
		}
	})
}

// FuzzTableRecord: no table panics the table decoder, and rows come ranked.
func FuzzTableRecord(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, 3)
	f.Fuzz(func(t *testing.T, data []byte, limit int) {
		var rows []reporttest.TableRow
		for i := 0; i+2 < len(data) && len(rows) < 100; i += 3 {
			row := reporttest.TableRow{Flat: int64(data[i]), Cumulative: int64(data[i]) + int64(data[i+1]), Mapping: "/bin/x"}
			if data[i+2]%3 != 0 {
				row.Function = fmt.Sprintf("fn%d", data[i+2])
			}
			rows = append(rows, row)
		}
		w := reporttest.Widths{Value: fuzzWidths[len(data)%8], Index: fuzzWidths[(len(data)/8)%8]}
		stream, err := reporttest.TableRecord(rows, w)
		if err != nil {
			return
		}
		got, total, err := DecodeTable(stream, limit, ByFlat)
		if err != nil {
			t.Fatalf("a well-formed table failed to decode: %v", err)
		}
		if total != len(rows) || len(got) > total {
			t.Fatalf("%d rows of %d (wrote %d)", len(got), total, len(rows))
		}
		for i := 1; i < len(got); i++ {
			if got[i].Flat > got[i-1].Flat {
				t.Fatalf("row %d (%d) ranks above row %d (%d)", i, got[i].Flat, i-1, got[i-1].Flat)
			}
		}
	})
}
