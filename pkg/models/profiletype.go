package models

import (
	"fmt"
	"regexp"
	"strings"
)

// ProfileType is Parca's name for one kind of profile:
// `<name>:<sample type>:<sample unit>:<period type>:<period unit>[:delta]`,
// e.g. process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta.
type ProfileType struct {
	Name       string
	SampleType string
	SampleUnit string
	PeriodType string
	PeriodUnit string
	Delta      bool
}

// Parca puts the profile type where Prometheus puts a metric name, so it has to be one.
var metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)

const profileTypeShape = "<name>:<sample type>:<sample unit>:<period type>:<period unit>[:delta], e.g. process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta"

// ParseProfileType checks the shape of a profile type id. Whether Parca holds it is checked
// against the server, not here.
func ParseProfileType(id string) (ProfileType, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return ProfileType{}, fmt.Errorf("no profile type chosen: a profile type looks like %s", profileTypeShape)
	}
	if !metricName.MatchString(id) {
		return ProfileType{}, fmt.Errorf("profile type %q has characters Parca cannot take; it looks like %s", id, profileTypeShape)
	}
	parts := strings.Split(id, ":")
	if len(parts) != 5 && len(parts) != 6 {
		return ProfileType{}, fmt.Errorf("profile type %q has %d parts; it looks like %s", id, len(parts), profileTypeShape)
	}
	for i, p := range parts[:5] {
		if p == "" {
			return ProfileType{}, fmt.Errorf("profile type %q has an empty part %d; it looks like %s", id, i+1, profileTypeShape)
		}
	}
	if len(parts) == 6 && parts[5] != "delta" {
		return ProfileType{}, fmt.Errorf("profile type %q ends in %q; only \"delta\" may follow the period unit", id, parts[5])
	}
	return ProfileType{
		Name: parts[0], SampleType: parts[1], SampleUnit: parts[2],
		PeriodType: parts[3], PeriodUnit: parts[4], Delta: len(parts) == 6,
	}, nil
}

// String renders the id Parca expects.
func (p ProfileType) String() string {
	s := strings.Join([]string{p.Name, p.SampleType, p.SampleUnit, p.PeriodType, p.PeriodUnit}, ":")
	if p.Delta {
		s += ":delta"
	}
	return s
}

// GrafanaUnit maps a Parca sample unit to the unit id Grafana formats values with, the same
// ids Grafana's flame graph panel recognises.
func GrafanaUnit(sampleUnit string) string {
	switch strings.ToLower(sampleUnit) {
	case "nanoseconds", "nanosecond", "ns":
		return "ns"
	case "microseconds", "us":
		return "µs"
	case "milliseconds", "ms":
		return "ms"
	case "seconds", "s":
		return "s"
	case "bytes", "byte":
		return "bytes"
	default: // count, samples, objects, ...
		return "short"
	}
}
