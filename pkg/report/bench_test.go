package report

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/spanflame/spanflame/pkg/report/reporttest"
)

var benchSizes = []int{10_000, 100_000, 1_000_000}

func benchStream(b *testing.B, nodes int) []byte {
	b.Helper()
	stream, err := reporttest.FlameRecord(reporttest.SyntheticTree(nodes, 42),
		reporttest.Widths{Value: arrow.PrimitiveTypes.Uint64, Diff: arrow.PrimitiveTypes.Int64, Index: arrow.PrimitiveTypes.Uint32, LZ4: true})
	if err != nil {
		b.Fatal(err)
	}
	return stream
}

// BenchmarkArrowDecode is the floor: arrow-go reading the LZ4 IPC stream into a record, with
// nothing done to it.
func BenchmarkArrowDecode(b *testing.B) {
	for _, n := range benchSizes {
		stream := benchStream(b, n)
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			cpu := startCPUClock()
			for b.Loop() {
				if err := ReadRecord(stream, func(rec arrow.RecordBatch) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
			reportPerNode(b, n, cpu)
		})
	}
}

// BenchmarkFlameGraphFrame is the whole conversion the profile query does: decode, name the
// nodes, reorder depth-first and build the Grafana frame. The aim is at most twice
// BenchmarkArrowDecode, linear in nodes. Medians of 4 runs of -benchtime 1s -count 3 on the
// shared 2-core machine, cpu-ns/node, decode / convert only / full (full/decode), now and
// before the column layout (commit fc8e712):
//
//	 10k:  61 / 47 / 112 (1.8)    was  68 /  99 / 181 (2.7)
//	100k:  45 / 39 /  86 (1.9)    was  42 / 102 / 152 (3.6)
//	  1M:  33 / 55 /  90 (2.7)    was  32 / 169 / 201 (6.2)
//
// A single run's ratio can be 0.3 off those. At 1M the layout (about 20 ns/node: passes whose
// random reads and writes span arrays larger than the 2 MB L2 cache) and the frame (about
// 12: more labels than an enum holds, so a 1M-entry []string label field, which the SDK
// copies) alone come to more than the decode. -benchtime 3x is too short at 10k: 3 ms of
// CPU, within the clock's resolution and the machine's noise.
func BenchmarkFlameGraphFrame(b *testing.B) {
	for _, n := range benchSizes {
		stream := benchStream(b, n)
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			cpu := startCPUClock()
			for b.Loop() {
				fg, err := DecodeFlameGraph(stream, false)
				if err != nil {
					b.Fatal(err)
				}
				if fg.Frame("profile", "ns").Rows() != n {
					b.Fatal("lost rows")
				}
			}
			reportPerNode(b, n, cpu)
		})
	}
}

// BenchmarkFlameGraphConvertOnly is the conversion alone, on a record decoded once: what the
// plugin adds on top of the floor.
func BenchmarkFlameGraphConvertOnly(b *testing.B) {
	for _, n := range benchSizes {
		stream := benchStream(b, n)
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			err := ReadRecord(stream, func(rec arrow.RecordBatch) error {
				b.ReportAllocs()
				cpu := startCPUClock()
				for b.Loop() {
					fg, err := FlameGraphFromRecord(rec, false)
					if err != nil {
						return err
					}
					if fg.Frame("profile", "ns").Rows() != n {
						b.Fatal("lost rows")
					}
				}
				reportPerNode(b, n, cpu)
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	}
}

// The machine these run on is shared: wall time per node swings with other people's load, so
// the benchmarks also report the process's CPU time per node (user+system, GC included),
// which moves far less.
type cpuClock struct{ start time.Duration }

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPUClock() cpuClock { return cpuClock{start: processCPU()} }

func reportPerNode(b *testing.B, nodes int, cpu cpuClock) {
	perNode := float64(b.N) * float64(nodes)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/perNode, "ns/node")
	b.ReportMetric(float64((processCPU()-cpu.start).Nanoseconds())/perNode, "cpu-ns/node")
}

// BenchmarkFrameEncode is what every caller of an answer pays after the plugin returns it: the
// SDK encodes the flame graph frame to Arrow for Grafana once per response, so fifty panels
// sharing one answer encode it fifty times, at once, and hold fifty copies until Grafana has
// read them. wire-B/node is the encoded size, B/op what encoding it allocates. At 1M nodes
// there are more labels than an enum holds (a string label field).
func BenchmarkFrameEncode(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		fg, err := DecodeFlameGraph(benchStream(b, n), false)
		if err != nil {
			b.Fatal(err)
		}
		frames := data.Frames{fg.Frame("profile", "ns")}
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				encoded, err := frames.MarshalArrow()
				if err != nil {
					b.Fatal(err)
				}
				size = len(encoded[0])
			}
			b.ReportMetric(float64(size)/float64(n), "wire-B/node")
		})
	}
}
