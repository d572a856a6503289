package offboarding

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// LaptopNotReturned is OFF-03: a person who has left still has the
// equipment shipped to them — no return shipment is recorded — in data
// that does record returns; stronger when the equipment sits at an address
// other people's equipment was shipped to (a laptop farm).
type LaptopNotReturned struct{}

var _ detect.Indicator = (*LaptopNotReturned)(nil)

// ID implements detect.Indicator.
func (*LaptopNotReturned) ID() string { return "OFF-03" }

// Name implements detect.Indicator.
func (*LaptopNotReturned) Name() string { return "Equipment not returned after departure" }

// Stage implements detect.Indicator.
func (*LaptopNotReturned) Stage() detect.Stage { return detect.StageOffboarding }

// Strength implements detect.Indicator.
func (*LaptopNotReturned) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator: the format that carries the
// observable (the roster and candidate records it is read against are
// needed by every indicator).
func (*LaptopNotReturned) Sources() []string { return []string{"shipments"} }

// Weight implements detect.Indicator.
func (*LaptopNotReturned) Weight() float64 { return 25 }

// returnGrace is how long after departure a return may still be in
// transit.
const returnGrace = 30 * 24 * time.Hour

// Confidences of the two forms.
const (
	confNotReturned = 0.7
	confAtFarm      = 1.0
)

// Description implements detect.Indicator.
func (*LaptopNotReturned) Description() string {
	return "The roster marks the person as gone (SCIM active=false), equipment was shipped to them, and more than 30 days " +
		"after their last recorded activity no return of it is recorded: a later shipment of the same asset (tag or serial) " +
		"back to the company (a company office or allow-listed depot, or the employer by name), or a shipment to a returns " +
		"desk (RMA, asset recovery, IT returns). A first delivery in care of the employer or to an office is a delivery, " +
		"not a return. " +
		"Laptops at farms are kept for the next persona. Full confidence when the unreturned equipment went to an address " +
		"that other people's equipment was also shipped to. What is computable: the shipments export lists outbound " +
		"shipments and, where the company records them, returns; it does not say where a return came from, so 'returned " +
		"from a farm address' is read as 'unreturned at an address shared with others'. The indicator stays silent on " +
		"data that records no returns at all (nobody would appear to have returned anything), and the departure date is " +
		"the last activity because the roster export has no deactivation date. Known false positives: returns handled " +
		"outside the shipments system (handed in at an office, collected by a courier booked elsewhere); equipment the " +
		"company let the person keep; late exports."
}

// References implements detect.Indicator.
func (*LaptopNotReturned) References() []string {
	return []string{
		"FBI public service announcement I-051624-PSA, North Korean IT workers, 16 May 2024 (laptops kept at facilitators' residences)",
		"US DOJ, coordinated actions against North Korean remote IT worker schemes, 30 June 2025 (laptop farms)",
	}
}

// Detect implements detect.Indicator.
func (d *LaptopNotReturned) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	rs := knownReturnSites(in)
	// Who was sent equipment at each address, and whether the data
	// records returns at all.
	shippedTo := map[string][]*profile.Person{}
	returnsRecorded := false
	for _, p := range in.Pop.People {
		out, back := rs.split(p.Shipments)
		returnsRecorded = returnsRecorded || len(back) > 0
		for _, e := range out {
			if k := e.AddressKey(0); k != "" && !slices.Contains(shippedTo[k], p) {
				shippedTo[k] = append(shippedTo[k], p)
			}
		}
	}
	if !returnsRecorded {
		return nil, nil
	}
	var findings []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("OFF-03: %w", err)
		}
		if !departed(p) || len(p.Shipments) == 0 {
			continue
		}
		out, back := rs.split(p.Shipments)
		kept := unreturned(out, back)
		if len(kept) == 0 {
			continue
		}
		last := kept[len(kept)-1]
		left := lastActivity(p)
		if last.Time.After(left) {
			left = last.Time
		}
		if in.Now.Sub(left) < returnGrace {
			continue
		}
		findings = append(findings, d.finding(p, last, left, shippedTo[last.AddressKey(0)], in.Now))
	}
	return findings, nil
}

