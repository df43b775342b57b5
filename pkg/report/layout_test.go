package report

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/spanflame/spanflame/pkg/report/reporttest"
)

// forwardTree is a random tree the way Parca stores one (each node after its parent), with
// names drawn from a pool of the given size (small pools make equal-label siblings, which
// order by row), some unsymbolized and label-group rows, and each children list shuffled
// when shuffle is set (Parca writes them in row order; the layout must not rely on it).
func forwardTree(rng *rand.Rand, n, pool int, shuffle bool) []reporttest.Node {
	nodes := make([]reporttest.Node, n)
	for i := 1; i < n; i++ {
		p := rng.IntN(i)
		if rng.IntN(3) > 0 {
			p = max(0, i-1-rng.IntN(min(i, 4))) // mostly deep, like a real profile
		}
		nodes[p].Children = append(nodes[p].Children, uint32(i))
		switch k := rng.IntN(pool + 2); {
		case k == pool:
			nodes[i].Address = uint64(rng.IntN(4))
		case k == pool+1 && p == 0:
			nodes[i].LabelsOnly, nodes[i].Labels = true, map[string]string{"service_name": fmt.Sprint(rng.IntN(3))}
		default:
			nodes[i].Function = fmt.Sprintf("pkg.f%d", k)
		}
		nodes[i].Cumulative = int64(rng.IntN(100))
	}
	if shuffle {
		for i := range nodes {
			rng.Shuffle(len(nodes[i].Children), func(a, b int) {
				nodes[i].Children[a], nodes[i].Children[b] = nodes[i].Children[b], nodes[i].Children[a]
			})
		}
	}
	return nodes
}

// layouts runs both layouts on nodes; forward reports whether layoutForward applied.
func layouts(t testing.TB, nodes []reporttest.Node) (fwd, walk placement, forward bool) {
	t.Helper()
	stream, err := reporttest.FlameRecord(nodes, reporttest.Typical)
	if err != nil {
		t.Fatal(err)
	}
	err = ReadRecord(stream, func(rec arrow.RecordBatch) error {
		cols, err := readFlameColumns(rec, false)
		if err != nil {
			return err
		}
		labels := newLabelTable()
		s := new(scratch)
		rowLabel := cols.rowLabels(labels, s)
		alphabetical := s.textOrder(labels.text)
		fwd, forward = layoutForward(cols, rowLabel, alphabetical, s)
		walk = layoutDepthFirst(cols, rowLabel, alphabetical)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return
}

func samePlacement(a, b placement) bool {
	return slices.Equal(a.pos, b.pos) && slices.Equal(a.level, b.level) && slices.Equal(a.label, b.label)
}

// TestLayoutForwardMatchesWalk: on every tree shaped as Parca stores them, the passes of
// layoutForward place each row where the depth-first walk does.
func TestLayoutForwardMatchesWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 10, 100, 2000} {
		for _, pool := range []int{1, 3, 50} {
			for _, shuffle := range []bool{false, true} {
				nodes := forwardTree(rng, n, pool, shuffle)
				fwd, walk, forward := layouts(t, nodes)
				if !forward {
					t.Fatalf("n=%d pool=%d: layoutForward declined a forward tree", n, pool)
				}
				if !samePlacement(fwd, walk) {
					t.Fatalf("n=%d pool=%d shuffle=%v: layoutForward places rows differently from the walk", n, pool, shuffle)
				}
			}
		}
	}
}

// TestLayoutForwardDeclines: records whose layout depends on the walk go to the walk.
func TestLayoutForwardDeclines(t *testing.T) {
	for name, children := range map[string][][]uint32{
		"child before parent":  {{2}, {}, {1}},
		"two parents":          {{1, 2}, {2}, {}},
		"unreachable row":      {{1}, {}, {}},
		"child out of range":   {{1, 7}, {2}, {}},
		"root as a child":      {{1}, {0, 2}, {}},
		"row its own child":    {{1}, {1, 2}, {}},
		"cycle off the root":   {{1}, {}, {3}, {2}},
		"slots equal, wrongly": {{1, 1}, {}, {}},
	} {
		nodes := make([]reporttest.Node, len(children))
		for i := range nodes {
			nodes[i] = reporttest.Node{Function: fmt.Sprint("f", i), Children: children[i]}
		}
		fwd, walk, forward := layouts(t, nodes)
		if forward {
			t.Errorf("%s: layoutForward placed %v (the walk: %v)", name, fwd.pos, walk.pos)
		}
	}
}

