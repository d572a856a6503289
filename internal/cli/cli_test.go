package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/report"
	sourcelist "github.com/rollcall/rollcall/internal/source/list"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/sqlite"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var mixed = filepath.Join("..", "..", "examples", "small")

func TestScanJSON(t *testing.T) {
	code, out, errOut := run(t, "scan", "--json", mixed)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output is not JSON: %v", err)
	}
	for _, k := range []string{"version", "stats", "rejected", "skipped_files", "people", "clusters"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("JSON report lacks %q", k)
		}
	}
	stats := rep["stats"].(map[string]any)
	if stats["records_read"].(float64) != stats["events"].(float64)+stats["records_rejected"].(float64) {
		t.Errorf("counts do not add up: %v", stats)
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"no_arguments", []string{"scan"}, ExitUsage},
		{"missing_path", []string{"scan", "does-not-exist"}, ExitUsage},
		{"explicit_unknown_file", []string{"scan", filepath.Join(mixed, "truth.json")}, ExitUsage},
		{"unknown_flag", []string{"scan", "--nope", mixed}, ExitUsage},
		{"bad_fail_on", []string{"scan", "--fail-on", "severe", mixed}, ExitUsage},
		{"negative_memory_limit", []string{"scan", "--memory-limit", "-1", mixed}, ExitUsage},
		{"drill_no_arguments", []string{"drill"}, ExitUsage},
		{"drill_unknown_scenario", []string{"drill", "--scenario", "bogus", mixed}, ExitUsage},
		{"drill_bad_count", []string{"drill", "--count", "-1", mixed}, ExitUsage},
		{"drill_bad_seed", []string{"drill", "--seed", "0", mixed}, ExitUsage},
		{"drill_missing_path", []string{"drill", "does-not-exist"}, ExitUsage},
		{"fail_on_met", []string{"scan", "--fail-on", "low", mixed}, ExitFindings},
		{"fail_on_not_met", []string{"scan", "--fail-on", "low", "--quiet", filepath.Join(mixed, "roster.scim.json")}, ExitOK},
		{"bad_policy", []string{"scan", "--policy", "does-not-exist.yaml", mixed}, ExitUsage},
		{"unknown_forced_format", []string{"scan", "--input", "nosuch=" + mixed}, ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d (stderr: %s)", code, tt.want, errOut)
			}
			if tt.want == ExitUsage && !strings.Contains(errOut, "rollcall:") {
				t.Errorf("usage error without a message: %q", errOut)
			}
		})
	}
}

// TestScanMemoryLimit: --memory-limit sets the runtime's soft limit for the
// scan.
func TestScanMemoryLimit(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	const limit = 6 << 30
	if code, _, errOut := run(t, "scan", "--json", "--memory-limit", strconv.Itoa(limit), mixed); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit %d after the scan, want %d", got, limit)
	}
}

func TestScanDBIsIdempotent(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	for i, want := range []string{db + ": stored 8 new records, 0 already present\n", db + ": stored 0 new records, 8 already present\n"} {
		code, _, errOut := run(t, "scan", "--db", db, "--quiet", mixed)
		if code != ExitOK {
			t.Fatalf("scan %d: exit %d: %s", i, code, errOut)
		}
		if errOut != want {
			t.Errorf("scan %d: stderr %q, want %q", i, errOut, want)
		}
	}
	st, err := sqlite.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.EventCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 8 {
		t.Errorf("events stored after two scans of the same files = %d, want 8", n)
	}
	rep, err := report.LoadStored(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.People) != 2 {
		t.Errorf("people stored = %d, want 2", len(rep.People))
	}
}

func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("demo skipped in -short mode")
	}
	out := t.TempDir()
	code, stdout, errOut := run(t, "demo", "--out", out, "--people", "60", "--days", "14")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, f := range []string{"report.html", "report.json", filepath.Join("data", "truth.json")} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("demo did not write %s: %v", f, err)
		}
	}
	for _, want := range []string{"HTML report:", "recall"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}

