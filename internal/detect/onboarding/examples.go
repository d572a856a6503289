package onboarding

import (
	"time"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

// Builders for the indicators' own examples (Examples()): realistic
// roster and shipment records with provenance, as the adapters emit them.

const (
	exampleRosterFile   = detecttest.RosterFile
	exampleShipmentFile = detecttest.ShipmentFile
)

var exampleHired = time.Date(2025, 2, 3, 9, 0, 0, 0, time.UTC)

// rosterRecord is a SCIM user with a home address, as the scim adapter
// emits it.
func rosterRecord(record int, id, name string, home event.Address) *event.Event {
	return detecttest.HomeRoster(record, id, name, home, exampleHired)
}

// shipmentRecord is one shipments CSV row: record is the 1-based data
// record, on line record+1 below the header.
func shipmentRecord(record int, employee, tag string, on time.Time, to event.Address) *event.Event {
	to.Type = "ship_to"
	return detecttest.ShipmentRecord(record, event.Shipment{EmployeeID: employee, AssetTag: tag, AssetSerial: "SN" + tag, ShippedOn: on,
		ShipTo: to})
}
