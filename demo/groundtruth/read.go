package groundtruth

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ReadSpans reads the spans of all services recorded in dir, in file order per
// service. A last line still being written is skipped, so it is safe to call
// while the shop runs.
func ReadSpans(dir string) ([]Span, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.spans.jsonl"))
	if err != nil {
		return nil, err
	}
	var spans []Span
	for _, file := range files {
		some, err := readSpansFile(file)
		if err != nil {
			return nil, err
		}
		spans = append(spans, some...)
	}
	return spans, nil
}

// ReadServiceSpans reads the spans of one service recorded in dir.
func ReadServiceSpans(dir, service string) ([]Span, error) {
	return readSpansFile(filepath.Join(dir, SpansFile(service)))
}

func readSpansFile(path string) ([]Span, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var spans []Span
	reader := bufio.NewReader(f)
	for lineNo := 1; ; lineNo++ {
		line, err := reader.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return spans, nil // a line without its newline is still being written
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var span Span
		if err := json.Unmarshal(line, &span); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, lineNo, err)
		}
		spans = append(spans, span)
	}
}

// ReadMeta reads the meta files of all services in dir, keyed by service.
func ReadMeta(dir string) (map[string]Meta, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.meta.json"))
	if err != nil {
		return nil, err
	}
	metas := make(map[string]Meta, len(files))
	for _, file := range files {
		meta, err := readMetaFile(file)
		if err != nil {
			return nil, err
		}
		metas[meta.Service] = meta
	}
	return metas, nil
}

// ReadServiceMeta reads the meta file of one service in dir.
func ReadServiceMeta(dir, service string) (Meta, error) {
	return readMetaFile(filepath.Join(dir, MetaFile(service)))
}

func readMetaFile(path string) (Meta, error) {
	var meta Meta
	data, err := os.ReadFile(path)
	if err != nil {
		return meta, err
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		return meta, fmt.Errorf("%s: %w", path, err)
	}
	return meta, nil
}

// LatestServerSpans returns up to n server spans of service whose route key
// ("POST /orders") is route, the latest finished first. An empty service
// matches every service.
func LatestServerSpans(spans []Span, service, route string, n int) []Span {
	var matches []Span
	for _, s := range spans {
		if s.Kind == KindServer && s.RouteKey() == route && (service == "" || s.Service == service) {
			matches = append(matches, s)
		}
	}
	slices.SortFunc(matches, func(a, b Span) int { return cmp.Compare(b.EndUnixNano, a.EndUnixNano) })
	return matches[:min(n, len(matches))]
}

// Trace returns the spans of one trace, ordered by start time.
func Trace(spans []Span, traceID string) []Span {
	traceID = strings.ToLower(traceID)
	var trace []Span
	for _, s := range spans {
		if s.TraceID == traceID {
			trace = append(trace, s)
		}
	}
	slices.SortFunc(trace, func(a, b Span) int { return cmp.Compare(a.StartUnixNano, b.StartUnixNano) })
	return trace
}

// FindSpan returns the span with the given ids, and whether there is one.
func FindSpan(spans []Span, traceID, spanID string) (Span, bool) {
	for _, s := range spans {
		if s.TraceID == traceID && s.SpanID == spanID {
			return s, true
		}
	}
	return Span{}, false
}

// ServerSpans returns the server spans of service (every service when service
// is ""), in the order given.
func ServerSpans(spans []Span, service string) []Span {
	var servers []Span
	for _, s := range spans {
		if s.Kind == KindServer && (service == "" || s.Service == service) {
			servers = append(servers, s)
		}
	}
	return servers
}

// ShareShorterThan is the share of spans shorter than d (0 for no spans): with
// d the sampling period, the true share of requests too short to be sampled
// reliably, to compare with what a duration histogram says.
func ShareShorterThan(spans []Span, d time.Duration) float64 {
	if len(spans) == 0 {
		return 0
	}
	short := 0
	for _, s := range spans {
		if s.Duration() < d {
			short++
		}
	}
	return float64(short) / float64(len(spans))
}
