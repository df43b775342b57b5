package report

// The layout step puts the rows in the order Grafana's panel reads: depth-first from the
// root (row 0), siblings in label order, ties by row. It yields pos, each row's output index
// plus one (0 for a row left out), and depth, each row's level. Rows unreachable from the
// root are left out; a malformed record (a child out of range, a cycle, a row listed under
// two parents) cannot loop or panic: each row is placed once at most.

// layout picks layoutForward for the records Parca writes and falls back to the general walk.
func layout(c *flameColumns, rowRank []uint32, ranks int) (pos, depth []int32) {
	if pos, depth, ok := layoutForward(c, rowRank, ranks); ok {
		return pos, depth
	}
	return layoutDepthFirst(c, rowRank)
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
//  3. the children of every row sorted by (label rank, row), for all rows at once: a
//     counting sort of all rows by rank, then a stable distribution into their parents' lists;
//  4. forwards over the sorted slots, each row's place: right after its parent for the first
//     child, right after the previous sibling's subtree for the others.
//
// It reports false, having placed nothing, for any other record: there the layout depends
// on the walk's order (a row under two parents belongs to whichever the walk reaches first).
func layoutForward(c *flameColumns, rowRank []uint32, ranks int) (pos, depth []int32, ok bool) {
	n := c.rows
	first := c.childOffsets[0]
	slots := int(c.childOffsets[n] - first)
	if slots != n-1 {
		return nil, nil, false
	}
	// 1. owner[j], by marking where each row's list starts (a row with an empty list is
	// overwritten by the next row, which starts at the same slot) and carrying marks forward.
	owner := make([]int32, slots+1)
	for row, o := range c.childOffsets[:n] {
		owner[o-first] = int32(row)
	}
	for j := 1; j < slots; j++ {
		owner[j] = max(owner[j], owner[j-1])
	}
	owner = owner[:slots]
	parent := make([]int32, n) // parent row + 1; 0 for the root
	for j, child := range c.childRows[first : int(first)+slots] {
		if child <= uint32(owner[j]) || int(child) >= n || parent[child] != 0 {
			return nil, nil, false // backwards, out of range or a second parent
		}
		parent[child] = owner[j] + 1
	}

	// 2. Subtree sizes.
	size := make([]int32, n)
	for row := range size {
		size[row] = 1
	}
	for row := n - 1; row > 0; row-- {
		size[parent[row]-1] += size[row]
	}

	// 3. Children sorted by (rank, row). Counting sort by rank, visiting rows in order, so
	// equal ranks stay in row order...
	start := make([]int32, ranks+1)
	for _, r := range rowRank[1:] {
		start[r+1]++
	}
	for r := 1; r <= ranks; r++ {
		start[r] += start[r-1]
	}
	byRank := make([]int32, n-1)
	for row := 1; row < n; row++ {
		r := rowRank[row]
		byRank[start[r]] = int32(row)
		start[r]++
	}
	// ...then each row, in that order, to the next free slot of its parent's list.
	free := make([]int32, n)
	for row, o := range c.childOffsets[:n] {
		free[row] = o - first
	}
	sorted := make([]int32, slots)
	for _, row := range byRank {
		p := parent[row] - 1
		sorted[free[p]] = row
		free[p]++
	}

	// 4. Places, and depths.
	pos = make([]int32, n)
	depth = make([]int32, n)
	pos[0] = 1
	prevOwner, next := int32(-1), int32(0)
	for j, row := range sorted {
		p := owner[j]
		at := pos[p] + 1 // the first child follows its parent
		if p == prevOwner {
			at = next // a later one follows its previous sibling's subtree
		}
		pos[row] = at
		depth[row] = depth[p] + 1
		next = at + size[row]
		prevOwner = p
	}
	return pos, depth, true
}

// layoutDepthFirst walks the tree from row 0 with an explicit stack. A row listed twice (under
// two parents, or in a cycle) is placed where the walk first meets it.
func layoutDepthFirst(c *flameColumns, rowRank []uint32) (pos, depth []int32) {
	n := c.rows
	pos = make([]int32, n)
	depth = make([]int32, n)
	visited := make([]bool, n)
	visited[0] = true
	stack := []int32{0}
	placed := int32(0)
	var kids, scratch []uint64
	for len(stack) > 0 {
		row := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		placed++
		pos[row] = placed
		kids = kids[:0]
		for _, child := range c.children(int(row)) {
			if child == 0 || int(child) >= n || visited[child] {
				continue
			}
			visited[child] = true
			depth[child] = depth[row] + 1
			// rank << 32 | row: a plain integer sort orders siblings by label, then row.
			kids = append(kids, uint64(rowRank[child])<<32|uint64(child))
		}
		sortKeys(kids, &scratch, 0)
		// Push in reverse so the first child in label order is placed next.
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, int32(uint32(kids[i])))
		}
	}
	return pos, depth
}
