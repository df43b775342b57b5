package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/parcaapi"
	"github.com/spanflame/spanflame/pkg/selector"
)

// Resource endpoints, under /api/datasources/uid/<uid>/resources/. All answer JSON except
// pprof, and take from/to as epoch milliseconds (default: the last hour; profile-types: all
// time), profileType and labelSelector where they narrow the answer.
//
//	GET  profile-types                          [{id, name, sampleType, sampleUnit, periodType, periodUnit, delta}]
//	GET  label-names?profileType&labelSelector  {names: [...], highCardinality: ["trace_id", "span_id"]}
//	GET  label-values?label&profileType&labelSelector&limit
//	                                            {label, values: [...], truncated, message}
//	GET  services                               {label, values: [...]}: values of the service label (or job)
//	GET  pprof?<query model keys>&from&to       the merged profile as .pb.gz, as an attachment
//	POST pprof  {<query model>, from, to}        the same, for queries too long for a URL
func (d *Datasource) newResourceMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /profile-types", d.handleProfileTypes)
	mux.HandleFunc("GET /label-names", d.handleLabelNames)
	mux.HandleFunc("GET /label-values", d.handleLabelValues)
	mux.HandleFunc("GET /services", d.handleServices)
	mux.HandleFunc("GET /pprof", d.handlePprof)
	mux.HandleFunc("POST /pprof", d.handlePprof)
	return mux
}

// Label-value listing bounds.
const (
	defaultValuesLimit = 1000
	maxValuesLimit     = 10000
	defaultLookback    = time.Hour
)

// ProfileTypeInfo is one profile type in the profile-types resource.
type ProfileTypeInfo struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	SampleType string `json:"sampleType"`
	SampleUnit string `json:"sampleUnit"`
	PeriodType string `json:"periodType"`
	PeriodUnit string `json:"periodUnit"`
	Delta      bool   `json:"delta"`
}

func (d *Datasource) handleProfileTypes(w http.ResponseWriter, r *http.Request) {
	client, ok := d.resourceClient(w)
	if !ok {
		return
	}
	req := &pb.ProfileTypesRequest{}
	if r.URL.Query().Has("from") || r.URL.Query().Has("to") {
		from, to, err := rangeParams(r)
		if err != nil {
			writeError(w, http.StatusBadRequest, err)
			return
		}
		req.Start, req.End = timestamp(from), timestamp(to)
	}
	resp, err := client.ProfileTypes(r.Context(), req)
	if err != nil {
		writeParcaError(w, err)
		return
	}
	out := make([]ProfileTypeInfo, 0, len(resp.GetTypes()))
	for _, t := range resp.GetTypes() {
		out = append(out, ProfileTypeInfo{ID: profileTypeID(t), Name: t.GetName(), SampleType: t.GetSampleType(),
			SampleUnit: t.GetSampleUnit(), PeriodType: t.GetPeriodType(), PeriodUnit: t.GetPeriodUnit(), Delta: t.GetDelta()})
	}
	slices.SortFunc(out, func(a, b ProfileTypeInfo) int { return strings.Compare(a.ID, b.ID) })
	writeJSON(w, out)
}

func (d *Datasource) handleLabelNames(w http.ResponseWriter, r *http.Request) {
	client, scope, ok := d.scopedClient(w, r)
	if !ok {
		return
	}
	req := &pb.LabelsRequest{Start: timestamp(scope.from), End: timestamp(scope.to)}
	if scope.profileType != "" {
		// Parca applies the matchers only together with a profile type.
		req.ProfileType = &scope.profileType
		req.Match = scope.selector.MatcherStrings()
	}
	resp, err := client.Labels(r.Context(), req)
	if err != nil {
		writeParcaError(w, err)
		return
	}
	names := resp.GetLabelNames()
	slices.Sort(names)
	writeJSON(w, map[string]any{"names": names, "highCardinality": []string{selector.TraceIDLabel, selector.SpanIDLabel}})
}

// LabelValues is the label-values resource's answer.
type LabelValues struct {
	Label     string   `json:"label"`
	Values    []string `json:"values"`
	Truncated bool     `json:"truncated"`
	Message   string   `json:"message,omitempty"`
}

