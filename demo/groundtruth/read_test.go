package groundtruth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadSpansSkipsALineStillBeingWritten(t *testing.T) {
	dir := t.TempDir()
	content := `{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","service":"checkout","kind":"server","route":"/orders","method":"POST","status_code":200,"start_unix_nano":1,"end_unix_nano":5}
{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"00f067aa0ba902b7","service":"checkout","kind":"server","route":"/orders","method":"POST","status_code":502,"start_unix_nano":2,"end_unix_nano":9}
{"trace_id":"0af76519`
	if err := os.WriteFile(filepath.Join(dir, SpansFile("checkout")), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	spans, err := ReadSpans(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != 2 {
		t.Fatalf("got %d spans, want 2", len(spans))
	}
	latest := LatestServerSpans(spans, "checkout", "POST /orders", 1)
	if len(latest) != 1 || latest[0].SpanID != "00f067aa0ba902b7" || latest[0].Duration() != 7 {
		t.Errorf("latest server span %+v, want the one that ended last", latest)
	}
	if _, ok := FindSpan(spans, "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"); !ok {
		t.Error("FindSpan did not find a recorded span")
	}
}

// FuzzReadSpans: whatever a span file holds, reading it gives spans or an error that
// names the file and line, never a panic.
func FuzzReadSpans(f *testing.F) {
	f.Add([]byte(`{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","kind":"server","cpu_ns":5}` + "\n"))
	f.Add([]byte("{\"kind\":\n"))
	f.Add([]byte("\n\n{}\n{\"start_unix_nano\":\"x\"}\n"))
	f.Fuzz(func(t *testing.T, content []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, SpansFile("fuzz")), content, 0o644); err != nil {
			t.Fatal(err)
		}
		spans, err := ReadSpans(dir)
		if err != nil {
			if !strings.Contains(err.Error(), SpansFile("fuzz")+":") {
				t.Fatalf("error %q does not name the file and line", err)
			}
			return
		}
		for _, s := range spans {
			_ = s.Duration()
		}
	})
}