func TestHelpExplains(t *testing.T) {
	for _, cmd := range []string{"scan", "simulate", "eval", "demo", "indicators"} {
		code, out, _ := run(t, cmd, "--help")
		if code != ExitOK || !strings.Contains(out, "Usage:") || len(out) < 300 {
			t.Errorf("%s --help: exit %d, %d bytes", cmd, code, len(out))
		}
	}
}

func TestPolicyCheck(t *testing.T) {
	code, out, errOut := run(t, "policy", "check", filepath.Join("..", "..", "configs", "policy.yaml"))
	if code != ExitOK || !strings.Contains(out, "valid") {
		t.Errorf("default policy: exit %d, out %q, err %q", code, out, errOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("levels:\n  low: 10\n  medum: 35\nweights:\n  XYZ-99: 20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "policy", "check", bad)
	if code != ExitUsage || !strings.Contains(errOut, "bad.yaml:3") || !strings.Contains(errOut, "medum") || !strings.Contains(errOut, "weights.XYZ-99") {
		t.Errorf("misspelt key and unknown indicator: exit %d, stderr %q; want exit 2 naming bad.yaml:3, the key and the unknown indicator together", code, errOut)
	}
	unknown := filepath.Join(t.TempDir(), "unknown.yaml")
	if err := os.WriteFile(unknown, []byte("weights:\n  XYZ-99: 20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "policy", "check", unknown)
	if code != ExitUsage || !strings.Contains(errOut, "XYZ-99") {
		t.Errorf("unknown indicator: exit %d, stderr %q", code, errOut)
	}
}

func TestExplain(t *testing.T) {
	code, out, errOut := run(t, "explain", "E100", mixed)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"PAY-01", "payroll.csv", "Cluster bonus", "score", "6. Context that lowered or silenced findings"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	if code, _, _ := run(t, "explain", "E999", mixed); code != ExitUsage {
		t.Errorf("unknown person: exit %d, want 2", code)
	}
}

func TestZeroRecordsIsAnInputError(t *testing.T) {
	empty := t.TempDir()
	unrecognised := t.TempDir()
	if err := os.WriteFile(filepath.Join(unrecognised, "notes.txt"), []byte("not an export\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	emptyExport := t.TempDir()
	if err := os.WriteFile(filepath.Join(emptyExport, "okta.json"), []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string // in stderr
	}{
		{"empty_directory", []string{"scan", empty}, []string{"no records read", "no files found in " + empty, "okta"}},
		{"empty_directory_fail_on", []string{"scan", "--fail-on", "high", empty}, []string{"no files found"}},
		{"no_recognised_file", []string{"scan", unrecognised}, []string{"1 file found", "notes.txt", "none in a recognised format", "--input FORMAT=PATH"}},
		{"explain_empty_directory", []string{"explain", "E100", empty}, []string{"no records read"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d (stdout %q)", code, ExitUsage, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
	// A recognised export that holds no record is not silently clean either.
	if code, _, errOut := run(t, "scan", "--input", "okta="+filepath.Join(emptyExport, "okta.json")); code != ExitUsage || !strings.Contains(errOut, "held no records") {
		t.Errorf("empty export: exit %d, stderr %q; want exit 2 saying the file held no records", code, errOut)
	}
}

func TestFailOnSaysWhy(t *testing.T) {
	code, _, errOut := run(t, "scan", "--fail-on", "low", "--quiet", mixed)
	if code != ExitFindings || !regexp.MustCompile(`^rollcall: \d+ (person|people) at or above low\n$`).MatchString(errOut) {
		t.Errorf("--fail-on low: exit %d, stderr %q; want exit 1 and \"N people at or above low\"", code, errOut)
	}
	code, _, errOut = run(t, "scan", "--fail-on", "low", "--quiet", filepath.Join(mixed, "roster.scim.json"))
	if code != ExitOK || errOut != "" {
		t.Errorf("--fail-on low, not met: exit %d, stderr %q; want exit 0 and nothing on stderr", code, errOut)
	}
	code, _, errOut = run(t, "scan", "--fail-on", "none", mixed)
	if code != ExitUsage || !strings.Contains(errOut, "--fail-on none would fail every scan") {
		t.Errorf("--fail-on none: exit %d, stderr %q; want it refused", code, errOut)
	}
}

func TestExplainNeedsPaths(t *testing.T) {
	for _, args := range [][]string{{"explain"}, {"explain", "E100"}} {
		code, _, errOut := run(t, args...)
		if code != ExitUsage || !strings.Contains(errOut, "rollcall explain") || strings.Contains(errOut, "arg(s)") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with the command's shape", args, code, errOut)
		}
	}
}

func TestScanHelpListsEveryFormat(t *testing.T) {
	_, out, _ := run(t, "scan", "--help")
	for _, id := range sourcelist.IDs() {
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(id) + ` `).MatchString(out) {
			t.Errorf("scan --help does not list the format %q", id)
		}
	}
	for _, bad := range []string{"DESIGN.md", "added later"} {
		if strings.Contains(out, bad) {
			t.Errorf("scan --help mentions %q", bad)
		}
	}
}

func TestHelpPrintsEachDefaultOnce(t *testing.T) {
	for _, cmd := range []string{"publish", "worker"} {
		_, out, _ := run(t, cmd, "--help")
		for _, line := range strings.Split(out, "\n") {
			if strings.Count(line, "(default") > 1 {
				t.Errorf("%s --help: a default is printed twice: %q", cmd, line)
			}
		}
	}
}

func TestVersionsAgree(t *testing.T) {
	_, a, _ := run(t, "version")
	_, b, _ := run(t, "--version")
	if a != b || !strings.HasPrefix(a, "rollcall ") {
		t.Errorf("version %q and --version %q differ", a, b)
	}
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name    string
		version string
		info    *debug.BuildInfo
		want    string
	}{
		{"no_build_info", "dev", nil, "dev"},
		{"vcs_stamped", "dev", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", "c57df1e0123456789abcdef", "vcs.time", "2026-12-04T19:00:00Z", "vcs.modified", "false")},
			"dev (commit c57df1e01234, 2026-12-04T19:00:00Z)"},
		{"modified_tree", "1.2.0", &debug.BuildInfo{Settings: settings("vcs.revision", "abc", "vcs.modified", "true")},
			"1.2.0 (commit abc, modified)"},
		{"go_install", "dev", &debug.BuildInfo{Main: debug.Module{Version: "v0.3.1"}}, "v0.3.1 (no VCS commit recorded: built with -buildvcs=false or outside a git checkout)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, describeVersion(tt.version, tt.info)); diff != "" {
				t.Errorf("describeVersion (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBrokenNDJSONRecordCountedOnce: an export whose first line is cut off
// is still NDJSON; the broken line is one rejection and the rest is read.
func TestBrokenNDJSONRecordCountedOnce(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(mixed, "okta.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	broken := lines[2] // {"uuid":"a3",… cut off after its eventType
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "okta.ndjson"), []byte(broken+lines[0]+lines[3]), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "scan", "--json", dir)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Stats struct {
			Read     int `json:"records_read"`
			Rejected int `json:"records_rejected"`
			Events   int `json:"events"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([3]int{3, 1, 2}, [3]int{rep.Stats.Read, rep.Stats.Rejected, rep.Stats.Events}); diff != "" {
		t.Errorf("records read, rejected, events (-want +got):\n%s", diff)
	}
}

func TestDrillJSONAndHTML(t *testing.T) {
	page := filepath.Join(t.TempDir(), "drill.html")
	code, out, errOut := run(t, "drill", "--json", "--count", "2", "--html", page, mixed)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output is not JSON: %v", err)
	}
	for _, k := range []string{"injected", "caught", "personas", "coverage", "blind_spots", "real_people"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("drill JSON lacks %q", k)
		}
	}
	if rep["injected"].(float64) == 0 || rep["real_people"].(map[string]any)["unchanged"] != true {
		t.Errorf("drill injected %v, real people %v", rep["injected"], rep["real_people"])
	}
	// Endpoint data is missing from the example: a blind spot says so.
	if !strings.Contains(strings.Join(toStrings(rep["blind_spots"]), "\n"), "no endpoint data") {
		t.Errorf("blind spots %v lack the missing endpoint data", rep["blind_spots"])
	}
	b, err := os.ReadFile(page)
	if err != nil || !strings.Contains(string(b), "Would we know?") {
		t.Errorf("HTML drill report: %v", err)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
