package profile

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestAgencies(t *testing.T) {
	app := func(source, credited string) []event.Application {
		return []event.Application{{ID: "1", Source: source, CreditedToName: credited}}
	}
	tests := []struct {
		name string
		a    *event.Applicant
		want []string
	}{
		{"direct_linkedin", &event.Applicant{Applications: app("LinkedIn", "Dana Cole")}, nil},
		{"internal_recruiter_prospecting", &event.Applicant{Applications: app("LinkedIn Recruiter", "Dana Cole")}, nil},
		{"named_source", &event.Applicant{Applications: app("BrightPath Staffing (Agency)", "")}, []string{"brightpath staffing"}},
		{"tag_and_bare_source", &event.Applicant{Tags: []string{"Agency: BrightPath Staffing"}, Applications: app("Agency", "Dana Cole")},
			[]string{"brightpath staffing"}},
		{"bare_source_credited_recruiter", &event.Applicant{Applications: app("Agencies", "Dana Cole")}, []string{"dana cole"}},
		{"bare_source_alone", &event.Applicant{Applications: app("Agency", "")}, []string{genericAgency}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Agencies(tt.a)); diff != "" {
			t.Errorf("%s: Agencies (-want +got):\n%s", tt.name, diff)
		}
	}
}
