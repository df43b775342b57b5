package report

// The layout step puts the rows in the order Grafana's panel reads: depth-first from the
// root (row 0), siblings in label order, ties by row. Rows unreachable from the root are
// left out; a malformed record (a child out of range, a cycle, a row listed under two
// parents) cannot loop or panic: each row is placed once at most.
//
// alphabetical lists the label ids in alphabetical order of their text (textOrder); rowLabel
// is each row's label id.

// placement is the layout of a record.
type placement struct {
	pos   []int32 // by row: output index + 1, or 0 for a row left out
	level []int64 // by output index
	label []int32 // by output index: the row's label id
}

// layout picks layoutForward for the records Parca writes and falls back to the general walk.
func layout(c *flameColumns, rowLabel, alphabetical []int32, s *scratch) placement {
	if p, ok := layoutForward(c, rowLabel, alphabetical, s); ok {
		return p
	}
	return layoutDepthFirst(c, rowLabel, alphabetical)
}

// layoutForward places the rows without walking the tree, in passes over whole columns
// with no branch that depends on the tree's shape. A walk, or any loop over one node's
// children at a time, spends most of its time on mispredicted branches (how many children
// has this node?) and, past the CPU caches, on waiting for the row it just popped.
//
// It applies when every row but the root is listed exactly once, as the child of an
// earlier row: the records Parca writes, which append a node when they first meet it under
// its parent. Then, in slot order (a slot is one entry of the children lists):
//  1. each slot's owner (the row whose list holds it), hence each row's parent;
//  2. backwards over the rows, subtree sizes: a row's children are later rows, done first;
//  3. the children of every row sorted by (label, row), for all rows at once: a counting
//     sort of all rows by label, then a stable distribution into their parents' lists;
//  4. forwards over the sorted slots, each row's place: right after its parent for the first
//     child, right after the previous sibling's subtree for the others.
//
// It reports false, having placed nothing, for any other record: there the layout depends
// on the walk's order (a row under two parents belongs to whichever the walk reaches first).
//
// Its working memory is in s, some of it handed on to a later pass once spent (said where).
// Only the level and label it returns are new; pos is in s.
func layoutForward(c *flameColumns, rowLabel, alphabetical []int32, s *scratch) (placement, bool) {
	n := c.rows
	first := c.childOffsets[0]
	slots := int(c.childOffsets[n] - first)
	if slots != n-1 {
		return placement{}, false
	}
	// 1. Mark where each row's list starts (a row with an empty list is overwritten by the
	// next row, which starts at the same slot), then carry the marks forward.
	owner := reuseZeroed(&s.owner, slots+1)
	for row, o := range c.childOffsets[:n] {
		owner[o-first] = int32(row)
	}
	owner = owner[:slots]
	parent := reuseZeroed(&s.parent, n) // parent row + 1; 0 for the root
	o := int32(0)
	for j, child := range c.childRows[first : int(first)+slots] {
		o = max(o, owner[j])
		owner[j] = o
		if child <= uint32(o) || int(child) >= n || parent[child] != 0 {
			return placement{}, false // backwards, out of range or a second parent
		}
		parent[child] = o + 1
	}

	// 2. Subtree sizes.
	size := reuseZeroed(&s.size, n)
	for row := n - 1; row > 0; row-- {
		sz := size[row] + 1
		size[row] = sz
		size[parent[row]-1] += sz
	}
	size[0]++

	// 3. Children sorted by (label, row). Counting sort by label, the labels' buckets laid
	// out alphabetically and filled in row order...
	start := reuseZeroed(&s.start, len(alphabetical))
	for _, id := range rowLabel[1:] {
		start[id]++
	}
	sum := int32(0)
	for _, id := range alphabetical {
		start[id], sum = sum, sum+start[id]
	}
	// Each entry carries the row's parent (+1) above the row, read here in row order: the
	// distribution below then finds it without a random read per row.
	byLabel := reuse(&s.byLabel, n-1)
	for row := 1; row < n; row++ {
		id := rowLabel[row]
		byLabel[start[id]] = int64(parent[row])<<32 | int64(row)
		start[id]++
	}
	// ...then each row, in that order, to the next free slot of its parent's list.
	free := reuse(&s.free, n)
	for row, o := range c.childOffsets[:n] {
		free[row] = o - first
	}
	sorted := reuse(&s.sorted, slots)
	for _, entry := range byLabel {
		p := entry>>32 - 1
		sorted[free[p]] = int32(uint32(entry))
		free[p]++
	}

	// 4. Places. parent and free are spent: they hold pos and depth (by row), every entry
	// of which is written before it is read.
	pos, depth := parent, free
	pos[0], depth[0] = 1, 0
	prevOwner, next := int32(-1), int32(0)
	for j, row := range sorted {
		p := owner[j]
		at := pos[p] + 1 // the first child follows its parent
		if p == prevOwner {
			at = next // a later one follows its previous sibling's subtree
		}
		pos[row], depth[row] = at, depth[p]+1
		next = at + size[row]
		prevOwner = p
	}

	// The output, in a pass of its own: as part of the loop above, whose steps each need the
	// one before, its random writes held that loop up.
	out := placement{pos: pos, level: make([]int64, n), label: make([]int32, n)}
	for row, at := range pos {
		out.level[at-1], out.label[at-1] = int64(depth[row]), rowLabel[row]
	}
	return out, true
}

// layoutDepthFirst walks the tree from row 0 with an explicit stack. A row listed twice (under
// two parents, or in a cycle) is placed where the walk first meets it.
func layoutDepthFirst(c *flameColumns, rowLabel, alphabetical []int32) placement {
	n := c.rows
	rank := make([]uint32, len(alphabetical)) // by label id
	for r, id := range alphabetical {
		rank[id] = uint32(r)
	}
	out := placement{pos: make([]int32, n), level: make([]int64, 0, n), label: make([]int32, 0, n)}
	visited := make([]bool, n)
	visited[0] = true
	type frame struct{ row, depth int32 }
	stack := []frame{{row: 0, depth: 0}}
	var kids, buf []uint64
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		out.level = append(out.level, int64(top.depth))
		out.label = append(out.label, rowLabel[top.row])
		out.pos[top.row] = int32(len(out.level))
		kids = kids[:0]
		for _, child := range c.children(int(top.row)) {
			if child == 0 || int(child) >= n || visited[child] {
				continue
			}
			visited[child] = true
			// rank << 32 | row: a plain integer sort orders siblings by label, then row.
			kids = append(kids, uint64(rank[rowLabel[child]])<<32|uint64(child))
		}
		sortKeys(kids, &buf, 0)
		// Push in reverse so the first child in label order is placed next.
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, frame{row: int32(uint32(kids[i])), depth: top.depth + 1})
		}
	}
	return out
}
