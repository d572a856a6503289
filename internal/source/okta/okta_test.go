package okta

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
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

func TestRejections(t *testing.T) {
	res := sourcetest.CheckRejections(t, New(), "rejects.ndjson", []sourcetest.Rejected{
		{Line: 2, Field: "published", Reason: `not an RFC 3339 timestamp: "06/05/2024 15:02"`},
		{Line: 3, Field: "client.ipAddress", Reason: `not an IP address: "73.162.10.999"`},
		{Line: 4, Reason: "malformed JSON: unexpected end of JSON input"},
		{Line: 5, Field: "eventType", Reason: "missing"},
		{Line: 6, Field: "securityContext.asNumber", Reason: "expected an AS number (integer below 2^32)"},
	}, 1, 7)
	if res.Err != "" {
		t.Errorf("decode error %q; a bad line must not stop the file", res.Err)
	}
}

// one decodes a single NDJSON record.
func one(t *testing.T, rec string) *sourcetest.Result {
	t.Helper()
	return sourcetest.DecodeBytes(t, New(), "t.ndjson", []byte(rec+"\n"))
}

func TestParse(t *testing.T) {
	const base = `"uuid":"u1","published":"2024-05-06T15:02:11.384Z","actor":{"id":"00u1","alternateId":"a@example.com","displayName":"A"}`
	tests := []struct {
		name string
		rec  string
		want *event.Event
	}{
		{
			name: "panther_lower_case_keys_and_space_time",
			rec:  `{"uuid":"u1","published":"2022-06-22 18:18:29.015","eventtype":"user.session.start","actor":{"id":"00u1","alternateId":"homer"},"outcome":{"result":"FAILURE","reason":"INVALID_CREDENTIALS"},"authenticationcontext":{"externalSessionId":"100-abc"},"securitycontext":{"asNumber":701,"asOrg":"verizon","isp":"verizon","domain":"verizon.net","isProxy":false}}`,
			want: &event.Event{Kind: event.KindSignIn, Time: time.Date(2022, 6, 22, 18, 18, 29, 15e6, time.UTC),
				Account: &event.Actor{ID: "00u1", Login: "homer"},
				SignIn: &event.SignIn{Action: "user.session.start", Outcome: "failure", Reason: "INVALID_CREDENTIALS", Interactive: true, SessionID: "100-abc",
					Net: &event.Network{ASN: 701, ASOrg: "verizon", ISP: "verizon", Domain: "verizon.net", GeoSource: "okta"}}},
		},
		{
			name: "nanosecond_space_time",
			rec:  `{"uuid":"u1","published":"2024-05-02 18:46:21.121000000","eventType":"system.org.rate_limit.warning","actor":{"id":"x"},"target":[{"id":"/api/v1/logs","type":"URL Pattern"}]}`,
			want: &event.Event{Kind: event.KindAudit, Time: time.Date(2024, 5, 2, 18, 46, 21, 121e6, time.UTC),
				Account: &event.Actor{ID: "x"}, Audit: &event.Audit{Action: "system.org.rate_limit.warning", Target: "/api/v1/logs"}},
		},
		{
			name: "offset_time_converted_to_utc_and_allow_is_success",
			rec:  `{"uuid":"u1","published":"2024-05-06T17:02:11+02:00","eventType":"policy.evaluate_sign_on","outcome":{"result":"ALLOW"}}`,
			want: &event.Event{Kind: event.KindSignIn, Time: time.Date(2024, 5, 6, 15, 2, 11, 0, time.UTC),
				SignIn: &event.SignIn{Action: "policy.evaluate_sign_on", Outcome: "success"}},
		},
		{
			name: "geography_country_name_to_code",
			rec:  `{` + base + `,"eventType":"user.authentication.sso","outcome":{"result":"CHALLENGE"},"client":{"ipAddress":"::ffff:175.45.176.3","geographicalContext":{"city":"Pyongyang","state":"Pyongyang","country":"Korea, Democratic People's Republic of","geolocation":{"lat":39.0392,"lon":125.7625}}},"securityContext":{"asNumber":"131279","isProxy":true}}`,
			want: &event.Event{Kind: event.KindSignIn, Time: time.Date(2024, 5, 6, 15, 2, 11, 384e6, time.UTC),
				Account: &event.Actor{ID: "00u1", Login: "a@example.com", Email: "a@example.com", DisplayName: "A"},
				SignIn: &event.SignIn{Action: "user.authentication.sso", Outcome: "other",
					Net: &event.Network{IP: netip.MustParseAddr("175.45.176.3"), Country: "KP", CountryName: "Korea, Democratic People's Republic of",
						Region: "Pyongyang", City: "Pyongyang", Lat: 39.0392, Lon: 125.7625, HasGeo: true, ASN: 131279, IsProxy: true, GeoSource: "okta"}}},
		},
		{
			name: "geolocation_out_of_range_ignored",
			rec:  `{` + base + `,"eventType":"user.session.end","client":{"geographicalContext":{"country":"Atlantis","geolocation":{"lat":200,"lon":0}}}}`,
			want: &event.Event{Kind: event.KindSignIn, Time: time.Date(2024, 5, 6, 15, 2, 11, 384e6, time.UTC),
				Account: &event.Actor{ID: "00u1", Login: "a@example.com", Email: "a@example.com", DisplayName: "A"},
				SignIn: &event.SignIn{Action: "user.session.end", Outcome: "other", SessionEnd: true,
					Net: &event.Network{CountryName: "Atlantis", GeoSource: "okta"}}},
		},
		{
			name: "mfa_device_from_authenticator_enrollment_not_password",
			rec:  `{` + base + `,"eventType":"user.authentication.auth_via_mfa","outcome":{"result":"SUCCESS"},"target":[{"id":"lae1","type":"AuthenticatorEnrollment","displayName":"Password"},{"id":"pfd9","type":"AuthenticatorEnrollment","displayName":"Okta Verify"}],"debugContext":{"debugData":{"factor":"SIGNED_NONCE","risk":"{reasons=Anomalous Device, level=MEDIUM}"}},"device":{"id":"guo1","name":"MacBookPro18,3","managed":false}}`,
			want: &event.Event{Kind: event.KindSignIn, Time: time.Date(2024, 5, 6, 15, 2, 11, 384e6, time.UTC),
				Account: &event.Actor{ID: "00u1", Login: "a@example.com", Email: "a@example.com", DisplayName: "A"},
				SignIn: &event.SignIn{Action: "user.authentication.auth_via_mfa", Outcome: "success", MFADevice: "pfd9", RiskLevel: "medium",
					DeviceID: "guo1", DeviceName: "MacBookPro18,3", Managed: "unmanaged"}},
		},
		{
			name: "mfa_device_from_factor_id_in_request_uri",
			rec:  `{` + base + `,"eventType":"user.mfa.factor.deactivate","outcome":{"result":"SUCCESS"},"debugContext":{"debugData":{"factor":"SMS_FACTOR","requestUri":"/api/v1/users/00u1/factors/smsf8luacpZJAva10x45/verify","originalPrincipal":{"id":"x"}}}}`,
			want: &event.Event{Kind: event.KindSignIn, Time: time.Date(2024, 5, 6, 15, 2, 11, 384e6, time.UTC),
				Account: &event.Actor{ID: "00u1", Login: "a@example.com", Email: "a@example.com", DisplayName: "A"},
				SignIn:  &event.SignIn{Action: "user.mfa.factor.deactivate", Outcome: "success", MFADevice: "smsf8luacpZJAva10x45"}},
		},
		{
			name: "factor_type_alone_is_not_a_device",
			rec:  `{` + base + `,"eventType":"user.authentication.auth_via_mfa","outcome":{"result":"SUCCESS"},"debugContext":{"debugData":{"factor":"OKTA_VERIFY_PUSH","requestUri":"/api/v1/authn/factors/webauthn/verify"}}}`,
			want: &event.Event{Kind: event.KindSignIn, Time: time.Date(2024, 5, 6, 15, 2, 11, 384e6, time.UTC),
				Account: &event.Actor{ID: "00u1", Login: "a@example.com", Email: "a@example.com", DisplayName: "A"},
				SignIn:  &event.SignIn{Action: "user.authentication.auth_via_mfa", Outcome: "success"}},
		},
		{
			name: "mfa_device_only_for_mfa_events",
			rec:  `{` + base + `,"eventType":"user.session.start","outcome":{"result":"SUCCESS"},"target":[{"id":"pfd9","type":"AuthenticatorEnrollment","displayName":"Okta Verify"}]}`,
			want: &event.Event{Kind: event.KindSignIn, Time: time.Date(2024, 5, 6, 15, 2, 11, 384e6, time.UTC),
				Account: &event.Actor{ID: "00u1", Login: "a@example.com", Email: "a@example.com", DisplayName: "A"},
				SignIn:  &event.SignIn{Action: "user.session.start", Outcome: "success", Interactive: true}},
		},
		{
			name: "audit_target_unknown_alternate_id_uses_display_name",
			rec:  `{` + base + `,"eventType":"application.user_membership.add","client":{"userAgent":{"rawUserAgent":"curl/8"}},"target":[{"id":"0ua2","type":"AppUser","alternateId":"unknown","displayName":"bob.k"}]}`,
			want: &event.Event{Kind: event.KindAudit, Time: time.Date(2024, 5, 6, 15, 2, 11, 384e6, time.UTC),
				Account: &event.Actor{ID: "00u1", Login: "a@example.com", Email: "a@example.com", DisplayName: "A"},
				Audit:   &event.Audit{Action: "application.user_membership.add", UserAgent: "curl/8", Target: "bob.k"}},
		},
		// Optional members of another type than Okta documents are read as
		// absent and the record is kept (issue 10, item 4: debugData as a string).
		{
			name: "debug_data_string",
			rec:  `{"uuid":"u1","published":"2022-09-09T04:26:09.792Z","eventType":"user.session.start","actor":{"id":"00u1","alternateId":"a@example.com"},"client":{"ipAddress":"1.2.3.4"},"outcome":{"result":"SUCCESS"},"debugContext":{"debugData":""}}`,
			want: &event.Event{Kind: event.KindSignIn, Time: time.Date(2022, 9, 9, 4, 26, 9, 792e6, time.UTC),
				Account: &event.Actor{ID: "00u1", Login: "a@example.com", Email: "a@example.com"},
				SignIn:  &event.SignIn{Action: "user.session.start", Outcome: "success", Interactive: true, Net: &event.Network{IP: netip.MustParseAddr("1.2.3.4")}}},
		},
		{
			name: "geolocation_out_of_float_range_and_strings_as_objects",
			rec:  `{"uuid":"u1","published":"2022-09-09T04:26:09.792Z","eventType":"user.session.start","actor":{"id":"00u1"},"client":{"userAgent":"curl","geographicalContext":{"city":"Oslo","geolocation":{"lat":1e999,"lon":10}}},"outcome":"SUCCESS","device":[],"securityContext":{"isProxy":"yes","asOrg":12}}`,
			want: &event.Event{Kind: event.KindSignIn, Time: time.Date(2022, 9, 9, 4, 26, 9, 792e6, time.UTC),
				Account: &event.Actor{ID: "00u1"},
				SignIn:  &event.SignIn{Action: "user.session.start", Outcome: "other", Interactive: true, Net: &event.Network{City: "Oslo", GeoSource: "okta"}}},
		},
		{
			name: "numeric_ids_as_text",
			rec:  `{"uuid":12,"published":"2022-09-09T04:26:09.792Z","eventType":"user.lifecycle.create","actor":{"id":42},"target":[{"id":7}]}`,
			want: &event.Event{Kind: event.KindAudit, Time: time.Date(2022, 9, 9, 4, 26, 9, 792e6, time.UTC),
				Prov:    event.Provenance{ID: "12"},
				Account: &event.Actor{ID: "42"}, Audit: &event.Audit{Action: "user.lifecycle.create", Target: "7"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := one(t, tc.rec)
			if len(res.Rejections) > 0 || len(res.Events) != 1 {
				t.Fatalf("want one event, got %d events, rejections %+v", len(res.Events), res.Rejections)
			}
			got := res.Events[0]
			wantID := "u1"
			if tc.want.Prov.ID != "" {
				wantID = tc.want.Prov.ID
			}
			tc.want.Prov = got.Prov // provenance is checked by the golden tests
			if diff := cmp.Diff(tc.want, got, sourcetest.CmpOpts); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
			if got.Prov.ID != wantID {
				t.Errorf("Prov.ID = %q, want the uuid %q", got.Prov.ID, wantID)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, rec, field, reason string
	}{
		{"missing_published", `{"uuid":"u","eventType":"user.session.start"}`, "published", "missing"},
		{"bad_published", `{"uuid":"u","eventType":"x","published":"yesterday"}`, "published", `not an RFC 3339 timestamp: "yesterday"`},
		{"impossible_date", `{"uuid":"u","eventType":"x","published":"2017-09-31T22:23:07.777Z"}`, "published", `not an RFC 3339 timestamp: "2017-09-31T22:23:07.777Z"`},
		{"bad_ip", `{"uuid":"u","eventType":"x","published":"2024-05-06T15:02:11Z","client":{"ipAddress":"1.2.3"}}`, "client.ipAddress", `not an IP address: "1.2.3"`},
		{"wrong_type", `{"uuid":"u","eventType":"x","published":"2024-05-06T15:02:11Z","actor":"someone"}`, "actor", "expected an object, got JSON string"},
		{"event_type_not_a_string", `{"uuid":"u","eventType":7,"published":"2024-05-06T15:02:11Z"}`, "eventType", "expected a string, got JSON number"},
		{"ip_not_a_string", `{"uuid":"u","eventType":"x","published":"2024-05-06T15:02:11Z","client":{"ipAddress":1234}}`, "client.ipAddress", "expected a string, got JSON number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := one(t, tc.rec)
			if len(res.Rejections) != 1 {
				t.Fatalf("want one rejection, got %d events, rejections %+v", len(res.Events), res.Rejections)
			}
			r := res.Rejections[0]
			if r.Field != tc.field || r.Reason != tc.reason || r.Line != 1 {
				t.Errorf("rejection = line %d field %q reason %q, want line 1 field %q reason %q", r.Line, r.Field, r.Reason, tc.field, tc.reason)
			}
		})
	}
}

// TestEventHook: an Event Hook delivery is unwrapped into its LogEvents
// (issue 10, item 7), each numbered as its own record on the envelope's
// line; an empty delivery gives no records.
func TestEventHook(t *testing.T) {
	const ev = `{"uuid":"%s","published":"2019-02-15T00:04:19.000Z","eventType":"user.session.start","actor":{"id":"00u1","alternateId":"a@example.com"},"client":{"ipAddress":"198.51.100.7"},"outcome":{"result":"SUCCESS"}}`
	hook := `{"eventType":"com.okta.event_hook","eventTypeVersion":"1.0","cloudEventsVersion":"0.1","source":"https://example.okta.com/api/v1/eventHooks/whndc1q9sM6aO5oPL0g4","eventId":"b5a188b9-5ece-4636-b041-482ffda96311","eventTime":"2019-02-15T00:04:19.000Z","contentType":"application/json","data":{"events":[` +
		strings.Replace(ev, "%s", "h1", 1) + `,` + strings.Replace(ev, "%s", "h2", 1) + `]}}`
	empty := `{"eventType":"com.okta.event_hook","eventTime":"2019-02-15T00:04:19.000Z","data":{"events":[]}}`
	in := hook + "\n" + empty + "\n" + strings.Replace(ev, "%s", "after", 1) + "\n"
	if !New().Sniff([]byte(hook)) {
		t.Error("Sniff does not claim an Event Hook delivery")
	}
	res := sourcetest.DecodeBytes(t, New(), "hook.ndjson", []byte(in))
	type rec struct {
		ID           string
		Record, Line int
	}
	var got []rec
	for _, e := range res.Events {
		got = append(got, rec{e.Prov.ID, e.Prov.Record, e.Prov.Line})
	}
	want := []rec{{"h1", 1, 1}, {"h2", 2, 1}, {"after", 3, 3}}
	if diff := cmp.Diff(want, got); diff != "" || len(res.Rejections) > 0 {
		t.Errorf("records (-want +got):\n%s\nrejections: %+v", diff, res.Rejections)
	}
	// Not an envelope: a LogEvent that merely mentions the hook's name.
	plain := strings.Replace(ev, `"outcome"`, `"displayMessage":"com.okta.event_hook","outcome"`, 1)
	if res := one(t, strings.Replace(plain, "%s", "p", 1)); len(res.Events) != 1 || res.Events[0].Prov.ID != "p" {
		t.Errorf("a LogEvent mentioning com.okta.event_hook: %d events, rejections %+v", len(res.Events), res.Rejections)
	}
}

func TestGzipInput(t *testing.T) {
	plain, err := os.ReadFile(filepath.Join("testdata", "system_log.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(plain)
	zw.Close()
	want := sourcetest.DecodeBytes(t, New(), "system_log.ndjson", plain)
	got := sourcetest.DecodeBytes(t, New(), "system_log.ndjson", buf.Bytes())
	if len(want.Events) == 0 {
		t.Fatal("fixture decoded to nothing")
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
		{"ndjson", `{"actor":{},"eventType":"user.session.start","published":"2024-01-01T00:00:00Z"}`, true},
		{"array_uuid_no_actor", `[{"uuid":"u","published":"x","eventType":"y"}]`, true},
		{"lower_case_keys", `{"eventtype":"x","published":"y","uuid":"z"}`, true},
		{"no_published", `{"eventType":"x","actor":{}}`, false},
		{"event_hook", `{"eventType":"com.okta.event_hook","data":{"events":[]}}`, true},
		{"other_cloud_event", `{"eventType":"com.example.thing","data":{}}`, false},
		{"github_audit", `{"@timestamp":1,"action":"repo.create","actor":"x"}`, false},
		{"scim", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"Resources":[]}`, false},
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

// TestSamples decodes the real public samples: every record is an event or
// a rejection with a reason, and every sign-in has a time, an actor, an IP
// and an event type.
func TestSamples(t *testing.T) {
	wantCounts := map[string][2]int{ // events, rejections
		"test-okta-system-events.log": {20, 0},
		"panther-tests.ndjson":        {13, 4}, // four tests have "published": "redacted"
	}
	for _, path := range sourcetest.Samples(t, "okta") {
		name := filepath.Base(path)
		t.Run(strings.ReplaceAll(name, ".", "_"), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !New().Sniff(raw) {
				t.Error("Sniff does not claim the sample")
			}
			res := sourcetest.DecodeFile(t, New(), path)
			sourcetest.CheckInvariants(t, ID, res)
			if res.Err != "" {
				t.Errorf("decode error: %s", res.Err)
			}
			lines := 0
			for _, l := range bytes.Split(raw, []byte("\n")) {
				if len(bytes.TrimSpace(l)) > 0 {
					lines++
				}
			}
			if res.Records() != lines {
				t.Errorf("%d records accounted for, file has %d", res.Records(), lines)
			}
			if want, ok := wantCounts[name]; ok && (len(res.Events) != want[0] || len(res.Rejections) != want[1]) {
				t.Errorf("%d events, %d rejections; want %d, %d", len(res.Events), len(res.Rejections), want[0], want[1])
			}
			for _, r := range res.Rejections {
				t.Logf("rejected line %d: field %q: %s", r.Line, r.Field, r.Reason)
			}
			for _, e := range res.Events {
				if e.Kind != event.KindSignIn {
					continue
				}
				if e.Time.IsZero() || e.Actor().Empty() || !e.SignIn.Net.IP.IsValid() || e.SignIn.Action == "" {
					t.Errorf("line %d: sign-in lacks time, actor, IP or event type: %+v %+v", e.Prov.Line, e.Actor(), e.SignIn)
				}
			}
		})
	}
}

func TestHostileInput(t *testing.T) { sourcetest.CheckHostile(t, New()) }

// TestParallelDecodeMatchesSequential: a file of many batches decodes to
// the same events, in the same order, on one core and on four (each
// parsing goroutine has its own fastjson parser, interner and slabs).
func TestParallelDecodeMatchesSequential(t *testing.T) {
	fixture, err := os.ReadFile(filepath.Join("testdata", "system_log.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(fixture), []byte("\n"))
	var in bytes.Buffer
	for i := range 1200 {
		l := lines[i%len(lines)]
		if i%401 == 400 {
			l = l[:len(l)/2] // a broken record now and then
		}
		in.Write(bytes.Replace(l, []byte(`"uuid":"`), fmt.Appendf(nil, `"uuid":"%d-`, i), 1))
		in.WriteByte('\n')
	}
	decode := func(procs int) *sourcetest.Result {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		return sourcetest.DecodeBytes(t, New(), "many.ndjson", in.Bytes())
	}
	one, four := decode(1), decode(4)
	if len(one.Events) < 1100 || len(one.Rejections) == 0 {
		t.Fatalf("fixture gave %d events, %d rejections", len(one.Events), len(one.Rejections))
	}
	if diff := cmp.Diff(one, four, sourcetest.CmpOpts); diff != "" {
		t.Errorf("GOMAXPROCS 4 differs from 1 (-1 +4):\n%s", diff)
	}
}

func TestLevelIn(t *testing.T) {
	tests := []struct{ in, want string }{
		{"{reasons=Anomalous Device, level=MEDIUM}", "MEDIUM"},
		{`{"behaviors":{},"level":"HIGH"}`, "HIGH"},
		{`level : "low"`, "low"},
		{"level=", ""},
		{"levels=HIGH, level=LOW", "LOW"}, // "levels" is not followed by = or :
		{"riskLevel=HIGH", ""},            // case-sensitive, as the regular expression it replaces
		{"level=123", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := levelIn(tc.in); got != tc.want {
			t.Errorf("levelIn(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
