package payroll

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// staffPaidTo is n people claiming homes in home, each paid from day 0
// into account fp with the payee and bank country given.
func staffPaidTo(n int, home event.Address, fp, payee, bank string) []*event.Event {
	var out []*event.Event
	for i := range n {
		id := fmt.Sprintf("E%03d", i)
		h := home
		h.Street = fmt.Sprintf("%d %s", 10+i, home.Street)
		p := payoutRecord(i+1, id, days(0), "bank", fp, bank)
		p.Payout.PayeeName = payee
		out = append(out, rosterRecord(i+1, id, "Person "+id, h), p)
	}
	return out
}

// peopleFound runs ind under the default policy and lists who it flags.
func peopleFound(t *testing.T, ind detect.Indicator, events []*event.Event) []string {
	t.Helper()
	in := &detect.Input{Pop: detecttest.Population(events, nil), Policy: policy.Default(), Now: exampleHired.AddDate(1, 0, 0)}
	var out []string
	for _, f := range detecttest.Run(t, ind, in) {
		out = append(out, f.Person)
	}
	return out
}

var saoPaulo = event.Address{Street: "Rua Augusta", Locality: "São Paulo", PostalCode: "01305-000", Country: "BR"}

// TestPayrollIntermediaries: staff paid through an employer of record or
// contractor platform share its funding account and its bank country;
// neither is a payroll finding. A facilitator's handful still is.
func TestPayrollIntermediaries(t *testing.T) {
	tests := []struct {
		name   string
		ind    detect.Indicator
		events []*event.Event
		want   []string
	}{
		{name: "pay01_platform_account_pays_forty", ind: &SharedPayoutAccount{}, events: staffPaidTo(40, chicago, fpA, "", "US")},
		{name: "pay01_deel_payee_for_three", ind: &SharedPayoutAccount{}, events: staffPaidTo(3, chicago, fpA, "Deel Inc.", "US")},
		{
			name:   "pay01_facilitator_collects_four_salaries",
			ind:    &SharedPayoutAccount{},
			events: staffPaidTo(4, chicago, fpA, "Jordan Miles", "US"),
			want:   []string{"E000", "E001", "E002", "E003"},
		},
		{
			name:   "pay01_front_llc_is_not_the_platform",
			ind:    &SharedPayoutAccount{},
			events: staffPaidTo(2, chicago, fpA, "Remote Solutions LLC", "US"),
			want:   []string{"E000", "E001"},
		},
		{
			name: "pay01_moved_onto_employer_of_record_soon_after_hire",
			ind:  &SharedPayoutAccount{},
			events: func() []*event.Event {
				eor := payoutRecord(2, "E1", days(20), "bank", fpB, "US")
				eor.Payout.PayeeName = "Oyster HR, Inc."
				return []*event.Event{rosterRecord(1, "E1", "Ana Souza", saoPaulo), payoutRecord(1, "E1", days(-5), "bank", fpA, "BR"), eor}
			}(),
		},
		{name: "pay02_brazilian_staff_paid_via_papaya_us_account", ind: &UnusualPayout{}, events: staffPaidTo(3, saoPaulo, fpA, "Papaya Global Ltd", "US")},
		{name: "pay02_account_paying_forty_abroad", ind: &UnusualPayout{}, events: staffPaidTo(40, saoPaulo, fpA, "", "US")},
		{
			name:   "pay02_handful_paid_into_a_prc_bank",
			ind:    &UnusualPayout{},
			events: staffPaidTo(3, chicago, fpA, "Jordan Miles", "CN"),
			want:   []string{"E000", "E001", "E002"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, peopleFound(t, tt.ind, tt.events)); diff != "" {
				t.Errorf("people found (-want +got):\n%s", diff)
			}
		})
	}
}
