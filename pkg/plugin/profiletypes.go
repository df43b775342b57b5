package plugin

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/parcaapi"
)

// profileTypeCacheTTL bounds how stale the list used to explain an empty answer may be.
const profileTypeCacheTTL = 30 * time.Second

// profileTypeCache remembers Parca's profile types (all time) for a short while: the only state
// an instance keeps between queries, one small list.
type profileTypeCache struct {
	mu      sync.Mutex
	ids     []string
	fetched time.Time
}

func newProfileTypeCache() *profileTypeCache { return &profileTypeCache{} }

func (c *profileTypeCache) list(ctx context.Context, client *parcaapi.Client) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids != nil && time.Since(c.fetched) < profileTypeCacheTTL {
		return c.ids, nil
	}
	resp, err := client.ProfileTypes(ctx, &pb.ProfileTypesRequest{})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(resp.GetTypes()))
	for _, t := range resp.GetTypes() {
		ids = append(ids, profileTypeID(t))
	}
	slices.Sort(ids)
	c.ids, c.fetched = ids, time.Now()
	return ids, nil
}

// profileTypeID renders Parca's ProfileType message as the id queries use.
func profileTypeID(t *pb.ProfileType) string {
	return models.ProfileType{
		Name: t.GetName(), SampleType: t.GetSampleType(), SampleUnit: t.GetSampleUnit(),
		PeriodType: t.GetPeriodType(), PeriodUnit: t.GetPeriodUnit(), Delta: t.GetDelta(),
	}.String()
}

// checkProfileTypeKnown explains an empty answer caused by a profile type Parca does not hold.
// It is only called when an answer is empty, so a working query never pays for it.
func (d *Datasource) checkProfileTypeKnown(ctx context.Context, client *parcaapi.Client, profileType models.ProfileType) error {
	ids, err := d.profileTypes.list(ctx, client)
	if err != nil {
		return nil // the empty answer stands; failing to explain it is not an error
	}
	if slices.Contains(ids, profileType.String()) {
		return nil
	}
	if len(ids) == 0 {
		return inputError(fmt.Errorf("profile type %q is unknown: Parca holds no profiles at all yet", profileType))
	}
	return inputError(fmt.Errorf("profile type %q is unknown to Parca; available: %s", profileType, strings.Join(ids, ", ")))
}
