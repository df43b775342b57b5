package tempostandin

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// -update rewrites golden files (and, with -tags integration, the recorded Jaeger answers).
var update = flag.Bool("update", false, "rewrite testdata golden files")

// The fixture's traces (testdata/otlp-spans.json), sent at 2026-11-28T12:00:00Z.
const (
	fixtureTrace     = "0af7651916cd43dd8448eb211c80319c"
	fixtureFastTrace = "0000000000000000000000000000abcd"
	fixtureStart     = 1795867200 // Unix seconds
	fixtureEnd       = 1795867260
)

// fixtureSearches are the searches the golden files record, by golden name.
var fixtureSearches = map[string]string{
	"search-checkout-slow":   `{ resource.service.name = "checkout" && kind = server && duration >= 100ms } | select(status, kind, span.http.route, span.http.response.status_code)`,
	"search-checkout-fast":   `{ resource.service.name = "checkout" && kind = server && duration < 100ms && name = "POST /checkout" } | select(status, kind, span.http.route, span.http.response.status_code)`,
	"search-checkout-errors": `{ resource.service.name = "checkout" && status = error && span.cart.express = true && span.note = "a \"quoted\" \\ value" }`,
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// indent re-indents JSON for stable, readable golden files.
func indent(t *testing.T, raw []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, bytes.TrimSpace(raw), "", "  "); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, raw)
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}

func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	got = indent(t, got)
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the answer:\n%s", path, got)
	}
}

func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, body
}

// shapePaths lists every path of a JSON document with its value type, array indices collapsed:
// "traces[].spanSets[].spans[].spanID string".
func shapePaths(t *testing.T, raw []byte) map[string]bool {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				if k == "_comment" {
					continue
				}
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, child)
			}
		case []any:
			for _, child := range x {
				walk(prefix+"[]", child)
			}
		default:
			out[fmt.Sprintf("%s %T", prefix, x)] = true
		}
	}
	walk("", v)
	return out
}

// checkShape fails when the answer has a path or type the documented shape lacks.
func checkShape(t *testing.T, doc string, answer []byte, required []string) {
	t.Helper()
	want := shapePaths(t, readFile(t, doc))
	got := shapePaths(t, answer)
	var extra []string
	for p := range got {
		if !want[p] {
			extra = append(extra, p)
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		t.Errorf("answer has paths Tempo's documented shape (%s) lacks:\n  %s", doc, strings.Join(extra, "\n  "))
	}
	for _, p := range required {
		if !got[p] {
			t.Errorf("answer lacks %q", p)
		}
	}
}

func base64ToHex(t *testing.T, s string) string {
	t.Helper()
	if s == "" {
		return ""
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("%q is not base64: %v", s, err)
	}
	return hex.EncodeToString(b)
}
