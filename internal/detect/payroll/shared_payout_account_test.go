package payroll

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestSharedPayoutAccount(t *testing.T) {
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name: "two_people_one_account",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", chicago), rosterRecord(2, "E2", "Samuel Okafor", sandiego),
				payoutRecord(1, "E1", days(0), "bank", fpA, "US"), payoutRecord(2, "E2", days(60), "bank", fpA, "US"),
			},
			want: []outcome{
				{Person: "E1", Related: []string{"E2"}, Confidence: confShared, Records: []string{pay(1), pay(2)}},
				{Person: "E2", Related: []string{"E1"}, Confidence: confShared, Records: []string{pay(2), pay(1)}},
			},
		},
		{
			name: "account_reused_after_an_earlier_one",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", chicago), rosterRecord(2, "E2", "Samuel Okafor", sandiego), rosterRecord(3, "E3", "Alex Park", madison),
				payoutRecord(1, "E1", days(0), "bank", fpB, "US"), payoutRecord(2, "E1", days(200), "bank", fpA, "US"),
				payoutRecord(3, "E2", days(0), "wise", fpA, "US"), payoutRecord(4, "E3", days(0), "bank", fpC, "US"),
			},
			want: []outcome{
				{Person: "E1", Related: []string{"E2"}, Confidence: confShared, Records: []string{pay(2), pay(3)}},
				{Person: "E2", Related: []string{"E1"}, Confidence: confShared, Records: []string{pay(3), pay(2)}},
			},
		},
		{
			name: "joint_account_of_a_couple_lower_confidence",
			events: []*event.Event{
				rosterRecord(1, "E1", "Anna Kowalski", madison), rosterRecord(2, "E2", "Piotr Kowalski", madison),
				payoutRecord(1, "E1", days(0), "bank", fpA, "US"), payoutRecord(2, "E2", days(0), "bank", fpA, "US"),
			},
			want: []outcome{
				{Person: "E1", Related: []string{"E2"}, Confidence: confJoint, Records: []string{pay(1), pay(2)}},
				{Person: "E2", Related: []string{"E1"}, Confidence: confJoint, Records: []string{pay(2), pay(1)}},
			},
		},
		{
			name: "changed_to_a_new_account_three_weeks_after_hire",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", chicago),
				payoutRecord(1, "E1", days(-3), "bank", fpA, "US"), payoutRecord(2, "E1", days(21), "bank", fpB, "US"),
			},
			want: []outcome{{Person: "E1", Confidence: confChangedSoon, Records: []string{pay(1), pay(2)}}},
		},
		{
			name: "shared_and_changed",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", chicago), rosterRecord(2, "E2", "Samuel Okafor", sandiego),
				payoutRecord(1, "E1", days(0), "bank", fpB, "US"), payoutRecord(2, "E1", days(14), "bank", fpA, "US"),
				payoutRecord(3, "E2", days(0), "bank", fpA, "US"),
			},
			want: []outcome{
				{Person: "E1", Related: []string{"E2"}, Confidence: confShared, Records: []string{pay(2), pay(3), pay(1), pay(2)}},
				{Person: "E2", Related: []string{"E1"}, Confidence: confShared, Records: []string{pay(3), pay(2)}},
			},
		},
		// Negative cases.
		{
			name: "bank_change_after_probation",
			events: []*event.Event{
				rosterRecord(1, "E1", "Hannah Weiss", chicago),
				payoutRecord(1, "E1", days(0), "bank", fpB, "US"), payoutRecord(2, "E1", days(180), "bank", fpC, "US"),
			},
		},
		{
			name: "same_account_re_entered",
			events: []*event.Event{
				rosterRecord(1, "E1", "Hannah Weiss", chicago),
				payoutRecord(1, "E1", days(0), "bank", fpB, "US"), payoutRecord(2, "E1", days(10), "bank", fpB, "US"),
			},
		},
		{
			name: "back_to_an_earlier_account",
			events: []*event.Event{
				rosterRecord(1, "E1", "Hannah Weiss", chicago),
				payoutRecord(1, "E1", days(-10), "bank", fpB, "US"), payoutRecord(2, "E1", days(-2), "bank", fpC, "US"),
				payoutRecord(3, "E1", days(5), "bank", fpB, "US"),
			},
		},
		{
			name: "different_accounts",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", chicago), rosterRecord(2, "E2", "Samuel Okafor", sandiego),
				payoutRecord(1, "E1", days(0), "bank", fpA, "US"), payoutRecord(2, "E2", days(0), "bank", fpD, "US"),
			},
		},
		{
			name: "staffing_firm_account_pays_its_contractors",
			events: func() []*event.Event {
				r1, r2 := rosterRecord(1, "E1", "Kevin Tran", chicago), rosterRecord(2, "E2", "Samuel Okafor", sandiego)
				r1.Person.Organization, r2.Person.Organization = "Northbeam Staffing Inc.", "Northbeam Staffing, Inc"
				p1, p2 := payoutRecord(1, "E1", days(0), "bank", fpA, "US"), payoutRecord(2, "E2", days(60), "bank", fpA, "US")
				p1.Payout.PayeeName, p2.Payout.PayeeName = "Northbeam Staffing Inc.", "NORTHBEAM STAFFING INC"
				return []*event.Event{r1, r2, p1, p2}
			}(),
		},
		{
			name: "account_in_a_persons_name_is_not_the_staffing_firms",
			events: func() []*event.Event {
				r1, r2 := rosterRecord(1, "E1", "Kevin Tran", chicago), rosterRecord(2, "E2", "Samuel Okafor", sandiego)
				r1.Person.Organization, r2.Person.Organization = "Northbeam Staffing Inc.", "Northbeam Staffing Inc."
				p1, p2 := payoutRecord(1, "E1", days(0), "bank", fpA, "US"), payoutRecord(2, "E2", days(60), "bank", fpA, "US")
				p1.Payout.PayeeName, p2.Payout.PayeeName = "Kevin Tran", "Kevin Tran"
				return []*event.Event{r1, r2, p1, p2}
			}(),
			want: []outcome{
				{Person: "E1", Related: []string{"E2"}, Confidence: confShared, Records: []string{pay(1), pay(2)}},
				{Person: "E2", Related: []string{"E1"}, Confidence: confShared, Records: []string{pay(2), pay(1)}},
			},
		},
		{
			name: "missing_fingerprints_are_not_one_account",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", chicago), rosterRecord(2, "E2", "Samuel Okafor", sandiego),
				payoutRecord(1, "E1", days(0), "bank", "", "US"), payoutRecord(2, "E2", days(0), "bank", " ", "US"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &SharedPayoutAccount{}, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSharedPayoutAccountSummary(t *testing.T) {
	_, fs := run(t, &SharedPayoutAccount{}, []*event.Event{
		rosterRecord(1, "E1", "Anna Kowalski", madison), rosterRecord(2, "E2", "Piotr Kowalski", madison),
		payoutRecord(1, "E1", days(0), "bank", fpA, "US"), payoutRecord(2, "E2", days(0), "bank", fpA, "US"),
	})
	if len(fs) != 2 {
		t.Fatalf("got %d findings, want 2", len(fs))
	}
	want := "payout account 9f2c4e7a… also pays 1 other person: Piotr Kowalski (E2) (all claim the same home: possibly a joint account)"
	if fs[0].Summary != want {
		t.Errorf("summary = %q, want %q", fs[0].Summary, want)
	}
	for _, f := range fs {
		for _, e := range append([]string{f.Summary}, f.Evidence[0].Summary, f.Evidence[1].Summary) {
			if strings.Contains(e, fpA) {
				t.Errorf("%q shows the whole account fingerprint", e)
			}
		}
	}
}
