package tempostandin

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The TraceQL this stand-in understands: the queries Spanflame sends, nothing more.
//
//	query     = "{" [ condition { "&&" condition } ] "}" [ "|" "select" "(" field { "," field } ")" ]
//	condition = field op value
//	field     = "resource.service.name" | "name" | "kind" | "status" | "duration"
//	          | "span." attribute | "resource." attribute | "." attribute
//	op        = "=" | "!=" | ">" | ">=" | "<" | "<="
//	value     = string ("..." with \" \\ \n \t escapes) | duration (100ms, 1.5s, 250us, 10ns, 2m, 1h)
//	          | number | true | false | kind (server, client, internal, producer, consumer, unspecified)
//	          | status (ok, error, unset)
//
// Rules: the query must name one service (resource.service.name = "..."), because Jaeger underneath
// searches by service; duration compares with a duration; kind and status with = or != only.
// Anything else is answered with 400 and a sentence saying what is not supported.

type condition struct {
	field string // canonical: "resource.service.name", "name", "kind", "status", "duration", "span.x", "resource.x", ".x"
	op    string
	value value
}

type value struct {
	str      *string
	num      *float64
	boolean  *bool
	duration *time.Duration
	enum     string // kind or status keyword
}

// query is a parsed search.
type query struct {
	conditions []condition
	selects    []string
	service    string
}

var kindKeywords = map[string]int{"unspecified": 0, "internal": 1, "server": 2, "client": 3, "producer": 4, "consumer": 5}
var statusKeywords = map[string]int{"unset": 0, "ok": 1, "error": 2}

type lexer struct {
	src string
	pos int
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.src) && unicode.IsSpace(rune(l.src[l.pos])) {
		l.pos++
	}
}

func (l *lexer) peek(s string) bool {
	l.skipSpace()
	return strings.HasPrefix(l.src[l.pos:], s)
}

func (l *lexer) accept(s string) bool {
	if l.peek(s) {
		l.pos += len(s)
		return true
	}
	return false
}

func (l *lexer) expect(s string) error {
	if !l.accept(s) {
		return l.errorf("expected %q", s)
	}
	return nil
}

func (l *lexer) errorf(format string, args ...any) error {
	return fmt.Errorf("TraceQL at character %d: %s", l.pos+1, fmt.Sprintf(format, args...))
}

func isWordChar(c byte) bool {
	return c == '.' || c == '_' || c == '-' || c == '/' || unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))
}

func (l *lexer) word() string {
	l.skipSpace()
	start := l.pos
	for l.pos < len(l.src) && isWordChar(l.src[l.pos]) {
		l.pos++
	}
	return l.src[start:l.pos]
}

