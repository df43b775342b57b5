package plugin

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkPluginWorkOnRecordedAnswers is the plugin's own cost per query type: each recorded
// scenario runs through QueryData against a server that replays Parca's real answers from
// memory, so the time is the client, the Arrow decoding and the frame building, with no Parca
// time in it. Compare with the direct-ms figures of BenchmarkPluginOverhead (integration).
func BenchmarkPluginWorkOnRecordedAnswers(b *testing.B) {
	for _, sc := range scenarios {
		raw, err := os.ReadFile(filepath.Join(recordedDir, sc.name+".json"))
		if err != nil {
			b.Fatal(err)
		}
		var rec recording
		if err := json.Unmarshal(raw, &rec); err != nil {
			b.Fatal(err)
		}
		player := &replayer{}
		for _, call := range rec.Calls {
			var compact bytes.Buffer
			if err := json.Compact(&compact, call.Request); err != nil {
				b.Fatal(err)
			}
			call.Request = compact.Bytes()
			player.calls = append(player.calls, call)
		}
		srv := httptest.NewServer(player.handler())
		d := newBenchDatasource(b, srv.URL)
		b.Run(sc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				dr := runQuery(b, d, rec.QueryType, string(rec.Model), rec.From, rec.To, rec.Headers)
				if dr.Error != nil {
					b.Fatal(dr.Error)
				}
				if _, err := json.Marshal(dr); err != nil { // what the SDK does before answering Grafana
					b.Fatal(err)
				}
			}
		})
		srv.Close()
	}
}
