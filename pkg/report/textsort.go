package report

import (
	"slices"
	"strings"
)

// textOrder returns the indices of text ordered by text, byte by byte as strings.Compare
// orders them; equal texts keep index order.
//
// A comparison sort of a profile's function names spends most of its time re-reading the
// long prefixes they share ("github.com/org/repo/pkg.", "runtime."): at a million nodes it
// was the largest single cost of the conversion. This is a most-significant-digit radix sort
// instead: it steps over the prefix a group of names shares, orders the group by its next
// few bytes, packed with the index into one uint64 so an integer sort (sortKeys) does the
// work, and carries on into each run of names that agree on those bytes. Each byte is read
// a few times rather than once per comparison.
func (s *scratch) textOrder(text []string) []int32 {
	keys := reuse(&s.textKeys, len(text))
	for i := range keys {
		keys[i] = uint64(i)
	}
	sortTexts(keys, text, 0, &s.sortScratch)
	order := reuse(&s.alphabetical, len(keys))
	for i, k := range keys {
		order[i] = int32(uint32(k))
	}
	return order
}

const (
	keyBytes  = 3 // text bytes in a key, above the length byte
	smallSort = 8 // runs up to this long are compared, not keyed: a pass costs more
)

// sortTexts orders run (indices into text in the low 32 bits) by text from byte depth on.
// Every text in run is at least depth bytes long and they all agree before depth.
func sortTexts(run []uint64, text []string, depth int, buf *[]uint64) {
	if len(run) < 2 {
		return
	}
	if len(run) <= smallSort {
		slices.SortFunc(run, func(a, b uint64) int {
			if c := strings.Compare(text[uint32(a)][depth:], text[uint32(b)][depth:]); c != 0 {
				return c
			}
			return int(uint32(a)) - int(uint32(b))
		})
		return
	}
	depth += sharedPrefix(run, text, depth)
	for i, k := range run {
		id := uint32(k)
		run[i] = uint64(textKey(text[id], depth))<<32 | uint64(id)
	}
	// The low 4 bytes, the index, are left out: a run holds its texts in index order, which
	// the stable radix passes keep for equal keys.
	sortKeys(run, buf, 4)
	for start := 0; start < len(run); {
		key := run[start] >> 32
		end := start + 1
		for end < len(run) && run[end]>>32 == key {
			end++
		}
		// Texts with equal keys agree on the key's bytes; only those that go on past them
		// (length byte keyBytes+1) still need ordering, the others are equal texts.
		if key&0xff > keyBytes {
			sortTexts(run[start:end], text, depth+keyBytes, buf)
		}
		start = end
	}
}

// textKey packs s's keyBytes bytes from depth (zeros past its end) above a byte holding how
// many of them s has, keyBytes+1 when it goes on further. A text that ends inside the window
// is a prefix of any other text with the same bytes there, so the shorter one sorts first,
// as the length byte makes it.
func textKey(s string, depth int) uint32 {
	var key uint32
	for i := depth; i < depth+keyBytes; i++ {
		key <<= 8
		if i < len(s) {
			key |= uint32(s[i])
		}
	}
	return key<<8 | uint32(min(len(s)-depth, keyBytes+1))
}

// sharedPrefix is how many bytes from depth on all texts of run have in common.
func sharedPrefix(run []uint64, text []string, depth int) int {
	first := text[uint32(run[0])][depth:]
	n := len(first)
	for _, k := range run[1:] {
		s := text[uint32(k)][depth:]
		n = min(n, len(s))
		if s[:n] == first[:n] { // one vectorised compare for the usual case
			continue
		}
		i := 0
		for i < n && s[i] == first[i] {
			i++
		}
		if n = i; n == 0 {
			return 0
		}
	}
	return n
}