func (l *lexer) stringLiteral() (string, error) {
	if err := l.expect(`"`); err != nil {
		return "", err
	}
	var b strings.Builder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		l.pos++
		switch c {
		case '"':
			return b.String(), nil
		case '\\':
			if l.pos >= len(l.src) {
				return "", l.errorf("string ends inside an escape")
			}
			e := l.src[l.pos]
			l.pos++
			switch e {
			case '"', '\\':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				return "", l.errorf(`unknown escape \%c in a string (use \" \\ \n or \t)`, e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", l.errorf("string is not closed with \"")
}

var operators = []string{"!=", ">=", "<=", "=~", "!~", "=", ">", "<"}

// parseQuery reads the TraceQL subset above.
func parseQuery(src string) (*query, error) {
	l := &lexer{src: src}
	q := &query{}
	if err := l.expect("{"); err != nil {
		return nil, fmt.Errorf("%w: a query is one spanset filter such as { resource.service.name = \"checkout\" && kind = server }", err)
	}
	if !l.accept("}") {
		for {
			c, err := parseCondition(l)
			if err != nil {
				return nil, err
			}
			q.conditions = append(q.conditions, c)
			if l.accept("}") {
				break
			}
			if l.peek("||") {
				return nil, l.errorf("|| is not supported by this Tempo stand-in: join conditions with &&")
			}
			if err := l.expect("&&"); err != nil {
				return nil, err
			}
		}
	}
	if l.accept("|") {
		if w := l.word(); w != "select" {
			return nil, l.errorf("only \"| select(...)\" may follow the spanset filter in this Tempo stand-in, not %q", w)
		}
		if err := l.expect("("); err != nil {
			return nil, err
		}
		for {
			f, err := parseField(l)
			if err != nil {
				return nil, err
			}
			q.selects = append(q.selects, f)
			if l.accept(")") {
				break
			}
			if err := l.expect(","); err != nil {
				return nil, err
			}
		}
	}
	l.skipSpace()
	if l.pos != len(l.src) {
		return nil, l.errorf("unexpected %q after the query", l.src[l.pos:])
	}
	for _, c := range q.conditions {
		if c.field == "resource.service.name" && c.op == "=" && c.value.str != nil {
			if q.service != "" && q.service != *c.value.str {
				return nil, fmt.Errorf("TraceQL: two different services in one query (%q and %q) match nothing", q.service, *c.value.str)
			}
			q.service = *c.value.str
		}
	}
	if q.service == "" {
		return nil, fmt.Errorf(`TraceQL: this Tempo stand-in needs resource.service.name = "<service>" in the query, because the Jaeger it reads from searches by service`)
	}
	return q, nil
}

func parseField(l *lexer) (string, error) {
	w := l.word()
	switch {
	case w == "resource.service.name", w == "name", w == "kind", w == "status", w == "duration":
		return w, nil
	case strings.HasPrefix(w, "span.") && len(w) > 5, strings.HasPrefix(w, "resource.") && len(w) > 9, strings.HasPrefix(w, ".") && len(w) > 1:
		return w, nil
	case w == "":
		return "", l.errorf("expected a field such as name, kind, status, duration, resource.service.name or span.<attribute>")
	default:
		return "", l.errorf("field %q is not supported by this Tempo stand-in (use name, kind, status, duration, resource.service.name, span.<attribute> or resource.<attribute>)", w)
	}
}

func parseCondition(l *lexer) (condition, error) {
	field, err := parseField(l)
	if err != nil {
		return condition{}, err
	}
	l.skipSpace()
	op := ""
	for _, o := range operators {
		if l.accept(o) {
			op = o
			break
		}
	}
	switch op {
	case "":
		return condition{}, l.errorf("expected an operator (= != > >= < <=) after %s", field)
	case "=~", "!~":
		return condition{}, l.errorf("regular expressions (%s) are not supported by this Tempo stand-in", op)
	}
	v, err := parseValue(l, field)
	if err != nil {
		return condition{}, err
	}
	c := condition{field: field, op: op, value: v}
	return c, checkCondition(l, c)
}

func parseValue(l *lexer, field string) (value, error) {
	if l.peek(`"`) {
		s, err := l.stringLiteral()
		return value{str: &s}, err
	}
	w := l.word()
	switch {
	case w == "":
		return value{}, l.errorf("expected a value after the operator of %s", field)
	case w == "true" || w == "false":
		b := w == "true"
		return value{boolean: &b}, nil
	case field == "kind":
		if _, ok := kindKeywords[w]; !ok {
			return value{}, l.errorf("kind must be one of server, client, internal, producer, consumer, unspecified; got %q", w)
		}
		return value{enum: w}, nil
	case field == "status":
		if _, ok := statusKeywords[w]; !ok {
			return value{}, l.errorf("status must be one of ok, error, unset; got %q", w)
		}
		return value{enum: w}, nil
	}
	if n, err := strconv.ParseFloat(w, 64); err == nil {
		return value{num: &n}, nil
	}
	if d, err := time.ParseDuration(w); err == nil {
		return value{duration: &d}, nil
	}
	return value{}, l.errorf("%q is not a value this Tempo stand-in understands (a quoted string, a number, a duration such as 100ms, true or false)", w)
}

func checkCondition(l *lexer, c condition) error {
	equality := c.op == "=" || c.op == "!="
	switch c.field {
	case "duration":
		if c.value.duration == nil {
			return l.errorf("duration must be compared with a duration such as 100ms or 1.5s")
		}
	case "kind", "status":
		if !equality {
			return l.errorf("%s can only be compared with = or !=", c.field)
		}
	case "name", "resource.service.name":
		if !equality || c.value.str == nil {
			return l.errorf("%s can only be compared with = or != and a quoted string", c.field)
		}
	default:
		if c.value.duration != nil || c.value.enum != "" {
			return l.errorf("%s must be compared with a quoted string, a number, true or false", c.field)
		}
		if !equality && c.value.num == nil {
			return l.errorf("%s: only numbers can be compared with %s", c.field, c.op)
		}
	}
	return nil
}

// nameEquals is the span name the query asks for, when it asks for exactly one.
func (q *query) nameEquals() string {
	for _, c := range q.conditions {
		if c.field == "name" && c.op == "=" {
			return *c.value.str
		}
	}
	return ""
}

// minDuration is the strictest lower bound on duration, for narrowing the Jaeger search.
func (q *query) minDuration() time.Duration {
	var d time.Duration
	for _, c := range q.conditions {
		if c.field == "duration" && (c.op == ">" || c.op == ">=" || c.op == "=") && *c.value.duration > d {
			d = *c.value.duration
		}
	}
	return d
}

// matches reports whether a span satisfies every condition.
func (q *query) matches(s spanRef) bool {
	for _, c := range q.conditions {
		if !c.matches(s) {
			return false
		}
	}
	return true
}

func (c condition) matches(s spanRef) bool {
	switch c.field {
	case "resource.service.name":
		return compareEqual(c.op, s.service() == *c.value.str)
	case "name":
		return compareEqual(c.op, s.span.Name == *c.value.str)
	case "kind":
		return compareEqual(c.op, s.kind() == kindKeywords[c.value.enum])
	case "status":
		return compareEqual(c.op, s.status() == statusKeywords[c.value.enum])
	case "duration":
		return compareOrdered(c.op, float64(s.durationNanos()), float64(c.value.duration.Nanoseconds()))
	}
	raw, ok := lookupAttribute(s, c.field)
	if !ok {
		// TraceQL: a condition on a missing attribute is false, != included.
		return false
	}
	got := decodeScalar(raw)
	switch {
	case c.value.str != nil:
		return got.str != nil && compareEqual(c.op, *got.str == *c.value.str)
	case c.value.boolean != nil:
		return got.boolean != nil && compareEqual(c.op, *got.boolean == *c.value.boolean)
	case c.value.num != nil:
		return got.num != nil && compareOrdered(c.op, *got.num, *c.value.num)
	}
	return false
}

// lookupAttribute finds span.x on the span, resource.x on the resource, .x on either (span first).
func lookupAttribute(s spanRef, field string) (json.RawMessage, bool) {
	switch {
	case strings.HasPrefix(field, "span."):
		return attribute(s.span.Attributes, strings.TrimPrefix(field, "span."))
	case strings.HasPrefix(field, "resource."):
		return attribute(s.resource.Resource.Attributes, strings.TrimPrefix(field, "resource."))
	default:
		key := strings.TrimPrefix(field, ".")
		if v, ok := attribute(s.span.Attributes, key); ok {
			return v, true
		}
		return attribute(s.resource.Resource.Attributes, key)
	}
}

func compareEqual(op string, equal bool) bool {
	if op == "!=" {
		return !equal
	}
	return equal
}

func compareOrdered(op string, a, b float64) bool {
	switch op {
	case "=":
		return a == b
	case "!=":
		return a != b
	case ">":
		return a > b
	case ">=":
		return a >= b
	case "<":
		return a < b
	case "<=":
		return a <= b
	}
	return false
}
