package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestScanConnectOutputs runs scan with --ocsf, --stix and --watchlist on
// the small example and checks the files it writes and what it flags.
func TestScanConnectOutputs(t *testing.T) {
	dir := t.TempDir()
	ocsf, stix := filepath.Join(dir, "f.ocsf.ndjson"), filepath.Join(dir, "c.stix.json")
	small := filepath.Join("..", "..", "examples", "small")
	var stdout, stderr bytes.Buffer
	code := Main([]string{"scan", "--json", "--ocsf", ocsf, "--stix", stix, "--watchlist", filepath.Join("..", "..", "examples", "watchlist.csv"), small},
		strings.NewReader(""), &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), `"id": "APP-20"`) {
		t.Error("the watchlisted payout account shared by E100 and E101 did not raise APP-20")
	}
	f, err := os.Open(ocsf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	classes := map[int]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var ev struct {
			ClassUID int `json:"class_uid"`
		}
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("OCSF line: %v", err)
		}
		classes[ev.ClassUID]++
	}
	if classes[2004] != 2 || classes[2005] != 1 {
		t.Errorf("OCSF classes %v, want 2 detection findings (E100, E101) and 1 incident (C1)", classes)
	}
	data, err := os.ReadFile(stix)
	if err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Type    string `json:"type"`
		Objects []struct {
			Type string `json:"type"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(data, &bundle); err != nil || bundle.Type != "bundle" || len(bundle.Objects) < 2 {
		t.Errorf("STIX bundle: %v, type %q, %d objects", err, bundle.Type, len(bundle.Objects))
	}
}

// TestScanSigma runs scan --sigma on the small example with a rule that
// matches sign-ins from 73.15.20.0/24 and checks the SIG-01 finding names
// the rule and the record: Jane Doe's record 1 (record 2 is rejected for
// its time; record 4's ghost account resolves to nobody); rollcall's own
// rules load too and match nothing here.
func TestScanSigma(t *testing.T) {
	dir := t.TempDir()
	rule := filepath.Join(dir, "home.yml")
	if err := os.WriteFile(rule, []byte(`title: Session From The Test Range
id: 6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b
logsource: {product: okta, service: okta}
detection:
  selection: {eventType: user.session.start, client.ipAddress|cidr: 73.15.20.0/24}
  condition: selection
level: high
`), 0o644); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join("..", "..", "examples", "small")
	var stdout, stderr bytes.Buffer
	code := Main([]string{"scan", "--json", "--sigma", rule, "--sigma", filepath.Join("..", "..", "rules", "sigma"), small}, strings.NewReader(""), &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var rep struct {
		People []struct {
			ID         string `json:"id"`
			Indicators []struct {
				ID       string `json:"id"`
				Summary  string `json:"summary"`
				Evidence []struct {
					File   string `json:"file"`
					Record int    `json:"record"`
				} `json:"evidence"`
			} `json:"indicators"`
		} `json:"people"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range rep.People {
		for _, f := range p.Indicators {
			if f.ID != "SIG-01" {
				continue
			}
			got = append(got, p.ID+": "+f.Summary)
			for _, e := range f.Evidence {
				got = append(got, filepath.Base(e.File)+"#"+strconv.Itoa(e.Record))
			}
		}
	}
	want := []string{"E100: matches Sigma rules: Session From The Test Range (6f1d2c3b, high): 1 event", "okta.ndjson#1"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("SIG-01 findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The same rule from the policy file (relative to it), as serve and
	// worker read it.
	pol := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(pol, []byte("sigma:\n  rules: [home.yml]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if code := Main([]string{"scan", "--json", "--policy", pol, small}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("scan --policy: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), `"summary": "matches Sigma rules: Session From The Test Range (6f1d2c3b, high): 1 event"`) {
		t.Error("the policy's sigma.rules raised no SIG-01")
	}
}

func TestConnectFlagErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("kind,value,case,person,added\nfax,1,,,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sigmaPolicy := filepath.Join(dir, "policy.yaml")
	rulesDir, err := filepath.Abs(filepath.Join("..", "..", "rules", "sigma"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sigmaPolicy, []byte("sigma:\n  rules: ["+rulesDir+"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badRule := filepath.Join(dir, "rule.yml")
	if err := os.WriteFile(badRule, []byte("title: t\nlogsource: {product: azure, service: signinlogs}\ndetection: {s: {AppDisplayName: Azure Portal}, condition: s}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join("..", "..", "examples", "small")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "pii_without_stix", args: []string{"scan", "--include-pii", small}, want: "--include-pii only applies to the --stix bundle"},
		{name: "bad_watchlist", args: []string{"scan", "--watchlist", bad, small}, want: `line 2 field kind: "fax"`},
		{name: "missing_watchlist", args: []string{"scan", "--watchlist", filepath.Join(dir, "none.csv"), small}, want: "none.csv"},
		{name: "bad_sigma_rule", args: []string{"scan", "--sigma", badRule, small}, want: `rule.yml" field detection.s.AppDisplayName: field "AppDisplayName" is not kept by rollcall's entra adapter`},
		{name: "sigma_twice", args: []string{"scan", "--policy", sigmaPolicy, "--sigma", filepath.Join("..", "..", "rules", "sigma"), small}, want: "is also in the policy's sigma.rules"},
		{name: "missing_sigma", args: []string{"scan", "--sigma", filepath.Join(dir, "none"), small}, want: "none"},
		{name: "watchlist_without_db", args: []string{"watchlist", "export", "--db", ""}, want: "watchlist needs --db"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Main(tc.args, strings.NewReader(""), &stdout, &stderr); code != ExitUsage || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), ExitUsage, tc.want)
			}
		})
	}
}

// TestWatchlistImportExport imports a list twice (the second adds nothing)
// and exports what the database holds.
func TestWatchlistImportExport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "rollcall.db")
	list := filepath.Join("..", "..", "examples", "watchlist.csv")
	for i, want := range []string{"2 added, 0 already listed", "0 added, 2 already listed"} {
		var stdout, stderr bytes.Buffer
		if code := Main([]string{"watchlist", "import", "--db", db, list}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
			t.Fatalf("import %d: exit %d: %s", i, code, stderr.String())
		}
		if got := strings.TrimSpace(stdout.String()); got != want {
			t.Errorf("import %d: %q, want %q", i, got, want)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"watchlist", "export", "--db", db}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("export: exit %d: %s", code, stderr.String())
	}
	want := "kind,value,case,person,added\n" +
		"payout,9f2c6a1e77d04b21,ISAC share 2026-041,,2026-05-20T00:00:00Z\n" +
		"phone,4155550199,ISAC share 2026-041,,2026-05-20T00:00:00Z\n" // read as rollcall compares phones: the last ten digits
	if stdout.String() != want {
		t.Errorf("export:\n%s\nwant:\n%s", stdout.String(), want)
	}
}

