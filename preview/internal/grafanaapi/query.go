package grafanaapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/gtime"
)

// metricRequest is the body of POST /api/ds/query (Grafana's dtos.MetricRequest).
type metricRequest struct {
	From    string            `json:"from"`
	To      string            `json:"to"`
	Queries []json.RawMessage `json:"queries"`
}

// queryHead is what Grafana itself reads from each query; the whole object goes to the plugin.
type queryHead struct {
	RefID         string `json:"refId"`
	QueryType     string `json:"queryType"`
	MaxDataPoints int64  `json:"maxDataPoints"`
	IntervalMS    int64  `json:"intervalMs"`
	Datasource    *struct {
		UID  string `json:"uid"`
		Type string `json:"type"`
	} `json:"datasource"`
	TimeRange *struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"timeRange"`
}

// queryData is POST /api/ds/query: parse the time range and queries as Grafana does, run them
// through the backend's QueryData, and answer with the SDK's JSON of the response. Like Grafana,
// the status is 200 when every query succeeded and 400 when one failed (the body still holds every
// result, each with its own error).
func (s *Server) queryData(w http.ResponseWriter, r *http.Request) {
	var req metricRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(&req); err != nil {
		writeMessage(w, http.StatusBadRequest, "bad request data: "+err.Error())
		return
	}
	if len(req.Queries) == 0 {
		writeMessage(w, http.StatusBadRequest, "No queries found")
		return
	}
	now := time.Now()
	from, to, err := parseRange(req.From, req.To, now)
	if err != nil {
		writeMessage(w, http.StatusBadRequest, err.Error())
		return
	}
	var dsUID string
	queries := make([]backend.DataQuery, 0, len(req.Queries))
	for _, raw := range req.Queries {
		var head queryHead
		if err := json.Unmarshal(raw, &head); err != nil {
			writeMessage(w, http.StatusBadRequest, "bad query: "+err.Error())
			return
		}
		if head.Datasource == nil || head.Datasource.UID == "" {
			writeMessage(w, http.StatusBadRequest, "query "+head.RefID+" names no datasource uid")
			return
		}
		if head.Datasource.UID == "__expr__" || head.Datasource.Type == "__expr__" {
			writeMessage(w, http.StatusBadRequest, "server-side expressions are not part of this preview host")
			return
		}
		if dsUID != "" && dsUID != head.Datasource.UID {
			writeMessage(w, http.StatusBadRequest, "all queries must use the same datasource (mixed is not part of this preview host)")
			return
		}
		dsUID = head.Datasource.UID
		qFrom, qTo := from, to
		if head.TimeRange != nil {
			if qFrom, qTo, err = parseRange(head.TimeRange.From, head.TimeRange.To, now); err != nil {
				writeMessage(w, http.StatusBadRequest, err.Error())
				return
			}
		}
		maxDataPoints := head.MaxDataPoints
		if maxDataPoints <= 0 {
			maxDataPoints = 100
		}
		interval := time.Duration(head.IntervalMS) * time.Millisecond
		if interval <= 0 {
			interval = time.Second
		}
		queries = append(queries, backend.DataQuery{
			RefID:         head.RefID,
			QueryType:     head.QueryType,
			MaxDataPoints: maxDataPoints,
			Interval:      interval,
			TimeRange:     backend.TimeRange{From: qFrom, To: qTo},
			JSON:          raw,
		})
	}
	ds, err := s.store.Get(dsUID)
	if err != nil {
		writeMessage(w, http.StatusNotFound, "Data source not found")
		return
	}
	var res *backend.QueryDataResponse
	if ds.Type == "prometheus" {
		res = s.queryPrometheus(r.Context(), ds, queries)
	} else {
		res, err = s.backend.QueryData(r.Context(), &backend.QueryDataRequest{
			PluginContext: s.pluginContext(ds),
			Headers:       map[string]string{},
			Queries:       queries,
		})
	}
	if err != nil {
		s.logf("query of %s: %v", ds.UID, err)
		writeMessage(w, http.StatusInternalServerError, "Query data error: "+err.Error())
		return
	}
	status := http.StatusOK
	for _, dr := range res.Responses {
		if dr.Error != nil {
			status = http.StatusBadRequest
		}
	}
	body, err := json.Marshal(res)
	if err != nil {
		writeMessage(w, http.StatusInternalServerError, "encode response: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// parseRange reads Grafana's from/to: epoch milliseconds, or relative times such as "now-1h".
func parseRange(fromText, toText string, now time.Time) (time.Time, time.Time, error) {
	from, err := parseTime(fromText, now)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("from: %w", err)
	}
	to, err := parseTime(toText, now)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("to: %w", err)
	}
	return from, to, nil
}

func parseTime(text string, now time.Time) (time.Time, error) {
	text = strings.TrimSpace(text)
	if text == "" || text == "now" {
		return now, nil
	}
	if ms, err := strconv.ParseInt(text, 10, 64); err == nil {
		return time.UnixMilli(ms), nil
	}
	if rest, ok := strings.CutPrefix(text, "now-"); ok {
		d, err := gtime.ParseDuration(rest)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a time: %w", text, err)
		}
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, text); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time (epoch milliseconds, RFC 3339 or now-<duration>)", text)
}
