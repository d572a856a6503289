package hiring

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestVoIPPhone(t *testing.T) {
	appl := func(n int, id, name, phone, mail, addr string) *event.Event {
		a := event.Applicant{CandidateID: id, Name: name, Phones: []string{phone}, Emails: []string{mail}}
		if addr != "" {
			a.Addresses = []string{addr}
		}
		return candidateRecord(n, a)
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "uk_voip_alone",
			events: []*event.Event{appl(1, "1", "Alex Park", "+44 56 1234 5678", "alex.park@outlook.com", "")},
			want:   []outcome{{Person: "cand-1", Confidence: confVoIPAlone, Records: []string{cand(1)}}},
		},
		{
			name:   "dutch_voip_read_in_the_address_country_with_disposable_mailbox",
			events: []*event.Event{appl(1, "2", "Sam de Vries", "085 123 4567", "sdevries@yopmail.com", "Keizersgracht 12, 1015 CS Amsterdam, Netherlands")},
			want:   []outcome{{Person: "cand-2", Confidence: confVoIPDisposable, Records: []string{cand(1), cand(1)}}},
		},
		{
			name: "one_voip_number_two_personas",
			events: []*event.Event{
				appl(1, "3", "Daniel Brooks", "+81 50 1234 5678", "d.brooks@outlook.com", ""),
				appl(2, "4", "Kevin Tran", "+81-50-1234-5678", "k.tran@gmail.com", ""),
			},
			want: []outcome{
				{Person: "cand-3", Related: []string{"cand-4"}, Confidence: confVoIPShared, Records: []string{cand(1)}},
				{Person: "cand-4", Related: []string{"cand-3"}, Confidence: confVoIPShared, Records: []string{cand(2)}},
			},
		},
		{
			name: "shared_and_disposable",
			events: []*event.Event{
				appl(1, "5", "Daniel Brooks", "+44 56 1234 5678", "dbrooks@mailinator.com", ""),
				appl(2, "6", "Kevin Tran", "+44 56 1234 5678", "k.tran@gmail.com", ""),
			},
			want: []outcome{
				{Person: "cand-5", Related: []string{"cand-6"}, Confidence: confVoIPBoth, Records: []string{cand(1), cand(1)}},
				{Person: "cand-6", Related: []string{"cand-5"}, Confidence: confVoIPShared, Records: []string{cand(2)}},
			},
		},
		{
			name: "hire_roster_voip_number",
			events: []*event.Event{rosterRecord(1, event.Person{EmployeeID: "E7", Name: "Noor Jansen", UserName: "njansen@acme.example",
				Phones: []string{"+31 85 123 4567"}, Addresses: []event.Address{{Type: "home", Country: "NL", Locality: "Utrecht"}}})},
			want: []outcome{{Person: "E7", Confidence: confVoIPAlone, Records: []string{roster(1)}}},
		},
		// Negative cases.
		{
			name:   "us_number_is_fixed_line_or_mobile_whatever_the_carrier",
			events: []*event.Event{appl(1, "7", "Ryan Cole", "+1 415 555 0123", "ryan.cole@gmail.com", "")},
		},
		{
			name:   "uk_mobile",
			events: []*event.Event{appl(1, "8", "Amelia Hughes", "+44 7911 123456", "amelia.hughes@gmail.com", "")},
		},
		{
			name:   "french_box_home_line",
			events: []*event.Event{appl(1, "9", "Camille Martin", "09 70 12 34 56", "camille.martin@orange.fr", "8 rue des Lilas, 69003 Lyon, France")},
		},
		{
			name:   "national_format_without_a_country_is_unknown",
			events: []*event.Event{appl(1, "10", "Alex Park", "056 1234 5678", "alex.park@outlook.com", "")},
		},
		{
			name: "shared_household_landline_is_not_voip",
			events: []*event.Event{
				appl(1, "11", "Anna Weber", "+49 30 12345678", "anna.weber@web.de", ""),
				appl(2, "12", "Jonas Weber", "+49 30 12345678", "jonas.weber@web.de", ""),
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := run(t, &VoIPPhone{}, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
				for _, f := range fs {
					t.Logf("%s: %s", f.Person, f.Summary)
				}
			}
		})
	}
}

// The French negative case is quiet because of the home-line rule, not
// because the number failed to parse.
func TestVoIPPhoneFrenchBoxLineIsTypedVoIP(t *testing.T) {
	e := candidateRecord(1, event.Applicant{CandidateID: "9", Name: "Camille Martin", Phones: []string{"09 70 12 34 56"},
		Addresses: []string{"8 rue des Lilas, 69003 Lyon, France"}})
	run(t, &VoIPPhone{}, []*event.Event{e})
	if ph := e.Contacts().Phones[0]; ph.Line != "voip" || ph.E164 != "+33970123456" {
		t.Errorf("stamped %+v, want a VoIP +33970123456", ph)
	}
}
