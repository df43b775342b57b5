// Package report decodes the Arrow records Parca answers with (FLAMEGRAPH_ARROW and
// TABLE_ARROW) into Grafana data frames.
//
// Parca shrinks its records: integer columns use the narrowest width that holds the data
// (uint8 for a small profile, uint64 for a big one), and dictionary indices likewise. Nothing
// here assumes a width: every integer column goes through int64Column and every dictionary
// through dictColumn, which accept all of them.
package report

import (
	"fmt"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// integer is every Arrow integer value type.
type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// checkIntColumn accepts a missing column (nil, read as zeros) or an integer column of at
// least rows values. rows must already be bounded by a column that holds real memory (see
// readFlameColumns): record metadata alone can claim any row count.
func checkIntColumn(arr arrow.Array, rows int) error {
	if arr == nil {
		return nil
	}
	if !arrow.IsInteger(arr.DataType().ID()) {
		return fmt.Errorf("expected an integer column, got %s", arr.DataType())
	}
	if arr.Len() < rows {
		return fmt.Errorf("column has %d values for %d rows", arr.Len(), rows)
	}
	return nil
}

// int64Column copies an integer column of any width into int64s; nulls read as 0.
// A missing column (nil) reads as all zeros.
func int64Column(arr arrow.Array, rows int) ([]int64, error) {
	if err := checkIntColumn(arr, rows); err != nil {
		return nil, err
	}
	out := make([]int64, rows)
	scatterInt64(out, arr, nil)
	return out, nil
}

// scatterInt64 writes row r of an integer column of any width (nil reads as zeros, nulls as 0)
// to dst[pos[r]-1], skipping rows whose pos is 0; with pos nil, row r goes to dst[r]. Reading
// the column's own buffer where it lies, instead of first widening it into an int64 copy,
// saves a pass and a row-sized allocation per column. arr must have passed checkIntColumn for len(dst) rows, and pos, when
// set, must have one entry per row, pointing inside dst.
func scatterInt64(dst []int64, arr arrow.Array, pos []int32) {
	switch a := arr.(type) {
	case nil:
		return
	case *array.Int8:
		scatter(dst, a.Int8Values(), pos)
	case *array.Int16:
		scatter(dst, a.Int16Values(), pos)
	case *array.Int32:
		scatter(dst, a.Int32Values(), pos)
	case *array.Int64:
		scatter(dst, a.Int64Values(), pos)
	case *array.Uint8:
		scatter(dst, a.Uint8Values(), pos)
	case *array.Uint16:
		scatter(dst, a.Uint16Values(), pos)
	case *array.Uint32:
		scatter(dst, a.Uint32Values(), pos)
	case *array.Uint64:
		scatter(dst, a.Uint64Values(), pos) // values beyond 2^63 do not occur in profiles
	}
	if arr.NullN() == 0 {
		return
	}
	for r := range sourceRows(dst, pos) {
		if arr.IsNull(r) {
			if pos == nil {
				dst[r] = 0
			} else if pos[r] != 0 {
				dst[pos[r]-1] = 0
			}
		}
	}
}

// sourceRows is the number of source rows scatterInt64 reads.
func sourceRows(dst []int64, pos []int32) int {
	if pos == nil {
		return len(dst)
	}
	return len(pos)
}

func scatter[T integer](dst []int64, src []T, pos []int32) {
	if pos == nil {
		for r, v := range src[:len(dst)] {
			dst[r] = int64(v)
		}
		return
	}
	src = src[:len(pos)]
	for r, p := range pos {
		if p != 0 {
			dst[p-1] = int64(src[r])
		}
	}
}

// dictColumn reads a dictionary-encoded string column with any index width.
type dictColumn struct {
	dict *array.Dictionary
	text func(i int) string
	size int
}

func newDictColumn(arr arrow.Array, rows int) (*dictColumn, error) {
	if arr == nil {
		return nil, nil
	}
	dict, ok := arr.(*array.Dictionary)
	if !ok {
		return nil, fmt.Errorf("expected a dictionary column, got %s", arr.DataType())
	}
	if dict.Len() < rows {
		return nil, fmt.Errorf("dictionary column has %d values for %d rows", dict.Len(), rows)
	}
	if !arrow.IsInteger(dict.Indices().DataType().ID()) {
		return nil, fmt.Errorf("dictionary indices are %s, not integers", dict.Indices().DataType())
	}
	c := &dictColumn{dict: dict, size: dict.Dictionary().Len()}
	switch values := dict.Dictionary().(type) {
	case *array.String:
		c.text = values.Value
	case *array.LargeString:
		c.text = values.Value
	case *array.Binary:
		c.text = func(i int) string { return string(values.Value(i)) }
	case *array.LargeBinary:
		c.text = func(i int) string { return string(values.Value(i)) }
	default:
		return nil, fmt.Errorf("expected string dictionary values, got %s", values.DataType())
	}
	return c, nil
}

// indices writes index for every row (one per value of out) at once, in one typed pass:
// the per-row index (through GetValueIndex, which switches on the index width at each call)
// costs several times more.
func (c *dictColumn) indices(out []int32) {
	switch a := c.dict.Indices().(type) {
	case *array.Int8:
		dictIndices(out, a.Int8Values(), c.size)
	case *array.Int16:
		dictIndices(out, a.Int16Values(), c.size)
	case *array.Int32:
		dictIndices(out, a.Int32Values(), c.size)
	case *array.Int64:
		dictIndices(out, a.Int64Values(), c.size)
	case *array.Uint8:
		dictIndices(out, a.Uint8Values(), c.size)
	case *array.Uint16:
		dictIndices(out, a.Uint16Values(), c.size)
	case *array.Uint32:
		dictIndices(out, a.Uint32Values(), c.size)
	case *array.Uint64:
		dictIndices(out, a.Uint64Values(), c.size)
	default: // newDictColumn accepts integer indices only
		for i := range out {
			out[i] = int32(c.index(i))
		}
	}
	if c.dict.NullN() > 0 {
		for i := range out {
			if c.dict.IsNull(i) {
				out[i] = -1
			}
		}
	}
}

func dictIndices[T integer](dst []int32, src []T, size int) {
	for i, v := range src[:len(dst)] {
		if v >= 0 && uint64(v) < uint64(size) {
			dst[i] = int32(v)
		} else {
			dst[i] = -1
		}
	}
}

// index is the row's dictionary index, or -1 when the row is null or the index is out of
// range (a malformed record must not panic the plugin).
func (c *dictColumn) index(row int) int {
	if c == nil || c.dict.IsNull(row) {
		return -1
	}
	idx := c.dict.GetValueIndex(row) // handles every index width
	if idx < 0 || idx >= c.size {
		return -1
	}
	return idx
}

// value is the row's text; "" when null.
func (c *dictColumn) value(row int) string {
	idx := c.index(row)
	if idx < 0 {
		return ""
	}
	// No copy: the text aliases the record's buffers, which are Go memory (see
	// boundedAllocator), so they live as long as a label refers to them, released or not.
	return c.text(idx)
}

// boundedAllocator hands out Go memory (labels alias it after the record is released, so it
// must stay Go memory, never C memory) and stops a corrupt stream from making arrow-go allocate what its headers
// claim: a few bytes can declare a terabyte-long body or an absurd decompressed size, and an
// allocation that large is a fatal out-of-memory, which no recover catches. Past the budget
// it panics instead, which ReadRecord turns into an error.
type boundedAllocator struct {
	memory.Allocator
	budget int64
	used   atomic.Int64
}

// Decoding budget: LZ4 rarely expands Parca's records more than 10x; 256x is LZ4's ceiling.
const (
	maxExpansion  = 256
	minAllocation = 64 << 20
	maxAllocation = 8 << 30
)

func newBoundedAllocator(streamLen int) *boundedAllocator {
	budget := min(max(int64(streamLen)*maxExpansion, minAllocation), maxAllocation)
	return &boundedAllocator{Allocator: memory.DefaultAllocator, budget: budget}
}

func (a *boundedAllocator) charge(size int) {
	if size < 0 || a.used.Add(int64(size)) > a.budget {
		panic(fmt.Sprintf("the stream asks for more memory than a record of its size can need (%d bytes budget)", a.budget))
	}
}

func (a *boundedAllocator) Allocate(size int) []byte {
	a.charge(size)
	return a.Allocator.Allocate(size)
}

func (a *boundedAllocator) Reallocate(size int, b []byte) []byte {
	a.charge(size - len(b))
	return a.Allocator.Reallocate(size, b)
}

// column returns the named column, or nil when the record has none.
func column(rec arrow.RecordBatch, name string) arrow.Array {
	indices := rec.Schema().FieldIndices(name)
	if len(indices) == 0 {
		return nil
	}
	return rec.Column(indices[0])
}
