// Package tempostandin is a STAND-IN for Grafana Tempo's HTTP query API. Tempo is AGPL and cannot
// run on the machines Spanflame is built on, so this small server answers the few Tempo calls the
// app makes (trace by id, TraceQL search, tag names, echo) in Tempo's JSON shapes, reading every
// span from a real Jaeger v2 underneath, so the Tempo and Jaeger paths of the app see the same
// spans. It is not Tempo: it understands only the TraceQL subset documented in traceql.go and says
// so, with a 400, for anything else.
package tempostandin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Defaults of Tempo's search API.
const (
	defaultLimit = 20
	defaultSpss  = 3
	// maxLimit bounds one search (Tempo's own default max_limit is 0 = unlimited; a stand-in over
	// Jaeger's in-memory store needs a bound to stay quick).
	maxLimit = 5000
	// defaultWindow is searched when start and end are not given (Tempo then searches recent data).
	defaultWindow = time.Hour
)

// Server answers Tempo's HTTP query API from a Jaeger.
type Server struct {
	jaeger  *jaegerClient
	timeout time.Duration
	now     func() time.Time
	mux     *http.ServeMux
}

// New serves Tempo's API from the Jaeger at jaegerURL (its HTTP query port, e.g. http://127.0.0.1:16686).
// Each call to Jaeger is bounded by timeout.
func New(jaegerURL string, timeout time.Duration) *Server {
	s := &Server{
		jaeger:  &jaegerClient{base: strings.TrimRight(jaegerURL, "/"), http: &http.Client{}},
		timeout: timeout,
		now:     time.Now,
		mux:     http.NewServeMux(),
	}
	s.mux.HandleFunc("GET /ready", func(w http.ResponseWriter, r *http.Request) { s.ready(w, r) })
	s.mux.HandleFunc("GET /api/echo", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("echo"))
	})
	s.mux.HandleFunc("GET /api/traces/{id}", s.traceByID)
	s.mux.HandleFunc("GET /api/v2/traces/{id}", s.traceByID)
	s.mux.HandleFunc("GET /api/search", s.search)
	s.mux.HandleFunc("GET /api/v2/search/tags", s.tags)
	s.mux.HandleFunc("GET /api/v2/search/tag/{tag}/values", s.tagValues)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, r.URL.Path+" is not part of this Tempo stand-in (it answers /api/traces/{id}, /api/v2/traces/{id}, /api/search, /api/v2/search/tags, /api/v2/search/tag/{tag}/values, /api/echo, /ready)", http.StatusNotFound)
	})
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Server) context(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), s.timeout)
}

// ready is Tempo's readiness probe, answered once Jaeger answers.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.context(r)
	defer cancel()
	if _, err := s.jaeger.services(ctx); err != nil {
		s.fail(w, err)
		return
	}
	_, _ = w.Write([]byte("ready"))
}

