package store

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestPersonRowRoundTrip(t *testing.T) {
	p := Person{
		ID: "E7", EmployeeID: "E7", CandidateIDs: []string{"4401"}, Name: "Jin Park", Kind: "employee", Score: 62,
		Level: "high", Flagged: true, Cluster: "C1", ClusterBonus: 7.5, Capped: "one source",
		Indicators: []Finding{{ID: "FIN-01", Name: "shared payout", Weight: 30, Summary: "paid to a shared account",
			Evidence: []event.Evidence{{Source: "payroll", File: "payroll.csv", Record: 3, Summary: "row 3"}}}},
	}
	row, err := PersonRowOf(&p)
	if err != nil {
		t.Fatal(err)
	}
	// The indicators column holds the JSON the report's indicators had
	// when the store spoke report types: Finding's tags keep it, so no
	// migration was needed and rows saved before read back the same.
	const indicators = `[{"id":"FIN-01","name":"shared payout","stage":"","strength":"","weight":30,"points":0,` +
		`"summary":"paid to a shared account","evidence":[{"source":"payroll","file":"payroll.csv","record":3,"summary":"row 3"}]}]`
	if string(row.Indicators) != indicators {
		t.Errorf("indicators column %s, want %s", row.Indicators, indicators)
	}
	if row.Search != SearchText(&p) {
		t.Errorf("search %q, want %q", row.Search, SearchText(&p))
	}
	got, err := row.Person()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("round trip (-want +got)\n%s", diff)
	}
}

func TestPersonRowCorruptColumn(t *testing.T) {
	row := PersonRow{ID: "E7", CandidateIDs: []byte(`[]`), Indicators: []byte(`{"not":"a list"}`)}
	_, err := row.Person()
	if want := `person "E7" indicators: `; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Person() error = %v, want one starting %q", err, want)
	}
}

func TestClusterRowRoundTrip(t *testing.T) {
	c := Cluster{ID: "C1", Members: []string{"E1", "E2"}, Score: 80,
		Links: []Link{{Kind: "bank_account", Value: "9f2c…", Members: []string{"E1", "E2"}}}}
	cr, err := ClusterRowOf(&c)
	if err != nil {
		t.Fatal(err)
	}
	lr, err := LinkRowOf(&c, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cr.Cluster()
	if err != nil {
		t.Fatal(err)
	}
	l, err := lr.Link()
	if err != nil {
		t.Fatal(err)
	}
	got.Links = append(got.Links, l)
	if diff := cmp.Diff(c, got); diff != "" {
		t.Errorf("round trip (-want +got)\n%s", diff)
	}
	if lr.Cluster != "C1" {
		t.Errorf("link row cluster %q, want C1", lr.Cluster)
	}
	bad := LinkRow{Cluster: "C1", Members: []byte(`"E1"`)}
	if _, err := bad.Link(); err == nil || !strings.HasPrefix(err.Error(), `cluster "C1" link members: `) {
		t.Errorf("Link() of a corrupt row: error %v", err)
	}
}

func TestFindingRowOf(t *testing.T) {
	p := Person{ID: "E7", Indicators: []Finding{
		{ID: "IAM-01", Name: "vpn", Stage: "signin", Strength: "weak", Weight: 10, Points: 4.5, Summary: "s"},
		{ID: "FIN-01", Name: "payout", Related: []string{"E8"}, Suppressed: "allow-listed",
			Evidence: []event.Evidence{{Source: "payroll", File: "payroll.csv", Record: 3, Summary: "row 3"}}},
	}}
	got, err := FindingRowOf(&p, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := FindingRow{Person: "E7", Indicator: "FIN-01", Name: "payout", Suppressed: "allow-listed",
		Related: []byte(`["E8"]`), Evidence: []byte(`[{"source":"payroll","file":"payroll.csv","record":3,"summary":"row 3"}]`)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if got, _ := FindingRowOf(&p, 0); string(got.Related) != "null" || got.Points != 4.5 {
		t.Errorf("finding without related people: related %s, points %v; want null, 4.5 (the points added, not the weight)", got.Related, got.Points)
	}
}

func TestSummaryRowRoundTrip(t *testing.T) {
	r := Results{Version: 1, Notes: []string{"no IP database"}, Stats: Stats{Files: 3, RecordsRead: 120,
		RecordsRejected: 2, Events: 118, People: 9, UnresolvedAccounts: 1, BySource: map[string]int{"okta": 100, "scim": 18}}}
	row, err := SummaryRowOf(&r)
	if err != nil {
		t.Fatal(err)
	}
	var got Results
	if err := row.Fill(&got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, got); diff != "" {
		t.Errorf("round trip (-want +got)\n%s", diff)
	}
	row.Notes = []byte(`{}`)
	if err := row.Fill(&got); err == nil || !strings.HasPrefix(err.Error(), "notes: ") {
		t.Errorf("Fill of a corrupt notes column: error %v", err)
	}
}
