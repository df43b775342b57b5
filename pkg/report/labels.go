package report

import (
	"path"
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

// rowRanks gives each row the alphabetical rank of its label, so siblings sort by comparing
// two ints instead of two strings. There are far fewer distinct labels than nodes in a real
// profile, so each is ranked once, then looked up in one sequential pass over the rows.
func (t *labelTable) rowRanks(rowLabel []int32) []uint32 {
	ranks := make([]uint32, len(t.text))
	for rank, id := range textOrder(t.text) {
		ranks[id] = uint32(rank)
	}
	rowRank := make([]uint32, len(rowLabel))
	for row, id := range rowLabel {
		rowRank[row] = ranks[id]
	}
	return rowRank
}

// rowLabels names every row (see labelID) and returns each row's label id. Ids are handed
// out in row order, so the label table (the frame's enum) lists labels as the record first
// meets them.
func (c *flameColumns) rowLabels(labels *labelTable) []int32 {
	rowLabel := make([]int32, c.rows)
	if c.rows == 0 {
		return rowLabel
	}
	rowLabel[0] = labels.id(RootLabel)
	if c.functionName == nil {
		for row := 1; row < c.rows; row++ {
			rowLabel[row] = c.labelID(row, labels)
		}
		return rowLabel
	}
	// Most rows are functions: read all their dictionary indices in one typed pass, and name
	// each dictionary entry once (functionLabelID), so a row costs two array reads.
	function := c.functionName.indices(c.rows)
	functionLabelID := make([]int32, c.functionName.size)
	for i := range functionLabelID {
		functionLabelID[i] = -1
	}
	for row := 1; row < c.rows; row++ {
		if idx := function[row]; idx >= 0 && !c.isGroupRow(row) {
			if id := functionLabelID[idx]; id >= 0 {
				rowLabel[row] = id
				continue
			}
			if name := c.functionName.text(int(idx)); name != "" {
				id := labels.add(name)
				functionLabelID[idx] = id
				rowLabel[row] = id
				continue
			}
		}
		rowLabel[row] = c.labelID(row, labels)
	}
	return rowLabel
}

// isGroupRow reports whether row is a label-group row (labels_only), which has no function.
func (c *flameColumns) isGroupRow(row int) bool {
	return c.labelsOnly != nil && c.labelsOnly.IsValid(row) && c.labelsOnly.Value(row)
}

// labelID names a row that is not a named function: a label-group row "name=value, ...", a
// function by its system name, or an unsymbolized frame by binary and address.
func (c *flameColumns) labelID(row int, labels *labelTable) int32 {
	if c.isGroupRow(row) {
		return labels.id(c.groupLabel(row))
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
