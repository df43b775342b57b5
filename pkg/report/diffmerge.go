package report

import (
	"slices"
	"strings"
)

// MergeDiff lays two flame graphs of the same profile type over each other as one diff graph:
// left (the baseline) becomes Value/Self, right ValueRight/SelfRight, and nodes are matched by
// their stack, the labels from the root down. A stack found on one side only gets zeros on the
// other. Siblings come out in alphabetical order, as DecodeFlameGraph writes them.
//
// The datasource builds diffs this way, from two merge queries, instead of asking Parca v0.28.0
// for its diff report: that report sizes its diff column from the largest positive difference
// only (flamegraph_arrow.go tracks the smallest difference with max), so a node that shrank by
// more than that width holds comes back wrapped around, and the baseline read from it is wrong.
func MergeDiff(left, right *FlameGraph) *FlameGraph {
	m := &diffMerger{}
	m.nodes = append(m.nodes, diffNode{label: RootLabel})
	m.add(left, false)
	m.add(right, true)
	return m.emit()
}

type diffNode struct {
	label                              string
	children                           map[string]int // label -> index in diffMerger.nodes
	value, self, valueRight, selfRight int64
}

type diffMerger struct{ nodes []diffNode }

// add walks fg depth-first, keeping the merged node of each level of the current stack.
func (m *diffMerger) add(fg *FlameGraph, right bool) {
	if fg == nil {
		return
	}
	var path []int // path[level] = merged node
	for row := 0; row < fg.Rows(); row++ {
		level := int(fg.Level[row])
		if level > len(path) || level < 0 {
			continue // not depth-first; DecodeFlameGraph never writes this
		}
		path = path[:level]
		node := 0
		if level > 0 {
			node = m.child(path[level-1], fg.LabelText[fg.Label[row]])
		}
		path = append(path, node)
		n := &m.nodes[node]
		if right {
			n.valueRight += fg.Value[row]
			n.selfRight += fg.Self[row]
		} else {
			n.value += fg.Value[row]
			n.self += fg.Self[row]
		}
	}
}

func (m *diffMerger) child(parent int, label string) int {
	if m.nodes[parent].children == nil {
		m.nodes[parent].children = map[string]int{}
	}
	if c, ok := m.nodes[parent].children[label]; ok {
		return c
	}
	m.nodes = append(m.nodes, diffNode{label: label})
	c := len(m.nodes) - 1
	m.nodes[parent].children[label] = c
	return c
}

func (m *diffMerger) emit() *FlameGraph {
	n := len(m.nodes)
	out := &FlameGraph{
		Level: make([]int64, 0, n), Value: make([]int64, 0, n), Self: make([]int64, 0, n),
		ValueRight: make([]int64, 0, n), SelfRight: make([]int64, 0, n), Label: make([]int32, 0, n),
	}
	if m.nodes[0].value == 0 && m.nodes[0].valueRight == 0 {
		return &FlameGraph{}
	}
	labels := newLabelTable()
	type item struct {
		node  int
		level int64
	}
	stack := []item{{0, 0}}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		node := &m.nodes[top.node]
		out.Level = append(out.Level, top.level)
		out.Value = append(out.Value, node.value)
		out.Self = append(out.Self, node.self)
		out.ValueRight = append(out.ValueRight, node.valueRight)
		out.SelfRight = append(out.SelfRight, node.selfRight)
		out.Label = append(out.Label, labels.id(node.label))
		kids := make([]int, 0, len(node.children))
		for _, c := range node.children {
			kids = append(kids, c)
		}
		// Pushed in reverse alphabetical order, so they pop alphabetically.
		slices.SortFunc(kids, func(a, b int) int { return strings.Compare(m.nodes[b].label, m.nodes[a].label) })
		for _, c := range kids {
			stack = append(stack, item{c, top.level + 1})
		}
	}
	out.LabelText = labels.text
	return out
}
