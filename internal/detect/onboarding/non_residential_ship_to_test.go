package onboarding

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestNonResidentialShipTo(t *testing.T) {
	one := func(to event.Address, name string) []*event.Event {
		s := shipmentRecord(1, "E1", "LT-1", days(-3), to)
		s.Shipment.ShipToName = name
		return []*event.Event{rosterRecord(1, "E1", "Ethan Cole", austin), s}
	}
	tests := []struct {
		name   string
		pol    *policy.Policy
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "private_mailbox",
			events: one(event.Address{Street: "2100 Kietzke Ln Ste 104 PMB 331", Locality: "Reno", PostalCode: "89502", Country: "US"}, "Ethan Cole"),
			want:   []outcome{{Person: "E1", Confidence: 1, Records: []string{ship(1)}}},
		},
		{
			name:   "po_box",
			events: one(event.Address{Street: "P.O. Box 4471", Locality: "Austin", PostalCode: "78765", Country: "US"}, "Ethan Cole"),
			want:   []outcome{{Person: "E1", Confidence: 1, Records: []string{ship(1)}}},
		},
		{
			name:   "mailbox_chain_in_recipient_line",
			events: one(event.Address{Street: "9 Commerce Dr # 212", Locality: "Austin", PostalCode: "78701", Country: "US"}, "Ethan Cole, The UPS Store 4411"),
			want:   []outcome{{Person: "E1", Confidence: 1, Records: []string{ship(1)}}},
		},
		{
			name:   "care_of_freight_forwarder",
			events: one(event.Address{Street: "c/o Pacific Freight Services, 88 Dock Rd", Locality: "Carson", PostalCode: "90745", Country: "US"}, "Ethan Cole"),
			want:   []outcome{{Person: "E1", Confidence: 0.8, Records: []string{ship(1)}}},
		},
		{
			name:   "held_for_carrier_pickup",
			events: one(event.Address{Street: "Hold for pickup, FedEx Office, 200 Congress Ave", Locality: "Austin", PostalCode: "78701", Country: "US"}, "Ethan Cole"),
			want:   []outcome{{Person: "E1", Confidence: 0.8, Records: []string{ship(1)}}},
		},
		// Negative cases.
		{
			name:   "apartment",
			events: one(event.Address{Street: "1200 Pine St Apt 4B", Locality: "Seattle", PostalCode: "98101", Country: "US"}, "Ethan Cole"),
		},
		{
			name:   "hash_apartment",
			events: one(event.Address{Street: "480 Elm Ave #12", Locality: "Denver", PostalCode: "80203", Country: "US"}, "Ethan Cole"),
		},
		{
			name:   "box_elder_street",
			events: one(event.Address{Street: "1450 Box Elder Street", Locality: "Boise", PostalCode: "83702", Country: "US"}, "Ethan Cole"),
		},
		{
			name:   "suite_in_an_office_building",
			events: one(event.Address{Street: "500 Market St Suite 210", Locality: "San Francisco", PostalCode: "94105", Country: "US"}, "Ethan Cole"),
		},
		{
			name:   "allow_listed_depot_with_care_of",
			pol:    depotPolicy(),
			events: one(event.Address{Street: "10 Commerce Pkwy Ste 300", Locality: "Columbus", PostalCode: "43215", Country: "US"}, "c/o IT Depot"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &NonResidentialShipTo{}, tt.pol, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNonResidentialShipToEvidenceSaysWhy(t *testing.T) {
	ex := (&NonResidentialShipTo{}).Examples().Positive
	_, fs := run(t, &NonResidentialShipTo{}, nil, ex.Events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	if want := "private mailbox (PMB) at a commercial mail receiving agency"; !strings.Contains(fs[0].Evidence[0].Summary, want) {
		t.Errorf("evidence %q does not say %q", fs[0].Evidence[0].Summary, want)
	}
}
