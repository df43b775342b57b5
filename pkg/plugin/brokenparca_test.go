package plugin

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
	"google.golang.org/protobuf/proto"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/parcaapi"
)

// junkServer answers every call the way a gRPC-web server answers success (status 200, the
// gRPC-web content type, one message frame, grpc-status 0), with payload as the message: a
// stand-in for what a real Parca cannot be made to send (corrupt data, another server's
// answers).
func junkServer(t *testing.T, payload []byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/grpc-web+proto")
		frame := func(flag byte, body []byte) {
			head := []byte{flag, 0, 0, 0, 0}
			binary.BigEndian.PutUint32(head[1:], uint32(len(body)))
			_, _ = w.Write(append(head, body...))
		}
		frame(0, payload)
		frame(0x80, []byte("grpc-status: 0\r\n"))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// invalidWireData is not protobuf: field 0 does not exist.
var invalidWireData = []byte{0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01}

// TestCorruptAnswerIsParcasFault: an answer that cannot be decoded is the server's fault (502,
// downstream), never a query the user has to fix (400 "Parca rejected the query").
func TestCorruptAnswerIsParcasFault(t *testing.T) {
	d := newTestDatasource(t, junkServer(t, invalidWireData), "")
	for _, queryType := range []string{"profile", "metrics", "table", "coverage", "diff"} {
		dr := runQuery(t, d, queryType, `{"profileType":"`+cpuID+`","baseline":{"mode":"offset","offset":"1h"}}`, t0, t1, nil)
		if dr.Error == nil || dr.Status != backend.StatusBadGateway || dr.ErrorSource != backend.ErrorSourceDownstream ||
			!strings.Contains(dr.Error.Error(), "sent an answer to ") || !strings.Contains(dr.Error.Error(), "that cannot be read") ||
			strings.Contains(dr.Error.Error(), "rejected") {
			t.Errorf("%s: %d %s: %v", queryType, dr.Status, dr.ErrorSource, dr.Error)
		}
	}
}

// TestHealthRefusesJunk: "Parca reachable" only for an answer that is Parca's: bytes that are
// not protobuf, a message whose profile types are not names, and fields Parca never sends
// with no types all fail the check.
func TestHealthRefusesJunk(t *testing.T) {
	unknownFields := (&pb.ProfileTypesResponse{}).ProtoReflect()
	unknownFields.SetUnknown([]byte{0xf8, 0x06, 0x01}) // field 111, varint 1
	tests := []struct {
		name    string
		payload []byte
		want    string
	}{
		{"not protobuf", invalidWireData, "Not a Parca answer: the server at"},
		{"types that are not names", mustMarshal(t, &pb.ProfileTypesResponse{Types: []*pb.ProfileType{{Name: "<html>", SampleType: "x"}}}),
			`Not a Parca answer: the server at %s answered ProfileTypes with something that is not Parca's answer (profile type 1 of 1 has the part "<html>"`},
		{"only unknown fields", mustMarshal(t, unknownFields.Interface()), "no profile types, but 3 bytes of fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := junkServer(t, tt.payload)
			res := checkHealth(t, newTestDatasource(t, url, ""))
			want := strings.ReplaceAll(tt.want, "%s", url)
			if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, want) {
				t.Fatalf("%v: %s\nwant it to contain %q", res.Status, res.Message, want)
			}
		})
	}
	// A real answer with real types passes (TestHealthOK), and so does an empty one: a Parca
	// that has received nothing yet.
	res := checkHealth(t, newTestDatasource(t, junkServer(t, nil), ""))
	if res.Status != backend.HealthStatusOk || !strings.Contains(res.Message, "received no profiles") {
		t.Fatalf("empty answer: %v: %s", res.Status, res.Message)
	}
}

// TestHealthDuringAHang: a Parca that accepts connections and never answers is reported as
// stuck, without advice about time ranges (the health check has none to narrow).
func TestHealthDuringAHang(t *testing.T) {
	hang := &fakeParca{delay: time.Minute}
	res := checkHealth(t, hang.start(t, `{"timeoutSeconds":0.3}`))
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "did not answer ProfileTypes within the timeout of 300ms") ||
		!strings.Contains(res.Message, "overloaded or hung") || strings.Contains(res.Message, "time range") {
		t.Fatalf("%v: %s", res.Status, res.Message)
	}
}

