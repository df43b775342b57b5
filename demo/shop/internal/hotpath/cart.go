package hotpath

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"
)

// cartForm is the form the frontend's add-to-cart route receives: many items,
// URL-encoded, as a browser posts them.
var cartForm = func() string {
	form := url.Values{}
	for i := range 80 {
		p := catalog[i*7%len(catalog)]
		form.Add("sku", p.ID)
		form.Add("name", p.Name)
		form.Add("qty", fmt.Sprint(i%4+1))
		form.Add("note", "  Gift wrap: "+strings.ToUpper(p.Tags[0])+" & card #"+fmt.Sprint(i)+"  ")
	}
	return form.Encode()
}()

// NormalizeCartItems is the hot path of the frontend's add-to-cart: it decodes
// the posted form and normalises every item's fields.
//
//go:noinline
func NormalizeCartItems(budget time.Duration) time.Duration {
	var notes []string
	return burn(budget, func() {
		form, err := url.ParseQuery(cartForm)
		if err != nil {
			return // the form is built above and valid
		}
		notes = notes[:0]
		for _, note := range form["note"] {
			notes = append(notes, strings.ToLower(strings.Join(strings.Fields(note), " ")))
		}
	})
}

// stockLevels is checkout's view of the warehouse: units in stock per SKU.
var stockLevels = func() map[string]int {
	stock := make(map[string]int, len(catalog))
	for i, p := range catalog {
		stock[p.ID] = i%17 + 1
	}
	return stock
}()

// ReserveStock is the hot path of checkout's AddToCart (gRPC): it copies the
// stock levels, reserves every cart line against them and hashes the
// reservation into a lock key.
//
//go:noinline
func ReserveStock(budget time.Duration) time.Duration {
	reserved := make(map[string]int, len(stockLevels))
	keys := make([]string, 0, len(cartLines))
	return burn(budget, func() {
		clear(reserved)
		for sku, n := range stockLevels {
			reserved[sku] = n
		}
		keys = keys[:0]
		for _, line := range cartLines {
			if reserved[line.sku] >= line.quantity {
				reserved[line.sku] -= line.quantity
				keys = append(keys, line.sku)
			}
		}
		slices.Sort(keys)
		h := fnv.New64a()
		for _, k := range keys {
			h.Write([]byte(k))
		}
		_ = h.Sum64()
	})
}

// productVectors are embeddings of the catalog for the recommendations route.
var productVectors = func() [][]float64 {
	vectors := make([][]float64, len(catalog))
	for i := range vectors {
		v := make([]float64, 48)
		for j := range v {
			v[j] = math.Sin(float64(i*31+j*7)) + float64(catalog[i].PriceCents%97)/97
		}
		vectors[i] = v
	}
	return vectors
}()

// RankRecommendations is the frontend's recommendations work, which the route
// hands to the worker pool (so it runs without trace labels): it scores every
// product against a customer's vector by cosine similarity and sorts them.
//
//go:noinline
func RankRecommendations(budget time.Duration) time.Duration {
	customer := productVectors[7]
	scores := make([]float64, len(productVectors))
	order := make([]int, len(productVectors))
	return burn(budget, func() {
		for i, v := range productVectors {
			var dot, nv, nc float64
			for j := range v {
				dot += v[j] * customer[j]
				nv += v[j] * v[j]
				nc += customer[j] * customer[j]
			}
			scores[i] = dot / math.Sqrt(nv*nc)
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	})
}
