package tempostandin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// jaegerClient reads traces from Jaeger v2's HTTP API v3 (OTLP-JSON answers).
type jaegerClient struct {
	base string
	http *http.Client
}

// errTraceNotFound is Jaeger's 404 for a trace id it does not hold.
var errTraceNotFound = errors.New("trace not found")

// jaegerError is an answer of Jaeger that the stand-in passes on as its own failure.
type jaegerError struct {
	status  int
	message string
}

func (e *jaegerError) Error() string { return e.message }

type findParams struct {
	service     string
	operation   string
	start, end  time.Time
	minDuration time.Duration
	numTraces   int
}

type tracesAnswer struct {
	Result struct {
		ResourceSpans []otlpResourceSpans `json:"resourceSpans"`
	} `json:"result"`
}

type gatewayError struct {
	Error struct {
		HTTPCode int    `json:"httpCode"`
		Message  string `json:"message"`
	} `json:"error"`
}

func (c *jaegerClient) getTrace(ctx context.Context, traceID string) ([]otlpResourceSpans, error) {
	return c.traces(ctx, "/api/v3/traces/"+url.PathEscape(traceID), nil, true)
}

// findTraces answers whole traces holding a span of the service (and operation, and duration).
func (c *jaegerClient) findTraces(ctx context.Context, p findParams) ([]otlpResourceSpans, error) {
	q := url.Values{}
	q.Set("query.service_name", p.service)
	if p.operation != "" {
		q.Set("query.operation_name", p.operation)
	}
	q.Set("query.start_time_min", p.start.UTC().Format(time.RFC3339Nano))
	q.Set("query.start_time_max", p.end.UTC().Format(time.RFC3339Nano))
	if p.minDuration > 0 {
		q.Set("query.duration_min", p.minDuration.String())
	}
	q.Set("query.num_traces", strconv.Itoa(p.numTraces))
	return c.traces(ctx, "/api/v3/traces", q, false)
}

func (c *jaegerClient) traces(ctx context.Context, path string, q url.Values, byID bool) ([]otlpResourceSpans, error) {
	body, status, err := c.get(ctx, path, q)
	if err != nil {
		return nil, err
	}
	if status == http.StatusNotFound {
		// Jaeger answers 404 both for an unknown trace id and for a search that found nothing.
		if byID {
			return nil, errTraceNotFound
		}
		return nil, nil
	}
	if status != http.StatusOK {
		var ge gatewayError
		msg := string(body)
		if json.Unmarshal(body, &ge) == nil && ge.Error.Message != "" {
			msg = ge.Error.Message
		}
		return nil, &jaegerError{status: http.StatusBadGateway, message: fmt.Sprintf("Jaeger at %s answered %d to %s: %s", c.base, status, path, msg)}
	}
	var answer tracesAnswer
	if err := json.Unmarshal(body, &answer); err != nil {
		return nil, &jaegerError{status: http.StatusBadGateway, message: fmt.Sprintf("Jaeger at %s answered %s with JSON this stand-in cannot read: %v", c.base, path, err)}
	}
	return answer.Result.ResourceSpans, nil
}

func (c *jaegerClient) services(ctx context.Context) ([]string, error) {
	body, status, err := c.get(ctx, "/api/v3/services", nil)
	if err != nil {
		return nil, err
	}
	var answer struct {
		Services []string `json:"services"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &answer) != nil {
		return nil, &jaegerError{status: http.StatusBadGateway, message: fmt.Sprintf("Jaeger at %s answered %d to /api/v3/services", c.base, status)}
	}
	return answer.Services, nil
}

func (c *jaegerClient) operations(ctx context.Context, service string) ([]string, error) {
	body, status, err := c.get(ctx, "/api/v3/operations", url.Values{"service": {service}})
	if err != nil {
		return nil, err
	}
	var answer struct {
		Operations []struct {
			Name string `json:"name"`
		} `json:"operations"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &answer) != nil {
		return nil, &jaegerError{status: http.StatusBadGateway, message: fmt.Sprintf("Jaeger at %s answered %d to /api/v3/operations", c.base, status)}
	}
	names := make([]string, 0, len(answer.Operations))
	for _, o := range answer.Operations {
		names = append(names, o.Name)
	}
	return names, nil
}

// get calls Jaeger; a network failure (not an HTTP answer) becomes a 502 naming the URL to check.
func (c *jaegerClient) get(ctx context.Context, path string, q url.Values) ([]byte, int, error) {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	res, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		return nil, 0, &jaegerError{status: http.StatusBadGateway, message: fmt.Sprintf("the Tempo stand-in could not reach Jaeger at %s: %v (is Jaeger running? check -jaeger-url)", c.base, err)}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 256<<20))
	if err != nil {
		return nil, 0, &jaegerError{status: http.StatusBadGateway, message: fmt.Sprintf("reading Jaeger's answer to %s: %v", path, err)}
	}
	return body, res.StatusCode, nil
}
