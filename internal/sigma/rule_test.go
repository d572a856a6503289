package sigma

import (
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
)

const header = "title: t\nid: 2424b608-0b48-47d4-9897-63f649a5d61c\nlevel: low\n"

func oktaRule(detection string) string {
	return header + "logsource:\n  product: okta\n  service: okta\ndetection:\n" + detection
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, rule, want string
	}{
		{"no_title", "logsource: {product: okta, service: okta}\ndetection: {s: {eventType: x}, condition: s}\n", "field title: missing"},
		{"bad_id", "title: t\nid: 12\nlogsource: {product: okta, service: okta}\ndetection: {s: {eventType: x}, condition: s}\n", `field id: "12" is not a UUID`},
		{"bad_level", "title: t\nlevel: severe\nlogsource: {product: okta, service: okta}\ndetection: {s: {eventType: x}, condition: s}\n", `field level: "severe", want one of informational, low, medium, high, critical`},
		{"bad_status", "title: t\nstatus: beta\nlogsource: {product: okta, service: okta}\ndetection: {s: {eventType: x}, condition: s}\n", `field status: "beta"`},
		{"no_logsource", "title: t\ndetection: {s: {eventType: x}, condition: s}\n", "field logsource: missing"},
		{"category", "title: t\nlogsource: {category: process_creation, product: windows}\ndetection: {s: {Image: x}, condition: s}\n", `field logsource.category: "process_creation"`},
		{"azure_auditlogs", "title: t\nlogsource: {product: azure, service: auditlogs}\ndetection: {s: {x: y}, condition: s}\n", `product "azure" service "auditlogs" is not a source rollcall reads`},
		{"no_detection", "title: t\nlogsource: {product: okta, service: okta}\n", "field detection: missing"},
		{"no_condition", oktaRule("  s: {eventType: x}\n"), "field detection.condition: missing"},
		{"undefined_identifier", oktaRule("  s: {eventType: x}\n  condition: s and filter\n"), `search identifier "filter" is not defined`},
		{"pattern_names_nothing", oktaRule("  s: {eventType: x}\n  condition: 1 of filter_*\n"), `"filter_*" names no search identifier`},
		{"aggregation", oktaRule("  s: {eventType: x}\n  condition: s | count() > 3\n"), "aggregations"},
		{"dangling_and", oktaRule("  s: {eventType: x}\n  condition: s and\n"), "ends where a search identifier was expected"},
		{"unbalanced", oktaRule("  s: {eventType: x}\n  condition: (s\n"), "missing )"},
		{"keywords", oktaRule("  keywords: [evil, bad]\n  condition: keywords\n"), "field detection.keywords[0]: keyword searches"},
		{"unmapped_field", oktaRule("  s: {displayMessage: x}\n  condition: s\n"), `field detection.s.displayMessage: field "displayMessage" is not kept by rollcall's okta adapter`},
		{"unsupported_modifier", oktaRule("  s: {eventType|base64offset|contains: x}\n  condition: s\n"), `field detection.s.eventType|base64offset|contains: modifier "base64offset" is not supported`},
		{"bad_regexp", oktaRule("  s: {eventType|re: '(?<=a)b'}\n  condition: s\n"), "not a regular expression rollcall can evaluate"},
		{"bad_cidr", oktaRule("  s: {client.ipAddress|cidr: 10.0.0.0/33}\n  condition: s\n"), "not a CIDR prefix"},
		{"closed_values", oktaRule("  s: {outcome.result: DENY}\n  condition: s\n"), `"DENY": rollcall keeps only the values SUCCESS, FAILURE of outcome.result`},
		{"closed_values_modifier", oktaRule("  s: {securityContext.isProxy|contains: tr}\n  condition: s\n"), "compare them exactly, without modifiers"},
		{"exists_value", oktaRule("  s: {eventType|exists: maybe}\n  condition: s\n"), "exists wants true or false"},
		{"correlation", "title: t\ncorrelation: {type: event_count, rules: [a]}\n", "field correlation: correlation rules are not supported"},
		{"collection", oktaRule("  s: {eventType: x}\n  condition: s\n") + "---\ntitle: second\n", "several YAML documents"},
		{"timeframe", oktaRule("  s: {eventType: x}\n  timeframe: 5m\n  condition: s\n"), "field detection.timeframe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.rule), "rules/x.yml")
			if err == nil {
				t.Fatal("parsed")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), `"rules/x.yml"`) {
				t.Errorf("error %q, want it to name the file and say %q", err, tt.want)
			}
		})
	}
}

func oktaEvent(eventType, ip, ua string, proxy bool, outcome string) *event.Event {
	n := &event.Network{IsProxy: proxy}
	if ip != "" {
		n.IP = netip.MustParseAddr(ip)
	}
	return &event.Event{Kind: event.KindSignIn, Prov: event.Provenance{Origin: &event.Origin{Source: "okta", File: "okta.json"}, Record: 1},
		Account: &event.Actor{Login: "Ana.Silva@example.com"},
		SignIn:  &event.SignIn{Action: eventType, Outcome: outcome, UserAgent: ua, Net: n}}
}

