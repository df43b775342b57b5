//go:build integration

package integration

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/spanflame/spanflame/demo/groundtruth"
)

// settled is the latest moment whose profiles Parca surely holds: the relay writes each CPU
// profile when its scrape window closes.
func (s stack) settled() time.Time {
	// Profiles are stamped with the start of their collection window and land a scrape
	// later; on a busy machine the relay can lag further, so leave a generous margin.
	return time.Now().Add(-time.Duration(3*s.scrapeSeconds)*time.Second - 15*time.Second)
}

func TestHealthAgainstRealParca(t *testing.T) {
	s := loadStack(t)
	res := servePlugin(t, s.parcaURL).health(t)
	if res.Status != backend.HealthStatusOk || !strings.Contains(res.Message, "Parca reachable") || !strings.Contains(res.Message, cpuID) {
		t.Fatalf("%v: %s", res.Status, res.Message)
	}
	t.Log(res.Message)

	if prom := loadEnv("SPANFLAME_PROMETHEUS_URL"); prom != "" {
		res := servePlugin(t, prom).health(t)
		if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "Not a Parca server") {
			t.Fatalf("Prometheus taken for Parca: %v: %s", res.Status, res.Message)
		}
		t.Log("Prometheus:", res.Message)
	}
	res = servePlugin(t, "http://127.0.0.1:9").health(t)
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "Cannot reach Parca") {
		t.Fatalf("closed port: %v: %s", res.Status, res.Message)
	}
}

// TestProfileOfASpanHoldsItsRoutesHotFunction: for each route of each demo service, the
// profile filtered to the trace id of one of its recent spans holds that route's hot
// function and no other route's.
func TestProfileOfASpanHoldsItsRoutesHotFunction(t *testing.T) {
	s := loadStack(t)
	p := servePlugin(t, s.parcaURL)
	spans, err := groundtruth.ReadSpans(s.groundTruthDir)
	if err != nil {
		t.Fatal(err)
	}
	metas, err := groundtruth.ReadMeta(s.groundTruthDir)
	if err != nil {
		t.Fatal(err)
	}
	settled := s.settled()
	for service, meta := range metas {
		for route, hot := range meta.Routes {
			t.Run(service+" "+route, func(t *testing.T) {
				var candidates []groundtruth.Span
				for _, span := range groundtruth.LatestServerSpans(spans, service, route, 200) {
					if span.End().Before(settled) && len(candidates) < 8 {
						candidates = append(candidates, span)
					}
				}
				if len(candidates) == 0 {
					t.Fatalf("no settled %s span of %s in the ground truth yet", route, service)
				}
				found := 0
				for _, span := range candidates {
					// A profile's timestamp is when its window opened, up to one scrape
					// interval before the span started: look back that far.
					from := span.Start().Add(-time.Duration(s.scrapeSeconds+1) * time.Second)
					dr := p.query(t, "profile", map[string]any{
						"profileType": cpuID, "labelSelector": fmt.Sprintf(`{service_name=%q}`, service), "traceId": span.TraceID,
					}, from, span.End().Add(time.Second), nil)
					mustOK(t, dr)
					labels := flameLabels(t, dr.Frames[0])
					for otherRoute, otherHot := range meta.Routes {
						if otherRoute != route && labels[otherHot] {
							t.Fatalf("trace %s (%s) holds %s, the hot function of %s", span.TraceID, route, shortName(otherHot), otherRoute)
						}
					}
					if labels[hot] {
						found++
					}
				}
				// A 20 ms request is sampled about twice at 100 Hz: most, not all, spans have samples.
				if found == 0 {
					t.Fatalf("none of %d %s traces holds %s", len(candidates), route, shortName(hot))
				}
				t.Logf("%d of %d traces hold %s, none another route's hot function", found, len(candidates), shortName(hot))
			})
		}
	}
}

