// Package parcaapi is the datasource's client for Parca's QueryService: connect-go speaking
// gRPC-web (Parca's single port serves gRPC, gRPC-web and a JSON gateway, but not the Connect
// protocol) over the *http.Client the SDK builds from the datasource settings, with Parca's
// own generated message types. Every error it returns is classified: a plain sentence for the
// user, marked as the downstream's fault or the user's (see errors.go).
package parcaapi

import (
	"context"
	"net/http"
	"time"

	"connectrpc.com/connect"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
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
}

// New returns a client for the Parca server at baseURL (no trailing slash). timeout bounds each
// call even when the caller's context has no deadline.
func New(httpClient *http.Client, baseURL string, timeout time.Duration) *Client {
	opts := []connect.ClientOption{connect.WithGRPCWeb(), connect.WithReadMaxBytes(maxResponseBytes)}
	return &Client{
		baseURL:      baseURL,
		timeout:      timeout,
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
	return call(ctx, c, "ProfileTypes", c.profileTypes, req)
}

// Labels lists label names.
func (c *Client) Labels(ctx context.Context, req *pb.LabelsRequest) (*pb.LabelsResponse, error) {
	return call(ctx, c, "Labels", c.labels, req)
}

// Values lists the values of one label.
func (c *Client) Values(ctx context.Context, req *pb.ValuesRequest) (*pb.ValuesResponse, error) {
	return call(ctx, c, "Values", c.values, req)
}

// QueryRange returns the profile's value over time, as series.
func (c *Client) QueryRange(ctx context.Context, req *pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) {
	return call(ctx, c, "QueryRange", c.queryRange, req)
}

// Query returns one report (flame graph, table, pprof, ...) of a merged, single or diffed profile.
func (c *Client) Query(ctx context.Context, req *pb.QueryRequest) (*pb.QueryResponse, error) {
	return call(ctx, c, "Query", c.query, req)
}

func call[Req, Res any](ctx context.Context, c *Client, method string, client *connect.Client[Req, Res], req *Req) (*Res, error) {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	res, err := client.CallUnary(ctx, connect.NewRequest(req))
	if err != nil {
		return nil, classify(ctx, c, method, err)
	}
	return res.Msg, nil
}
