package hotpath

import (
	"bytes"
	"compress/flate"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"time"
)

// orderFieldRules are the validations checkout runs on each submitted order.
var orderFieldRules = []struct {
	field string
	rule  *regexp.Regexp
}{
	{"email", regexp.MustCompile(`^[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}$`)},
	{"postal_code", regexp.MustCompile(`^(\d{5}(-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d|\d{4,5})$`)},
	{"street", regexp.MustCompile(`^\d{1,5}(\s\w+){1,4}\s(Street|St|Avenue|Ave|Road|Rd|Lane|Ln)\.?$`)},
	{"card", regexp.MustCompile(`^(\d{4}[ -]?){3}\d{4}$`)},
	{"phone", regexp.MustCompile(`^\+?\d{1,3}[ -]?\(?\d{2,4}\)?[ -]?\d{3,4}[ -]?\d{3,4}$`)},
}

// submittedOrders is a batch of order forms, some of them invalid on purpose.
var submittedOrders = func() []map[string]string {
	rng := rand.New(rand.NewPCG(3, 4))
	orders := make([]map[string]string, 40)
	for i := range orders {
		orders[i] = map[string]string{
			"email":       fmt.Sprintf("customer.%d@example%d.com", rng.IntN(100000), i%7),
			"postal_code": fmt.Sprintf("%05d", rng.IntN(99999)),
			"street":      fmt.Sprintf("%d Market Street", rng.IntN(9999)),
			"card":        fmt.Sprintf("4111 1111 %04d %04d", rng.IntN(9999), rng.IntN(9999)),
			"phone":       fmt.Sprintf("+49 30 %d %d", 100+rng.IntN(899), 1000+rng.IntN(8999)),
		}
		if i%9 == 0 {
			orders[i]["email"] = "not-an-email"
		}
	}
	return orders
}()

// ValidateOrder is the hot path of checkout's order placement: it validates
// every field of a batch of order forms with regular expressions.
//
//go:noinline
func ValidateOrder(budget time.Duration) time.Duration {
	invalid := 0
	return burn(budget, func() {
		for _, order := range submittedOrders {
			for _, r := range orderFieldRules {
				if !r.rule.MatchString(order[r.field]) {
					invalid++
				}
			}
		}
	})
}

type pastOrder struct {
	id       int
	placedAt int64
	total    int
}

var pastOrders = func() []pastOrder {
	rng := rand.New(rand.NewPCG(5, 6))
	orders := make([]pastOrder, 1500)
	for i := range orders {
		orders[i] = pastOrder{id: i, placedAt: 1_700_000_000 + rng.Int64N(50_000_000), total: rng.IntN(50000)}
	}
	return orders
}()

// CompressOrderHistory is the hot path of checkout's order history: it sorts
// a customer's past orders by date and deflates them as CSV for the archive.
//
//go:noinline
func CompressOrderHistory(budget time.Duration) time.Duration {
	sorted := make([]pastOrder, len(pastOrders))
	var csv, compressed bytes.Buffer
	deflater, _ := flate.NewWriter(&compressed, flate.DefaultCompression) // error only for invalid levels
	return burn(budget, func() {
		copy(sorted, pastOrders)
		slices.SortFunc(sorted, func(a, b pastOrder) int { return int(a.placedAt - b.placedAt) })
		csv.Reset()
		for _, o := range sorted {
			fmt.Fprintf(&csv, "%d,%d,%d\n", o.id, o.placedAt, o.total)
		}
		compressed.Reset()
		deflater.Reset(&compressed)
		_, _ = deflater.Write(csv.Bytes()) // writes to a bytes.Buffer cannot fail
		_ = deflater.Close()
	})
}
