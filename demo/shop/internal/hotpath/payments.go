package hotpath

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"math/big"
	"time"
)

// StretchCardKey is the hot path of payments' charge: it derives a tokenization
// key from the card data with PBKDF2-HMAC-SHA256 (key stretching).
//
//go:noinline
func StretchCardKey(budget time.Duration) time.Duration {
	card, salt := []byte("4111111111111111|12/29|123"), []byte("spanflame-demo-salt")
	return burn(budget, func() {
		_, _ = pbkdf2.Key(sha256.New, string(card), salt, 500, 32) // fails only for FIPS-mode misuse
	})
}

// ledgerModulus and ledgerExponent form a fixed 1024-bit RSA-like signing key:
// the point is the modular exponentiation, not security.
var (
	ledgerModulus  = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 1024), big.NewInt(105))
	ledgerExponent = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 1023), big.NewInt(1))
	ledgerDigest   = func() *big.Int {
		sum := sha256.Sum256([]byte("ledger"))
		return new(big.Int).SetBytes(sum[:])
	}()
)

// SignLedger is the hot path of payments' payment listing: it signs the
// customer's ledger entries with big-integer modular exponentiation.
//
//go:noinline
func SignLedger(budget time.Duration) time.Duration {
	var signature big.Int
	return burn(budget, func() {
		signature.Exp(ledgerDigest, ledgerExponent, ledgerModulus)
	})
}
