package entra_test

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
	"github.com/rollcall/rollcall/internal/source/entra"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func decode(t *testing.T, name string, content []byte) *sourcetest.Result {
	t.Helper()
	return sourcetest.DecodeOK(t, entra.New(), name, content)
}

func TestGolden(t *testing.T) {
	sourcetest.RunGolden(t, entra.New())
}

func TestRejections(t *testing.T) {
	sourcetest.CheckRejections(t, entra.New(), "rejects.ndjson", []sourcetest.Rejected{
		{Line: 1, Record: 1, Field: "createdDateTime", Reason: "not an RFC 3339 date-time"},
		{Line: 2, Record: 2, Field: "ipAddress", Reason: "not an IP address"},
		{Line: 3, Record: 3, Field: "userId", Reason: "missing"},
		{Line: 5, Record: 5, Field: "status.errorCode", Reason: "expected an integer"},
		{Line: 6, Record: 6, Field: "location.geoCoordinates.latitude", Reason: "expected a number"},
		{Line: 7, Record: 7, Reason: "malformed JSON"},
		{Line: 8, Record: 8, Field: "properties.createdDateTime", Reason: "not an RFC 3339 date-time"},
		{Line: 9, Record: 9, Field: "callerIpAddress", Reason: "not an IP address"},
	}, 4)
}

