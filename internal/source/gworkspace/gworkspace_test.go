package gworkspace_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/gworkspace"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func decode(t *testing.T, name string, content []byte) *sourcetest.Result {
	t.Helper()
	return sourcetest.DecodeOK(t, gworkspace.New(), name, content)
}

func TestGolden(t *testing.T) {
	sourcetest.RunGolden(t, gworkspace.New())
}

func TestRejections(t *testing.T) {
	sourcetest.CheckRejections(t, gworkspace.New(), "rejects.ndjson", []sourcetest.Rejected{
		{Line: 1, Record: 1, Field: "id.time", Reason: "not an RFC 3339 date-time"},
		{Line: 2, Record: 2, Field: "ipAddress", Reason: "not an IP address"},
		{Line: 3, Record: 3, Field: "actor.email", Reason: "missing"},
		{Line: 5, Record: 5, Field: "id.time", Reason: "missing"},
		{Line: 6, Record: 6, Field: "events", Reason: "expected an array of events"},
		{Line: 7, Record: 7, Field: "events", Reason: "missing"},
		{Line: 8, Record: 8, Field: "actor.email", Reason: "expected a string"},
	}, 4)
}

func TestMapping(t *testing.T) {
	const id = `"id":{"time":"2025-03-05T07:58:21.5+01:00","uniqueQualifier":"-77","applicationName":"login"},"actor":{"email":"Dana@Example.com","profileId":"1143"},"ipAddress":"203.0.113.9"`
	actor := event.Actor{ID: "1143", Email: "dana@example.com"}
	tests := []struct {
		name   string
		record string
		want   event.SignIn
	}{
		{
			name:   "login_success_is_success",
			record: `{` + id + `,"events":[{"type":"login","name":"login_success","parameters":[{"name":"login_type","value":"google_password"},{"name":"is_suspicious","boolValue":false}]}]}`,
			want: event.SignIn{Action: "login_success", Outcome: "success", Interactive: true,
				Reason: "login_type=google_password; is_suspicious=false", Net: &event.Network{IP: sourcetest.MustAddr(t, "203.0.113.9")}},
		},
		{
			name:   "login_failure_suspicious_is_high_risk",
			record: `{` + id + `,"events":[{"type":"login","name":"login_failure","parameters":[{"name":"login_failure_type","value":"login_failure_invalid_password"},{"name":"is_suspicious","boolValue":true}]}]}`,
			want: event.SignIn{Action: "login_failure", Outcome: "failure", Interactive: true, RiskLevel: "high",
				Reason: "login_failure_type=login_failure_invalid_password; is_suspicious=true", Net: &event.Network{IP: sourcetest.MustAddr(t, "203.0.113.9")}},
		},
		{
			name:   "logout_ends_session",
			record: `{` + id + `,"events":{"type":"login","name":"logout","parameters":[{"name":"login_type","value":"saml"}]}}`,
			want:   event.SignIn{Action: "logout", Outcome: "other", SessionEnd: true, Reason: "login_type=saml", Net: &event.Network{IP: sourcetest.MustAddr(t, "203.0.113.9")}},
		},
		{
			name:   "account_warning_keeps_type",
			record: `{` + id + `,"events":[{"type":"account_warning","name":"suspicious_login","parameters":[{"name":"login_timestamp","intValue":1593695305123456}]}]}`,
			want:   event.SignIn{Action: "suspicious_login", Outcome: "other", Reason: "type=account_warning; login_timestamp=1593695305123456", Net: &event.Network{IP: sourcetest.MustAddr(t, "203.0.113.9")}},
		},
		{
			name:   "network_info_and_multi_values",
			record: `{` + id + `,"networkInfo":{"ipAsn":["64500"],"regionCode":"kp","subdivisionCode":"KP-01"},"events":[{"type":"login","name":"login_challenge","parameters":[{"name":"login_challenge_method","multiValue":["password","security_key"]}]},{"type":"login","name":"login_success"}]}`,
			want: event.SignIn{Action: "login_success", Outcome: "success", Interactive: true,
				Reason: "login_challenge_method=password,security_key; event=login_success",
				Net:    &event.Network{IP: sourcetest.MustAddr(t, "203.0.113.9"), Country: "KP", Region: "KP-01", ASN: 64500, GeoSource: "gworkspace"}},
		},
		{
			name:   "failure_then_success_is_success",
			record: `{` + id + `,"events":[{"type":"login","name":"login_failure","parameters":[{"name":"login_type","value":"google_password"}]},{"type":"login","name":"login_success"}]}`,
			want: event.SignIn{Action: "login_success", Outcome: "success", Interactive: true,
				Reason: "login_type=google_password; event=login_success", Net: &event.Network{IP: sourcetest.MustAddr(t, "203.0.113.9")}},
		},
		{
			name:   "space_separated_utc_time",
			record: `{"id":{"time":"2025-03-05 06:58:21.500000000","uniqueQualifier":"-77","applicationName":"login"},"actor":{"email":"Dana@Example.com","profileId":"1143"},"ipAddress":"203.0.113.9","events":[{"type":"login","name":"logout"}]}`,
			want:   event.SignIn{Action: "logout", Outcome: "other", SessionEnd: true, Net: &event.Network{IP: sourcetest.MustAddr(t, "203.0.113.9")}},
		},
		{
			name: "cloud_logging_proto_payload",
			record: `{"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"Dana@Example.com"},"requestMetadata":{"callerIp":"203.0.113.9"},"serviceName":"login.googleapis.com","methodName":"google.login.LoginService.loginFailure",` +
				`"metadata":{"@type":"type.googleapis.com/ccc_hosted_reporting.ActivityProto","activityId":{"timeUsec":"1741157901500000","uniqQualifier":"-77"},"event":[{"eventType":"login","eventName":"login_failure","parameter":[{"type":"TYPE_STRING","name":"login_type","value":"google_password"},{"type":"TYPE_STRING","name":"login_challenge_method","multiStrValue":["password"]}]}]}},` +
				`"insertId":"x1","resource":{"type":"audited_resource","labels":{"service":"login.googleapis.com"}},"timestamp":"2025-03-05T06:58:21.5Z","severity":"NOTICE","logName":"organizations/1/logs/cloudaudit.googleapis.com%2Fdata_access"}`,
			want: event.SignIn{Action: "login_failure", Outcome: "failure", Interactive: true,
				Reason: "login_type=google_password; login_challenge_method=password", Net: &event.Network{IP: sourcetest.MustAddr(t, "203.0.113.9")}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := decode(t, "m.ndjson", []byte(tc.record+"\n"))
			if len(got.Events) != 1 {
				t.Fatalf("got %d events, rejections %+v; want 1 event", len(got.Events), got.Rejections)
			}
			ev := got.Events[0]
			if ev.Kind != event.KindSignIn || ev.SignIn == nil {
				t.Fatalf("kind %q, want a sign-in", ev.Kind)
			}
			if diff := cmp.Diff(tc.want, *ev.SignIn, sourcetest.CmpOpts); diff != "" {
				t.Errorf("SignIn (-want +got):\n%s", diff)
			}
			wantActor := actor
			if strings.Contains(tc.record, "protoPayload") {
				wantActor.ID = "" // Cloud Logging names the actor by email only
			}
			if diff := cmp.Diff(wantActor, ev.Actor()); diff != "" {
				t.Errorf("Actor (-want +got):\n%s", diff)
			}
			if want := time.Date(2025, 3, 5, 6, 58, 21, 5e8, time.UTC); !ev.Time.Equal(want) || ev.Time.Location() != time.UTC {
				t.Errorf("Time = %v, want %v in UTC", ev.Time, want)
			}
			if ev.Prov.ID != "-77" {
				t.Errorf("Prov.ID = %q, want the uniqueQualifier", ev.Prov.ID)
			}
		})
	}
}

