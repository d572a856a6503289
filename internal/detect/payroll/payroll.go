// Package payroll holds the indicators of the payroll and finance stage
// (catalogue section "Payroll & finance"): where pay goes, from the
// payroll payout-method records (rollcall CSV; account numbers arrive only
// as salted fingerprints), compared across people and with the roster.
// One file per indicator; this file holds what they share.
package payroll

import (
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

// fingerprint returns a payout's account fingerprint, trimmed; "" when the
// record has none.
// fingerprint is the payout account's comparison key (event.Payout.AccountKey).
func fingerprint(p *event.Payout) string { return p.AccountKey() }

// shortFingerprint shows enough of a fingerprint to tell accounts apart in
// a summary. Fingerprints are salted hashes, never account numbers.
func shortFingerprint(fp string) string {
	if len(fp) > 8 {
		return fp[:8] + "…"
	}
	return fp
}

// method returns a payout's method, lower-cased.
func method(p *event.Payout) string { return strings.ToLower(strings.TrimSpace(p.Method)) }
