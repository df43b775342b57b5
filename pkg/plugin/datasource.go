// Package plugin is the spanflame-parca-datasource backend: one Datasource per configured
// instance, one handler per query type (the queries of a request run side by side through the
// SDK's concurrent.QueryData), resources for the editors, and the health check.
package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/concurrent"

	"github.com/spanflame/spanflame/pkg/coalesce"
	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/parcaapi"
)

// Datasource is one configured Parca datasource instance.
type Datasource struct {
	settings     models.Settings
	settingsErr  error // a broken configuration still gets an instance, so health can explain it
	httpClient   *http.Client
	parca        *parcaapi.Client
	handlers     map[models.QueryType]queryHandler
	resources    backend.CallResourceHandler
	profileTypes *profileTypeCache
	answers      coalesce.Group[backend.DataResponse]
}

var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// NewDatasource builds an instance from the settings Grafana holds for it. Settings errors do
// not fail the instance: queries and the health check report them in words instead.
func NewDatasource(ctx context.Context, instance backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	d := &Datasource{profileTypes: newProfileTypeCache()}
	d.handlers = d.queryHandlers()
	d.resources = httpadapter.New(d.newResourceMux())

	settings, err := models.LoadSettings(instance)
	if err != nil {
		d.settingsErr = err
		return d, nil
	}
	opts, err := settings.HTTPClientOptions(ctx, instance)
	if err != nil {
		d.settingsErr = err
		return d, nil
	}
	client, err := httpclient.New(*opts)
	if err != nil {
		d.settingsErr = fmt.Errorf("HTTP client: %w", err)
		return d, nil
	}
	d.settings, d.httpClient = settings, client
	d.parca = parcaapi.New(client, settings.URL, settings.Timeout, settings.MaxConcurrentQueries)
	return d, nil
}

// Dispose releases the instance's idle connections when Grafana replaces it.
func (d *Datasource) Dispose() {
	if d.httpClient != nil {
		d.httpClient.CloseIdleConnections()
	}
}

// QueryData answers a batch of queries, a few at a time whatever their types (a dashboard's
// flame graph and its CPU series run side by side), each by its query type's handler. Every
// query gets a response: a parse error or a failed call becomes that query's error, marked as
// the user's or Parca's fault (downstream) or ours (plugin).
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp, err := concurrent.QueryData(ctx, req, func(ctx context.Context, cq concurrent.Query) backend.DataResponse {
		return d.runQuery(ctx, cq.DataQuery, req)
	}, maxParallelQueries)
	if errors.Is(ctx.Err(), context.Canceled) {
		// The caller went away (a dashboard closed, a query replaced): nobody reads these
		// answers. As the request's error, the SDK logs it as cancelled; as answers, each
		// would be logged at ERROR.
		return nil, backend.DownstreamError(ctx.Err())
	}
	return resp, err
}

// CallResource serves the editors' and variables' JSON endpoints and the pprof download.
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	return d.resources.CallResource(ctx, req, sender)
}

// client returns the Parca client, or the settings error that prevents having one.
func (d *Datasource) client() (*parcaapi.Client, error) {
	if d.settingsErr != nil {
		return nil, backend.DownstreamError(fmt.Errorf("the datasource settings are invalid: %w", d.settingsErr))
	}
	return d.parca, nil
}

// queryHandler answers one parsed query with the instance's Parca client; dq is the query as
// Grafana sent it (interval, max data points) and req the request it came in (headers).
type queryHandler func(ctx context.Context, client *parcaapi.Client, q *models.Query, dq backend.DataQuery, req *backend.QueryDataRequest) (backend.DataResponse, error)

// maxParallelQueries bounds how many queries of one request run against Parca at once.
const maxParallelQueries = 4

