package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/gtime"

	"github.com/spanflame/spanflame/pkg/selector"
)

// QueryModel is the JSON the query editor sends for one query (backend.DataQuery.JSON).
// The keys are the contract with src/datasource/types.ts (`ParcaQuery`):
//
//	queryType          "profile" | "metrics" | "table" | "diff" | "coverage" | "traceIds"; empty means profile
//	profileType        Parca profile type, e.g. "process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta"
//	labelSelector      `{service_name="checkout"}`; "" and "{}" select everything; braces optional
//	traceId            32 hex characters; adds the matcher trace_id="<id>"
//	spanId             16 hex characters; adds the matcher span_id="<id>"
//	functionFilter     keep stacks with a function whose name contains this ("!" prefix: drop them)
//	binaryFilter       keep frames of binaries whose path contains this ("!" prefix: drop them)
//	filenameFilter     keep stacks with a frame whose source file contains this ("!" prefix: drop them)
//	groupBy            label names: series per label set (metrics), label nodes on top (profile);
//	                   never trace_id; span_id only with traceId (the CPU of each span of one trace)
//	nodeTrimThreshold  percent of the total under which Parca drops flame graph nodes (default 0.1)
//	limit              rows of the top-functions table (default 100, at most 10000); trace ids of a
//	                   traceIds query (default 20, at most 50)
//	baseline           diff only: {mode: "offset"|"range"|"selector", offset: "1h",
//	                   from/to: RFC 3339 or epoch milliseconds, labelSelector: `{...}`}
type QueryModel struct {
	QueryType         QueryType      `json:"queryType"`
	ProfileType       string         `json:"profileType"`
	LabelSelector     string         `json:"labelSelector"`
	TraceID           string         `json:"traceId"`
	SpanID            string         `json:"spanId"`
	FunctionFilter    string         `json:"functionFilter"`
	BinaryFilter      string         `json:"binaryFilter"`
	FilenameFilter    string         `json:"filenameFilter"`
	GroupBy           []string       `json:"groupBy"`
	NodeTrimThreshold *float64       `json:"nodeTrimThreshold"`
	Limit             *int           `json:"limit"`
	Baseline          *BaselineModel `json:"baseline"`
}

// BaselineModel is what a diff compares the query range against.
type BaselineModel struct {
	Mode          string    `json:"mode"`
	Offset        string    `json:"offset"`
	From          TimeValue `json:"from"`
	To            TimeValue `json:"to"`
	LabelSelector string    `json:"labelSelector"`
}

// TimeValue is a point in time written as RFC 3339 text or epoch milliseconds (number or text).
type TimeValue struct {
	Set  bool
	Time time.Time
}

// UnmarshalJSON reads "2026-11-21T10:00:00.250Z", "1763719200250" or 1763719200250.
func (t *TimeValue) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*t = TimeValue{}
		return nil
	}
	var text string
	if b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return err
		}
	} else {
		text = string(b)
	}
	parsed, err := ParseTime(text)
	if err != nil {
		return err
	}
	*t = TimeValue{Set: !parsed.IsZero(), Time: parsed}
	return nil
}

// ParseTime reads RFC 3339 (any sub-second precision) or epoch milliseconds; "" is the zero time.
func ParseTime(text string) (time.Time, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return time.Time{}, nil
	}
	if ms, err := strconv.ParseInt(text, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), nil
	}
	if ms, err := strconv.ParseFloat(text, 64); err == nil && !math.IsInf(ms, 0) && !math.IsNaN(ms) && math.Abs(ms) < 1e15 {
		return time.Unix(0, int64(ms*1e6)).UTC(), nil
	}
	parsed, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q is neither RFC 3339 (2026-11-21T10:00:00.250Z) nor epoch milliseconds", text)
	}
	return parsed, nil
}

// Defaults and bounds of the query model.
const (
	DefaultNodeTrimThreshold = 0.1 // percent: at 1,200 px a node under 0.1 % is under 1.2 px
	DefaultTableLimit        = 100
	MaxTableLimit            = 10000
	// A traceIds query splits its range's samples by trace id, so Parca's work grows with the
	// requests in the range: the range is short and the answer a few ids, whatever the traffic.
	DefaultTraceIDLimit = 20
	MaxTraceIDLimit     = 50
	MaxTraceIDRange     = 15 * time.Minute
	maxFilterLength     = 1024
)

