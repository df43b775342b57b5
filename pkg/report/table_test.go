package report

import (
	"fmt"
	"slices"
	"testing"

	"github.com/spanflame/spanflame/pkg/report/reporttest"
)

func TestDecodeTableAllWidths(t *testing.T) {
	rows := []reporttest.TableRow{
		{Function: "main.slow", File: "/src/main.go", Mapping: "/bin/shop", Flat: 50, Cumulative: 80},
		{Function: "runtime.mallocgc", File: "/go/src/runtime/malloc.go", Mapping: "/bin/shop", Flat: 90, Cumulative: 100},
		{Mapping: "/lib/libc.so.6", Address: 0xabc, Flat: 5, Cumulative: 5},
		{Function: "main.main", File: "/src/main.go", Mapping: "/bin/shop", Flat: 0, Cumulative: 120},
	}
	for _, value := range allIntTypes {
		for _, index := range allIntTypes {
			t.Run(fmt.Sprintf("value=%s/index=%s", value, index), func(t *testing.T) {
				stream, err := reporttest.TableRecord(rows, reporttest.Widths{Value: value, Index: index, LZ4: true})
				if err != nil {
					t.Fatal(err)
				}
				got, total, err := DecodeTable(stream, 3, ByFlat)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, r := range got {
					names = append(names, r.Function)
				}
				if total != 4 || !slices.Equal(names, []string{"runtime.mallocgc", "main.slow", "[libc.so.6] 0xabc"}) {
					t.Fatalf("total %d, rows %q", total, names)
				}
				if got[1].File != "/src/main.go" || got[1].Binary != "/bin/shop" || got[1].Cumulative != 80 {
					t.Fatalf("row = %+v", got[1])
				}
			})
		}
	}
}

func TestDecodeTableByCumulative(t *testing.T) {
	stream, err := reporttest.TableRecord([]reporttest.TableRow{
		{Function: "leaf", Flat: 90, Cumulative: 90},
		{Function: "caller", Flat: 1, Cumulative: 95},
	}, reporttest.Typical)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := DecodeTable(stream, 0, ByCumulative)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Function != "caller" {
		t.Fatalf("first row = %+v", got[0])
	}
}

func TestTableFrame(t *testing.T) {
	frame := TableFrame("top", "ns", []TopFunction{{Function: "f", File: "f.go", Binary: "b", Flat: 1, Cumulative: 2}})
	if frame.Rows() != 1 || len(frame.Fields) != 5 || frame.Fields[3].Name != FieldFlat || frame.Fields[4].Config.Unit != "ns" {
		t.Fatalf("frame = %+v", frame)
	}
}
