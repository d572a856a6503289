package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
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

func TestConnectFlagErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("kind,value,case,person,added\nfax,1,,,\n"), 0o644); err != nil {
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
		"phone,+14155550199,ISAC share 2026-041,,2026-05-20T00:00:00Z\n"
	if stdout.String() != want {
		t.Errorf("export:\n%s\nwant:\n%s", stdout.String(), want)
	}
}
