package hotpath

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash/crc32"
	"time"
)

// The functions below are the demo's deliberately unlinked work: they run on
// goroutines that carry no pprof labels (a worker pool and a background job),
// so their CPU samples have no trace_id, as async work in real services does.

var auditRecord = func() []byte {
	record := make([]byte, 16<<10)
	for i := range record {
		record[i] = byte(i * 7)
	}
	return record
}()

// VerifyRequestSignature is the request work done before the trace labels are
// set, as by middleware placed ahead of the labeling one: it checks an HMAC of
// the request.
//
//go:noinline
func VerifyRequestSignature(budget time.Duration) time.Duration {
	mac := hmac.New(sha256.New, []byte("spanflame-demo-key"))
	sum := make([]byte, 0, sha256.Size)
	return burn(budget, func() {
		mac.Reset()
		mac.Write(auditRecord[:4096])
		sum = mac.Sum(sum[:0])
	})
}

// WriteAuditTrail is the request work handed to the worker pool: it checksums
// and hashes an audit record of the request.
//
//go:noinline
func WriteAuditTrail(budget time.Duration) time.Duration {
	return burn(budget, func() {
		_ = crc32.ChecksumIEEE(auditRecord)
		_ = sha256.Sum256(auditRecord)
	})
}

// ReindexInventory is the background job: it rebuilds a search index of the
// catalog (hashing every product name into buckets).
//
//go:noinline
func ReindexInventory(budget time.Duration) time.Duration {
	buckets := make([]int, 1024)
	return burn(budget, func() {
		for i := range catalog {
			sum := sha256.Sum256([]byte(catalog[i].Description))
			buckets[int(sum[0])<<2|int(sum[1]&3)]++
		}
	})
}
