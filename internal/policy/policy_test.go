package policy

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// cmpPolicy compares policies: netip.Prefix has unexported fields.
var cmpPolicy = cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })

const documented = "../../configs/policy.yaml"

func TestLoad_documented_file_equals_default(t *testing.T) {
	got, err := Load(documented)
	if err != nil {
		t.Fatalf("Load(%q): %v", documented, err)
	}
	if diff := cmp.Diff(Default(), got, cmpPolicy); diff != "" {
		t.Errorf("configs/policy.yaml drifted from Default() (-default +file):\n%s", diff)
	}
}

// TestLoad_documented_examples_are_valid uncomments every "Example:" block
// of configs/policy.yaml and checks it loads to testdata/full.yaml, so the
// examples users copy cannot rot.
func TestLoad_documented_examples_are_valid(t *testing.T) {
	data, err := os.ReadFile(documented)
	if err != nil {
		t.Fatal(err)
	}
	example := regexp.MustCompile(`^(\s*)#   (.*)$`)
	emptyDefault := regexp.MustCompile(`^\s*\w+: (\[\]|\{\})\s*$`)
	var out []string
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "# Example:" {
			in = true
			continue
		}
		if m := example.FindStringSubmatch(line); in && m != nil {
			out = append(out, m[1]+m[2])
			continue
		}
		in = false
		if emptyDefault.MatchString(line) {
			continue
		}
		out = append(out, line)
	}
	got, err := Parse([]byte(strings.Join(out, "\n")), "examples")
	if err != nil {
		t.Fatalf("documented examples: %v\n%s", err, strings.Join(out, "\n"))
	}
	want, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpPolicy); diff != "" {
		t.Errorf("examples differ from testdata/full.yaml (-want +got):\n%s", diff)
	}
}

func TestLoad_full_file(t *testing.T) {
	got, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	date := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	want := Default()
	want.Weights = map[string]float64{"IAM-01": 30, "END-05": 0}
	want.Cluster.CarrierASNs = []uint32{14593}
	want.Allow = Allow{
		VPNASNs: []ASNEntry{{ASN: 13335, Name: "Cloudflare WARP (Zero Trust)",
			Entry: Entry{Reason: "company-wide Zero Trust client, approved by IT (SEC-101)", Expires: date("2026-12-31")}}},
		Egress: []PrefixEntry{
			{Prefix: netip.MustParsePrefix("203.0.113.0/24"), Entry: Entry{Reason: "HQ office NAT"}},
			{Prefix: netip.MustParsePrefix("2001:db8:100::/48"), Entry: Entry{Reason: "corporate VPN pool"}},
		},
		Travel: []TravelEntry{{Person: "E1042", Countries: []string{"FR", "DE"}, From: date("2025-03-01"), To: date("2025-03-15"),
			Entry: Entry{Reason: "customer visit approved by manager (TRAVEL-77)"}}},
		SharedAddresses: []AddressEntry{{Address: "500 Market St, San Francisco, CA 94105, US",
			Entry: Entry{Reason: "IT depot receives laptops for re-imaging"}}},
		Tools: []ToolEntry{{Name: "TeamViewer", Entry: Entry{Reason: "helpdesk remote support (IT-55)", Expires: date("2026-06-30")}}},
		People: []PersonEntry{{Person: "E1234", Indicator: "IAM-01",
			Entry: Entry{Reason: "reviewed 2025-05-02, works from China on approved secondment (HR-998)", Expires: date("2025-12-31")}}},
	}
	if diff := cmp.Diff(want, got, cmpPolicy); diff != "" {
		t.Errorf("Load (-want +got):\n%s", diff)
	}
}

