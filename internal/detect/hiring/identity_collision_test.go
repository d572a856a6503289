package hiring

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestIdentityCollision(t *testing.T) {
	direct := []event.Application{{ID: "1", Source: "LinkedIn"}}
	agency := []event.Application{{ID: "2", Source: "Apex Recruiting Partners"}}
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name: "phone_and_portfolio_shared_by_two_personas",
			events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "11", Name: "Daniel Brooks", Phones: []string{"+1 (312) 555-0147"},
					Websites: []string{"https://github.com/dbrooks-dev/"}, Applications: direct}),
				candidateRecord(2, event.Applicant{CandidateID: "12", Name: "Kevin Tran", Phones: []string{"312.555.0147"},
					SocialMedia: []string{"http://www.github.com/DBrooks-dev?tab=repositories"}, Applications: direct}),
			},
			want: []outcome{
				{Person: "cand-11", Related: []string{"cand-12"}, Records: []string{cand(1), cand(2)}},
				{Person: "cand-12", Related: []string{"cand-11"}, Records: []string{cand(2), cand(1)}},
			},
		},
		{
			name: "employee_personal_email_on_another_candidate",
			events: []*event.Event{
				rosterRecord(1, event.Person{EmployeeID: "E100", UserName: "dbrooks@example.com", Name: "Daniel Brooks",
					Emails: []string{"dbrooks@example.com", "d.brooks.dev@gmail.com"}}),
				candidateRecord(1, event.Applicant{CandidateID: "21", Name: "Daniel Brooks", Emails: []string{"D.Brooks.Dev@gmail.com"}, Applications: direct}),
				candidateRecord(2, event.Applicant{CandidateID: "22", Name: "Samuel Okafor", Emails: []string{"d.brooks.dev@gmail.com"}, Applications: direct}),
			},
			want: []outcome{
				{Person: "E100", Related: []string{"cand-22"}, Records: []string{roster(1), cand(1), cand(2)}},
				{Person: "cand-22", Related: []string{"E100"}, Records: []string{cand(2), roster(1), cand(1)}},
			},
		},
		{
			name: "three_personas_one_mailbox",
			events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "31", Name: "Alex Park", Emails: []string{"devteam.hire@proton.me"}, Applications: direct}),
				candidateRecord(2, event.Applicant{CandidateID: "32", Name: "Brian Lee", Emails: []string{"devteam.hire@proton.me"}, Applications: direct}),
				candidateRecord(3, event.Applicant{CandidateID: "33", Name: "Chris Wong", Emails: []string{"devteam.hire@proton.me"}, Applications: direct}),
			},
			want: []outcome{
				{Person: "cand-31", Related: []string{"cand-32", "cand-33"}, Records: []string{cand(1), cand(2), cand(3)}},
				{Person: "cand-32", Related: []string{"cand-31", "cand-33"}, Records: []string{cand(2), cand(1), cand(3)}},
				{Person: "cand-33", Related: []string{"cand-31", "cand-32"}, Records: []string{cand(3), cand(1), cand(2)}},
			},
		},
		{
			name: "direct_applicant_using_an_agency_phone_is_not_explained_by_the_agency",
			events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "41", Name: "Priya Raman", Phones: []string{"646 555 0199"}, Applications: agency}),
				candidateRecord(2, event.Applicant{CandidateID: "42", Name: "Oleg Petrov", Phones: []string{"6465550199"}, Applications: direct}),
			},
			want: []outcome{
				{Person: "cand-41", Related: []string{"cand-42"}, Records: []string{cand(1), cand(2)}},
				{Person: "cand-42", Related: []string{"cand-41"}, Records: []string{cand(2), cand(1)}},
			},
		},
		{
			name: "internal_recruiter_source_is_not_an_agency",
			events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "51", Name: "Alex Park", Phones: []string{"415-555-0100"},
					Applications: []event.Application{{ID: "1", Source: "LinkedIn Recruiter"}}}),
				candidateRecord(2, event.Applicant{CandidateID: "52", Name: "Brian Lee", Phones: []string{"415-555-0100"},
					Applications: []event.Application{{ID: "2", Source: "LinkedIn Recruiter"}}}),
			},
			want: []outcome{
				{Person: "cand-51", Related: []string{"cand-52"}, Records: []string{cand(1), cand(2)}},
				{Person: "cand-52", Related: []string{"cand-51"}, Records: []string{cand(2), cand(1)}},
			},
		},
		// Negative cases: realistic reasons for a shared detail.
		{
			name: "agency_contact_on_agency_candidates",
			events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "61", Name: "Priya Raman", Phones: []string{"646 555 0199"},
					Emails: []string{"jobs@apexrp.com"}, Applications: agency}),
				candidateRecord(2, event.Applicant{CandidateID: "62", Name: "Tomasz Nowak", Phones: []string{"646-555-0199"},
					Emails: []string{"jobs@apexrp.com"}, Applications: agency}),
			},
		},
		{
			name: "agency_named_only_in_candidate_tags",
			events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "65", Name: "Natalie Hernandez", Emails: []string{"harborline.talent@gmail.com"},
					Tags: []string{"Python", "Agency: Harborline Talent Partners"}, Applications: []event.Application{{ID: "1", Source: "Agency"}}}),
				candidateRecord(2, event.Applicant{CandidateID: "66", Name: "Yusuf Carvalho", Emails: []string{"harborline.talent@gmail.com"},
					Tags: []string{"Agency: Harborline Talent Partners"}, Applications: []event.Application{{ID: "2", Source: "LinkedIn"}}}),
			},
		},
		{
			name: "agency_email_domain_without_agency_in_source_name",
			events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "71", Name: "Priya Raman", Emails: []string{"submissions@talentbridge.co.uk"},
					Applications: []event.Application{{ID: "1", Source: "TalentBridge"}}}),
				candidateRecord(2, event.Applicant{CandidateID: "72", Name: "Tomasz Nowak", Emails: []string{"Submissions@TalentBridge.co.uk"},
					Applications: []event.Application{{ID: "2", Source: "TalentBridge"}}}),
			},
		},
		{
			name: "same_person_applied_twice",
			events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "81", Name: "María José García", Emails: []string{"mj.garcia@gmail.com"}, Applications: direct}),
				candidateRecord(2, event.Applicant{CandidateID: "82", FirstName: "Maria Jose", LastName: "Garcia", Emails: []string{"mj.garcia@gmail.com"}, Applications: direct}),
			},
		},
		{
			name: "hired_candidate_joins_their_roster_record",
			events: []*event.Event{
				rosterRecord(1, event.Person{EmployeeID: "E200", UserName: "hweiss@example.com", Name: "Hannah Weiss",
					Emails: []string{"hannah.weiss@gmail.com"}, Phones: []string{"+1 206 555 0111"}}),
				candidateRecord(1, event.Applicant{CandidateID: "91", Name: "Hannah Weiss", Emails: []string{"hannah.weiss@gmail.com"},
					Phones: []string{"(206) 555-0111"}, Applications: direct}),
			},
		},
		{
			name: "company_switchboard_on_roster_records",
			events: []*event.Event{
				rosterRecord(1, event.Person{EmployeeID: "E301", UserName: "a@example.com", Name: "Ann Lee", Phones: []string{"+1 800 555 0100"}}),
				rosterRecord(2, event.Person{EmployeeID: "E302", UserName: "b@example.com", Name: "Bo Chen", Phones: []string{"+1 800 555 0100"}}),
				rosterRecord(3, event.Person{EmployeeID: "E303", UserName: "c@example.com", Name: "Cy Diaz", Phones: []string{"+1 800 555 0100"}}),
			},
		},
		{
			name: "bare_platform_home_page",
			events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "101", Name: "Alex Park", Websites: []string{"https://github.com/"}, Applications: direct}),
				candidateRecord(2, event.Applicant{CandidateID: "102", Name: "Brian Lee", SocialMedia: []string{"www.linkedin.com"}, Websites: []string{"github.com"}, Applications: direct}),
			},
		},
		{
			name: "different_people_different_contacts",
			events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "111", Name: "Alex Park", Emails: []string{"alex.park@gmail.com"}, Phones: []string{"415-555-0101"}, Applications: direct}),
				candidateRecord(2, event.Applicant{CandidateID: "112", Name: "Brian Lee", Emails: []string{"brian.lee@gmail.com"}, Phones: []string{"415-555-0102"}, Applications: direct}),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &IdentityCollision{}, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIdentityCollisionSummary(t *testing.T) {
	ex := (&IdentityCollision{}).Examples().Positive
	_, fs := run(t, &IdentityCollision{}, ex.Events)
	if len(fs) == 0 {
		t.Fatal("no finding")
	}
	f := fs[0]
	for _, want := range []string{"phone ending 0147", "URL github.com/dbrooks-dev", "Kevin Tran (cand-1002)"} {
		if !strings.Contains(f.Summary, want) {
			t.Errorf("summary %q does not say %q", f.Summary, want)
		}
	}
	if strings.Contains(f.Summary, "3125550147") {
		t.Errorf("summary %q shows the whole phone number", f.Summary)
	}
	if got := f.Evidence[1].Summary; !strings.Contains(got, `candidate 1002 "Kevin Tran" of cand-1002 lists the same`) {
		t.Errorf("evidence summary %q does not name the other record", got)
	}
}

func TestEmailOfSource(t *testing.T) {
	tests := []struct {
		email, source string
		want          bool
	}{
		{"jobs@talentbridge.co.uk", "TalentBridge", true},
		{"a@mail.talentbridge.com", "Talent Bridge Ltd", true},
		{"someone@gmail.com", "TalentBridge", false},
		{"a@hr.io", "Hr Partners", false}, // too short to be a name
		{"not-an-email", "TalentBridge", false},
	}
	for _, tt := range tests {
		if got := emailOfSource(tt.email, tt.source); got != tt.want {
			t.Errorf("emailOfSource(%q, %q) = %v, want %v", tt.email, tt.source, got, tt.want)
		}
	}
}
