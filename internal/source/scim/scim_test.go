package scim

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func TestGolden(t *testing.T) {
	sourcetest.RunGolden(t, New())
}

func TestRejections(t *testing.T) {
	sourcetest.CheckRejections(t, New(), "rejects.ndjson", []sourcetest.Rejected{
		{Line: 2, Field: "id", Reason: "missing: a User needs an id or an enterprise employeeNumber"},
		{Line: 3, Field: "meta.created", Reason: `not an RFC 3339 timestamp: "14/02/2023"`},
		{Line: 4, Field: "schemas", Reason: `not a SCIM User resource (schemas ["urn:ietf:params:scim:schemas:core:2.0:Group"])`},
		{Line: 5, Reason: "malformed JSON: unexpected end of JSON input"},
		{Line: 7, Field: "meta.lastModified", Reason: `not an RFC 3339 timestamp: "yesterday"`},
	}, 1, 6)
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		rec  string
		want *event.Event
	}{
		{
			name: "minimal_user_defaults",
			rec:  `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"u1@example.com"}`,
			want: &event.Event{Kind: event.KindPerson, Account: &event.Actor{ID: "u1", Login: "u1@example.com"},
				Person: &event.Person{EmployeeID: "u1", SCIMID: "u1", UserName: "u1@example.com", Active: true}},
		},
		{
			name: "employee_number_wins_and_given_family_name",
			rec: `{"id":"u1","userName":"jd","name":{"givenName":"Jane","familyName":"Doe"},"active":"False",` +
				`"emails":[{"value":"a@x.com"},{"value":"b@x.com","primary":"True"},{"value":" "}],"userType":"Independent Contractor",` +
				`"addresses":[{"type":"Home","country":"Korea, Republic of"},{"type":"work"}],` +
				`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":" 701984 ","manager":{"displayName":"Boss"}},` +
				`"meta":{"created":"2010-01-23T04:56:22+02:00","lastModified":"2012-05-01T10:00:00+02:00"}}`,
			want: &event.Event{Kind: event.KindPerson, Time: time.Date(2010, 1, 23, 2, 56, 22, 0, time.UTC),
				Account: &event.Actor{ID: "u1", Login: "jd", Email: "b@x.com", DisplayName: "Jane Doe"},
				Person: &event.Person{EmployeeID: "701984", SCIMID: "u1", UserName: "jd", Name: "Jane Doe", GivenName: "Jane", FamilyName: "Doe",
					Emails: []string{"a@x.com", "b@x.com"}, Addresses: []event.Address{{Type: "home", Country: "KR"}},
					UserType: "Independent Contractor", EmployeeType: "Independent Contractor", Manager: "Boss",
					Created: time.Date(2010, 1, 23, 2, 56, 22, 0, time.UTC), Modified: time.Date(2012, 5, 1, 8, 0, 0, 0, time.UTC)}},
		},
		{
			name: "upper_case_attribute_names",
			rec:  `{"ID":"u2","USERNAME":"x","DisplayName":"Shown Name","Urn:Ietf:Params:Scim:Schemas:Extension:Enterprise:2.0:User":{"EmployeeNumber":"9"}}`,
			want: &event.Event{Kind: event.KindPerson, Account: &event.Actor{ID: "u2", Login: "x", DisplayName: "Shown Name"},
				Person: &event.Person{EmployeeID: "9", SCIMID: "u2", UserName: "x", Name: "Shown Name", DisplayName: "Shown Name", Active: true}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := sourcetest.DecodeBytes(t, New(), "t.ndjson", []byte(tc.rec+"\n"))
			if len(res.Rejections) > 0 || len(res.Events) != 1 {
				t.Fatalf("want one event, got %d events, rejections %+v", len(res.Events), res.Rejections)
			}
			got := res.Events[0]
			tc.want.Prov = got.Prov
			if diff := cmp.Diff(tc.want, got, sourcetest.CmpOpts); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, rec, field, reason string
	}{
		{"no_id", `{"userName":"x"}`, "id", "missing: a User needs an id or an enterprise employeeNumber"},
		{"emails_not_array", `{"id":"u","emails":"a@x.com"}`, "emails", "expected an array, got JSON string"},
		{"bad_boolean", `{"id":"u","active":"yes"}`, "", `expected true or false, got "\"yes\""`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := sourcetest.DecodeBytes(t, New(), "t.ndjson", []byte(tc.rec+"\n"))
			if len(res.Rejections) != 1 {
				t.Fatalf("want one rejection, got %d events, rejections %+v", len(res.Events), res.Rejections)
			}
			if r := res.Rejections[0]; r.Field != tc.field || r.Reason != tc.reason {
				t.Errorf("rejection field %q reason %q, want %q %q", r.Field, r.Reason, tc.field, tc.reason)
			}
		})
	}
}

func TestGzipInput(t *testing.T) {
	plain, err := os.ReadFile(filepath.Join("testdata", "list_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(plain)
	zw.Close()
	want := sourcetest.DecodeBytes(t, New(), "roster.json", plain)
	got := sourcetest.DecodeBytes(t, New(), "roster.json", buf.Bytes())
	if len(want.Events) != 4 {
		t.Fatalf("fixture decoded to %d events, want 4", len(want.Events))
	}
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
		{"list_response", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`, true},
		{"user_ndjson", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1"}`, true},
		{"user_array", `[{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1"}]`, true},
		{"group_only", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"1"}`, false},
		{"okta_event_mentioning_scim", `{"eventType":"x","published":"y","uuid":"z","debugContext":{"debugData":{"schemas":"urn:ietf:params:scim:schemas:core:2.0:User"}}}`, false},
		{"resources_first", `{"Resources":[{"id":"1"}],"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"]}`, true},
		{"csv", "employee_id,method\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := New().Sniff([]byte(tc.head)); got != tc.want {
				t.Errorf("Sniff = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestSamples decodes shared SCIM samples when there are any (there are
// none yet: the roster fixtures here follow RFC 7643 §8).
func TestSamples(t *testing.T) {
	for _, path := range sourcetest.Samples(t, "scim") {
		res := sourcetest.DecodeFile(t, New(), path)
		sourcetest.CheckInvariants(t, ID, res)
		for _, e := range res.Events {
			if e.Person.EmployeeID == "" {
				t.Errorf("%s record %d: no employee id", path, e.Prov.Record)
			}
		}
	}
}

func TestHostileInput(t *testing.T) { sourcetest.CheckHostile(t, New()) }
