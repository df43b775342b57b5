//go:build integration

package integration

import (
	"bytes"
	"context"
	"net/http"
	"sort"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/pprof/profile"
	profilestorepb "github.com/parca-dev/parca/gen/proto/go/parca/profilestore/v1alpha1"
)

// stackSample is one synthetic CPU sample: a stack (root first) and its CPU time.
type stackSample struct {
	stack []string
	cpu   time.Duration
}

// syntheticSeries is one series written to Parca: its labels and the samples of one profile.
type syntheticSeries struct {
	labels  map[string]string
	samples []stackSample
}

// cpuPprof builds a Go-style CPU profile (samples/count, cpu/nanoseconds) taken at `at`.
func cpuPprof(at time.Time, duration time.Duration, samples []stackSample) *profile.Profile {
	const period = 10 * time.Millisecond
	mapping := &profile.Mapping{ID: 1, Start: 0x400000, Limit: 0x800000, File: "/usr/local/bin/spanflame-it", HasFunctions: true}
	p := &profile.Profile{
		SampleType:    []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType:    &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:        int64(period),
		TimeNanos:     at.UnixNano(),
		DurationNanos: int64(duration),
		Mapping:       []*profile.Mapping{mapping},
	}
	functions := map[string]*profile.Location{}
	location := func(name string) *profile.Location {
		if loc, ok := functions[name]; ok {
			return loc
		}
		fn := &profile.Function{ID: uint64(len(p.Function) + 1), Name: name, SystemName: name, Filename: "/src/spanflame-it/main.go"}
		p.Function = append(p.Function, fn)
		loc := &profile.Location{ID: uint64(len(p.Location) + 1), Mapping: mapping, Address: 0x400000 + uint64(len(p.Location)+1)*0x10,
			Line: []profile.Line{{Function: fn, Line: int64(len(p.Location) + 1)}}}
		p.Location = append(p.Location, loc)
		functions[name] = loc
		return loc
	}
	for _, s := range samples {
		sample := &profile.Sample{Value: []int64{int64(s.cpu / period), int64(s.cpu)}}
		for i := len(s.stack) - 1; i >= 0; i-- { // pprof lists the leaf first
			sample.Location = append(sample.Location, location(s.stack[i]))
		}
		p.Sample = append(p.Sample, sample)
	}
	return p
}

// writeProfiles writes one CPU profile per series, all taken at `at`, with WriteRaw.
func writeProfiles(t testing.TB, parcaURL string, at time.Time, duration time.Duration, series []syntheticSeries) {
	t.Helper()
	client := connect.NewClient[profilestorepb.WriteRawRequest, profilestorepb.WriteRawResponse](
		http.DefaultClient, parcaURL+"/parca.profilestore.v1alpha1.ProfileStoreService/WriteRaw", connect.WithGRPCWeb())
	req := &profilestorepb.WriteRawRequest{}
	for _, s := range series {
		var buf bytes.Buffer
		if err := cpuPprof(at, duration, s.samples).Write(&buf); err != nil { // gzipped
			t.Fatal(err)
		}
		labels := &profilestorepb.LabelSet{Labels: []*profilestorepb.Label{{Name: "__name__", Value: "process_cpu"}}}
		for name, value := range s.labels {
			labels.Labels = append(labels.Labels, &profilestorepb.Label{Name: name, Value: value})
		}
		sort.Slice(labels.Labels, func(i, j int) bool { return labels.Labels[i].Name < labels.Labels[j].Name })
		req.Series = append(req.Series, &profilestorepb.RawProfileSeries{
			Labels:  labels,
			Samples: []*profilestorepb.RawSample{{RawProfile: buf.Bytes()}},
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := client.CallUnary(ctx, connect.NewRequest(req)); err != nil {
		t.Fatalf("WriteRaw: %v", err)
	}
}
