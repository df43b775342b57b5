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

// flameColumns are the columns of one record, widened to int64 where they are numbers.
type flameColumns struct {
	rows            int
	childOffsets    []int32 // childOffsets[i]..childOffsets[i+1] index childRows
	childRows       []uint32
	cumulative      []int64
	flat            []int64
	diff            []int64
	functionName    *dictColumn
	systemName      *dictColumn
	mappingFile     *dictColumn
	address         arrow.Array
	labelsOnly      *array.Boolean
	labelNames      []string
	labelColumns    []*dictColumn
	functionLabelID []int32 // dictionary index of function_name -> label id, -1 unset
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
	labels := newLabelTable()
	rowLabel := make([]int32, cols.rows)
	for row := range rowLabel {
		rowLabel[row] = cols.labelID(row, labels)
	}
	// Each row's alphabetical rank, computed in one sequential pass: the walk below then reads
	// one value per child instead of chasing label id -> rank at random.
	ranks := labels.alphabeticalRanks()
	rowRank := make([]uint32, cols.rows)
	for row, id := range rowLabel {
		rowRank[row] = uint32(ranks[id])
	}
	return depthFirst(cols, rowLabel, rowRank, labels.text, diff), nil
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
	for i := 0; i < rows; i++ {
		if offsets[i] < 0 || offsets[i] > offsets[i+1] || int(offsets[i+1]) > values.Len() {
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
		dst  *[]int64
	}{{colCumulative, &c.cumulative}, {colFlat, &c.flat}}
	if diff {
		numbers = append(numbers, struct {
			name string
			dst  *[]int64
		}{colDiff, &c.diff})
	}
	for _, num := range numbers {
		if *num.dst, err = int64Column(column(rec, num.name), rows); err != nil {
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
	c.address = column(rec, colAddress)
	if b, ok := column(rec, colLabelsOnly).(*array.Boolean); ok {
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
	if c.functionName != nil {
		c.functionLabelID = make([]int32, c.functionName.size)
		for i := range c.functionLabelID {
			c.functionLabelID[i] = -1
		}
	}
	return c, nil
}

// depthFirst walks the tree from row 0, children in label order, and writes the rows in the
// order Grafana's panel needs. Rows unreachable from the root are dropped; a malformed record
// (child index out of range, a cycle) cannot loop or panic: each row is visited once.
func depthFirst(c *flameColumns, rowLabel []int32, rowRank []uint32, labelText []string, diff bool) *FlameGraph {
	n := c.rows
	fg := &FlameGraph{
		Level: make([]int64, 0, n), Value: make([]int64, 0, n), Self: make([]int64, 0, n),
		Label: make([]int32, 0, n), LabelText: labelText,
	}
	if diff {
		fg.ValueRight, fg.SelfRight = make([]int64, 0, n), make([]int64, 0, n)
	}
	type frame struct {
		row, depth int
		parent     int // output index of the parent, -1 for the root
	}
	visited := make([]bool, n)
	stack := []frame{{row: 0, depth: 0, parent: -1}}
	visited[0] = true
	// kids holds (label rank << 32 | row) per child, so a plain integer sort orders siblings
	// by label without calling a comparison function.
	var kids []uint64
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		out := len(fg.Level)
		fg.Level = append(fg.Level, int64(top.depth))
		fg.Label = append(fg.Label, rowLabel[top.row])
		right := c.cumulative[top.row]
		if diff {
			left := right - c.diff[top.row]
			fg.Value = append(fg.Value, left)
			fg.ValueRight = append(fg.ValueRight, right)
			// Parca's record has no flat diff: a diff's self is its value minus its children's.
			fg.Self = append(fg.Self, left)
			fg.SelfRight = append(fg.SelfRight, right)
			if top.parent >= 0 {
				fg.Self[top.parent] -= left
				fg.SelfRight[top.parent] -= right
			}
		} else {
			fg.Value = append(fg.Value, right)
			fg.Self = append(fg.Self, c.flat[top.row])
		}

		first, last := c.childOffsets[top.row], c.childOffsets[top.row+1]
		if first == last { // a leaf (Parca writes a null list, which has no values)
			continue
		}
		kids = kids[:0]
		for _, child := range c.childRows[first:last] {
			if child == 0 || int(child) >= n || visited[child] {
				continue
			}
			visited[child] = true
			kids = append(kids, uint64(rowRank[child])<<32|uint64(child))
		}
		if len(kids) > 1 {
			slices.Sort(kids)
		}
		// Push in reverse so the first child in label order is emitted next.
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, frame{row: int(uint32(kids[i])), depth: top.depth + 1, parent: out})
		}
	}
	if diff {
		for i := range fg.Self {
			fg.Self[i] = max(fg.Self[i], 0)
			fg.SelfRight[i] = max(fg.SelfRight[i], 0)
		}
	}
	return fg
}