func TestOtherApplicationIsAudit(t *testing.T) {
	rec := `{"id":{"time":"2025-03-04T10:02:55Z","applicationName":"admin"},"actor":{"email":"it-admin@example.com"},"ipAddress":"203.0.113.5","events":[{"type":"USER_SETTINGS","name":"CHANGE_PASSWORD","parameters":[{"name":"USER_EMAIL","value":"marcus@example.com"}]}]}`
	got := decode(t, "a.ndjson", []byte(rec))
	if len(got.Events) != 1 {
		t.Fatalf("got %d events, rejections %+v; want 1 event", len(got.Events), got.Rejections)
	}
	want := &event.Audit{Action: "admin.CHANGE_PASSWORD", Target: "marcus@example.com", Net: &event.Network{IP: sourcetest.MustAddr(t, "203.0.113.5")}}
	if diff := cmp.Diff(want, got.Events[0].Audit, sourcetest.CmpOpts); diff != "" {
		t.Errorf("Audit (-want +got):\n%s", diff)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"api_response", `{"kind":"admin#reports#activities","items":[]}`, true},
		{"elastic_line", `{"actor":{"email":"a@b.c"},"events":{"name":"logout"},"id":{"applicationName":"login","customerId":"1","time":"2025-03-05T07:58:21Z","uniqueQualifier":"1"}}`, true},
		{"entra_signin", `{"id":"x","createdDateTime":"2025-03-03T14:12:09Z","userPrincipalName":"a@b.c","status":{"errorCode":0}}`, false},
		{"okta_event", `{"actor":{"id":"00u1"},"eventType":"user.session.start","published":"2025-03-03T14:12:09Z"}`, false},
		{"text", "not json at all", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := gworkspace.New().Sniff([]byte(tc.head)); got != tc.want {
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
		plain := sourcetest.DecodeBytes(t, gworkspace.New(), "in", content)
		zipped := sourcetest.DecodeBytes(t, gworkspace.New(), "in", buf.Bytes())
		if diff := cmp.Diff(plain, zipped, sourcetest.CmpOpts); diff != "" {
			t.Errorf("%s: gzip input decodes differently (-plain +gzip):\n%s", path, diff)
		}
		if len(plain.Events) == 0 {
			t.Errorf("%s: no events", path)
		}
	}
}
