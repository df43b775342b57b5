package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/spanflame/spanflame/demo/groundtruth"
	"github.com/spanflame/spanflame/pkg/parcatest"
)

// Golden frames from the real Parca. With -record (and the local stack's SPANFLAME_PARCA_URL
// and SPANFLAME_GROUND_TRUTH_DIR set), each scenario below runs against the real Parca fed by
// the demo shop; every call the plugin makes and Parca's exact answer are stored in
// testdata/recorded/<name>.json, and the frames become testdata/recorded/<name>.jsonc. Without
// -record the stored answers are replayed, so the goldens are checked on every `go test`, with
// no stack, against what Parca really said.
var record = flag.Bool("record", false, "re-record testdata/recorded from the Parca at SPANFLAME_PARCA_URL (the local stack)")

const recordedDir = "testdata/recorded"

// recording is one scenario: the query as Grafana sent it and Parca's answers.
type recording struct {
	QueryType string            `json:"queryType"`
	Model     json.RawMessage   `json:"model"`
	From      time.Time         `json:"from"`
	To        time.Time         `json:"to"`
	Headers   map[string]string `json:"headers,omitempty"`
	// WantError, when set, is part of the error the query must answer (the goldens keep it).
	WantError string         `json:"wantError,omitempty"`
	Calls     []recordedCall `json:"calls"`
}

type recordedCall struct {
	Method   string          `json:"method"`
	Request  json.RawMessage `json:"request"`            // protojson, normalised
	Response []byte          `json:"response,omitempty"` // binary protobuf
	Error    *recordedError  `json:"error,omitempty"`    // Parca's error answer instead
}

// recordedError is an error answer (Parca says "no data" with NotFound).
type recordedError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// scenario builds a query from the stack's ground truth, when recording.
type scenario struct {
	name  string
	build func(t *testing.T, env recordEnv) recording
}

type recordEnv struct {
	from, to time.Time
	spans    []groundtruth.Span
	metas    map[string]groundtruth.Meta
}

