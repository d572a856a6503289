package identity

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func shipmentEvent(record int, employee, serial string, on time.Time) *event.Event {
	return &event.Event{Kind: event.KindShipment, Time: on, Prov: event.Provenance{Origin: &event.Origin{Source: "shipments", File: "s.csv"}, Record: record},
		Shipment: &event.Shipment{EmployeeID: employee, AssetSerial: serial, ShippedOn: on}}
}

func deviceEvent(host string, rows ...map[string]string) *event.Event {
	return &event.Event{Kind: event.KindDevice, Time: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		Prov: event.Provenance{Origin: &event.Origin{Source: "osquery", File: "osquery.log"}, Record: 1}, Device: &event.Device{HostID: host, Rows: event.RowsOf(rows...)}}
}

func TestHostOwners(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	roster := []*event.Event{
		rosterEvent("E1", "Jane Doe", "jdoe@acme.example", "3125550101"),
		rosterEvent("E2", "Omar Haddad", "ohaddad@acme.example", "3125550102"),
		rosterEvent("E3", "Ivan Petrov", "admin@acme.example", "3125550103"),
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   map[string]string // host → person ("" = unresolved)
	}{
		{
			name:   "shipped_serial",
			events: []*event.Event{shipmentEvent(1, "E1", "C02ABC", day(1)), deviceEvent("h1", map[string]string{"hardware_serial": "c02abc"})},
			want:   map[string]string{"h1": "E1"},
		},
		{
			name: "serial_beats_the_user",
			events: []*event.Event{shipmentEvent(1, "E1", "C02ABC", day(1)),
				deviceEvent("h1", map[string]string{"decorations.username": "ohaddad"}),
				deviceEvent("h1", map[string]string{"hardware_serial": "C02ABC", "decorations.username": "ohaddad"})},
			want: map[string]string{"h1": "E1"},
		},
		{
			name: "reshipped_laptop_belongs_to_the_latest_shipment",
			events: []*event.Event{shipmentEvent(2, "E2", "C02ABC", day(20)), shipmentEvent(1, "E1", "C02ABC", day(1)),
				deviceEvent("h1", map[string]string{"hardware_serial": "C02ABC"})},
			want: map[string]string{"h1": "E2"},
		},
		{
			name:   "unshipped_serial_resolves_by_user",
			events: []*event.Event{shipmentEvent(1, "E1", "C02ABC", day(1)), deviceEvent("h1", map[string]string{"hardware_serial": "ZZZ999", "decorations.username": "jdoe"})},
			want:   map[string]string{"h1": "E1"},
		},
		{
			name:   "windows_domain_user",
			events: []*event.Event{deviceEvent("h1", map[string]string{"decorations.username": `ACME\ohaddad`})},
			want:   map[string]string{"h1": "E2"},
		},
		{
			name:   "upn_user",
			events: []*event.Event{deviceEvent("h1", map[string]string{"decorations.username": "ohaddad@acme.local"})},
			want:   map[string]string{"h1": "E2"},
		},
		{
			name:   "built_in_admin_account_is_nobody",
			events: []*event.Event{deviceEvent("h1", map[string]string{"decorations.username": "admin"})},
			want:   map[string]string{"h1": ""},
		},
		{
			name: "most_reported_user_wins_over_a_technician",
			events: []*event.Event{deviceEvent("h1", map[string]string{"decorations.username": "ohaddad"}),
				deviceEvent("h1", map[string]string{"decorations.username": "jdoe"}, map[string]string{"decorations.username": "jdoe"})},
			want: map[string]string{"h1": "E1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pop := Resolve(append(append([]*event.Event{}, roster...), tt.events...))
			got := map[string]string{}
			for h := range tt.want {
				got[h] = ""
			}
			for _, p := range pop.People {
				for _, e := range p.Devices {
					got[e.Device.HostID] = p.ID
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("host owners (-want +got):\n%s", diff)
			}
		})
	}
}
