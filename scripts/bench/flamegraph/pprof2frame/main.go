// Command pprof2frame turns real pprof CPU profiles into Grafana's flame graph data frame
// (fields level, value, self, label; one row per node, depth-first, root first), the same
// contract the Spanflame datasource returns, so the browser harness and benchmark draw real
// call trees rather than synthetic ones.
//
// Usage: pprof2frame [-group] -o out.json.gz profile1.pb.gz [profile2.pb.gz ...]
//
//	pprof2frame -o diff.json.gz baseline1.pb.gz ... -vs comparison1.pb.gz ...
//
// The second form writes a diff frame: value/self from the baseline, valueRight/selfRight from the
// comparison, as Grafana's diff flame graph expects.
//
// Nodes are keyed by function name (what Parca's flame graph shows by default). Children are
// sorted by name so the output is deterministic. With -group each input file gets its own
// top frame named after the file, as a fleet-wide profile groups by service.
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/google/pprof/profile"
)

type node struct {
	name     string
	total    [2]int64 // [baseline, comparison]
	self     [2]int64
	children map[string]*node
}

func (n *node) child(name string) *node {
	if n.children == nil {
		n.children = map[string]*node{}
	}
	c, ok := n.children[name]
	if !ok {
		c = &node{name: name}
		n.children[name] = c
	}
	return c
}

// valueIndex picks the sample value measured in time (cpu/nanoseconds), falling back to the last.
func valueIndex(p *profile.Profile) int {
	for i, st := range p.SampleType {
		if st.Unit == "nanoseconds" {
			return i
		}
	}
	return len(p.SampleType) - 1
}

func addProfile(root *node, p *profile.Profile, top string, side int) {
	vi := valueIndex(p)
	for _, s := range p.Sample {
		v := s.Value[vi]
		if v == 0 {
			continue
		}
		cur := root
		cur.total[side] += v
		if top != "" {
			cur = cur.child(top)
			cur.total[side] += v
		}
		// pprof stacks are leaf first; inlined frames are listed leaf first within a location.
		for li := len(s.Location) - 1; li >= 0; li-- {
			loc := s.Location[li]
			for ji := len(loc.Line) - 1; ji >= 0; ji-- {
				name := "?"
				if fn := loc.Line[ji].Function; fn != nil && fn.Name != "" {
					name = fn.Name
				} else if loc.Mapping != nil {
					name = fmt.Sprintf("[%s]", filepath.Base(loc.Mapping.File))
				}
				cur = cur.child(name)
				cur.total[side] += v
			}
		}
		cur.self[side] += v
	}
}

type frameJSON struct {
	Schema map[string]any `json:"schema"`
	Data   map[string]any `json:"data"`
}

func main() {
	out := flag.String("o", "profile.json.gz", "output file (gzip'd Grafana data frame JSON)")
	group := flag.Bool("group", false, "one top frame per input file")
	flag.Parse()

	root := &node{name: "total"}
	side, diff := 0, false
	for _, f := range flag.Args() {
		if f == "-vs" {
			side, diff = 1, true
			continue
		}
		fh, err := os.Open(f)
		if err != nil {
			log.Fatal(err)
		}
		p, err := profile.Parse(fh)
		fh.Close()
		if err != nil {
			log.Printf("skip %s: %v", f, err)
			continue
		}
		top := ""
		if *group {
			top = strings.TrimSuffix(strings.TrimSuffix(filepath.Base(f), ".gz"), ".pb")
		}
		addProfile(root, p, top, side)
	}

	var levels, values, selfs, valuesRight, selfsRight []int64
	var labels []int
	names := []string{}
	nameIdx := map[string]int{}
	var walk func(n *node, level int64)
	walk = func(n *node, level int64) {
		idx, ok := nameIdx[n.name]
		if !ok {
			idx = len(names)
			nameIdx[n.name] = idx
			names = append(names, n.name)
		}
		levels = append(levels, level)
		values = append(values, n.total[0])
		selfs = append(selfs, n.self[0])
		valuesRight = append(valuesRight, n.total[1])
		selfsRight = append(selfsRight, n.self[1])
		labels = append(labels, idx)
		keys := make([]string, 0, len(n.children))
		for k := range n.children {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walk(n.children[k], level+1)
		}
	}
	walk(root, 0)

	number := func(name string) map[string]any {
		return map[string]any{"name": name, "type": "number", "typeInfo": map[string]any{"frame": "int64"}, "config": map[string]any{"unit": "ns"}}
	}
	fields := []map[string]any{
		{"name": "level", "type": "number", "typeInfo": map[string]any{"frame": "int64"}},
		number("value"),
		number("self"),
		{"name": "label", "type": "enum", "typeInfo": map[string]any{"frame": "enum"}, "config": map[string]any{"type": map[string]any{"enum": map[string]any{"text": names}}}},
	}
	values2 := []any{levels, values, selfs, labels}
	if diff {
		fields = append(fields, number("valueRight"), number("selfRight"))
		values2 = append(values2, valuesRight, selfsRight)
	}
	frame := frameJSON{
		Schema: map[string]any{
			"name":   "response",
			"meta":   map[string]any{"preferredVisualisationType": "flamegraph"},
			"fields": fields,
		},
		Data: map[string]any{"values": values2},
	}
	fo, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(fo, gzip.BestCompression)
	if err := json.NewEncoder(zw).Encode(frame); err != nil {
		log.Fatal(err)
	}
	zw.Close()
	fo.Close()
	log.Printf("%s: %d nodes, %d distinct functions, total %v ns", *out, len(levels), len(names), root.total)
}