func modelJSON(t *testing.T, m map[string]any) json.RawMessage {
	t.Helper()
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

var scenarios = []scenario{
	{"profile_checkout", func(t *testing.T, e recordEnv) recording {
		return recording{QueryType: "profile", From: e.from, To: e.to,
			Model: modelJSON(t, map[string]any{"profileType": cpuID, "labelSelector": `{service_name="checkout"}`, "nodeTrimThreshold": 2})}
	}},
	{"profile_one_trace", func(t *testing.T, e recordEnv) recording {
		spans := groundtruth.LatestServerSpans(e.spans, "checkout", "POST /orders", 50)
		for _, s := range spans {
			if s.End().Before(e.to) {
				return recording{QueryType: "profile", From: s.Start().Add(-6 * time.Second), To: s.End().Add(time.Second),
					Model: modelJSON(t, map[string]any{"profileType": cpuID, "labelSelector": `{service_name="checkout"}`, "traceId": s.TraceID, "nodeTrimThreshold": 0})}
			}
		}
		t.Fatal("no settled checkout POST /orders span to record")
		return recording{}
	}},
	{"metrics_by_service", func(t *testing.T, e recordEnv) recording {
		return recording{QueryType: "metrics", From: e.from, To: e.to,
			Model: modelJSON(t, map[string]any{"profileType": cpuID, "groupBy": []string{"service_name"}})}
	}},
	{"table_checkout", func(t *testing.T, e recordEnv) recording {
		return recording{QueryType: "table", From: e.from, To: e.to,
			Model: modelJSON(t, map[string]any{"profileType": cpuID, "labelSelector": `{service_name="checkout"}`, "limit": 15})}
	}},
	{"diff_checkout_vs_frontend", func(t *testing.T, e recordEnv) recording {
		return recording{QueryType: "diff", From: e.from, To: e.to,
			Model: modelJSON(t, map[string]any{"profileType": cpuID, "labelSelector": `{service_name="checkout"}`, "nodeTrimThreshold": 2,
				"baseline": map[string]any{"mode": "selector", "labelSelector": `{service_name="frontend"}`}})}
	}},
	{"coverage_payments", func(t *testing.T, e recordEnv) recording {
		return recording{QueryType: "coverage", From: e.from, To: e.to,
			Model: modelJSON(t, map[string]any{"profileType": cpuID, "labelSelector": `{service_name="payments"}`, "limit": 10, "nodeTrimThreshold": 2})}
	}},
	// A selector whose samples are all linked (0% unlinked) or all unlinked (100%): Parca
	// answers the empty side with NotFound. The demo labels every process both ways, so these
	// selectors name jobs written for the purpose (parcatest.OneSidedCoverage).
	{"coverage_all_linked", func(t *testing.T, e recordEnv) recording {
		writeOneSided(t, e)
		return recording{QueryType: "coverage", From: e.from, To: e.to,
			Model: modelJSON(t, map[string]any{"profileType": cpuID, "labelSelector": `{job="coverage-all-linked"}`, "limit": 5})}
	}},
	{"coverage_all_unlinked", func(t *testing.T, e recordEnv) recording {
		writeOneSided(t, e)
		return recording{QueryType: "coverage", From: e.from, To: e.to,
			Model: modelJSON(t, map[string]any{"profileType": cpuID, "labelSelector": `{job="coverage-all-unlinked"}`, "limit": 5})}
	}},
	{"coverage_unknown_profile_type", func(t *testing.T, e recordEnv) recording {
		return recording{QueryType: "coverage", From: e.from, To: e.to, WantError: `"process_cpu:cpu:nanoseconds:cpu:nanoseconds" is unknown to Parca`,
			Model: modelJSON(t, map[string]any{"profileType": "process_cpu:cpu:nanoseconds:cpu:nanoseconds"})}
	}},
	{"metrics_no_match", func(t *testing.T, e recordEnv) recording {
		return recording{QueryType: "metrics", From: e.from, To: e.to,
			Model: modelJSON(t, map[string]any{"profileType": cpuID, "labelSelector": `{service_name="no-such-service"}`})}
	}},
	{"diff_empty_baseline", func(t *testing.T, e recordEnv) recording {
		return recording{QueryType: "diff", From: e.from, To: e.to,
			Model: modelJSON(t, map[string]any{"profileType": cpuID, "labelSelector": `{service_name="checkout"}`, "nodeTrimThreshold": 2,
				"baseline": map[string]any{"mode": "selector", "labelSelector": `{service_name="no-such-service"}`}})}
	}},
	{"coverage_payments_alert", func(t *testing.T, e recordEnv) recording {
		return recording{QueryType: "coverage", From: e.from, To: e.to, Headers: map[string]string{"FromAlert": "true"},
			Model: modelJSON(t, map[string]any{"profileType": cpuID, "labelSelector": `{service_name="payments"}`})}
	}},
}

// writeOneSided writes the one-sided coverage profiles into the recording's range, once.
func writeOneSided(t *testing.T, e recordEnv) {
	t.Helper()
	oneSided.Do(func() {
		oneSidedErr = parcatest.OneSidedCoverage(context.Background(), os.Getenv("SPANFLAME_PARCA_URL"), e.from.Add(20*time.Second), "coverage-all-linked", "coverage-all-unlinked")
		time.Sleep(2 * time.Second) // Parca makes a write queryable shortly after answering it
	})
	if oneSidedErr != nil {
		t.Fatal(oneSidedErr)
	}
}

var (
	oneSided    sync.Once
	oneSidedErr error
)

func TestGoldenFramesFromRealParca(t *testing.T) {
	var env recordEnv
	parcaURL := os.Getenv("SPANFLAME_PARCA_URL")
	if *record {
		dir := os.Getenv("SPANFLAME_GROUND_TRUTH_DIR")
		if parcaURL == "" || dir == "" {
			t.Fatal("-record needs the local stack: set -a; . $SPANFLAME_STACK_DIR/stack.env; set +a (see scripts/stack.sh)")
		}
		var err error
		if env.spans, err = groundtruth.ReadSpans(dir); err != nil {
			t.Fatal(err)
		}
		if env.metas, err = groundtruth.ReadMeta(dir); err != nil {
			t.Fatal(err)
		}
		env.to = time.Now().Add(-10 * time.Second).Truncate(time.Millisecond)
		env.from = env.to.Add(-time.Minute)
		if err := os.MkdirAll(recordedDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			file := filepath.Join(recordedDir, sc.name+".json")
			var rec recording
			player := &replayer{}
			if *record {
				rec = sc.build(t, env)
				player.upstream = parcaURL
			} else {
				raw, err := os.ReadFile(file)
				if err != nil {
					t.Fatalf("%v (record it with -record against the local stack)", err)
				}
				if err := json.Unmarshal(raw, &rec); err != nil {
					t.Fatal(err)
				}
				for _, call := range rec.Calls { // MarshalIndent re-spaced the stored requests
					var compact bytes.Buffer
					if err := json.Compact(&compact, call.Request); err != nil {
						t.Fatal(err)
					}
					call.Request = compact.Bytes()
					player.calls = append(player.calls, call)
				}
			}
			srv := httptest.NewServer(player.handler())
			defer srv.Close()
			d := newTestDatasource(t, srv.URL, "")
			dr := runQuery(t, d, rec.QueryType, string(rec.Model), rec.From, rec.To, rec.Headers)
			if *record {
				rec.Calls = player.recorded
				raw, err := json.MarshalIndent(rec, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, raw, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			switch {
			case rec.WantError != "" && (dr.Error == nil || !strings.Contains(dr.Error.Error(), rec.WantError)):
				t.Fatalf("got error %v, want one with %q", dr.Error, rec.WantError)
			case rec.WantError == "" && dr.Error != nil:
				t.Fatalf("query failed: %v", dr.Error)
			}
			if len(player.missed) > 0 {
				t.Fatalf("the plugin made calls that were not recorded: %v", player.missed)
			}
			if rec.WantError != "" {
				// The SDK's golden writer cannot read back a response that is only an error
				// (v0.298.0 writes its header without the separator): the error text is checked.
				return
			}
			experimental.CheckGoldenJSONResponse(t, recordedDir, sc.name, &dr, *record || *update)
		})
	}
}

// replayer answers Parca's QueryService from recorded calls, or, with upstream set, forwards
// each call to the real Parca and records it.
type replayer struct {
	upstream string
	mu       sync.Mutex
	calls    []recordedCall
	recorded []recordedCall
	missed   []string
}

func (r *replayer) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(replayUnary[pb.ProfileTypesRequest, pb.ProfileTypesResponse](r, "ProfileTypes"))
	mux.Handle(replayUnary[pb.QueryRequest, pb.QueryResponse](r, "Query"))
	mux.Handle(replayUnary[pb.QueryRangeRequest, pb.QueryRangeResponse](r, "QueryRange"))
	mux.Handle(replayUnary[pb.LabelsRequest, pb.LabelsResponse](r, "Labels"))
	mux.Handle(replayUnary[pb.ValuesRequest, pb.ValuesResponse](r, "Values"))
	return mux
}

func replayUnary[Req, Res any, PReq interface {
	*Req
	proto.Message
}, PRes interface {
	*Res
	proto.Message
}](r *replayer, method string) (string, http.Handler) {
	procedure := servicePath + method
	return procedure, connect.NewUnaryHandler(procedure, func(ctx context.Context, req *connect.Request[Req]) (*connect.Response[Res], error) {
		key, err := normalisedJSON(PReq(req.Msg))
		if err != nil {
			return nil, err
		}
		if r.upstream != "" {
			client := connect.NewClient[Req, Res](http.DefaultClient, r.upstream+procedure, connect.WithGRPCWeb())
			res, callErr := client.CallUnary(ctx, connect.NewRequest(req.Msg))
			call := recordedCall{Method: method, Request: key}
			var connectErr *connect.Error
			switch {
			case errors.As(callErr, &connectErr) && connectErr.Code() == connect.CodeNotFound:
				call.Error = &recordedError{Code: connectErr.Code().String(), Message: connectErr.Message()}
			case callErr != nil:
				return nil, callErr
			default:
				if call.Response, err = proto.Marshal(PRes(res.Msg)); err != nil {
					return nil, err
				}
			}
			r.mu.Lock()
			r.recorded = append(r.recorded, call)
			sort.SliceStable(r.recorded, func(i, j int) bool { return r.recorded[i].Method < r.recorded[j].Method })
			r.mu.Unlock()
			if callErr != nil {
				return nil, callErr
			}
			return connect.NewResponse(res.Msg), nil
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, call := range r.calls {
			if call.Method == method && bytes.Equal(call.Request, key) {
				if call.Error != nil {
					var code connect.Code
					if err := code.UnmarshalText([]byte(call.Error.Code)); err != nil {
						return nil, err
					}
					return nil, connect.NewError(code, errors.New(call.Error.Message))
				}
				res := PRes(new(Res))
				if err := proto.Unmarshal(call.Response, res); err != nil {
					return nil, err
				}
				return connect.NewResponse((*Res)(res)), nil
			}
		}
		r.missed = append(r.missed, fmt.Sprintf("%s %s", method, key))
		return nil, connect.NewError(connect.CodeNotFound, fmt.Errorf("no recorded answer"))
	})
}

// normalisedJSON renders a request as JSON with sorted keys and no random whitespace
// (protojson varies its spacing on purpose), so a replayed request matches its recording.
func normalisedJSON(m proto.Message) (json.RawMessage, error) {
	raw, err := protojson.Marshal(m)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	out, err := json.Marshal(v)
	return json.RawMessage(strings.TrimSpace(string(out))), err
}
