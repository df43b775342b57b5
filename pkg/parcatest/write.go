// Package parcatest writes synthetic CPU profiles into a real Parca, for tests that need data
// the demo shop cannot produce on cue (a sub-second window, a selector whose samples are all
// linked or all unlinked). Only tests import it.
package parcatest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"

	"connectrpc.com/connect"
	"github.com/google/pprof/profile"
	profilestorepb "github.com/parca-dev/parca/gen/proto/go/parca/profilestore/v1alpha1"
)

// Sample is one synthetic CPU sample: a stack (root first) and its CPU time.
type Sample struct {
	Stack []string
	CPU   time.Duration
}

// Series is one series written to Parca: its labels and the samples of one profile.
type Series struct {
	Labels  map[string]string
	Samples []Sample
}

// CPUProfile builds a Go-style CPU profile (samples/count, cpu/nanoseconds) taken at `at`.
func CPUProfile(at time.Time, duration time.Duration, samples []Sample) *profile.Profile {
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
		sample := &profile.Sample{Value: []int64{int64(s.CPU / period), int64(s.CPU)}}
		for i := len(s.Stack) - 1; i >= 0; i-- { // pprof lists the leaf first
			sample.Location = append(sample.Location, location(s.Stack[i]))
		}
		p.Sample = append(p.Sample, sample)
	}
	return p
}

// WriteCPU writes one CPU profile per series, all taken at `at`, with WriteRaw.
func WriteCPU(ctx context.Context, parcaURL string, at time.Time, duration time.Duration, series []Series) error {
	client := connect.NewClient[profilestorepb.WriteRawRequest, profilestorepb.WriteRawResponse](
		http.DefaultClient, parcaURL+"/parca.profilestore.v1alpha1.ProfileStoreService/WriteRaw", connect.WithGRPCWeb())
	req := &profilestorepb.WriteRawRequest{}
	for _, s := range series {
		var buf bytes.Buffer
		if err := CPUProfile(at, duration, s.Samples).Write(&buf); err != nil { // gzipped
			return err
		}
		labels := &profilestorepb.LabelSet{Labels: []*profilestorepb.Label{{Name: "__name__", Value: "process_cpu"}}}
		for name, value := range s.Labels {
			labels.Labels = append(labels.Labels, &profilestorepb.Label{Name: name, Value: value})
		}
		sort.Slice(labels.Labels, func(i, j int) bool { return labels.Labels[i].Name < labels.Labels[j].Name })
		req.Series = append(req.Series, &profilestorepb.RawProfileSeries{
			Labels:  labels,
			Samples: []*profilestorepb.RawSample{{RawProfile: buf.Bytes()}},
		})
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := client.CallUnary(ctx, connect.NewRequest(req)); err != nil {
		return fmt.Errorf("WriteRaw: %w", err)
	}
	return nil
}

// OneSidedCoverage writes, at `at`, a profile for job `linkedJob` whose every sample carries a
// trace_id and span_id, and one for `unlinkedJob` whose samples carry none: selectors on the
// jobs are 0% and 100% unlinked.
func OneSidedCoverage(ctx context.Context, parcaURL string, at time.Time, linkedJob, unlinkedJob string) error {
	return WriteCPU(ctx, parcaURL, at, 10*time.Second, []Series{
		{Labels: map[string]string{"job": linkedJob, "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7"},
			Samples: []Sample{{Stack: []string{"main.main", "shop.HandleOrder"}, CPU: 300 * time.Millisecond}}},
		{Labels: map[string]string{"job": unlinkedJob},
			Samples: []Sample{{Stack: []string{"main.main", "shop.worker"}, CPU: 200 * time.Millisecond}}},
	})
}
