package parcaapi

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// A budget is one query's time with Parca: a single deadline that every call the query makes
// shares (coverage makes three rounds of calls), and a record of the calls, so that running
// out of time can say at which step it happened.
type budget struct {
	query   string
	timeout time.Duration
	start   time.Time

	mu    sync.Mutex
	steps []stepTime // the calls that answered, in the order they did
}

type stepTime struct {
	name string
	took time.Duration
}

type budgetKey struct{}

// WithQueryBudget gives the query named query (its type: "profile", "coverage", ...) one
// deadline of timeout for all its calls to Parca. A timeout in any of them is reported as the
// query's, naming the step.
func WithQueryBudget(ctx context.Context, query string, timeout time.Duration) (context.Context, context.CancelFunc) {
	b := &budget{query: query, timeout: timeout, start: time.Now()}
	ctx = context.WithValue(ctx, budgetKey{}, b)
	if timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, timeout)
}

func budgetOf(ctx context.Context) *budget {
	b, _ := ctx.Value(budgetKey{}).(*budget)
	return b
}

// done records a call that answered.
func (b *budget) done(step string, took time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.steps = append(b.steps, stepTime{step, took})
}

// timeoutMessage explains a query that ran out of time at step.
func (b *budget) timeoutMessage(baseURL, step string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	before := ""
	if len(b.steps) > 0 {
		names := make([]string, len(b.steps))
		for i, s := range b.steps {
			names[i] = fmt.Sprintf("%s %.1f s", s.name, s.took.Seconds())
		}
		before = fmt.Sprintf(" (the calls before it answered: %s)", strings.Join(names, ", "))
	}
	return fmt.Sprintf("the %s query ran out of the datasource timeout of %s at step %d, waiting for Parca at %s to answer %s%s; narrow the time range or selector, or raise the timeout in the datasource settings",
		b.query, b.timeout, len(b.steps)+1, baseURL, step, before)
}
