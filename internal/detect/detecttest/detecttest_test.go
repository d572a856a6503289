package detecttest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestBuilders(t *testing.T) {
	ship := ShipmentRecord(3, event.Shipment{EmployeeID: "E1", ShippedOn: Start})
	roster := HomeRoster(2, "E1", "Ada", event.Address{Country: "US"}, Start)
	got := []any{
		Ref(ShipmentFile, 3),
		ship.Prov, ship.Time.Equal(Start),
		roster.Prov, roster.Person.HomeAddress().Type, roster.Person.UserName,
		len(Join([]*event.Event{ship}, nil, []*event.Event{roster})),
	}
	want := []any{
		"examples/shipments.csv#3",
		event.Provenance{Origin: &event.Origin{Source: "shipments", File: ShipmentFile}, Record: 3, Line: 4}, true,
		event.Provenance{Origin: &event.Origin{Source: "scim", File: RosterFile}, Record: 2, ID: "u-E1"}, "home", "E1@example.com",
		2,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
