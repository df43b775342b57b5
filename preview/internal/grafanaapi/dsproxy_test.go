package grafanaapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spanflame/spanflame/preview/internal/store"
)

func TestDataSourceProxyForwardsAsGrafanaDoes(t *testing.T) {
	var got *http.Request
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"traces":[]}`))
	}))
	defer upstream.Close()
	ts := newTestServerWith(t, &fakeBackend{},
		store.DataSource{ID: 3, UID: "spanflame-tempo", Name: "Tempo", Type: "tempo", URL: upstream.URL + "/tempo/"})

	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/datasources/proxy/uid/spanflame-tempo/api/search?q=%7B+resource.service.name+%3D+%22a%22+%7D&start=1&end=2", nil)
	req.Header.Set("Cookie", "grafana_session=secret")
	req.Header.Set("Authorization", "Bearer user-token")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || string(body) != `{"traces":[]}` {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	if got.URL.Path != "/tempo/api/search" || got.URL.Query().Get("q") != `{ resource.service.name = "a" }` || got.URL.Query().Get("end") != "2" {
		t.Errorf("upstream got %s", got.URL)
	}
	if got.Header.Get("Cookie") != "" || got.Header.Get("Authorization") != "" {
		t.Errorf("the browser's credentials reached the datasource: %v", got.Header)
	}
}

func TestDataSourceProxyFailures(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	ts := newTestServerWith(t, &fakeBackend{},
		store.DataSource{ID: 4, UID: "spanflame-jaeger", Name: "Jaeger", Type: "jaeger", URL: down.URL},
		store.DataSource{ID: 5, UID: "no-url", Name: "Empty", Type: "jaeger"})
	for path, want := range map[string]struct {
		status int
		text   string
	}{
		"/api/datasources/proxy/uid/nope/api/services":             {http.StatusNotFound, "Unable to find datasource"},
		"/api/datasources/proxy/uid/spanflame-jaeger/api/services": {http.StatusBadGateway, "spanflame-jaeger at " + down.URL + " did not answer"},
		"/api/datasources/proxy/uid/no-url/api/services":           {http.StatusBadGateway, "has no usable URL"},
	} {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want.status || !strings.Contains(string(body), want.text) {
			t.Errorf("%s: %d %s", path, res.StatusCode, body)
		}
	}
}

func TestDataSourcesListTheCoreTypesWithStandInFrontEnds(t *testing.T) {
	ts := newTestServerWith(t, &fakeBackend{},
		store.DataSource{ID: 2, UID: "spanflame-prometheus", Name: "Prometheus (RED metrics)", Type: "prometheus", URL: "http://p"},
		store.DataSource{ID: 3, UID: "spanflame-tempo", Name: "Tempo", Type: "tempo", URL: "http://t"},
		store.DataSource{ID: 4, UID: "spanflame-jaeger", Name: "Jaeger", Type: "jaeger", URL: "http://j"})
	res, err := http.Get(ts.URL + "/api/datasources")
	if err != nil {
		t.Fatal(err)
	}
	var list []listItemDTO
	_ = json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	types := map[string]string{}
	for _, ds := range list {
		types[ds.UID] = ds.Type + "/" + ds.TypeName
	}
	want := map[string]string{"parca": "spanflame-parca-datasource/Spanflame Parca", "spanflame-prometheus": "prometheus/Prometheus",
		"spanflame-tempo": "tempo/Tempo", "spanflame-jaeger": "jaeger/Jaeger"}
	for uid, typ := range want {
		if types[uid] != typ {
			t.Errorf("%s: %q, want %q (all: %v)", uid, types[uid], typ, types)
		}
	}
	// Boot data: core datasources carry Grafana's core module name, which the page maps to its stand-ins.
	res, err = http.Get(ts.URL + "/api/frontend/settings")
	if err != nil {
		t.Fatal(err)
	}
	var boot struct {
		Datasources map[string]struct {
			Meta struct {
				Module string `json:"module"`
			} `json:"meta"`
		} `json:"datasources"`
	}
	_ = json.NewDecoder(res.Body).Decode(&boot)
	res.Body.Close()
	if m := boot.Datasources["Tempo"].Meta.Module; m != "core:plugin/tempo" {
		t.Errorf("tempo module %q", m)
	}
	if m := boot.Datasources["Parca"].Meta.Module; !strings.HasSuffix(m, "/module.js") {
		t.Errorf("parca module %q", m)
	}
}