// TestWatchlistImportSTIX writes the small example's cell as a STIX bundle
// (scan --stix), imports it into a database and exports the database's
// list: the shared payout account comes back in its shortened form, named
// after the cell.
func TestWatchlistImportSTIX(t *testing.T) {
	dir := t.TempDir()
	bundle, db := filepath.Join(dir, "cells.stix.json"), filepath.Join(dir, "rollcall.db")
	small := filepath.Join("..", "..", "examples", "small")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"scan", "--quiet", "--stix", bundle, small}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("scan: exit %d: %s", code, stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	if code := Main([]string{"watchlist", "import", "--db", db, bundle}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("import: exit %d: %s", code, stderr.String())
	}
	if got := strings.TrimSpace(stdout.String()); !strings.HasSuffix(got, "added, 0 already listed") || strings.HasPrefix(got, "0 ") {
		t.Errorf("import: %q", got)
	}
	stdout.Reset()
	if code := Main([]string{"watchlist", "export", "--db", db}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("export: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "\npayout,") || !strings.Contains(stdout.String(), "…,rollcall cell C1 (STIX bundle from rollcall),,") {
		t.Errorf("export does not list the cell's shortened payout fingerprint:\n%s", stdout.String())
	}
	// The bundle used directly flags the cell's members on the next scan.
	stdout.Reset()
	if code := Main([]string{"scan", "--json", "--watchlist", bundle, small}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("scan --watchlist bundle: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), `is burned (rollcall cell C1 (STIX bundle from rollcall)`) {
		t.Error("scan --watchlist with the bundle raised no APP-20 naming the cell")
	}
}

// TestWatchlistShare opts a tenant in and out and imports into a named
// tenant's list, which the default tenant's export does not show.
func TestWatchlistShare(t *testing.T) {
	db := filepath.Join(t.TempDir(), "rollcall.db")
	run := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := Main(args, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
		return strings.TrimSpace(stdout.String())
	}
	for _, tc := range []struct{ arg, want string }{
		{"status", "tenant acme does not share its watchlist"},
		{"on", "tenant acme shares its watchlist with the other tenants that opted in"},
		{"status", "tenant acme shares its watchlist with the other tenants that opted in"},
		{"off", "tenant acme does not share its watchlist"},
	} {
		if got := run("watchlist", "share", "--db", db, "--tenant", "acme", tc.arg); got != tc.want {
			t.Errorf("share %s: %q, want %q", tc.arg, got, tc.want)
		}
	}
	run("watchlist", "import", "--db", db, "--tenant", "acme", filepath.Join("..", "..", "examples", "watchlist.csv"))
	if got := run("watchlist", "export", "--db", db); got != "kind,value,case,person,added" {
		t.Errorf("the default tenant's export shows acme's entries:\n%s", got)
	}
	if got := run("watchlist", "export", "--db", db, "--tenant", "acme"); strings.Count(got, "\n") != 2 {
		t.Errorf("acme's export:\n%s", got)
	}
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"watchlist", "share", "--db", db, "maybe"}, strings.NewReader(""), &stdout, &stderr); code != ExitUsage || !strings.Contains(stderr.String(), `"maybe", want on, off or status`) {
		t.Errorf("share maybe: exit %d, %q", code, stderr.String())
	}
}

