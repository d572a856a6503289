package greenhouse

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func TestGolden(t *testing.T) {
	sourcetest.RunGolden(t, New())
}

func TestArrayAndNDJSONAgree(t *testing.T) {
	arr := sourcetest.DecodeFile(t, New(), filepath.Join("testdata", "candidates.json"))
	nd := sourcetest.DecodeFile(t, New(), filepath.Join("testdata", "candidates.ndjson"))
	if len(arr.Events) != 2 || len(nd.Events) != 2 {
		t.Fatalf("want 2 events from each fixture, got %d and %d", len(arr.Events), len(nd.Events))
	}
	for i := range arr.Events {
		if diff := cmp.Diff(arr.Events[i].Applicant, nd.Events[i].Applicant); diff != "" {
			t.Errorf("candidate %d differs between array and NDJSON (-array +ndjson):\n%s", i, diff)
		}
	}
}

func TestRejections(t *testing.T) {
	sourcetest.CheckRejections(t, New(), "rejects.ndjson", []sourcetest.Rejected{
		{Line: 2, Field: "id", Reason: "missing"},
		{Line: 3, Field: "created_at", Reason: `not an RFC 3339 timestamp: "12 March 2024"`},
		{Line: 4, Field: "applications[0].applied_at", Reason: `not an RFC 3339 timestamp: "soon"`},
		{Line: 5, Field: "id", Reason: "expected an integer id (candidate or application id)"},
		{Line: 6, Reason: "malformed JSON: unexpected end of JSON input"},
	}, 1, 7)
}

func TestParse(t *testing.T) {
	rec := `{"id":"42","first_name":" Ann ","last_name":"Lee","email_addresses":[{"value":""},{"value":"ann@x.com","type":"personal"}],` +
		`"created_at":"2024-01-02T03:04:05.678+09:00","applications":[{"id":7,"applied_at":null,"credited_to":{"first_name":"Ref","last_name":"Erer"},"jobs":[{"name":""},{"name":"SRE"}]}]}`
	res := sourcetest.DecodeBytes(t, New(), "t.ndjson", []byte(rec))
	if len(res.Events) != 1 {
		t.Fatalf("want one event, got rejections %+v", res.Rejections)
	}
	got := res.Events[0]
	created := time.Date(2024, 1, 1, 18, 4, 5, 678e6, time.UTC)
	want := &event.Event{Kind: event.KindApplicant, Time: created, Prov: got.Prov,
		Account: &event.Actor{Email: "ann@x.com", DisplayName: "Ann Lee"},
		Applicant: &event.Applicant{CandidateID: "42", FirstName: "Ann", LastName: "Lee", Name: "Ann Lee", Emails: []string{"ann@x.com"}, CreatedAt: created,
			Applications: []event.Application{{ID: "7", Jobs: []string{"SRE"}, CreditedToName: "Ref Erer"}}}}
	if diff := cmp.Diff(want, got, sourcetest.CmpOpts); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	if got.Prov.ID != "42" {
		t.Errorf("Prov.ID = %q, want the candidate id", got.Prov.ID)
	}
}

func TestGzipInput(t *testing.T) {
	plain, err := os.ReadFile(filepath.Join("testdata", "candidates.json"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(plain)
	zw.Close()
	want := sourcetest.DecodeBytes(t, New(), "c.json", plain)
	got := sourcetest.DecodeBytes(t, New(), "c.json", buf.Bytes())
	if diff := cmp.Diff(want, got, sourcetest.CmpOpts); diff != "" {
		t.Errorf("gzip input decodes differently (-plain +gzip):\n%s", diff)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"old_shape", `{"id":1,"first_name":"User","application_ids":[1234]}`, true},
		{"array_email_addresses", `[{"id":1,"email_addresses":[]}]`, true},
		{"first_name_and_applications", `{"id":1,"first_name":"A","applications":[]}`, true},
		{"first_name_only", `{"id":1,"first_name":"A"}`, false},
		{"github_user", `{"login":"octocat","id":1,"email":"x"}`, false},
		{"okta", `{"eventType":"x","published":"y","uuid":"z"}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := New().Sniff([]byte(tc.head)); got != tc.want {
				t.Errorf("Sniff = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestSamples decodes the real 2014-shape Harvest responses.
func TestSamples(t *testing.T) {
	for _, path := range sourcetest.Samples(t, "greenhouse") {
		t.Run(strings.ReplaceAll(filepath.Base(path), ".", "_"), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !New().Sniff(raw) {
				t.Error("Sniff does not claim the sample")
			}
			res := sourcetest.DecodeFile(t, New(), path)
			sourcetest.CheckInvariants(t, ID, res)
			if res.Err != "" || len(res.Rejections) != 0 || len(res.Events) != 1 {
				t.Fatalf("want 1 event, got %d, rejections %+v, error %q", len(res.Events), res.Rejections, res.Err)
			}
			a := res.Events[0].Applicant
			if a.CandidateID != "1" || a.Name != "User One" || len(a.Emails) != 1 || len(a.Phones) != 1 || len(a.Attachments) != 2 || res.Events[0].Time.IsZero() {
				t.Errorf("sample candidate not fully read: %+v", a)
			}
		})
	}
}

func TestHostileInput(t *testing.T) { sourcetest.CheckHostile(t, New()) }
