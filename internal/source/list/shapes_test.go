package list

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// TestRealExportShapes holds the minimal records of issue 10, each reduced
// from a real export that this project once lost: every one must be
// recognised (Detect, with no format forced) and read as the events and
// rejections the export really holds, with the fact that was lost.
func TestRealExportShapes(t *testing.T) {
	const oktaEvent = `{"uuid":"u1","published":"2022-09-09T04:26:09.792Z","eventType":"user.session.start","actor":{"id":"00u1","alternateId":"a@example.com"},"client":{"ipAddress":"1.2.3.4"},"outcome":{"result":"SUCCESS"}}`
	tests := []struct {
		name       string
		in         string
		format     string
		events     int
		rejections int
		check      func(t *testing.T, evs []*event.Event) // nil when counts say it all
	}{
		{
			name:   "github_org_as_array",
			in:     `{"@timestamp":1711529216457,"action":"oauth_authorization.create","actor":"octo","actor_id":1,"org":["x-sentinellabs"],"org_id":[163237012]}`,
			format: "github", events: 1,
			check: func(t *testing.T, evs []*event.Event) { want(t, "org", "x-sentinellabs", evs[0].Audit.Org) },
		},
		{
			name:   "github_optional_field_of_another_type_is_kept_as_unknown",
			in:     `{"@timestamp":1686150672357,"action":"org.update_member","actor":"Admin","org":"o","user_agent":{"raw":"x"},"permission":["admin"]}`,
			format: "github", events: 1,
			check: func(t *testing.T, evs []*event.Event) {
				want(t, "unknown fields", "user_agent,permission", strings.Join(evs[0].Prov.UnknownFields(), ","))
			},
		},
		{
			name:   "github_permission_as_bool",
			in:     `{"@timestamp":1686150672357,"action":"org.update_member_repository_invitation_permission","actor":"Admin","org":"Test-org","permission":false}`,
			format: "github", events: 1,
			check: func(t *testing.T, evs []*event.Event) { want(t, "permission", "false", evs[0].Audit.Permission) },
		},
		{
			name:   "github_space_separated_created_at",
			in:     `{"created_at":"2022-12-11 22:40:20.268","action":"repo.create","actor":"octo","org":"o"}`,
			format: "github", events: 1,
			check: func(t *testing.T, evs []*event.Event) {
				want(t, "time", "2022-12-11T22:40:20.268Z", evs[0].Time.Format("2006-01-02T15:04:05.999Z07:00"))
			},
		},
		{
			name:   "osquery_batch_with_empty_added",
			in:     `{"diffResults":{"removed":[{"address":"127.0.0.1"}],"added":""},"name":"pack/test/hosts","hostIdentifier":"FA01680E","unixTime":"1511049728"}`,
			format: "osquery", events: 1,
			check: func(t *testing.T, evs []*event.Event) {
				if diff := cmp.Diff(event.RowsOf(map[string]string{"address": "127.0.0.1", "diffResults": "removed"}), evs[0].Device.Rows); diff != "" {
					t.Errorf("rows (-want +got):\n%s", diff)
				}
				want(t, "unknown fields", "diffResults.added", strings.Join(evs[0].Prov.UnknownFields(), ","))
			},
		},
		{
			name:   "osquery_process_events_table",
			in:     `{"name":"pack_audit_process_events","hostIdentifier":"h","unixTime":"1741046405","action":"added","columns":{"pid":"7712","path":"/usr/bin/curl","cmdline":"curl x","auid":"1000","eid":"99","time":"1741046405"}}`,
			format: "osquery", events: 1,
			check: func(t *testing.T, evs []*event.Event) { want(t, "table", "process_events", evs[0].Device.Table) },
		},
		{
			name: "osquery_file_with_a_broken_first_line",
			in: `{"name":"pack_it_usb_devices","hostIdentifier":"h","unixTime":"17410` + "\n" +
				`{"name":"pack_it_usb_devices","hostIdentifier":"h","unixTime":"1741046405","action":"added","columns":{"vendor_id":"1d6b","model_id":"0104"}}` + "\n" +
				`{"name":"pack_it_usb_devices","hostIdentifier":"h","unixTime":"1741046406","action":"removed","columns":{"vendor_id":"1d6b","model_id":"0104"}}`,
			format: "osquery", events: 2, rejections: 1,
		},
		{
			name:   "entra_space_separated_time",
			in:     `{"time":"2023-07-26 22:58:30.983201900","category":"SignInLogs","properties":{"userId":"u1","userPrincipalName":"a@example.com","status":{"errorCode":0}}}`,
			format: "entra", events: 1,
		},
		{
			name: "azure_diagnostics_mixed_categories_in_event_hub_records",
			in: `{"records":[{"time":"2025-03-06T13:31:02Z","category":"MicrosoftGraphActivityLogs","location":"North Europe","properties":{"userId":"u1"}},` +
				`{"time":"2025-03-06T13:31:02Z","category":"SignInLogs","resultType":"0","properties":{"userId":"u1"}},` +
				`{"time":"2025-03-06T13:31:02Z","category":"UserRiskEvents","properties":{"userId":"u1"}},` +
				`{"time":"2025-03-06T13:31:02Z","category":"ServicePrincipalSignInLogs","properties":{"servicePrincipalId":"sp1"}}]}`,
			format: "entra", events: 2, rejections: 2,
			check: func(t *testing.T, evs []*event.Event) {
				want(t, "outcome", "success", evs[0].SignIn.Outcome)
				want(t, "workload", "true", map[bool]string{true: "true", false: "false"}[evs[1].SignIn.Workload])
			},
		},
		{
			name:   "workspace_space_separated_time",
			in:     `{"id":{"time":"2022-05-26 15:26:09.421000000","uniqueQualifier":"1","applicationName":"login"},"actor":{"email":"a@example.com"},"events":[{"type":"login","name":"login_failure"},{"type":"login","name":"login_success"}]}`,
			format: "gworkspace", events: 1,
			check: func(t *testing.T, evs []*event.Event) { want(t, "outcome", "success", evs[0].SignIn.Outcome) },
		},
		{
			name:   "scim_empty_page",
			in:     `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":null}`,
			format: "scim",
		},
		{
			name:   "elastic_message_wrapper",
			in:     `{"@timestamp":"2022-09-09T04:26:10Z","host":{"name":"siem"},"message":` + quote(oktaEvent) + `}`,
			format: "okta", events: 1,
			check: func(t *testing.T, evs []*event.Event) { want(t, "login", "a@example.com", evs[0].Actor().Login) },
		},
		{
			name:   "event_hub_records_wrapper",
			in:     `{"records":[` + oktaEvent + `,` + oktaEvent + `]}`,
			format: "okta", events: 2,
		},
		{
			name:   "duplicate_identity_key_rejects_the_record",
			in:     `{"@timestamp":1711529216457,"action":"git.clone","actor":"alice","actor":"mallory","repo":"o/r"}` + "\n" + `{"@timestamp":1711529216457,"action":"git.clone","actor":"alice","repo":"o/r"}`,
			format: "github", events: 1, rejections: 1,
		},
		{
			name:   "nul_characters_are_replaced",
			in:     `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"s1","userName":"jane@example.com","displayName":"Jane\u0000Doe","name":{"formatted":"Jane\u0000Doe"},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"E1"}}`,
			format: "scim", events: 1,
			check: func(t *testing.T, evs []*event.Event) {
				if strings.ContainsRune(evs[0].Person.Name, 0) {
					t.Errorf("name %q still holds NUL", evs[0].Person.Name)
				}
				want(t, "name", "Jane\uFFFDDoe", evs[0].Person.Name)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Detect([]byte(tc.in))
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if f.ID() != tc.format {
				t.Fatalf("Detect = %s, want %s", f.ID(), tc.format)
			}
			res := sourcetest.DecodeBytes(t, f, tc.name+".json", []byte(tc.in))
			sourcetest.CheckInvariants(t, f.ID(), res)
			if len(res.Events) != tc.events || len(res.Rejections) != tc.rejections {
				t.Fatalf("%d events, %d rejections %+v (err %q); want %d and %d", len(res.Events), len(res.Rejections), res.Rejections, res.Err, tc.events, tc.rejections)
			}
			if tc.check != nil {
				tc.check(t, res.Events)
			}
		})
	}
}

func want(t *testing.T, what, want, got string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
