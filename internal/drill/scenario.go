package drill

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/sim"
)

// Scenario is one way covert workers get in, as the public record
// describes it (../shared/INDICATORS.md cites the sources). The simulator
// generates a cell, Shape gives its hired members the scenario's way of
// working, and Pick says which of the cell's people are injected.
type Scenario struct {
	ID          string
	Description string
	Sources     []string // public record behind it
	// Expect are the indicators that can catch it; those that stay silent
	// are reported with the reason.
	Expect []string
	// Evasions are what its evasive variant changes in the records.
	Evasions []string
	shape    func(p *sim.Person, member int)
	// hired and applicants say which of the cell's people are injected:
	// all hired members (-1), the first one (1) or none (0); and whether
	// its applicant personas are.
	hired      int
	applicants bool
}

// Variants of a scenario.
const (
	Standard = "standard"
	Evasive  = "evasive"
)

// Evasions the evasive variants apply to the generated records (evade.go).
const (
	EvadeNightShift = "night_shift"        // works the claimed zone's daytime hours
	EvadeNoVPN      = "no_vpn"             // never signs in through a VPN or hosting network
	EvadeUSBIDs     = "changed_usb_ids"    // the IP-KVM reports a keyboard receiver's USB ids and strings
	EvadeForwarder  = "distinct_forwarder" // each laptop ships to its own mail-forwarder address
	EvadeContacts   = "distinct_contacts"  // each applicant record has its own phone, email and website
)

// Library is the scenario library, in the order cells are given them.
var Library = []*Scenario{
	{
		ID:          "laptop-farm",
		Description: "hired operatives whose laptops sit at a US facilitator's home: one residential IP, IP-KVMs and remote-control tools, care-of shipping, payouts moved abroad",
		Sources:     []string{"DOJ laptop-farm cases (Chapman; Knoot; Wang)", "Mandiant IR", "FBI PSA May 2024"},
		Expect:      []string{"ONB-01", "ONB-02", "NET-01", "IAM-03", "END-01", "END-03", "IAM-01", "IAM-06", "PAY-01", "PAY-02"},
		Evasions:    []string{EvadeNightShift, EvadeNoVPN, EvadeUSBIDs, EvadeForwarder},
		shape: func(p *sim.Person, _ int) {
			op := p.Op
			op.Careful, op.LaptopAt, op.ForeignHours = false, "farm", true
			op.VPNShare = max(op.VPNShare, 0.3)
		},
		hired: -1,
	},
	{
		ID:          "careful-cell",
		Description: "a careful cell: local hours from a facilitator's residential line at each claimed home (a residential proxy), but one MFA phone and one payout account for all",
		Sources:     []string{"Microsoft Defender Experts (Jasper Sleet, Dec 2025)", "FBI PSA 2024", "DOJ (29 financial accounts seized)"},
		Expect:      []string{"IAM-02", "PAY-01", "IAM-03"},
		Evasions:    []string{EvadeForwarder, EvadeNoVPN},
		shape: func(p *sim.Person, _ int) {
			op := p.Op
			op.Careful, op.LaptopAt, op.ForeignHours = true, "home", false
			op.VPNShare, op.LeakRate = 0, 0
			p.MFAPhone = op.Cell.Phones[0]
			op.StartMule, op.PayChange = true, -1
			p.Contractor, p.Organization = false, sim.CompanyName
		},
		hired: -1,
	},
	{
		ID:          "lone-bulk-cloner",
		Description: "a lone operative who works foreign hours, often over a VPN, and clones the organisation's repositories in bulk",
		Sources:     []string{"FBI PSA Jan 2025", "2022 State/Treasury/FBI advisory"},
		Expect:      []string{"NET-05", "OFF-04", "IAM-01", "IAM-06", "COL-02"},
		Evasions:    []string{EvadeNightShift, EvadeNoVPN},
		shape: func(p *sim.Person, member int) {
			op := p.Op
			op.Careful, op.LaptopAt, op.ForeignHours, op.BulkClone = false, "home", true, member == 0
			op.VPNShare = max(op.VPNShare, 0.4)
		},
		hired: 1,
	},
	{
		ID:          "applicant-wave",
		Description: "a wave of applicants reusing the cell's contacts (phone, email, portfolio) and one résumé template",
		Sources:     []string{"Mandiant via press (one email, 300 jobs)", "US State/Treasury/FBI advisory 2022", "SEAL DPRK IT-worker framework"},
		Expect:      []string{"APP-01", "APP-04", "APP-12"},
		Evasions:    []string{EvadeContacts},
		shape:       func(*sim.Person, int) {},
		applicants:  true,
	},
	{
		ID:          "persona-rotation",
		Description: "a burned identity's contacts reappear in new applicants: a hired operative's phone, email or portfolio on the cell's next personas",
		Sources:     []string{"Mandiant IR", "SEAL DPRK IT-worker framework", "KnowBe4 incident"},
		Expect:      []string{"APP-01", "APP-04", "APP-14", "IAM-01", "IAM-06"},
		Evasions:    []string{EvadeContacts, EvadeNightShift, EvadeNoVPN},
		shape: func(p *sim.Person, member int) {
			if member == 0 {
				p.Op.ReuseContact = true
			}
		},
		hired:      1,
		applicants: true,
	},
}

// ScenarioIDs lists the library's ids.
func ScenarioIDs() []string {
	ids := make([]string, len(Library))
	for i, s := range Library {
		ids[i] = s.ID
	}
	return ids
}

// Scenarios returns the scenarios named in ids ("all" or none: every one).
func Scenarios(ids []string) ([]*Scenario, error) {
	if len(ids) == 0 || slices.Contains(ids, "all") {
		return Library, nil
	}
	var out []*Scenario
	for _, id := range ids {
		i := slices.IndexFunc(Library, func(s *Scenario) bool { return s.ID == id })
		if i < 0 {
			return nil, fmt.Errorf("unknown scenario %q: known scenarios are %s (or all)", id, strings.Join(ScenarioIDs(), ", "))
		}
		if !slices.Contains(out, Library[i]) {
			out = append(out, Library[i])
		}
	}
	return out, nil
}
