package hiring

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestStaffingContext(t *testing.T) {
	staff := func(n int, id, org, empType, userType string) *event.Event {
		return rosterRecord(n, event.Person{EmployeeID: id, UserName: strings.ToLower(id) + "@acme.example", Name: "Person " + id,
			Organization: org, EmployeeType: empType, UserType: userType})
	}
	acme := func() []*event.Event {
		return []*event.Event{staff(1, "E1", "Acme Corp", "", ""), staff(2, "E2", "Acme, Inc.", "", ""), staff(3, "E3", "ACME CORP", "", "")}
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "contractor_type",
			events: append(acme(), staff(4, "E4", "", "Contractor", "")),
			want:   []outcome{{Person: "E4", Records: []string{roster(4)}}},
		},
		{
			name:   "staffing_firm_organisation",
			events: append(acme(), staff(4, "E5", "BrightPath Staffing LLC", "", "")),
			want:   []outcome{{Person: "E5", Records: []string{roster(4)}}},
		},
		{
			name:   "contingent_user_type",
			events: append(acme(), staff(4, "E6", "Acme Corp", "", "Contingent Worker")),
			want:   []outcome{{Person: "E6", Records: []string{roster(4)}}},
		},
		// Negative cases.
		{
			name:   "employees_only",
			events: append(acme(), staff(4, "E7", "Acme Corp", "Full-Time", "Employee")),
		},
		{
			name: "no_majority_organisation",
			events: []*event.Event{staff(1, "E8", "Acme Corp", "", ""), staff(2, "E9", "Acme Labs", "", ""),
				staff(3, "E10", "Acme Cloud", "", ""), staff(4, "E11", "Acme Retail", "", "")},
		},
		{
			name:   "temporary_word_inside_another",
			events: append(acme(), staff(4, "E12", "Acme Corp", "Template Engineer", "")),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &StaffingContext{}, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStaffingContextSummary(t *testing.T) {
	ex := (&StaffingContext{}).Examples().Positive
	_, fs := run(t, &StaffingContext{}, ex.Events)
	if len(fs) != 1 || !strings.HasPrefix(fs[0].Summary, "context:") || !strings.Contains(fs[0].Summary, `"Summit Tech Staffing LLC"`) ||
		!strings.Contains(fs[0].Summary, `"Acme Corp"`) {
		t.Errorf("findings = %+v", fs)
	}
}