// TestCoverageShareMatchesTheDemo: the missing-link share of each service is the demo's
// configured unlinked share within 5 percentage points, the "why" names the functions the
// demo runs without labels, and alerting gets one number.
func TestCoverageShareMatchesTheDemo(t *testing.T) {
	s := loadStack(t)
	p := servePlugin(t, s.parcaURL)
	metas, err := groundtruth.ReadMeta(s.groundTruthDir)
	if err != nil {
		t.Fatal(err)
	}
	to := s.settled()
	from := to.Add(-2 * time.Minute)
	for service, meta := range metas {
		t.Run(service, func(t *testing.T) {
			model := map[string]any{"profileType": cpuID, "labelSelector": fmt.Sprintf(`{service_name=%q}`, service)}
			dr := p.query(t, "coverage", model, from, to, nil)
			mustOK(t, dr)
			if len(dr.Frames) != 4 {
				t.Fatalf("coverage returned %d frames, want series, share, top functions, stacks", len(dr.Frames))
			}
			share, err := dr.Frames[1].FloatAt(0, 0)
			if err != nil {
				t.Fatal(err)
			}
			want := 100 * meta.UnlinkedCPUShare
			t.Logf("%s: measured missing-link share %.1f%%, configured %.1f%%", service, share, want)
			if math.Abs(share-want) > 5 {
				t.Fatalf("missing-link share %.1f%% is more than 5 points from the configured %.1f%%", share, want)
			}
			// The "why": the unlinked samples run the demo's unlinked functions (worker pool,
			// background job; the latter only when the process is short of its share), and
			// never a route's hot function, which always runs under a trace.
			top := dr.Frames[2]
			names, _ := top.FieldByName("function")
			found := 0
			for i := 0; i < top.Rows(); i++ {
				fn := names.At(i).(string)
				if slices.Contains(meta.UnlinkedFunctions, fn) {
					found++
				}
				for route, hot := range meta.Routes {
					if fn == hot {
						t.Errorf("the unlinked samples hold %s, the hot function of %s", shortName(hot), route)
					}
				}
			}
			if found == 0 {
				t.Errorf("the top unlinked functions hold none of %v", meta.UnlinkedFunctions)
			}
			stacks := flameLabels(t, dr.Frames[3])
			if !slices.ContainsFunc(meta.UnlinkedFunctions, func(fn string) bool { return stacks[fn] }) {
				t.Errorf("the unlinked stacks hold none of %v", meta.UnlinkedFunctions)
			}

			alert := p.query(t, "coverage", model, from, to, map[string]string{"FromAlert": "true"})
			mustOK(t, alert)
			if len(alert.Frames) != 1 || len(alert.Frames[0].Fields) != 1 || alert.Frames[0].Rows() != 1 {
				t.Fatalf("alert answer is not one number: %d frames", len(alert.Frames))
			}
			if v, _ := alert.Frames[0].FloatAt(0, 0); v != share {
				t.Fatalf("alert share %v != panel share %v", v, share)
			}
		})
	}
}

// TestCoveragePerServiceInOneAlertQuery: grouped by service_name, one alert query gives one
// share per service, each within 5 points of the demo's configured share.
func TestCoveragePerServiceInOneAlertQuery(t *testing.T) {
	s := loadStack(t)
	p := servePlugin(t, s.parcaURL)
	metas, err := groundtruth.ReadMeta(s.groundTruthDir)
	if err != nil {
		t.Fatal(err)
	}
	to := s.settled()
	// Scoped to the demo: other tests write synthetic profiles without a service_name.
	dr := p.query(t, "coverage", map[string]any{"profileType": cpuID, "labelSelector": `{service_name!=""}`, "groupBy": []string{"service_name"}}, to.Add(-2*time.Minute), to, map[string]string{"FromAlert": "true"})
	mustOK(t, dr)
	share := dr.Frames[0]
	if share.Rows() != len(metas) {
		t.Fatalf("%d rows for %d services", share.Rows(), len(metas))
	}
	for i := 0; i < share.Rows(); i++ {
		service := share.Fields[0].At(i).(string)
		got, want := share.Fields[1].At(i).(float64), 100*metas[service].UnlinkedCPUShare
		t.Logf("%s: %.1f%% (configured %.1f%%)", service, got, want)
		if math.Abs(got-want) > 5 {
			t.Errorf("%s: missing-link share %.1f%% is more than 5 points from %.1f%%", service, got, want)
		}
	}
}

