package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestDrillsPage runs a drill over the stored data as an admin and checks
// that its personas appear on the drills page and nowhere else: not in
// People, Cells, Cases, the exports, /metrics or the audit log.
func TestDrillsPage(t *testing.T) {
	f := newSeededFixture(t, fixtureOpts{})
	analyst := f.client(t).mustLogin("analyst")
	if resp, _ := analyst.get("/admin/drills"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analyst GET /admin/drills: %s, want 403", resp.Status)
	}
	if resp, _ := analyst.post("/admin/drills", url.Values{"count": {"2"}}, true); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analyst POST /admin/drills: %s, want 403", resp.Status)
	}
	admin := f.client(t).mustLogin("admin")
	if resp, _ := admin.post("/admin/drills", url.Values{"count": {"2"}, "seed": {"1"}}, false); resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /admin/drills without a CSRF token: %s, want 403", resp.Status)
	}
	if resp, body := admin.post("/admin/drills", url.Values{"count": {"0"}}, true); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "count must be a positive whole number") {
		t.Errorf("count 0: %s", resp.Status)
	}
	resp, page := admin.post("/admin/drills", url.Values{"scenario": {"all"}, "count": {"2"}, "seed": {"1"}}, true)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/drills?done=drill-run" {
		t.Fatalf("running a drill: %s\n%s", resp.Status, page)
	}
	if resp, page = admin.get("/admin/drills?done=drill-run"); resp.StatusCode != http.StatusOK || !strings.Contains(page, "Drill finished") {
		t.Fatalf("drills page after a run: %s", resp.Status)
	}
	f.srv.drills.mu.Lock()
	runs := f.srv.drills.runs
	f.srv.drills.mu.Unlock()
	if len(runs) != 1 || runs[0].Report.Injected == 0 || !runs[0].Report.Real.Unchanged {
		t.Fatalf("drill runs %+v", runs)
	}
	var ids []string
	for _, p := range runs[0].Report.Personas {
		ids = append(ids, p.ID)
		if !strings.Contains(page, ">"+p.ID+"<") {
			t.Errorf("drills page does not show persona %s", p.ID)
		}
	}
	if !strings.Contains(page, "Coverage trend") || !strings.Contains(page, "Blind spots") {
		t.Error("drills page lacks the trend or the blind spots")
	}
	for _, path := range []string{"/people", "/cells", "/cases", "/api/v1/people", "/api/v1/cells", "/api/v1/findings", "/api/v1/cases",
		"/api/v1/export/people.csv", "/api/v1/export/findings.ocsf.ndjson", "/api/v1/export/cells.stix.json", "/api/v1/export/watchlist.csv",
		"/metrics", "/audit", "/api/v1/audit", "/"} {
		if path == "/audit" {
			if _, body := admin.get(path); !strings.Contains(body, "drill.run") {
				t.Error("the audit log does not record that a drill was run")
			}
		}
		c := admin
		if strings.HasPrefix(path, "/people") || strings.HasPrefix(path, "/cells") || strings.HasPrefix(path, "/cases") {
			c = analyst
		}
		resp, body := c.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", path, resp.Status)
			continue
		}
		for _, id := range ids {
			if strings.Contains(body, id) {
				t.Errorf("GET %s shows injected persona %s", path, id)
			}
		}
		if strings.Contains(body, "drill-injected/") {
			t.Errorf("GET %s cites an injected record", path)
		}
	}
}

// TestScheduledDrill: with DrillEvery set, drills run on their own and
// show on the drills page as the scheduler's.
func TestScheduledDrill(t *testing.T) {
	f := newSeededFixture(t, fixtureOpts{drillEvery: 50 * time.Millisecond})
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(2 * time.Minute)
	for {
		f.srv.drills.mu.Lock()
		n := len(f.srv.drills.runs)
		f.srv.drills.mu.Unlock()
		if n > 0 {
			break
		}
		select {
		case <-deadline:
			t.Fatal("no scheduled drill ran within two minutes")
		case <-tick.C:
		}
	}
	admin := f.client(t).mustLogin("admin")
	if _, page := admin.get("/admin/drills"); !strings.Contains(page, "Run by scheduler") {
		t.Error("the drills page does not show the scheduled drill")
	}
}
