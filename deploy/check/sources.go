package check

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The contracts other files define, read from their sources so the checks follow them.

// AppID is the app plugin's id (src/plugin.json).
func AppID(repo string) (string, error) {
	var plugin struct {
		ID string `json:"id"`
	}
	data, err := os.ReadFile(filepath.Join(repo, "src", "plugin.json"))
	if err == nil {
		err = json.Unmarshal(data, &plugin)
	}
	if err == nil && plugin.ID == "" {
		err = fmt.Errorf("src/plugin.json has no id")
	}
	return plugin.ID, err
}

// functionBody returns the text of `export function name(` up to the next top-level "}".
func functionBody(src, name string) (string, error) {
	start := strings.Index(src, "export function "+name+"(")
	if start < 0 {
		return "", fmt.Errorf("no function %s", name)
	}
	end := strings.Index(src[start:], "\n}")
	if end < 0 {
		return "", fmt.Errorf("function %s does not end", name)
	}
	return src[start : start+end], nil
}

// A value may be an expression of p (spanDuration is written only without spanEnd).
var paramKey = regexp.MustCompile(`(?m)^\s+(\w+): p\.\w+`)

// SpanPageParams are the query parameters spanUrl (src/shared/appUrls.ts) writes.
func SpanPageParams(repo string) (map[string]bool, error) {
	data, err := os.ReadFile(filepath.Join(repo, "src", "shared", "appUrls.ts"))
	if err != nil {
		return nil, err
	}
	body, err := functionBody(string(data), "spanUrl")
	if err != nil {
		return nil, fmt.Errorf("src/shared/appUrls.ts: %w", err)
	}
	params := map[string]bool{}
	for _, m := range paramKey.FindAllStringSubmatch(body, -1) {
		params[m[1]] = true
	}
	if !params["traceId"] {
		return nil, fmt.Errorf("src/shared/appUrls.ts: spanUrl writes no traceId (found %v)", sortedKeys(params))
	}
	return params, nil
}

var uidEntry = regexp.MustCompile(`(?m)^\s+(\w+): '([^']+)',?$`)

// AppUIDs are the datasource uids the app expects provisioning to give (PROVISIONED_UIDS in
// src/shared/appSettings.ts).
func AppUIDs(repo string) ([]Reference, error) {
	data, err := os.ReadFile(filepath.Join(repo, "src", "shared", "appSettings.ts"))
	if err != nil {
		return nil, err
	}
	src := string(data)
	start := strings.Index(src, "export const PROVISIONED_UIDS = {")
	if start < 0 {
		return nil, fmt.Errorf("src/shared/appSettings.ts has no PROVISIONED_UIDS")
	}
	block := src[start : start+strings.Index(src[start:], "}")]
	var refs []Reference
	for _, m := range uidEntry.FindAllStringSubmatch(block, -1) {
		refs = append(refs, Reference{m[2], "src/shared/appSettings.ts PROVISIONED_UIDS." + m[1]})
	}
	return refs, nil
}

var routePath = regexp.MustCompile(`Path:\s*"(/[^"]*)"`)

// DemoRoutes are the HTTP routes of the demo shop (demo/shop/internal/service/routes.go).
func DemoRoutes(repo string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(repo, "demo", "shop", "internal", "service", "routes.go"))
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, m := range routePath.FindAllStringSubmatch(string(data), -1) {
		set[m[1]] = true
	}
	return sortedKeys(set), nil
}

// KeyPaths flattens a YAML document into dotted key paths ("server.http_listen_port"); below a
// path listed in freeForm (maps whose keys are data, not settings) nothing is listed.
func KeyPaths(doc map[string]any, freeForm map[string]bool) []string {
	var paths []string
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			path := k
			if prefix != "" {
				path = prefix + "." + k
			}
			paths = append(paths, path)
			if child, ok := v.(map[string]any); ok && !freeForm[path] {
				walk(path, child)
			}
		}
	}
	walk("", doc)
	sort.Strings(paths)
	return paths
}

// DocumentedKeys reads a list of key paths, one a line; "#" starts a comment, "*" ends a
// free-form map.
func DocumentedKeys(path string) (keys, freeForm map[string]bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	keys, freeForm = map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if base, ok := strings.CutSuffix(line, ".*"); ok {
			freeForm[base] = true
			line = base
		}
		keys[line] = true
	}
	return keys, freeForm, sc.Err()
}

// UndocumentedKeys lists the key paths of a YAML file that are not in the documented list.
func UndocumentedKeys(configPath, documentedPath string) ([]string, error) {
	keys, freeForm, err := DocumentedKeys(documentedPath)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := loadYAML(configPath, &doc); err != nil {
		return nil, err
	}
	var unknown []string
	for _, p := range KeyPaths(doc, freeForm) {
		if !keys[p] {
			unknown = append(unknown, p)
		}
	}
	return unknown, nil
}

// Render fills a deploy/config template with render.sh, as both stacks do.
func Render(repo, template, out string, env map[string]string) error {
	cmd := exec.Command(filepath.Join(repo, "deploy", "config", "render.sh"), filepath.Join(repo, "deploy", "config", template), out)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for _, k := range sortedKeys(env) {
		cmd.Env = append(cmd.Env, k+"="+env[k])
	}
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("render.sh %s: %v: %s", template, err, output)
	}
	return nil
}

// StringEnv returns a service's environment as strings.
func StringEnv(s Service) map[string]string {
	env := map[string]string{}
	for k, v := range s.Environment {
		env[k] = fmt.Sprint(v)
	}
	return env
}

// yamlFile decodes any YAML file (for configs without a Go model here).
func yamlFile(path string) (map[string]any, error) {
	var doc map[string]any
	data, err := os.ReadFile(path)
	if err == nil {
		err = yaml.Unmarshal(data, &doc)
	}
	return doc, err
}