// FuzzLayoutForward: fuzzed trees shaped as Parca stores them lay out as the walk does.
func FuzzLayoutForward(f *testing.F) {
	f.Add([]byte{0, 0, 1, 1, 0, 2, 3, 1})
	f.Add([]byte{5, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || len(data) > 600 {
			return
		}
		shuffle, pool := data[0]&1 == 1, int(data[0]>>1)%6+1
		nodes := make([]reporttest.Node, 1, len(data)/2+1)
		for i := 1; i+1 < len(data); i += 2 {
			row := len(nodes)
			p := int(data[i]) % row
			nodes[p].Children = append(nodes[p].Children, uint32(row))
			nodes = append(nodes, reporttest.Node{Function: fmt.Sprint("f", int(data[i+1])%pool)})
		}
		if shuffle {
			for i := range nodes {
				slices.Reverse(nodes[i].Children)
			}
		}
		fwd, walk, forward := layouts(t, nodes)
		if !forward || !samePlacement(fwd, walk) {
			t.Fatalf("forward %v: %+v, walk %+v", forward, fwd, walk)
		}
	})
}

// TestTextOrder: textOrder orders as a stable sort by strings.Compare, on names with long
// shared prefixes, prefixes of each other, NUL bytes and duplicates, in runs long enough for
// every path (comparison sort, radix passes, recursion).
func TestTextOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"", "\x00", "a", "b", "github.com/org/repo/pkg.", "(*T).", "Method", "\xff", "0"}
	for _, n := range []int{0, 1, 2, smallSort, smallSort + 1, radixMin, 3000} {
		text := make([]string, n)
		for i := range text {
			var b strings.Builder
			for range rng.IntN(6) {
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			text[i] = b.String()
		}
		want := make([]int32, n)
		for i := range want {
			want[i] = int32(i)
		}
		slices.SortStableFunc(want, func(a, b int32) int { return strings.Compare(text[a], text[b]) })
		if got := new(scratch).textOrder(text); !slices.Equal(got, want) {
			t.Fatalf("n=%d: order differs from a stable comparison sort", n)
		}
	}
}

// TestSortKeys: sortKeys sorts as slices.Sort, and with fromByte keeps the input order of
// keys equal above it.
func TestSortKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var scratch []uint64
	for _, n := range []int{0, 1, radixMin - 1, radixMin, 5000} {
		keys := make([]uint64, n)
		for i := range keys {
			keys[i] = rng.Uint64() >> (rng.IntN(8) * 8) // some bytes equal in many keys
		}
		want := slices.Clone(keys)
		slices.Sort(want)
		got := slices.Clone(keys)
		sortKeys(got, &scratch, 0)
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: not sorted", n)
		}
		for i := range keys { // high half random in 16 values, low half the input index
			keys[i] = uint64(rng.IntN(16))<<32 | uint64(i)
		}
		want = slices.Clone(keys)
		slices.Sort(want)
		sortKeys(keys, &scratch, 4)
		if !slices.Equal(keys, want) {
			t.Fatalf("n=%d fromByte=4: not in (high half, input order)", n)
		}
	}
}

// TestConversionsShareNoMemory: a graph stays as decoded while later conversions reuse the
// pooled scratch memory (nothing in a FlameGraph may point into it).
func TestConversionsShareNoMemory(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	decode := func(nodes []reporttest.Node) *FlameGraph { return decodeNodes(t, nodes, reporttest.Typical) }
	first := decode(forwardTree(rng, 500, 20, false))
	want := *first
	want.Level, want.Label, want.Value, want.Self = slices.Clone(first.Level), slices.Clone(first.Label), slices.Clone(first.Value), slices.Clone(first.Self)
	for range 5 {
		decode(forwardTree(rng, 400+rng.IntN(100), 5, true)) // no larger: the pooled memory is reused, not grown
	}
	if !slices.Equal(first.Level, want.Level) || !slices.Equal(first.Label, want.Label) ||
		!slices.Equal(first.Value, want.Value) || !slices.Equal(first.Self, want.Self) {
		t.Fatal("a later conversion changed an earlier graph")
	}
}
