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

// int64Column copies an integer column of any width into int64s; nulls read as 0.
// A missing column (nil) reads as all zeros. rows must already be bounded by a column that
// holds real memory (see readFlameColumns): record metadata alone can claim any row count.
func int64Column(arr arrow.Array, rows int) ([]int64, error) {
	out := make([]int64, rows)
	if arr == nil {
		return out, nil
	}
	if arr.Len() < rows {
		return nil, fmt.Errorf("column has %d values for %d rows", arr.Len(), rows)
	}
	switch a := arr.(type) {
	case *array.Int8:
		for i, v := range a.Int8Values()[:rows] {
			out[i] = int64(v)
		}
	case *array.Int16:
		for i, v := range a.Int16Values()[:rows] {
			out[i] = int64(v)
		}
	case *array.Int32:
		for i, v := range a.Int32Values()[:rows] {
			out[i] = int64(v)
		}
	case *array.Int64:
		copy(out, a.Int64Values()[:rows])
	case *array.Uint8:
		for i, v := range a.Uint8Values()[:rows] {
			out[i] = int64(v)
		}
	case *array.Uint16:
		for i, v := range a.Uint16Values()[:rows] {
			out[i] = int64(v)
		}
	case *array.Uint32:
		for i, v := range a.Uint32Values()[:rows] {
			out[i] = int64(v)
		}
	case *array.Uint64:
		for i, v := range a.Uint64Values()[:rows] {
			out[i] = int64(v) // values beyond 2^63 do not occur in profiles
		}
	default:
		return nil, fmt.Errorf("expected an integer column, got %s", arr.DataType())
	}
	if arr.NullN() > 0 {
		for i := 0; i < rows; i++ {
			if arr.IsNull(i) {
				out[i] = 0
			}
		}
	}
	return out, nil
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
