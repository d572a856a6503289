// Package policy holds the scoring policy: indicator weights, level
// thresholds, the corroboration rule for weak signals, cluster settings and
// allow-lists. It loads from a YAML file whose unknown keys are refused;
// Default returns the documented defaults.
package policy

import (
	"net/netip"
	"time"

	"github.com/rollcall/rollcall/internal/sigma"
)

// Policy is the whole scoring and allow-list configuration.
type Policy struct {
	// Weights maps an indicator ID to the points it contributes (0–100)
	// before diminishing returns. Missing IDs use the indicator's default.
	Weights map[string]float64 `yaml:"weights"`
	// Levels are the lowest scores of each level.
	Levels Levels `yaml:"levels"`
	// StageDecay is the factor applied to each further finding within one
	// lifecycle stage (diminishing returns): 1st ×1, 2nd ×decay, 3rd ×decay²…
	StageDecay float64 `yaml:"stage_decay"`
	// Weak lists indicators that are weak or fairness-sensitive: alone they
	// can never lift a person above the low level.
	Weak []string `yaml:"weak"`
	// Cluster configures cell discovery and the cluster bonus.
	Cluster Cluster `yaml:"cluster"`
	// Allow holds the allow-lists.
	Allow Allow `yaml:"allow"`
	// Sigma configures detection engineers' Sigma rules (SIG-01).
	Sigma Sigma `yaml:"sigma"`
	// Watchlist holds the identifiers of confirmed operatives (see
	// watchlist.go); it comes from the store or a CSV file, never the YAML.
	Watchlist []Burned `yaml:"-"`
}

// Levels are score thresholds.
type Levels struct {
	Low      float64 `yaml:"low"`
	Medium   float64 `yaml:"medium"`
	High     float64 `yaml:"high"`
	Critical float64 `yaml:"critical"`
}

// Cluster configures the identity graph.
type Cluster struct {
	// MaxIPSharers: a public IP shared by more people than this is treated
	// as an office / carrier egress and links nobody.
	MaxIPSharers int `yaml:"max_ip_sharers"`
	// MaxAddressSharers: an address shared by more people than this is
	// treated as a business address (co-working, office) for linking.
	MaxAddressSharers int `yaml:"max_address_sharers"`
	// MaxIdentifierSharers: a phone, email, URL or device serial shared by
	// more people than this is a switchboard, a shared mailbox or a cloned
	// image, and links nobody. Payout accounts have their own limit.
	MaxIdentifierSharers int `yaml:"max_identifier_sharers"`
	// MaxPayoutSharers: a payout account paying more people than this is
	// a payroll intermediary's funding account (employer of record,
	// contractor platform): it links nobody and fires no payroll
	// finding. A facilitator collects a handful of salaries. 0: no limit.
	MaxPayoutSharers int `yaml:"max_payout_sharers"`
	// MaxCellSize caps a cell: links are joined strongest (fewest
	// holders) first, and a link that would grow a cell beyond this many
	// people is left out. 0: no cap.
	MaxCellSize int `yaml:"max_cell_size"`
	// Bonus is the most points cell membership adds to a member's score.
	Bonus float64 `yaml:"bonus"`
	// CarrierASNs are extra autonomous systems whose public addresses are
	// shared by many unrelated subscribers (mobile carriers behind
	// carrier-grade NAT, satellite ISPs). Their IPs never link people and
	// never count as shared by IAM-03 or NET-01. They are added to the
	// mobile carriers of the network list
	// (internal/enrich/ipintel/data/networks.csv).
	CarrierASNs []uint32 `yaml:"carrier_asns"`
}

// Allow holds allow-lists. Every entry has a reason and may expire.
type Allow struct {
	// VPNASNs are sanctioned VPN / secure-gateway networks: sign-ins from
	// them are not anonymiser use.
	VPNASNs []ASNEntry `yaml:"vpn_asns"`
	// Egress are corporate egress ranges (offices, corporate VPN).
	Egress []PrefixEntry `yaml:"egress"`
	// Travel are approved travel windows.
	Travel []TravelEntry `yaml:"travel"`
	// SharedAddresses are known, legitimate shared addresses (a company
	// depot, an approved co-living arrangement) that must not link people.
	SharedAddresses []AddressEntry `yaml:"shared_addresses"`
	// Tools are sanctioned endpoint tools (remote support agents…).
	Tools []ToolEntry `yaml:"tools"`
	// People are suppressions of one indicator for one person.
	People []PersonEntry `yaml:"people"`
}

// Entry is what every allow-list entry carries.
type Entry struct {
	Reason  string    `yaml:"reason"`
	Expires time.Time `yaml:"expires,omitempty"` // zero: never
}

// Active reports whether the entry is in force at t.
func (e Entry) Active(t time.Time) bool { return e.Expires.IsZero() || t.Before(e.Expires) }

// ASNEntry allow-lists one autonomous system.
type ASNEntry struct {
	ASN   uint32 `yaml:"asn"`
	Name  string `yaml:"name,omitempty"`
	Entry `yaml:",inline"`
}

// PrefixEntry allow-lists an IP range.
type PrefixEntry struct {
	Prefix netip.Prefix `yaml:"prefix"`
	Entry  `yaml:",inline"`
}

// TravelEntry approves a person's presence in some countries for a window.
type TravelEntry struct {
	Person    string    `yaml:"person"`
	Countries []string  `yaml:"countries"`
	From      time.Time `yaml:"from"`
	To        time.Time `yaml:"to"`
	Entry     `yaml:",inline"`
}

// AddressEntry allow-lists an address (matched after normalisation).
type AddressEntry struct {
	Address string `yaml:"address"`
	Entry   `yaml:",inline"`
}

// ToolEntry allow-lists a tool name (as the endpoint data names it).
type ToolEntry struct {
	Name  string `yaml:"name"`
	Entry `yaml:",inline"`
}

// PersonEntry suppresses one indicator for one person.
type PersonEntry struct {
	Person    string `yaml:"person"`
	Indicator string `yaml:"indicator"`
	Entry     `yaml:",inline"`
}

// SigmaIndicator is the ID of the indicator that turns Sigma rule matches
// into findings.
const SigmaIndicator = "SIG-01"

// Sigma configures Sigma rules.
type Sigma struct {
	// Rules are Sigma rule files or directories of them, relative to the
	// policy file; they are loaded and validated with the policy.
	Rules []string `yaml:"rules"`
	// Strong lets SIG-01 findings count as a signal that can flag a
	// person on its own strength. By default they are weak: a Sigma rule
	// alone never lifts anyone above low.
	Strong bool `yaml:"strong"`
	// Loaded are the rules read from Rules and from scan --sigma.
	Loaded []*sigma.Rule `yaml:"-"`
}
