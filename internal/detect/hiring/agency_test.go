package hiring

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

// TestIdentityCollisionAgencies: one agency's recruiter phone on the
// candidates it submits is expected, however the agency is recorded (source
// name, "Agency: …" tag, or the credited recruiter under a bare "Agency"
// source); the same phone on another agency's candidate is not.
func TestIdentityCollisionAgencies(t *testing.T) {
	submitted := func(rec int, id, name, source, credited string, tags ...string) *event.Event {
		return candidateRecord(rec, event.Applicant{CandidateID: id, Name: name, Phones: []string{"+1 646 555 0199"}, Tags: tags,
			Applications: []event.Application{{ID: id + "0", Source: source, CreditedToName: credited}}})
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []string
	}{
		{
			name: "source_name_and_tag_name_one_agency",
			events: []*event.Event{
				submitted(1, "41", "Priya Raman", "BrightPath Staffing (Agency)", ""),
				submitted(2, "42", "Tomasz Nowak", "Agency", "", "Agency: BrightPath Staffing"),
			},
		},
		{
			name: "bare_agency_source_same_credited_recruiter",
			events: []*event.Event{
				submitted(1, "43", "Priya Raman", "Agency", "Dana Cole"),
				submitted(2, "44", "Tomasz Nowak", "Agency", "Dana Cole"),
			},
		},
		{
			name: "two_different_agencies_one_phone",
			events: []*event.Event{
				submitted(1, "45", "Priya Raman", "Agency", "", "Agency: BrightPath Staffing"),
				submitted(2, "46", "Tomasz Nowak", "Agency", "", "Agency: Northstar Talent Agency"),
			},
			want: []string{"cand-45", "cand-46"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &IdentityCollision{}, tt.events)
			var people []string
			for _, o := range got {
				people = append(people, o.Person)
			}
			if diff := cmp.Diff(tt.want, people); diff != "" {
				t.Errorf("people found (-want +got):\n%s", diff)
			}
		})
	}
}
