package check

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
)

// ProfileProblems compares the compose profiles (each runs the common services plus its own):
// they must publish the same host ports, every host name a running service refers to must exist
// in every profile that runs it, services reached by the same name must run the same program the
// same way, and each "*_TARGETS" list of the config service must either resolve entirely or not
// at all, with at least one list resolving per profile.
func ProfileProblems(c *Compose, profiles []string) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	first := c.PublishedPorts(profiles[0])
	for _, p := range profiles[1:] {
		if other := c.PublishedPorts(p); !reflect.DeepEqual(keySet(first), keySet(other)) {
			add("profiles %s and %s publish different host ports: %v vs %v", profiles[0], p, sortedKeys(first), sortedKeys(other))
		}
	}

	for _, p := range profiles {
		names := c.HostNames(p)
		for _, svc := range c.Active(p) {
			for _, ref := range referencedHosts(c.Services[svc]) {
				if !names[ref.host] {
					add("profile %s: service %s refers to host %q (%s), which no service of that profile provides", p, svc, ref.host, ref.where)
				}
			}
			for _, dep := range c.Services[svc].DependsOn {
				if !names[dep] || !slices.Contains(c.Active(p), dep) {
					add("profile %s: service %s depends on %s, which does not run in that profile", p, svc, dep)
				}
			}
		}
		problems = append(problems, targetListProblems(c, p, names)...)
	}

	// A host name every profile provides must be served by the same program in each.
	for _, name := range sortedKeys(c.HostNames(profiles[0])) {
		var serving []Service
		for _, p := range profiles {
			s, ok := c.serviceFor(p, name)
			if !ok {
				continue
			}
			serving = append(serving, s)
		}
		for i := 1; i < len(serving); i++ {
			a, b := serving[0], serving[i]
			if !reflect.DeepEqual(a.Command, b.Command) || a.Image != b.Image || !reflect.DeepEqual(a.Build, b.Build) || !reflect.DeepEqual(a.Ports, b.Ports) {
				add("host %q runs differently in the profiles (image, build, command or ports differ)", name)
			}
		}
	}
	return problems
}

// serviceFor finds the service of a profile that answers to a host name.
func (c *Compose) serviceFor(profile, host string) (Service, bool) {
	for _, name := range c.Active(profile) {
		s := c.Services[name]
		if name == host {
			return s, true
		}
		for _, n := range s.Networks {
			if slices.Contains(n.Aliases, host) {
				return s, true
			}
		}
	}
	return Service{}, false
}

type hostRef struct{ host, where string }

var hostArg = regexp.MustCompile(`^-{1,2}(downstream|parca|target|remote-store-address)=(.+)$`)

// referencedHosts are the hosts a service's command line and URL-valued environment name.
// Hosts under .invalid are deliberate placeholders for what a stack does not run.
func referencedHosts(s Service) []hostRef {
	var refs []hostRef
	for _, arg := range s.Command {
		if m := hostArg.FindStringSubmatch(arg); m != nil {
			refs = append(refs, hostRef{hostOf(m[2]), "argument " + arg})
		}
	}
	for _, key := range sortedKeys(s.Environment) {
		v := fmt.Sprint(s.Environment[key])
		if strings.HasSuffix(key, "_ADDR") || strings.HasPrefix(v, "http://") {
			refs = append(refs, hostRef{hostOf(v), "environment " + key})
		}
	}
	var kept []hostRef
	for _, r := range refs {
		if !strings.HasSuffix(r.host, ".invalid") {
			kept = append(kept, r)
		}
	}
	return kept
}

// targetListProblems checks the "*_TARGETS" environment lists ("host:port", ...) of the active
// services: each resolves entirely or not at all, and one of them at least resolves.
func targetListProblems(c *Compose, profile string, names map[string]bool) []string {
	var problems []string
	for _, svc := range c.Active(profile) {
		env := c.Services[svc].Environment
		lists, resolving := 0, 0
		for _, key := range sortedKeys(env) {
			if !strings.HasSuffix(key, "_TARGETS") {
				continue
			}
			lists++
			var found, missing []string
			for _, t := range strings.Split(fmt.Sprint(env[key]), ",") {
				if t = strings.TrimSpace(t); t == "" {
					continue
				}
				if names[hostOf(t)] {
					found = append(found, t)
				} else {
					missing = append(missing, t)
				}
			}
			switch {
			case len(found) > 0 && len(missing) > 0:
				problems = append(problems, fmt.Sprintf("profile %s: service %s %s: %v resolve but %v do not", profile, svc, key, found, missing))
			case len(found) > 0:
				resolving++
			}
		}
		if lists > 0 && resolving == 0 {
			problems = append(problems, fmt.Sprintf("profile %s: none of service %s's *_TARGETS lists resolves: that profile scrapes nothing", profile, svc))
		}
	}
	return problems
}

func keySet[V any](m map[string]V) map[string]bool {
	set := map[string]bool{}
	for k := range m {
		set[k] = true
	}
	return set
}
