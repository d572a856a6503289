package sim

import (
	"encoding/csv"
	"fmt"
	"io"
	"time"
)

// PayrollHeader and ShipmentsHeader are the rollcall CSV headers.
var (
	PayrollHeader   = []string{"employee_id", "effective_date", "method", "account_fingerprint", "bank_country", "payee_name"}
	ShipmentsHeader = []string{"employee_id", "asset_tag", "asset_serial", "shipped_on", "ship_to_name", "ship_to_address", "ship_to_city", "ship_to_region", "ship_to_postal", "ship_to_country"}
)

// WritePayroll writes payroll.csv.
func (o *Org) WritePayroll(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(PayrollHeader); err != nil {
		return fmt.Errorf("payroll: %w", err)
	}
	for _, r := range o.Payroll {
		if err := cw.Write([]string{r.EmployeeID, r.Effective.Format(time.DateOnly), r.Method, o.fingerprint(r.Account), r.BankCountry, r.Payee}); err != nil {
			return fmt.Errorf("payroll: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("payroll: %w", err)
	}
	return nil
}

// WriteShipments writes shipments.csv.
func (o *Org) WriteShipments(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ShipmentsHeader); err != nil {
		return fmt.Errorf("shipments: %w", err)
	}
	for _, s := range o.Shipments {
		rec := []string{s.EmployeeID, s.AssetTag, s.Serial, s.ShippedOn.Format(time.DateOnly), s.Name, s.To.Street, s.To.City, s.To.Region, s.To.Postal, s.To.Country}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("shipments: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("shipments: %w", err)
	}
	return nil
}
