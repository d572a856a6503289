package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// linkExampleMap is the README's mapping for examples/link/applicants.csv.
const linkExampleMap = "id=candidate,given_name=first,family_name=last,birth_date=dob,email=mail,phone=mobile,address=street,city=town,postcode=zip,country=country,url=github"

// TestLinkReadmeExample keeps the README's link example true: the two
// applications of Robert/Bob Kowalski (nickname, typo, Gmail dots and
// +tag, phone formats), of Aleksandr/Alexander Petrov (transliteration)
// and of Maria Gonzalez/Gonzales are linked; the other Maria Gonzalez,
// born another year elsewhere, is not.
func TestLinkReadmeExample(t *testing.T) {
	code, out, errOut := run(t, "link", "--map", linkExampleMap, filepath.Join("..", "..", "examples", "link", "applicants.csv"))
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Clusters []struct {
			Members []string
			Links   []struct {
				Kind    string
				Matched []string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	var got [][]string
	for _, c := range res.Clusters {
		got = append(got, c.Members)
		if c.Links[0].Kind != "person" {
			t.Errorf("%v linked as %q, want person", c.Members, c.Links[0].Kind)
		}
	}
	want := [][]string{{"c-1001", "c-1002"}, {"c-1003", "c-1004"}, {"c-1005", "c-1006"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("clusters (-want +got):\n%s", diff)
	}
	if !strings.Contains(errOut, "linked 12 records") {
		t.Errorf("stderr summary missing: %q", errOut)
	}
}

// TestLinkSynthRoundTrip writes a synthetic pool with link synth and
// links it as CSV: facilitator personas come out as shared links.
func TestLinkSynthRoundTrip(t *testing.T) {
	pool := filepath.Join(t.TempDir(), "pool.csv")
	if code, _, errOut := run(t, "link", "synth", "--records", "5000", "--out", pool); code != ExitOK {
		t.Fatalf("synth: exit %d: %s", code, errOut)
	}
	code, out, errOut := run(t, "link", "--csv", pool)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"cluster", "size", "a", "b", "kind", "weight", "probability", "matched"}, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	kinds := map[string]int{}
	for _, r := range rows[1:] {
		kinds[r[4]]++
	}
	if kinds["person"] == 0 || kinds["shared"] == 0 {
		t.Errorf("links by kind %v: want both person and shared links", kinds)
	}
}

func TestLinkGreenhouse(t *testing.T) {
	code, out, errOut := run(t, "link", filepath.Join("..", "source", "greenhouse", "testdata", "candidates.json"))
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "{\n  \"clusters\": [") || !strings.Contains(errOut, "linked ") {
		t.Errorf("unexpected output %q, stderr %q", out, errOut)
	}
}

func TestLinkInputErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badQuote := write("bad.csv", "id,first\na1,Ann\na2,\"Bo\"b\n")
	noID := write("noid.csv", "name,mail\nAnn,a@x.io\n")
	emptyID := write("emptyid.csv", "id,first\na1,Ann\n,Bob\n")
	repeated := write("repeat.csv", "id,first\na1,Ann\na1,Bob\n")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"csv_syntax", []string{badQuote}, "bad.csv:3:7: extraneous or missing \" in quoted-field"},
		{"no_id_column", []string{noID}, "noid.csv:1: no column is named id"},
		{"empty_id", []string{emptyID}, `emptyid.csv:3:1: empty id (column "id")`},
		{"repeated_id", []string{repeated}, `repeat.csv:2; ids must be unique`},
		{"unknown_field", []string{"--map", "id=id,nick=first", badQuote}, `--map: mapping "nick=first": unknown field "nick"`},
		{"missing_column", []string{"--map", "id=id,email=mail", badQuote}, `bad.csv:1: no column "mail" for field email`},
		{"bad_probability", []string{"--match-probability", "1.5", badQuote}, "match probability 1.5 must be between 0 and 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := run(t, append([]string{"link"}, tc.args...)...)
			if code != ExitUsage || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errOut, tc.want)
			}
		})
	}
}
