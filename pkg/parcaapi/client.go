// Package parcaapi is the datasource's client for Parca's QueryService: connect-go speaking
// gRPC-web (Parca's single port serves gRPC, gRPC-web and a JSON gateway, but not the Connect
// protocol) over the *http.Client the SDK builds from the datasource settings, with Parca's
// own generated message types. Every error it returns is classified: a plain sentence for the
// user, marked as the downstream's fault or the user's (see errors.go).
//
// Under load the client protects Parca: identical calls in flight at once run once
// (package coalesce), at most maxConcurrent calls run at a time and the rest wait their turn or are
// refused as busy before their deadline (limit.go), and a query's calls share one deadline
// (budget.go).
package parcaapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"connectrpc.com/connect"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
	"google.golang.org/protobuf/proto"

	"github.com/spanflame/spanflame/pkg/coalesce"
)

// queryService is the path prefix of Parca's query API.
const queryService = "/parca.query.v1alpha1.QueryService/"

// maxResponseBytes bounds one answer. An untrimmed flame graph of a big fleet can run to tens
// of megabytes; beyond this something is wrong and we would rather say so than exhaust memory.
const maxResponseBytes = 512 << 20

// Client calls one Parca server.
type Client struct {
	baseURL      string
	timeout      time.Duration
	profileTypes *connect.Client[pb.ProfileTypesRequest, pb.ProfileTypesResponse]
	labels       *connect.Client[pb.LabelsRequest, pb.LabelsResponse]
	values       *connect.Client[pb.ValuesRequest, pb.ValuesResponse]
	queryRange   *connect.Client[pb.QueryRangeRequest, pb.QueryRangeResponse]
	query        *connect.Client[pb.QueryRequest, pb.QueryResponse]
	flights      coalesce.Group[any]
	limit        *limiter
}

// New returns a client for the Parca server at baseURL (no trailing slash). timeout bounds each
// call even when the caller's context has no deadline; maxConcurrent bounds the calls running
// at once (0: DefaultMaxConcurrent).
func New(httpClient *http.Client, baseURL string, timeout time.Duration, maxConcurrent int) *Client {
	opts := []connect.ClientOption{connect.WithGRPCWeb(), connect.WithReadMaxBytes(maxResponseBytes)}
	return &Client{
		baseURL:      baseURL,
		timeout:      timeout,
		limit:        newLimiter(maxConcurrent),
		profileTypes: connect.NewClient[pb.ProfileTypesRequest, pb.ProfileTypesResponse](httpClient, baseURL+queryService+"ProfileTypes", opts...),
		labels:       connect.NewClient[pb.LabelsRequest, pb.LabelsResponse](httpClient, baseURL+queryService+"Labels", opts...),
		values:       connect.NewClient[pb.ValuesRequest, pb.ValuesResponse](httpClient, baseURL+queryService+"Values", opts...),
		queryRange:   connect.NewClient[pb.QueryRangeRequest, pb.QueryRangeResponse](httpClient, baseURL+queryService+"QueryRange", opts...),
		query:        connect.NewClient[pb.QueryRequest, pb.QueryResponse](httpClient, baseURL+queryService+"Query", opts...),
	}
}

// BaseURL is the server's address, for messages.
func (c *Client) BaseURL() string { return c.baseURL }

// ProfileTypes lists the profile types Parca holds (in a time range, when req sets one).
func (c *Client) ProfileTypes(ctx context.Context, req *pb.ProfileTypesRequest) (*pb.ProfileTypesResponse, error) {
	return call(ctx, c, "ProfileTypes", "ProfileTypes", c.profileTypes, req)
}

// Labels lists label names.
func (c *Client) Labels(ctx context.Context, req *pb.LabelsRequest) (*pb.LabelsResponse, error) {
	return call(ctx, c, "Labels", "Labels", c.labels, req)
}

// Values lists the values of one label.
func (c *Client) Values(ctx context.Context, req *pb.ValuesRequest) (*pb.ValuesResponse, error) {
	return call(ctx, c, "Values", "Values", c.values, req)
}

// QueryRange returns the profile's value over time, as series.
func (c *Client) QueryRange(ctx context.Context, req *pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) {
	return call(ctx, c, "QueryRange", "QueryRange", c.queryRange, req)
}

// Query returns one report (flame graph, table, pprof, ...) of a merged, single or diffed profile.
func (c *Client) Query(ctx context.Context, req *pb.QueryRequest) (*pb.QueryResponse, error) {
	return call(ctx, c, "Query", fmt.Sprintf("Query (%s)", req.GetReportType()), c.query, req)
}

// call makes one call to Parca, sharing it with identical calls in flight and waiting for a
// slot under the limit. The answer may be shared with other callers: read it, never change it.
// step names the call in a timeout message ("Query (REPORT_TYPE_TABLE_ARROW)").
func call[Req, Res any](ctx context.Context, c *Client, method, step string, client *connect.Client[Req, Res], req *Req) (*Res, error) {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	key, err := flightKey(method, any(req).(proto.Message))
	if err != nil {
		return nil, err
	}
	waitUntil := c.limit.waitBound(ctx, method)
	start := time.Now()
	res, err, _ := c.flights.Do(ctx, key, func(callCtx context.Context) (any, error) {
		release, err := c.limit.acquire(callCtx, waitUntil, c, method)
		if err != nil {
			return nil, err
		}
		defer release()
		if c.timeout > 0 { // nothing runs on longer than the timeout, whoever waits
			var cancel context.CancelFunc
			callCtx, cancel = context.WithTimeout(callCtx, c.timeout)
			defer cancel()
		}
		started := time.Now()
		res, err := client.CallUnary(callCtx, connect.NewRequest(req))
		if err != nil {
			return nil, err
		}
		c.limit.observe(method, time.Since(started))
		return res.Msg, nil
	})
	if err != nil {
		return nil, classify(ctx, c, method, step, err)
	}
	if b := budgetOf(ctx); b != nil {
		b.done(step, time.Since(start))
	}
	return res.(*Res), nil
}

// flightKey identifies a call: identical keys are identical questions to the same Parca.
func flightKey(method string, req proto.Message) (string, error) {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(req)
	if err != nil {
		return "", fmt.Errorf("encoding the %s request: %w", method, err)
	}
	return method + "\x00" + string(b), nil
}
