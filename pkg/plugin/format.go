package plugin

import (
	"fmt"
	"time"
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