// Baseline modes of a diff query.
const (
	BaselineOffset   = "offset"
	BaselineRange    = "range"
	BaselineSelector = "selector"
)

var (
	traceIDPattern   = regexp.MustCompile(`^[0-9a-f]{32}$`)
	spanIDPattern    = regexp.MustCompile(`^[0-9a-f]{16}$`)
	labelNamePattern = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// TextFilter is one function/binary/filename filter: a substring, kept or dropped.
type TextFilter struct {
	Text    string
	Exclude bool
}

// Active reports whether the filter was set.
func (f TextFilter) Active() bool { return f.Text != "" }

// Query is a QueryModel checked and resolved against its time range: everything a handler
// needs, in the types it needs them.
type Query struct {
	Type        QueryType
	ProfileType ProfileType
	// Selector is the user's selector plus the trace_id/span_id matchers.
	Selector selector.Selector
	// BaseSelector is the user's selector alone (a diff's baseline side, coverage's scope).
	BaseSelector selector.Selector
	TraceID      string
	SpanID       string
	Function     TextFilter
	Binary       TextFilter
	Filename     TextFilter
	GroupBy      []string
	// NodeTrimThreshold is a percent of the total, as Parca takes it.
	NodeTrimThreshold float32
	Limit             int
	From, To          time.Time
	// Baseline is set for diff queries only.
	Baseline *Baseline
}

// Baseline is the resolved left-hand side of a diff.
type Baseline struct {
	Mode     string
	From, To time.Time
	Selector selector.Selector
}

// ParseQuery decodes and checks one query. queryType is the request's DataQuery.QueryType,
// which wins over the JSON's when both are set. Every error is the user's to fix and says how.
func ParseQuery(raw []byte, queryType string, from, to time.Time) (*Query, error) {
	var m QueryModel
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("query is not valid JSON for this datasource: %v", err)
		}
	}
	if queryType != "" {
		m.QueryType = QueryType(queryType)
	}
	return m.Resolve(from, to)
}

// Resolve checks the model and binds it to the time range [from, to].
func (m QueryModel) Resolve(from, to time.Time) (*Query, error) {
	q := &Query{Type: m.QueryType, From: from, To: to}
	if q.Type == "" {
		q.Type = QueryTypeProfile
	}
	if !q.Type.Valid() {
		return nil, fmt.Errorf("unknown query type %q; known types: %s", m.QueryType, joinQueryTypes())
	}
	if err := checkRange(from, to, "query"); err != nil {
		return nil, err
	}
	var err error
	if q.ProfileType, err = ParseProfileType(m.ProfileType); err != nil {
		return nil, err
	}
	if q.BaseSelector, err = selector.Parse(m.LabelSelector); err != nil {
		return nil, err
	}
	measuresTraceLabels := q.Type == QueryTypeCoverage || q.Type == QueryTypeTraceIDs
	for _, name := range []string{selector.TraceIDLabel, selector.SpanIDLabel} {
		if q.BaseSelector.Has(name) && measuresTraceLabels {
			return nil, fmt.Errorf("%s reads the %s label itself: remove the %s matcher from the label selector", q.Type, name, name)
		}
	}
	q.Selector = q.BaseSelector
	if q.TraceID, err = normalizeHexID(m.TraceID, traceIDPattern, "trace id", 32); err != nil {
		return nil, err
	}
	if q.SpanID, err = normalizeHexID(m.SpanID, spanIDPattern, "span id", 16); err != nil {
		return nil, err
	}
	if q.TraceID != "" {
		q.Selector = q.Selector.Without(selector.TraceIDLabel).With(selector.Equal(selector.TraceIDLabel, q.TraceID))
	}
	if q.SpanID != "" {
		q.Selector = q.Selector.Without(selector.SpanIDLabel).With(selector.Equal(selector.SpanIDLabel, q.SpanID))
	}
	if (q.TraceID != "" || q.SpanID != "") && q.Type == QueryTypeCoverage {
		return nil, fmt.Errorf("coverage counts samples with and without a trace link across the selector: leave trace id and span id empty")
	}
	if (q.TraceID != "" || q.SpanID != "") && q.Type == QueryTypeTraceIDs {
		return nil, fmt.Errorf("traceIds finds the trace ids of the selector's samples: leave trace id and span id empty")
	}
	if q.Function, err = parseTextFilter(m.FunctionFilter, "function filter"); err != nil {
		return nil, err
	}
	if q.Binary, err = parseTextFilter(m.BinaryFilter, "binary filter"); err != nil {
		return nil, err
	}
	if q.Filename, err = parseTextFilter(m.FilenameFilter, "filename filter"); err != nil {
		return nil, err
	}
	if q.GroupBy, err = parseGroupBy(m.GroupBy, q.TraceID); err != nil {
		return nil, err
	}
	if q.NodeTrimThreshold, err = parseTrimThreshold(m.NodeTrimThreshold); err != nil {
		return nil, err
	}
	if q.Type == QueryTypeTraceIDs {
		if q.Limit, err = parseLimit(m.Limit, DefaultTraceIDLimit, MaxTraceIDLimit, "trace ids"); err != nil {
			return nil, err
		}
		if span := to.Sub(from); span > MaxTraceIDRange {
			return nil, fmt.Errorf("a traceIds query reads every trace id in its range, so its range is at most %s: shorten it (got %s)", MaxTraceIDRange, span.Round(time.Second))
		}
	} else if q.Limit, err = parseLimit(m.Limit, DefaultTableLimit, MaxTableLimit, "rows"); err != nil {
		return nil, err
	}
	if q.Type == QueryTypeDiff {
		if q.Baseline, err = m.resolveBaseline(q); err != nil {
			return nil, err
		}
	}
	return q, nil
}