// fail writes an error as Tempo does: plain text with the status.
func (s *Server) fail(w http.ResponseWriter, err error) {
	var je *jaegerError
	switch {
	case errors.As(err, &je):
		http.Error(w, je.message, je.status)
	case errors.Is(err, context.DeadlineExceeded):
		http.Error(w, fmt.Sprintf("Jaeger did not answer within %s", s.timeout), http.StatusGatewayTimeout)
	case errors.Is(err, context.Canceled):
		// The caller went away; nobody reads this.
		http.Error(w, "request canceled", 499)
	default:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func badRequest(w http.ResponseWriter, format string, args ...any) {
	http.Error(w, fmt.Sprintf(format, args...), http.StatusBadRequest)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// traceByID answers /api/traces/{id} ({"batches": [...]}) and /api/v2/traces/{id}
// ({"trace": {"resourceSpans": [...]}}).
func (s *Server) traceByID(w http.ResponseWriter, r *http.Request) {
	id, err := normalizeTraceID(r.PathValue("id"))
	if err != nil {
		badRequest(w, "%v", err)
		return
	}
	ctx, cancel := s.context(r)
	defer cancel()
	batches, err := s.jaeger.getTrace(ctx, id)
	if errors.Is(err, errTraceNotFound) || (err == nil && len(batches) == 0) {
		http.Error(w, "trace not found", http.StatusNotFound)
		return
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	out := tempoBatches(batches)
	if strings.HasPrefix(r.URL.Path, "/api/v2/") {
		writeJSON(w, map[string]any{"trace": map[string]any{"resourceSpans": out}})
		return
	}
	writeJSON(w, map[string]any{"batches": out})
}

// tempoBatches rewrites Jaeger's OTLP-JSON in the protobuf JSON mapping Tempo writes.
func tempoBatches(in []otlpResourceSpans) []tempoResourceSpans {
	out := make([]tempoResourceSpans, 0, len(in))
	for _, rs := range in {
		trs := tempoResourceSpans{Resource: rs.Resource, SchemaURL: rs.SchemaURL}
		for _, ss := range rs.ScopeSpans {
			tss := tempoScopeSpans{Scope: ss.Scope, SchemaURL: ss.SchemaURL}
			for _, sp := range ss.Spans {
				tss.Spans = append(tss.Spans, tempoSpanOf(sp))
			}
			trs.ScopeSpans = append(trs.ScopeSpans, tss)
		}
		out = append(out, trs)
	}
	return out
}

type tempoResourceSpans struct {
	Resource   otlpResource      `json:"resource"`
	ScopeSpans []tempoScopeSpans `json:"scopeSpans"`
	SchemaURL  string            `json:"schemaUrl,omitempty"`
}

type tempoScopeSpans struct {
	Scope     otlpScope   `json:"scope"`
	Spans     []tempoSpan `json:"spans"`
	SchemaURL string      `json:"schemaUrl,omitempty"`
}

type tempoStatus struct {
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

type tempoSpan struct {
	TraceID           string            `json:"traceId"`
	SpanID            string            `json:"spanId"`
	TraceState        string            `json:"traceState,omitempty"`
	ParentSpanID      string            `json:"parentSpanId,omitempty"`
	Name              string            `json:"name"`
	Kind              string            `json:"kind,omitempty"`
	StartTimeUnixNano flexUint          `json:"startTimeUnixNano"`
	EndTimeUnixNano   flexUint          `json:"endTimeUnixNano"`
	Attributes        []keyValue        `json:"attributes,omitempty"`
	Events            []json.RawMessage `json:"events,omitempty"`
	Links             []otlpLink        `json:"links,omitempty"`
	Status            tempoStatus       `json:"status"`
}

func tempoSpanOf(sp otlpSpan) tempoSpan {
	t := tempoSpan{
		TraceID: hexToBase64(sp.TraceID), SpanID: hexToBase64(sp.SpanID), TraceState: sp.TraceState,
		ParentSpanID: hexToBase64(sp.ParentSpanID), Name: sp.Name,
		StartTimeUnixNano: sp.StartTimeUnixNano, EndTimeUnixNano: sp.EndTimeUnixNano,
		Attributes: sp.Attributes, Events: sp.Events,
		Status: tempoStatus{Message: sp.Status.Message},
	}
	// Zero enums are left out, as the protobuf JSON mapping does.
	if k := enum(sp.Kind, kindNames); k != 0 {
		t.Kind = kindNames[k]
	}
	if c := enum(sp.Status.Code, statusNames); c != 0 {
		t.Status.Code = statusNames[c]
	}
	for _, l := range sp.Links {
		l.TraceID, l.SpanID = hexToBase64(l.TraceID), hexToBase64(l.SpanID)
		t.Links = append(t.Links, l)
	}
	return t
}

// search answers /api/search?q=<TraceQL>&start=&end=&limit=&spss=.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	text := params.Get("q")
	if text == "" {
		badRequest(w, "this Tempo stand-in answers only TraceQL searches: pass q=<TraceQL> (the tag search of tags=, minDuration= and maxDuration= is not supported)")
		return
	}
	q, err := parseQuery(text)
	if err != nil {
		badRequest(w, "%v", err)
		return
	}
	start, end, err := s.window(params.Get("start"), params.Get("end"))
	if err != nil {
		badRequest(w, "%v", err)
		return
	}
	limit, err := positiveParam(params.Get("limit"), "limit", defaultLimit, maxLimit)
	if err != nil {
		badRequest(w, "%v", err)
		return
	}
	spss, err := positiveParam(params.Get("spss"), "spss", defaultSpss, maxLimit)
	if err != nil {
		badRequest(w, "%v", err)
		return
	}
	ctx, cancel := s.context(r)
	defer cancel()
	batches, err := s.jaeger.findTraces(ctx, findParams{
		service: q.service, operation: q.nameEquals(), start: start, end: end,
		minDuration: q.minDuration(), numTraces: limit,
	})
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, searchAnswer(q, batches, start, end, limit, spss))
}

// window reads start and end (Unix seconds); without them, the last hour.
func (s *Server) window(startText, endText string) (time.Time, time.Time, error) {
	if startText == "" && endText == "" {
		end := s.now()
		return end.Add(-defaultWindow), end, nil
	}
	if startText == "" || endText == "" {
		return time.Time{}, time.Time{}, errors.New("start and end go together: pass both (Unix seconds) or neither")
	}
	startSec, err1 := strconv.ParseInt(startText, 10, 64)
	endSec, err2 := strconv.ParseInt(endText, 10, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("start and end must be whole Unix seconds, got start=%q end=%q", startText, endText)
	}
	if endSec <= startSec {
		return time.Time{}, time.Time{}, fmt.Errorf("end (%d) must be greater than start (%d)", endSec, startSec)
	}
	return time.Unix(startSec, 0), time.Unix(endSec, 0), nil
}

func positiveParam(text, name string, fallback, max int) (int, error) {
	if text == "" {
		return fallback, nil
	}
	n, err := strconv.Atoi(text)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s must be a whole number above 0, got %q", name, text)
	}
	return min(n, max), nil
}
