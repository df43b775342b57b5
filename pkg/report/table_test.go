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
	if frame.Rows() != 1 || len(frame.Fields) != 6 || frame.Fields[4].Name != FieldSelf || frame.Fields[5].Name != FieldTotal || frame.Fields[5].Config.Unit != "ns" {
		t.Fatalf("frame = %+v", frame)
	}
}

// TestTableFrameShowsTheEndOfLongNames: the displayed name is package.Function, and the whole
// name is the tooltip's field, kept out of the table itself.
func TestTableFrameShowsTheEndOfLongNames(t *testing.T) {
	long := "github.com/spanflame/spanflame/demo/shop/internal/service.(*Server).handle"
	frame := TableFrame("top", "ns", []TopFunction{{Function: long}})
	name, full := frame.Fields[0], frame.Fields[1]
	if name.At(0) != "service.(*Server).handle" || full.At(0) != long {
		t.Fatalf("name %q, function %q", name.At(0), full.At(0))
	}
	if tip := name.Config.Custom["tooltip"].(map[string]any)["field"]; tip != FieldFunction {
		t.Fatalf("tooltip field = %v", tip)
	}
	if hide := full.Config.Custom["hideFrom"].(map[string]any)["viz"]; hide != true {
		t.Fatalf("the whole name is drawn as a column too: %v", full.Config.Custom)
	}
}

func TestShortFunctionName(t *testing.T) {
	for in, want := range map[string]string{
		"github.com/a/b/pkg.F":                             "pkg.F",
		"github.com/a/b/pkg.(*T).M":                        "pkg.(*T).M",
		"github.com/a/pkg.Map[go.shape.*github.com/x/y.T]": "pkg.Map[go.shape.*github.com/x/y.T]",
		"main.main":                         "main.main",
		"[shop] 0x4a1b2c":                   "[shop] 0x4a1b2c",
		"runtime/internal/syscall.Syscall6": "syscall.Syscall6",
	} {
		if got := ShortFunctionName(in); got != want {
			t.Errorf("ShortFunctionName(%q) = %q, want %q", in, got, want)
		}
	}
}
