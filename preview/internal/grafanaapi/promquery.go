package grafanaapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/gtime"

	"github.com/spanflame/spanflame/preview/internal/store"
)

// A STAND-IN for the back end of Grafana's Prometheus datasource (AGPL, not usable here): POST
// /api/ds/query for a prometheus datasource goes to the real Prometheus HTTP API and comes back in
// Grafana's frame shapes (see promframes.go). Supported, as Grafana computes them:
//   - step: max(the panel's interval, the query's "interval" or the datasource's timeInterval
//     [default 15s]), raised so a range holds at most 11,000 points; start and end aligned to it;
//   - $__interval, $__interval_ms (the step), $__rate_interval, $__rate_interval_ms
//     (max(step + scrape interval, 4 × scrape interval)), $__range, $__range_s, $__range_ms;
//   - range queries (query_range), instant queries (query), formats time_series, table, heatmap.
// Not supported: exemplars, intervalFactor, dashboard variables (the front end replaces those).

const (
	defaultScrapeInterval = 15 * time.Second
	maxPointsPerSeries    = 11000
	promTimeout           = 30 * time.Second
)

// promQuery is the part of Grafana's Prometheus query model the stand-in reads.
type promQuery struct {
	Expr         string `json:"expr"`
	Range        *bool  `json:"range"`
	Instant      bool   `json:"instant"`
	Format       string `json:"format"`
	LegendFormat string `json:"legendFormat"`
	Interval     string `json:"interval"`
}

// promAnswer is Prometheus's /api/v1 envelope.
type promAnswer struct {
	Status    string          `json:"status"`
	ErrorType string          `json:"errorType"`
	Error     string          `json:"error"`
	Data      json.RawMessage `json:"data"`
}

func (s *Server) queryPrometheus(ctx context.Context, ds store.DataSource, queries []backend.DataQuery) *backend.QueryDataResponse {
	res := backend.NewQueryDataResponse()
	scrape := defaultScrapeInterval
	if v, _ := ds.JSONData["timeInterval"].(string); v != "" {
		if d, err := gtime.ParseDuration(v); err == nil && d > 0 {
			scrape = d
		}
	}
	for _, q := range queries {
		res.Responses[q.RefID] = s.runPromQuery(ctx, ds, q, scrape)
	}
	return res
}

func (s *Server) runPromQuery(ctx context.Context, ds store.DataSource, q backend.DataQuery, scrape time.Duration) backend.DataResponse {
	var pq promQuery
	if err := json.Unmarshal(q.JSON, &pq); err != nil {
		return backend.ErrDataResponse(backend.StatusBadRequest, "the query is not a Prometheus query: "+err.Error())
	}
	if strings.TrimSpace(pq.Expr) == "" {
		return backend.ErrDataResponse(backend.StatusBadRequest, "the query has no PromQL expression (expr)")
	}
	minStep := scrape
	if pq.Interval != "" {
		d, err := gtime.ParseDuration(pq.Interval)
		if err != nil {
			return backend.ErrDataResponse(backend.StatusBadRequest, fmt.Sprintf("min interval %q is not a duration such as 15s", pq.Interval))
		}
		minStep = d
	}
	tr := q.TimeRange
	step := promStep(q.Interval, minStep, tr.To.Sub(tr.From))
	expr := interpolatePromQL(pq.Expr, step, scrape, tr.To.Sub(tr.From))

	instant := pq.Instant && (pq.Range == nil || !*pq.Range)
	params := url.Values{"query": {expr}}
	path := "/api/v1/query_range"
	if instant {
		path = "/api/v1/query"
		params.Set("time", formatPromTime(tr.To))
	} else {
		stepSec := step.Seconds()
		start := math.Floor(float64(tr.From.Unix())/stepSec) * stepSec
		end := math.Floor(float64(tr.To.Unix())/stepSec) * stepSec
		params.Set("start", strconv.FormatFloat(start, 'f', -1, 64))
		params.Set("end", strconv.FormatFloat(end, 'f', -1, 64))
		params.Set("step", strconv.FormatFloat(stepSec, 'f', -1, 64))
	}
	answer, status, err := callPrometheus(ctx, ds.URL, path, params)
	if err != nil {
		s.logf("prometheus query of %s: %v", ds.UID, err)
		return backend.ErrDataResponse(backend.StatusBadGateway, fmt.Sprintf("Prometheus at %s could not be reached: %v", ds.URL, err))
	}
	if answer.Status != "success" {
		return backend.ErrDataResponse(backend.Status(status), fmt.Sprintf("Prometheus: %s (%s)", answer.Error, answer.ErrorType))
	}
	executed := fmt.Sprintf("Expr: %s\nStep: %s", expr, formatPromDuration(step))
	frames, err := promFrames(answer.Data, pq, q.RefID, executed)
	if err != nil {
		return backend.ErrDataResponse(backend.StatusInternal, "Prometheus answered with data the stand-in cannot read: "+err.Error())
	}
	return backend.DataResponse{Frames: frames}
}

// promStep is Grafana's step: the panel's interval or the minimum, whichever is larger, raised so
// the range holds at most maxPointsPerSeries points.
func promStep(panelInterval, minStep, rng time.Duration) time.Duration {
	step := max(panelInterval, minStep)
	if safe := rng / maxPointsPerSeries; step < safe {
		step = safe
	}
	if step < time.Millisecond {
		step = time.Millisecond
	}
	return step
}

// interpolatePromQL replaces Grafana's global interval and range variables (longest names first).
func interpolatePromQL(expr string, step, scrape, rng time.Duration) string {
	rate := max(step+scrape, 4*scrape)
	return strings.NewReplacer(
		"$__rate_interval_ms", strconv.FormatInt(rate.Milliseconds(), 10),
		"$__rate_interval", formatPromDuration(rate),
		"$__interval_ms", strconv.FormatInt(step.Milliseconds(), 10),
		"$__interval", formatPromDuration(step),
		"$__range_ms", strconv.FormatInt(rng.Milliseconds(), 10),
		"$__range_s", strconv.FormatInt(int64(rng.Seconds()), 10),
		"$__range", strconv.FormatInt(int64(rng.Seconds()), 10)+"s",
	).Replace(expr)
}

// formatPromDuration writes a duration as PromQL reads it: whole seconds as "15s", else "250ms".
func formatPromDuration(d time.Duration) string {
	if d%time.Second == 0 {
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
}

func formatPromTime(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64)
}

func callPrometheus(ctx context.Context, base, path string, params url.Values) (promAnswer, int, error) {
	ctx, cancel := context.WithTimeout(ctx, promTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+path, strings.NewReader(params.Encode()))
	if err != nil {
		return promAnswer{}, 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return promAnswer{}, 0, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 128<<20))
	if err != nil {
		return promAnswer{}, 0, err
	}
	var answer promAnswer
	if err := json.Unmarshal(body, &answer); err != nil {
		return promAnswer{}, 0, fmt.Errorf("HTTP %d with a body that is not Prometheus JSON: %.200s", res.StatusCode, body)
	}
	return answer, res.StatusCode, nil
}
