package notify

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/report"
)

func TestParseDefaultsAndPaths(t *testing.T) {
	cfg, err := Parse([]byte(`
sent_log: state/sent.ndjson
dead_letter: /var/lib/rollcall/dead.ndjson
ssf:
  - {name: okta, endpoint: "https://example.okta.com/security/api/v1/security-events", issuer: "https://rollcall.example.com", audience: "https://example.okta.com", key_file: ssf.pem}
syslog:
  - {name: siem, address: "siem.example.com:6514", tls: true}
`), filepath.Join("/etc/rollcall", "notify.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SentLog != "/etc/rollcall/state/sent.ndjson" || cfg.DeadLetter != "/var/lib/rollcall/dead.ndjson" || cfg.SSF[0].KeyFile != "/etc/rollcall/ssf.pem" {
		t.Errorf("paths: sent %q, dead %q, key %q; want relative paths under the config's directory", cfg.SentLog, cfg.DeadLetter, cfg.SSF[0].KeyFile)
	}
	if diff := cmp.Diff(Retry{Attempts: 5, Initial: time.Second, Max: time.Minute, Timeout: 10 * time.Second}, cfg.Retry); diff != "" {
		t.Errorf("retry defaults (-want +got):\n%s", diff)
	}
	if cfg.MinLevel != "high" || cfg.SSF[0].Subject != "email" || cfg.SSF[0].SubjectIn != "sub_id" || cfg.Syslog[0].Facility != 13 || cfg.Syslog[0].SDID != "rollcall@32473" {
		t.Errorf("defaults: %+v", cfg)
	}
}

func TestParseRefuses(t *testing.T) {
	base := "sent_log: s.ndjson\ndead_letter: d.ndjson\n"
	for _, tt := range []struct {
		name, yaml, want string
	}{
		{"unknown_key", base + "webhook: []\n", "field webhook not found"},
		{"no_receiver", base, "no receiver"},
		{"no_sent_log", "dead_letter: d.ndjson\nsyslog: [{name: s, address: \"h:514\"}]\n", "sent_log: name the file"},
		{"same_files", "sent_log: x\ndead_letter: x\nsyslog: [{name: s, address: \"h:514\"}]\n", "same file"},
		{"bad_level", base + "min_level: severe\nsyslog: [{name: s, address: \"h:514\"}]\n", `min_level "severe"`},
		{"ssf_missing", base + "ssf: [{name: okta, endpoint: \"ftp://x\"}]\n", `ssf[0] (okta): endpoint: "ftp://x": want an https:// URL`},
		{"plain_http_remote", base + "webhooks: [{name: soc, url: \"http://soar.example.com/x\", format: slack}]\n", "use https (plain http only for a receiver on this machine)"},
		{"url_and_url_env", base + "webhooks: [{name: soc, url: \"https://x\", url_env: X, format: slack}]\n", "give url or url_env"},
		{"ssf_no_key", base + "ssf: [{name: okta, endpoint: \"https://x\", issuer: a, audience: b}]\n", "key_file is required"},
		{"iss_sub_without_issuer", base + "ssf: [{name: okta, endpoint: \"https://x\", issuer: a, audience: b, key_file: k, subject: iss_sub}]\n", "needs subject_issuer"},
		{"okta_with_sub_id", base + "ssf: [{name: okta, endpoint: \"https://x\", issuer: a, audience: b, key_file: k, risk_event: okta, subject_in: sub_id}]\n", "risk_event okta reads the subject in each event"},
		{"bad_risk_event", base + "ssf: [{name: okta, endpoint: \"https://x\", issuer: a, audience: b, key_file: k, risk_event: azure}]\n", `risk_event "azure"`},
		{"json_without_secret", base + "webhooks: [{name: soc, url: \"https://x\"}]\n", "secret_env is required"},
		{"credentials_in_url", base + "webhooks: [{name: soc, url: \"https://u:p@x\", format: slack}]\n", "credentials in the URL"},
		{"bad_include", base + "webhooks: [{name: soc, url: \"https://x\", format: slack, include: [phone]}]\n", `include "phone"`},
		{"duplicate_name", base + "syslog: [{name: s, address: \"h:514\"}, {name: s, address: \"h:515\"}]\n", `name "s" is used twice`},
		{"no_port", base + "syslog: [{name: s, address: siem}]\n", `address "siem": want host:port`},
		{"ca_without_tls", base + "syslog: [{name: s, address: \"h:514\", ca_file: ca.pem}]\n", "need tls: true"},
		{"bad_sd_id", base + "syslog: [{name: s, address: \"h:514\", sd_id: \"a b\"}]\n", "sd_id"},
		{"wrong_type", base + "retry: {attempts: many}\nsyslog: [{name: s, address: \"h:514\"}]\n", "line 3: cannot unmarshal"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "notify.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), `"notify.yaml"`) {
				t.Errorf("Parse: %v\nwant an error naming notify.yaml and containing %q", err, tt.want)
			}
		})
	}
}

func TestCrosses(t *testing.T) {
	for _, tt := range []struct {
		prev, cur string
		want      bool
	}{
		{"none", "low", false},
		{"low", "medium", false},
		{"medium", "high", true},
		{"none", "critical", true},
		{"high", "critical", true},
		{"critical", "high", true},
		{"high", "medium", true},
		{"medium", "low", false},
		{"high", "high", false},
	} {
		if got := crosses(tt.prev, tt.cur, "high"); got != tt.want {
			t.Errorf("crosses(%s → %s, min high) = %v, want %v", tt.prev, tt.cur, got, tt.want)
		}
	}
}

func TestReasonNamesStrongestFive(t *testing.T) {
	p := person("E1", "Jane Roe", "high", 80)
	for i := range 6 {
		p.Indicators = append(p.Indicators, report.Indicator{ID: fmt.Sprintf("X-%02d", i), Name: "weak", Points: 1})
	}
	c := Change{Score: 80, Current: "high", Indicators: indicatorRefs(&p)}
	want := "rollcall score 80 (high): PAY-01 Payout account shared with another person; APP-01 Applicant contact details reused; X-00 weak; X-01 weak; X-02 weak; and 3 more"
	if got := c.Reason(); got != want {
		t.Errorf("Reason()\n got %q\nwant %q", got, want)
	}
}
