package payroll

import (
	"time"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

// Builders for the indicators' own examples (Examples()): realistic
// roster and payroll records with provenance, as the adapters emit them.

const (
	exampleRosterFile  = detecttest.RosterFile
	examplePayrollFile = detecttest.PayrollFile
)

var exampleHired = time.Date(2025, 2, 3, 9, 0, 0, 0, time.UTC)

// rosterRecord is a SCIM user with a home address, hired on exampleHired.
func rosterRecord(record int, id, name string, home event.Address) *event.Event {
	return detecttest.HomeRoster(record, id, name, home, exampleHired)
}

// payoutRecord is one payroll CSV row: record is the 1-based data record,
// on line record+1 below the header.
func payoutRecord(record int, employee string, effective time.Time, method, fingerprint, bankCountry string) *event.Event {
	return &event.Event{
		Kind: event.KindPayout,
		Time: effective,
		Prov: event.Provenance{Origin: &event.Origin{Source: "payroll", File: examplePayrollFile}, Record: record, Line: record + 1},
		Payout: &event.Payout{EmployeeID: employee, EffectiveDate: effective, Method: method,
			AccountFingerprint: fingerprint, BankCountry: bankCountry},
	}
}
