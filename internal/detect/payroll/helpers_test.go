package payroll

import (
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// outcome is the part of a finding the table tests compare; Records are
// "file#record" of each evidence.
type outcome = detecttest.RefOutcome

// run resolves events, runs ind and reduces its findings to outcomes.
func run(t *testing.T, ind detect.Indicator, events []*event.Event) ([]outcome, []detect.Finding) {
	t.Helper()
	in := &detect.Input{Pop: detecttest.Population(events, nil), Policy: &policy.Policy{}, Now: exampleHired.AddDate(1, 0, 0)}
	return detecttest.RunRefs(t, ind, in)
}

func pay(n int) string { return detecttest.Ref(examplePayrollFile, n) }

// days is a time relative to the example hire date.
func days(n int) time.Time { return exampleHired.AddDate(0, 0, n) }

var (
	chicago  = event.Address{Street: "902 Lake Shore Dr", Locality: "Chicago", PostalCode: "60611", Country: "US"}
	sandiego = event.Address{Street: "14 Harbor View Rd", Locality: "San Diego", PostalCode: "92101", Country: "US"}
	madison  = event.Address{Street: "55 Birch Lane", Locality: "Madison", PostalCode: "53703", Country: "US"}
	krakow   = event.Address{Street: "ul. Długa 12", Locality: "Kraków", PostalCode: "31-147", Country: "PL"}
)

// Account fingerprints (salted hashes in real exports).
const (
	fpA = "9f2c4e7a1b3d5f60a8c2e4b6d8f0a1c3"
	fpB = "1a2b3c4d5e6f70819293a4b5c6d7e8f9"
	fpC = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	fpD = "5e5e5e5e6f6f6f6f7a7a7a7a8b8b8b8b"
)
