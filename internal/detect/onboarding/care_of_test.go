package onboarding

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// TestCareOfHome: a laptop sent in care of a relative at a house in the
// claimed home country is weak in ONB-01 and ONB-03, and the two together
// stay below medium; care of a freight company, a mailbox, or a relative
// abroad keeps full strength.
func TestCareOfHome(t *testing.T) {
	austin := event.Address{Street: "4810 Duval St", Locality: "Austin", Region: "TX", PostalCode: "78751", Country: "US"}
	parents := event.Address{Street: "27 Maple Ave", Locality: "Edison", Region: "NJ", PostalCode: "08817", Country: "US"}
	shipped := func(to event.Address, name string) []*event.Event {
		s := shipmentRecord(1, "E1", "LT-1", days(-5), to)
		s.Shipment.ShipToName = name
		return []*event.Event{rosterRecord(1, "E1", "Daniel Brooks", austin), s}
	}
	abroad := parents
	abroad.Street, abroad.Locality, abroad.Region, abroad.PostalCode, abroad.Country = "ul. Długa 12", "Kraków", "", "31-147", "PL"
	withStreet := parents
	withStreet.Street = "c/o Maria Brooks, 27 Maple Ave"
	tests := []struct {
		name         string
		events       []*event.Event
		onb01, onb03 float64 // confidence; 0: no finding
	}{
		{name: "care_of_mother_at_her_house", events: shipped(parents, "Daniel Brooks c/o Maria Brooks"), onb01: confCareOfHome, onb03: confCareOfHome},
		{name: "care_of_in_the_street_line", events: shipped(withStreet, "Daniel Brooks"), onb01: confCareOfHome, onb03: confCareOfHome},
		{name: "care_of_a_freight_company", events: shipped(parents, "Daniel Brooks c/o Apex Freight LLC"), onb01: confOtherAddress, onb03: 0.8},
		{name: "care_of_at_a_private_mailbox", events: shipped(event.Address{Street: "2100 Kietzke Ln Ste 104 PMB 331", Locality: "Reno", Region: "NV", PostalCode: "89502", Country: "US"}, "Daniel Brooks c/o Maria Brooks"),
			onb01: confOtherAddress, onb03: 1},
		{name: "care_of_a_relative_abroad", events: shipped(abroad, "Daniel Brooks c/o Maria Brooks"), onb01: confOtherCountry, onb03: 0.8},
		{name: "no_care_of_another_house", events: shipped(parents, "Daniel Brooks"), onb01: confOtherAddress},
	}
	conf := func(t *testing.T, ind detect.Indicator, events []*event.Event) float64 {
		got, _ := run(t, ind, nil, events)
		if len(got) == 0 {
			return 0
		}
		return got[0].Confidence
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := [2]float64{conf(t, &ShipToNotHome{}, tt.events), conf(t, &NonResidentialShipTo{}, tt.events)}
			if diff := cmp.Diff([2]float64{tt.onb01, tt.onb03}, got); diff != "" {
				t.Errorf("ONB-01, ONB-03 confidences (-want +got):\n%s", diff)
			}
		})
	}
	// Both weak forms together, without any decay, stay below medium.
	if sum := confCareOfHome * ((&ShipToNotHome{}).Weight() + (&NonResidentialShipTo{}).Weight()); sum >= policy.Default().Levels.Medium {
		t.Errorf("care-of at home scores %g in ONB-01 + ONB-03, reaching medium (%g)", sum, policy.Default().Levels.Medium)
	}
}

// TestSharedShipToDepot: an address that received laptops for more people
// than any cell holds is a depot; five people shipped to one house is a
// laptop farm.
func TestSharedShipToDepot(t *testing.T) {
	depot := event.Address{Street: "500 Industrial Pkwy", Locality: "Memphis", Region: "TN", PostalCode: "38118", Country: "US"}
	staff := func(n int) []*event.Event {
		var out []*event.Event
		for i := range n {
			id := fmt.Sprintf("E%03d", i)
			home := event.Address{Street: fmt.Sprintf("%d Oak St", 10+i), Locality: "Austin", Region: "TX", PostalCode: "78751", Country: "US"}
			out = append(out, rosterRecord(i+1, id, "Person "+id, home), shipmentRecord(i+1, id, "LT-"+id, days(-5), depot))
		}
		return out
	}
	for _, tt := range []struct {
		name string
		n    int
		want int // people found
	}{{"depot_for_45", 45, 0}, {"farm_of_5", 5, 5}} {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &SharedShipTo{}, policy.Default(), staff(tt.n))
			if len(got) != tt.want {
				t.Errorf("%d people found, want %d", len(got), tt.want)
			}
		})
	}
}
