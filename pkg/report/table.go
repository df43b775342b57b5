package report

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TopFunction is one row of the top-functions table: a function (or, unsymbolized, an
// address) with its own (flat) and total (cumulative) value.
type TopFunction struct {
	Function   string
	File       string
	Binary     string
	Flat       int64
	Cumulative int64
}

// TableOrder chooses which value ranks the table's rows.
type TableOrder int

const (
	// ByFlat ranks by own value, like pprof's top: where the CPU is spent.
	ByFlat TableOrder = iota
	// ByCumulative ranks by total value: which callers the CPU is spent under.
	ByCumulative
)

// DecodeTable decodes a TABLE_ARROW record into rows ranked by order, largest first, keeping
// at most limit rows (all when limit <= 0). It also returns how many rows there were.
func DecodeTable(stream []byte, limit int, order TableOrder) ([]TopFunction, int, error) {
	var rows []TopFunction
	err := ReadRecord(stream, func(rec arrow.RecordBatch) error {
		var err error
		rows, err = topFunctionsFromRecord(rec)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	slices.SortFunc(rows, func(a, b TopFunction) int {
		if order == ByCumulative {
			return cmp.Or(cmp.Compare(b.Cumulative, a.Cumulative), cmp.Compare(b.Flat, a.Flat), cmp.Compare(a.Function, b.Function))
		}
		return cmp.Or(cmp.Compare(b.Flat, a.Flat), cmp.Compare(b.Cumulative, a.Cumulative), cmp.Compare(a.Function, b.Function))
	})
	total := len(rows)
	if limit > 0 && len(rows) > limit {
		rows = rows[:limit]
	}
	return rows, total, nil
}

func topFunctionsFromRecord(rec arrow.RecordBatch) ([]TopFunction, error) {
	flatArr := column(rec, "flat")
	if flatArr == nil || int64(flatArr.Len()) != rec.NumRows() {
		return nil, fmt.Errorf("table record has no flat value per row")
	}
	n := flatArr.Len() // backed by real memory, unlike the record's row count
	flat, err := int64Column(flatArr, n)
	if err != nil {
		return nil, fmt.Errorf("flat: %w", err)
	}
	cumulative, err := int64Column(column(rec, "cumulative"), n)
	if err != nil {
		return nil, fmt.Errorf("cumulative: %w", err)
	}
	function, err := newDictColumn(column(rec, "function_name"), n)
	if err != nil {
		return nil, fmt.Errorf("function_name: %w", err)
	}
	file, err := newDictColumn(column(rec, "function_file_name"), n)
	if err != nil {
		return nil, fmt.Errorf("function_file_name: %w", err)
	}
	binary, err := newDictColumn(column(rec, "mapping_file"), n)
	if err != nil {
		return nil, fmt.Errorf("mapping_file: %w", err)
	}
	address, _ := column(rec, "location_address").(*array.Uint64)
	rows := make([]TopFunction, n)
	for i := range rows {
		rows[i] = TopFunction{
			Function: function.value(i), File: file.value(i), Binary: binary.value(i),
			Flat: flat[i], Cumulative: cumulative[i],
		}
		if rows[i].Function == "" {
			var addr uint64
			if address != nil && address.IsValid(i) {
				addr = address.Value(i)
			}
			rows[i].Function = "0x" + strconv.FormatUint(addr, 16)
			if rows[i].Binary != "" {
				rows[i].Function = "[" + path.Base(rows[i].Binary) + "] " + rows[i].Function
			}
		}
	}
	return rows, nil
}

// Top-functions frame field names. Self and total, as the flame graph's fields and every
// table in the app name them (pprof's flat and cumulative).
const (
	FieldName     = "name"
	FieldFunction = "function"
	FieldFile     = "file"
	FieldBinary   = "binary"
	FieldTotal    = "total" // and FieldSelf, as in the flame graph frame
)

// ShortFunctionName is a function's name without its package path:
// "github.com/spanflame/spanflame/demo/shop/internal/service.(*Server).handle" reads
// "service.(*Server).handle". A path inside type parameters or a receiver stays.
func ShortFunctionName(name string) string {
	head := name
	if cut := strings.IndexAny(name, "[("); cut >= 0 {
		head = name[:cut]
	}
	if slash := strings.LastIndexByte(head, '/'); slash >= 0 {
		return name[slash+1:]
	}
	return name
}

// TableFrame builds the top-functions frame with values in unit. Long Go names all start
// with the same module path, which a table column cuts off, so the frame leads with the short
// name (package.Function) and keeps the whole name in the function field, hidden from the
// table and shown as the short name's tooltip.
func TableFrame(name, unit string, rows []TopFunction) *data.Frame {
	names := make([]string, len(rows))
	functions := make([]string, len(rows))
	files := make([]string, len(rows))
	binaries := make([]string, len(rows))
	self := make([]int64, len(rows))
	total := make([]int64, len(rows))
	for i, r := range rows {
		names[i], functions[i], files[i], binaries[i], self[i], total[i] = ShortFunctionName(r.Function), r.Function, r.File, r.Binary, r.Flat, r.Cumulative
	}
	// Column titles as the flame graph's table writes them.
	frame := data.NewFrame(name,
		// Beside the cell, Grafana's table sizes the tooltip by the tooltip field's width, wide
		// enough for a whole Go name (below the cell it would take the narrow column's width).
		data.NewField(FieldName, nil, names).SetConfig(&data.FieldConfig{DisplayNameFromDS: "Function",
			Custom: map[string]any{"tooltip": map[string]any{"field": FieldFunction, "placement": "right"}}}),
		data.NewField(FieldFunction, nil, functions).SetConfig(&data.FieldConfig{
			Custom: map[string]any{"width": 560, "hideFrom": map[string]any{"viz": true, "legend": true, "tooltip": true}}}),
		data.NewField(FieldFile, nil, files).SetConfig(&data.FieldConfig{DisplayNameFromDS: "File"}),
		data.NewField(FieldBinary, nil, binaries).SetConfig(&data.FieldConfig{DisplayNameFromDS: "Binary"}),
		data.NewField(FieldSelf, nil, self).SetConfig(&data.FieldConfig{Unit: unit, DisplayNameFromDS: "Self"}),
		data.NewField(FieldTotal, nil, total).SetConfig(&data.FieldConfig{Unit: unit, DisplayNameFromDS: "Total"}),
	)
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
	return frame
}
