package hiring

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestTemplatedResume(t *testing.T) {
	cand := func(n int, id, name string, emails ...string) *event.Event {
		return candidateRecord(n, event.Applicant{CandidateID: id, Name: name, Emails: emails})
	}
	other := "Ana Souza\nData engineer\nExperience\nBuilt Spark and Airflow pipelines for a grocery chain's demand forecasting, " +
		"cutting stock-outs across four hundred stores, and ran the on-call rotation for the data platform team for two years " +
		"while migrating the warehouse from Redshift to Snowflake without downtime for the analysts who depend on it every morning.\n"
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name: "three_personas",
			events: []*event.Event{
				cand(1, "1", "Daniel Brooks"), cand(2, "2", "Samuel Okafor"), cand(3, "3", "Kevin Tran"), cand(4, "4", "Ana Souza"),
				resumeRecord("1", templateBody("Daniel Brooks", "Northwind Payments"), time.Time{}),
				resumeRecord("2", templateBody("Samuel Okafor", "Bluefin Freight"), time.Time{}),
				resumeRecord("3", templateBody("Kevin Tran", "Harbor Analytics"), time.Time{}),
				resumeRecord("4", other, time.Time{}),
			},
			want: []outcome{
				{Person: "cand-1", Related: []string{"cand-2", "cand-3"}, Confidence: 1, Records: recs(8, "1", "2", "1", "2", "1", "3", "1", "3")},
				{Person: "cand-2", Related: []string{"cand-1", "cand-3"}, Confidence: 1, Records: recs(8, "2", "1", "2", "1", "2", "3", "2", "3")},
				{Person: "cand-3", Related: []string{"cand-1", "cand-2"}, Confidence: 1, Records: recs(8, "3", "1", "3", "1", "3", "2", "3", "2")},
			},
		},
		// Negative cases.
		{
			name: "same_person_applied_twice",
			events: []*event.Event{
				cand(1, "5", "María José García", "mj@mail.example"), cand(2, "6", "Maria Jose Garcia", "mj.garcia@mail.example"),
				resumeRecord("5", templateBody("María José García", "Northwind Payments"), time.Time{}),
				resumeRecord("6", templateBody("Maria Jose Garcia", "Northwind Payments"), time.Time{}),
			},
		},
		{
			name: "unrelated_resumes",
			events: []*event.Event{
				cand(1, "7", "Daniel Brooks"), cand(2, "8", "Ana Souza"),
				resumeRecord("7", templateBody("Daniel Brooks", "Northwind Payments"), time.Time{}),
				resumeRecord("8", other, time.Time{}),
			},
		},
		{
			name:   "builder_headings_and_stock_sentence_only",
			events: (&TemplatedResume{}).Examples().Negative.Events,
		},
		{
			name: "one_resume_only",
			events: []*event.Event{cand(1, "9", "Daniel Brooks"),
				resumeRecord("9", templateBody("Daniel Brooks", "Northwind Payments"), time.Time{})},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &TemplatedResume{}, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// recs lists résumé evidence records for candidate ids; n is a check on
// the count.
func recs(n int, ids ...string) []string {
	if len(ids) != n {
		panic("recs: wrong count")
	}
	var out []string
	for _, id := range ids {
		out = append(out, resumeRec(id))
	}
	return out
}

func TestTemplatedResumeEvidence(t *testing.T) {
	ex := (&TemplatedResume{}).Examples().Positive
	_, fs := run(t, &TemplatedResume{}, ex.Events)
	if len(fs) != 2 {
		t.Fatalf("findings = %+v", fs)
	}
	f := fs[0]
	if !strings.Contains(f.Summary, "Samuel Okafor (cand-3302)") || !strings.Contains(f.Summary, "similarity") {
		t.Errorf("summary %q does not name the other person and the similarity", f.Summary)
	}
	mine, theirs := f.Evidence[0], f.Evidence[1]
	if mine.File != exampleResumeDir+"/3301.txt" || theirs.File != exampleResumeDir+"/3302.txt" {
		t.Errorf("evidence files %q, %q: want own résumé then the other's", mine.File, theirs.File)
	}
	if !strings.Contains(mine.Summary, "“") || !strings.Contains(theirs.Summary, "the same passage") {
		t.Errorf("evidence does not show the passages side by side: %q | %q", mine.Summary, theirs.Summary)
	}
	// The other person's finding shows the passages from their side.
	if fs[1].Evidence[0].File != exampleResumeDir+"/3302.txt" {
		t.Errorf("second finding cites %q first, want its own résumé", fs[1].Evidence[0].File)
	}
}
