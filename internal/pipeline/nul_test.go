package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
	storeopen "github.com/rollcall/rollcall/internal/store/open"
)

// TestNULCharactersAreStoredAndAnalysedOnBothStores: one NUL character in
// a SCIM name stopped all analysis on PostgreSQL (issue 10). NULs are
// replaced where records are decoded, so both stores keep and re-analyse
// the same events. PostgreSQL runs when ROLLCALL_TEST_POSTGRES is set.
func TestNULCharactersAreStoredAndAnalysedOnBothStores(t *testing.T) {
	dir := t.TempDir()
	roster := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":1,"Resources":[` +
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"s1","userName":"jane@acme.example","displayName":"Jane\u0000Doe",` +
		`"name":{"formatted":"Jane\u0000Doe","givenName":"Jane\u0000"},"emails":[{"value":"jane@acme.example","primary":true}],` +
		`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"E1\u0000"}}]}`
	okta := `{"uuid":"u1","published":"2026-03-02T09:00:00Z","eventType":"user.session.start","displayMessage":"User login\u0000",` +
		`"actor":{"id":"00u1","alternateId":"jane@acme.example","displayName":"Jane\u0000Doe"},"client":{"ipAddress":"198.51.100.7",` +
		`"userAgent":{"rawUserAgent":"Mozilla/5.0\u0000"}},"outcome":{"result":"SUCCESS"}}` + "\n"
	for name, body := range map[string]string{"roster.json": roster, "okta.ndjson": okta} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	res, err := pipeline.Scan(ctx, pipeline.Options{Inputs: []pipeline.Input{{Path: dir}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Stats.Events != 2 || res.Report.Stats.RecordsRejected != 0 {
		t.Fatalf("stats %+v: want both records as events", res.Report.Stats)
	}
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "r.db")}
	if pg := os.Getenv("ROLLCALL_TEST_POSTGRES"); pg != "" {
		dsns["postgres"] = pg
	} else {
		t.Log("ROLLCALL_TEST_POSTGRES is not set: checking SQLite only")
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			tenant := fmt.Sprintf("nul-%d", time.Now().UnixNano())
			st, err := storeopen.Store(ctx, dsn, store.Options{Tenant: tenant})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if _, err := st.SaveEvents(ctx, res.Events); err != nil {
				t.Fatalf("SaveEvents: %v", err)
			}
			if err := st.SetEventPeople(ctx, store.EventPeople(res.Pop)); err != nil {
				t.Fatalf("SetEventPeople: %v", err)
			}
			if err := st.SaveResults(ctx, report.ToStore(res.Report)); err != nil {
				t.Fatalf("SaveResults: %v", err)
			}
			// Analysed again from what the store holds, as serve and worker do.
			events, err := st.Events(ctx, store.EventQuery{})
			if err != nil {
				t.Fatal(err)
			}
			again, err := pipeline.Analyse(ctx, events, pipeline.Options{})
			if err != nil {
				t.Fatalf("analysis of the stored events: %v", err)
			}
			if err := st.SaveResults(ctx, report.ToStore(again.Report)); err != nil {
				t.Fatalf("SaveResults after re-analysis: %v", err)
			}
			p, err := st.Person(ctx, "E1\uFFFD")
			if err != nil {
				t.Fatalf("Person: %v", err)
			}
			if p.Name != "Jane\uFFFDDoe" || strings.ContainsRune(p.Name, 0) {
				t.Errorf("stored name %q, want Jane\\uFFFDDoe", p.Name)
			}
			if n := len(again.Pop.ByID["E1\uFFFD"].SignIns); n != 1 {
				t.Errorf("E1 has %d sign-ins after re-analysis, want 1", n)
			}
		})
	}
}