func TestMatch(t *testing.T) {
	session := oktaEvent("user.session.start", "185.220.101.4", "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0", true, event.OutcomeSuccess)
	enrol := oktaEvent("user.mfa.factor.activate", "73.162.10.41", "", false, event.OutcomeSuccess)
	tests := []struct {
		name      string
		detection string
		e         *event.Event
		want      bool
	}{
		{"equal_case_insensitive", "  s: {eventtype: USER.SESSION.START}\n  condition: s\n", session, true},
		{"cased", "  s: {eventType|cased: USER.SESSION.START}\n  condition: s\n", session, false},
		{"list_is_any", "  s: {eventType: [user.mfa.factor.activate, user.session.start]}\n  condition: s\n", session, true},
		{"map_is_all", "  s: {eventType: user.session.start, securityContext.isProxy: 'false'}\n  condition: s\n", session, false},
		{"list_of_maps_is_any", "  s:\n    - {eventType: nope}\n    - {securityContext.isProxy: true}\n  condition: s\n", session, true},
		{"wildcard", "  s: {eventType: 'user.*.start'}\n  condition: s\n", session, true},
		{"question_mark", "  s: {eventType: 'user.session.star?'}\n  condition: s\n", session, true},
		{"escaped_star", "  s: {eventType: 'user.\\*'}\n  condition: s\n", session, false},
		{"contains", "  s: {client.userAgent.rawUserAgent|contains: firefox}\n  condition: s\n", session, true},
		{"contains_all", "  s: {client.userAgent.rawUserAgent|contains|all: [Linux, Chrome]}\n  condition: s\n", session, false},
		{"startswith", "  s: {eventType|startswith: user.mfa.}\n  condition: s\n", enrol, true},
		{"endswith", "  s: {eventType|endswith: .activate}\n  condition: s\n", session, false},
		{"re", "  s: {actor.alternateId|re: '^ana\\.'}\n  condition: s\n", session, false},
		{"re_i", "  s: {actor.alternateId|re|i: '^ana\\.'}\n  condition: s\n", session, true},
		{"cidr", "  s: {client.ipAddress|cidr: 185.220.100.0/22}\n  condition: s\n", session, true},
		{"cidr_outside", "  s: {client.ipAddress|cidr: 185.220.100.0/22}\n  condition: s\n", enrol, false},
		{"null_matches_absent", "  s: {client.userAgent.rawUserAgent: null}\n  condition: s\n", enrol, true},
		{"empty_string_is_absent", "  s: {client.userAgent.rawUserAgent: ''}\n  condition: s\n", enrol, true},
		{"null_not_present", "  s: {client.userAgent.rawUserAgent: null}\n  condition: s\n", session, false},
		{"exists", "  s: {client.userAgent.rawUserAgent|exists: true}\n  condition: s\n", enrol, false},
		{"gt", "  s: {securityContext.asNumber|gt: 100}\n  condition: s\n", session, false},
		{"not", "  s: {eventType: user.session.start}\n  f: {securityContext.isProxy: true}\n  condition: s and not f\n", session, false},
		{"parentheses", "  a: {eventType: x}\n  b: {eventType: user.session.start}\n  c: {outcome.result: SUCCESS}\n  condition: (a or b) and c\n", session, true},
		{"precedence", "  a: {eventType: x}\n  b: {eventType: user.session.start}\n  c: {outcome.result: FAILURE}\n  condition: a or b and c\n", session, false},
		{"one_of_pattern", "  sel_a: {eventType: x}\n  sel_b: {securityContext.isProxy: true}\n  condition: 1 of sel_*\n", session, true},
		{"all_of_them", "  sel_a: {eventType: user.session.start}\n  sel_b: {securityContext.isProxy: true}\n  _helper: {eventType: x}\n  condition: all of them\n", session, true},
		{"condition_list", "  a: {eventType: x}\n  b: {eventType: user.session.start}\n  condition: [a, b]\n", session, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse([]byte(oktaRule(tt.detection)), "x.yml")
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Match(tt.e); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestMatchOtherSource: a rule only sees events of its logsource's adapter.
func TestMatchOtherSource(t *testing.T) {
	r, err := Parse([]byte(oktaRule("  s: {eventType: user.session.start}\n  condition: s\n")), "x.yml")
	if err != nil {
		t.Fatal(err)
	}
	e := oktaEvent("user.session.start", "", "", false, "")
	e.Prov.Origin = &event.Origin{Source: "entra", File: e.Prov.File()}
	if r.Match(e) {
		t.Error("an okta rule matched an entra event")
	}
	if r.Short() != "2424b608" {
		t.Errorf("Short = %q", r.Short())
	}
}

// TestReadmeListsFieldMapping keeps README's field table in step with the
// mapping: every field a logsource maps is named there (a dotted field may
// be written as its last part after an earlier one, ".os").
func TestReadmeListsFieldMapping(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, ls := range Logsources() {
		for _, f := range ls.Fields {
			name := f.Name
			if i := strings.LastIndexByte(name, '.'); i > 0 && !strings.Contains(readme, "`"+name+"`") {
				name = name[i:]
			}
			if !strings.Contains(readme, "`"+name+"`") {
				t.Errorf("README does not list %s field %s", ls.Source, f.Name)
			}
		}
	}
}
