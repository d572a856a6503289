package report

import (
	"math"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/source"
)

func TestTextGolden(t *testing.T) {
	tests := []struct {
		name string
		rep  Text
	}{
		{name: "report.txt", rep: Text{}},
		{name: "report_color.txt", rep: Text{Color: true}},
		{name: "report_limit.txt", rep: Text{Limit: 2}},
		{name: "report_verbose.txt", rep: Text{Verbose: true}},
	}
	for _, tc := range tests {
		t.Run(strings.TrimSuffix(tc.name, ".txt"), func(t *testing.T) {
			golden(t, tc.name, render(t, tc.rep, fixture(t)))
		})
	}
}

func TestTextEmptyReport(t *testing.T) {
	got := string(render(t, Text{}, &Report{}))
	want := "No findings among 0 people.\n\n" +
		"Read 0 files: 0 records, 0 rejected, 0 events; 0 people, 0 unresolved accounts, 0 skipped files.\n\n" +
		"No one flagged (level medium or above). Run with --json for evidence, or --html FILE for a full report.\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestTextHostileStrings checks that names, ids, file names and reasons
// from the data cannot put escape sequences or control characters on the
// analyst's terminal, nor break the table into extra lines.
func TestTextHostileStrings(t *testing.T) {
	hostile := "Eve\x1b]0;pwned\x07\x1b[2J\x1b[31mRed\r\nFAKE ROW\t\u202eevil\u0007\x9b31m"
	r := &Report{
		Rejected:     []source.Rejection{{File: hostile, Line: 3, Field: hostile, Reason: hostile}},
		SkippedFiles: []Skipped{{File: hostile, Reason: hostile}},
		Notes:        []string{hostile},
		People: []Person{{
			ID: hostile, Name: hostile, Kind: hostile, Score: 60, Level: "medium", Flagged: true, Cluster: hostile,
			Capped:     hostile,
			Indicators: []Indicator{{ID: hostile, Name: hostile, Summary: hostile, Suppressed: hostile}},
		}},
		Clusters: []Cluster{{ID: hostile, Members: []string{hostile}, Links: []Link{{Kind: hostile, Value: hostile}}}},
	}
	for _, rep := range []Text{{}, {Verbose: true}, {Color: true, Verbose: true}} {
		out := string(render(t, rep, r))
		if rep.Color {
			// Colour codes are ours; take them out before looking for theirs.
			for _, code := range []string{"\x1b[0m", "\x1b[1m", "\x1b[2m"} {
				out = strings.ReplaceAll(out, code, "")
			}
			for _, code := range levelSGR {
				out = strings.ReplaceAll(out, "\x1b["+code+"m", "")
			}
		}
		for _, bad := range []string{"\x1b", "\x07", "\r", "\t", "\u202e", "\u009b", "\nFAKE ROW"} {
			if strings.Contains(out, bad) {
				t.Errorf("Text%+v output contains %q:\n%s", rep, bad, out)
			}
		}
		// Long messages wrap, but a continuation line is indented: data
		// never starts a line of its own that could pass for a row.
		if m := dataAtLineStart.FindString(out); m != "" {
			t.Errorf("Text%+v output has a line starting with data %q:\n%s", rep, m, out)
		}
	}
}

var dataAtLineStart = regexp.MustCompile(`(?m)^(Eve|Red|FAKE|ROW|evil)`)

func TestTextWrapsMessagesWithoutCutting(t *testing.T) {
	advice := "unrecognised input format: none of the formats okta, entra, gworkspace, github, gitlog, osquery, scim, " +
		"greenhouse, resumes, github-users, payroll, shipments matched; force one with --input FORMAT=PATH"
	note := "No IP database: VPN, hosting and geolocation indicators rely on the identity provider's own network context. Run `make ipdb` to fetch the open databases."
	r := &Report{
		SkippedFiles: []Skipped{{File: "exports/a-very-long-directory-name/and-a-long-file-name-too.json", Reason: advice}},
		Rejected:     []source.Rejection{{File: "okta.ndjson", Line: 3, Record: 3, Reason: advice}},
		Notes:        []string{note},
	}
	for _, width := range []int{0, 60, 200} {
		out := string(render(t, Text{Width: width}, r))
		max := width
		if max == 0 {
			max = math.MaxInt
		}
		for _, line := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(line); n > max && len(strings.Fields(line)) > 1 && !strings.HasPrefix(line, "Read ") && !strings.HasPrefix(line, "No one flagged") {
				t.Errorf("width %d: line of %d columns: %q", width, n, line)
			}
		}
		flat := strings.Join(strings.Fields(out), " ")
		for _, want := range []string{advice, note, r.SkippedFiles[0].File} {
			if !strings.Contains(flat, want) {
				t.Errorf("width %d: output lost part of %q:\n%s", width, want, out)
			}
		}
		if strings.Contains(out, "…") {
			t.Errorf("width %d: a message was cut:\n%s", width, out)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "plain", in: "Marcus Webb", want: "Marcus Webb"},
		{name: "unicode", in: "Ana Lucía Pérez 李雷", want: "Ana Lucía Pérez 李雷"},
		{name: "csi_colour", in: "\x1b[31mred\x1b[0m", want: "red"},
		{name: "csi_clear_screen", in: "a\x1b[2J\x1b[Hb", want: "ab"},
		{name: "osc_title_bel", in: "a\x1b]0;title\x07b", want: "ab"},
		{name: "osc_hyperlink_st", in: "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", want: "click"},
		{name: "dcs", in: "a\x1bPq#0;2;0;0;0\x1b\\b", want: "ab"},
		{name: "two_char_escape", in: "a\x1bcb", want: "ab"},
		{name: "unterminated_osc", in: "a\x1b]0;title", want: "a"},
		{name: "trailing_esc", in: "a\x1b", want: "a"},
		{name: "c1_csi", in: "a\u009b31mb", want: "ab"},
		{name: "c1_osc", in: "a\u009d0;t\u009cb", want: "ab"},
		{name: "newlines_tabs", in: "line1\r\nline2\tcol", want: "line1 line2 col"},
		{name: "collapse_spaces", in: "  a   b  ", want: "a b"},
		{name: "bidi_override", in: "E10\u202e24", want: "E1024"},
		{name: "zero_width", in: "ad\u200bmin", want: "admin"},
		{name: "nul_and_bel", in: "a\x00b\x07c\x7fd", want: "abcd"},
		{name: "invalid_utf8", in: "a\xffb", want: "a\ufffdb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := clean(tc.in); got != tc.want {
				t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"Christopher Montgomery", 10, "Christoph…"},
		{"Ana Lucía Pérez", 6, "Ana L…"},
		{"ab cd", 4, "ab…"},
		{"abc", 1, "…"},
		{"abc", 0, "abc"},
	}
	for _, tc := range tests {
		if got := truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
