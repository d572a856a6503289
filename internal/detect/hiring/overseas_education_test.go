package hiring

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func resumeRec(id string) string { return exampleResumeDir + "/" + id + ".txt#1" }

func TestOverseasEducation(t *testing.T) {
	candAt := func(id string, addrs ...string) *event.Event {
		return candidateRecord(1, event.Applicant{CandidateID: id, Name: "Alex Park", Addresses: addrs})
	}
	const abroad = "Alex Park\n\nEducation\nB.Sc. Computer Science, Kim Il Sung University, Pyongyang\nM.Sc. Peking University, Beijing, China\n"
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "candidate_us_address_schools_abroad",
			events: []*event.Event{candAt("1", "1 Main St, Springfield, IL 62704, USA"), resumeRecord("1", abroad, time.Time{})},
			want:   []outcome{{Person: "cand-1", Records: []string{cand(1), resumeRec("1"), resumeRec("1")}}},
		},
		{
			name: "employee_roster_home",
			events: []*event.Event{
				rosterRecord(1, event.Person{EmployeeID: "E1", UserName: "apark@example.com", Name: "Alex Park", Emails: []string{"alex.park@gmail.com"},
					Addresses: []event.Address{{Type: "home", Street: "1 Main St", Locality: "Boston", Country: "US"}}}),
				candidateRecord(2, event.Applicant{CandidateID: "2", Name: "Alex Park", Emails: []string{"alex.park@gmail.com"}}),
				resumeRecord("2", abroad, time.Time{}),
			},
			want: []outcome{{Person: "E1", Records: []string{roster(1), resumeRec("2"), resumeRec("2")}}},
		},
		// Negative cases.
		{
			name: "one_school_in_the_claimed_country",
			events: []*event.Event{candAt("3", "1 Main St, Springfield, IL 62704, USA"),
				resumeRecord("3", abroad+"MBA, University of Illinois Urbana-Champaign\n", time.Time{})},
		},
		{
			name:   "residence_unknown",
			events: []*event.Event{candAt("4"), resumeRecord("4", abroad, time.Time{})},
		},
		{
			name:   "educated_where_they_live",
			events: []*event.Event{candAt("5", "Chaoyang District, Beijing, China"), resumeRecord("5", abroad, time.Time{})},
		},
		{
			name: "a_school_that_cannot_be_placed",
			events: []*event.Event{candAt("6", "1 Main St, Springfield, IL 62704, USA"),
				resumeRecord("6", abroad+"Certificate, Springboard Data Science School\n", time.Time{})},
		},
		{
			name: "no_education_section",
			events: []*event.Event{candAt("7", "1 Main St, Springfield, IL 62704, USA"),
				resumeRecord("7", "Alex Park\nExperience\nEngineer at Peking University Hospital, Beijing, China\n", time.Time{})},
		},
		{
			name: "candidate_addresses_disagree",
			events: []*event.Event{candAt("8", "1 Main St, Springfield, IL 62704, USA", "Rua Augusta 10, Lisbon, Portugal"),
				resumeRecord("8", abroad, time.Time{})},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &OverseasEducation{}, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOverseasEducationSummary(t *testing.T) {
	ex := (&OverseasEducation{}).Examples().Positive
	_, fs := run(t, &OverseasEducation{}, ex.Events)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	for _, want := range []string{"United States (US)", "China (CN)", `"Dalian"`, "fairness-sensitive"} {
		if !strings.Contains(fs[0].Summary, want) {
			t.Errorf("summary %q does not say %q", fs[0].Summary, want)
		}
	}
	for _, bad := range []string{"Kevin", "Tran"} {
		if strings.Contains(fs[0].Summary, bad) {
			t.Errorf("summary %q names the person: the finding is about documents, not names", fs[0].Summary)
		}
	}
}