func TestMapping(t *testing.T) {
	base := `"createdDateTime":"2025-03-03T14:12:09.1234567-05:00","userId":"u1","userPrincipalName":"Dana@Contoso.com"`
	tests := []struct {
		name   string
		record string
		want   event.SignIn
		actor  event.Actor
	}{
		{
			name:   "success_managed_interactive",
			record: `{` + base + `,"status":{"errorCode":0},"isInteractive":true,"deviceDetail":{"isManaged":false,"isCompliant":true}}`,
			want:   event.SignIn{Action: "interactiveUser", Outcome: "success", Managed: "managed", Interactive: true},
			actor:  event.Actor{ID: "u1", Login: "Dana@Contoso.com", Email: "dana@contoso.com"},
		},
		{
			name:   "failure_with_reason_unmanaged",
			record: `{` + base + `,"status":{"errorCode":50126,"failureReason":"Invalid username or password."},"deviceDetail":{"isManaged":false,"isCompliant":false}}`,
			want:   event.SignIn{Action: "interactiveUser", Outcome: "failure", Reason: "50126: Invalid username or password.", Managed: "unmanaged"},
			actor:  event.Actor{ID: "u1", Login: "Dana@Contoso.com", Email: "dana@contoso.com"},
		},
		{
			name:   "no_status_no_device_flags",
			record: `{` + base + `,"deviceDetail":{"operatingSystem":"Linux"}}`,
			want:   event.SignIn{Action: "interactiveUser", Outcome: "other", OS: "Linux"},
			actor:  event.Actor{ID: "u1", Login: "Dana@Contoso.com", Email: "dana@contoso.com"},
		},
		{
			name:   "upn_without_at_is_no_email",
			record: `{"createdDateTime":"2025-03-03T14:12:09Z","userId":"u2","userPrincipalName":"c3813493-bf92-5123-2717-8a8b2979c38b","status":{"errorCode":0},"isInteractive":false}`,
			want:   event.SignIn{Action: "nonInteractiveUser", Outcome: "success"},
			actor:  event.Actor{ID: "u2", Login: "c3813493-bf92-5123-2717-8a8b2979c38b"},
		},
		{
			name:   "guest_upn_in_tenant_form",
			record: `{"createdDateTime":"2025-03-03T14:12:09Z","userId":"g1","userPrincipalName":"Ada_Fabrikam.com#EXT#@contoso.onmicrosoft.com"}`,
			want:   event.SignIn{Action: "interactiveUser", Outcome: "other"},
			actor:  event.Actor{ID: "g1", Login: "Ada_Fabrikam.com#EXT#@contoso.onmicrosoft.com", Email: "ada@fabrikam.com"},
		},
		{
			name:   "diagnostic_non_interactive_category",
			record: `{"time":"2025-03-06T13:31:02Z","category":"NonInteractiveUserSignInLogs","callerIpAddress":"192.0.2.1","identity":"Dana W","location":"US","properties":{"userId":"u1","status":{"errorCode":0}}}`,
			want:   event.SignIn{Action: "nonInteractiveUser", Outcome: "success", Net: &event.Network{IP: sourcetest.MustAddr(t, "192.0.2.1"), Country: "US", GeoSource: "entra"}},
			actor:  event.Actor{ID: "u1", DisplayName: "Dana W"},
		},
		{
			name:   "service_principal_actor",
			record: `{"createdDateTime":"2025-03-03T14:12:09Z","servicePrincipalId":"sp1","servicePrincipalName":"deployer","signInEventTypes":["servicePrincipal"],"status":{"errorCode":7000215,"failureReason":"Invalid client secret provided."}}`,
			want:   event.SignIn{Action: "servicePrincipal", Outcome: "failure", Reason: "7000215: Invalid client secret provided.", Workload: true},
			actor:  event.Actor{ID: "sp1", DisplayName: "deployer"},
		},
		{
			name:   "mfa_device_from_auth_details_skips_password",
			record: `{` + base + `,"status":{"errorCode":0},"correlationId":"c1","authenticationDetails":[{"authenticationMethod":"Password","authenticationMethodDetail":"Password Hash Sync","succeeded":true},{"authenticationMethod":"Text message","authenticationMethodDetail":"+1 XXXXXXXX61","succeeded":true}]}`,
			want:   event.SignIn{Action: "interactiveUser", Outcome: "success", MFADevice: "+1 XXXXXXXX61", SessionID: "c1"},
			actor:  event.Actor{ID: "u1", Login: "Dana@Contoso.com", Email: "dana@contoso.com"},
		},
		{
			name:   "anonymized_ip_risk_is_proxy",
			record: `{` + base + `,"status":{"errorCode":0},"ipAddress":"192.0.2.7","riskLevelDuringSignIn":"medium","riskEventTypes_v2":["unfamiliarFeatures","anonymizedIPAddress"]}`,
			want: event.SignIn{Action: "interactiveUser", Outcome: "success", RiskLevel: "medium",
				Net: &event.Network{IP: sourcetest.MustAddr(t, "192.0.2.7"), IsProxy: true, GeoSource: "entra"}},
			actor: event.Actor{ID: "u1", Login: "Dana@Contoso.com", Email: "dana@contoso.com"},
		},
		{
			name:   "space_separated_utc_time",
			record: `{"time":"2023-07-26 22:58:30.983201900","category":"SignInLogs","properties":{"userId":"u1","status":{"errorCode":0}}}`,
			want:   event.SignIn{Action: "interactiveUser", Outcome: "success", Interactive: true},
			actor:  event.Actor{ID: "u1"},
		},
		{
			name:   "envelope_result_type_without_status",
			record: `{"time":"2025-03-06T13:31:02Z","category":"SignInLogs","resultType":"50126","resultSignature":"None","resultDescription":"Invalid username or password.","properties":{"userId":"u1"}}`,
			want:   event.SignIn{Action: "interactiveUser", Outcome: "failure", Reason: "50126: Invalid username or password.", Interactive: true},
			actor:  event.Actor{ID: "u1"},
		},
		{
			name:   "envelope_result_signature_success",
			record: `{"time":"2025-03-06T13:31:02Z","category":"ADFSSignInLogs","resultSignature":"SUCCESS","properties":{"userPrincipalName":"dana@contoso.com"}}`,
			want:   event.SignIn{Action: "interactiveUser", Outcome: "success"},
			actor:  event.Actor{Login: "dana@contoso.com", Email: "dana@contoso.com"},
		},
		{
			name:   "managed_identity_is_workload_region_is_no_country",
			record: `{"time":"2025-03-06T13:31:02Z","category":"ManagedIdentitySignInLogs","location":"North Europe","resultType":"0","properties":{"servicePrincipalId":"mi1","servicePrincipalName":"vm-identity"}}`,
			want:   event.SignIn{Action: "managedIdentity", Outcome: "success", Workload: true},
			actor:  event.Actor{ID: "mi1", DisplayName: "vm-identity"},
		},
		{
			name:   "out_of_range_coordinates_dropped",
			record: `{` + base + `,"status":{"errorCode":0},"location":{"countryOrRegion":"us","geoCoordinates":{"latitude":123.4,"longitude":5}}}`,
			want:   event.SignIn{Action: "interactiveUser", Outcome: "success", Net: &event.Network{Country: "US", GeoSource: "entra"}},
			actor:  event.Actor{ID: "u1", Login: "Dana@Contoso.com", Email: "dana@contoso.com"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := decode(t, "m.ndjson", []byte(tc.record+"\n"))
			if len(got.Events) != 1 {
				t.Fatalf("got %d events, %d rejections %+v; want 1 event", len(got.Events), len(got.Rejections), got.Rejections)
			}
			ev := got.Events[0]
			if diff := cmp.Diff(tc.want, *ev.SignIn, sourcetest.CmpOpts); diff != "" {
				t.Errorf("SignIn (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.actor, ev.Actor()); diff != "" {
				t.Errorf("Actor (-want +got):\n%s", diff)
			}
			if ev.Time.Location() != time.UTC || ev.Time.IsZero() {
				t.Errorf("Time = %v, want a UTC time", ev.Time)
			}
		})
	}
}

func TestTimeKeepsInstant(t *testing.T) {
	got := decode(t, "t.ndjson", []byte(`{"createdDateTime":"2019-10-18T04:45:48.0729893-05:00","userId":"u"}`+"\n"))
	if len(got.Events) != 1 {
		t.Fatalf("got %d events, want 1", len(got.Events))
	}
	want := time.Date(2019, 10, 18, 9, 45, 48, 72989300, time.UTC)
	if !got.Events[0].Time.Equal(want) {
		t.Errorf("Time = %v, want %v", got.Events[0].Time, want)
	}
}

func TestSniff(t *testing.T) {
	graph, err := os.ReadFile(filepath.Join("testdata", "graph-page.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"graph_page", string(graph), true},
		{"ndjson_signin", `{"id":"x","createdDateTime":"2025-03-03T14:12:09Z","userPrincipalName":"a@b.c","status":{"errorCode":0}}`, true},
		{"diagnostic_records", `{"records":[{"time":"2025-03-06T13:30:14Z","category":"SignInLogs","properties":{}}]}`, true},
		{"diagnostic_line", `{"Level":"4","category":"NonInteractiveUserSignInLogs","properties":{"id":"x"}}`, true},
		{"okta_event", `{"actor":{"id":"00u1","type":"User"},"eventType":"user.session.start","published":"2025-03-03T14:12:09Z","client":{"ipAddress":"192.0.2.1"}}`, false},
		{"github_audit", `{"@timestamp":1698579600000,"action":"git.clone","actor":"octocat"}`, false},
		{"directory_audit", `{"value":[{"id":"x","activityDateTime":"2025-03-03T14:12:09Z","activityDisplayName":"Add user","initiatedBy":{}}]}`, false},
		{"csv", "employee_id,effective_date,method\n", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := entra.New().Sniff([]byte(tc.head)); got != tc.want {
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
		plain := sourcetest.DecodeBytes(t, entra.New(), "in", content)
		zipped := sourcetest.DecodeBytes(t, entra.New(), "in", buf.Bytes())
		if diff := cmp.Diff(plain, zipped, sourcetest.CmpOpts); diff != "" {
			t.Errorf("%s: gzip input decodes differently (-plain +gzip):\n%s", path, diff)
		}
		if len(plain.Events) == 0 {
			t.Errorf("%s: no events", path)
		}
	}
}

// TestOtherCategoriesAreCountedSkips: an Azure diagnostic export mixes
// categories; records that are not sign-ins are rejected with the reason
// (counted), never read as sign-ins with the category as action.
func TestOtherCategoriesAreCountedSkips(t *testing.T) {
	in := `{"records":[` +
		`{"time":"2025-03-06T13:31:02Z","category":"MicrosoftGraphActivityLogs","location":"North Europe","properties":{"userId":"u1","requestUri":"https://graph.microsoft.com/v1.0/me"}},` +
		`{"time":"2025-03-06T13:31:02Z","category":"UserRiskEvents","properties":{"userId":"u1","riskEventType":"unfamiliarFeatures"}},` +
		`{"time":"2025-03-06T13:31:02Z","category":"AuditLogs","properties":{"activityDisplayName":"Add user"}},` +
		`{"time":"2025-03-06T13:31:02Z","category":"SignInLogs","properties":{"userId":"u1","status":{"errorCode":0}}}]}`
	got := decode(t, "mixed.json", []byte(in))
	if len(got.Events) != 1 || got.Events[0].SignIn.Action != "interactiveUser" {
		t.Fatalf("want the one SignInLogs record as an event, got %d events", len(got.Events))
	}
	var fields []string
	for _, r := range got.Rejections {
		if !strings.Contains(r.Reason, "not a sign-in category") {
			t.Errorf("rejection %q does not say the category is not a sign-in one", r.Reason)
		}
		fields = append(fields, r.Field)
	}
	if diff := cmp.Diff([]string{"category", "category", "category"}, fields); diff != "" {
		t.Errorf("rejected fields (-want +got):\n%s", diff)
	}
}
