//go:build integration

package integration

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	otlpcollector "go.opentelemetry.io/proto/otlp/collector/profiles/v1development"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	otlpprofiles "go.opentelemetry.io/proto/otlp/profiles/v1development"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// otlpCPUWriter writes synthetic CPU samples to Parca in bulk through the OTLP profiles
// endpoint Parca v0.28.0 serves on its HTTP port (plain gRPC over unencrypted HTTP/2, as
// parca-agent sends). Unlike WriteRaw, where labels come only from series labels and so every
// trace id costs a pprof of its own, OTLP gives each sample its own attributes (Parca's
// normalizer turns them into that row's labels), so a million trace ids fit in a few dozen
// requests.
//
// What Parca stores: scope name "process_cpu", sample type cpu/nanoseconds, period type
// cpu/nanoseconds with a 10 ms period and a non-zero duration, i.e. the profile type
// process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta that Go's CPU profiles get through
// WriteRaw (cpuID). Only that sample type is written: the queries never read the
// samples/count twin, which would double Parca's rows for nothing.
type otlpCPUWriter struct {
	t        testing.TB
	conn     *grpc.ClientConn
	client   otlpcollector.ProfilesServiceClient
	job      string
	at       time.Time
	duration time.Duration
	maxBatch int
	batch    *otlpBatch
	samples  int // written so far, for messages
}

// Batches stay far below Parca's 64 MiB gRPC receive limit (debuginfo.MaxMsgSize, hard-coded
// in v0.28.0's server: no flag raises it): 100k samples with two unique 32/16-char attributes
// each come to about 9 MiB.
const otlpBatchSamples = 100_000

const cpuPeriod = 10 * time.Millisecond

func newOTLPCPUWriter(t testing.TB, parcaURL, job string, at time.Time, duration time.Duration) *otlpCPUWriter {
	t.Helper()
	u, err := url.Parse(parcaURL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := grpc.NewClient(u.Host, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	return &otlpCPUWriter{t: t, conn: conn, client: otlpcollector.NewProfilesServiceClient(conn),
		job: job, at: at, duration: duration, maxBatch: otlpBatchSamples}
}

// add queues one sample of cpuPeriod CPU with the given stack (root first) and labels
// (name, value pairs), sending a request whenever the batch is full.
func (w *otlpCPUWriter) add(stack []string, labels ...string) {
	if w.batch == nil {
		w.batch = newOTLPBatch()
	}
	w.batch.add(stack, labels)
	if len(w.batch.samples) >= w.maxBatch {
		w.flush()
	}
}

// flush sends what is queued.
func (w *otlpCPUWriter) flush() {
	w.t.Helper()
	if w.batch == nil || len(w.batch.samples) == 0 {
		return
	}
	req := w.batch.request(w.job, w.at, w.duration)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := w.client.Export(ctx, req); err != nil {
		w.t.Fatalf("OTLP export of %d samples (after %d) to Parca: %v", len(w.batch.samples), w.samples, err)
	}
	w.samples += len(w.batch.samples)
	w.batch = nil
}

// close flushes and closes the connection.
func (w *otlpCPUWriter) close() {
	w.flush()
	w.conn.Close()
}

// otlpBatch is one request's dictionary and samples. Each request carries its own dictionary;
// the tables are kept to what this batch uses.
type otlpBatch struct {
	dict      *otlpprofiles.ProfilesDictionary
	strings   map[string]int32
	locations map[string]int32 // function name -> location index (one location per function)
	stacks    map[string]int32 // stack key -> stack index
	attrs     map[string]int32 // name + "\x00" + value -> attribute index
	samples   []*otlpprofiles.Sample
}

func newOTLPBatch() *otlpBatch {
	b := &otlpBatch{
		// Parca's ValidateOtelDictionary wants entry 0 of every table to be the empty value.
		dict: &otlpprofiles.ProfilesDictionary{
			StringTable:    []string{""},
			MappingTable:   []*otlpprofiles.Mapping{{}},
			LocationTable:  []*otlpprofiles.Location{{}},
			FunctionTable:  []*otlpprofiles.Function{{}},
			LinkTable:      []*otlpprofiles.Link{{}},
			AttributeTable: []*otlpprofiles.KeyValueAndUnit{{}},
			StackTable:     []*otlpprofiles.Stack{{}},
		},
		strings: map[string]int32{"": 0}, locations: map[string]int32{}, stacks: map[string]int32{}, attrs: map[string]int32{},
	}
	b.dict.MappingTable = append(b.dict.MappingTable, &otlpprofiles.Mapping{
		MemoryStart: 0x400000, MemoryLimit: 0x800000, FilenameStrindex: b.str("/usr/local/bin/spanflame-scale")})
	return b
}

func (b *otlpBatch) str(s string) int32 {
	if i, ok := b.strings[s]; ok {
		return i
	}
	i := int32(len(b.dict.StringTable))
	b.dict.StringTable = append(b.dict.StringTable, s)
	b.strings[s] = i
	return i
}

// location is the index of the one location of function name: a stable address and line per
// function, so every sample of a function lands on the same flame graph node.
func (b *otlpBatch) location(name string) int32 {
	if i, ok := b.locations[name]; ok {
		return i
	}
	fn := int32(len(b.dict.FunctionTable))
	b.dict.FunctionTable = append(b.dict.FunctionTable, &otlpprofiles.Function{
		NameStrindex: b.str(name), SystemNameStrindex: b.str(name), FilenameStrindex: b.str("/src/spanflame-scale/main.go")})
	i := int32(len(b.dict.LocationTable))
	b.dict.LocationTable = append(b.dict.LocationTable, &otlpprofiles.Location{
		MappingIndex: 1, Address: 0x400000 + uint64(i)*0x10,
		// Parca v0.28.0 reads a line's function as FunctionTable[FunctionIndex-1]
		// (profile.EncodeOtelLocation) while its validator insists that entry 0 is empty, so
		// point one past the function; request() appends a padding entry so that the last
		// function's index stays in bounds.
		Lines: []*otlpprofiles.Line{{FunctionIndex: fn + 1, Line: int64(fn)}},
	})
	b.locations[name] = i
	return i
}

func (b *otlpBatch) stack(stack []string) int32 {
	key := strings.Join(stack, "\x00")
	if i, ok := b.stacks[key]; ok {
		return i
	}
	s := &otlpprofiles.Stack{LocationIndices: make([]int32, 0, len(stack))}
	for j := len(stack) - 1; j >= 0; j-- { // OTLP, like pprof, lists the leaf first
		s.LocationIndices = append(s.LocationIndices, b.location(stack[j]))
	}
	i := int32(len(b.dict.StackTable))
	b.dict.StackTable = append(b.dict.StackTable, s)
	b.stacks[key] = i
	return i
}

func (b *otlpBatch) attr(name, value string) int32 {
	key := name + "\x00" + value
	if i, ok := b.attrs[key]; ok {
		return i
	}
	i := int32(len(b.dict.AttributeTable))
	b.dict.AttributeTable = append(b.dict.AttributeTable, &otlpprofiles.KeyValueAndUnit{
		KeyStrindex: b.str(name), Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: value}}})
	b.attrs[key] = i
	return i
}

