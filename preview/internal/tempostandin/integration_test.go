//go:build integration

package tempostandin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spanflame/spanflame/preview/internal/testproc"
)

// These tests run a real Jaeger v2 (the stack's build, .cache/bin/jaeger, or SPANFLAME_JAEGER_BIN)
// with the stack's config, send it the fixture's spans over OTLP, and check that the stand-in gives
// the same spans as Jaeger's own API. With -update they record Jaeger's answers for the unit tests
// and the TypeScript stores' tests.

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// startJaeger runs Jaeger on free loopback ports; it answers once /api/services does.
func startJaeger(t *testing.T) (queryURL, otlpHTTPURL string) {
	t.Helper()
	root := repoRoot(t)
	bin := os.Getenv("SPANFLAME_JAEGER_BIN")
	if bin == "" {
		bin = filepath.Join(root, ".cache", "bin", "jaeger")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("no Jaeger binary at %s: run scripts/stack.sh install (or set SPANFLAME_JAEGER_BIN)", bin)
	}
	query, grpc, otlp, otlpHTTP := testproc.FreePort(t), testproc.FreePort(t), testproc.FreePort(t), testproc.FreePort(t)
	cmd := exec.Command(bin, "--config", filepath.Join(root, "scripts", "stack", "jaeger", "config.yaml"))
	cmd.Env = append(os.Environ(),
		"SPANFLAME_JAEGER_HOST=127.0.0.1",
		"SPANFLAME_JAEGER_PORT="+strconv.Itoa(query),
		"SPANFLAME_JAEGER_GRPC_PORT="+strconv.Itoa(grpc),
		"SPANFLAME_JAEGER_OTLP_PORT="+strconv.Itoa(otlp),
		"SPANFLAME_JAEGER_OTLP_HTTP_PORT="+strconv.Itoa(otlpHTTP),
		"SPANFLAME_JAEGER_MAX_TRACES=1000",
	)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	testproc.Start(t, cmd)
	queryURL = fmt.Sprintf("http://127.0.0.1:%d", query)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(queryURL + "/api/services"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return queryURL, fmt.Sprintf("http://127.0.0.1:%d", otlpHTTP)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("Jaeger did not answer within 60 s:\n%s", logs.String())
	return "", ""
}

// sendFixture posts the fixture's spans as OTLP/HTTP JSON and waits until Jaeger holds both traces.
func sendFixture(t *testing.T, queryURL, otlpHTTPURL string) {
	t.Helper()
	res, err := http.Post(otlpHTTPURL+"/v1/traces", "application/json", bytes.NewReader(readFile(t, "otlp-spans.json")))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("OTLP export: HTTP %d", res.StatusCode)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		a, _ := get(t, queryURL+"/api/v3/traces/"+fixtureTrace)
		b, _ := get(t, queryURL+"/api/v3/traces/"+fixtureFastTrace)
		if a == http.StatusOK && b == http.StatusOK {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("Jaeger did not hold the fixture's traces 20 s after the export")
}

// record writes a recorded answer for the unit tests (testdata/) and the TypeScript stores' tests.
func record(t *testing.T, name string, body []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(filepath.Join("testdata", name), indent(t, body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// legacySpan is a span of Jaeger's /api/traces answer, the API its UI and Grafana use.
type legacySpan struct {
	TraceID       string `json:"traceID"`
	SpanID        string `json:"spanID"`
	OperationName string `json:"operationName"`
	StartTime     int64  `json:"startTime"`
	Duration      int64  `json:"duration"`
	References    []struct {
		SpanID string `json:"spanID"`
	} `json:"references"`
	ProcessID string `json:"processID"`
	Tags      []struct {
		Key   string `json:"key"`
		Value any    `json:"value"`
	} `json:"tags"`
}

// legacyAnswer is Jaeger's /api/traces answer.
type legacyAnswer struct {
	Data []struct {
		Spans     []legacySpan `json:"spans"`
		Processes map[string]struct {
			ServiceName string `json:"serviceName"`
		} `json:"processes"`
	} `json:"data"`
}

func readLegacy(t *testing.T, body []byte) legacyAnswer {
	t.Helper()
	var answer legacyAnswer
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatal(err)
	}
	return answer
}

// serverSpansOf lists the span ids of a service's server spans of at least min in Jaeger's answer.
func serverSpansOf(t *testing.T, body []byte, service string, min time.Duration) []string {
	t.Helper()
	answer := readLegacy(t, body)
	var ids []string
	for _, tr := range answer.Data {
		for _, s := range tr.Spans {
			server := false
			for _, tag := range s.Tags {
				server = server || (tag.Key == "span.kind" && tag.Value == "server")
			}
			if server && tr.Processes[s.ProcessID].ServiceName == service && time.Duration(s.Duration)*time.Microsecond >= min {
				ids = append(ids, s.SpanID)
			}
		}
	}
	sort.Strings(ids)
	return ids
}

type spanKey struct {
	id, parent, name       string
	startMicros, durMicros int64
}

func legacySpans(t *testing.T, body []byte) []spanKey {
	t.Helper()
	answer := readLegacy(t, body)
	var out []spanKey
	for _, tr := range answer.Data {
		for _, s := range tr.Spans {
			k := spanKey{id: s.SpanID, name: s.OperationName, startMicros: s.StartTime, durMicros: s.Duration}
			if len(s.References) > 0 {
				k.parent = s.References[0].SpanID
			}
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

func tempoSpans(t *testing.T, body []byte) []spanKey {
	t.Helper()
	var answer struct {
		Batches []tempoResourceSpans `json:"batches"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatal(err)
	}
	var out []spanKey
	for _, b := range answer.Batches {
		for _, ss := range b.ScopeSpans {
			for _, s := range ss.Spans {
				out = append(out, spanKey{
					id: base64ToHex(t, s.SpanID), parent: base64ToHex(t, s.ParentSpanID), name: s.Name,
					startMicros: int64(s.StartTimeUnixNano) / 1000, durMicros: int64(s.EndTimeUnixNano-s.StartTimeUnixNano) / 1000,
				})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

func TestStandInAndJaegerGiveTheSameSpans(t *testing.T) {
	queryURL, otlpURL := startJaeger(t)
	sendFixture(t, queryURL, otlpURL)
	srv := standIn(t, queryURL)

	// Recordings for the unit tests (the stand-in's input) ...
	_, v3trace := get(t, queryURL+"/api/v3/traces/"+fixtureTrace)
	record(t, "jaeger-v3-trace.json", v3trace)
	find := url.Values{"query.service_name": {"checkout"}, "query.num_traces": {"20"},
		"query.start_time_min": {time.Unix(fixtureStart, 0).UTC().Format(time.RFC3339)},
		"query.start_time_max": {time.Unix(fixtureEnd, 0).UTC().Format(time.RFC3339)}}
	_, v3find := get(t, queryURL+"/api/v3/traces?"+find.Encode())
	record(t, "jaeger-v3-find-checkout.json", v3find)

	// ... and for the TypeScript stores: Jaeger's legacy API and the stand-in, same spans.
	_, legacyTrace := get(t, queryURL+"/api/traces/"+fixtureTrace)
	record(t, "jaeger-api-trace.json", legacyTrace)
	legacyFind := url.Values{"service": {"checkout"}, "limit": {"20"},
		"start": {strconv.FormatInt(fixtureStart*1_000_000, 10)}, "end": {strconv.FormatInt(fixtureEnd*1_000_000, 10)}}
	_, legacySearch := get(t, queryURL+"/api/traces?"+legacyFind.Encode())
	record(t, "jaeger-api-search-checkout.json", legacySearch)

	status, tempoTrace := get(t, srv.URL+"/api/traces/"+fixtureTrace)
	if status != http.StatusOK {
		t.Fatalf("stand-in trace: %d %s", status, tempoTrace)
	}
	want, got := legacySpans(t, legacyTrace), tempoSpans(t, tempoTrace)
	if len(want) != 3 || fmt.Sprint(want) != fmt.Sprint(got) {
		t.Fatalf("trace %s:\nJaeger   %v\nstand-in %v", fixtureTrace, want, got)
	}

	// A search: the stand-in's matches are exactly Jaeger's checkout server spans of 100 ms or more.
	_, body := get(t, searchURL(srv.URL, fixtureSearches["search-checkout-slow"], 20, 20))
	ids := serverSpansOf(t, legacySearch, "checkout", 100*time.Millisecond)
	if len(ids) != 1 || !strings.Contains(string(body), `"spanID":"`+ids[0]+`"`) || strings.Count(string(body), `"spanID"`) != 2 {
		t.Errorf("slow checkout spans: Jaeger %v, stand-in %s", ids, body)
	}
}
