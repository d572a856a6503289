package device

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestClass(t *testing.T) {
	ok := event.OutcomeSuccess
	tests := []struct {
		name string
		si   *event.SignIn
		want event.DeviceClass
	}{
		{"laptop_session", &event.SignIn{Action: "user.session.start", Outcome: ok, OS: "Mac OS X"}, event.DeviceComputer},
		{"phone_by_os", &event.SignIn{Action: "user.session.start", Outcome: ok, OS: "Android"}, event.DevicePhone},
		{"phone_by_user_agent", &event.SignIn{Action: "login_success", Outcome: ok, UserAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)"}, event.DevicePhone},
		{"phone_by_model_name", &event.SignIn{Action: "user.session.start", Outcome: ok, OS: "Mac OS X", DeviceName: "SM-A546U"}, event.DevicePhone},
		{"mfa_step_on_a_phone", &event.SignIn{Action: "user.authentication.auth_via_mfa", Outcome: ok, DeviceName: "Pixel 9"}, event.DevicePhone | event.DeviceMFAStep},
		{"token_refresh", &event.SignIn{Action: "nonInteractiveUser", Outcome: ok, OS: "Windows10"}, event.DeviceAutomated},
		{"policy_evaluation", &event.SignIn{Action: "policy.evaluate_sign_on", Outcome: ok, OS: "Windows 10"}, 0},
		{"failed_sign_in", &event.SignIn{Action: "user.session.start", Outcome: event.OutcomeFailure, OS: "Windows 10"}, 0},
		{"session_end", &event.SignIn{Action: "user.session.end", Outcome: ok, OS: "Windows 10", SessionEnd: true}, 0},
		{"entra_sign_in_that_completed_mfa", &event.SignIn{Action: "interactiveUser", Outcome: ok, OS: "Windows10", MFADevice: "authenticator"}, event.DeviceComputer},
		{"not_a_sign_in", nil, 0},
	}
	var memo Classifier
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Class(tt.si); got != tt.want {
				t.Errorf("Class = %b, want %b", got, tt.want)
			}
			for range 2 { // the second answer is remembered
				if got := memo.Class(tt.si); got != tt.want {
					t.Errorf("Classifier.Class = %b, want %b", got, tt.want)
				}
			}
		})
	}
}

func TestSerialKey(t *testing.T) {
	for in, want := range map[string]string{
		" c02xk1abjg5h ":         "C02XK1ABJG5H",
		"To be filled by O.E.M.": "",
		"0000000":                "",
		"1234567890":             "",
		"":                       "",
	} {
		if got := SerialKey(in); got != want {
			t.Errorf("SerialKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAuditClass(t *testing.T) {
	for ua, want := range map[string]event.DeviceClass{
		"GitHub-Actions-Runner/2.317.0": event.DeviceAutomated,
		"git/2.43.0 (dependabot)":       event.DeviceAutomated,
		"git/2.39.3 (Apple Git-146)":    0,
		"":                              0,
	} {
		var memo Classifier
		a := &event.Audit{Action: "git.clone", UserAgent: ua}
		if got := AuditClass(a); got != want {
			t.Errorf("AuditClass(%q) = %b, want %b", ua, got, want)
		}
		if got := memo.Audit(a); got != want {
			t.Errorf("Classifier.Audit(%q) = %b, want %b", ua, got, want)
		}
	}
}

func TestHostSerials(t *testing.T) {
	tests := []struct {
		name string
		d    *event.Device
		want []string
	}{
		{name: "system_info", d: &event.Device{Table: "system_info", Rows: event.RowsOf(map[string]string{"hardware_serial": " c02xk1zjhv2t "}, map[string]string{"hardware_serial": "To be filled by O.E.M."})}, want: []string{"C02XK1ZJHV2T"}},
		{name: "named_query", d: &event.Device{Query: "pack_inventory_system_info", Rows: event.RowsOf(map[string]string{"hardware_serial": "PF3ABCDE"})}, want: []string{"PF3ABCDE"}},
		{name: "other_table", d: &event.Device{Table: "usb_devices", Rows: event.RowsOf(map[string]string{"hardware_serial": "PF3ABCDE"})}},
		{name: "nil", d: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, HostSerials(tc.d)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestBotLogin: the one rule for code-host accounts that are machines
// (enrich.Stamp marks their actions automated; IAM-10 skips them).
func TestBotLogin(t *testing.T) {
	for login, want := range map[string]bool{
		"dependabot[bot]": true, "renovate[bot]": true, "github-actions": true, "GitHub-Actions ": true,
		"dependabot": true, "ghost": true, "project_12_bot": true, "group_3_bot_ab12": true, "bitbucket-pipelines": true,
		"e1@example.com": false, "robot-builder": false, "abbott": false, "": false,
	} {
		if got := BotLogin(login); got != want {
			t.Errorf("BotLogin(%q) = %v, want %v", login, got, want)
		}
	}
}
