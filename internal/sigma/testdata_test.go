package sigma

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/source/list"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// matches runs rules over an adapter's testdata file and returns, per rule
// title, the record numbers it matched.
func matches(t *testing.T, rules []*Rule, format, file string) map[string][]int {
	t.Helper()
	f, ok := list.ByID(format)
	if !ok {
		t.Fatalf("no format %q", format)
	}
	res := sourcetest.DecodeFile(t, f, filepath.Join("..", "source", format, "testdata", file))
	if res.Err != "" || len(res.Events) == 0 {
		t.Fatalf("decoding %s %s: %d events, error %q", format, file, len(res.Events), res.Err)
	}
	got := map[string][]int{}
	for _, r := range rules {
		for _, e := range res.Events {
			if r.Match(e) {
				got[r.Title] = append(got[r.Title], e.Prov.Record)
			}
		}
	}
	return got
}

// TestSigmaHQRulesOverAdapterTestdata evaluates rules written the way
// SigmaHQ writes them (lower-case okta field names, quoted booleans,
// numeric ResultType, gcp product for Workspace) over the records the
// adapters' own tests decode, and checks exactly which records match.
func TestSigmaHQRulesOverAdapterTestdata(t *testing.T) {
	rules, err := Load("testdata/sigmahq")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		format, file string
		want         map[string][]int
	}{
		// Record 3 is a failed user.session.start Okta flagged as a proxy;
		// record 4 is the proxy's policy evaluation (not a session start);
		// record 5 enrols a factor (not a reset or deactivation).
		{"okta", "system_log.ndjson", map[string][]int{"Okta User Session Start Via An Anonymising Proxy Service": {3}}},
		// Record 3 failed with 53003 (blocked by Conditional Access);
		// nobody signed in to a disabled account (50057).
		{"entra", "beta-signins.ndjson", map[string][]int{"Sign-in Failure Due to Conditional Access Requirements Not Met": {3}}},
		// graph-page record 2 failed with 50126, not 53003 or 50057.
		{"entra", "graph-page.json", map[string][]int{}},
		{"github", "audit-stream.ndjson", map[string][]int{"Github Branch Protection Overridden Or Disabled": {4}}},
		{"gworkspace", "activities.ndjson", map[string][]int{"Google Workspace Risky Sensitive Action Allowed": {3}}},
	}
	for _, tt := range tests {
		t.Run(tt.format+"_"+strings.ReplaceAll(tt.file, ".", "_"), func(t *testing.T) {
			if diff := cmp.Diff(tt.want, matches(t, rules, tt.format, tt.file)); diff != "" {
				t.Errorf("matched records per rule (-want +got):\n%s", diff)
			}
		})
	}
}

// TestShippedRules loads rollcall's own rules (rules/sigma) and runs them
// over the adapters' testdata.
func TestShippedRules(t *testing.T) {
	rules, err := Load("../../rules/sigma")
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, r := range rules {
		titles = append(titles, r.Title)
		if r.ID == "" || r.Description == "" {
			t.Errorf("%s: shipped rules need an id and a description", r.File)
		}
	}
	if len(rules) < 4 {
		t.Fatalf("loaded %d rules: %v", len(rules), titles)
	}
	tests := []struct {
		format, file string
		want         map[string][]int
	}{
		// Record 5 enrols a factor from Orange (isProxy false): quiet.
		{"okta", "system_log.ndjson", map[string][]int{}},
		// Record 1 succeeded from an address Entra ID Protection flagged
		// anonymizedIPAddress; record 3 has no risk event.
		{"entra", "beta-signins.ndjson", map[string][]int{"Entra ID Successful Sign-In From An Anonymised IP Address": {1}}},
		// Logins and a risky action Google allowed, no 2sv_disable.
		{"gworkspace", "activities.ndjson", map[string][]int{}},
		// git.fetch by a bot is not an archive download.
		{"github", "audit-stream.ndjson", map[string][]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.format+"_"+strings.ReplaceAll(tt.file, ".", "_"), func(t *testing.T) {
			if diff := cmp.Diff(tt.want, matches(t, rules, tt.format, tt.file)); diff != "" {
				t.Errorf("matched records per rule (-want +got):\n%s", diff)
			}
		})
	}
}

// TestShippedWorkspaceRule: the adapters' testdata has no 2sv_disable, so
// the rule runs over the same activity decoded with the event renamed.
func TestShippedWorkspaceRule(t *testing.T) {
	rules, err := Load("../../rules/sigma/gworkspace_2sv_disabled.yml")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := list.ByID("gworkspace")
	for name, want := range map[string]bool{"2sv_disable": true, "2sv_enroll": false} {
		line := `{"kind":"admin#reports#activity","id":{"time":"2025-03-05T07:58:22Z","uniqueQualifier":"4412","applicationName":"login","customerId":"C03az79cb"},"actor":{"callerType":"USER","email":"tomas.ferreira@example.com","profileId":"115559213400112"},"ipAddress":"203.0.113.9","events":[{"type":"2sv_change","name":"` + name + `"}]}` + "\n"
		res := sourcetest.DecodeBytes(t, f, "activities.ndjson", []byte(line))
		if len(res.Events) != 1 {
			t.Fatalf("%s: decoded %d events, rejections %v", name, len(res.Events), res.Rejections)
		}
		if got := rules[0].Match(res.Events[0]); got != want {
			t.Errorf("%s: Match = %v, want %v", name, got, want)
		}
	}
}

// TestUnsupportedSigmaHQRules: rules naming a vendor field rollcall does
// not keep, or aggregating, are refused with the file and the field.
func TestUnsupportedSigmaHQRules(t *testing.T) {
	_, err := Load("testdata/unsupported")
	if err == nil {
		t.Fatal("loaded rules that rollcall cannot evaluate")
	}
	for _, want := range []string{
		`sigma rule "testdata/unsupported/azure_app_display_name.yml" field detection.selection.AppDisplayName: field "AppDisplayName" is not kept by rollcall's entra adapter`,
		`sigma rule "testdata/unsupported/azure_failed_logins_threshold.yml" field detection.timeframe: timeframes belong to aggregations`,
		`sigma rule "testdata/unsupported/okta_user_account_locked_out.yml" field detection.selection.displaymessage: field "displaymessage" is not kept by rollcall's okta adapter`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
	if n := strings.Count(err.Error(), "sigma rule "); n != 3 {
		t.Errorf("%d errors, want one per file:\n%v", n, err)
	}
	if !slices.ContainsFunc(Logsources(), func(ls *Logsource) bool { return ls.Source == "entra" }) {
		t.Error("no entra logsource")
	}
}
