package report

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
)

// Column names of Parca's FLAMEGRAPH_ARROW record (pkg/query/flamegraph_arrow.go in Parca).
const (
	colChildren     = "children"
	colCumulative   = "cumulative"
	colFlat         = "flat"
	colDiff         = "diff"
	colFunctionName = "function_name"
	colSystemName   = "function_system_name"
	colMappingFile  = "mapping_file"
	colAddress      = "location_address"
	colLabelsOnly   = "labels_only"
	labelColPrefix  = "labels."
)

// RootLabel names the root node, which Parca leaves unnamed.
const RootLabel = "total"

// FlameGraph is a decoded flame graph: one row per node in depth-first order, root first, the
// shape Grafana's flame graph panel reads. Labels are kept once each in LabelText and
// referenced by index, as the panel's enum label field does.
type FlameGraph struct {
	Level []int64
	// Value and Self are the node's total and own value; in a diff, those of the baseline (left).
	Value []int64
	Self  []int64
	// ValueRight and SelfRight are set in a diff only: the compared (right) side.
	ValueRight []int64
	SelfRight  []int64
	Label      []int32
	LabelText  []string
}

// Rows is the number of nodes.
func (fg *FlameGraph) Rows() int { return len(fg.Level) }

// IsDiff reports whether the graph has a right-hand side.
func (fg *FlameGraph) IsDiff() bool { return fg.ValueRight != nil }

// Total is the root's value (both sides for a diff).
func (fg *FlameGraph) Total() int64 {
	if fg.Rows() == 0 {
		return 0
	}
	total := fg.Value[0]
	if fg.IsDiff() {
		total += fg.ValueRight[0]
	}
	return total
}

// ReadRecord decodes an Arrow IPC stream (LZ4 or uncompressed) holding one record and hands
// it to use; the record is released when use returns. arrow-go can panic on a corrupt stream
// (it trusts the flatbuffer offsets); such a panic becomes an error here, so a bad answer from
// Parca fails one query, not the plugin.
func ReadRecord(stream []byte, use func(rec arrow.RecordBatch) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("corrupt Arrow stream: %v", r)
		}
	}()
	reader, err := ipc.NewReader(bytes.NewReader(stream), ipc.WithAllocator(newBoundedAllocator(len(stream))))
	if err != nil {
		return fmt.Errorf("reading Arrow stream: %w", err)
	}
	defer reader.Release()
	if !reader.Next() {
		if err := reader.Err(); err != nil {
			return fmt.Errorf("reading Arrow record: %w", err)
		}
		return errors.New("arrow stream holds no record")
	}
	return use(reader.RecordBatch())
}

// DecodeFlameGraph decodes a FLAMEGRAPH_ARROW record. With diff set, Parca's `cumulative` is
// the compared (right) profile and `diff` is right minus baseline, so the baseline is
// cumulative - diff (Parca must be asked for absolute values, DiffProfile.absolute = true).
func DecodeFlameGraph(stream []byte, diff bool) (*FlameGraph, error) {
	var fg *FlameGraph
	err := ReadRecord(stream, func(rec arrow.RecordBatch) error {
		var err error
		fg, err = FlameGraphFromRecord(rec, diff)
		return err
	})
	return fg, err
}

// flameColumns are the columns of one record, checked to hold at least rows values each.
// The number columns stay in their Arrow width and are read where they lie (scatterInt64).
type flameColumns struct {
	rows         int
	childOffsets []int32 // childOffsets[i]..childOffsets[i+1] index childRows
	childRows    []uint32
	cumulative   arrow.Array // integers, or nil (zeros)
	flat         arrow.Array
	diff         arrow.Array
	functionName *dictColumn
	systemName   *dictColumn
	mappingFile  *dictColumn
	address      arrow.Array
	labelsOnly   *array.Boolean
	labelNames   []string
	labelColumns []*dictColumn
}

// children lists row's child rows as stored: any value, to be checked before use.
func (c *flameColumns) children(row int) []uint32 {
	return c.childRows[c.childOffsets[row]:c.childOffsets[row+1]]
}

// FlameGraphFromRecord converts a decoded record; see DecodeFlameGraph.
func FlameGraphFromRecord(rec arrow.RecordBatch, diff bool) (*FlameGraph, error) {
	cols, err := readFlameColumns(rec, diff)
	if err != nil {
		return nil, err
	}
	if cols.rows == 0 {
		return &FlameGraph{}, nil
	}
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	labels := newLabelTable()
	rowLabel := cols.rowLabels(labels, s)
	placed := layout(cols, rowLabel, s.textOrder(labels.text), s)
	fg := &FlameGraph{Level: placed.level, Label: placed.label, LabelText: labels.text}
	cols.values(fg, placed.pos, diff)
	return fg, nil
}

