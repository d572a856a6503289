package onboarding

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// ShipToNotHome is ONB-01: equipment shipped somewhere other than the
// home address on the HR roster, or re-routed after hire.
type ShipToNotHome struct{}

var _ detect.Indicator = (*ShipToNotHome)(nil)

// ID implements detect.Indicator.
func (*ShipToNotHome) ID() string { return "ONB-01" }

// Name implements detect.Indicator.
func (*ShipToNotHome) Name() string { return "Laptop shipped somewhere other than the HR home address" }

// Stage implements detect.Indicator.
func (*ShipToNotHome) Stage() detect.Stage { return detect.StageOnboarding }

// Strength implements detect.Indicator.
func (*ShipToNotHome) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator.
func (*ShipToNotHome) Sources() []string { return []string{"shipments", "scim"} }

// Weight implements detect.Indicator.
func (*ShipToNotHome) Weight() float64 { return 45 }

// Confidences of the three forms of the finding.
const (
	confOtherCountry = 1.0 // shipped to another country than the claimed home
	confOtherAddress = 0.7 // same country, another address
	confRerouted     = 0.5 // no home on the roster; ship-to changed after hire
)

// Description implements detect.Indicator.
func (*ShipToNotHome) Description() string {
	return "Equipment (the company laptop) was shipped to an address that is not the home address on the HR roster " +
		"(compared after normalisation: abbreviations, unit numbers, ZIP+4), or, when the roster has no home address, " +
		"the ship-to changed to another address after hire. A different country is the strongest form. Facilitators " +
		"receive laptops for remote operatives at laptop farms, so the laptop does not go to the claimed home " +
		"(shipments held for carrier pickup or sent to a mailbox are reported by ONB-03). " +
		"Known false positives: relocation (quiet when the roster home now equals the new ship-to, when a later shipment " +
		"went to the roster home, or when the shipment went to the home the roster claimed at the time — scan earlier " +
		"roster snapshots with the current one, dated by SCIM meta.lastModified); shipments to a " +
		"company office or depot (quiet when allow-listed under shared_addresses or when several employees have it as " +
		"their roster work address); a temporary stay with family (a shipment in care of a private person at a residence " +
		"in the claimed home country counts at half confidence, and with ONB-03 stays below medium without another signal)."
}

// References implements detect.Indicator.
func (*ShipToNotHome) References() []string {
	return []string{
		"KnowBe4, How a North Korean fake IT worker tried to infiltrate us, July 2024 (workstation sent to an address that was an IT mule laptop farm)",
		"Palo Alto Networks Unit 42, research on North Korean IT workers (laptop farms and shipping)",
		"Recorded Future Insikt Group, research on North Korean IT workers (shipping to facilitators)",
		"FBI public service announcement on North Korean IT workers, May 2024 (requests to ship laptops to a different address)",
	}
}

// Detect implements detect.Indicator.
func (d *ShipToNotHome) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	sites := knownSites(in)
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("ONB-01: %w", err)
		}
		if len(p.Shipments) == 0 || p.Roster == nil {
			continue
		}
		if f, ok := d.person(p, sites); ok {
			out = append(out, f)
		}
	}
	return out, nil
}

