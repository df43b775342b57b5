package check

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var profiles = []string{"ebpf", "fallback"}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func loadRepoCompose(t *testing.T) *Compose {
	t.Helper()
	c, err := LoadCompose(filepath.Join(repoRoot(t), "docker-compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustLoadProvisioning(t *testing.T, dir string) *Provisioning {
	t.Helper()
	p, err := LoadProvisioning(dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func expectNone(t *testing.T, what string, problems []string) {
	t.Helper()
	for _, p := range problems {
		t.Errorf("%s: %s", what, p)
	}
}

// expectFound fails unless every wanted fragment appears in some problem.
func expectFound(t *testing.T, problems []string, wanted ...string) {
	t.Helper()
	all := strings.Join(problems, "\n")
	for _, w := range wanted {
		if !strings.Contains(all, w) {
			t.Errorf("no problem mentions %q; problems:\n%s", w, all)
		}
	}
}

func TestComposeImagesArePinned(t *testing.T) {
	expectNone(t, "docker-compose.yaml", UnpinnedImages(repoRoot(t), loadRepoCompose(t)))
}

func TestImageProblem(t *testing.T) {
	for ref, bad := range map[string]bool{
		"grafana/grafana:13.0.1": false, "ghcr.io/parca-dev/parca:v0.28.0": false, "localhost:5000/x:1": false,
		"busybox@sha256:" + strings.Repeat("a", 64): false,
		"grafana/grafana": true, "grafana/grafana:latest": true, "localhost:5000/x": true, "Bad Ref": true,
	} {
		if got := ImageProblem(ref) != ""; got != bad {
			t.Errorf("ImageProblem(%q) = %q, want a problem: %v", ref, ImageProblem(ref), bad)
		}
	}
}

func TestComposeProfilesAgree(t *testing.T) {
	c := loadRepoCompose(t)
	expectNone(t, "docker-compose.yaml", ProfileProblems(c, profiles))
	// Each profile has exactly one source of CPU profiles with trace labels.
	for _, p := range profiles {
		active := c.Active(p)
		sources := 0
		for _, s := range []string{"parca-agent", "cpu-relay"} {
			if slices.Contains(active, s) {
				sources++
			}
		}
		if sources != 1 {
			t.Errorf("profile %s runs %d of parca-agent and cpu-relay, want exactly one", p, sources)
		}
	}
}

func TestProfileProblemsCatchDrift(t *testing.T) {
	dir := writeFiles(t, map[string]string{"compose.yaml": `
services:
  grafana: { image: grafana/grafana:13.0.1, ports: ['3000:3000'], environment: { SPANFLAME_TEMPO_URL: 'http://tempo:3200' } }
  tempo: { image: grafana/tempo:2.9.0, profiles: [a] }
  web: { image: x/web:1, profiles: [a], ports: ['8080:8080'], command: ['-load-rps=10'] }
  web-b: { image: x/web:1, profiles: [b], ports: ['8081:8080'], command: ['-load-rps=5'], networks: { default: { aliases: [web] } } }
  relay: { image: x/relay:1, profiles: [b], command: ['-parca=parca:7070'], depends_on: [tempo] }
  config: { image: busybox:1.37.0, environment: { A_TARGETS: '"web:8080", "gone:1"' } }
`})
	c, err := LoadCompose(filepath.Join(dir, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	expectFound(t, ProfileProblems(c, []string{"a", "b"}),
		"publish different host ports",
		`profile b: service grafana refers to host "tempo"`,
		`service relay refers to host "parca"`,
		"service relay depends on tempo",
		`host "web" runs differently`,
		"A_TARGETS",
	)
}

func TestProvisionedUIDsExist(t *testing.T) {
	repo := repoRoot(t)
	p := mustLoadProvisioning(t, filepath.Join(repo, "provisioning"))
	appUIDs, err := AppUIDs(repo)
	if err != nil {
		t.Fatal(err)
	}
	if len(appUIDs) == 0 || len(p.References) == 0 {
		t.Fatalf("nothing to check: %d uids in the app's contract, %d references in provisioning", len(appUIDs), len(p.References))
	}
	expectNone(t, "provisioning", p.UIDProblems(appUIDs...))
}

func TestUIDProblemsCatchUnknownUIDs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"provisioning/datasources/ds.yaml": `
datasources:
  - { name: P, uid: p, type: prometheus }
  - { name: NoUID, type: tempo, correlations: [{ label: L, type: query, targetUID: missing-target }] }
`,
		"provisioning/plugins/app.yaml":         "apps:\n  - { type: x-app, jsonData: { prometheusDatasourceUid: p, parcaDatasourceUid: missing-app } }\n",
		"provisioning/dashboards/d.json":        `{"panels":[{"datasource":{"uid":"missing-dash"},"targets":[{"datasource":{"uid":"${ds}"}}]}]}`,
		"provisioning/alerting/rules.yaml":      "groups:\n  - rules:\n      - data: [{ datasourceUid: missing-alert }, { datasourceUid: __expr__ }]\n",
		"provisioning/dashboards/provider.yaml": "apiVersion: 1\n",
	})
	p := mustLoadProvisioning(t, filepath.Join(dir, "provisioning"))
	problems := p.UIDProblems(Reference{"missing-contract", "appSettings.ts"})
	expectFound(t, problems, `"NoUID" has no fixed uid`, "missing-target", "missing-app", "missing-dash", "missing-alert", "missing-contract")
	if strings.Contains(strings.Join(problems, "\n"), "${ds}") || strings.Contains(strings.Join(problems, "\n"), "__expr__") {
		t.Errorf("template variables and expressions are not datasources: %v", problems)
	}
}

func TestTraceDatasourcesLinkToTheSpanPage(t *testing.T) {
	repo := repoRoot(t)
	p := mustLoadProvisioning(t, filepath.Join(repo, "provisioning"))
	appID, err := AppID(repo)
	if err != nil {
		t.Fatal(err)
	}
	params, err := SpanPageParams(repo)
	if err != nil {
		t.Fatal(err)
	}
	expectNone(t, "provisioning", p.SpanLinkProblems("/a/"+appID+"/span", params))
}

func TestSpanLinkProblemsCatchBadLinks(t *testing.T) {
	dir := writeFiles(t, map[string]string{"provisioning/datasources/ds.yaml": `
datasources:
  - name: T
    uid: t
    type: tempo
    correlations:
      - label: wrong page
        type: external
        config: { field: spanID, target: { url: '/a/x-app/trace?traceId=$${traceID}' } }
      - label: bad params
        type: external
        config: { field: spanId, target: { url: '/a/x-app/span?spanId=$${spanId}&color=red' } }
`})
	p := mustLoadProvisioning(t, filepath.Join(dir, "provisioning"))
	expectFound(t, p.SpanLinkProblems("/a/x-app/span", map[string]bool{"traceId": true, "spanId": true}),
		`url path "/a/x-app/trace"`, `field "spanId" is not a trace frame field`, "url has no traceId",
		`no parameter "color"`, "${spanId}")
}

func TestTempoConfigUsesDocumentedKeys(t *testing.T) {
	repo := repoRoot(t)
	unknown, err := UndocumentedKeys(filepath.Join(repo, "deploy", "compose", "tempo.yaml"), "testdata/tempo-documented-keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range unknown {
		t.Errorf("deploy/compose/tempo.yaml: %s is not in Tempo's documented configuration", k)
	}
	// The check itself: a misspelt key is caught, a receiver's own settings are not judged.
	dir := writeFiles(t, map[string]string{"tempo.yaml": "server: { http_listen_prot: 3200 }\ndistributor: { receivers: { otlp: { anything: 1 } } }\n"})
	unknown, err = UndocumentedKeys(filepath.Join(dir, "tempo.yaml"), "testdata/tempo-documented-keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(unknown, []string{"server.http_listen_prot"}) {
		t.Errorf("undocumented keys = %v, want [server.http_listen_prot]", unknown)
	}
}

func TestBeylaRoutesAreTheDemoRoutes(t *testing.T) {
	repo := repoRoot(t)
	routes, err := DemoRoutes(repo)
	if err != nil {
		t.Fatal(err)
	}
	beyla, err := yamlFile(filepath.Join(repo, "deploy", "compose", "beyla.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, p := range beyla["routes"].(map[string]any)["patterns"].([]any) {
		patterns = append(patterns, p.(string))
	}
	set := map[string]bool{}
	for _, p := range patterns {
		set[p] = true
	}
	if got := sortedKeys(set); !reflect.DeepEqual(got, routes) {
		t.Errorf("deploy/compose/beyla.yaml routes.patterns = %v, the demo serves %v: Beyla would name spans and http_route by raw paths", got, routes)
	}
}

// The compose stack's Parca and Prometheus configs are rendered from the same templates as the
// local stack's, with the config service's values: render them here and let the real programs
// judge them (promtool; Parca reads its config before anything else and exits on errors).
func TestComposeConfigsLoadInPrometheusAndParca(t *testing.T) {
	repo := repoRoot(t)
	env := StringEnv(loadRepoCompose(t).Services["config"])
	dir := t.TempDir()
	// Everything as compose renders it, except where Parca keeps data during this check.
	env["PARCA_STORAGE_DIR"] = filepath.Join(dir, "parca-data")
	for _, tmpl := range []string{"parca.yaml.tmpl", "prometheus.yml.tmpl"} {
		if err := Render(repo, tmpl, filepath.Join(dir, strings.TrimSuffix(tmpl, ".tmpl")), env); err != nil {
			t.Fatal(err)
		}
	}

	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatal("promtool is not on PATH: scripts/setup.sh installs it (Debian package prometheus)")
	}
	if out, err := exec.Command(promtool, "check", "config", filepath.Join(dir, "prometheus.yml")).CombinedOutput(); err != nil {
		t.Errorf("promtool check config: %v\n%s", err, out)
	}

	parca := filepath.Join(repo, ".cache", "bin", "parca")
	if _, err := os.Stat(parca); err != nil {
		t.Fatalf("%s is missing: run scripts/stack.sh install (scripts/setup.sh does)", parca)
	}
	if err := parcaAccepts(parca, filepath.Join(dir, "parca.yaml"), dir); err != nil {
		t.Errorf("Parca refuses the compose stack's config: %v", err)
	}
}

// parcaAccepts starts Parca on the config until it starts its server (the config loaded) or
// exits (it did not); Parca then stops.
func parcaAccepts(parca, config, dir string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, parca, "--config-path="+config, "--http-address=127.0.0.1:0",
		"--storage-path="+filepath.Join(dir, "parca-data"), "--debuginfod-upstream-servers=",
		"--profile-share-server=127.0.0.1:1", "--otlp-address=", "--debuginfo-cache-dir="+filepath.Join(dir, "cache"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	sc := bufio.NewScanner(stderr)
	var lastError string
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "level=error") {
			lastError = line
		}
		if strings.Contains(line, `msg="starting server"`) {
			return nil
		}
	}
	if lastError == "" {
		lastError = "it exited or timed out before starting its server"
	}
	return &parcaError{lastError}
}

type parcaError struct{ line string }

func (e *parcaError) Error() string { return e.line }

func TestParcaCheckRejectsABadConfig(t *testing.T) {
	parca := filepath.Join(repoRoot(t), ".cache", "bin", "parca")
	if _, err := os.Stat(parca); err != nil {
		t.Fatalf("%s is missing: run scripts/stack.sh install (scripts/setup.sh does)", parca)
	}
	dir := writeFiles(t, map[string]string{"parca.yaml": "scrape_configs:\n  - job_name: x\n    scrape_interval: soon\n"})
	err := parcaAccepts(parca, filepath.Join(dir, "parca.yaml"), dir)
	if err == nil || !strings.Contains(err.Error(), "not a valid duration") {
		t.Errorf("parcaAccepts on a bad config = %v, want Parca's own complaint about the duration", err)
	}
}
