package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/sqlite"
)

// TestScanDBAppliesSuppressions gives a benign verdict on E100's PAY-01 in
// a database (as the workbench does) and scans into it: the scan keeps the
// finding suppressed, with the analyst's reason, and Sam's (E101) is
// untouched. A revoked suppression applies to nobody.
func TestScanDBAppliesSuppressions(t *testing.T) {
	db := filepath.Join(t.TempDir(), "rollcall.db")
	st, err := sqlite.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := st.AddSuppression(ctx, store.Suppression{Person: "E100", Indicator: "PAY-01",
		Reason: "shared family account", CreatedBy: "analyst", Created: time.Now()}); err != nil {
		t.Fatal(err)
	}
	revoked, err := st.AddSuppression(ctx, store.Suppression{Person: "E101", Indicator: "PAY-01",
		Reason: "withdrawn", CreatedBy: "analyst", Created: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RevokeSuppression(ctx, revoked.ID, "analyst", time.Now()); err != nil {
		t.Fatal(err)
	}
	st.Close()

	code, out, errOut := run(t, "scan", "--db", db, "--json", "--quiet", mixed)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	suppressed := map[string]string{}
	for _, p := range rep.People {
		for _, ind := range p.Indicators {
			if ind.ID == "PAY-01" {
				suppressed[p.ID] = ind.Suppressed
			}
		}
	}
	if !strings.Contains(suppressed["E100"], "shared family account") {
		t.Errorf("E100's PAY-01 suppressed = %q, want the analyst's reason", suppressed["E100"])
	}
	if s, ok := suppressed["E101"]; !ok || s != "" {
		t.Errorf("E101's PAY-01 suppressed = %q (found %v), want it firing unsuppressed", s, ok)
	}
}
