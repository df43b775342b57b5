// Package selector parses the label selectors users type and builds the query strings Parca
// reads. Parca parses `<profile type>{matchers}` with Prometheus' metric-selector parser, so
// this package uses the same parser: what passes here passes there, and a selector that
// fails here fails with a message that points at the bad part instead of Parca's bare
// "failed to parse query". Values always go through strconv.Quote when a query is built, so
// a quote, backslash or newline in a label value can never end the string early and inject
// a matcher.
package selector

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// Label names with one value per request. Listing their values, grouping by them or splitting
// series by them costs as much as there are requests, so the backend never does it.
const (
	TraceIDLabel = "trace_id"
	SpanIDLabel  = "span_id"
)

// IsHighCardinality reports whether label has (about) one value per request.
func IsHighCardinality(label string) bool {
	return label == TraceIDLabel || label == SpanIDLabel
}

// Selector is a list of label matchers, ANDed together. The zero value selects everything.
type Selector struct {
	Matchers []*labels.Matcher
}

// placeholderName stands in for the profile type while parsing a bare selector: the parser
// wants a metric name or at least one non-empty matcher, and `{trace_id=""}` has neither.
const placeholderName = "spanflame_selector"

// Parse reads a selector such as `{service_name="checkout", job=~"shop.*"}`. Empty input and
// "{}" select everything; the braces may be left out.
func Parse(text string) (Selector, error) {
	trimmed := strings.TrimSpace(text)
	if trimmed == "" || trimmed == "{}" {
		return Selector{}, nil
	}
	body := trimmed
	if !strings.HasPrefix(body, "{") {
		if looksLikeProfileTypePrefix(body) {
			return Selector{}, fmt.Errorf("label selector %q starts with a name before '{': put the profile type in the profile type field and only {matchers} here", text)
		}
		body = "{" + body + "}"
	}
	parsed, err := parser.ParseMetricSelector(placeholderName + body)
	if err != nil {
		return Selector{}, describeParseError(trimmed, body, err)
	}
	sel := Selector{Matchers: make([]*labels.Matcher, 0, len(parsed))}
	for _, m := range parsed {
		if m == nil {
			continue
		}
		if m.Name == labels.MetricName {
			if m.Value == placeholderName {
				continue
			}
			return Selector{}, fmt.Errorf("label selector %q: %s is not a label; choose the profile type in the profile type field", text, labels.MetricName)
		}
		sel.Matchers = append(sel.Matchers, m)
	}
	return sel, nil
}

var leadingName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*\s*\{`)

func looksLikeProfileTypePrefix(s string) bool { return leadingName.MatchString(s) }

// describeParseError turns the parser's "1:17: parse error: ..." into a message that quotes
// the part of the user's text it points at.
func describeParseError(userText, parsedBody string, err error) error {
	var perrs parser.ParseErrors
	if !errors.As(err, &perrs) || len(perrs) == 0 {
		return fmt.Errorf("invalid label selector %q: %v", userText, err)
	}
	first := perrs[0]
	// Positions count from the start of placeholderName+parsedBody.
	start := int(first.PositionRange.Start) - len(placeholderName)
	end := int(first.PositionRange.End) - len(placeholderName)
	msg := first.Err.Error()
	if start < 0 || start > len(parsedBody) {
		return fmt.Errorf("invalid label selector %q: %s", userText, msg)
	}
	if end <= start || end > len(parsedBody) {
		end = min(len(parsedBody), start+20)
	}
	return fmt.Errorf("invalid label selector %q: %s (at %q, character %d)", userText, msg, parsedBody[start:end], start+1)
}

// With returns a copy of s with more matchers appended.
func (s Selector) With(more ...*labels.Matcher) Selector {
	out := Selector{Matchers: make([]*labels.Matcher, 0, len(s.Matchers)+len(more))}
	out.Matchers = append(out.Matchers, s.Matchers...)
	out.Matchers = append(out.Matchers, more...)
	return out
}

// Without returns a copy of s without the matchers on the named labels.
func (s Selector) Without(names ...string) Selector {
	out := Selector{Matchers: make([]*labels.Matcher, 0, len(s.Matchers))}
	for _, m := range s.Matchers {
		drop := false
		for _, n := range names {
			if m.Name == n {
				drop = true
				break
			}
		}
		if !drop {
			out.Matchers = append(out.Matchers, m)
		}
	}
	return out
}

// Has reports whether s has a matcher on the named label.
func (s Selector) Has(name string) bool {
	for _, m := range s.Matchers {
		if m.Name == name {
			return true
		}
	}
	return false
}

// String renders s as `{name="value",...}` with every value quoted and escaped.
func (s Selector) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, m := range s.Matchers {
		if i > 0 {
			b.WriteByte(',')
		}
		writeMatcher(&b, m)
	}
	b.WriteByte('}')
	return b.String()
}

// MatcherStrings renders each matcher on its own, the form Parca's Labels call takes.
func (s Selector) MatcherStrings() []string {
	out := make([]string, 0, len(s.Matchers))
	for _, m := range s.Matchers {
		var b strings.Builder
		writeMatcher(&b, m)
		out = append(out, b.String())
	}
	return out
}

var plainLabelName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

func writeMatcher(b *strings.Builder, m *labels.Matcher) {
	if plainLabelName.MatchString(m.Name) {
		b.WriteString(m.Name)
	} else {
		b.WriteString(strconv.Quote(m.Name))
	}
	b.WriteString(m.Type.String())
	b.WriteString(strconv.Quote(m.Value))
}

// Equal is the matcher name="value". It never fails: equality needs no regexp.
func Equal(name, value string) *labels.Matcher {
	return &labels.Matcher{Type: labels.MatchEqual, Name: name, Value: value}
}

// Regexp is the matcher name=~"pattern".
func Regexp(name, pattern string) (*labels.Matcher, error) {
	m, err := labels.NewMatcher(labels.MatchRegexp, name, pattern)
	if err != nil {
		return nil, fmt.Errorf("regular expression %q for label %s: %w", pattern, name, err)
	}
	return m, nil
}

// Query builds the string Parca's QueryRange, Query and merge requests take:
// `<profile type>{matchers}`.
func Query(profileType string, s Selector) string {
	return profileType + s.String()
}

// NotEqual is the matcher name!="value". Parca reads name!="" as "the label is set".
func NotEqual(name, value string) *labels.Matcher {
	return &labels.Matcher{Type: labels.MatchNotEqual, Name: name, Value: value}
}
