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

// Profile type look-ups: what an empty answer is checked against. Parca's ProfileTypes scans
// every profile it holds when asked without a time range (seconds on a busy server), so the
// look-up covers the query range and the hour before it, and answers are kept briefly.
const (
	profileTypeCacheTTL     = 30 * time.Second
	profileTypeCacheEntries = 32
	profileTypeLookback     = time.Hour
)

// profileTypeCache remembers Parca's profile types per time window for a short while: the
// only state an instance keeps between queries, a few small lists.
type profileTypeCache struct {
	mu      sync.Mutex
	entries map[[2]int64]profileTypeEntry
}

type profileTypeEntry struct {
	ids     []string
	fetched time.Time
}

func newProfileTypeCache() *profileTypeCache {
	return &profileTypeCache{entries: map[[2]int64]profileTypeEntry{}}
}

// list returns the profile types Parca holds between from and to (rounded out to minutes, so
// neighbouring queries share an entry).
func (c *profileTypeCache) list(ctx context.Context, client *parcaapi.Client, from, to time.Time) ([]string, error) {
	from, to = from.Truncate(time.Minute), to.Truncate(time.Minute).Add(time.Minute)
	key := [2]int64{from.Unix(), to.Unix()}
	c.mu.Lock()
	entry, ok := c.entries[key]
	c.mu.Unlock()
	if ok && time.Since(entry.fetched) < profileTypeCacheTTL {
		return entry.ids, nil
	}
	resp, err := client.ProfileTypes(ctx, &pb.ProfileTypesRequest{Start: timestamp(from), End: timestamp(to)})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(resp.GetTypes()))
	for _, t := range resp.GetTypes() {
		ids = append(ids, profileTypeID(t))
	}
	slices.Sort(ids)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= profileTypeCacheEntries {
		clear(c.entries) // bounded: start over rather than track recency
	}
	c.entries[key] = profileTypeEntry{ids: ids, fetched: time.Now()}
	return ids, nil
}

// profileTypeID renders Parca's ProfileType message as the id queries use.
func profileTypeID(t *pb.ProfileType) string {
	return models.ProfileType{
		Name: t.GetName(), SampleType: t.GetSampleType(), SampleUnit: t.GetSampleUnit(),
		PeriodType: t.GetPeriodType(), PeriodUnit: t.GetPeriodUnit(), Delta: t.GetDelta(),
	}.String()
}

// checkProfileTypeKnown explains an empty answer caused by a profile type Parca does not hold
// around the query range. It is only called when an answer is empty, so a working query never
// pays for it.
func (d *Datasource) checkProfileTypeKnown(ctx context.Context, client *parcaapi.Client, q *models.Query) error {
	from := q.From.Add(-profileTypeLookback)
	ids, err := d.profileTypes.list(ctx, client, from, q.To)
	if err != nil {
		return nil // the empty answer stands; failing to explain it is not an error
	}
	if slices.Contains(ids, q.ProfileType.String()) {
		return nil
	}
	if len(ids) == 0 {
		// No profiles of any type in the range (before the agent ran, past retention): nothing is
		// wrong with the query, the range is empty, and the empty answer's notice says so.
		return nil
	}
	window := fmt.Sprintf("between %s and %s (the query range and the hour before)", formatTime(from), formatTime(q.To))
	return inputError(fmt.Errorf("profile type %q is unknown to Parca %s; available: %s", q.ProfileType, window, strings.Join(ids, ", ")))
}