// TestWatchlistSTIXRoundTrip exports a database's watchlist as a STIX
// bundle and imports it into another database: every entry comes back,
// under its case as the bundle's grouping, the payout fingerprint
// shortened as bundles share it.
func TestWatchlistSTIXRoundTrip(t *testing.T) {
	dir := t.TempDir()
	list, bundle := filepath.Join(dir, "list.csv"), filepath.Join(dir, "burned.stix.json")
	if err := os.WriteFile(list, []byte("kind,value,case,person,added\n"+
		"payout,5d41402abc4b2a76b9719d911017c592,case 12,E4410,2026-05-20\n"+
		"device,C02XK1ZJHV2T,case 12,E4410,2026-05-20\n"+
		"ip,203.0.113.9,case 12,E4410,2026-05-20\n"+
		"github,dev-kestrel,case 12,E4410,2026-05-20\n"+
		"phone,+12535550143,case 13,E5000,2026-05-21\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := Main(args, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
		return stdout.String()
	}
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	run("watchlist", "import", "--db", a, list)
	run("watchlist", "export", "--db", a, "--stix", "--include-pii", "--out", bundle)
	if got := run("watchlist", "import", "--db", b, bundle); strings.TrimSpace(got) != "5 added, 0 already listed" {
		t.Errorf("import: %q", got)
	}
	want := "kind,value,case,person,added\n" +
		"device,C02XK1ZJHV2T,case 12 (STIX bundle from rollcall),,2026-05-20T00:00:00Z\n" +
		"github,dev-kestrel,case 12 (STIX bundle from rollcall),,2026-05-20T00:00:00Z\n" +
		"ip,203.0.113.9,case 12 (STIX bundle from rollcall),,2026-05-20T00:00:00Z\n" +
		"payout,5d41402a…,case 12 (STIX bundle from rollcall),,2026-05-20T00:00:00Z\n" +
		"phone,2535550143,case 13 (STIX bundle from rollcall),,2026-05-21T00:00:00Z\n"
	if got := run("watchlist", "export", "--db", b); got != want {
		t.Errorf("round trip:\n%s\nwant:\n%s", got, want)
	}
}
