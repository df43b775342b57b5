package plugin

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/parcaapi"
	"github.com/spanflame/spanflame/pkg/report"
	"github.com/spanflame/spanflame/pkg/selector"
)

// FieldLinkedTotal is the top unlinked functions' column with each function's total value in
// the linked samples (the same function's CPU under a trace): against the unlinked total it
// says how much of the function itself runs outside requests.
const FieldLinkedTotal = "linked total"

// unlinkedFunction is one function's total value on both sides of the trace link.
type unlinkedFunction struct {
	report.TopFunction       // the unlinked side (Cumulative: its unlinked total)
	linked             int64 // its total in the linked samples
}

// explains is what ranks the unlinked functions: the function's unlinked total weighted by
// the share of its own total that is unlinked. Work that only ever runs outside requests (a
// worker pool's job, a background job) keeps its whole value however little it is, while
// code that runs for requests too (the runtime, a shared helper) is there because a caller
// left the labels behind, and ranks by how rarely it runs under a trace. Ranked by the
// unlinked total alone, the runtime and the serving stack filled the list and a background
// job that ran for a minute of the range fell below the cut.
func (f unlinkedFunction) explains() float64 {
	total := f.Cumulative + f.linked
	if total <= 0 {
		return 0
	}
	return float64(f.Cumulative) * float64(f.Cumulative) / float64(total)
}

// functionKey joins the two sides' rows: a function is its name in its file and binary.
func functionKey(f report.TopFunction) string {
	return f.Function + "\x00" + f.File + "\x00" + f.Binary
}

// rankUnlinkedFunctions pairs every unlinked function with its linked total and keeps the
// limit that explain the most (see explains); it also returns how many there were.
func rankUnlinkedFunctions(unlinked, linked []report.TopFunction, limit int) ([]unlinkedFunction, int) {
	linkedTotal := make(map[string]int64, len(linked))
	for _, f := range linked {
		linkedTotal[functionKey(f)] += f.Cumulative
	}
	rows := make([]unlinkedFunction, 0, len(unlinked))
	for _, f := range unlinked {
		if f.Cumulative > 0 {
			rows = append(rows, unlinkedFunction{TopFunction: f, linked: linkedTotal[functionKey(f)]})
		}
	}
	slices.SortFunc(rows, func(a, b unlinkedFunction) int {
		return cmp.Or(cmp.Compare(b.explains(), a.explains()), cmp.Compare(b.Cumulative, a.Cumulative),
			cmp.Compare(b.Flat, a.Flat), cmp.Compare(a.Function, b.Function))
	})
	total := len(rows)
	if limit > 0 && len(rows) > limit {
		rows = rows[:limit]
	}
	return rows, total
}

// unlinkedFunctionsFrame is the coverage query's top-functions frame: the functions of the
// unlinked samples (total: their unlinked value) with their linked total beside, ranked by
// what they explain of the missing links. The linked side's table is read only when the
// selector has linked samples at all.
func unlinkedFunctionsFrame(ctx context.Context, client *parcaapi.Client, q *models.Query, unlinkedSel, linkedSel selector.Selector, hasLinked bool) (*data.Frame, error) {
	unit := models.GrafanaUnit(q.ProfileType.SampleUnit)
	var unlinked, linked []report.TopFunction
	var unlinkedErr, linkedErr error
	var wg sync.WaitGroup
	wg.Go(func() { unlinked, _, unlinkedErr = functionsOf(ctx, client, q, unlinkedSel, 0, report.ByCumulative) })
	if hasLinked {
		wg.Go(func() { linked, _, linkedErr = functionsOf(ctx, client, q, linkedSel, 0, report.ByCumulative) })
	}
	wg.Wait()
	if unlinkedErr != nil {
		return nil, unlinkedErr
	}
	if linkedErr != nil {
		return nil, linkedErr
	}
	rows, total := rankUnlinkedFunctions(unlinked, linked, q.Limit)
	tops := make([]report.TopFunction, len(rows))
	linkedTotals := make([]int64, len(rows))
	for i, r := range rows {
		tops[i], linkedTotals[i] = r.TopFunction, r.linked
	}
	frame := report.TableFrame(coverageTopFrame, unit, tops)
	frame.Fields = append(frame.Fields, data.NewField(FieldLinkedTotal, nil, linkedTotals).SetConfig(
		&data.FieldConfig{Unit: unit, DisplayNameFromDS: "Linked total"}))
	if total > len(rows) {
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(
			"Showing the %d of %d functions that explain the most CPU without a trace link (their unlinked value, "+
				"weighted by how much of their own value is unlinked); raise the limit to see more.", len(rows), total)})
	}
	return frame, nil
}
