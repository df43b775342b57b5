// Package reporttest builds Arrow records shaped like Parca's FLAMEGRAPH_ARROW and
// TABLE_ARROW with arrow-go's builders, in any integer and dictionary-index width, for tests
// and benchmarks of the decoders.
package reporttest

import (
	"bytes"
	"fmt"
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Node is one flame graph row as Parca stores it. Row 0 is the root.
type Node struct {
	Function   string // "" writes a null function_name (an unsymbolized frame)
	Mapping    string
	Address    uint64
	Cumulative int64
	Flat       int64
	Diff       int64
	Children   []uint32
	LabelsOnly bool
	Labels     map[string]string // only on LabelsOnly rows
}

// Widths chooses the Arrow types Parca would pick for the data.
type Widths struct {
	Value arrow.DataType // cumulative, flat
	Diff  arrow.DataType // signed
	Index arrow.DataType // dictionary indices
	LZ4   bool
}

// Typical is what Parca writes for a mid-sized profile.
var Typical = Widths{Value: arrow.PrimitiveTypes.Uint32, Diff: arrow.PrimitiveTypes.Int32, Index: arrow.PrimitiveTypes.Uint32, LZ4: true}

// FlameRecord builds a FLAMEGRAPH_ARROW IPC stream of nodes.
func FlameRecord(nodes []Node, w Widths) ([]byte, error) {
	mem := memory.NewGoAllocator()
	dict := func() *arrow.DictionaryType {
		return &arrow.DictionaryType{IndexType: w.Index, ValueType: arrow.BinaryTypes.String}
	}
	labelNames := labelNamesOf(nodes)
	fields := []arrow.Field{
		{Name: "labels_only", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "location_address", Type: arrow.PrimitiveTypes.Uint64},
		{Name: "mapping_file", Type: dict(), Nullable: true},
		{Name: "function_name", Type: dict(), Nullable: true},
		{Name: "children", Type: arrow.ListOf(arrow.PrimitiveTypes.Uint32), Nullable: true},
		{Name: "cumulative", Type: w.Value},
		{Name: "flat", Type: w.Value},
		{Name: "diff", Type: w.Diff},
	}
	for _, name := range labelNames {
		fields = append(fields, arrow.Field{Name: "labels." + name, Type: dict(), Nullable: true})
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()

	labelsOnly := b.Field(0).(*array.BooleanBuilder)
	address := b.Field(1).(*array.Uint64Builder)
	mapping := b.Field(2).(*array.BinaryDictionaryBuilder)
	function := b.Field(3).(*array.BinaryDictionaryBuilder)
	children := b.Field(4).(*array.ListBuilder)
	childValues := children.ValueBuilder().(*array.Uint32Builder)
	for _, n := range nodes {
		labelsOnly.Append(n.LabelsOnly)
		address.Append(n.Address)
		if err := appendDict(mapping, n.Mapping); err != nil {
			return nil, err
		}
		if err := appendDict(function, n.Function); err != nil {
			return nil, err
		}
		if len(n.Children) == 0 {
			children.AppendNull()
		} else {
			children.Append(true)
			childValues.AppendValues(n.Children, nil)
		}
		if err := appendInt(b.Field(5), n.Cumulative); err != nil {
			return nil, err
		}
		if err := appendInt(b.Field(6), n.Flat); err != nil {
			return nil, err
		}
		if err := appendInt(b.Field(7), n.Diff); err != nil {
			return nil, err
		}
		for i, name := range labelNames {
			if err := appendDict(b.Field(8+i).(*array.BinaryDictionaryBuilder), n.Labels[name]); err != nil {
				return nil, err
			}
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	return writeStream(rec, w.LZ4)
}

func labelNamesOf(nodes []Node) []string {
	var names []string
	seen := map[string]bool{}
	for _, n := range nodes {
		for name := range n.Labels {
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	return names
}

func appendDict(b *array.BinaryDictionaryBuilder, s string) error {
	if s == "" {
		b.AppendNull()
		return nil
	}
	return b.AppendString(s)
}

// appendInt appends v to an integer builder of any width.
func appendInt(b array.Builder, v int64) error {
	switch ib := b.(type) {
	case *array.Int8Builder:
		ib.Append(int8(v))
	case *array.Int16Builder:
		ib.Append(int16(v))
	case *array.Int32Builder:
		ib.Append(int32(v))
	case *array.Int64Builder:
		ib.Append(v)
	case *array.Uint8Builder:
		ib.Append(uint8(v))
	case *array.Uint16Builder:
		ib.Append(uint16(v))
	case *array.Uint32Builder:
		ib.Append(uint32(v))
	case *array.Uint64Builder:
		ib.Append(uint64(v))
	default:
		return fmt.Errorf("not an integer builder: %T", b)
	}
	return nil
}

func writeStream(rec arrow.RecordBatch, lz4 bool) ([]byte, error) {
	var buf bytes.Buffer
	opts := []ipc.Option{ipc.WithSchema(rec.Schema())}
	if lz4 {
		opts = append(opts, ipc.WithLZ4())
	}
	w := ipc.NewWriter(&buf, opts...)
	if err := w.Write(rec); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SyntheticTree makes a flame graph of n nodes shaped like a real CPU profile: a few deep
// stacks with fan-out near the top, function names drawn from a pool of n/8 (functions recur
// under different callers), values consistent (cumulative = flat + children). Rows are in
// creation order, not depth-first label order, so decoding has to reorder them.
func SyntheticTree(n int, seed uint64) []Node {
	if n < 1 {
		n = 1
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pool := max(n/8, 4)
	nodes := make([]Node, n)
	nodes[0] = Node{}
	parent := make([]int, n)
	for i := 1; i < n; i++ {
		// Attach to a recent node most of the time (deep stacks), sometimes near the top.
		var p int
		if rng.IntN(4) == 0 {
			p = rng.IntN(min(i, 32))
		} else {
			p = max(0, i-1-rng.IntN(min(i, 8)))
		}
		parent[i] = p
		nodes[p].Children = append(nodes[p].Children, uint32(i))
		fn := rng.IntN(pool)
		nodes[i].Function = fmt.Sprintf("github.com/spanflame/demo/pkg%d.Function%d", fn%97, fn)
		nodes[i].Mapping = "/usr/local/bin/shop"
		nodes[i].Address = 0x400000 + uint64(i)*16
		nodes[i].Flat = int64(rng.IntN(1000)) * 10_000_000
	}
	for i := n - 1; i >= 1; i-- { // children have higher indices: one backward pass sums them
		nodes[i].Cumulative += nodes[i].Flat
		nodes[parent[i]].Cumulative += nodes[i].Cumulative
		nodes[i].Diff = nodes[i].Cumulative / 4
	}
	nodes[0].Diff = nodes[0].Cumulative / 4
	return nodes
}

// TableRow is one TABLE_ARROW row.
type TableRow struct {
	Function, File, Mapping string
	Address                 uint64
	Flat, Cumulative        int64
}

// TableRecord builds a TABLE_ARROW IPC stream with the given value and index widths.
func TableRecord(rows []TableRow, w Widths) ([]byte, error) {
	mem := memory.NewGoAllocator()
	dict := &arrow.DictionaryType{IndexType: w.Index, ValueType: arrow.BinaryTypes.String}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "mapping_file", Type: dict, Nullable: true},
		{Name: "location_address", Type: arrow.PrimitiveTypes.Uint64},
		{Name: "function_name", Type: dict, Nullable: true},
		{Name: "function_file_name", Type: dict, Nullable: true},
		{Name: "cumulative", Type: w.Value},
		{Name: "flat", Type: w.Value},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for _, r := range rows {
		if err := appendDict(b.Field(0).(*array.BinaryDictionaryBuilder), r.Mapping); err != nil {
			return nil, err
		}
		b.Field(1).(*array.Uint64Builder).Append(r.Address)
		if err := appendDict(b.Field(2).(*array.BinaryDictionaryBuilder), r.Function); err != nil {
			return nil, err
		}
		if err := appendDict(b.Field(3).(*array.BinaryDictionaryBuilder), r.File); err != nil {
			return nil, err
		}
		if err := appendInt(b.Field(4), r.Cumulative); err != nil {
			return nil, err
		}
		if err := appendInt(b.Field(5), r.Flat); err != nil {
			return nil, err
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	return writeStream(rec, w.LZ4)
}
