package hiring

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestApplicationSpraying(t *testing.T) {
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	apps := func(n int, every time.Duration, source string, jobPrefix string) []event.Application {
		var out []event.Application
		for i := range n {
			out = append(out, event.Application{ID: fmt.Sprint(i), AppliedAt: start.Add(time.Duration(i) * every), Source: source,
				Jobs: []string{fmt.Sprintf("%s %d", jobPrefix, i)}})
		}
		return out
	}
	candWith := func(n int, id, name string, a []event.Application, contacts ...string) *event.Event {
		c := event.Applicant{CandidateID: id, Name: name, Applications: a}
		for _, k := range contacts {
			if strings.Contains(k, "@") {
				c.Emails = append(c.Emails, k)
			} else {
				c.Phones = append(c.Phones, k)
			}
		}
		return candidateRecord(n, c)
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "one_record_twelve_jobs_in_a_fortnight",
			events: []*event.Event{candWith(1, "1", "Alex Park", apps(12, 26*time.Hour, "LinkedIn", "Engineer"), "alex@mail.example")},
			want:   []outcome{{Person: "cand-1", Confidence: 0.7, Records: []string{cand(1)}}},
		},
		{
			name: "one_phone_two_records_same_name",
			events: []*event.Event{
				candWith(1, "2", "Alex Park", apps(6, 48*time.Hour, "Indeed", "Engineer"), "+1 312 555 0147"),
				candWith(2, "3", "Alex Park", apps(6, 72*time.Hour, "Indeed", "Developer"), "312-555-0147", "a.park@mail.example"),
			},
			want: []outcome{
				{Person: "cand-2", Related: []string{"cand-3"}, Confidence: 0.7, Records: []string{cand(1), cand(2)}},
				{Person: "cand-3", Related: []string{"cand-2"}, Confidence: 0.7, Records: []string{cand(1), cand(2)}},
			},
		},
		{
			name:   "heavy_sprayer",
			events: []*event.Event{candWith(1, "4", "Alex Park", apps(30, 20*time.Hour, "Jobs page on your website", "Role"), "alex4@mail.example")},
			want:   []outcome{{Person: "cand-4", Confidence: 1, Records: []string{cand(1)}}},
		},
		{
			name: "scattered_over_unrelated_roles",
			events: []*event.Event{candWith(1, "11", "Alex Park", named(start, "Mobile Engineer (Remote, US)", "Full Stack Engineer",
				"DevOps Engineer (Remote, US)", "Data Engineer"), "alex11@mail.example")},
			want: []outcome{{Person: "cand-11", Confidence: confScattered, Records: []string{cand(1)}}},
		},
		// Negative cases.
		{
			name: "generalist_applies_to_related_roles",
			events: []*event.Event{candWith(1, "12", "Alex Park", named(start, "Backend Engineer (Remote, US)", "Full Stack Engineer",
				"Software Engineer (Remote, US)", "Senior Software Engineer", "Staff Software Engineer"), "alex12@mail.example")},
		},
		{
			name: "unrelated_roles_over_months",
			events: []*event.Event{candWith(1, "13", "Alex Park", spaced(start, 40*24*time.Hour, "Mobile Engineer", "Full Stack Engineer",
				"DevOps Engineer", "Data Engineer"), "alex13@mail.example")},
		},
		{
			name:   "applied_to_few_roles",
			events: []*event.Event{candWith(1, "5", "Alex Park", apps(6, 24*time.Hour, "LinkedIn", "Engineer"), "alex5@mail.example")},
		},
		{
			name:   "many_roles_over_a_year_on_one_record",
			events: []*event.Event{candWith(1, "6", "Alex Park", apps(12, 30*24*time.Hour, "LinkedIn", "Engineer"), "alex6@mail.example")},
		},
		{
			name: "recruiter_prospecting_and_referrals",
			events: []*event.Event{candWith(1, "7", "Alex Park", append(apps(8, 24*time.Hour, "Prospecting", "Engineer"),
				apps(6, 24*time.Hour, "Employee Referral", "Developer")...), "alex7@mail.example")},
		},
		{
			name: "agency_submits_many_candidates_from_one_mailbox",
			events: []*event.Event{
				candWith(1, "8", "Priya Raman", apps(6, 24*time.Hour, "BrightPath Staffing (Agency)", "Engineer"), "submit@brightpath.example"),
				candWith(2, "9", "Tomasz Nowak", apps(6, 24*time.Hour, "BrightPath Staffing (Agency)", "Developer"), "submit@brightpath.example"),
			},
		},
		{
			name: "same_job_many_times",
			events: []*event.Event{candWith(1, "10", "Alex Park", func() []event.Application {
				a := apps(12, 24*time.Hour, "LinkedIn", "Engineer")
				for i := range a {
					a[i].Jobs = []string{"Backend Engineer"}
				}
				return a
			}(), "alex10@mail.example")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &ApplicationSpraying{}, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestApplicationSprayingSummary(t *testing.T) {
	ex := (&ApplicationSpraying{}).Examples().Positive
	_, fs := run(t, &ApplicationSpraying{}, ex.Events)
	if len(fs) != 3 {
		t.Fatalf("findings = %+v", fs)
	}
	for _, want := range []string{"email hire.devteam@proton.me", "14 requisitions", "3 candidate records", "3 different names"} {
		if !strings.Contains(fs[0].Summary, want) {
			t.Errorf("summary %q does not say %q", fs[0].Summary, want)
		}
	}
	if fs[0].Confidence != 1 || len(fs[0].Related) != 2 {
		t.Errorf("finding = %+v, want full confidence and the two other records' people", fs[0])
	}
}

// named makes one application a day to each job.
func named(start time.Time, jobs ...string) []event.Application {
	return spaced(start, 24*time.Hour, jobs...)
}

func spaced(start time.Time, every time.Duration, jobs ...string) []event.Application {
	var out []event.Application
	for i, j := range jobs {
		out = append(out, event.Application{ID: fmt.Sprint(100 + i), AppliedAt: start.Add(time.Duration(i) * every), Source: "Indeed", Jobs: []string{j}})
	}
	return out
}

func TestFamilies(t *testing.T) {
	var apps []sprayApp
	for _, j := range []string{"Mobile Engineer (Remote, US)", "Site Reliability Engineer", "Data Scientist", "Frontend Engineer",
		"Backend Engineer", "Enterprise Account Executive", "QA Engineer", "Paralegal (Remote, US)", "Chief of Staff"} {
		apps = append(apps, sprayApp{req: strings.ToLower(j)})
	}
	want := []string{"mobile", "infrastructure", "data", "software", "sales", "quality", "business", "chief of staff"}
	if diff := cmp.Diff(want, families(apps)); diff != "" {
		t.Errorf("families (-want +got):\n%s", diff)
	}
}
