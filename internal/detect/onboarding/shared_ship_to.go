package onboarding

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// SharedShipTo is ONB-02: one ship-to address receiving equipment for two
// or more people, at once or over time (a laptop farm).
type SharedShipTo struct{}

var _ detect.Indicator = (*SharedShipTo)(nil)

// ID implements detect.Indicator.
func (*SharedShipTo) ID() string { return "ONB-02" }

// Name implements detect.Indicator.
func (*SharedShipTo) Name() string { return "Ship-to address shared by several people" }

// Stage implements detect.Indicator.
func (*SharedShipTo) Stage() detect.Stage { return detect.StageOnboarding }

// Strength implements detect.Indicator.
func (*SharedShipTo) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator.
func (*SharedShipTo) Sources() []string { return []string{"shipments", "scim"} }

// Weight implements detect.Indicator.
func (*SharedShipTo) Weight() float64 { return 55 }

// Description implements detect.Indicator.
func (*SharedShipTo) Description() string {
	return "Equipment for two or more different people was shipped to the same address (after normalisation), at the same " +
		"time or months apart. Laptop farms receive the laptops of many remote operatives at one facilitator's home; every " +
		"person shipped there gets a finding naming the others, and the address is shown with whose roster home it is. " +
		"Known false positives: couples or housemates who both work here (quiet when the address is the roster home of " +
		"everyone shipped there); a company office or depot (quiet when allow-listed under shared_addresses or when several " +
		"employees have it as their roster work address, or when it received equipment for more people than " +
		"cluster.max_cell_size, default 40: far more than any laptop farm holds at one employer); a family member's address " +
		"used while moving."
}

// References implements detect.Indicator.
func (*SharedShipTo) References() []string {
	return []string{
		"US DOJ, Arizona woman sentenced for laptop farm that helped North Korean IT workers (Christina Chapman), July 2025",
		"US DOJ, Nashville man arrested for laptop farm for North Korean IT workers (Matthew Knoot), Aug 2024",
		"US DOJ, coordinated actions against North Korean remote IT worker schemes incl. Zhenxing Wang laptop farm, 30 June 2025",
	}
}

// shipped is one shipment of one person.
type shipped struct {
	person *profile.Person
	event  *event.Event
}

// Detect implements detect.Indicator.
func (d *SharedShipTo) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	sites := knownSites(in)
	byAddress := map[string][]shipped{}
	var order []string
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("ONB-02: %w", err)
		}
		for _, e := range p.Shipments {
			k := e.AddressKey(0)
			if len(in.Pop.Index.ShipTo.Holders(k)) < 2 { // nobody else was shipped there
				continue
			}
			if _, ok := sites.match(e.Shipment.ShipTo, e.Time); ok {
				continue
			}
			if byAddress[k] == nil {
				order = append(order, k)
			}
			byAddress[k] = append(byAddress[k], shipped{person: p, event: e})
		}
	}
	// An address receiving equipment for more people than any cell holds
	// (cluster.max_cell_size) is a depot or an office, not a laptop farm.
	maxPeople := 0
	if in.Policy != nil {
		maxPeople = in.Policy.Cluster.MaxCellSize
	}
	// shares[person id] lists the shared addresses' shipments.
	shares := map[string][][]shipped{}
	for _, k := range order {
		group := byAddress[k]
		people := distinctPeople(group)
		if len(people) < 2 || household(people, group[0].event.Shipment.ShipTo) || maxPeople > 0 && len(people) > maxPeople {
			continue
		}
		for _, p := range people {
			shares[p.ID] = append(shares[p.ID], group)
		}
	}
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if groups := shares[p.ID]; len(groups) > 0 {
			out = append(out, d.finding(p, groups))
		}
	}
	return out, nil
}

