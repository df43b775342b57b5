// Command cpurelay is part of the local stack (scripts/stack.sh), not of the product.
//
// It collects Go CPU profiles from /debug/pprof/profile and writes them to Parca
// with ProfileStoreService/WriteRaw, keeping the pprof sample labels (trace_id,
// span_id, ...) that the demo sets with pprof.Do.
//
// Why it exists: Parca v0.28.0's own scraper stores a scraped pprof through
// normalizer.WriteRawRequestToArrowRecord, which fills the labels.* columns from
// the series labels only; per-sample pprof labels are dropped (the column is
// created but every value is null). Samples linked to a trace are exactly what
// Spanflame needs, so this relay splits each profile by its sample label set and
// writes one series per set, with the labels as series labels. What lands in Parca
// is the same as if Parca had kept the sample labels: rows with labels.trace_id and
// labels.span_id where the program set them, null where it did not.
//
//	cpurelay -parca 127.0.0.1:7070 -seconds 5 -ready-file /tmp/relay.ready \
//	    -target frontend=127.0.0.1:18081 -target checkout=127.0.0.1:18082
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/pprof/profile"
	profilestorepb "github.com/parca-dev/parca/gen/proto/go/parca/profilestore/v1alpha1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// The profile name Parca's scraper uses for /debug/pprof/profile, so relayed data
// has the same profile type (process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta).
const profileName = "process_cpu"

type target struct {
	service string // becomes job and service_name
	addr    string // host:port serving /debug/pprof/profile
}

type targetList []target

func (l *targetList) String() string { return fmt.Sprint(*l) }

func (l *targetList) Set(v string) error {
	service, addr, ok := strings.Cut(v, "=")
	if !ok || service == "" || addr == "" {
		return fmt.Errorf("want service=host:port, got %q", v)
	}
	*l = append(*l, target{service: service, addr: addr})
	return nil
}

type relay struct {
	store     profilestorepb.ProfileStoreServiceClient
	http      *http.Client
	seconds   int
	readyFile string

	mu      sync.Mutex
	success map[string]time.Time
	targets int
}

func main() {
	var (
		targets   targetList
		parcaAddr = flag.String("parca", "127.0.0.1:7070", "Parca gRPC address (host:port, plaintext h2c)")
		seconds   = flag.Int("seconds", 5, "CPU profile duration per collection, seconds")
		readyFile = flag.String("ready-file", "", "file written after every target has been relayed once, then refreshed after each relay")
	)
	flag.Var(&targets, "target", "service=host:port to collect from (repeatable)")
	flag.Parse()
	if len(targets) == 0 || *seconds < 1 {
		flag.Usage()
		os.Exit(2)
	}

	conn, err := grpc.NewClient(*parcaAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		log.Fatalf("cpurelay: parca client for %s: %v", *parcaAddr, err)
	}
	defer conn.Close()

	r := &relay{
		store:     profilestorepb.NewProfileStoreServiceClient(conn),
		http:      &http.Client{Timeout: time.Duration(*seconds+15) * time.Second},
		seconds:   *seconds,
		readyFile: *readyFile,
		success:   map[string]time.Time{},
		targets:   len(targets),
	}
	if r.readyFile != "" {
		_ = os.Remove(r.readyFile)
		defer os.Remove(r.readyFile)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	log.Printf("cpurelay: relaying %ds CPU profiles of %v to Parca at %s", *seconds, targets, *parcaAddr)
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.loop(ctx, t)
		}()
	}
	wg.Wait()
	log.Printf("cpurelay: stopped")
}

// loop collects profiles back to back and writes each one while the next is being collected:
// Go runs one CPU profile at a time, so any time spent between two collections (parsing,
// splitting, writing to Parca on a loaded machine) is CPU no profile sees, and spans running
// then would look as if they had used less CPU than they did.
func (r *relay) loop(ctx context.Context, t target) {
	collected := make(chan *profile.Profile, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		round := 0
		var last *profile.Profile
		for p := range collected {
			round++
			st, err := r.write(ctx, t, p)
			if err != nil {
				if ctx.Err() == nil {
					log.Printf("cpurelay: %s (%s): %v", t.service, t.addr, err)
				}
				continue
			}
			r.markSuccess(t.service)
			// Say something on the first round and then about once a minute.
			if round == 1 || round%max(1, 60/r.seconds) == 0 {
				gap := ""
				if last != nil {
					gap = fmt.Sprintf(", %.0f ms not profiled since the previous profile", float64(p.TimeNanos-last.TimeNanos-last.DurationNanos)/1e6)
				}
				log.Printf("cpurelay: %s: %d samples, %d with labels in %d series, %.2fs CPU%s",
					t.service, st.samples, st.labelled, st.series, float64(st.cpuNanos)/1e9, gap)
			}
			last = p
		}
	}()
	defer func() { close(collected); <-done }()
	for ctx.Err() == nil {
		p, err := r.collect(ctx, t)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Printf("cpurelay: %s (%s): %v", t.service, t.addr, err)
			select {
			case <-ctx.Done():
			case <-time.After(2 * time.Second):
			}
			continue
		}
		select {
		case collected <- p:
		case <-ctx.Done():
			return
		}
	}
}

