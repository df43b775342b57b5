package tempostandin

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// This file reads OTLP-JSON as Jaeger's /api/v3 writes it (hex ids, enums as numbers) and writes it
// as Tempo's /api/traces/{id} does (base64 ids, enums as names: Tempo marshals its protobuf trace
// with the standard protobuf JSON mapping). Attribute values are the same in both and pass through.

// keyValue is an OTLP attribute; the value stays raw JSON ({"stringValue": ...}, {"intValue": "3"}, ...).
type keyValue struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

// scalar is an attribute value reduced to what TraceQL conditions compare: a string, a number or a bool.
type scalar struct {
	str     *string
	num     *float64
	boolean *bool
}

func decodeScalar(raw json.RawMessage) scalar {
	var v struct {
		StringValue *string          `json:"stringValue"`
		IntValue    *json.RawMessage `json:"intValue"`
		DoubleValue *float64         `json:"doubleValue"`
		BoolValue   *bool            `json:"boolValue"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return scalar{}
	}
	switch {
	case v.StringValue != nil:
		return scalar{str: v.StringValue}
	case v.IntValue != nil:
		if n, err := strconv.ParseFloat(strings.Trim(string(*v.IntValue), `"`), 64); err == nil {
			return scalar{num: &n}
		}
	case v.DoubleValue != nil:
		return scalar{num: v.DoubleValue}
	case v.BoolValue != nil:
		return scalar{boolean: v.BoolValue}
	}
	return scalar{}
}

func attribute(attrs []keyValue, key string) (json.RawMessage, bool) {
	for _, a := range attrs {
		if a.Key == key {
			return a.Value, true
		}
	}
	return nil, false
}

// flexUint is a uint64 written as a JSON string (the protobuf JSON mapping) or a number.
type flexUint uint64

func (f *flexUint) UnmarshalJSON(b []byte) error {
	n, err := strconv.ParseUint(strings.Trim(string(b), `"`), 10, 64)
	if err != nil {
		return fmt.Errorf("not a whole number of nanoseconds: %s", b)
	}
	*f = flexUint(n)
	return nil
}

func (f flexUint) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatUint(uint64(f), 10) + `"`), nil
}

// Span kinds and status codes by their protobuf enum numbers.
var (
	kindNames   = []string{"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"}
	statusNames = []string{"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"}
)

// enum reads a protobuf enum written as its number or its name.
func enum(raw json.RawMessage, names []string) int {
	text := strings.Trim(string(raw), `"`)
	if n, err := strconv.Atoi(text); err == nil && n >= 0 && n < len(names) {
		return n
	}
	for i, name := range names {
		if name == text {
			return i
		}
	}
	return 0
}

type otlpStatus struct {
	Code    json.RawMessage `json:"code,omitempty"`
	Message string          `json:"message,omitempty"`
}

type otlpLink struct {
	TraceID    string     `json:"traceId"`
	SpanID     string     `json:"spanId"`
	TraceState string     `json:"traceState,omitempty"`
	Attributes []keyValue `json:"attributes,omitempty"`
}

type otlpSpan struct {
	TraceID           string            `json:"traceId"`
	SpanID            string            `json:"spanId"`
	TraceState        string            `json:"traceState,omitempty"`
	ParentSpanID      string            `json:"parentSpanId,omitempty"`
	Name              string            `json:"name"`
	Kind              json.RawMessage   `json:"kind,omitempty"`
	StartTimeUnixNano flexUint          `json:"startTimeUnixNano"`
	EndTimeUnixNano   flexUint          `json:"endTimeUnixNano"`
	Attributes        []keyValue        `json:"attributes,omitempty"`
	Events            []json.RawMessage `json:"events,omitempty"`
	Links             []otlpLink        `json:"links,omitempty"`
	Status            otlpStatus        `json:"status"`
}

type otlpScope struct {
	Name       string     `json:"name,omitempty"`
	Version    string     `json:"version,omitempty"`
	Attributes []keyValue `json:"attributes,omitempty"`
}

type otlpScopeSpans struct {
	Scope     otlpScope  `json:"scope"`
	Spans     []otlpSpan `json:"spans"`
	SchemaURL string     `json:"schemaUrl,omitempty"`
}

type otlpResource struct {
	Attributes []keyValue `json:"attributes"`
}

type otlpResourceSpans struct {
	Resource   otlpResource     `json:"resource"`
	ScopeSpans []otlpScopeSpans `json:"scopeSpans"`
	SchemaURL  string           `json:"schemaUrl,omitempty"`
}

// spanRef is one span with the resource it came from, for searching.
type spanRef struct {
	resource *otlpResourceSpans
	span     *otlpSpan
}

func (s spanRef) service() string {
	if raw, ok := attribute(s.resource.Resource.Attributes, "service.name"); ok {
		if v := decodeScalar(raw); v.str != nil {
			return *v.str
		}
	}
	return ""
}

func (s spanRef) kind() int   { return enum(s.span.Kind, kindNames) }
func (s spanRef) status() int { return enum(s.span.Status.Code, statusNames) }
func (s spanRef) durationNanos() uint64 {
	if s.span.EndTimeUnixNano < s.span.StartTimeUnixNano {
		return 0
	}
	return uint64(s.span.EndTimeUnixNano - s.span.StartTimeUnixNano)
}

// normalizeTraceID makes a hex trace id 32 lower-case digits (Tempo accepts ids without their
// leading zeros, and writes them so in search results).
func normalizeTraceID(id string) (string, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if id == "" || len(id) > 32 {
		return "", fmt.Errorf("trace id %q must be 1 to 32 hexadecimal digits", id)
	}
	if _, err := hex.DecodeString(strings.Repeat("0", len(id)%2) + id); err != nil {
		return "", fmt.Errorf("trace id %q must be 1 to 32 hexadecimal digits", id)
	}
	return strings.Repeat("0", 32-len(id)) + id, nil
}

// hexToBase64 turns an OTLP-JSON hex id into the protobuf JSON mapping Tempo writes (base64 bytes).
func hexToBase64(id string) string {
	if id == "" {
		return ""
	}
	b, err := hex.DecodeString(id)
	if err != nil {
		return id
	}
	return base64.StdEncoding.EncodeToString(b)
}
