// Package check tests the deployment files that no program here can run: the compose stack
// (docker-compose.yaml, deploy/compose/), the configs it shares with the local stack
// (deploy/config/) and Grafana's provisioning (provisioning/). Docker cannot run on the machines
// that develop Spanflame, so these checks read the files and fail on what would break in a real
// Docker engine or Grafana: unknown datasource uids, unpinned images, profiles that disagree.
package check

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Compose is the part of a compose file these checks read.
type Compose struct {
	Services map[string]Service `yaml:"services"`
}

// Service is one compose service. Fields that may be a list or a map in compose's syntax are
// decoded from both forms.
type Service struct {
	Image       string         `yaml:"image"`
	Build       *Build         `yaml:"build"`
	Profiles    []string       `yaml:"profiles"`
	Command     []string       `yaml:"command"`
	Ports       []string       `yaml:"ports"`
	Environment map[string]any `yaml:"environment"`
	Networks    map[string]struct {
		Aliases []string `yaml:"aliases"`
	} `yaml:"networks"`
	DependsOn dependsOn `yaml:"depends_on"`
}

// Build is a service's image build.
type Build struct {
	Context    string `yaml:"context"`
	Dockerfile string `yaml:"dockerfile"`
}

// dependsOn reads depends_on in both its list and its map form.
type dependsOn []string

func (d *dependsOn) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.SequenceNode:
		var names []string
		if err := n.Decode(&names); err != nil {
			return err
		}
		*d = names
	case yaml.MappingNode:
		for i := 0; i < len(n.Content); i += 2 {
			*d = append(*d, n.Content[i].Value)
		}
	default:
		return fmt.Errorf("line %d: depends_on must be a list or a map", n.Line)
	}
	return nil
}

// LoadCompose reads a compose file.
func LoadCompose(path string) (*Compose, error) {
	var c Compose
	if err := loadYAML(path, &c); err != nil {
		return nil, err
	}
	if len(c.Services) == 0 {
		return nil, fmt.Errorf("%s defines no services", path)
	}
	return &c, nil
}

func loadYAML(path string, into any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// Active lists the services that run under a profile (those without profiles run always).
func (c *Compose) Active(profile string) []string {
	var names []string
	for name, s := range c.Services {
		if len(s.Profiles) == 0 || slices.Contains(s.Profiles, profile) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// HostNames are the names other containers reach a profile's services by: service names and
// network aliases.
func (c *Compose) HostNames(profile string) map[string]bool {
	names := map[string]bool{}
	for _, name := range c.Active(profile) {
		names[name] = true
		for _, n := range c.Services[name].Networks {
			for _, alias := range n.Aliases {
				names[alias] = true
			}
		}
	}
	return names
}

// PublishedPorts are a profile's ports on the host, each with the service that publishes it.
func (c *Compose) PublishedPorts(profile string) map[string]string {
	ports := map[string]string{}
	for _, name := range c.Active(profile) {
		for _, p := range c.Services[name].Ports {
			host, _, _ := strings.Cut(p, ":")
			ports[host] = name
		}
	}
	return ports
}

var imageRef = regexp.MustCompile(`^[a-z0-9][A-Za-z0-9._/:-]*(@sha256:[a-f0-9]{64})?$`)

// ImageProblem says what is wrong with an image reference, or "" when it is pinned: a tag
// other than latest, or a digest.
func ImageProblem(ref string) string {
	if !imageRef.MatchString(ref) {
		return fmt.Sprintf("%q is not an image reference", ref)
	}
	if strings.Contains(ref, "@sha256:") {
		return ""
	}
	name := ref[strings.LastIndex(ref, "/")+1:]
	_, tag, ok := strings.Cut(name, ":")
	switch {
	case !ok:
		return fmt.Sprintf("%q has no tag: pin a version (name:1.2.3)", ref)
	case tag == "latest":
		return fmt.Sprintf("%q uses the moving tag latest: pin a version", ref)
	}
	return ""
}

// UnpinnedImages lists every image a compose file pulls without a pinned version: services'
// images and the FROM lines of the Dockerfiles it builds.
func UnpinnedImages(repo string, c *Compose) []string {
	var problems []string
	for _, name := range sortedKeys(c.Services) {
		s := c.Services[name]
		if s.Image != "" {
			if p := ImageProblem(s.Image); p != "" {
				problems = append(problems, fmt.Sprintf("service %s: image %s", name, p))
			}
		}
		if s.Build == nil {
			continue
		}
		dockerfile := s.Build.Dockerfile
		if dockerfile == "" {
			dockerfile = filepath.Join(s.Build.Context, "Dockerfile")
		}
		froms, err := dockerfileBases(filepath.Join(repo, dockerfile))
		if err != nil {
			problems = append(problems, fmt.Sprintf("service %s: %v", name, err))
		}
		for _, ref := range froms {
			if p := ImageProblem(ref); p != "" {
				problems = append(problems, fmt.Sprintf("service %s: %s: FROM %s", name, dockerfile, p))
			}
		}
	}
	return problems
}

// dockerfileBases lists the images a Dockerfile's FROM lines pull (not its own earlier stages).
func dockerfileBases(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var bases []string
	stages := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || !strings.EqualFold(f[0], "FROM") {
			continue
		}
		if !stages[f[1]] {
			bases = append(bases, f[1])
		}
		if len(f) >= 4 && strings.EqualFold(f[2], "AS") {
			stages[f[3]] = true
		}
	}
	return bases, nil
}

// hostOf returns the host of "http://host:port/...", "host:port" or "name=host:port".
func hostOf(s string) string {
	if _, after, ok := strings.Cut(s, "="); ok {
		s = after
	}
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		return u.Hostname()
	}
	host, _, _ := strings.Cut(strings.Trim(s, `"' `), ":")
	return host
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
