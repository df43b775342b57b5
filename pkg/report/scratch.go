package report

import "sync"

// scratch is the working memory of one conversion: all that FlameGraphFromRecord allocates
// and does not return. Conversions take it from scratchPool and give it back, so the next
// one reuses it: allocated afresh, its 40 or so bytes a node made every conversion pay again
// for zeroing new memory, faulting its pages in and collecting it, which on the benchmark
// machine was half the cost of converting a 10k-node graph. sync.Pool drops an idle scratch
// after two garbage collections, so a burst of large conversions does not pin its memory.
//
// Nothing in a FlameGraph may point into a scratch.
type scratch struct {
	rowLabel        []int32 // by row: label id
	functionLabelID []int32 // by function_name dictionary index: label id, -1 unset
	alphabetical    []int32 // label ids in alphabetical order
	textKeys        []uint64
	sortScratch     []uint64
	// layoutForward's passes; see there.
	owner, parent, size, start, free, sorted []int32
	byLabel                                  []int64
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// reuse resizes *buf to n values, growing it when short, and returns it. The values are
// left as the last conversion wrote them: the caller overwrites or clears them.
func reuse[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
	}
	*buf = (*buf)[:n]
	return *buf
}

// reuseZeroed is reuse with the values zeroed.
func reuseZeroed[T any](buf *[]T, n int) []T {
	s := reuse(buf, n)
	clear(s)
	return s
}
