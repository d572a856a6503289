package hiring

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

func TestTechAnachronism(t *testing.T) {
	applied2025 := []event.Application{{ID: "1", AppliedAt: time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)}}
	withResume := func(id, text string, docDate time.Time, apps []event.Application) []*event.Event {
		return []*event.Event{
			candidateRecord(1, event.Applicant{CandidateID: id, Name: "Alex Park", Applications: apps, CreatedAt: time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)}),
			resumeRecord(id, "Alex Park\n"+text, docDate),
		}
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "one_claim_two_years_beyond",
			events: withResume("1", "13 years of Kubernetes", time.Time{}, applied2025),
			want:   []outcome{{Person: "cand-1", Confidence: 0.7, Records: []string{resumeRec("1")}}},
		},
		{
			name:   "two_technologies_a_year_beyond_each",
			events: withResume("2", "Go (8 years) with Docker (13 years) and Kubernetes (12+ years)", time.Time{}, applied2025),
			want:   []outcome{{Person: "cand-2", Confidence: 1, Records: []string{resumeRec("2"), resumeRec("2")}}},
		},
		{
			name:   "since_before_release",
			events: withResume("3", "Shipping Rust since 2008 and ChatGPT since 2019.", time.Time{}, applied2025),
			want:   []outcome{{Person: "cand-3", Confidence: 1, Records: []string{resumeRec("3"), resumeRec("3")}}},
		},
		// Negative cases.
		{
			name:   "one_year_beyond_is_a_possible_typo_or_early_access",
			events: withResume("5", "Kubernetes (11 years)", time.Time{}, applied2025),
		},
		{
			name:   "plausible_claims",
			events: withResume("6", "Go (10 years), Kubernetes (8 years), React (6 years)", time.Time{}, applied2025),
		},
		{
			name:   "number_is_a_career_length",
			events: withResume("7", "15 years of experience building backend systems with Kubernetes, Rust and Deno.", time.Time{}, applied2025),
		},
		{
			name: "an_old_resume_is_read_at_the_latest_date",
			events: withResume("8", "Kubernetes (5 years)", time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC),
				[]event.Application{{ID: "1", AppliedAt: time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC)}}),
		},
		{
			name:   "go_as_a_verb",
			events: withResume("9", "Ready to Go (15 years) and to go-to-market.", time.Time{}, applied2025)[1:],
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &TechAnachronism{}, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTechAnachronismSummary(t *testing.T) {
	ex := (&TechAnachronism{}).Examples().Positive
	_, fs := run(t, &TechAnachronism{}, ex.Events)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	for _, want := range []string{`"13+ years of Kubernetes"`, "first public in June 2014", "Terraform"} {
		if !strings.Contains(fs[0].Summary, want) {
			t.Errorf("summary %q does not say %q", fs[0].Summary, want)
		}
	}
	if !strings.Contains(fs[0].Evidence[0].Summary, "https://") {
		t.Errorf("evidence %q does not cite the release date's source", fs[0].Evidence[0].Summary)
	}
}

func TestResumeDate(t *testing.T) {
	now := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	doc := resumeRecord("1", "x", time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC))
	pop := detecttest.Population([]*event.Event{candidateRecord(1, event.Applicant{CandidateID: "1", Name: "A B",
		Applications: []event.Application{{ID: "1", AppliedAt: time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC)}},
		CreatedAt:    time.Date(2018, 4, 1, 0, 0, 0, 0, time.UTC)}), doc}, nil)
	p := pop.Person("cand-1")
	if got := resumeDate(p, doc, now); !got.Equal(doc.Time) {
		t.Errorf("resumeDate = %v, want the later document date %v", got, doc.Time)
	}
	late := resumeRecord("1", "x", now.AddDate(1, 0, 0))
	if got := resumeDate(p, late, now); !got.Equal(now) {
		t.Errorf("resumeDate of a document dated after now = %v, want now", got)
	}
}