func (d *Datasource) queryHandlers() map[models.QueryType]queryHandler {
	return map[models.QueryType]queryHandler{
		models.QueryTypeProfile:  d.queryProfile,
		models.QueryTypeMetrics:  d.queryMetrics,
		models.QueryTypeTable:    d.queryTable,
		models.QueryTypeDiff:     d.queryDiff,
		models.QueryTypeCoverage: d.queryCoverage,
		models.QueryTypeTraceIDs: d.queryTraceIDs,
	}
}

// runQuery parses one query and answers it with its type's handler. Queries saved without a
// queryType (and alert rules written by hand) carry it, if at all, only in their JSON:
// ParseQuery reads it from there, and defaults to a flame graph.
func (d *Datasource) runQuery(ctx context.Context, dq backend.DataQuery, req *backend.QueryDataRequest) (dr backend.DataResponse) {
	defer func() {
		if r := recover(); r != nil { // a bug must cost one query, not the plugin process
			dr = errorResponse(backend.PluginError(fmt.Errorf("internal error answering query %s: %v", dq.RefID, r)))
		}
	}()
	q, err := models.ParseQuery(dq.JSON, dq.QueryType, dq.TimeRange.From, dq.TimeRange.To)
	if err != nil {
		return errorResponse(inputError(err))
	}
	handler := d.handlers[q.Type]
	if handler == nil {
		return errorResponse(backend.PluginError(fmt.Errorf("query type %q has no handler", q.Type)))
	}
	client, err := d.client()
	if err != nil {
		return errorResponse(err)
	}
	// Identical queries in flight together (a dashboard opened by many people, alert rules on
	// one query) are answered once: one set of calls to Parca, one decode, the same frames for
	// every caller.
	dr, err, _ = d.answers.Do(ctx, answerKey(q, dq, req), func(ctx context.Context) (dr backend.DataResponse, err error) {
		defer func() {
			if r := recover(); r != nil { // a bug must cost one query, not the plugin process
				err = backend.PluginError(fmt.Errorf("internal error answering query %s: %v", dq.RefID, r))
			}
		}()
		// One deadline for everything the query asks Parca, however many calls that takes.
		ctx, cancel := parcaapi.WithQueryBudget(ctx, string(q.Type), d.settings.Timeout)
		defer cancel()
		if dr, err = handler(ctx, client, q, dq, req); err == nil {
			addIgnoredOptionNotices(q, dr.Frames)
		}
		return dr, err
	})
	if err != nil {
		return errorResponse(err)
	}
	return ownFrames(dr)
}

// ownFrames gives one caller of a shared answer frames of its own that share the answer's
// fields. The SDK names each unnamed frame after the query it answers (it sets RefID as it
// encodes the response), so callers sharing one answer (each panel with its own refId) must not
// share the frame structs: the first to be encoded would name the frames for all. The fields,
// the bulk of the answer, are read-only once built and stay shared.
func ownFrames(dr backend.DataResponse) backend.DataResponse {
	if len(dr.Frames) == 0 {
		return dr
	}
	frames := make(data.Frames, len(dr.Frames))
	for i, f := range dr.Frames {
		if f == nil {
			continue
		}
		own := *f
		frames[i] = &own
	}
	dr.Frames = frames
	return dr
}

// answerKey identifies a query's answer: its type, its model (without the panel's refId),
// range, interval, points and whether alerting asks. Equal keys get equal answers.
func answerKey(q *models.Query, dq backend.DataQuery, req *backend.QueryDataRequest) string {
	model := string(dq.JSON)
	var fields map[string]json.RawMessage
	if json.Unmarshal(dq.JSON, &fields) == nil {
		delete(fields, "refId")
		if b, err := json.Marshal(fields); err == nil { // map keys sorted: one spelling per model
			model = string(b)
		}
	}
	return fmt.Sprintf("%s\x00%s\x00%d\x00%d\x00%d\x00%d\x00%t", q.Type, model, dq.TimeRange.From.UnixNano(), dq.TimeRange.To.UnixNano(),
		dq.Interval, dq.MaxDataPoints, fromAlertOrExpression(req.Headers))
}
