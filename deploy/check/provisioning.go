package check

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Datasource is a provisioned datasource (provisioning/datasources/*.yaml).
type Datasource struct {
	Name         string        `yaml:"name"`
	UID          string        `yaml:"uid"`
	Type         string        `yaml:"type"`
	Correlations []Correlation `yaml:"correlations"`
}

// Correlation is a Grafana 12+ correlation provisioned under its source datasource.
type Correlation struct {
	Label     string `yaml:"label"`
	Type      string `yaml:"type"`
	TargetUID string `yaml:"targetUID"`
	Config    struct {
		Field  string         `yaml:"field"`
		Target map[string]any `yaml:"target"`
	} `yaml:"config"`
}

// Provisioning is what Grafana would load from a provisioning folder.
type Provisioning struct {
	Datasources []Datasource
	// References are the datasource uids that something names, each with where it is named.
	References []Reference
}

// Reference is a datasource uid named by an app setting, a correlation, a dashboard or an alert rule.
type Reference struct{ UID, Where string }

// LoadProvisioning reads datasources, apps' jsonData, dashboards and alert rules under dir.
func LoadProvisioning(dir string) (*Provisioning, error) {
	p := &Provisioning{}
	files, _ := filepath.Glob(filepath.Join(dir, "datasources", "*.y*ml"))
	for _, f := range files {
		var doc struct {
			Datasources []Datasource `yaml:"datasources"`
		}
		if err := loadYAML(f, &doc); err != nil {
			return nil, err
		}
		p.Datasources = append(p.Datasources, doc.Datasources...)
		for _, ds := range doc.Datasources {
			for _, c := range ds.Correlations {
				if c.TargetUID != "" {
					p.References = append(p.References, Reference{c.TargetUID, fmt.Sprintf("%s: correlation %q of %s", rel(dir, f), c.Label, ds.UID)})
				}
			}
		}
	}
	files, _ = filepath.Glob(filepath.Join(dir, "plugins", "*.y*ml"))
	for _, f := range files {
		var doc struct {
			Apps []struct {
				Type     string         `yaml:"type"`
				JSONData map[string]any `yaml:"jsonData"`
			} `yaml:"apps"`
		}
		if err := loadYAML(f, &doc); err != nil {
			return nil, err
		}
		for _, app := range doc.Apps {
			for _, key := range sortedKeys(app.JSONData) {
				if strings.HasSuffix(key, "DatasourceUid") {
					p.References = append(p.References, Reference{fmt.Sprint(app.JSONData[key]), fmt.Sprintf("%s: %s setting %s", rel(dir, f), app.Type, key)})
				}
			}
		}
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch {
		case strings.Contains(path, string(filepath.Separator)+"dashboards"+string(filepath.Separator)) && strings.HasSuffix(path, ".json"):
			var doc any
			data, err := os.ReadFile(path)
			if err == nil {
				err = json.Unmarshal(data, &doc)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			walkDatasourceRefs(doc, func(uid string) { p.References = append(p.References, Reference{uid, rel(dir, path)}) })
		case strings.Contains(path, string(filepath.Separator)+"alerting"+string(filepath.Separator)) && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")):
			var doc any
			if err := loadYAML(path, &doc); err != nil {
				return err
			}
			walkDatasourceRefs(doc, func(uid string) { p.References = append(p.References, Reference{uid, rel(dir, path)}) })
		}
		return nil
	})
	return p, err
}

// walkDatasourceRefs calls found for every concrete datasource uid in a dashboard or alert rule:
// {"datasource": {"uid": ...}} and "datasourceUid": .... Template variables ("$ds", "${ds}") and
// Grafana's built-in sources (expressions, "-- Grafana --") are not provisioned datasources.
func walkDatasourceRefs(node any, found func(uid string)) {
	builtIn := func(uid string) bool {
		return uid == "" || strings.HasPrefix(uid, "$") || uid == "__expr__" || uid == "-100" || uid == "grafana" || strings.HasPrefix(uid, "-- ")
	}
	switch n := node.(type) {
	case map[string]any:
		for k, v := range n {
			switch {
			case k == "datasourceUid":
				if uid := fmt.Sprint(v); !builtIn(uid) {
					found(uid)
				}
			case k == "datasource":
				if ref, ok := v.(map[string]any); ok {
					if uid, ok := ref["uid"].(string); ok && !builtIn(uid) {
						found(uid)
					}
				}
			}
			walkDatasourceRefs(v, found)
		}
	case []any:
		for _, v := range n {
			walkDatasourceRefs(v, found)
		}
	}
}

// UIDProblems lists every reference to a uid no provisioned datasource has, and datasources
// without a fixed uid (links and dashboards could not name them).
func (p *Provisioning) UIDProblems(extra ...Reference) []string {
	uids := map[string]bool{}
	var problems []string
	for _, ds := range p.Datasources {
		if ds.UID == "" {
			problems = append(problems, fmt.Sprintf("datasource %q has no fixed uid", ds.Name))
		}
		if uids[ds.UID] {
			problems = append(problems, fmt.Sprintf("uid %q is provisioned twice", ds.UID))
		}
		uids[ds.UID] = true
	}
	refs := append(append([]Reference{}, p.References...), extra...)
	sort.Slice(refs, func(i, j int) bool { return refs[i].Where < refs[j].Where })
	for _, r := range refs {
		if !uids[r.UID] {
			problems = append(problems, fmt.Sprintf("%s names datasource uid %q, which is not provisioned", r.Where, r.UID))
		}
	}
	return problems
}

// traceFrameFields are the fields of Grafana's trace data frame, the variables a correlation on a
// Tempo or Jaeger datasource can use (Grafana docs, "Trace correlations").
var traceFrameFields = map[string]bool{
	"traceID": true, "spanID": true, "parentSpanID": true, "operationName": true, "serviceName": true,
	"serviceTags": true, "startTime": true, "duration": true, "logs": true, "references": true, "tags": true,
	"kind": true, "statusCode": true, "statusMessage": true, "instrumentationLibraryName": true,
}

var correlationVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_.]*)\}`)

// SpanLinkProblems checks the external correlations of trace datasources: each must open the app's
// span page with parameters that page reads, filled from trace frame fields. spanParams are the
// query parameters of the span page (spanUrl in src/shared/appUrls.ts).
func (p *Provisioning) SpanLinkProblems(spanPath string, spanParams map[string]bool) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	links := 0
	for _, ds := range p.Datasources {
		if ds.Type != "tempo" && ds.Type != "jaeger" {
			continue
		}
		for _, c := range ds.Correlations {
			if c.Type != "external" {
				continue
			}
			links++
			where := fmt.Sprintf("correlation %q of %s", c.Label, ds.UID)
			if !traceFrameFields[c.Config.Field] {
				add("%s: field %q is not a trace frame field", where, c.Config.Field)
			}
			// Provisioning turns "$$" into "$" before Grafana sees the URL.
			raw := strings.ReplaceAll(fmt.Sprint(c.Config.Target["url"]), "$$", "$")
			u, err := url.Parse(raw)
			if err != nil {
				add("%s: url %q: %v", where, raw, err)
				continue
			}
			if u.Path != spanPath {
				add("%s: url path %q is not the span page %q", where, u.Path, spanPath)
			}
			q := u.Query()
			if q.Get("traceId") == "" {
				add("%s: url has no traceId", where)
			}
			for key, values := range q {
				if !spanParams[key] {
					add("%s: the span page reads no parameter %q", where, key)
				}
				for _, v := range values {
					for _, m := range correlationVar.FindAllStringSubmatch(v, -1) {
						if !traceFrameFields[m[1]] {
							add("%s: parameter %s uses ${%s}, which is not a trace frame field", where, key, m[1])
						}
					}
				}
			}
		}
	}
	if links == 0 {
		add("no trace datasource has a correlation to the span page")
	}
	return problems
}

func rel(dir, path string) string {
	if r, err := filepath.Rel(filepath.Dir(dir), path); err == nil {
		return r
	}
	return path
}
