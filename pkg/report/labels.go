package report

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
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

// rowLabels names every row (see labelID) and returns each row's label id, in s. Ids are
// handed out in row order, so the label table (the frame's enum) lists labels as the record
// first meets them.
func (c *flameColumns) rowLabels(labels *labelTable, s *scratch) []int32 {
	if c.rows == 0 {
		return nil
	}
	rowLabel := reuse(&s.rowLabel, c.rows)
	if c.functionName == nil {
		rowLabel[0] = labels.id(RootLabel)
		for row := 1; row < c.rows; row++ {
			rowLabel[row] = c.labelID(row, labels)
		}
		return rowLabel
	}
	// Most rows are functions: read all their dictionary indices in one typed pass, and name
	// each dictionary entry once (functionLabelID), so a row costs two array reads. The
	// indices are read into the result, each replaced by the row's label id in the loop.
	c.functionName.indices(rowLabel)
	rowLabel[0] = -1
	for _, row := range c.groupRows() {
		rowLabel[row] = -1 // a label-group row has no function; labelID names it
	}
	functionLabelID := reuse(&s.functionLabelID, c.functionName.size)
	for i := range functionLabelID {
		functionLabelID[i] = -1
	}
	labels.text = slices.Grow(labels.text, c.functionName.size+1) // room for every name
	for row, idx := range rowLabel {
		if idx >= 0 {
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
		if row == 0 {
			rowLabel[row] = labels.id(RootLabel)
		} else {
			rowLabel[row] = c.labelID(row, labels)
		}
	}
	return rowLabel
}

// groupRows lists the label-group rows (labels_only), which only a profile grouped by labels
// has, and then a few: the bitmap is counted a word at a time before any row is looked at.
func (c *flameColumns) groupRows() []int {
	if c.labelsOnly == nil {
		return nil
	}
	bits := c.labelsOnly.Data().Buffers()[1]
	if bits == nil || bitutil.CountSetBits(bits.Bytes(), c.labelsOnly.Data().Offset(), c.rows) == 0 {
		return nil
	}
	var rows []int
	for row := range c.rows {
		if c.isGroupRow(row) {
			rows = append(rows, row)
		}
	}
	return rows
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