func (b *otlpBatch) add(stack []string, labels []string) {
	s := &otlpprofiles.Sample{StackIndex: b.stack(stack), Values: []int64{int64(cpuPeriod)}}
	for i := 0; i+1 < len(labels); i += 2 {
		s.AttributeIndices = append(s.AttributeIndices, b.attr(labels[i], labels[i+1]))
	}
	b.samples = append(b.samples, s)
}

// request wraps the batch in one profile of one scope of one resource, whose job attribute
// becomes every row's job label.
func (b *otlpBatch) request(job string, at time.Time, duration time.Duration) *otlpcollector.ExportProfilesServiceRequest {
	b.dict.FunctionTable = append(b.dict.FunctionTable, &otlpprofiles.Function{}) // see location()
	profile := &otlpprofiles.Profile{
		SampleType:   &otlpprofiles.ValueType{TypeStrindex: b.str("cpu"), UnitStrindex: b.str("nanoseconds")},
		PeriodType:   &otlpprofiles.ValueType{TypeStrindex: b.str("cpu"), UnitStrindex: b.str("nanoseconds")},
		Period:       int64(cpuPeriod),
		TimeUnixNano: uint64(at.UnixNano()),
		DurationNano: uint64(duration),
		Samples:      b.samples,
	}
	return &otlpcollector.ExportProfilesServiceRequest{
		Dictionary: b.dict,
		ResourceProfiles: []*otlpprofiles.ResourceProfiles{{
			Resource: &resourcepb.Resource{Attributes: []*commonpb.KeyValue{
				{Key: "job", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: job}}}}},
			ScopeProfiles: []*otlpprofiles.ScopeProfiles{{
				Scope:    &commonpb.InstrumentationScope{Name: "process_cpu"}, // Parca: the profile's name
				Profiles: []*otlpprofiles.Profile{profile},
			}},
		}},
	}
}
