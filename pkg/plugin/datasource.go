// Package plugin is the spanflame-parca-datasource backend: one Datasource per configured
// instance, one handler per query type behind the SDK's QueryTypeMux, resources for the
// editors, and the health check.
package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

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
	queries      *datasource.QueryTypeMux
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
	d.queries = d.newQueryMux()
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

// QueryData answers a batch of queries; the mux sends each to its query type's handler.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return d.queries.QueryData(ctx, req)
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

// queryHandler answers one parsed query; dq is the query as Grafana sent it (interval, max
// data points) and req the request it came in (headers).
type queryHandler func(ctx context.Context, q *models.Query, dq backend.DataQuery, req *backend.QueryDataRequest) (backend.DataResponse, error)

// maxParallelQueries bounds how many queries of one request run against Parca at once.
const maxParallelQueries = 4

func (d *Datasource) newQueryMux() *datasource.QueryTypeMux {
	handlers := map[models.QueryType]queryHandler{
		models.QueryTypeProfile:  d.queryProfile,
		models.QueryTypeMetrics:  d.queryMetrics,
		models.QueryTypeTable:    d.queryTable,
		models.QueryTypeDiff:     d.queryDiff,
		models.QueryTypeCoverage: d.queryCoverage,
	}
	mux := datasource.NewQueryTypeMux()
	for queryType, handler := range handlers {
		mux.HandleFunc(string(queryType), d.runQueries(func(models.QueryType) queryHandler { return handler }))
	}
	// Queries saved without a queryType (and alert rules written by hand) carry it, if at all,
	// only in their JSON: the fallback reads it from there, and defaults to a flame graph.
	mux.HandleFunc("", d.runQueries(func(t models.QueryType) queryHandler { return handlers[t] }))
	return mux
}

// runQueries parses each query and runs it with its type's handler, a few at a time. Every
// query gets a response: a parse error or a failed call becomes that query's error, marked as
// the user's or Parca's fault (downstream) or ours (plugin).
func (d *Datasource) runQueries(handlerFor func(models.QueryType) queryHandler) backend.QueryDataHandlerFunc {
	return func(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
		resp := backend.NewQueryDataResponse()
		var mu sync.Mutex
		var wg sync.WaitGroup
		slots := make(chan struct{}, maxParallelQueries)
		for _, dq := range req.Queries {
			wg.Add(1)
			slots <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-slots }()
				dr := d.runQuery(ctx, dq, req, handlerFor)
				mu.Lock()
				resp.Responses[dq.RefID] = dr
				mu.Unlock()
			}()
		}
		wg.Wait()
		if errors.Is(ctx.Err(), context.Canceled) {
			// The caller went away (a dashboard closed, a query replaced): nobody reads these
			// answers. As the request's error, the SDK logs it as cancelled; as answers, each
			// would be logged at ERROR.
			return nil, backend.DownstreamError(ctx.Err())
		}
		return resp, nil
	}
}

func (d *Datasource) runQuery(ctx context.Context, dq backend.DataQuery, req *backend.QueryDataRequest, handlerFor func(models.QueryType) queryHandler) backend.DataResponse {
	q, err := models.ParseQuery(dq.JSON, dq.QueryType, dq.TimeRange.From, dq.TimeRange.To)
	if err != nil {
		return errorResponse(inputError(err))
	}
	handler := handlerFor(q.Type)
	if handler == nil {
		return errorResponse(backend.PluginError(fmt.Errorf("query type %q has no handler", q.Type)))
	}
	// Identical queries in flight together (a dashboard opened by many people, alert rules on
	// one query) are answered once: one set of calls to Parca, one decode, the same frames for
	// every caller.
	dr, err, _ := d.answers.Do(ctx, answerKey(q, dq, req), func(ctx context.Context) (dr backend.DataResponse, err error) {
		defer func() {
			if r := recover(); r != nil { // a bug must cost one query, not the plugin process
				err = backend.PluginError(fmt.Errorf("internal error answering query %s: %v", dq.RefID, r))
			}
		}()
		// One deadline for everything the query asks Parca, however many calls that takes.
		ctx, cancel := parcaapi.WithQueryBudget(ctx, string(q.Type), d.settings.Timeout)
		defer cancel()
		dr, err = handler(ctx, q, dq, req)
		if err != nil {
			return dr, err
		}
		addIgnoredOptionNotices(q, dr.Frames)
		return dr, nil
	})
	if err != nil {
		return errorResponse(err)
	}
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
