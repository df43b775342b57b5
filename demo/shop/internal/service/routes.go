package service

import (
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/spanflame/spanflame/demo/groundtruth"
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

// Route is one HTTP route or gRPC method of a service and what serving it does.
type Route struct {
	Method string  // HTTP method; "" for a gRPC method
	Path   string  // the http.route of its spans and metrics, or the gRPC full method "/shop.Payments/Charge"
	Hot    HotFunc // where the route's CPU goes
	// Next is the key of the downstream route this route calls ("GET /orders"
	// or "/shop.Payments/Charge"); "" for routes answered locally.
	Next string
	// LoadWeight is the route's share of the built-in load generator's mix.
	LoadWeight int
	// FailWeight scales -error-share for this route: its own 5xx answers, or
	// FailCode for a gRPC method.
	FailWeight float64
	FailCode   codes.Code
	// SlowWeight scales -slow-share for this route; SlowBy is how a slow request
	// is slow: groundtruth.Computing (more CPU in Hot) or groundtruth.Waiting (a sleep).
	SlowWeight float64
	SlowBy     string
	// ShortShare of the route's requests are cache hits that do only shortWork,
	// so their spans are shorter than a sampling period.
	ShortShare float64
	// Unlabeled routes hand all their work to the worker pool, where it runs
	// without the request's trace labels.
	Unlabeled bool
}

// Key is the route as the ground truth names it: "GET /products" for HTTP (also
// its ServeMux pattern), the full method "/shop.Payments/Charge" for gRPC.
func (r Route) Key() string {
	if r.IsGRPC() {
		return r.Path
	}
	return r.Method + " " + r.Path
}

// IsGRPC tells whether the route is a gRPC method.
func (r Route) IsGRPC() bool { return r.Method == "" }

// HotFunctionName is the fully qualified name of the route's hot function as a
// pprof profile shows it.
func (r Route) HotFunctionName() string { return FuncName(r.Hot) }

// FuncName returns the fully qualified name of a function value.
func FuncName(fn any) string {
	return runtime.FuncForPC(reflect.ValueOf(fn).Pointer()).Name()
}

// The gRPC methods of the shop.
const (
	AddToCart = "/shop.Checkout/AddToCart"
	Charge    = "/shop.Payments/Charge"
)

// serviceRoutes is the shop: three-hop request chains (checkout, order history),
// a two-hop one over gRPC (add to cart) and frontend routes answered alone. The
// slow routes are slow in both ways (computing in /search and Charge, waiting in
// POST /orders and AddToCart), so callers wait on slow downstreams of both kinds.
var serviceRoutes = map[string][]Route{
	Frontend: {
		{Method: "GET", Path: "/products", Hot: hotpath.EncodeCatalog, LoadWeight: 3, ShortShare: 0.3},
		{Method: "GET", Path: "/search", Hot: hotpath.MatchProducts, LoadWeight: 2, FailWeight: 1, SlowWeight: 1, SlowBy: groundtruth.Computing},
		{Method: "GET", Path: "/orders", Hot: hotpath.RenderOrderHistory, Next: "GET /orders", LoadWeight: 2},
		{Method: "POST", Path: "/checkout", Hot: hotpath.PriceCart, Next: "POST /orders", LoadWeight: 3},
		{Method: "POST", Path: "/cart", Hot: hotpath.NormalizeCartItems, Next: AddToCart, LoadWeight: 2},
		{Method: "GET", Path: "/recommendations", Hot: hotpath.RankRecommendations, LoadWeight: 1, Unlabeled: true},
	},
	Checkout: {
		{Method: "POST", Path: "/orders", Hot: hotpath.ValidateOrder, Next: Charge, SlowWeight: 1, SlowBy: groundtruth.Waiting},
		{Method: "GET", Path: "/orders", Hot: hotpath.CompressOrderHistory, Next: "GET /payments", FailWeight: 1},
		{Path: AddToCart, Hot: hotpath.ReserveStock, FailWeight: 1, FailCode: codes.ResourceExhausted,
			SlowWeight: 1, SlowBy: groundtruth.Waiting, ShortShare: 0.3},
	},
	Payments: {
		{Path: Charge, Hot: hotpath.StretchCardKey, FailWeight: 1, FailCode: codes.Unavailable, SlowWeight: 1, SlowBy: groundtruth.Computing},
		{Method: "GET", Path: "/payments", Hot: hotpath.SignLedger},
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

// ServesGRPC tells whether a service has gRPC methods.
func ServesGRPC(service string) bool {
	return slices.ContainsFunc(serviceRoutes[service], Route.IsGRPC)
}

// UnlinkedFunctionNames are the functions that run the deliberately unlabeled
// CPU work: before the labels, on the worker pool (the audit trail and the
// unlabeled routes' work) and in the background job.
func UnlinkedFunctionNames() []string {
	names := []string{FuncName(hotpath.VerifyRequestSignature), FuncName(hotpath.WriteAuditTrail)}
	for _, svc := range Services {
		for _, r := range serviceRoutes[svc] {
			if r.Unlabeled {
				names = append(names, r.HotFunctionName())
			}
		}
	}
	return append(names, FuncName(hotpath.ReindexInventory))
}