// person evaluates one employee's shipments.
func (d *ShipToNotHome) person(p *profile.Person, sites companySites) (detect.Finding, bool) {
	var (
		home         = p.Home()
		homeStreet   = home != nil && p.HomeKey() != ""
		homeCountry  string
		first        *event.Address // first ship-to that is not a company site
		ev           []detect.Evidence
		conf         float64
		other, moved []string
		careOf       bool // a shipment in care of a private person at a residence
	)
	if home != nil {
		homeCountry = address.Country(*home)
	}
	for i, e := range p.Shipments {
		s := e.Shipment
		to := s.ShipTo
		if e.AddressKey(0) == "" && address.Country(to) == "" {
			continue
		}
		if _, ok := sites.match(to, e.Time); ok {
			continue
		}
		toCountry := address.Country(to)
		switch {
		case homeStreet && address.Same(to, *home):
			// shipped home
		case homeStreet && shippedHomeLater(p.Shipments[i+1:], *home):
			// relocation: a later shipment went to the roster home
		case len(p.Features.Homes.Moves) > 0 && p.Features.Homes.AddressAt(to, e.Time):
			// the home claimed when it was shipped (relocation: profile.Timeline)
		case toCountry != "" && homeCountry != "" && toCountry != homeCountry:
			ev = append(ev, detect.EvidenceOf(e, "%s shipped on %s to %s, in %s, not the claimed home country %s",
				equipment(s), detect.Date(s.ShippedOn), address.Short(to), toCountry, homeCountry))
			conf = max(conf, confOtherCountry)
			other = append(other, toCountry)
		case homeStreet && careOfHome(s, homeCountry):
			ev = append(ev, detect.EvidenceOf(e, "%s shipped on %s to %s in care of %q, not the roster home address",
				equipment(s), detect.Date(s.ShippedOn), address.Short(to), s.ShipToName))
			conf = max(conf, confCareOfHome)
			careOf = true
		case homeStreet:
			ev = append(ev, detect.EvidenceOf(e, "%s shipped on %s to %s, not the roster home address",
				equipment(s), detect.Date(s.ShippedOn), address.Short(to)))
			conf = max(conf, confOtherAddress)
		case first != nil && !address.Same(to, *first) && afterHire(e.Time, p.Hired()):
			ev = append(ev, detect.EvidenceOf(e, "%s shipped on %s to %s after hire; earlier shipments went to %s",
				equipment(s), detect.Date(s.ShippedOn), address.Short(to), address.Short(*first)))
			conf = max(conf, confRerouted)
			moved = append(moved, address.Short(to))
		}
		if first == nil && e.AddressKey(0) != "" {
			first = &to
		}
	}
	if len(ev) == 0 {
		return detect.Finding{}, false
	}
	n := len(ev)
	var summary string
	switch {
	case len(other) > 0:
		summary = fmt.Sprintf("equipment shipped to another country (%s) than the claimed home (%s)", strings.Join(dedup(other), ", "), homeCountry)
	case homeStreet:
		summary = fmt.Sprintf("equipment shipped to %d %s other than the roster home address %s", n, detect.Plural(n, "address", "addresses"), address.Short(*home))
	default:
		summary = "ship-to changed after hire to " + strings.Join(dedup(moved), "; ") + " (no home address on the roster)"
	}
	if careOf && conf == confCareOfHome {
		summary += "; " + careOfHomeNote
	}
	if home != nil {
		ev = append(ev, detect.EvidenceOf(p.Roster, "roster home address: %s", address.Short(*home)))
	}
	if len(ev) > detect.MaxEvidence {
		summary += fmt.Sprintf(" (%d shipments in all; the first %d cited)", n, detect.MaxEvidence-1)
		ev = append(ev[:detect.MaxEvidence-1], ev[len(ev)-1])
	}
	return detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Confidence: conf, Evidence: ev}, true
}

// shippedHomeLater reports whether any of the later shipments went to home.
func shippedHomeLater(later []*event.Event, home event.Address) bool {
	for _, e := range later {
		if address.Same(e.Shipment.ShipTo, home) {
			return true
		}
	}
	return false
}

// afterHire reports whether t is after the hire date (true when the hire
// date is unknown).
func afterHire(t, hired time.Time) bool { return hired.IsZero() || t.After(hired) }

func dedup(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Examples implements detect.Indicator: a laptop for a claimed Austin
// resident shipped to a house in New Jersey; and a relocation, where the
// first laptop went to the old flat and a replacement to the new home now
// on the roster.
func (*ShipToNotHome) Examples() detect.Examples {
	return detect.Examples{
		Positive: detect.Example{
			Name: "laptop_shipped_to_another_state",
			Events: []*event.Event{
				rosterRecord(1, "E2001", "Daniel Brooks", event.Address{Street: "4810 Duval St", Locality: "Austin", Region: "TX", PostalCode: "78751", Country: "US"}),
				shipmentRecord(1, "E2001", "LT-0412", exampleHired.AddDate(0, 0, -5),
					event.Address{Street: "27 Maple Ave", Locality: "Edison", Region: "NJ", PostalCode: "08817", Country: "US"}),
			},
			Person: "E2001",
		},
		Negative: detect.Example{
			Name: "relocation_with_later_shipment_home",
			Events: []*event.Event{
				rosterRecord(1, "E2002", "Hannah Weiss", event.Address{Street: "1200 Pine Street, Apt 5", Locality: "Seattle", Region: "WA", PostalCode: "98101", Country: "US"}),
				shipmentRecord(1, "E2002", "LT-0388", exampleHired.AddDate(0, 0, -5),
					event.Address{Street: "77 Oak Blvd", Locality: "Portland", Region: "OR", PostalCode: "97205", Country: "US"}),
				shipmentRecord(2, "E2002", "MON-0102", exampleHired.AddDate(0, 7, 0),
					event.Address{Street: "1200 Pine St #5", Locality: "Seattle", Region: "WA", PostalCode: "98101-2210", Country: "US"}),
			},
			Person: "E2002",
		},
	}
}
