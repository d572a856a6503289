package eval

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rollcall/rollcall/internal/sim"
)

// handTruth: two cells; E2 is careful; cand-100 an applicant persona;
// E3 was hired through candidate 101.
func handTruth() *sim.Truth {
	return &sim.Truth{
		Employees: 10, Applicants: 5,
		Operatives: []sim.TruthOperative{
			{ID: "E1", EmployeeID: "E1", Kind: "employee", Cell: "cell-1", Tells: []string{"ONB-02", "PAY-01"}},
			{ID: "E2", EmployeeID: "E2", Kind: "employee", Cell: "cell-1", Tells: []string{"PAY-01"}, Careful: true},
			{ID: "cand-100", CandidateIDs: []string{"100"}, Kind: "applicant", Cell: "cell-1", Tells: []string{"APP-01"}},
			{ID: "E3", EmployeeID: "E3", CandidateIDs: []string{"101"}, Kind: "employee", Cell: "cell-2", Tells: []string{"IAM-01"}},
			{ID: "E4", EmployeeID: "E4", Kind: "employee", Cell: "cell-2", Tells: []string{"IAM-01", "ONB-02"}},
		},
		Cells: []sim.TruthCell{
			{ID: "cell-1", Members: []string{"E1", "E2", "cand-100"}},
			{ID: "cell-2", Members: []string{"E3", "E4"}},
		},
		Legitimate: []sim.TruthLegit{
			{ID: "E5", Behaviours: []string{"traveller"}},
			{ID: "E6", Behaviours: []string{"couple"}},
			{ID: "E7", Behaviours: []string{"couple"}},
			{ID: "cand-200", Behaviours: []string{"agency_candidate"}},
		},
	}
}

// handReport: E4 is missing; candidate 101 appears separately and must
// merge into E3.
const handReport = `{
  "version": 1,
  "people": [
    {"id": "E1", "employee_id": "E1", "flagged": true, "score": 91, "level": "critical", "cluster": "C1", "indicators": [{"id": "ONB-02", "points": 40}, {"id": "PAY-01", "points": 51}]},
    {"id": "E2", "employee_id": "E2", "flagged": false, "score": 20, "level": "low", "cluster": "C1", "indicators": [{"id": "PAY-01"}]},
    {"id": "cand-100", "candidate_ids": ["100"], "kind": "applicant", "flagged": true, "score": 55.5, "indicators": [{"id": "APP-01", "points": 45}]},
    {"id": "E3", "employee_id": "E3", "flagged": true, "score": 70, "indicators": [{"id": "IAM-01", "points": 50}]},
    {"id": "cand-101", "candidate_ids": ["101"], "kind": "applicant", "flagged": false, "indicators": [{"id": "APP-12"}]},
    {"id": "E5", "employee_id": "E5", "flagged": true, "indicators": [{"id": "IAM-04"}]},
    {"id": "E6", "employee_id": "E6", "flagged": true, "indicators": [{"id": "ONB-02"}]},
    {"id": "E7", "employee_id": "E7", "flagged": false, "indicators": [{"id": "ONB-02"}]},
    {"id": "E8", "employee_id": "E8", "flagged": false, "indicators": []},
    {"id": "E9", "employee_id": "E9", "flagged": true, "indicators": [{"id": "IAM-01"}]},
    {"id": "cand-200", "candidate_ids": ["200"], "flagged": false, "indicators": [{"id": "X-APP"}]}
  ],
  "clusters": [
    {"id": "C1", "members": ["E1", "E2", "E6"]},
    {"id": "C2", "members": ["E3", "E9"]},
    {"id": "C3", "members": ["E6", "E7"]}
  ]
}`

