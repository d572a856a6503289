package github_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/github"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func decode(t *testing.T, name string, content []byte) *sourcetest.Result {
	t.Helper()
	return sourcetest.DecodeOK(t, github.New(), name, content)
}

func TestGolden(t *testing.T) {
	sourcetest.RunGolden(t, github.New())
}

func TestRejections(t *testing.T) {
	sourcetest.CheckRejections(t, github.New(), "rejects.ndjson", []sourcetest.Rejected{
		{Line: 1, Record: 1, Field: "@timestamp", Reason: "not milliseconds since the epoch"},
		{Line: 2, Record: 2, Field: "actor_ip", Reason: "not an IP address"},
		{Line: 3, Record: 3, Field: "action", Reason: "missing"},
		{Line: 5, Record: 5, Field: "created_at", Reason: "out of range"},
		{Line: 6, Record: 6, Field: "actor", Reason: "expected a string"},
		{Line: 7, Record: 7, Field: "@timestamp", Reason: "missing"},
		{Line: 8, Record: 8, Field: "@timestamp", Reason: "got JSON true"},
	}, 4)
}

func TestMapping(t *testing.T) {
	tests := []struct {
		name   string
		record string
		time   time.Time
		actor  event.Actor
		want   event.Audit
	}{
		{
			name:   "clone_is_code_access",
			record: `{"@timestamp":1741010529482,"action":"git.clone","actor":"octo","actor_id":42,"actor_ip":"203.0.113.42","actor_location":{"country_code":"us"},"repo":"o/r","org":"o","user_agent":"git/2.43.0"}`,
			time:   time.Date(2025, 3, 3, 14, 2, 9, 482e6, time.UTC),
			actor:  event.Actor{ID: "42", Login: "octo"},
			want: event.Audit{Action: "git.clone", Repo: "o/r", Org: "o", UserAgent: "git/2.43.0", CodeAccess: true,
				Net: &event.Network{IP: sourcetest.MustAddr(t, "203.0.113.42"), Country: "US", GeoSource: "github"}},
		},
		{
			name:   "push_is_not_code_access",
			record: `{"@timestamp":1741010529482,"action":"git.push","actor":"octo","repo":"o/r"}`,
			time:   time.Date(2025, 3, 3, 14, 2, 9, 482e6, time.UTC),
			actor:  event.Actor{Login: "octo"},
			want:   event.Audit{Action: "git.push", Repo: "o/r"},
		},
		{
			name:   "download_zip_is_code_access",
			record: `{"created_at":"1741010529482","action":"repo.download_zip","actor":"octo","repository":"o/r"}`,
			time:   time.Date(2025, 3, 3, 14, 2, 9, 482e6, time.UTC),
			actor:  event.Actor{Login: "octo"},
			want:   event.Audit{Action: "repo.download_zip", Repo: "o/r", CodeAccess: true},
		},
		{
			name:   "rfc3339_created_at_and_permission",
			record: `{"created_at":"2025-03-05T12:15:09.338+01:00","action":"org.update_member","actor":"admin","user":"octo","permission":"admin"}`,
			time:   time.Date(2025, 3, 5, 11, 15, 9, 338e6, time.UTC),
			actor:  event.Actor{Login: "admin"},
			want:   event.Audit{Action: "org.update_member", Target: "octo", Permission: "admin"},
		},
		{
			name:   "country_name_and_location_ip",
			record: `{"@timestamp":1698579600000,"action":"user.login","actor":"john_doe","actor_id":12345,"actor_location":{"country_name":"Netherlands","ip":"192.0.2.1"}}`,
			time:   time.Date(2023, 10, 29, 11, 40, 0, 0, time.UTC),
			actor:  event.Actor{ID: "12345", Login: "john_doe"},
			want: event.Audit{Action: "user.login",
				Net: &event.Network{IP: sourcetest.MustAddr(t, "192.0.2.1"), Country: "NL", CountryName: "Netherlands", GeoSource: "github"}},
		},
		{
			name:   "managed_user_resolves_through_the_idp_name",
			record: `{"@timestamp":1741010529482,"action":"git.clone","actor":"dana-whitfield_kestrel","external_identity_nameid":"dana.whitfield@kestrel.example","external_identity_username":"dana.whitfield@kestrel.example","repo":"o/r"}`,
			time:   time.Date(2025, 3, 3, 14, 2, 9, 482e6, time.UTC),
			actor:  event.Actor{Login: "dana-whitfield_kestrel", Email: "dana.whitfield@kestrel.example"},
			want:   event.Audit{Action: "git.clone", Repo: "o/r", CodeAccess: true},
		},
		{
			name:   "system_action_without_actor",
			record: `{"@timestamp":1741100000123,"action":"secret_scanning_alert.create","org":"o"}`,
			time:   time.Date(2025, 3, 4, 14, 53, 20, 123e6, time.UTC),
			want:   event.Audit{Action: "secret_scanning_alert.create", Org: "o"},
		},
		{
			name:   "timestamp_wins_over_created_at",
			record: `{"@timestamp":1741100000000,"created_at":1000,"action":"team.add_member","actor":"a","data":{"team":"o/admins"}}`,
			time:   time.Date(2025, 3, 4, 14, 53, 20, 0, time.UTC),
			actor:  event.Actor{Login: "a"},
			want:   event.Audit{Action: "team.add_member", Target: "o/admins"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := decode(t, "m.ndjson", []byte(tc.record+"\n"))
			if len(got.Events) != 1 {
				t.Fatalf("got %d events, rejections %+v; want 1 event", len(got.Events), got.Rejections)
			}
			ev := got.Events[0]
			if ev.Kind != event.KindAudit || ev.Audit == nil {
				t.Fatalf("kind %q, want audit", ev.Kind)
			}
			if diff := cmp.Diff(tc.want, *ev.Audit, sourcetest.CmpOpts); diff != "" {
				t.Errorf("Audit (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.actor, ev.Actor()); diff != "" {
				t.Errorf("Actor (-want +got):\n%s", diff)
			}
			if !ev.Time.Equal(tc.time) || ev.Time.Location() != time.UTC {
				t.Errorf("Time = %v, want %v in UTC", ev.Time, tc.time)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	export, err := os.ReadFile(filepath.Join("testdata", "audit-export.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"pretty_array", string(export), true},
		{"ndjson_created_at", `{"actor":"github-actor","org":"Example-Org","action":"organization_default_label.create","created_at":1583364251067}`, true},
		{"spaced_keys", `{"@timestamp": 1698579600000, "action": "user.login", "actor": "john_doe"}`, true},
		{"osquery_result", `{"name":"pack_processes","hostIdentifier":"h","action":"added","columns":{"actor":"x"},"created_at":"1"}`, false},
		{"okta_event", `{"actor":{"id":"00u1"},"eventType":"user.session.start","published":"2025-03-03T14:12:09Z"}`, false},
		{"github_user_profile", `{"login":"octocat","id":1,"created_at":"2011-01-25T18:44:36Z","followers":20}`, false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := github.New().Sniff([]byte(tc.head)); got != tc.want {
				t.Errorf("Sniff = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestGzip(t *testing.T) {
	for _, path := range sourcetest.Testdata(t, "testdata") {
		content, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(content)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		plain := sourcetest.DecodeBytes(t, github.New(), "in", content)
		zipped := sourcetest.DecodeBytes(t, github.New(), "in", buf.Bytes())
		if diff := cmp.Diff(plain, zipped, sourcetest.CmpOpts); diff != "" {
			t.Errorf("%s: gzip input decodes differently (-plain +gzip):\n%s", path, diff)
		}
		if len(plain.Events) == 0 {
			t.Errorf("%s: no events", path)
		}
	}
}
