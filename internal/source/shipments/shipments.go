// Package shipments reads equipment shipments in rollcall's shipments CSV:
//
//	employee_id,asset_tag,asset_serial,shipped_on,ship_to_name,ship_to_address,ship_to_city,ship_to_region,ship_to_postal,ship_to_country
//
// One row is one device (laptop, token…) shipped to an employee. Every row
// becomes one event.KindShipment event.
package shipments

import (
	"context"
	"io"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "shipments"

// Columns is the header the format requires (any order, extra columns
// ignored).
var Columns = []string{"employee_id", "asset_tag", "asset_serial", "shipped_on", "ship_to_name",
	"ship_to_address", "ship_to_city", "ship_to_region", "ship_to_postal", "ship_to_country"}

// Format is the shipments CSV format.
type Format struct{}

var _ source.Format = (*Format)(nil)

// New returns the shipments CSV format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "equipment shipments, rollcall CSV: " + strings.Join(Columns, ",")
}

// Sniff claims CSV whose header has every shipments column.
func (*Format) Sniff(head []byte) bool { return source.SniffCSVHeader(head, Columns) }

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	return source.DecodeCSV(ctx, r, file, ID, Columns, sink, parse)
}

func parse(row source.Row) (*event.Event, error) {
	s := &event.Shipment{
		EmployeeID:  row.Get("employee_id"),
		AssetTag:    row.Get("asset_tag"),
		AssetSerial: row.Get("asset_serial"),
		ShipToName:  row.Get("ship_to_name"),
		ShipTo: event.Address{
			Type:       "ship_to",
			Street:     row.Get("ship_to_address"),
			Locality:   row.Get("ship_to_city"),
			Region:     row.Get("ship_to_region"),
			PostalCode: row.Get("ship_to_postal"),
		},
	}
	if s.EmployeeID == "" {
		return nil, source.Fieldf("employee_id", "missing")
	}
	if row.Get("shipped_on") == "" {
		return nil, source.Fieldf("shipped_on", "missing")
	}
	d, err := source.ParseDate(row.Get("shipped_on"))
	if err != nil {
		return nil, &source.FieldError{Field: "shipped_on", Err: err}
	}
	s.ShippedOn = d
	if s.ShipTo.Country, err = source.CountryAlpha2(row.Get("ship_to_country")); err != nil {
		return nil, &source.FieldError{Field: "ship_to_country", Err: err}
	}
	return &event.Event{
		Kind:     event.KindShipment,
		Time:     d,
		Account:  &event.Actor{ID: s.EmployeeID},
		Shipment: s,
	}, nil
}
