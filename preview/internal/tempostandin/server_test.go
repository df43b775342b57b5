package tempostandin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeJaeger serves the Jaeger answers recorded from a real Jaeger v2 by the integration test
// (testdata/jaeger-v3-*.json), so the stand-in's answers are checked without a Jaeger running.
func fakeJaeger(t *testing.T) *httptest.Server {
	t.Helper()
	trace := readFile(t, "jaeger-v3-trace.json")
	find := readFile(t, "jaeger-v3-find-checkout.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/v3/traces/"+fixtureTrace:
			_, _ = w.Write(trace)
		case strings.HasPrefix(r.URL.Path, "/api/v3/traces/"):
			http.Error(w, `{"error":{"httpCode":404,"message":"trace not found"}}`, http.StatusNotFound)
		case r.URL.Path == "/api/v3/traces" && r.URL.Query().Get("query.service_name") == "checkout":
			_, _ = w.Write(find)
		case r.URL.Path == "/api/v3/traces":
			http.Error(w, `{"error":{"httpCode":404,"message":"No traces found"}}`, http.StatusNotFound)
		case r.URL.Path == "/api/v3/services":
			_, _ = w.Write([]byte(`{"services":["checkout","frontend"]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func standIn(t *testing.T, jaegerURL string) *httptest.Server {
	t.Helper()
	s := New(jaegerURL, 5*time.Second)
	s.now = func() time.Time { return time.Unix(fixtureEnd, 0) }
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func searchURL(base, q string, limit, spss int) string {
	v := url.Values{"q": {q}, "start": {strconv.Itoa(fixtureStart)}, "end": {strconv.Itoa(fixtureEnd)},
		"limit": {strconv.Itoa(limit)}, "spss": {strconv.Itoa(spss)}}
	return base + "/api/search?" + v.Encode()
}

func TestTraceByIDAnswersInTempoShape(t *testing.T) {
	srv := standIn(t, fakeJaeger(t).URL)
	status, body := get(t, srv.URL+"/api/traces/"+fixtureTrace)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	compareGolden(t, "tempo-trace.golden.json", body)
	checkShape(t, "tempo-doc-trace.json", body, []string{
		"batches[].scopeSpans[].spans[].traceId string", "batches[].scopeSpans[].spans[].kind string",
		"batches[].scopeSpans[].spans[].startTimeUnixNano string", "batches[].scopeSpans[].spans[].status.code string",
		"batches[].resource.attributes[].value.stringValue string",
	})
	// Ids as Tempo writes them: base64 of the bytes (0af76519... is Cvdl...).
	if !strings.Contains(string(body), `"traceId":"CvdlGRbNQ92ESOshHIAxnA=="`) {
		t.Errorf("trace id is not base64 of its bytes:\n%s", body)
	}
}

func TestTraceByIDV2WrapsTheSameSpans(t *testing.T) {
	srv := standIn(t, fakeJaeger(t).URL)
	_, v1 := get(t, srv.URL+"/api/traces/"+fixtureTrace)
	status, v2 := get(t, srv.URL+"/api/v2/traces/"+fixtureTrace)
	if status != http.StatusOK || !strings.HasPrefix(string(v2), `{"trace":{"resourceSpans":`) {
		t.Fatalf("status %d: %.200s", status, v2)
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(string(v2)), `{"trace":{"resourceSpans":`), `}}`)
	outer := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(string(v1)), `{"batches":`), `}`)
	if inner != outer {
		t.Errorf("v2 spans differ from v1:\n%s\n%s", inner, outer)
	}
}

func TestSearchAnswersInTempoShape(t *testing.T) {
	srv := standIn(t, fakeJaeger(t).URL)
	for name, q := range fixtureSearches {
		t.Run(name, func(t *testing.T) {
			status, body := get(t, searchURL(srv.URL, q, 20, 20))
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			compareGolden(t, "tempo-"+name+".golden.json", body)
			checkShape(t, "tempo-doc-search.json", body, []string{
				"traces[].traceID string", "traces[].spanSets[].spans[].spanID string",
				"traces[].spanSets[].spans[].durationNanos string", "traces[].spanSet.spans[].startTimeUnixNano string",
			})
		})
	}
}

func TestSearchFindsExactlyTheMatchingSpans(t *testing.T) {
	srv := standIn(t, fakeJaeger(t).URL)
	cases := []struct {
		q    string
		want []string // span ids
	}{
		{fixtureSearches["search-checkout-slow"], []string{"53995c3f42cd8ad8"}},
		{fixtureSearches["search-checkout-fast"], []string{"0000000000001234"}},
		{fixtureSearches["search-checkout-errors"], []string{"53995c3f42cd8ad8"}},
		{`{ resource.service.name = "checkout" && kind = internal }`, []string{"0000000000005678"}},
		{`{ resource.service.name = "checkout" && span.http.response.status_code >= 500 }`, []string{"53995c3f42cd8ad8"}},
		{`{ resource.service.name = "checkout" && span.cart.value > 50 }`, nil},
		{`{ resource.service.name = "checkout" && resource.service.namespace = "shop" && name != "price cart" }`, []string{"53995c3f42cd8ad8", "0000000000001234"}},
	}
	for _, c := range cases {
		_, body := get(t, searchURL(srv.URL, c.q, 20, 20))
		for _, id := range c.want {
			if !strings.Contains(string(body), `"spanID":"`+id+`"`) {
				t.Errorf("%s: span %s missing:\n%s", c.q, id, body)
			}
		}
		if got := strings.Count(string(body), `"spanID"`) / 2; got != len(c.want) { // spanSet and spanSets both list them
			t.Errorf("%s: %d spans, want %d:\n%s", c.q, got, len(c.want), body)
		}
	}
}

func TestSearchLimitsTracesAndSpansPerSet(t *testing.T) {
	srv := standIn(t, fakeJaeger(t).URL)
	_, body := get(t, searchURL(srv.URL, `{ resource.service.name = "checkout" }`, 1, 1))
	if n := strings.Count(string(body), `"traceID"`); n != 1 {
		t.Errorf("limit=1 gave %d traces:\n%s", n, body)
	}
	// The newest trace comes first (Tempo's order): the fast one started a second later, with 2 spans.
	if !strings.Contains(string(body), `"traceID":"abcd"`) || !strings.Contains(string(body), `"matched":2`) {
		t.Errorf("want the newest trace, its leading zeros dropped, 2 matched:\n%s", body)
	}
	if n := strings.Count(string(body), `"spanID"`); n != 2 { // one span in spanSet, the same in spanSets
		t.Errorf("spss=1 gave %d span entries:\n%s", n, body)
	}
}

func TestBadRequestsSayWhatToFix(t *testing.T) {
	srv := standIn(t, fakeJaeger(t).URL)
	cases := map[string]string{
		searchURL(srv.URL, `{ kind = server }`, 20, 3):                                                       `needs resource.service.name = "<service>"`,
		searchURL(srv.URL, `{ resource.service.name = "a" || kind = server }`, 20, 3):                        `|| is not supported`,
		searchURL(srv.URL, `{ resource.service.name =~ "a.*" }`, 20, 3):                                      `regular expressions`,
		searchURL(srv.URL, `{ resource.service.name = "a" } | rate()`, 20, 3):                                `only "| select(...)"`,
		searchURL(srv.URL, `{ resource.service.name = "a" && duration > fast }`, 20, 3):                      `not a value`,
		searchURL(srv.URL, `{ resource.service.name = "a" && kind = sideways }`, 20, 3):                      `kind must be one of`,
		searchURL(srv.URL, `{ resource.service.name = "a\q" }`, 20, 3):                                       `unknown escape`,
		searchURL(srv.URL, `{ resource.service.name = "a" && traceDuration > 1s }`, 20, 3):                   `field "traceDuration" is not supported`,
		searchURL(srv.URL, `{ resource.service.name = "a" && duration > 1s`, 20, 3):                          `expected "&&"`,
		searchURL(srv.URL, `{ resource.service.name = "a" }`, 0, 3):                                          `limit must be a whole number above 0`,
		srv.URL + "/api/search?q=" + url.QueryEscape(`{ resource.service.name = "a" }`) + "&start=20&end=10": `end (10) must be greater than start (20)`,
		srv.URL + "/api/search?tags=service.name%3Da":                                                        `only TraceQL searches`,
		srv.URL + "/api/traces/not-hex":                                                                      `1 to 32 hexadecimal digits`,
	}
	for u, want := range cases {
		status, body := get(t, u)
		if status != http.StatusBadRequest || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d %q, want 400 with %q", u, status, body, want)
		}
	}
}

func TestUnknownTraceIsNotFound(t *testing.T) {
	srv := standIn(t, fakeJaeger(t).URL)
	if status, body := get(t, srv.URL+"/api/traces/ffff"); status != http.StatusNotFound {
		t.Errorf("unknown trace: %d %s", status, body)
	}
}

func TestSearchWithNoTracesIsEmptyNotAnError(t *testing.T) {
	srv := standIn(t, fakeJaeger(t).URL)
	status, body := get(t, searchURL(srv.URL, `{ resource.service.name = "nobody" }`, 20, 3))
	if status != http.StatusOK || !strings.Contains(string(body), `"traces":[]`) {
		t.Errorf("%d %s", status, body)
	}
}

func TestJaegerDownIsABadGatewayNamingIt(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	srv := standIn(t, down.URL)
	status, body := get(t, srv.URL+"/api/traces/"+fixtureTrace)
	if status != http.StatusBadGateway || !strings.Contains(string(body), "could not reach Jaeger at "+down.URL) {
		t.Errorf("%d %s", status, body)
	}
	if status, _ := get(t, srv.URL+"/ready"); status != http.StatusBadGateway {
		t.Errorf("ready with Jaeger down: %d", status)
	}
}

func TestTagsAndEcho(t *testing.T) {
	srv := standIn(t, fakeJaeger(t).URL)
	if status, body := get(t, srv.URL+"/api/echo"); status != http.StatusOK || string(body) != "echo" {
		t.Errorf("echo: %d %q", status, body)
	}
	status, body := get(t, srv.URL+"/api/v2/search/tags")
	if status != http.StatusOK {
		t.Fatalf("tags: %d %s", status, body)
	}
	for _, want := range []string{`{"name":"resource","tags":["service.name","service.namespace"`, `"http.route"`, `{"name":"intrinsic"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("tags lack %s:\n%s", want, body)
		}
	}
	_, body = get(t, srv.URL+"/api/v2/search/tag/resource.service.name/values")
	if !strings.Contains(string(body), `{"type":"string","value":"checkout"}`) {
		t.Errorf("service values: %s", body)
	}
}

func TestStandInAnswersWithinItsTimeoutWhenJaegerHangs(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer hang.Close()
	s := New(hang.URL, 300*time.Millisecond)
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/traces/"+fixtureTrace, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusGatewayTimeout {
		t.Errorf("status %d, want 504", res.StatusCode)
	}
}
