package hotpath

import (
	"bytes"
	"html/template"
	"slices"
	"strconv"
	"time"
)

// orderHistoryPage is the page the frontend renders for GET /orders.
var orderHistoryPage = template.Must(template.New("orders").Parse(`<html><body><h1>Your orders</h1>
<table>{{range .}}<tr><td>{{.ID}}</td><td>{{.Name}}</td><td>{{.Description}}</td>
<td>{{printf "%.2f" .Price}}</td><td>{{range .Tags}}<span class="tag">{{.}}</span>{{end}}</td></tr>
{{end}}</table></body></html>`))

type orderRow struct {
	ID, Name, Description string
	Price                 float64
	Tags                  []string
}

var orderRows = func() []orderRow {
	rows := make([]orderRow, 60)
	for i := range rows {
		p := catalog[i*3%len(catalog)]
		rows[i] = orderRow{ID: p.ID, Name: p.Name, Description: p.Description, Price: float64(p.PriceCents) / 100, Tags: p.Tags}
	}
	return rows
}()

// RenderOrderHistory is the hot path of the frontend's order history: it
// renders an HTML table of past orders with html/template (escaping included).
//
//go:noinline
func RenderOrderHistory(budget time.Duration) time.Duration {
	var buf bytes.Buffer
	return burn(budget, func() {
		buf.Reset()
		_ = orderHistoryPage.Execute(&buf, orderRows) // the template and data are fixed and valid
	})
}

type cartLine struct {
	sku       string
	quantity  int
	unitPrice string // prices arrive as decimal strings, as from a form
}

var cartLines = func() []cartLine {
	lines := make([]cartLine, 400)
	for i := range lines {
		p := catalog[i%len(catalog)]
		lines[i] = cartLine{sku: p.ID, quantity: i%5 + 1, unitPrice: strconv.FormatFloat(float64(p.PriceCents)/100, 'f', 2, 64)}
	}
	return lines
}()

// PriceCart is the hot path of the frontend's checkout: it parses the cart's
// decimal prices, sorts the lines by line total and formats a price summary.
//
//go:noinline
func PriceCart(budget time.Duration) time.Duration {
	totals := make([]float64, len(cartLines))
	summary := make([]byte, 0, 16*len(cartLines))
	return burn(budget, func() {
		for i, line := range cartLines {
			price, err := strconv.ParseFloat(line.unitPrice, 64)
			if err != nil {
				price = 0
			}
			totals[i] = price * float64(line.quantity) * 1.19 // with VAT
		}
		slices.Sort(totals)
		summary = summary[:0]
		for _, t := range totals {
			summary = strconv.AppendFloat(summary, t, 'f', 2, 64)
			summary = append(summary, ';')
		}
	})
}
