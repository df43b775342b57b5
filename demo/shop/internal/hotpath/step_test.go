package hotpath

import (
	"testing"
	"time"
)

// TestHotFunctionsBurnTheirBudget checks that each hot function stops close to
// its CPU budget: a step much longer than a few milliseconds would overshoot
// the per-request budget and skew the unlinked share.
func TestHotFunctionsBurnTheirBudget(t *testing.T) {
	const budget = 5 * time.Millisecond
	for name, hot := range map[string]func(time.Duration) time.Duration{
		"EncodeCatalog": EncodeCatalog, "MatchProducts": MatchProducts, "RenderOrderHistory": RenderOrderHistory,
		"PriceCart": PriceCart, "ValidateOrder": ValidateOrder, "CompressOrderHistory": CompressOrderHistory,
		"StretchCardKey": StretchCardKey, "SignLedger": SignLedger, "WriteAuditTrail": WriteAuditTrail,
		"VerifyRequestSignature": VerifyRequestSignature, "NormalizeCartItems": NormalizeCartItems,
		"ReserveStock": ReserveStock, "RankRecommendations": RankRecommendations,
		"ReindexInventory": ReindexInventory,
	} {
		used := hot(budget)
		t.Logf("%s: %v", name, used)
		if used < budget || used > budget+3*time.Millisecond {
			t.Errorf("%s used %v of CPU for a budget of %v", name, used, budget)
		}
	}
	if used := EncodeCatalog(0); used != 0 {
		t.Errorf("zero budget used %v", used)
	}
}