// values fills in the value columns of fg, whose rows pos places.
func (c *flameColumns) values(fg *FlameGraph, pos []int32, diff bool) {
	n := fg.Rows()
	value := make([]int64, n)
	scatterInt64(value, c.cumulative, pos)
	if !diff {
		fg.Value, fg.Self = value, make([]int64, n)
		scatterInt64(fg.Self, c.flat, pos)
		return
	}
	left := make([]int64, n)
	scatterInt64(left, c.diff, pos)
	for i, right := range value {
		left[i] = right - left[i]
	}
	fg.Value, fg.ValueRight = left, value
	// Parca's record has no flat diff: a diff's self is its value minus its children's.
	fg.Self, fg.SelfRight = selfFromChildren(fg.Level, left), selfFromChildren(fg.Level, value)
}

// selfFromChildren is each node's value minus its children's values, at least 0, for rows in
// depth-first order (each row's parent is the last row before it one level up).
func selfFromChildren(level, value []int64) []int64 {
	self := slices.Clone(value)
	var path []int // path[l] = the current row at level l
	for row, l := range level {
		path = append(path[:l], row)
		if l > 0 {
			self[path[l-1]] -= value[row]
		}
	}
	for i, v := range self {
		self[i] = max(v, 0)
	}
	return self
}

func readFlameColumns(rec arrow.RecordBatch, diff bool) (*flameColumns, error) {
	childrenArr := column(rec, colChildren)
	if childrenArr == nil {
		return nil, fmt.Errorf("flame graph record has no %q column", colChildren)
	}
	// The children list's offsets are real memory (4 bytes a row), unlike the record's row
	// count, so they bound every slice allocated per row below.
	rows := childrenArr.Len()
	if int64(rows) != rec.NumRows() {
		return nil, fmt.Errorf("flame graph record has %d rows but %d children lists", rec.NumRows(), rows)
	}
	c := &flameColumns{rows: rows}
	// Parca writes list<uint32> with int32 offsets: read those in place; anything else is
	// converted once.
	var offsets []int32
	var values arrow.Array
	switch list := childrenArr.(type) {
	case *array.List:
		offsets = list.Offsets()[:rows+1]
		values = list.ListValues()
	case *array.LargeList:
		offsets = make([]int32, rows+1)
		for i, o := range list.Offsets()[:rows+1] {
			if o < 0 || o > math.MaxInt32 {
				return nil, fmt.Errorf("flame graph column %q has offset %d", colChildren, o)
			}
			offsets[i] = int32(o)
		}
		values = list.ListValues()
	default:
		return nil, fmt.Errorf("flame graph column %q is %s, not a list", colChildren, childrenArr.DataType())
	}
	for i, limit := 0, int32(min(values.Len(), math.MaxInt32)); i < rows; i++ {
		if offsets[i] < 0 || offsets[i] > offsets[i+1] || offsets[i+1] > limit {
			return nil, fmt.Errorf("flame graph column %q has offsets out of order or outside its %d values", colChildren, values.Len())
		}
	}
	if u32, ok := values.(*array.Uint32); ok && u32.NullN() == 0 {
		c.childRows = u32.Uint32Values()
	} else {
		wide, err := int64Column(values, values.Len())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", colChildren, err)
		}
		c.childRows = make([]uint32, len(wide))
		for i, v := range wide {
			if v > 0 && v <= math.MaxUint32 { // anything else is not a child row; 0 is the root
				c.childRows[i] = uint32(v)
			}
		}
	}
	var err error
	c.childOffsets = offsets
	numbers := []struct {
		name string
		dst  *arrow.Array
	}{{colCumulative, &c.cumulative}, {colFlat, &c.flat}}
	if diff {
		numbers = append(numbers, struct {
			name string
			dst  *arrow.Array
		}{colDiff, &c.diff})
	}
	for _, num := range numbers {
		*num.dst = column(rec, num.name)
		if err = checkIntColumn(*num.dst, rows); err != nil {
			return nil, fmt.Errorf("%s: %w", num.name, err)
		}
	}
	for _, dict := range []struct {
		name string
		dst  **dictColumn
	}{{colFunctionName, &c.functionName}, {colSystemName, &c.systemName}, {colMappingFile, &c.mappingFile}} {
		if *dict.dst, err = newDictColumn(column(rec, dict.name), rows); err != nil {
			return nil, fmt.Errorf("%s: %w", dict.name, err)
		}
	}
	// Optional columns that are short (a malformed record) are ignored rather than read past.
	if a := column(rec, colAddress); a != nil && a.Len() >= rows {
		c.address = a
	}
	if b, ok := column(rec, colLabelsOnly).(*array.Boolean); ok && b.Len() >= rows {
		c.labelsOnly = b
	}
	for i, f := range rec.Schema().Fields() {
		if !strings.HasPrefix(f.Name, labelColPrefix) {
			continue
		}
		dc, err := newDictColumn(rec.Column(i), rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		c.labelNames = append(c.labelNames, strings.TrimPrefix(f.Name, labelColPrefix))
		c.labelColumns = append(c.labelColumns, dc)
	}
	return c, nil
}
