package hotpath

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"time"
)

// Product is one catalog entry; the fields exist to give the JSON encoder and
// the search regular expressions realistic work.
type Product struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	PriceCents  int      `json:"price_cents"`
	Tags        []string `json:"tags"`
	InStock     bool     `json:"in_stock"`
}

var (
	adjectives = []string{"red", "blue", "vintage", "smart", "wireless", "organic", "compact", "deluxe", "rugged", "silent"}
	nouns      = []string{"kettle", "lamp", "backpack", "headphones", "teapot", "keyboard", "blender", "tent", "speaker", "mug"}
	tagWords   = []string{"kitchen", "outdoor", "office", "gift", "sale", "new", "eco", "travel"}
)

// catalog is built once and only read afterwards, so requests share it.
var catalog = buildCatalog(240)

func buildCatalog(n int) []Product {
	rng := rand.New(rand.NewPCG(1, 2))
	products := make([]Product, n)
	for i := range products {
		adj, noun := adjectives[rng.IntN(len(adjectives))], nouns[rng.IntN(len(nouns))]
		products[i] = Product{
			ID:   fmt.Sprintf("P%05d", i),
			Name: adj + " " + noun,
			Description: fmt.Sprintf("A %s %s for everyday use, model %d-%c, ships in %d days from warehouse %c%d.",
				adj, noun, rng.IntN(9000)+1000, 'A'+rune(rng.IntN(26)), rng.IntN(9)+1, 'A'+rune(rng.IntN(26)), rng.IntN(99)),
			PriceCents: rng.IntN(20000) + 199,
			Tags:       []string{tagWords[rng.IntN(len(tagWords))], tagWords[rng.IntN(len(tagWords))]},
			InStock:    rng.IntN(10) > 0,
		}
	}
	return products
}

// EncodeCatalog is the hot path of the frontend's product listing: it encodes
// the whole catalog as JSON, again and again until budget of CPU is used.
//
//go:noinline
func EncodeCatalog(budget time.Duration) time.Duration {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	return burn(budget, func() {
		buf.Reset()
		_ = enc.Encode(catalog) // encoding plain structs cannot fail
	})
}

// searchPatterns are the kinds of queries the search route evaluates against
// every product description.
var searchPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(wireless|smart)\s+\w+`),
	regexp.MustCompile(`model (\d{4})-([A-Z])`),
	regexp.MustCompile(`ships in [1-3] days from warehouse [A-M]\d+`),
	regexp.MustCompile(`(?i)(kettle|teapot|mug).*everyday`),
}

// MatchProducts is the hot path of the frontend's search: it runs several
// regular expressions over every product description.
//
//go:noinline
func MatchProducts(budget time.Duration) time.Duration {
	hits := 0
	return burn(budget, func() {
		for i := range catalog {
			for _, re := range searchPatterns {
				if re.MatchString(catalog[i].Description) {
					hits++
				}
			}
		}
	})
}
