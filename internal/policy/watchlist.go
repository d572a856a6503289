package policy

import "time"

// Burned is one identifier of a confirmed operative on the watchlist: when
// an analyst confirms a case, the person's phones, mailboxes, payout
// accounts, addresses, device serials, locating IPs and code-host handles
// are "burned", and anyone else who reuses one later is flagged. It sits
// beside the allow-lists because both are what analysts concluded: benign
// verdicts allow, confirmed verdicts burn.
type Burned struct {
	Kind  string `json:"kind"`  // one of BurnedKinds
	Value string `json:"value"` // the comparison key rollcall stamps (E.164 phone, canonical mailbox, address key…)
	// Case names the burned case, e.g. "case 7" or a reference from an
	// imported list; Person is the operative's id in that case.
	Case   string    `json:"case"`
	Person string    `json:"person"`
	Added  time.Time `json:"added"`
	// Tenant is the tenant whose analysts burned the identifier, when
	// it is another tenant sharing its list (store.WatchlistSharing);
	// empty for the reader's own entries and for imported lists.
	Tenant string `json:"tenant,omitempty"`
}

// Kinds of burned identifiers.
const (
	BurnedPhone   = "phone"
	BurnedEmail   = "email"
	BurnedPayout  = "payout"
	BurnedAddress = "address"
	BurnedDevice  = "device"
	BurnedIP      = "ip"
	BurnedGitHub  = "github"
)

// BurnedKinds lists the kinds, most specific first.
var BurnedKinds = []string{BurnedPayout, BurnedDevice, BurnedPhone, BurnedEmail, BurnedGitHub, BurnedAddress, BurnedIP}
