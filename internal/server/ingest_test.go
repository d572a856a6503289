package server

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/sim"
	"github.com/rollcall/rollcall/internal/store"
)

// simFile returns one file of the test organisation.
func simFile(t *testing.T, name string) []byte {
	t.Helper()
	org, err := sim.Generate(testSim)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := org.WriteFile(name, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestIngestAPI(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	ctx := context.Background()
	token, _, err := f.srv.newToken(ctx, store.RoleAnalyst, "ingest", 0)
	if err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	auth := map[string]string{"Authorization": "Bearer " + token}

	// A roster with one broken record: the rest is read, the broken one
	// is rejected with its reason.
	roster := simFile(t, sim.FileRoster)
	broken := bytes.Replace(roster, []byte(`"userName":`), []byte(`"userName":{"bad":`), 1)
	broken = bytes.Replace(broken, []byte(`"userName":{"bad":"`), []byte(`"userName":{"bad":1},"x":"`), 1)
	resp, body := c.do("POST", "/api/v1/ingest?name=roster.json&wait=true", bytes.NewReader(broken), auth)
	var res IngestResult
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &res) != nil {
		t.Fatalf("ingest: %s %s", resp.Status, body)
	}
	if res.Accepted == 0 || res.Inserted != res.Accepted || res.Files[0].Format != "scim" || res.Analysis.State != StateIdle {
		t.Errorf("ingest result %+v", res)
	}
	if res.Rejected != 1 || len(res.Rejections) != 1 || res.Rejections[0].Reason == "" {
		t.Errorf("rejections: %d %+v, want the broken record with a reason", res.Rejected, res.Rejections)
	}
	// The same file again inserts nothing; an unknown format is skipped.
	resp, body = c.do("POST", "/api/v1/ingest?name=roster.json&wait=true", bytes.NewReader(broken), auth)
	json.Unmarshal([]byte(body), &res) //nolint:errcheck // checked below
	if resp.StatusCode != http.StatusOK || res.Inserted != 0 {
		t.Errorf("re-ingest: %s, inserted %d, want 0", resp.Status, res.Inserted)
	}
	resp, body = c.do("POST", "/api/v1/ingest?name=notes.txt", strings.NewReader("just some notes\n"), auth)
	json.Unmarshal([]byte(body), &res) //nolint:errcheck // checked below
	if resp.StatusCode != http.StatusAccepted || len(res.Files) != 1 || res.Files[0].Skipped == "" {
		t.Errorf("unknown format: %s %+v, want 202 with the file skipped and why", resp.Status, res.Files)
	}
	if resp, _ := c.do("POST", "/api/v1/ingest?format=nope", strings.NewReader("x"), auth); resp.StatusCode != http.StatusAccepted {
		t.Errorf("unknown forced format: %s", resp.Status)
	}

	// Multipart with several files, as the UI sends them.
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	for _, name := range []string{sim.FilePayroll, sim.FileShipments} {
		fw, _ := w.CreateFormFile("file", name)
		fw.Write(simFile(t, name)) //nolint:errcheck // bytes.Buffer
	}
	w.Close()
	h := map[string]string{"Authorization": "Bearer " + token, "Content-Type": w.FormDataContentType()}
	resp, body = c.do("POST", "/api/v1/ingest?wait=true", &mp, h)
	json.Unmarshal([]byte(body), &res) //nolint:errcheck // checked below
	if resp.StatusCode != http.StatusOK || len(res.Files) != 2 || res.Files[0].Format != "payroll" || res.Files[1].Format != "shipments" {
		t.Errorf("multipart ingest: %s %+v", resp.Status, res.Files)
	}
	if n, _ := f.st.EventCount(ctx); n == 0 {
		t.Error("nothing stored")
	}
	cov, _ := f.st.Coverage(ctx)
	if len(cov) != 3 {
		t.Errorf("coverage of %d sources, want scim, payroll and shipments", len(cov))
	}
	log, _ := f.st.AuditLog(ctx, store.AuditQuery{Action: "ingest"})
	if len(log) < 4 {
		t.Errorf("ingests audited: %d, want every one", len(log))
	}
}

func TestUploadLimit(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.srv.cfg.MaxUpload = 1024
	token, _, err := f.srv.newToken(context.Background(), store.RoleAnalyst, "x", 0)
	if err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	resp, _ := c.do("POST", "/api/v1/ingest?name=roster.json", bytes.NewReader(simFile(t, sim.FileRoster)), map[string]string{"Authorization": "Bearer " + token})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized upload: %s, want 413", resp.Status)
	}
}

func TestUploadPage(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client(t).mustLogin(store.RoleAnalyst)
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	w.WriteField("csrf", c.csrf) //nolint:errcheck // bytes.Buffer
	fw, _ := w.CreateFormFile("file", "roster.json")
	fw.Write(simFile(t, sim.FileRoster)) //nolint:errcheck // bytes.Buffer
	w.Close()
	resp, page := c.do("POST", "/upload", &mp, map[string]string{"Content-Type": w.FormDataContentType()})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="upload-result"`) || !strings.Contains(page, "upload/roster.json") {
		t.Errorf("upload page: %s", resp.Status)
	}
	if err := f.srv.Analyse(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, frag := c.get("/ingest/status?box=1")
	if !strings.Contains(frag, `data-state="idle"`) {
		t.Errorf("status fragment: %q", frag)
	}
}