func TestEvaluate(t *testing.T) {
	got, err := Evaluate(handTruth(), []byte(handReport))
	if err != nil {
		t.Fatal(err)
	}
	want := &Result{
		Operatives: 5, Caught: 3,
		EmployeeOperatives: 4, EmployeeCaught: 2,
		ApplicantOperatives: 1, ApplicantCaught: 1,
		CarefulOperatives: 1, CarefulCaught: 0,
		Missed: []string{"E2", "E4"}, Absent: []string{"E4"},
		Flagged: 6, FalsePositives: 3, FalsePositiveIDs: []string{"E5", "E6", "E9"},
		Precision: 0.5, Recall: 0.6,
		Legitimate: 10, FalsePositiveRate: 0.3,
		HardNegatives: 4, HardNegativeFP: 2, HardNegativeFPR: 0.5,
		Behaviours: []BehaviourStat{
			{Behaviour: "agency_candidate", People: 1},
			{Behaviour: "couple", People: 2, Flagged: 1, Rate: 0.5, IDs: []string{"E6"}, By: map[string]int{"ONB-02": 1}},
			{Behaviour: "traveller", People: 1, Flagged: 1, Rate: 1, IDs: []string{"E5"}, By: map[string]int{"IAM-04": 1}},
		},
		Cells: []CellMatch{
			{Cell: "cell-1", Members: 3, Cluster: "C1", ClusterMembers: 3, Common: 2, Jaccard: 0.5},
			{Cell: "cell-2", Members: 2, Cluster: "C2", ClusterMembers: 2, Common: 1, Jaccard: 1.0 / 3},
		},
		MeanBestJaccard: (0.5 + 1.0/3) / 2,
		Clusters:        3, CleanClusters: 1,
		Indicators: []IndicatorStat{
			// cand-100 (55.5 less APP-01's 45) and E3 (70 less IAM-01's 50) were flagged by one indicator; E1 (91) by none alone.
			{ID: "APP-01", Fired: 1, OnOperatives: 1, Precision: 1, Recall: 0.2, WithTell: 1, TellCaught: 1, TellRecall: 1, CaughtWith: 1, Decisive: 1},
			{ID: "APP-12", Fired: 1, OnOperatives: 1, Precision: 1, Recall: 0.2, CaughtWith: 1},
			{ID: "IAM-01", Fired: 2, OnOperatives: 1, Precision: 0.5, Recall: 0.2, WithTell: 2, TellCaught: 1, TellRecall: 0.5, CaughtWith: 1, Decisive: 1,
				FPEmployees: 1, FPFlagged: 1, FalsePositiveRate: 0.1},
			{ID: "IAM-04", Fired: 1, FPEmployees: 1, FPFlagged: 1, FalsePositiveRate: 0.1, OnBehaviours: map[string]int{"traveller": 1}},
			{ID: "ONB-02", Fired: 3, OnOperatives: 1, Precision: 1.0 / 3, Recall: 0.2, WithTell: 2, TellCaught: 1, TellRecall: 0.5, CaughtWith: 1,
				FPEmployees: 2, FPFlagged: 1, FalsePositiveRate: 0.1, OnBehaviours: map[string]int{"couple": 2}},
			{ID: "PAY-01", Fired: 2, OnOperatives: 2, Precision: 1, Recall: 0.4, WithTell: 2, TellCaught: 2, TellRecall: 1, CaughtWith: 1},
			{ID: "X-APP", Fired: 1, FPApplicants: 1, OnBehaviours: map[string]int{"agency_candidate": 1}},
		},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Evaluate() mismatch (-want +got):\n%s", diff)
	}
}

