package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	profilestorepb "github.com/parca-dev/parca/gen/proto/go/parca/profilestore/v1alpha1"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
)

// callResource sends a resource request through CallResource as Grafana would.
func callResource(t *testing.T, d *Datasource, method, path string, body []byte) *backend.CallResourceResponse {
	t.Helper()
	var got *backend.CallResourceResponse
	err := d.CallResource(context.Background(), &backend.CallResourceRequest{Method: method, Path: strings.SplitN(path, "?", 2)[0], URL: path, Body: body},
		backend.CallResourceResponseSenderFunc(func(res *backend.CallResourceResponse) error { got = res; return nil }))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestLabelValuesRefusesTraceIDs(t *testing.T) {
	f := &fakeParca{}
	d := f.start(t, "")
	for _, label := range []string{"trace_id", "span_id"} {
		res := callResource(t, d, http.MethodGet, "label-values?label="+label, nil)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "never listed") {
			t.Fatalf("%s: %d %s", label, res.Status, res.Body)
		}
	}
	if len(f.values)+len(f.ranges) != 0 {
		t.Fatal("asked Parca for trace ids")
	}
}

func TestLabelValuesCapped(t *testing.T) {
	f := &fakeParca{onValues: func(*pb.ValuesRequest) (*pb.ValuesResponse, error) {
		var values []string
		for i := range 30 {
			values = append(values, fmt.Sprintf("pod-%02d", i))
		}
		return &pb.ValuesResponse{LabelValues: values}, nil
	}}
	d := f.start(t, "")
	res := callResource(t, d, http.MethodGet, "label-values?label=pod&limit=10&from=1763719200000&to=1763722800000&profileType="+cpuID, nil)
	var got LabelValues
	if err := json.Unmarshal(res.Body, &got); err != nil {
		t.Fatalf("%d %s: %v", res.Status, res.Body, err)
	}
	if len(got.Values) != 10 || !got.Truncated || !strings.Contains(got.Message, "10 of 30") {
		t.Fatalf("%+v", got)
	}
	req := f.values[0]
	if req.GetStart().AsTime().UnixMilli() != 1763719200000 || req.GetProfileType() != cpuID {
		t.Fatalf("values request = %v", req)
	}
}

// TestLabelValuesScopedToSelector: Parca's Values ignores matchers, so with a selector the
// values come from the label sets of a QueryRange split by the label.
func TestLabelValuesScopedToSelector(t *testing.T) {
	f := &fakeParca{onRange: func(req *pb.QueryRangeRequest) (*pb.QueryRangeResponse, error) {
		var series []*pb.MetricsSeries
		for _, route := range []string{"/pay", "/checkout"} {
			series = append(series, &pb.MetricsSeries{Labelset: &profilestorepb.LabelSet{Labels: []*profilestorepb.Label{{Name: "route", Value: route}}}})
		}
		return &pb.QueryRangeResponse{Series: series}, nil
	}}
	d := f.start(t, "")
	res := callResource(t, d, http.MethodGet, `label-values?label=route&profileType=`+cpuID+`&labelSelector=%7Bservice_name%3D%22a%5C%22b%22%7D`, nil)
	var got LabelValues
	if err := json.Unmarshal(res.Body, &got); err != nil {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	if strings.Join(got.Values, ",") != "/checkout,/pay" {
		t.Fatalf("values = %v", got.Values)
	}
	if q := f.ranges[0].GetQuery(); q != cpuID+`{service_name="a\"b"}` || f.ranges[0].GetSumBy()[0] != "route" {
		t.Fatalf("range request = %v", f.ranges[0])
	}
}

func TestServicesFallBackToJob(t *testing.T) {
	f := &fakeParca{onValues: func(req *pb.ValuesRequest) (*pb.ValuesResponse, error) {
		if req.GetLabelName() == "job" {
			return &pb.ValuesResponse{LabelValues: []string{"shop-frontend"}}, nil
		}
		return &pb.ValuesResponse{}, nil
	}}
	d := f.start(t, "")
	res := callResource(t, d, http.MethodGet, "services", nil)
	var got LabelValues
	if err := json.Unmarshal(res.Body, &got); err != nil || got.Label != "job" || len(got.Values) != 1 {
		t.Fatalf("%s (%v)", res.Body, err)
	}
}

func TestProfileTypesAndLabelNames(t *testing.T) {
	f := &fakeParca{}
	d := f.start(t, "")
	res := callResource(t, d, http.MethodGet, "profile-types", nil)
	var types []ProfileTypeInfo
	if err := json.Unmarshal(res.Body, &types); err != nil || len(types) != 1 || types[0].ID != cpuID || types[0].SampleUnit != "nanoseconds" {
		t.Fatalf("%s (%v)", res.Body, err)
	}
	res = callResource(t, d, http.MethodGet, "label-names?profileType="+cpuID+"&labelSelector=%7Bjob%3D%22x%22%7D", nil)
	if !strings.Contains(string(res.Body), `"highCardinality":["trace_id","span_id"]`) {
		t.Fatalf("%s", res.Body)
	}
	if m := f.labels[0].GetMatch(); len(m) != 1 || m[0] != `job="x"` {
		t.Fatalf("match = %v", m)
	}
	res = callResource(t, d, http.MethodGet, "label-names?labelSelector=%7Bjob%3D", nil)
	if res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), "invalid label selector") {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
}

func TestPprofDownload(t *testing.T) {
	f := &fakeParca{onQuery: func(req *pb.QueryRequest) (*pb.QueryResponse, error) {
		return &pb.QueryResponse{Report: &pb.QueryResponse_Pprof{Pprof: []byte("\x1f\x8bpprof")}}, nil
	}}
	d := f.start(t, "")
	res := callResource(t, d, http.MethodGet, "pprof?profileType="+cpuID+"&traceId=4bf92f3577b34da6a3ce929d0e0e4736&from=1763719200250&to=1763719200370", nil)
	if res.Status != http.StatusOK || string(res.Body) != "\x1f\x8bpprof" {
		t.Fatalf("%d %q", res.Status, res.Body)
	}
	if cd := res.Headers["Content-Disposition"]; len(cd) != 1 || cd[0] != `attachment; filename="process_cpu-20251121T100000.250Z-20251121T100000.370Z.pb.gz"` {
		t.Fatalf("content-disposition = %v", cd)
	}
	if got := f.queries[0]; got.GetReportType() != pb.QueryRequest_REPORT_TYPE_PPROF || !strings.Contains(got.GetMerge().GetQuery(), "trace_id=") {
		t.Fatalf("query = %v", got)
	}

	body := `{"profileType":"` + cpuID + `","labelSelector":"{job=\"shop\"}","from":"2025-11-21T10:00:00Z","to":1763719300000}`
	if res := callResource(t, d, http.MethodPost, "pprof", []byte(body)); res.Status != http.StatusOK {
		t.Fatalf("POST: %d %s", res.Status, res.Body)
	}
	if res := callResource(t, d, http.MethodGet, "pprof?profileType="+cpuID+"&from=2000&to=1000", nil); res.Status != http.StatusBadRequest {
		t.Fatalf("inverted range: %d %s", res.Status, res.Body)
	}
}
