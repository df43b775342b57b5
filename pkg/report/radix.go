package report

import "slices"

// radixMin is the length from which sortKeys radix-sorts; shorter slices are cheaper to
// sort by comparison.
const radixMin = 32

// sortKeys sorts keys in increasing order, as slices.Sort does. Long slices go through a
// least-significant-digit radix sort, one byte per pass, skipping the bytes that are equal in
// every key: a few linear passes instead of the n log n comparisons of a comparison sort,
// which on keys in random order are mostly mispredicted branches. buf is reused across
// calls to spare an allocation per sort.
//
// With fromByte b > 0 the low b bytes are left out of the sort: keys that agree on the rest
// keep their input order (each pass is stable), for callers whose input is already in order
// of those bytes.
func sortKeys(keys []uint64, buf *[]uint64, fromByte int) {
	if len(keys) < radixMin {
		slices.Sort(keys)
		return
	}
	// Every byte's histogram in one pass, unrolled: a loop over the bytes of each key cost
	// as much as the counting. The bytes below fromByte are counted too and never used.
	var counts [8][256]int32
	for _, k := range keys {
		counts[0][byte(k)]++
		counts[1][byte(k>>8)]++
		counts[2][byte(k>>16)]++
		counts[3][byte(k>>24)]++
		counts[4][byte(k>>32)]++
		counts[5][byte(k>>40)]++
		counts[6][byte(k>>48)]++
		counts[7][byte(k>>56)]++
	}
	src, dst := keys, reuse(buf, len(keys))
	for b := fromByte; b < 8; b++ {
		count := &counts[b]
		shift := 8 * b
		if int(count[byte(src[0]>>shift)]) == len(src) {
			continue // every key has this byte: the pass would change nothing
		}
		sum := int32(0)
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, k := range src {
			d := byte(k >> shift)
			dst[count[d]] = k
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}