func (d *Datasource) handleLabelValues(w http.ResponseWriter, r *http.Request) {
	label := strings.TrimSpace(r.URL.Query().Get("label"))
	if !models.IsLabelName(label) {
		writeError(w, http.StatusBadRequest, fmt.Errorf("label %q is not a label name", label))
		return
	}
	if selector.IsHighCardinality(label) {
		writeError(w, http.StatusUnprocessableEntity, fmt.Errorf(
			"%s has one value per request, so its values are never listed (that would cost as much as there are requests); paste a %s, or open a span from a trace", label, strings.ReplaceAll(label, "_", " ")))
		return
	}
	limit, err := intParam(r, "limit", defaultValuesLimit, maxValuesLimit)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	client, scope, ok := d.scopedClient(w, r)
	if !ok {
		return
	}
	values, err := labelValues(r, client, label, scope)
	if err != nil {
		writeParcaError(w, err)
		return
	}
	out := LabelValues{Label: label, Values: values}
	if len(values) > limit {
		out.Values, out.Truncated = values[:limit], true
		out.Message = fmt.Sprintf("showing the first %d of %d values; narrow the selector or time range", limit, len(values))
	}
	writeJSON(w, out)
}

// labelValues lists a label's values in the scope. Parca's Values call ignores matchers, so
// with a selector the values come from a QueryRange split by the label over one step: the
// label sets of the series are exactly the values present under the selector.
func labelValues(r *http.Request, client *parcaapi.Client, label string, scope resourceScope) ([]string, error) {
	if scope.profileType != "" && len(scope.selector.Matchers) > 0 {
		// A selector that matches nothing has no values: queryRange reads Parca's NotFound so.
		resp, err := queryRange(r.Context(), client, rangeRequest(scope.profileType, scope.selector, scope.from, scope.to, scope.to.Sub(scope.from), []string{label}))
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		var values []string
		for _, s := range resp.GetSeries() {
			for _, l := range s.GetLabelset().GetLabels() {
				if l.GetName() == label && l.GetValue() != "" && !seen[l.GetValue()] {
					seen[l.GetValue()] = true
					values = append(values, l.GetValue())
				}
			}
		}
		slices.Sort(values)
		return values, nil
	}
	req := &pb.ValuesRequest{LabelName: label, Start: timestamp(scope.from), End: timestamp(scope.to)}
	if scope.profileType != "" {
		req.ProfileType = &scope.profileType
	}
	resp, err := client.Values(r.Context(), req)
	if err != nil {
		return nil, err
	}
	values := resp.GetLabelValues()
	slices.Sort(values)
	return values, nil
}

func (d *Datasource) handleServices(w http.ResponseWriter, r *http.Request) {
	client, scope, ok := d.scopedClient(w, r)
	if !ok {
		return
	}
	for _, label := range []string{d.settings.ServiceLabel, models.FallbackServiceLabel} {
		values, err := labelValues(r, client, label, scope)
		if err != nil {
			writeParcaError(w, err)
			return
		}
		if len(values) > 0 || label == models.FallbackServiceLabel {
			writeJSON(w, LabelValues{Label: label, Values: values})
			return
		}
	}
}

func (d *Datasource) handlePprof(w http.ResponseWriter, r *http.Request) {
	client, ok := d.resourceClient(w)
	if !ok {
		return
	}
	q, err := pprofQuery(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	resp, err := client.Query(r.Context(), mergeRequest(q, q.Selector, q.From, q.To, pb.QueryRequest_REPORT_TYPE_PPROF))
	if err != nil {
		writeParcaError(w, err)
		return
	}
	name := fmt.Sprintf("%s-%s-%s.pb.gz", q.ProfileType.Name, q.From.UTC().Format("20060102T150405.000Z"), q.To.UTC().Format("20060102T150405.000Z"))
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(resp.GetPprof()); err != nil {
		log.DefaultLogger.Warn("writing pprof download", "error", err)
	}
}

// pprofQuery reads the query model from a POST body or from the URL's parameters.
func pprofQuery(r *http.Request) (*models.Query, error) {
	var body struct {
		models.QueryModel
		From models.TimeValue `json:"from"`
		To   models.TimeValue `json:"to"`
	}
	if r.Method == http.MethodPost {
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
			return nil, fmt.Errorf("request body is not a query: %v", err)
		}
		if !body.From.Set || !body.To.Set {
			return nil, errors.New("from and to are required (epoch milliseconds or RFC 3339)")
		}
		return body.QueryModel.Resolve(body.From.Time, body.To.Time)
	}
	p := r.URL.Query()
	m := models.QueryModel{
		QueryType: models.QueryTypeProfile, ProfileType: p.Get("profileType"), LabelSelector: p.Get("labelSelector"),
		TraceID: p.Get("traceId"), SpanID: p.Get("spanId"),
		FunctionFilter: p.Get("functionFilter"), BinaryFilter: p.Get("binaryFilter"), FilenameFilter: p.Get("filenameFilter"),
	}
	from, to, err := rangeParams(r)
	if err != nil {
		return nil, err
	}
	return m.Resolve(from, to)
}