// TestProfileGroupedByService: grouping by a label puts one "service_name=..." node per
// service under the root, each holding that service's route hot functions.
func TestProfileGroupedByService(t *testing.T) {
	s := loadStack(t)
	p := servePlugin(t, s.parcaURL)
	to := s.settled()
	dr := p.query(t, "profile", map[string]any{"profileType": cpuID, "labelSelector": `{service_name!=""}`, "groupBy": []string{"service_name"}}, to.Add(-time.Minute), to, nil)
	mustOK(t, dr)
	frame := dr.Frames[0]
	labels := flameLabels(t, frame)
	for _, service := range []string{"checkout", "frontend", "payments"} {
		if !labels["service_name="+service] {
			t.Errorf("no service_name=%s node; labels include %d names", service, len(labels))
		}
	}
	level, _ := frame.FieldByName("level")
	for i := 1; i < frame.Rows(); i++ {
		if level.At(i).(int32) == 1 {
			name := frame.Fields[len(frame.Fields)-1].Config.TypeConfig.Enum.Text[frame.Fields[len(frame.Fields)-1].At(i).(data.EnumItemIndex)]
			if !strings.HasPrefix(name, "service_name=") {
				t.Fatalf("level-1 node %q is not a label group", name)
			}
		}
	}
}

func TestMetricsPerService(t *testing.T) {
	s := loadStack(t)
	p := servePlugin(t, s.parcaURL)
	to := s.settled()
	from := to.Add(-time.Minute)
	dr := p.query(t, "metrics", map[string]any{"profileType": cpuID, "labelSelector": `{service_name!=""}`, "groupBy": []string{"service_name"}}, from, to, nil)
	mustOK(t, dr)
	var services []string
	for _, f := range dr.Frames {
		if len(f.Fields) != 2 || f.Fields[0].Type().Time() == false || !f.Fields[1].Type().Numeric() {
			t.Fatalf("series frame %q is not time + number", f.Name)
		}
		services = append(services, f.Fields[1].Labels["service_name"])
		if f.Rows() == 0 {
			t.Fatalf("series %v is empty", f.Fields[1].Labels)
		}
	}
	sort.Strings(services)
	if strings.Join(services, ",") != "checkout,frontend,payments" {
		t.Fatalf("series per service_name = %v", services)
	}
}

// TestTopFunctions: the table lists every route's hot function of checkout, its self values
// add up to the flame graph's total, and rows come largest self value first.
func TestTopFunctions(t *testing.T) {
	s := loadStack(t)
	p := servePlugin(t, s.parcaURL)
	metas, err := groundtruth.ReadMeta(s.groundTruthDir)
	if err != nil {
		t.Fatal(err)
	}
	to := s.settled()
	from := to.Add(-2 * time.Minute)
	model := map[string]any{"profileType": cpuID, "labelSelector": `{service_name="checkout"}`, "limit": 10000, "nodeTrimThreshold": 0}
	dr := p.query(t, "table", model, from, to, nil)
	mustOK(t, dr)
	frame := dr.Frames[0]
	selfField, _ := frame.FieldByName("self")
	totalField, _ := frame.FieldByName("total")
	nameField, _ := frame.FieldByName("function")
	var selfSum int64
	functions := map[string]int64{}
	previous := int64(math.MaxInt64)
	for i := 0; i < frame.Rows(); i++ {
		self, total := selfField.At(i).(int64), totalField.At(i).(int64)
		if self > previous || self > total {
			t.Fatalf("row %d: self %d after %d, total %d", i, self, previous, total)
		}
		previous = self
		selfSum += self
		functions[nameField.At(i).(string)] = total
	}
	for route, hot := range metas["checkout"].Routes {
		if functions[hot] == 0 {
			t.Errorf("the table of checkout misses %s (%s)", shortName(hot), route)
		}
	}
	flame := p.query(t, "profile", model, from, to, nil)
	mustOK(t, flame)
	if total := rootValue(t, flame.Frames[0], "value"); selfSum != total {
		t.Fatalf("table self values add up to %d, the flame graph's total is %d", selfSum, total)
	}

	model["limit"] = 5
	dr = p.query(t, "table", model, from, to, nil)
	mustOK(t, dr)
	if dr.Frames[0].Rows() != 5 || len(dr.Frames[0].Meta.Notices) == 0 {
		t.Fatalf("limit 5: %d rows, notices %v", dr.Frames[0].Rows(), dr.Frames[0].Meta)
	}
}