func joinQueryTypes() string {
	names := make([]string, len(AllQueryTypes))
	for i, t := range AllQueryTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

func checkRange(from, to time.Time, what string) error {
	if from.IsZero() || to.IsZero() {
		return fmt.Errorf("the %s time range has no start or no end", what)
	}
	if !to.After(from) {
		if to.Equal(from) {
			return fmt.Errorf("the %s time range is empty: it starts and ends at %s", what, from.UTC().Format(time.RFC3339Nano))
		}
		return fmt.Errorf("the %s time range is inverted: it ends (%s) before it starts (%s)", what,
			to.UTC().Format(time.RFC3339Nano), from.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

func normalizeHexID(raw string, pattern *regexp.Regexp, what string, length int) (string, error) {
	id := strings.ToLower(strings.TrimSpace(raw))
	if id == "" {
		return "", nil
	}
	if !pattern.MatchString(id) {
		return "", fmt.Errorf("%s %q is not valid: a %s is %d hexadecimal characters (0-9, a-f), e.g. %s",
			what, truncate(raw, 80), what, length, strings.Repeat("4bf92f3577b34da6", length/16))
	}
	if strings.Trim(id, "0") == "" {
		return "", fmt.Errorf("%s %q is all zeros, which OpenTelemetry reserves for \"no %s\"", what, raw, what)
	}
	return id, nil
}

func parseTextFilter(raw, what string) (TextFilter, error) {
	text := strings.TrimSpace(raw)
	if len(text) > maxFilterLength {
		return TextFilter{}, fmt.Errorf("%s is %d characters long; at most %d are allowed", what, len(text), maxFilterLength)
	}
	f := TextFilter{Text: text}
	if strings.HasPrefix(text, "!") {
		f = TextFilter{Text: strings.TrimSpace(text[1:]), Exclude: true}
		if f.Text == "" {
			return TextFilter{}, fmt.Errorf("%s %q has nothing after '!': write !text to drop what contains text", what, raw)
		}
	}
	return f, nil
}

// parseGroupBy checks the group-by labels. trace_id and span_id have one value per request, so
// grouping by them is refused, except span_id within one trace (traceID set): a trace has a
// bounded number of spans, and that grouping is the trace's CPU per span (the trace page's
// waterfall) in one query.
func parseGroupBy(names []string, traceID string) ([]string, error) {
	out := make([]string, 0, len(names))
	seen := map[string]bool{}
	for _, raw := range names {
		name := strings.TrimPrefix(strings.TrimSpace(raw), "labels.")
		if name == "" || seen[name] {
			continue
		}
		if !labelNamePattern.MatchString(name) {
			return nil, fmt.Errorf("group by %q is not a label name (letters, digits and _, not starting with a digit)", truncate(raw, 80))
		}
		if name == selector.SpanIDLabel && traceID == "" {
			return nil, fmt.Errorf("cannot group by span_id across traces: it has one value per request; set a trace id to get the CPU of each span of that trace")
		}
		if selector.IsHighCardinality(name) && name != selector.SpanIDLabel {
			return nil, fmt.Errorf("cannot group by %s: it has one value per request, so grouping by it costs as much as there are requests; filter by one trace id or span id instead", name)
		}
		seen[name] = true
		out = append(out, name)
	}
	return out, nil
}

func parseTrimThreshold(v *float64) (float32, error) {
	if v == nil {
		return DefaultNodeTrimThreshold, nil
	}
	if math.IsNaN(*v) || *v < 0 || *v > 100 {
		return 0, fmt.Errorf("node trim threshold %v is not a percent between 0 and 100", *v)
	}
	return float32(*v), nil
}

// parseLimit reads the row limit: def when unset, else 1 to most (of what the rows are).
func parseLimit(v *int, def, most int, rows string) (int, error) {
	if v == nil || *v == 0 {
		return def, nil
	}
	if *v < 0 || *v > most {
		return 0, fmt.Errorf("limit %d is out of range: choose 1 to %d %s", *v, most, rows)
	}
	return *v, nil
}

func (m QueryModel) resolveBaseline(q *Query) (*Baseline, error) {
	if m.Baseline == nil || m.Baseline.Mode == "" {
		return nil, fmt.Errorf("a diff needs a baseline: mode %q with an offset such as \"1h\", %q with from/to, or %q with another label selector",
			BaselineOffset, BaselineRange, BaselineSelector)
	}
	b := &Baseline{Mode: m.Baseline.Mode, Selector: q.BaseSelector}
	switch m.Baseline.Mode {
	case BaselineOffset:
		offset, err := gtime.ParseDuration(strings.TrimSpace(m.Baseline.Offset))
		if err != nil || offset <= 0 {
			return nil, fmt.Errorf("baseline offset %q is not a positive duration such as 30m, 1h or 7d", m.Baseline.Offset)
		}
		b.From, b.To = q.From.Add(-offset), q.To.Add(-offset)
	case BaselineRange:
		if !m.Baseline.From.Set || !m.Baseline.To.Set {
			return nil, fmt.Errorf("baseline mode %q needs both from and to (RFC 3339 or epoch milliseconds)", BaselineRange)
		}
		b.From, b.To = m.Baseline.From.Time, m.Baseline.To.Time
		if err := checkRange(b.From, b.To, "baseline"); err != nil {
			return nil, err
		}
	case BaselineSelector:
		sel, err := selector.Parse(m.Baseline.LabelSelector)
		if err != nil {
			return nil, fmt.Errorf("baseline: %w", err)
		}
		b.From, b.To, b.Selector = q.From, q.To, sel
	default:
		return nil, fmt.Errorf("baseline mode %q is unknown; use %q, %q or %q", m.Baseline.Mode, BaselineOffset, BaselineRange, BaselineSelector)
	}
	return b, nil
}

// IsLabelName reports whether s is a plain label name (letters, digits and _, not starting
// with a digit).
func IsLabelName(s string) bool { return labelNamePattern.MatchString(s) }

// HasFilters reports whether any function/binary/filename filter is set.
func (q *Query) HasFilters() bool {
	return q.Function.Active() || q.Binary.Active() || q.Filename.Active()
}

// WithoutTraceMatchers returns the selector with trace_id/span_id matchers removed.
func WithoutTraceMatchers(s selector.Selector) selector.Selector {
	return s.Without(selector.TraceIDLabel, selector.SpanIDLabel)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
