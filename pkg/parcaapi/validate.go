package parcaapi

import (
	"fmt"
	"regexp"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
)

// profileTypePart is what each part of a profile type id is made of in Parca (names such as
// process_cpu, parca_agent, go.mem, units such as nanoseconds).
var profileTypePart = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.\-]*$`)

// CheckProfileTypes tells a real ProfileTypes answer from bytes that merely decode as one.
// Protobuf decodes many byte strings into some message: a server answering every request with
// OK and a payload of its own (a mock, a misrouted gateway) would otherwise "pass". Each type
// must name its profile and sample and period types and units in Parca's alphabet; an answer
// with no types must carry nothing else either (unknown fields are fine next to real types: a
// newer Parca may add some).
func (c *Client) CheckProfileTypes(resp *pb.ProfileTypesResponse) error {
	for i, t := range resp.GetTypes() {
		for _, part := range []string{t.GetName(), t.GetSampleType(), t.GetSampleUnit(), t.GetPeriodType(), t.GetPeriodUnit()} {
			if !profileTypePart.MatchString(part) {
				return c.notAnAnswer(fmt.Sprintf("profile type %d of %d has the part %q, not a name", i+1, len(resp.GetTypes()), part))
			}
		}
	}
	if len(resp.GetTypes()) == 0 && len(resp.ProtoReflect().GetUnknown()) > 0 {
		return c.notAnAnswer(fmt.Sprintf("no profile types, but %d bytes of fields Parca's answer does not have", len(resp.ProtoReflect().GetUnknown())))
	}
	return nil
}

func (c *Client) notAnAnswer(why string) error {
	return backend.DownstreamError(&Error{Kind: KindMalformed, Method: "ProfileTypes", Message: fmt.Sprintf(
		"the server at %s answered ProfileTypes with something that is not Parca's answer (%s); check that the URL points at a Parca server (default port 7070)", c.baseURL, why)})
}