func TestDiffAgainstAnotherSelector(t *testing.T) {
	s := loadStack(t)
	p := servePlugin(t, s.parcaURL)
	to := s.settled()
	from := to.Add(-time.Minute)
	profile := func(service string) int64 {
		dr := p.query(t, "profile", map[string]any{"profileType": cpuID, "labelSelector": fmt.Sprintf(`{service_name=%q}`, service), "nodeTrimThreshold": 0}, from, to, nil)
		mustOK(t, dr)
		return rootValue(t, dr.Frames[0], "value")
	}
	dr := p.query(t, "diff", map[string]any{
		"profileType": cpuID, "labelSelector": `{service_name="checkout"}`, "nodeTrimThreshold": 0,
		"baseline": map[string]any{"mode": "selector", "labelSelector": `{service_name="frontend"}`},
	}, from, to, nil)
	mustOK(t, dr)
	frame := dr.Frames[0]
	left, right := rootValue(t, frame, "value"), rootValue(t, frame, "valueRight")
	if wantLeft, wantRight := profile("frontend"), profile("checkout"); left != wantLeft || right != wantRight {
		t.Fatalf("diff root left/right = %d/%d, profiles say %d/%d", left, right, wantLeft, wantRight)
	}

	offset := p.query(t, "diff", map[string]any{
		"profileType": cpuID, "labelSelector": `{service_name="checkout"}`,
		"baseline": map[string]any{"mode": "offset", "offset": "1m"},
	}, from, to, nil)
	mustOK(t, offset)
	if _, f := offset.Frames[0].FieldByName("selfRight"); f < 0 {
		t.Fatal("offset diff has no selfRight field")
	}
	// The same baseline as an explicit range (RFC 3339 and epoch milliseconds) gives the same sides.
	explicit := p.query(t, "diff", map[string]any{
		"profileType": cpuID, "labelSelector": `{service_name="checkout"}`,
		"baseline": map[string]any{"mode": "range", "from": from.Add(-time.Minute).Format(time.RFC3339Nano), "to": to.Add(-time.Minute).UnixMilli()},
	}, from, to, nil)
	mustOK(t, explicit)
	if l1, l2 := rootValue(t, offset.Frames[0], "value"), rootValue(t, explicit.Frames[0], "value"); l1 != l2 {
		t.Fatalf("baseline by offset %d != baseline by range %d", l1, l2)
	}
}

func TestBadInputAndNoDataAgainstRealParca(t *testing.T) {
	s := loadStack(t)
	p := servePlugin(t, s.parcaURL)
	to := s.settled()
	from := to.Add(-time.Minute)

	dr := p.query(t, "profile", map[string]any{"profileType": cpuID, "labelSelector": `{service_name="no-such-service"}`}, from, to, nil)
	mustOK(t, dr)
	if dr.Frames[0].Rows() != 0 || len(dr.Frames[0].Meta.Notices) == 0 {
		t.Fatalf("no data: %d rows, notices %v", dr.Frames[0].Rows(), dr.Frames[0].Meta)
	}
	dr = p.query(t, "profile", map[string]any{"profileType": "process_cpu:cpu:nanoseconds:cpu:nanoseconds"}, from, to, nil)
	if dr.Error == nil || !strings.Contains(dr.Error.Error(), "available: ") || !strings.Contains(dr.Error.Error(), cpuID) {
		t.Fatalf("unknown profile type: %v", dr.Error)
	}
	dr = p.query(t, "table", map[string]any{"profileType": cpuID, "labelSelector": `{service_name="x" job}`}, from, to, nil)
	if dr.Error == nil || !strings.Contains(dr.Error.Error(), `at "job"`) || dr.Status != backend.StatusBadRequest {
		t.Fatalf("bad selector: %v", dr.Error)
	}
	dr = p.query(t, "coverage", map[string]any{"profileType": cpuID}, to, from, nil)
	if dr.Error == nil || !strings.Contains(dr.Error.Error(), "inverted") {
		t.Fatalf("inverted range: %v", dr.Error)
	}
}
