package tempostandin

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Tempo's search answer (tempopb.SearchResponse in the protobuf JSON mapping: zero values left out).
type searchResponse struct {
	Traces  []traceSearchMetadata `json:"traces"`
	Metrics searchMetrics         `json:"metrics"`
}

type searchMetrics struct {
	InspectedTraces uint32 `json:"inspectedTraces,omitempty"`
	InspectedBytes  string `json:"inspectedBytes,omitempty"`
	TotalBlocks     uint32 `json:"totalBlocks,omitempty"`
}

type traceSearchMetadata struct {
	TraceID           string     `json:"traceID"`
	RootServiceName   string     `json:"rootServiceName,omitempty"`
	RootTraceName     string     `json:"rootTraceName,omitempty"`
	StartTimeUnixNano string     `json:"startTimeUnixNano,omitempty"`
	DurationMs        uint32     `json:"durationMs,omitempty"`
	SpanSet           *spanSet   `json:"spanSet,omitempty"`
	SpanSets          []*spanSet `json:"spanSets,omitempty"`
}

type spanSet struct {
	Spans   []searchSpan `json:"spans"`
	Matched uint32       `json:"matched,omitempty"`
}

type searchSpan struct {
	SpanID            string     `json:"spanID"`
	Name              string     `json:"name,omitempty"`
	StartTimeUnixNano string     `json:"startTimeUnixNano,omitempty"`
	DurationNanos     string     `json:"durationNanos,omitempty"`
	Attributes        []keyValue `json:"attributes,omitempty"`
}

// rootNotReceived is what Tempo names a trace whose root span it has not seen.
const rootNotReceived = "<root span not yet received>"

type traceGroup struct {
	id      string
	spans   []spanRef
	matched []spanRef
}

// searchAnswer keeps, of Jaeger's traces, the spans that match the query and overlap [start, end],
// newest trace first as Tempo orders them.
func searchAnswer(q *query, batches []otlpResourceSpans, start, end time.Time, limit, spss int) searchResponse {
	groups := map[string]*traceGroup{}
	var order []string
	for i := range batches {
		rs := &batches[i]
		for j := range rs.ScopeSpans {
			for k := range rs.ScopeSpans[j].Spans {
				ref := spanRef{resource: rs, span: &rs.ScopeSpans[j].Spans[k]}
				id := strings.ToLower(ref.span.TraceID)
				g := groups[id]
				if g == nil {
					g = &traceGroup{id: id}
					groups[id] = g
					order = append(order, id)
				}
				g.spans = append(g.spans, ref)
				spanEnd := uint64(ref.span.EndTimeUnixNano)
				if q.matches(ref) && uint64(ref.span.StartTimeUnixNano) < uint64(end.UnixNano()) && spanEnd >= uint64(start.UnixNano()) {
					g.matched = append(g.matched, ref)
				}
			}
		}
	}
	out := searchResponse{Traces: []traceSearchMetadata{}, Metrics: searchMetrics{InspectedTraces: uint32(len(groups))}}
	for _, id := range order {
		g := groups[id]
		if len(g.matched) == 0 {
			continue
		}
		out.Traces = append(out.Traces, traceMetadata(q, g, spss))
	}
	sort.SliceStable(out.Traces, func(i, j int) bool {
		return parseUint(out.Traces[i].StartTimeUnixNano) > parseUint(out.Traces[j].StartTimeUnixNano)
	})
	if len(out.Traces) > limit {
		out.Traces = out.Traces[:limit]
	}
	return out
}

func traceMetadata(q *query, g *traceGroup, spss int) traceSearchMetadata {
	var first, last uint64
	var root *spanRef
	ids := map[string]bool{}
	for _, s := range g.spans {
		ids[s.span.SpanID] = true
	}
	for i, s := range g.spans {
		st, en := uint64(s.span.StartTimeUnixNano), uint64(s.span.EndTimeUnixNano)
		if first == 0 || st < first {
			first = st
		}
		if en > last {
			last = en
		}
		if root == nil && (s.span.ParentSpanID == "" || !ids[s.span.ParentSpanID]) {
			root = &g.spans[i]
		}
	}
	m := traceSearchMetadata{
		// Tempo writes search trace ids without their leading zeros.
		TraceID:           strings.TrimLeft(g.id, "0"),
		RootServiceName:   rootNotReceived,
		StartTimeUnixNano: formatUint(first),
		DurationMs:        uint32((last - first) / uint64(time.Millisecond)),
	}
	if root != nil && root.span.ParentSpanID == "" {
		m.RootServiceName, m.RootTraceName = root.service(), root.span.Name
	}
	sort.SliceStable(g.matched, func(i, j int) bool {
		return g.matched[i].span.StartTimeUnixNano < g.matched[j].span.StartTimeUnixNano
	})
	set := &spanSet{Matched: uint32(len(g.matched))}
	for _, s := range g.matched[:min(spss, len(g.matched))] {
		set.Spans = append(set.Spans, searchSpan{
			SpanID: strings.ToLower(s.span.SpanID), Name: s.span.Name,
			StartTimeUnixNano: formatUint(uint64(s.span.StartTimeUnixNano)),
			DurationNanos:     formatUint(s.durationNanos()),
			Attributes:        q.returnedAttributes(s),
		})
	}
	// Tempo fills both: spanSet (the first, for older clients) and spanSets.
	m.SpanSet, m.SpanSets = set, []*spanSet{set}
	return m
}