func (r *relay) markSuccess(service string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.success[service] = time.Now()
	if r.readyFile == "" || len(r.success) < r.targets {
		return
	}
	var b strings.Builder
	for s, at := range r.success {
		fmt.Fprintf(&b, "%s %s\n", s, at.UTC().Format(time.RFC3339))
	}
	tmp := r.readyFile + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err == nil {
		_ = os.Rename(tmp, r.readyFile)
	}
}

type stats struct {
	samples, labelled, series int
	cpuNanos                  int64
}

// collect takes one CPU profile of the target.
func (r *relay) collect(ctx context.Context, t target) (*profile.Profile, error) {
	url := fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", t.addr, r.seconds)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := r.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("collect: %w", err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("collect: read body: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("collect: GET %s: HTTP %d: %.200s", url, resp.StatusCode, body)
	}
	// Parsed here, before the next collection starts, so its time is known for the gap log; a
	// 5 s profile parses in milliseconds.
	p, err := profile.ParseData(body)
	if err != nil {
		return nil, fmt.Errorf("collect: parse profile: %w", err)
	}
	return p, nil
}

// write splits one profile by its sample labels and writes it to Parca.
func (r *relay) write(ctx context.Context, t target, p *profile.Profile) (stats, error) {
	infra := map[string]string{
		"__name__":     profileName,
		"job":          t.service,
		"service_name": t.service,
		"instance":     t.addr,
	}
	series, st, err := splitByLabels(p, infra)
	if err != nil {
		return stats{}, err
	}
	if len(series) == 0 {
		return st, nil // nothing ran on the CPU during the window
	}
	if _, err := r.store.WriteRaw(ctx, &profilestorepb.WriteRawRequest{Series: series}); err != nil {
		return stats{}, fmt.Errorf("write to parca: %w", err)
	}
	return st, nil
}

// splitByLabels groups the samples of p by their string labels and returns one
// series per group: the group's labels plus infra as series labels, and a pprof
// holding only that group's samples, without sample labels.
func splitByLabels(p *profile.Profile, infra map[string]string) ([]*profilestorepb.RawProfileSeries, stats, error) {
	var st stats
	groups := map[string][]*profile.Sample{}
	groupLabels := map[string]map[string]string{}
	for _, s := range p.Sample {
		st.samples++
		if len(s.Value) > 1 {
			st.cpuNanos += s.Value[1] // [samples/count, cpu/nanoseconds] for Go CPU profiles
		}
		lbls := sampleLabels(s, infra)
		if len(lbls) > 0 {
			st.labelled++
		}
		key := labelKey(lbls)
		if _, ok := groups[key]; !ok {
			groupLabels[key] = lbls
		}
		c := *s
		c.Label = nil
		groups[key] = append(groups[key], &c)
	}

	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	series := make([]*profilestorepb.RawProfileSeries, 0, len(keys))
	for _, k := range keys {
		part := &profile.Profile{
			SampleType:        p.SampleType,
			DefaultSampleType: p.DefaultSampleType,
			Sample:            groups[k],
			Mapping:           p.Mapping,
			Location:          p.Location,
			Function:          p.Function,
			Comments:          p.Comments,
			DocURL:            p.DocURL,
			DropFrames:        p.DropFrames,
			KeepFrames:        p.KeepFrames,
			TimeNanos:         p.TimeNanos,
			DurationNanos:     p.DurationNanos,
			PeriodType:        p.PeriodType,
			Period:            p.Period,
		}
		compact := part.Compact() // keep only the locations/functions this group uses
		var buf bytes.Buffer
		if err := compact.Write(&buf); err != nil {
			return nil, st, fmt.Errorf("encode profile part: %w", err)
		}
		ls := &profilestorepb.LabelSet{}
		for n, v := range infra {
			ls.Labels = append(ls.Labels, &profilestorepb.Label{Name: n, Value: v})
		}
		for n, v := range groupLabels[k] {
			ls.Labels = append(ls.Labels, &profilestorepb.Label{Name: n, Value: v})
		}
		sort.Slice(ls.Labels, func(i, j int) bool { return ls.Labels[i].Name < ls.Labels[j].Name })
		series = append(series, &profilestorepb.RawProfileSeries{
			Labels:  ls,
			Samples: []*profilestorepb.RawSample{{RawProfile: buf.Bytes()}},
		})
	}
	st.series = len(series)
	return series, st, nil
}

// sampleLabels returns a sample's string labels as Parca would name them: label
// names sanitised, a name already used by an infrastructure label prefixed with
// "exported_", only the first value of a multi-valued label.
func sampleLabels(s *profile.Sample, infra map[string]string) map[string]string {
	if len(s.Label) == 0 {
		return nil
	}
	out := make(map[string]string, len(s.Label))
	for k, vs := range s.Label {
		if len(vs) == 0 {
			continue
		}
		name := sanitizeLabelName(k)
		if _, taken := infra[name]; taken {
			name = "exported_" + name
		}
		out[name] = vs[0]
	}
	return out
}

func labelKey(l map[string]string) string {
	if len(l) == 0 {
		return ""
	}
	parts := make([]string, 0, len(l))
	for k, v := range l {
		parts = append(parts, k+"\x00"+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, "\x01")
}

// sanitizeLabelName maps a pprof label key to a valid Prometheus-style label name.
func sanitizeLabelName(name string) string {
	if name == "" {
		return "_"
	}
	b := []byte(name)
	for i, c := range b {
		ok := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9')
		if !ok {
			b[i] = '_'
		}
	}
	return string(b)
}
