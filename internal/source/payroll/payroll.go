// Package payroll reads payout-method records in rollcall's payroll CSV:
//
//	employee_id,effective_date,method,account_fingerprint,bank_country,payee_name
//
// One row is one payout method that took effect for an employee on a date.
// account_fingerprint is a salted hash the customer computes, so raw
// account numbers never reach rollcall. Every row becomes one
// event.KindPayout event.
package payroll

import (
	"context"
	"io"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "payroll"

// Columns is the header the format requires (any order, extra columns
// ignored).
var Columns = []string{"employee_id", "effective_date", "method", "account_fingerprint", "bank_country", "payee_name"}

// Format is the payroll CSV format.
type Format struct{}

var _ source.Format = (*Format)(nil)

// New returns the payroll CSV format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "payout records, rollcall CSV: " + strings.Join(Columns, ",")
}

// Sniff claims CSV whose header has every payroll column.
func (*Format) Sniff(head []byte) bool { return source.SniffCSVHeader(head, Columns) }

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	return source.DecodeCSV(ctx, r, file, ID, Columns, sink, parse)
}

func parse(row source.Row) (*event.Event, error) {
	p := &event.Payout{
		EmployeeID:         row.Get("employee_id"),
		Method:             strings.ToLower(row.Get("method")),
		AccountFingerprint: row.Get("account_fingerprint"),
		PayeeName:          row.Get("payee_name"),
	}
	if p.EmployeeID == "" {
		return nil, source.Fieldf("employee_id", "missing")
	}
	d, err := source.ParseDate(row.Get("effective_date"))
	if err != nil {
		return nil, &source.FieldError{Field: "effective_date", Err: err}
	}
	p.EffectiveDate = d
	if !slices.Contains(event.PayoutMethods, p.Method) {
		return nil, source.Fieldf("method", "%q is not a payout method; use one of %s",
			row.Get("method"), strings.Join(event.PayoutMethods, ", "))
	}
	if p.AccountFingerprint == "" {
		return nil, source.Fieldf("account_fingerprint", "missing")
	}
	if p.BankCountry, err = source.CountryAlpha2(row.Get("bank_country")); err != nil {
		return nil, &source.FieldError{Field: "bank_country", Err: err}
	}
	return &event.Event{
		Kind:    event.KindPayout,
		Time:    d,
		Account: &event.Actor{ID: p.EmployeeID},
		Payout:  p,
	}, nil
}