func TestParse_merges_over_default(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		edit func(p *Policy)
	}{
		{name: "empty_file", yaml: "", edit: func(*Policy) {}},
		{name: "comments_only", yaml: "# nothing\n", edit: func(*Policy) {}},
		{name: "one_level", yaml: "levels:\n  medium: 40\n", edit: func(p *Policy) { p.Levels.Medium = 40 }},
		{name: "weights_merge", yaml: "weights:\n  IAM-01: 25\n", edit: func(p *Policy) { p.Weights["IAM-01"] = 25 }},
		{name: "weak_list_replaces", yaml: "weak: [APP-02, END-07, IAM-06, COL-02, END-10]\n",
			edit: func(p *Policy) { p.Weak = append(p.Weak, "END-10") }},
		{name: "cluster_partial", yaml: "cluster:\n  bonus: 10\n", edit: func(p *Policy) { p.Cluster.Bonus = 10 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := Default()
			tt.edit(want)
			got, err := Parse([]byte(tt.yaml), "p.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmpPolicy); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

var goTypeName = regexp.MustCompile(`policy\.[A-Z]\w*|\b(float64|u?int(8|16|32|64)?|\[\]\w+)\b`)

func TestParse_errors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // substrings of the error
	}{
		{
			name: "unknown_top_level_key",
			yaml: "levels:\n  low: 10\nstage_decays: 0.4\n",
			want: []string{`p.yaml:3: unknown key "stage_decays"`, "configs/policy.yaml"},
		},
		{
			name: "unknown_nested_key",
			yaml: "cluster:\n  max_ip_sharer: 3\n",
			want: []string{`p.yaml:2: unknown key "max_ip_sharer" under cluster;`},
		},
		{
			name: "unknown_key_in_inline_entry",
			yaml: "allow:\n  tools:\n    - name: TeamViewer\n      reason: ok\n      expire: 2026-01-01\n",
			want: []string{`p.yaml:5: unknown key "expire"`},
		},
		{
			name: "bad_prefix_has_line",
			yaml: "allow:\n  egress:\n    - prefix: 10.0.0/8\n      reason: office\n",
			want: []string{`p.yaml:3: prefix "10.0.0/8" is not a CIDR range`},
		},
		{
			name: "wrong_type_has_line",
			yaml: "levels:\n  low: ten\n",
			want: []string{`p.yaml:2: "ten" is text where a number is expected`},
		},
		{
			name: "section_where_a_number_is",
			yaml: "levels: 7\n",
			want: []string{`p.yaml:1: "7" is a number where a section of keys is expected`},
		},
		{
			name: "unknown_key_in_list_entry_names_section",
			yaml: "allow:\n  tools:\n    - name: X\n      reason: r\n      colour: red\n",
			want: []string{`p.yaml:5: unknown key "colour" under allow.tools;`},
		},
		{
			name: "bad_date_has_line",
			yaml: "allow:\n  tools:\n    - name: X\n      reason: r\n      expires: someday\n",
			want: []string{`p.yaml:5: expires "someday" is not a date; write it as YYYY-MM-DD`},
		},
		{
			name: "syntax_error_has_line",
			yaml: "levels:\n  low: 10\n medium: 3\n",
			want: []string{"p.yaml:2: did not find expected key"},
		},
		{
			name: "invalid_values_are_validated",
			yaml: "levels:\n  medium: 5\n",
			want: []string{"levels must increase"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "p.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			var ie *InvalidError
			if !errors.As(err, &ie) {
				t.Errorf("error %v is not an *InvalidError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if m := goTypeName.FindString(err.Error()); m != "" {
				t.Errorf("error %q names the Go type %s instead of the file's terms", err, m)
			}
		})
	}
}

func TestLoad_missing_file(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want an error wrapping os.ErrNotExist", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *Policy)
		want []string // one substring per expected problem, in order
	}{
		{name: "default_is_valid", edit: func(*Policy) {}},
		{name: "levels_out_of_order", edit: func(p *Policy) { p.Levels.High = 30 },
			want: []string{"levels must increase: low (10) < medium (35) < high (30) < critical (80)"}},
		{name: "level_out_of_range", edit: func(p *Policy) { p.Levels.Critical = 120 },
			want: []string{"levels.critical is 120; a threshold is a score and must be within 0–100"}},
		{name: "low_zero", edit: func(p *Policy) { p.Levels.Low = 0 },
			want: []string{"levels.low is 0; it must be above 0"}},
		{name: "decay_zero", edit: func(p *Policy) { p.StageDecay = 0 },
			want: []string{"stage_decay is 0; it must be above 0 and at most 1"}},
		{name: "weight_out_of_range", edit: func(p *Policy) { p.Weights["IAM-01"] = 150; p.Weights["END-05"] = -1 },
			want: []string{"weights.END-05 is -1", "weights.IAM-01 is 150"}},
		{name: "fairness_indicator_removed", edit: func(p *Policy) { p.Weak = []string{"APP-02", "END-07", "COL-02"} },
			want: []string{"weak: IAM-06 is fairness-sensitive"}},
		{name: "cluster_sharers", edit: func(p *Policy) {
			p.Cluster.MaxIPSharers = 1
			p.Cluster.MaxAddressSharers = -2
			p.Cluster.MaxIdentifierSharers = 1
		}, want: []string{"cluster.max_ip_sharers is 1", "cluster.max_address_sharers is -2", "cluster.max_identifier_sharers is 1"}},
		{name: "cluster_links_off_is_valid", edit: func(p *Policy) {
			p.Cluster.MaxIPSharers, p.Cluster.MaxAddressSharers, p.Cluster.MaxIdentifierSharers = 0, 0, 0
		}},
		{name: "bonus_out_of_range", edit: func(p *Policy) { p.Cluster.Bonus = 101 },
			want: []string{"cluster.bonus is 101"}},
		{name: "entries_need_reasons", edit: func(p *Policy) {
			p.Allow.VPNASNs = []ASNEntry{{ASN: 13335}}
			p.Allow.Egress = []PrefixEntry{{Prefix: netip.MustParsePrefix("203.0.113.0/24")}}
			p.Allow.SharedAddresses = []AddressEntry{{Address: "1 Main St"}}
			p.Allow.Tools = []ToolEntry{{Name: "AnyDesk"}}
			p.Allow.People = []PersonEntry{{Person: "E1", Indicator: "IAM-01"}}
		}, want: []string{
			"allow.vpn_asns[0] (AS13335): reason is empty",
			"allow.egress[0] (203.0.113.0/24): reason is empty",
			"allow.shared_addresses[0]: reason is empty",
			"allow.tools[0] (AnyDesk): reason is empty",
			"allow.people[0]: reason is empty",
		}},
		{name: "prefix_with_host_bits", edit: func(p *Policy) {
			p.Allow.Egress = []PrefixEntry{{Prefix: netip.MustParsePrefix("10.1.2.3/8"), Entry: Entry{Reason: "office"}}}
		}, want: []string{"allow.egress[0]: prefix 10.1.2.3/8 has host bits set; write the network, 10.0.0.0/8"}},
		{name: "travel_window_reversed", edit: func(p *Policy) {
			p.Allow.Travel = []TravelEntry{{Person: "E1", Countries: []string{"FR"}, Entry: Entry{Reason: "visit"},
				From: time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}}
		}, want: []string{"allow.travel[0]: from (2025-03-15) must be before to (2025-03-01)"}},
		{name: "travel_incomplete", edit: func(p *Policy) {
			p.Allow.Travel = []TravelEntry{{Countries: []string{"France"}}}
		}, want: []string{
			"allow.travel[0]: person is empty",
			`allow.travel[0]: country "France" is not an ISO 3166-1 alpha-2 code`,
			"allow.travel[0]: from and to are both required",
			"allow.travel[0]: reason is empty",
		}},
		{name: "every_problem_listed", edit: func(p *Policy) { p.StageDecay = 2; p.Cluster.Bonus = -1 },
			want: []string{"stage_decay is 2", "cluster.bonus is -1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Default()
			tt.edit(p)
			err := p.Validate()
			var got []string
			if err != nil {
				var ie *InvalidError
				if !errors.As(err, &ie) {
					t.Fatalf("Validate() = %v, not an *InvalidError", err)
				}
				got = ie.Problems
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Validate() problems:\n%s\nwant %d: %q", strings.Join(got, "\n"), len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestValidateIDs(t *testing.T) {
	known := func(id string) bool { return id == "IAM-01" || id == "END-05" }
	p := Default()
	p.Weights["IAM-01"] = 20
	p.Weights["XYZ-99"] = 20
	p.Weak = append(p.Weak, "END-05", "ABC-01")
	p.Allow.People = []PersonEntry{{Person: "E1", Indicator: "IAM-02", Entry: Entry{Reason: "r"}}}
	err := p.ValidateIDs(known)
	var ie *InvalidError
	if !errors.As(err, &ie) {
		t.Fatalf("ValidateIDs() = %v, want *InvalidError", err)
	}
	want := []string{
		"weights.XYZ-99: no registered indicator has this ID; `rollcall indicators` lists them",
		"weak[5] ABC-01: no registered indicator has this ID; `rollcall indicators` lists them",
		"allow.people[0] indicator IAM-02: no registered indicator has this ID; `rollcall indicators` lists them",
	}
	if diff := cmp.Diff(want, ie.Problems); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if err := Default().ValidateIDs(func(string) bool { return false }); err != nil {
		t.Errorf("default policy with an empty registry: %v (fairness IDs must always be accepted)", err)
	}
}

func TestLevels(t *testing.T) {
	l := Default().Levels
	tests := []struct {
		score float64
		want  string
	}{
		{0, LevelNone}, {9.99, LevelNone}, {10, LevelLow}, {34, LevelLow}, {35, LevelMedium},
		{59, LevelMedium}, {60, LevelHigh}, {79, LevelHigh}, {80, LevelCritical}, {100, LevelCritical},
	}
	for _, tt := range tests {
		if got := l.Of(tt.score); got != tt.want {
			t.Errorf("Of(%g) = %q, want %q", tt.score, got, tt.want)
		}
	}
	if got := l.BelowMedium(); got != 34 {
		t.Errorf("BelowMedium() = %g, want 34", got)
	}
	if got := (Levels{Low: 10, Medium: 35.5, High: 60, Critical: 80}).BelowMedium(); got != 35 {
		t.Errorf("BelowMedium() with medium 35.5 = %g, want 35", got)
	}
	for _, name := range LevelNames {
		min, err := l.Min(strings.ToUpper(name))
		if err != nil {
			t.Fatal(err)
		}
		if got := l.Of(min); got != name {
			t.Errorf("Of(Min(%q)) = %q", name, got)
		}
	}
	if _, err := l.Min("severe"); err == nil {
		t.Error("Min(severe): no error")
	}
}

func TestIsWeak(t *testing.T) {
	p := Default()
	p.Weak = []string{"END-10"} // invalid (fairness IDs removed) but IsWeak must still hold them weak
	for _, tt := range []struct {
		id   string
		want bool
	}{{"END-10", true}, {"end-10", true}, {"IAM-06", true}, {"APP-02", true}, {"IAM-01", false}} {
		if got := p.IsWeak(tt.id); got != tt.want {
			t.Errorf("IsWeak(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func TestStale(t *testing.T) {
	p := Default()
	p.Allow.Tools = []ToolEntry{
		{Name: "TeamViewer", Entry: Entry{Reason: "r", Expires: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{Name: "Splashtop", Entry: Entry{Reason: "r"}},
	}
	got := p.Stale(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	want := []string{"allow.tools[0] (TeamViewer) expired on 2025-01-01 and no longer applies; renew it with a new reason or remove it"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
