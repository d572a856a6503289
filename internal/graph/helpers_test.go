package graph

import (
	"fmt"
	"net/netip"
	"sort"
	"time"

	"github.com/rollcall/rollcall/internal/enrich"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// Test fixtures: people are built directly (identity resolution is tested
// in its own package).

var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

var record int

func prov(source string) event.Provenance {
	record++
	return event.Provenance{Origin: &event.Origin{Source: source, File: source + ".json"}, Record: record}
}

func home(street, city, postal string) event.Address {
	return event.Address{Type: "home", Street: street, Locality: city, PostalCode: postal, Country: "US"}
}

// employee is a roster person with a home address (zero Address: none).
func employee(id string, addr event.Address) *profile.Person {
	hr := &event.Person{EmployeeID: id, Name: "Person " + id, UserName: id + "@example.com",
		Emails: []string{id + "@example.com"}, Active: true}
	if addr.Street != "" {
		hr.Addresses = []event.Address{addr}
	}
	return &profile.Person{ID: id, Kind: profile.KindEmployee, EmployeeID: id, Name: hr.Name,
		Roster: &event.Event{Kind: event.KindPerson, Time: t0, Prov: prov("scim"), Person: hr}}
}

func payout(p *profile.Person, fingerprint string) *profile.Person {
	p.Payouts = append(p.Payouts, &event.Event{Kind: event.KindPayout, Time: t0, Prov: prov("payroll"),
		Payout: &event.Payout{EmployeeID: p.ID, EffectiveDate: t0, Method: "bank", AccountFingerprint: fingerprint}})
	return p
}

func shipment(p *profile.Person, serial string, to event.Address) *profile.Person {
	to.Type = "ship_to"
	p.Shipments = append(p.Shipments, &event.Event{Kind: event.KindShipment, Time: t0, Prov: prov("shipments"),
		Shipment: &event.Shipment{EmployeeID: p.ID, AssetTag: "A-" + p.ID, AssetSerial: serial, ShippedOn: t0, ShipTo: to}})
	return p
}

func phone(p *profile.Person, number string) *profile.Person {
	p.HR().Phones = append(p.HR().Phones, number)
	return p
}

// signIns adds one successful sign-in from ip on each of days days.
func signIns(p *profile.Person, ip string, days int, net event.Network) *profile.Person {
	net.IP = netip.MustParseAddr(ip)
	for d := range days {
		p.SignIns = append(p.SignIns, &event.Event{Kind: event.KindSignIn, Time: t0.AddDate(0, 0, d), Prov: prov("okta"),
			SignIn: &event.SignIn{Action: "user.session.start", Outcome: event.OutcomeSuccess, Net: &net}})
	}
	return p
}

func applicant(id string, websites ...string) *profile.Person {
	return &profile.Person{ID: profile.ApplicantIDPrefix + id, Kind: profile.KindApplicant, CandidateIDs: []string{id},
		Applicants: []*event.Event{{Kind: event.KindApplicant, Time: t0, Prov: prov("greenhouse"),
			Applicant: &event.Applicant{CandidateID: id, Name: "Cand " + id, Websites: websites}}}}
}

func population(people ...*profile.Person) *profile.Population {
	pop := &profile.Population{ByID: map[string]*profile.Person{}}
	for _, p := range people {
		pop.People = append(pop.People, p)
		pop.ByID[p.ID] = p
	}
	sort.Slice(pop.People, func(i, j int) bool { return pop.People[i].ID < pop.People[j].ID })
	return pop
}

// street returns a distinct street address for n.
func street(n int) event.Address {
	return home(fmt.Sprintf("%d Oak Ave", 100+n), "Springfield", "62701")
}

// build derives the facts of the people's records under pol, as the
// pipeline does before the graph reads them, and builds the clusters.
func build(pop *profile.Population, pol *policy.Policy, now time.Time) []Cluster {
	for _, p := range pop.People {
		if p.Roster != nil {
			enrich.Stamp([]*event.Event{p.Roster}, pol)
		}
		for _, l := range [][]*event.Event{p.Applicants, p.SignIns, p.Audits, p.Devices, p.Payouts, p.Shipments} {
			enrich.Stamp(l, pol)
		}
	}
	profile.Build(pop, pol)
	return Build(pop, pol, now)
}