func (d *LaptopNotReturned) finding(p *profile.Person, last *event.Event, left time.Time, sharers []*profile.Person, now time.Time) detect.Finding {
	s, key := last.Shipment, last.AddressKey(0)
	asset := s.AssetTag
	if asset == "" {
		asset = s.AssetSerial
	}
	if asset == "" {
		asset = "equipment"
	}
	days := int(now.Sub(left).Hours() / 24)
	summary := fmt.Sprintf("left (roster inactive; last activity %s) and no return of %s, shipped %s to %s, is recorded %d days later",
		detect.Date(left), asset, detect.Date(s.ShippedOn), address.Short(s.ShipTo), days)
	ev := []detect.Evidence{
		detect.EvidenceOf(p.Roster, "roster record of %s: active=false", p.ID),
		detect.EvidenceOf(last, "%s shipped %s to %s; no return shipment follows", asset, detect.Date(s.ShippedOn), address.Short(s.ShipTo)),
	}
	conf := confNotReturned
	var related, names []string
	for _, q := range sharers {
		if q != p {
			related = append(related, q.ID)
			names = append(names, q.Label())
		}
	}
	if len(related) > 0 {
		conf = confAtFarm
		slices.Sort(related)
		slices.Sort(names)
		summary += fmt.Sprintf("; that address also received equipment for %d other %s: %s", len(names), detect.Plural(len(names), "person", "people"),
			strings.Join(names, "; "))
		for _, q := range sharers {
			for _, e := range q.Shipments {
				if q != p && e.AddressKey(0) == key {
					ev = append(ev, detect.EvidenceOf(e, "equipment for %s shipped %s to the same address", q.Label(), detect.Date(e.Shipment.ShippedOn)))
				}
			}
		}
	}
	ev, note := detect.CapEvidence(ev)
	return detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary + note, Confidence: conf, Evidence: ev, Related: related}
}

// Examples implements detect.Indicator: a leaver whose laptop went to an
// address that also received a colleague's laptop, with no return in data
// that records another leaver's return; and a leaver whose return is
// recorded.
func (*LaptopNotReturned) Examples() detect.Examples {
	farm := event.Address{Street: "4410 Bellaire Blvd", Locality: "Houston", Region: "TX", PostalCode: "77401", Country: "US"}
	depot := event.Address{Street: "500 Commerce St", Locality: "Dallas", Region: "TX", PostalCode: "75202", Country: "US"}
	left := exampleHired.AddDate(0, 5, 0)
	return detect.Examples{
		Positive: detect.Example{
			Name: "leaver_laptop_at_a_shared_address",
			Events: []*event.Event{
				rosterRecord(1, "E3901", "Kevin Tran", false, farm),
				rosterRecord(2, "E3902", "Daniel Brooks", true, event.Address{Street: "19 Elm St", Locality: "Austin", PostalCode: "78701", Country: "US"}),
				rosterRecord(3, "E3903", "Hannah Weiss", false, event.Address{Street: "1200 Pine St", Locality: "Seattle", PostalCode: "98101", Country: "US"}),
				shipmentRecord(1, "E3901", "C02XK1", "Kevin Tran", farm, exampleHired),
				shipmentRecord(2, "E3902", "C02XK2", "Daniel Brooks", farm, exampleHired.AddDate(0, 1, 0)),
				shipmentRecord(3, "E3903", "C02XK3", "Hannah Weiss", event.Address{Street: "1200 Pine St", Locality: "Seattle", PostalCode: "98101", Country: "US"}, exampleHired),
				shipmentRecord(4, "E3903", "C02XK3", "Acme Corp IT Returns", depot, left.AddDate(0, 0, 5)),
				signInRecord(1, "E3901", left),
				signInRecord(2, "E3902", left.AddDate(0, 2, 0)), // the data runs on two months after Kevin left
			},
			Person: "E3901",
		},
		Negative: detect.Example{
			Name: "leaver_returned_the_laptop",
			Events: []*event.Event{
				rosterRecord(1, "E3904", "Omar Haddad", false, event.Address{Street: "77 Main St", Locality: "Boise", PostalCode: "83702", Country: "US"}),
				shipmentRecord(1, "E3904", "C02XK4", "Omar Haddad", event.Address{Street: "77 Main St", Locality: "Boise", PostalCode: "83702", Country: "US"}, exampleHired),
				shipmentRecord(2, "E3904", "C02XK4", "Acme Corp IT Returns", depot, left.AddDate(0, 0, 3)),
				signInRecord(1, "E3904", left),
				rosterRecord(2, "E3905", "Ana Souza", true, event.Address{Street: "8 Birch Rd", Locality: "Boise", PostalCode: "83702", Country: "US"}),
				signInRecord(2, "E3905", left.AddDate(0, 2, 0)), // the data runs on two months after Omar left
			},
			Person: "E3904",
		},
	}
}
