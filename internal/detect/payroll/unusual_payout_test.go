package payroll

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestUnusualPayout(t *testing.T) {
	// usStaff is a mostly-US company paid by bank.
	usStaff := func() []*event.Event {
		return []*event.Event{
			rosterRecord(1, "E1", "Marcus Jensen", chicago), rosterRecord(2, "E2", "Lucia Ortiz", sandiego),
			payoutRecord(1, "E1", days(0), "bank", fpA, "US"), payoutRecord(2, "E2", days(0), "bank", fpB, "US"),
		}
	}
	person := func(home event.Address, method, bank string) []*event.Event {
		return append(usStaff(), rosterRecord(3, "E9", "Daniel Brooks", home), payoutRecord(3, "E9", days(10), method, fpC, bank))
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "us_resident_paid_into_prc_bank",
			events: person(chicago, "bank", "CN"),
			want:   []outcome{{Person: "E9", Confidence: confNamedBank, Records: []string{pay(3)}}},
		},
		{
			name:   "us_resident_paid_into_a_canadian_bank",
			events: person(chicago, "bank", "Canada"),
			want:   []outcome{{Person: "E9", Confidence: confForeignBank, Records: []string{pay(3)}}},
		},
		{
			name:   "crypto",
			events: person(chicago, "crypto", ""),
			want:   []outcome{{Person: "E9", Confidence: confCrypto, Records: []string{pay(3)}}},
		},
		{
			name:   "us_resident_paid_via_payoneer",
			events: person(chicago, "Payoneer", "US"),
			want:   []outcome{{Person: "E9", Confidence: confPlatformAtHome, Records: []string{pay(3)}}},
		},
		{
			name:   "polish_contractor_paid_via_wise_into_hong_kong",
			events: person(krakow, "wise", "HK"),
			want:   []outcome{{Person: "E9", Confidence: confNamedBank, Records: []string{pay(3)}}},
		},
		{
			name: "later_switch_to_crypto",
			events: append(usStaff(), rosterRecord(3, "E9", "Daniel Brooks", chicago),
				payoutRecord(3, "E9", days(0), "bank", fpC, "US"), payoutRecord(4, "E9", days(90), "crypto", fpD, "")),
			want: []outcome{{Person: "E9", Confidence: confCrypto, Records: []string{pay(4)}}},
		},
		// Negative cases.
		{
			name:   "polish_contractor_paid_via_wise_in_poland",
			events: person(krakow, "wise", "PL"),
		},
		{
			name:   "us_resident_paid_by_us_bank",
			events: person(chicago, "bank", "USA"),
		},
		{
			name:   "no_claimed_country_no_bank_country",
			events: append(usStaff(), rosterRecord(3, "E9", "Daniel Brooks", event.Address{Street: "1 Main St"}), payoutRecord(3, "E9", days(10), "payoneer", fpC, "")),
		},
		{
			name: "crypto_native_company",
			events: []*event.Event{
				rosterRecord(1, "E1", "Marcus Jensen", chicago), rosterRecord(2, "E2", "Lucia Ortiz", sandiego), rosterRecord(3, "E3", "Daniel Brooks", madison),
				payoutRecord(1, "E1", days(0), "crypto", fpA, ""), payoutRecord(2, "E2", days(0), "crypto", fpB, ""), payoutRecord(3, "E3", days(0), "crypto", fpC, ""),
			},
		},
		{
			name: "company_pays_everyone_via_wise",
			events: []*event.Event{
				rosterRecord(1, "E1", "Marcus Jensen", chicago), rosterRecord(2, "E2", "Lucia Ortiz", sandiego), rosterRecord(3, "E3", "Daniel Brooks", madison),
				payoutRecord(1, "E1", days(0), "wise", fpA, "US"), payoutRecord(2, "E2", days(0), "wise", fpB, "US"), payoutRecord(3, "E3", days(0), "wise", fpC, "US"),
			},
		},
		{
			name: "distributed_company_without_a_majority_country",
			events: []*event.Event{
				rosterRecord(1, "E1", "Marcus Jensen", chicago), rosterRecord(2, "E2", "Tomasz Nowak", krakow),
				rosterRecord(3, "E3", "Ana Silva", event.Address{Street: "Rua Augusta 10", Locality: "Lisboa", Country: "PT"}),
				payoutRecord(1, "E1", days(0), "payoneer", fpA, "US"), payoutRecord(2, "E2", days(0), "wise", fpB, "PL"), payoutRecord(3, "E3", days(0), "bank", fpC, "PT"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &UnusualPayout{}, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnusualPayoutEvidence(t *testing.T) {
	ex := (&UnusualPayout{}).Examples().Positive
	_, fs := run(t, &UnusualPayout{}, ex.Events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	want := "payout effective 2025-02-13: bank account in CN, but claimed residence is US (CN is named in public reporting on DPRK IT-worker pay)"
	if got := fs[0].Evidence[0].Summary; got != want {
		t.Errorf("evidence = %q, want %q", got, want)
	}
	if strings.Contains(fs[0].Summary, "cc33dd44") {
		t.Errorf("summary %q shows the account fingerprint", fs[0].Summary)
	}
}

func TestNamedBankCountriesDocumented(t *testing.T) {
	for _, n := range namedBankCountries {
		if len(n.Code) != 2 || n.Code != strings.ToUpper(n.Code) || n.Source == "" {
			t.Errorf("named bank country %+v needs an upper-case alpha-2 code and a source", n)
		}
	}
}
