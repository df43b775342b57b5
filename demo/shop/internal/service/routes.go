package service

import (
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"time"

	"github.com/spanflame/spanflame/demo/shop/internal/hotpath"
)

// The three services of the shop; a request flows frontend -> checkout -> payments.
const (
	Frontend = "frontend"
	Checkout = "checkout"
	Payments = "payments"
)

// Services lists the valid values of the -service flag.
var Services = []string{Frontend, Checkout, Payments}

// HotFunc burns a CPU budget in one named function and returns the CPU used.
type HotFunc func(budget time.Duration) time.Duration

// Route is one HTTP route of a service and what serving it does.
type Route struct {
	Method string
	Path   string  // also the http.route of its spans and metrics
	Hot    HotFunc // where the route's labeled CPU goes
	// Next is the path of the downstream route this route calls, with the same
	// method; "" for routes answered locally.
	Next string
	// LoadWeight is the route's share of the built-in load generator's mix.
	LoadWeight int
	// FailWeight scales -error-share for this route: its own 5xx answers.
	FailWeight float64
	// SlowWeight scales -slow-share for this route; SlowBySpinning makes a slow
	// request burn extra CPU instead of waiting.
	SlowWeight     float64
	SlowBySpinning bool
}

// Key is the route as the ground truth and the ServeMux name it: "GET /products".
func (r Route) Key() string { return r.Method + " " + r.Path }

// HotFunctionName is the fully qualified name of the route's hot function as a
// pprof profile shows it.
func (r Route) HotFunctionName() string { return FuncName(r.Hot) }

// FuncName returns the fully qualified name of a function value.
func FuncName(fn any) string {
	return runtime.FuncForPC(reflect.ValueOf(fn).Pointer()).Name()
}

// serviceRoutes is the shop: two three-hop request chains (checkout and order
// history) and two routes the frontend answers alone.
var serviceRoutes = map[string][]Route{
	Frontend: {
		{Method: "GET", Path: "/products", Hot: hotpath.EncodeCatalog, LoadWeight: 3},
		{Method: "GET", Path: "/search", Hot: hotpath.MatchProducts, LoadWeight: 2, FailWeight: 1, SlowWeight: 1, SlowBySpinning: true},
		{Method: "GET", Path: "/orders", Hot: hotpath.RenderOrderHistory, Next: "/orders", LoadWeight: 2},
		{Method: "POST", Path: "/checkout", Hot: hotpath.PriceCart, Next: "/orders", LoadWeight: 3},
	},
	Checkout: {
		{Method: "POST", Path: "/orders", Hot: hotpath.ValidateOrder, Next: "/charge", LoadWeight: 1, SlowWeight: 1},
		{Method: "GET", Path: "/orders", Hot: hotpath.CompressOrderHistory, Next: "/payments", LoadWeight: 1, FailWeight: 1},
	},
	Payments: {
		{Method: "POST", Path: "/charge", Hot: hotpath.StretchCardKey, LoadWeight: 1, FailWeight: 1, SlowWeight: 1},
		{Method: "GET", Path: "/payments", Hot: hotpath.SignLedger, LoadWeight: 1},
	},
}

// RoutesOf returns the routes of a service, or an error for an unknown service.
func RoutesOf(service string) ([]Route, error) {
	routes, ok := serviceRoutes[service]
	if !ok {
		return nil, fmt.Errorf("unknown service %q (want one of %v)", service, Services)
	}
	return slices.Clone(routes), nil
}

// HasDownstream tells whether a service calls a next service.
func HasDownstream(service string) bool {
	return slices.ContainsFunc(serviceRoutes[service], func(r Route) bool { return r.Next != "" })
}

// UnlinkedFunctionNames are the functions that run the deliberately unlabeled CPU work.
func UnlinkedFunctionNames() []string {
	return []string{
		FuncName(hotpath.VerifyRequestSignature), FuncName(hotpath.WriteAuditTrail), FuncName(hotpath.ReindexInventory),
	}
}
