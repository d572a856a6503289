package server

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rollcall/rollcall/internal/sim"
	"github.com/rollcall/rollcall/internal/store"
)

func TestWatchIngestsNewAndChangedFiles(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "roster.json"), simFile(t, sim.FileRoster), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".partial"), []byte("ignored"), 0o644); err != nil {
		t.Fatal(err)
	}
	seen := map[string]fileState{}
	f.srv.watchOnce(ctx, dir, seen)
	if err := f.srv.Analyse(ctx); err != nil {
		t.Fatal(err)
	}
	n1, _ := f.st.EventCount(ctx)
	if n1 == 0 {
		t.Fatal("the roster in the watched directory was not ingested")
	}
	f.srv.watchOnce(ctx, dir, seen) // nothing changed: nothing read
	if err := os.WriteFile(filepath.Join(dir, "payroll.csv"), simFile(t, sim.FilePayroll), 0o644); err != nil {
		t.Fatal(err)
	}
	f.srv.watchOnce(ctx, dir, seen)
	if err := f.srv.Analyse(ctx); err != nil {
		t.Fatal(err)
	}
	if n2, _ := f.st.EventCount(ctx); n2 <= n1 {
		t.Errorf("events %d after a new file, %d before", n2, n1)
	}
	log, _ := f.st.AuditLog(ctx, store.AuditQuery{Action: "ingest"})
	if len(log) != 2 {
		t.Errorf("watched ingests audited: %d, want 2 (unchanged files are not read again)", len(log))
	}
	cov, _ := f.st.Coverage(ctx)
	for _, c := range cov {
		if c.Source == "scim" && c.Files != 1 {
			t.Errorf("scim files = %d", c.Files)
		}
	}
	for _, e := range log {
		if strings.Contains(e.Detail, ".partial") {
			t.Error("a hidden file was ingested")
		}
	}
}

func TestMetrics(t *testing.T) {
	// Counters are the server process's own: ingest something here (the
	// shared fixtures start from a database another server filled).
	f := newFixture(t, fixtureOpts{})
	var uploads []Upload
	for _, name := range []string{"roster.scim.json", "okta.ndjson", "payroll.csv", "shipments.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", "small", name))
		if err != nil {
			t.Fatal(err)
		}
		uploads = append(uploads, Upload{Name: name, Body: bytes.NewReader(b)})
	}
	if _, err := f.srv.Ingest(t.Context(), uploads, true); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	c.get("/healthz")
	resp, body := c.get("/metrics")
	if resp.StatusCode != 200 {
		t.Fatalf("metrics: %s", resp.Status)
	}
	for _, want := range []string{
		`rollcall_http_requests_total{code="200",method="GET",route="GET /healthz"}`,
		`rollcall_ingest_records_total{outcome="accepted",source="scim"}`,
		`rollcall_analysis_duration_seconds_count`,
		`rollcall_analyses_total{outcome="ok"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// /metrics is open: how many people are flagged is not for it unless
	// the operator opts in (--metrics-risk-levels).
	if strings.Contains(body, "rollcall_people") {
		t.Error("the open /metrics shows people per risk level without --metrics-risk-levels")
	}
}

func TestMetricsRiskLevelsOptIn(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := newMetrics(reg, true)
	m.people.WithLabelValues("critical").Set(2)
	rec := httptest.NewRecorder()
	m.serve(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `rollcall_people{level="critical"} 2`) {
		t.Error("with the opt-in, /metrics lacks rollcall_people")
	}
}
