package plugin

import (
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/spanflame/spanflame/pkg/models"
)

func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

func percent(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}

// formatValue writes a value in its Grafana unit for notices.
func formatValue(v int64, unit string) string {
	switch unit {
	case "ns":
		d := time.Duration(v)
		switch {
		case d >= time.Second:
			d = d.Round(time.Millisecond)
		case d >= time.Millisecond:
			d = d.Round(time.Microsecond)
		}
		return d.String()
	case "bytes":
		switch {
		case v >= 1<<30:
			return fmt.Sprintf("%.1f GiB", float64(v)/(1<<30))
		case v >= 1<<20:
			return fmt.Sprintf("%.1f MiB", float64(v)/(1<<20))
		case v >= 1<<10:
			return fmt.Sprintf("%.1f KiB", float64(v)/(1<<10))
		}
		return fmt.Sprintf("%d B", v)
	}
	return fmt.Sprintf("%d", v)
}

// addIgnoredOptionNotices says, on the first frame, which of the query's options its query
// type cannot apply, rather than dropping them silently.
func addIgnoredOptionNotices(q *models.Query, frames data.Frames) {
	if len(frames) == 0 {
		return
	}
	var ignored []string
	if len(q.GroupBy) > 0 && (q.Type == models.QueryTypeTable || q.Type == models.QueryTypeDiff || q.Type == models.QueryTypeTraceIDs) {
		ignored = append(ignored, "group by (it applies to profile, metrics and coverage)")
	}
	if q.HasFilters() && (q.Type == models.QueryTypeMetrics || q.Type == models.QueryTypeCoverage || q.Type == models.QueryTypeTraceIDs) {
		ignored = append(ignored, "function/binary/filename filters on the series (Parca's QueryRange has none; coverage applies them to its top functions and stacks only)")
	}
	if len(ignored) > 0 {
		frames[0].AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning,
			Text: "Not applied to this query type: " + strings.Join(ignored, "; ") + "."})
	}
}
