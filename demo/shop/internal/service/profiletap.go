package service

import (
	"bytes"
	"log"
	"net/http"
	httppprof "net/http/pprof"
	"time"

	"github.com/google/pprof/profile"

	"github.com/spanflame/spanflame/demo/shop/internal/unlinked"
)

// maxTappedProfile bounds the copy of a served profile kept for reading back;
// the demo's 5 s profiles are tens of kilobytes.
const maxTappedProfile = 16 << 20

// serveCPUProfile serves /debug/pprof/profile as net/http/pprof does, and
// hands the CPU profile it served to the Runner (unlinked.Runner.Observe): the
// share of unlabeled CPU in exactly what the collector, and so Parca, got is
// what the demo promises, and what it calibrates against.
func serveCPUProfile(runner *unlinked.Runner) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tap := &tappedWriter{ResponseWriter: w, status: http.StatusOK}
		httppprof.Profile(tap, r)
		if tap.status != http.StatusOK || tap.overflow {
			return
		}
		unlabeled, total, err := unlabeledCPU(tap.body.Bytes())
		if err != nil {
			log.Printf("reading back the served CPU profile: %v", err)
			return
		}
		runner.Observe(unlabeled, total)
	}
}

// unlabeledCPU is the CPU of a profile's samples without a trace_id label,
// and of all its samples.
func unlabeledCPU(raw []byte) (unlabeled, total time.Duration, err error) {
	p, err := profile.ParseData(raw)
	if err != nil {
		return 0, 0, err
	}
	cpu := -1
	for i, st := range p.SampleType {
		if st.Type == "cpu" && st.Unit == "nanoseconds" {
			cpu = i
		}
	}
	if cpu < 0 {
		return 0, 0, nil
	}
	for _, s := range p.Sample {
		v := time.Duration(s.Value[cpu])
		total += v
		if len(s.Label["trace_id"]) == 0 {
			unlabeled += v
		}
	}
	return unlabeled, total, nil
}

// tappedWriter keeps a copy of what a handler writes.
type tappedWriter struct {
	http.ResponseWriter
	status   int
	body     bytes.Buffer
	overflow bool
}

func (t *tappedWriter) WriteHeader(status int) {
	t.status = status
	t.ResponseWriter.WriteHeader(status)
}

func (t *tappedWriter) Write(b []byte) (int, error) {
	if t.body.Len()+len(b) <= maxTappedProfile {
		t.body.Write(b)
	} else {
		t.overflow = true
	}
	return t.ResponseWriter.Write(b)
}
