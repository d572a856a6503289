package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/source"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// fixture loads testdata/report.json, the report every golden test renders.
func fixture(t *testing.T) *Report {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Load(f)
	if err != nil {
		t.Fatalf("Load(testdata/report.json): %v", err)
	}
	return r
}

// golden compares got with testdata/golden/name, or rewrites the file when
// the test runs with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got; go test ./internal/report -update rewrites it):\n%s", name, diff)
	}
}

func render(t *testing.T, rep Reporter, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := rep.Write(&b, r); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.Bytes()
}

func TestSort(t *testing.T) {
	tests := []struct {
		name string
		in   []Person
		want []string
	}{
		{name: "empty", in: nil, want: nil},
		{
			name: "score_desc_then_id",
			in:   []Person{{ID: "E3", Score: 10}, {ID: "E2", Score: 50}, {ID: "E1", Score: 10}, {ID: "cand-9", Score: 50}},
			want: []string{"E2", "cand-9", "E1", "E3"},
		},
		{
			name: "already_sorted",
			in:   []Person{{ID: "A", Score: 3}, {ID: "B", Score: 2}, {ID: "C", Score: 1}},
			want: []string{"A", "B", "C"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Report{People: tc.in}
			r.Sort()
			var got []string
			for _, p := range r.People {
				got = append(got, p.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNormalized(t *testing.T) {
	in := &Report{
		People: []Person{
			{ID: "E2", Score: 5, Indicators: []Indicator{{ID: "IAM-06"}}},
			{ID: "E1", Score: 40},
		},
		Clusters: []Cluster{{ID: "C2", Score: 10, Links: []Link{{Kind: "ip"}}}, {ID: "C1", Score: 60}},
	}
	got := normalized(in)
	want := &Report{
		Version:      Version,
		Rejected:     []source.Rejection{},
		SkippedFiles: []Skipped{},
		Unresolved:   []profile.Unresolved{},
		People: []Person{
			{ID: "E1", Score: 40, CandidateIDs: []string{}, Indicators: []Indicator{}},
			{ID: "E2", Score: 5, CandidateIDs: []string{}, Indicators: []Indicator{{ID: "IAM-06", Evidence: []detect.Evidence{}}}},
		},
		Clusters: []Cluster{
			{ID: "C1", Score: 60, Members: []string{}, Links: []Link{}},
			{ID: "C2", Score: 10, Members: []string{}, Links: []Link{{Kind: "ip", Members: []string{}}}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("normalized (-want +got):\n%s", diff)
	}
	// The input is left alone.
	if in.People[0].ID != "E2" || in.People[1].CandidateIDs != nil || in.Version != 0 {
		t.Errorf("normalized modified its input: %+v", in)
	}
}

func TestNormalizedNil(t *testing.T) {
	got := normalized(nil)
	want := &Report{Version: Version, People: []Person{}, Clusters: []Cluster{}}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("normalized(nil) (-want +got):\n%s", diff)
	}
	if got.People == nil || got.Clusters == nil || got.Rejected == nil {
		t.Error("normalized(nil) left a list nil")
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "not_json", in: "rollcall", want: "json report: invalid character"},
		{name: "empty", in: "", want: "json report: EOF"},
		{name: "no_version", in: `{"people":[]}`, want: "unsupported version 0"},
		{name: "future_version", in: `{"version":99}`, want: "unsupported version 99"},
		{name: "wrong_type", in: `{"version":1,"people":{}}`, want: "cannot unmarshal object"},
		{name: "trailing", in: `{"version":1} {"version":1}`, want: "trailing data"},
		{name: "trailing_garbage", in: `{"version":1} ]`, want: "trailing data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load(%q) error = %v, want it to contain %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestLoadFixture(t *testing.T) {
	r := fixture(t)
	if got, want := len(r.People), 7; got != want {
		t.Fatalf("people = %d, want %d", got, want)
	}
	if r.People[0].ID != "E1042" || r.People[len(r.People)-1].ID != "E1002" {
		t.Errorf("people out of order: first %q, last %q", r.People[0].ID, r.People[len(r.People)-1].ID)
	}
	if got := r.Rejected[1]; got.Field != "effective_date" || got.Line != 57 || got.Record != 56 {
		t.Errorf("rejection = %+v", got)
	}
}
