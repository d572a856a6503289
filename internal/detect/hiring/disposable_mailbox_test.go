package hiring

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestDisposableMailbox(t *testing.T) {
	appl := func(n int, id, name, mail, phone string) *event.Event {
		a := event.Applicant{CandidateID: id, Name: name, Emails: []string{mail}}
		if phone != "" {
			a.Phones = []string{phone}
		}
		return candidateRecord(n, a)
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "mailinator_alone",
			events: []*event.Event{appl(1, "1", "Ryan Cole", "Ryan.Cole.Dev@Mailinator.com", "+1 312 555 0199")},
			want:   []outcome{{Person: "cand-1", Confidence: confDisposableAlone, Records: []string{cand(1)}}},
		},
		{
			name:   "alias_subdomain_of_a_wildcard_entry",
			events: []*event.Event{appl(1, "2", "Ryan Cole", "jobs@rcole.33mail.com", "")},
			want:   []outcome{{Person: "cand-2", Confidence: confDisposableAlone, Records: []string{cand(1)}}},
		},
		{
			name:   "with_voip_number",
			events: []*event.Event{appl(1, "3", "Ryan Cole", "rcole@guerrillamail.com", "+44 56 1234 5678")},
			want:   []outcome{{Person: "cand-3", Confidence: confDisposableVoIP, Records: []string{cand(1), cand(1)}}},
		},
		{
			name: "one_inbox_two_personas",
			events: []*event.Event{
				appl(1, "4", "Daniel Brooks", "devteam@yopmail.com", ""),
				appl(2, "5", "Kevin Tran", "DevTeam@yopmail.com", ""),
			},
			want: []outcome{
				{Person: "cand-4", Related: []string{"cand-5"}, Confidence: confDisposableShared, Records: []string{cand(1)}},
				{Person: "cand-5", Related: []string{"cand-4"}, Confidence: confDisposableShared, Records: []string{cand(2)}},
			},
		},
		{
			name: "hire_roster_personal_address",
			events: []*event.Event{rosterRecord(1, event.Person{EmployeeID: "E8", Name: "Lee Grant", UserName: "lgrant@acme.example",
				Emails: []string{"lgrant@acme.example", "lee.grant@sharklasers.com"}})},
			want: []outcome{{Person: "E8", Confidence: confDisposableAlone, Records: []string{roster(1)}}},
		},
		// Negative cases.
		{name: "gmail", events: []*event.Event{appl(1, "6", "Hannah Weiss", "hannah.weiss+jobs@gmail.com", "")}},
		{name: "privacy_minded_proton", events: []*event.Event{appl(1, "7", "Mia Schultz", "mia.schultz@proton.me", "")}},
		{name: "national_provider", events: []*event.Event{appl(1, "8", "Ivan Petrov", "ivan.petrov@yandex.ru", "")}},
		{name: "own_domain", events: []*event.Event{appl(1, "9", "Ola Nordmann", "ola@nordmann.dev", "")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := run(t, &DisposableMailbox{}, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range fs {
				if !strings.Contains(f.Evidence[0].Summary, "disposable-mail domain") {
					t.Errorf("evidence %q does not name the domain", f.Evidence[0].Summary)
				}
			}
		})
	}
}