// resourceScope is the time range, profile type and selector that narrow a listing.
type resourceScope struct {
	from, to    time.Time
	profileType string
	selector    selector.Selector
}

func scopeParams(r *http.Request) (resourceScope, error) {
	from, to, err := rangeParams(r)
	if err != nil {
		return resourceScope{}, err
	}
	s := resourceScope{from: from, to: to}
	if pt := strings.TrimSpace(r.URL.Query().Get("profileType")); pt != "" {
		parsed, err := models.ParseProfileType(pt)
		if err != nil {
			return resourceScope{}, err
		}
		s.profileType = parsed.String()
	}
	if s.selector, err = selector.Parse(r.URL.Query().Get("labelSelector")); err != nil {
		return resourceScope{}, err
	}
	return s, nil
}

// rangeParams reads from/to (epoch ms or RFC 3339); missing ones default to the last hour.
func rangeParams(r *http.Request) (time.Time, time.Time, error) {
	from, err := models.ParseTime(r.URL.Query().Get("from"))
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("from: %w", err)
	}
	to, err := models.ParseTime(r.URL.Query().Get("to"))
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("to: %w", err)
	}
	if to.IsZero() {
		to = time.Now()
	}
	if from.IsZero() {
		from = to.Add(-defaultLookback)
	}
	if !to.After(from) {
		return time.Time{}, time.Time{}, fmt.Errorf("the time range is empty or inverted: from %s, to %s", formatTime(from), formatTime(to))
	}
	return from, to, nil
}

func intParam(r *http.Request, name string, def, maxValue int) (int, error) {
	text := r.URL.Query().Get(name)
	if text == "" {
		return def, nil
	}
	v, err := strconv.Atoi(text)
	if err != nil || v < 1 || v > maxValue {
		return 0, fmt.Errorf("%s %q is not a number from 1 to %d", name, text, maxValue)
	}
	return v, nil
}

func (d *Datasource) resourceClient(w http.ResponseWriter) (*parcaapi.Client, bool) {
	client, err := d.client()
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return nil, false
	}
	return client, true
}

// scopedClient is the preamble of the lookups scoped to a time range, profile type and selector:
// the Parca client and the scope read from the request, or false once an error is written.
func (d *Datasource) scopedClient(w http.ResponseWriter, r *http.Request) (*parcaapi.Client, resourceScope, bool) {
	client, ok := d.resourceClient(w)
	if !ok {
		return nil, resourceScope{}, false
	}
	scope, err := scopeParams(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return nil, resourceScope{}, false
	}
	return client, scope, true
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.DefaultLogger.Warn("writing resource response", "error", err)
	}
}

func writeError(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}

// writeParcaError maps a failed Parca call to the status a proxy would answer with.
func writeParcaError(w http.ResponseWriter, err error) {
	status := http.StatusBadGateway
	switch parcaapi.KindOf(err) {
	case parcaapi.KindBadRequest:
		status = http.StatusBadRequest
	case parcaapi.KindTimeout:
		status = http.StatusGatewayTimeout
	case parcaapi.KindUnauthorized:
		status = http.StatusBadGateway // the datasource's credentials, not the user's session
	}
	writeError(w, status, err)
}