// TestCancelIsNotAnError: a query cancelled by its caller is answered with 499 (client closed
// request), not 400 or 5xx, wherever the cancellation shows up as an answer.
func TestCancelIsNotAnError(t *testing.T) {
	f := &fakeParca{delay: 10 * time.Second}
	d := f.start(t, "")
	client, _ := d.client()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	q, err := models.ParseQuery([]byte(`{"profileType":"`+cpuID+`"}`), "profile", t0, t1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.Query(ctx, mergeRequest(q, q.Selector, t0, t1, pb.QueryRequest_REPORT_TYPE_FLAMEGRAPH_ARROW))
	dr := errorResponse(err)
	if parcaapi.KindOf(err) != parcaapi.KindCanceled || dr.Status != 499 || dr.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("%v: %d %s", err, dr.Status, dr.ErrorSource)
	}
}

// TestIdenticalQueriesAnsweredOnce: twenty panels (each its own request and refId) asking the
// same flame graph at once cost Parca one call, and every panel gets the whole graph: one
// built answer (the same fields, not twenty copies of them) in frames that carry the panel's
// own refId, encoded for Grafana as the SDK does, side by side.
func TestIdenticalQueriesAnsweredOnce(t *testing.T) {
	f := &fakeParca{delay: 300 * time.Millisecond}
	f.onQuery = flameAnswer(t, demoTree(), 0)
	d := f.start(t, "")
	answers := make([]backend.DataResponse, 20)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() {
			refID := fmt.Sprintf("P%d", i)
			resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
				RefID: refID, QueryType: "profile", JSON: json.RawMessage(`{"refId":"` + refID + `","profileType":"` + cpuID + `"}`),
				TimeRange: backend.TimeRange{From: t0, To: t1},
			}}})
			if err != nil {
				return
			}
			answers[i] = resp.Responses[refID]
			// What the SDK does with the answer before it goes to Grafana (it names every
			// frame after its query): panels sharing an answer must not see each other's names.
			encoded, err := backend.ToProto().QueryDataResponse(backend.DataFrameFormat_ARROW, resp)
			if err != nil {
				t.Errorf("panel %d: encoding: %v", i, err)
				return
			}
			frame, err := data.UnmarshalArrowFrame(encoded.Responses[refID].Frames[0])
			if err != nil || frame.RefID != refID {
				t.Errorf("panel %d: Grafana gets a frame named %q (%v), want %q", i, frame.RefID, err, refID)
			}
		})
	}
	wg.Wait()
	for i, dr := range answers {
		if dr.Error != nil || len(dr.Frames) != 1 || dr.Frames[0].Rows() != len(demoTree()) {
			t.Fatalf("panel %d: %v, %d frames", i, dr.Error, len(dr.Frames))
		}
		if dr.Frames[0].Fields[0] != answers[0].Frames[0].Fields[0] {
			t.Errorf("panel %d got a copy of the flame graph, not the one built for every panel", i)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queries) != 1 {
		t.Fatalf("Parca received %d Query calls for 20 identical panels, want 1", len(f.queries))
	}
}

// TestClosedPanelLeavesTheOthers: of two panels sharing one flame graph, the one closed while
// Parca works gets nothing, and the other still gets the whole graph from the one call.
func TestClosedPanelLeavesTheOthers(t *testing.T) {
	f := &fakeParca{delay: 400 * time.Millisecond}
	f.onQuery = flameAnswer(t, demoTree(), 0)
	d := f.start(t, "")
	ask := func(ctx context.Context, refID string) (*backend.QueryDataResponse, error) {
		return d.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{{
			RefID: refID, QueryType: "profile", JSON: json.RawMessage(`{"profileType":"` + cpuID + `"}`),
			TimeRange: backend.TimeRange{From: t0, To: t1},
		}}})
	}
	closed, closePanel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var closedErr error
	wg.Go(func() { _, closedErr = ask(closed, "A") }) // starts the shared answer
	time.Sleep(50 * time.Millisecond)
	var open *backend.QueryDataResponse
	var openErr error
	wg.Go(func() { open, openErr = ask(context.Background(), "B") })
	time.Sleep(50 * time.Millisecond)
	closePanel()
	wg.Wait()
	if closedErr == nil {
		t.Errorf("the closed panel got an answer")
	}
	if openErr != nil || open.Responses["B"].Error != nil || len(open.Responses["B"].Frames) != 1 || open.Responses["B"].Frames[0].Rows() != len(demoTree()) {
		t.Fatalf("the open panel: %v, %+v", openErr, open)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queries) != 1 {
		t.Fatalf("Parca received %d Query calls, want 1", len(f.queries))
	}
}
