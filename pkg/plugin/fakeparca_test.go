package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
)

// fakeParca serves Parca's QueryService over gRPC-web (connect-go handlers speak it) with
// canned answers, and records what it was asked. It stands in for Parca only where a real
// server cannot be made to misbehave on cue; the integration tests use the real one.
type fakeParca struct {
	mu           sync.Mutex
	queries      []*pb.QueryRequest
	ranges       []*pb.QueryRangeRequest
	values       []*pb.ValuesRequest
	labels       []*pb.LabelsRequest
	profileTypes []*pb.ProfileType
	onQuery      func(*pb.QueryRequest) (*pb.QueryResponse, error)
	onRange      func(*pb.QueryRangeRequest) (*pb.QueryRangeResponse, error)
	onValues     func(*pb.ValuesRequest) (*pb.ValuesResponse, error)
	delay        time.Duration
}

const servicePath = "/parca.query.v1alpha1.QueryService/"

func unary[Req, Res any](f *fakeParca, name string, fn func(*Req) (*Res, error)) (string, http.Handler) {
	return servicePath + name, connect.NewUnaryHandler(servicePath+name,
		func(ctx context.Context, req *connect.Request[Req]) (*connect.Response[Res], error) {
			if f.delay > 0 {
				select {
				case <-time.After(f.delay):
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			}
			res, err := fn(req.Msg)
			if err != nil {
				return nil, err
			}
			return connect.NewResponse(res), nil
		})
}

func (f *fakeParca) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(unary(f, "ProfileTypes", func(*pb.ProfileTypesRequest) (*pb.ProfileTypesResponse, error) {
		return &pb.ProfileTypesResponse{Types: f.profileTypes}, nil
	}))
	mux.Handle(unary(f, "Query", func(req *pb.QueryRequest) (*pb.QueryResponse, error) {
		f.mu.Lock()
		f.queries = append(f.queries, req)
		f.mu.Unlock()
		if f.onQuery == nil {
			return nil, connect.NewError(connect.CodeUnimplemented, nil)
		}
		return f.onQuery(req)
	}))
	mux.Handle(unary(f, "QueryRange", func(req *pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) {
		f.mu.Lock()
		f.ranges = append(f.ranges, req)
		f.mu.Unlock()
		if f.onRange == nil {
			return &pb.QueryRangeResponse{}, nil
		}
		return f.onRange(req)
	}))
	mux.Handle(unary(f, "Values", func(req *pb.ValuesRequest) (*pb.ValuesResponse, error) {
		f.mu.Lock()
		f.values = append(f.values, req)
		f.mu.Unlock()
		if f.onValues == nil {
			return &pb.ValuesResponse{}, nil
		}
		return f.onValues(req)
	}))
	mux.Handle(unary(f, "Labels", func(req *pb.LabelsRequest) (*pb.LabelsResponse, error) {
		f.mu.Lock()
		f.labels = append(f.labels, req)
		f.mu.Unlock()
		return &pb.LabelsResponse{LabelNames: []string{"service_name", "trace_id", "job"}}, nil
	}))
	return mux
}

var cpuType = &pb.ProfileType{Name: "process_cpu", SampleType: "cpu", SampleUnit: "nanoseconds", PeriodType: "cpu", PeriodUnit: "nanoseconds", Delta: true}

// start serves f and returns a datasource instance pointed at it.
func (f *fakeParca) start(t *testing.T, jsonData string) *Datasource {
	t.Helper()
	if f.profileTypes == nil {
		f.profileTypes = []*pb.ProfileType{cpuType}
	}
	srv := httptest.NewServer(f.handler())
	t.Cleanup(srv.Close)
	return newTestDatasource(t, srv.URL, jsonData)
}

func newBenchDatasource(b *testing.B, url string) *Datasource {
	b.Helper()
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "bench", Name: "Parca", Type: "spanflame-parca-datasource", URL: url, JSONData: json.RawMessage(`{}`)})
	if err != nil {
		b.Fatal(err)
	}
	return inst.(*Datasource)
}

func newTestDatasource(t *testing.T, url, jsonData string) *Datasource {
	t.Helper()
	if jsonData == "" {
		jsonData = "{}"
	}
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "test", Name: "Parca", Type: "spanflame-parca-datasource", URL: url, JSONData: json.RawMessage(jsonData)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(inst.(instancemgmt.InstanceDisposer).Dispose)
	return inst.(*Datasource)
}

// runQuery sends one query through QueryData as Grafana would.
func runQuery(t testing.TB, d *Datasource, queryType, jsonModel string, from, to time.Time, headers map[string]string) backend.DataResponse {
	t.Helper()
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{
		Headers: headers,
		Queries: []backend.DataQuery{{
			RefID: "A", QueryType: queryType, JSON: json.RawMessage(jsonModel),
			TimeRange: backend.TimeRange{From: from, To: to}, Interval: time.Second, MaxDataPoints: 1000,
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Responses["A"]
}