func TestEvaluate_errors(t *testing.T) {
	tests := []struct {
		name   string
		truth  *sim.Truth
		report string
	}{
		{"not_json", handTruth(), "people: []"},
		{"wrong_shape", handTruth(), `{"people": {"id": "E1"}}`},
		{"no_truth", nil, `{"people": []}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Evaluate(tt.truth, []byte(tt.report)); err == nil {
				t.Error("Evaluate() = nil error, want one")
			}
		})
	}
}

func TestEvaluate_empty_report(t *testing.T) {
	got, err := Evaluate(handTruth(), []byte(`{"version": 1, "people": [], "clusters": []}`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Caught != 0 || got.Precision != 0 || got.Recall != 0 || got.MeanBestJaccard != 0 || len(got.Absent) != 5 {
		t.Errorf("empty report: caught %d precision %v recall %v jaccard %v absent %v", got.Caught, got.Precision, got.Recall, got.MeanBestJaccard, got.Absent)
	}
	if got.Legitimate != 10 {
		t.Errorf("Legitimate = %d, want the truth population minus operatives (10)", got.Legitimate)
	}
}

func TestWriteText(t *testing.T) {
	res, err := Evaluate(handTruth(), []byte(handReport))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	res.WriteText(&buf)
	out := buf.String()
	for _, want := range []string{
		"recall 0.600",
		"precision 0.500",
		"of 10 legitimate people (30.00%)",
		"mean best Jaccard 0.417",
		"Missed: E2, E4",
		"False positives: E5, E6, E9",
		"(decisive: flagged operatives whose score less the indicator's points is below",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteText() output lacks %q:\n%s", want, out)
		}
	}
	for _, row := range [][]string{{"couple", "2", "1", "50.0%", "ONB-02"}, {"cell-1", "3", "C1", "3", "2", "0.500"}, {"PAY-01", "2", "2", "1.000", "0.400", "2/2", "1", "0", "0", "0", "0", "0.00%"},
		{"ONB-02", "3", "1", "0.333", "0.200", "1/2", "1", "0", "2", "0", "1", "10.00%"}, {"IAM-01", "2", "1", "0.500", "0.200", "1/2", "1", "1", "1", "0", "1", "10.00%"},
		{"ONB-02", "couple", "2/2"}, {"X-APP", "agency_candidate", "1/1"}} {
		if !hasRow(out, row) {
			t.Errorf("WriteText() output lacks a row with %q:\n%s", row, out)
		}
	}
}

// hasRow reports whether a line holds the fields in order.
func hasRow(out string, fields []string) bool {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= len(fields) && cmp.Equal(f[:len(fields)], fields) {
			return true
		}
	}
	return false
}

func TestLoadTruth(t *testing.T) {
	dir := t.TempDir()
	o, err := sim.Generate(sim.Config{Seed: 3, People: 40, Days: 10})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "truth.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.WriteTruth(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := LoadTruth(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(o.Truth(), got); diff != "" {
		t.Errorf("LoadTruth() round trip (-want +got):\n%s", diff)
	}
	if _, err := LoadTruth(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("LoadTruth(missing) = nil error")
	}
}

// TestExactCells: a cluster holding exactly a cell's members (candidate
// 101 resolving to E3) rebuilds it; one with an extra member does not.
func TestExactCells(t *testing.T) {
	report := `{"version": 1, "people": [], "clusters": [
    {"id": "C1", "members": ["E1", "E2", "cand-100", "E6"]},
    {"id": "C2", "members": ["E4", "cand-101"]}
  ]}`
	got, err := Evaluate(handTruth(), []byte(report))
	if err != nil {
		t.Fatal(err)
	}
	want := []CellMatch{
		{Cell: "cell-1", Members: 3, Cluster: "C1", ClusterMembers: 4, Common: 3, Jaccard: 0.75},
		{Cell: "cell-2", Members: 2, Cluster: "C2", ClusterMembers: 2, Common: 2, Jaccard: 1, Exact: true},
	}
	if diff := cmp.Diff(want, got.Cells); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
	if got.ExactCells != 1 {
		t.Errorf("exact cells = %d, want 1", got.ExactCells)
	}
	var text strings.Builder
	got.WriteText(&text)
	if !strings.Contains(text.String(), "rebuilt exactly 1 (50%)") {
		t.Errorf("text report does not say how many cells were rebuilt exactly:\n%s", text.String())
	}
}
