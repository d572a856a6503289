package githubusers

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func TestGolden(t *testing.T) {
	for _, path := range sourcetest.Testdata(t, "testdata") {
		t.Run(strings.ReplaceAll(filepath.Base(path), ".", "_"), func(t *testing.T) {
			res := sourcetest.DecodeFile(t, New(), path)
			sourcetest.CheckInvariants(t, ID, res)
			sourcetest.Golden(t, path+".golden.json", res)
		})
	}
}

func TestArrayAndNDJSONAgree(t *testing.T) {
	arr := sourcetest.DecodeFile(t, New(), filepath.Join("testdata", "users.json"))
	nd := sourcetest.DecodeFile(t, New(), filepath.Join("testdata", "users.ndjson"))
	if len(arr.Events) != 2 || len(nd.Events) != 2 {
		t.Fatalf("want 2 events from each fixture, got %d and %d", len(arr.Events), len(nd.Events))
	}
	for i := range arr.Events {
		if diff := cmp.Diff(arr.Events[i].Profile, nd.Events[i].Profile); diff != "" {
			t.Errorf("user %d differs between array and NDJSON (-array +ndjson):\n%s", i, diff)
		}
	}
}

func TestParse(t *testing.T) {
	rec := `{"login":"dbrooks-dev","id":170012345,"avatar_url":"https://avatars.githubusercontent.com/u/170012345?v=4","type":"User",` +
		`"name":" Daniel Brooks ","email":"dbrooks.dev@gmail.com","blog":"dbrooks.dev","public_repos":41,"public_gists":0,` +
		`"followers":312,"following":298,"created_at":"2025-01-06T04:12:44+01:00","updated_at":null}`
	res := sourcetest.DecodeBytes(t, New(), "u.ndjson", []byte(rec))
	if len(res.Events) != 1 {
		t.Fatalf("want one event, got rejections %+v", res.Rejections)
	}
	got := res.Events[0]
	created := time.Date(2025, 1, 6, 3, 12, 44, 0, time.UTC)
	want := &event.Event{Kind: event.KindProfile, Time: created, Prov: got.Prov,
		Account: &event.Actor{Login: "dbrooks-dev", Email: "dbrooks.dev@gmail.com", DisplayName: "Daniel Brooks"},
		Profile: &event.Profile{Login: "dbrooks-dev", ID: 170012345, Name: "Daniel Brooks", Email: "dbrooks.dev@gmail.com", Blog: "dbrooks.dev",
			AvatarURL: "https://avatars.githubusercontent.com/u/170012345?v=4", Followers: 312, Following: 298, PublicRepos: 41, CreatedAt: created}}
	if diff := cmp.Diff(want, got, sourcetest.CmpOpts); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	if got.Prov.ID != "170012345" {
		t.Errorf("Prov.ID = %q, want the user id", got.Prov.ID)
	}
}

func TestRejections(t *testing.T) {
	sourcetest.CheckRejections(t, New(), "rejects.ndjson", []sourcetest.Rejected{
		{Line: 2, Field: "login", Reason: "missing"},
		{Line: 3, Field: "type", Reason: `"acme-corp" is an organisation account, not a person's profile`},
		{Line: 4, Field: "type", Reason: `"dependabot" is a bot account, not a person's profile`},
		{Line: 5, Field: "login", Reason: `not a GitHub login: "kevin.tran"`},
		{Line: 6, Field: "created_at", Reason: `not an RFC 3339 timestamp: "last week"`},
		{Line: 7, Field: "public_repos", Reason: "out of range: -3"},
		{Line: 8, Field: "id", Reason: "expected an integer user id"},
		{Line: 9, Field: "public_repos", Reason: "expected an integer, got JSON string"},
		{Line: 10, Field: "created_at", Reason: `out of range: "1999-01-01T00:00:00Z" is before GitHub existed or after 2100`},
		{Line: 11, Reason: "malformed JSON: unexpected end of JSON input"},
	}, 1, 12)
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"user_object", `{"login":"octocat","id":1,"avatar_url":"x","public_repos":2}`, true},
		{"user_array", `[{"login":"octocat","avatar_url":"x","gravatar_id":"","public_repos":2}]`, true},
		{"search_item_without_counts", `{"login":"octocat","id":1,"avatar_url":"x","score":1}`, false},
		{"greenhouse", `{"id":1,"first_name":"A","applications":[],"email_addresses":[]}`, false},
		{"github_audit", `{"@timestamp":1,"action":"git.clone","actor":"octocat"}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := New().Sniff([]byte(tc.head)); got != tc.want {
				t.Errorf("Sniff = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestHostileInput(t *testing.T) { sourcetest.CheckHostile(t, New()) }