// finding builds the finding on p: per shared address, p's shipments
// first, then the others'.
func (d *SharedShipTo) finding(p *profile.Person, groups [][]shipped) detect.Finding {
	var (
		ev      []detect.Evidence
		related []string
		parts   []string
	)
	for _, g := range groups {
		addr := g[0].event.Shipment.ShipTo
		var names, homeOf []string
		for _, q := range distinctPeople(g) {
			if h := q.Home(); h != nil && address.Same(*h, addr) {
				homeOf = append(homeOf, q.Label())
			}
			if q == p {
				continue
			}
			names = append(names, q.Label())
			if !slices.Contains(related, q.ID) {
				related = append(related, q.ID)
			}
		}
		part := fmt.Sprintf("%s also received equipment for %d other %s: %s", address.Short(addr), len(names),
			detect.Plural(len(names), "person", "people"), strings.Join(names, "; "))
		if len(homeOf) > 0 {
			part += " (roster home of " + strings.Join(homeOf, "; ") + ")"
		}
		parts = append(parts, part)
		for _, s := range g {
			if s.person == p {
				ev = append(ev, detect.EvidenceOf(s.event, "%s for %s shipped on %s to %s", equipment(s.event.Shipment),
					p.ID, detect.Date(s.event.Shipment.ShippedOn), address.Short(addr)))
			}
		}
		for _, s := range g {
			if s.person != p {
				ev = append(ev, detect.EvidenceOf(s.event, "%s for %s shipped on %s to the same address", equipment(s.event.Shipment),
					s.person.Label(), detect.Date(s.event.Shipment.ShippedOn)))
			}
		}
	}
	slices.Sort(related)
	summary := strings.Join(parts, "; ")
	if len(ev) > detect.MaxEvidence {
		summary += fmt.Sprintf(" (%d shipments in all; the first %d cited)", len(ev), detect.MaxEvidence)
		ev = ev[:detect.MaxEvidence]
	}
	return detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Evidence: ev, Related: related}
}

func distinctPeople(g []shipped) []*profile.Person {
	var out []*profile.Person
	for _, s := range g {
		if !slices.Contains(out, s.person) {
			out = append(out, s.person)
		}
	}
	return out
}

// household reports whether addr is the roster home of every person: a
// couple or housemates who both work here.
func household(people []*profile.Person, addr event.Address) bool {
	for _, p := range people {
		if h := p.Home(); h == nil || !address.Same(*h, addr) {
			return false
		}
	}
	return true
}

// Examples implements detect.Indicator: laptops for two people who claim
// homes in different states both go to one house in Arizona; and a
// married couple who both work here, each with a laptop shipped home.
func (*SharedShipTo) Examples() detect.Examples {
	farm := event.Address{Street: "318 Saguaro Way", Locality: "Glendale", Region: "AZ", PostalCode: "85301", Country: "US"}
	home := event.Address{Street: "55 Birch Lane", Locality: "Madison", Region: "WI", PostalCode: "53703", Country: "US"}
	return detect.Examples{
		Positive: detect.Example{
			Name: "two_personas_one_farm",
			Events: []*event.Event{
				rosterRecord(1, "E3001", "Kevin Tran", event.Address{Street: "902 Lake Shore Dr", Locality: "Chicago", Region: "IL", PostalCode: "60611", Country: "US"}),
				rosterRecord(2, "E3002", "Samuel Okafor", event.Address{Street: "14 Harbor View Rd", Locality: "San Diego", Region: "CA", PostalCode: "92101", Country: "US"}),
				shipmentRecord(1, "E3001", "LT-0501", exampleHired.AddDate(0, 0, -4), farm),
				shipmentRecord(2, "E3002", "LT-0577", exampleHired.AddDate(0, 3, 0), farm),
			},
			Person: "E3001",
		},
		Negative: detect.Example{
			Name: "couple_both_employed",
			Events: []*event.Event{
				rosterRecord(1, "E3101", "Anna Kowalski", home),
				rosterRecord(2, "E3102", "Piotr Kowalski", event.Address{Street: "55 Birch Ln", Locality: "Madison", Region: "WI", PostalCode: "53703-1101", Country: "US"}),
				shipmentRecord(1, "E3101", "LT-0610", exampleHired.AddDate(0, 0, -4), home),
				shipmentRecord(2, "E3102", "LT-0655", exampleHired.AddDate(0, 1, 0), home),
			},
			Person: "E3101",
		},
	}
}