// returnedAttributes are the attributes Tempo returns with a matched span: those the query's
// conditions and select() name (intrinsics kind and status as strings).
func (q *query) returnedAttributes(s spanRef) []keyValue {
	fields := make([]string, 0, len(q.conditions)+len(q.selects))
	for _, c := range q.conditions {
		fields = append(fields, c.field)
	}
	fields = append(fields, q.selects...)
	seen := map[string]bool{}
	var out []keyValue
	add := func(key string, v json.RawMessage) {
		if !seen[key] {
			seen[key] = true
			out = append(out, keyValue{Key: key, Value: v})
		}
	}
	for _, f := range fields {
		switch f {
		case "name", "duration":
			// Returned as the span's own fields.
		case "kind":
			add("kind", stringValue(strings.ToLower(strings.TrimPrefix(kindNames[s.kind()], "SPAN_KIND_"))))
		case "status":
			add("status", stringValue(strings.ToLower(strings.TrimPrefix(statusNames[s.status()], "STATUS_CODE_"))))
		default:
			if v, ok := lookupAttribute(s, f); ok {
				add(attributeKey(f), v)
			}
		}
	}
	return out
}

func attributeKey(field string) string {
	for _, p := range []string{"resource.", "span.", "."} {
		if strings.HasPrefix(field, p) {
			return strings.TrimPrefix(field, p)
		}
	}
	return field
}

func stringValue(s string) json.RawMessage {
	b, _ := json.Marshal(map[string]string{"stringValue": s})
	return b
}

func formatUint(n uint64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatUint(n, 10)
}

func parseUint(s string) uint64 {
	n, _ := strconv.ParseUint(s, 10, 64)
	return n
}

// tagsScope is one scope of /api/v2/search/tags.
type tagsScope struct {
	Name string   `json:"name"`
	Tags []string `json:"tags"`
}

// tags answers /api/v2/search/tags from the attribute keys of recent spans (Jaeger has no list of
// attribute keys: the stand-in samples the last hour's traces of each service).
func (s *Server) tags(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.context(r)
	defer cancel()
	services, err := s.jaeger.services(ctx)
	if err != nil {
		s.fail(w, err)
		return
	}
	resourceKeys, spanKeys := map[string]bool{"service.name": true}, map[string]bool{}
	end := s.now()
	for _, svc := range services {
		batches, err := s.jaeger.findTraces(ctx, findParams{service: svc, start: end.Add(-defaultWindow), end: end, numTraces: 20})
		if err != nil {
			s.fail(w, err)
			return
		}
		for _, rs := range batches {
			for _, a := range rs.Resource.Attributes {
				resourceKeys[a.Key] = true
			}
			for _, ss := range rs.ScopeSpans {
				for _, sp := range ss.Spans {
					for _, a := range sp.Attributes {
						spanKeys[a.Key] = true
					}
				}
			}
		}
	}
	scopes := []tagsScope{
		{Name: "resource", Tags: sortedKeys(resourceKeys)},
		{Name: "span", Tags: sortedKeys(spanKeys)},
		{Name: "intrinsic", Tags: []string{"duration", "kind", "name", "status", "statusMessage", "traceDuration", "rootName", "rootServiceName"}},
	}
	if scope := r.URL.Query().Get("scope"); scope != "" && scope != "all" {
		kept := scopes[:0]
		for _, sc := range scopes {
			if sc.Name == scope {
				kept = append(kept, sc)
			}
		}
		scopes = kept
	}
	writeJSON(w, map[string]any{"scopes": scopes})
}

// tagValues answers /api/v2/search/tag/{tag}/values for the service name and span name (what the
// app offers to pick); other tags are not known to Jaeger's API.
func (s *Server) tagValues(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.context(r)
	defer cancel()
	type tagValue struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	}
	var values []string
	var err error
	switch tag := r.PathValue("tag"); tag {
	case "resource.service.name", "service.name":
		values, err = s.jaeger.services(ctx)
	case "name":
		var services []string
		if services, err = s.jaeger.services(ctx); err == nil {
			set := map[string]bool{}
			for _, svc := range services {
				ops, opErr := s.jaeger.operations(ctx, svc)
				if opErr != nil {
					err = opErr
					break
				}
				for _, op := range ops {
					set[op] = true
				}
			}
			values = sortedKeys(set)
		}
	default:
		badRequest(w, "this Tempo stand-in lists values only of resource.service.name and name, not %q", tag)
		return
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	out := []tagValue{}
	for _, v := range values {
		out = append(out, tagValue{Type: "string", Value: v})
	}
	writeJSON(w, map[string]any{"tagValues": out})
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
