package onboarding

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
)

// NonResidentialShipTo is ONB-03: equipment shipped to a mail forwarder,
// a PO box or a commercial (care-of, freight, warehouse, pickup) address.
type NonResidentialShipTo struct{}

var _ detect.Indicator = (*NonResidentialShipTo)(nil)

// ID implements detect.Indicator.
func (*NonResidentialShipTo) ID() string { return "ONB-03" }

// Name implements detect.Indicator.
func (*NonResidentialShipTo) Name() string {
	return "Laptop shipped to a mail forwarder, PO box or commercial address"
}

// Stage implements detect.Indicator.
func (*NonResidentialShipTo) Stage() detect.Stage { return detect.StageOnboarding }

// Strength implements detect.Indicator.
func (*NonResidentialShipTo) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*NonResidentialShipTo) Sources() []string { return []string{"shipments"} }

// Weight implements detect.Indicator.
func (*NonResidentialShipTo) Weight() float64 { return 28 }

// Description implements detect.Indicator.
func (*NonResidentialShipTo) Description() string {
	return "Equipment was shipped to an address that is not a home: a private mailbox at a commercial mail receiving agency " +
		"(PMB, mailbox-rental chains such as The UPS Store), a parcel forwarder or reshipper, a PO box, a care-of (c/o) or " +
		"freight/warehouse address, or held for carrier pickup. Operatives and facilitators use such addresses to receive " +
		"laptops without a home that matches the identity. Patterns come from a documented list (address patterns.csv, each " +
		"row with its source); the recipient line is checked too. Known false positives: people who really use a mailbox " +
		"service (frequent travellers, rural addresses, privacy-minded staff); small offices in commercial buildings; a " +
		"company depot (quiet when allow-listed under shared_addresses or a roster office). An apartment (\"Apt 4B\", \"#12\") " +
		"is not a mailbox, and \"Box Elder Street\" is not a PO box. A laptop sent in care of a private person at an ordinary " +
		"residence in the claimed home country (a stay with family, a move) counts at 0.35 confidence."
}

// References implements detect.Indicator.
func (*NonResidentialShipTo) References() []string {
	return []string{
		"Recorded Future Insikt Group, research on North Korean IT workers (reshipping and forwarding addresses)",
		"Security Alliance (SEAL), DPRK IT Workers framework, github.com/security-alliance/frameworks",
		"USPS Publication 28, Postal Addressing Standards: Post Office Box and Private Mailbox (CMRA) addresses, pe.usps.gov/text/pub28/28c2_008.html",
	}
}

// confidence of each address class.
var classConfidence = map[address.Class]float64{
	address.MailForwarder: 1.0,
	address.POBox:         1.0,
	address.Commercial:    0.8,
}

// Detect implements detect.Indicator.
func (d *NonResidentialShipTo) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	sites := knownSites(in)
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("ONB-03: %w", err)
		}
		var (
			ev      []detect.Evidence
			conf    float64
			reasons []string
		)
		for _, e := range p.Shipments {
			s := e.Shipment
			if _, ok := sites.match(s.ShipTo, e.Time); ok {
				continue
			}
			r, ok := address.Match(s.ShipTo)
			where := address.Short(s.ShipTo)
			if !ok {
				if r, ok = address.MatchLine(s.ShipToName); !ok {
					continue
				}
				where = fmt.Sprintf("%q at %s", s.ShipToName, where)
			}
			reason, c := r.Reason, classConfidence[r.Class]
			if careOfHome(s, homeCountry(p)) {
				reason, c = "care-of a private person at a residence in the claimed home country ("+careOfHomeNote+")", confCareOfHome
			}
			ev = append(ev, detect.EvidenceOf(e, "%s shipped on %s to %s: %s", equipment(s), detect.Date(s.ShippedOn), where, reason))
			conf = max(conf, c)
			if !slices.Contains(reasons, reason) {
				reasons = append(reasons, reason)
			}
		}
		if len(ev) == 0 {
			continue
		}
		summary := fmt.Sprintf("equipment shipped to a non-residential address: %s", strings.Join(reasons, "; "))
		if len(ev) > detect.MaxEvidence {
			summary += fmt.Sprintf(" (%d shipments in all; the first %d cited)", len(ev), detect.MaxEvidence)
			ev = ev[:detect.MaxEvidence]
		}
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Confidence: conf, Evidence: ev})
	}
	return out, nil
}

// Examples implements detect.Indicator: a laptop sent to a private mailbox
// (PMB) at a mailbox-rental store; and one sent to an ordinary apartment.
func (*NonResidentialShipTo) Examples() detect.Examples {
	return detect.Examples{
		Positive: detect.Example{
			Name: "private_mailbox",
			Events: []*event.Event{
				rosterRecord(1, "E4001", "Ethan Cole", event.Address{Street: "66 Elm Ct", Locality: "Reno", Region: "NV", PostalCode: "89501", Country: "US"}),
				shipmentRecord(1, "E4001", "LT-0720", exampleHired.AddDate(0, 0, -3),
					event.Address{Street: "2100 Kietzke Ln Ste 104 PMB 331", Locality: "Reno", Region: "NV", PostalCode: "89502", Country: "US"}),
			},
			Person: "E4001",
		},
		Negative: detect.Example{
			Name: "apartment_unit_and_box_elder_street",
			Events: []*event.Event{
				rosterRecord(1, "E4002", "Lucia Ortiz", event.Address{Street: "1450 Box Elder Street Apt 4B", Locality: "Boise", Region: "ID", PostalCode: "83702", Country: "US"}),
				shipmentRecord(1, "E4002", "LT-0731", exampleHired.AddDate(0, 0, -3),
					event.Address{Street: "1450 Box Elder St #4B", Locality: "Boise", Region: "ID", PostalCode: "83702", Country: "US"}),
			},
			Person: "E4002",
		},
	}
}
