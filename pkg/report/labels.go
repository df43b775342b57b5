package report

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
)

// labelTable gives each label text an id. Function names come from an Arrow dictionary,
// whose values are already distinct, so they get ids by dictionary index without hashing;
// the few other labels (root, label groups, addresses) go through a map.
type labelTable struct {
	ids  map[string]int32
	text []string
}

func newLabelTable() *labelTable { return &labelTable{ids: map[string]int32{}} }

// id returns the id of text, adding it when new.
func (t *labelTable) id(text string) int32 {
	if id, ok := t.ids[text]; ok {
		return id
	}
	id := t.add(text)
	t.ids[text] = id
	return id
}

// add appends text without looking for an existing copy.
func (t *labelTable) add(text string) int32 {
	t.text = append(t.text, text)
	return int32(len(t.text) - 1)
}

// alphabeticalRanks ranks the labels by text, so siblings sort by comparing two ints instead
// of two strings. There are far fewer distinct labels than nodes in a real profile.
func (t *labelTable) alphabeticalRanks() []int32 {
	order := make([]int32, len(t.text))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(t.text[a], t.text[b]) })
	ranks := make([]int32, len(t.text))
	for rank, id := range order {
		ranks[id] = int32(rank)
	}
	return ranks
}

// labelID names a row: the root "total", a label-group row "name=value, ...", a function by
// name, or an unsymbolized frame by binary and address.
func (c *flameColumns) labelID(row int, labels *labelTable) int32 {
	if row == 0 {
		return labels.id(RootLabel)
	}
	if c.labelsOnly != nil && c.labelsOnly.IsValid(row) && c.labelsOnly.Value(row) {
		return labels.id(c.groupLabel(row))
	}
	if idx := c.functionName.index(row); idx >= 0 {
		if id := c.functionLabelID[idx]; id >= 0 {
			return id
		}
		if name := c.functionName.value(row); name != "" {
			id := labels.add(name)
			c.functionLabelID[idx] = id
			return id
		}
	}
	if name := c.systemName.value(row); name != "" {
		return labels.id(name)
	}
	return labels.id(c.addressLabel(row))
}

func (c *flameColumns) groupLabel(row int) string {
	parts := make([]string, 0, len(c.labelColumns))
	for i, lc := range c.labelColumns {
		if v := lc.value(row); v != "" {
			parts = append(parts, c.labelNames[i]+"="+v)
		}
	}
	if len(parts) == 0 {
		return "(no labels)"
	}
	return strings.Join(parts, ", ")
}

func (c *flameColumns) addressLabel(row int) string {
	var addr uint64
	if a, ok := c.address.(*array.Uint64); ok && a.IsValid(row) {
		addr = a.Value(row)
	}
	text := "0x" + strconv.FormatUint(addr, 16)
	if file := c.mappingFile.value(row); file != "" {
		return "[" + path.Base(file) + "] " + text
	}
	return text
}
