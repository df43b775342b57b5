package unlinked

import (
	"context"
	"testing"
	"time"

	"github.com/spanflame/spanflame/demo/shop/internal/hotpath"
)

// TestWorkByFunctionNamesEachKindOfWork: the ground truth of which unlinked
// functions ran names them as a pprof profile does, under their kind of work.
func TestWorkByFunctionNamesEachKindOfWork(t *testing.T) {
	r := New(0, 1) // share 0: the background job never runs
	defer r.Close()
	r.RunInline(2 * time.Millisecond)
	if _, err := r.Handoff(context.Background(), 2*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if _, err := r.HandoffWork(context.Background(), 2*time.Millisecond, hotpath.ReindexInventory); err != nil {
		t.Fatal(err)
	}
	const hot = "github.com/spanflame/spanflame/demo/shop/internal/hotpath."
	want := []workKey{
		{BeforeLabels, hot + "VerifyRequestSignature"},
		{WorkerPool, hot + "ReindexInventory"},
		{WorkerPool, hot + "WriteAuditTrail"},
	}
	got := r.WorkByFunction()
	if len(got) != len(want) {
		t.Fatalf("work = %+v, want %v", got, want)
	}
	var sum time.Duration
	for i, w := range got {
		if (workKey{w.Kind, w.Function}) != want[i] || w.CPU <= 0 {
			t.Errorf("work[%d] = %+v, want %v with some CPU", i, w, want[i])
		}
		sum += w.CPU
	}
	if unlinked := time.Duration(r.unlinked.Load()); unlinked != sum {
		t.Errorf("unlinked CPU %v, but the functions' CPU adds up to %v", unlinked, sum)
	}
}
