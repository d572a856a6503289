package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

// api sends a JSON request with a bearer token and decodes the answer.
func api(t *testing.T, c *client, token, method, path string, body any, out any) int {
	t.Helper()
	var rd *strings.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = strings.NewReader(string(b))
	} else {
		rd = strings.NewReader("")
	}
	resp, text := c.do(method, path, rd, map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"})
	if out != nil && resp.StatusCode < 300 && text != "" {
		if err := json.Unmarshal([]byte(text), out); err != nil {
			t.Fatalf("%s %s: %v in %q", method, path, err, text)
		}
	}
	return resp.StatusCode
}

// scoringIndicator returns a person and an indicator that adds points.
func scoringIndicator(t *testing.T, rep *report.Report) (report.Person, string) {
	t.Helper()
	for _, p := range rep.People {
		for _, ind := range p.Indicators {
			if ind.Points > 0 && ind.Suppressed == "" {
				return p, ind.ID
			}
		}
	}
	t.Fatal("nobody has an indicator that adds points")
	return report.Person{}, ""
}

func TestBenignVerdictSuppressesAndRevokes(t *testing.T) {
	f := newSeededFixture(t, fixtureOpts{})
	ctx := context.Background()
	rep, _ := report.LoadStored(ctx, f.st)
	person, ind := scoringIndicator(t, rep)
	token, _, err := f.srv.newToken(ctx, store.RoleAnalyst, "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	var cs caseJSON
	if code := api(t, c, token, "POST", "/api/v1/cases", newCaseJSON{Subject: "person", SubjectID: person.ID}, &cs); code != http.StatusCreated {
		t.Fatalf("open case: %d", code)
	}
	path := "/api/v1/cases/" + strconv.FormatInt(cs.ID, 10)
	for name, bad := range map[string]verdictJSON{
		"no_reason":          {Verdict: "benign"},
		"unknown_verdict":    {Verdict: "innocent", Reason: "x"},
		"suppress_confirmed": {Verdict: "confirmed", Reason: "x", Suppress: []suppressRequest{{person.ID, ind}}},
		"not_firing":         {Verdict: "benign", Reason: "x", Suppress: []suppressRequest{{person.ID, "NOPE-99"}}},
		"other_person":       {Verdict: "benign", Reason: "x", Suppress: []suppressRequest{{"someone-else", ind}}},
	} {
		if code := api(t, c, token, "POST", path+"/verdict", bad, nil); code != http.StatusBadRequest {
			t.Errorf("%s: verdict %+v: %d, want 400", name, bad, code)
		}
	}
	if code := api(t, c, token, "PATCH", path, map[string]string{"assignee": store.RoleViewer}, nil); code != http.StatusBadRequest {
		t.Errorf("assigning a viewer: %d, want 400", code)
	}
	v := verdictJSON{Verdict: "benign", Reason: "approved contractor arrangement", Suppress: []suppressRequest{{person.ID, ind}}}
	if code := api(t, c, token, "POST", path+"/verdict", v, &cs); code != http.StatusOK || len(cs.Suppressions) != 1 {
		t.Fatalf("benign verdict: %d with %d suppressions", code, len(cs.Suppressions))
	}
	if err := f.srv.Analyse(ctx); err != nil {
		t.Fatal(err)
	}
	var after report.Person
	api(t, c, token, "GET", "/api/v1/people/"+url.PathEscape(person.ID), nil, &after)
	if got := indicatorOf(after, ind); !strings.Contains(got.Suppressed, "approved contractor arrangement") || got.Points != 0 {
		t.Errorf("after the benign verdict %s = %+v, want suppressed with the reason and no weight", ind, got)
	}
	if after.Score > person.Score {
		t.Errorf("score rose from %d to %d after a suppression", person.Score, after.Score)
	}
	// The suppression shows on the person page, revocably.
	analyst := f.client(t).mustLogin(store.RoleAnalyst)
	_, page := analyst.get(personURL(person.ID))
	if !strings.Contains(page, "/suppressions/"+strconv.FormatInt(cs.Suppressions[0].ID, 10)+"/revoke") {
		t.Error("the person page offers no way to revoke the suppression")
	}
	if code := api(t, c, token, "DELETE", "/api/v1/suppressions/"+strconv.FormatInt(cs.Suppressions[0].ID, 10), nil, nil); code != http.StatusNoContent {
		t.Fatalf("revoke: %d", code)
	}
	if err := f.srv.Analyse(ctx); err != nil {
		t.Fatal(err)
	}
	var back report.Person
	api(t, c, token, "GET", "/api/v1/people/"+url.PathEscape(person.ID), nil, &back)
	if got := indicatorOf(back, ind); got.Suppressed != "" || back.Score != person.Score {
		t.Errorf("after revoking: %s suppressed %q, score %d; want it counting again and the score back at %d", ind, got.Suppressed, back.Score, person.Score)
	}
	log, _ := f.st.AuditLog(ctx, store.AuditQuery{Action: "suppression."})
	if len(log) != 2 {
		t.Errorf("suppression audit entries = %d, want add and revoke", len(log))
	}
}

func indicatorOf(p report.Person, id string) report.Indicator {
	for _, ind := range p.Indicators {
		if ind.ID == id {
			return ind
		}
	}
	return report.Indicator{}
}

func TestCaseWorkflowInUI(t *testing.T) {
	f := newSeededFixture(t, fixtureOpts{})
	rep, _ := report.LoadStored(context.Background(), f.st)
	if len(rep.Clusters) == 0 {
		t.Fatal("no cells in the test organisation")
	}
	cell := rep.Clusters[0]
	c := f.client(t).mustLogin(store.RoleAnalyst)
	resp, _ := c.post("/cases", url.Values{"subject": {"cell"}, "subject_id": {cell.ID}, "title": {"Cell review"}}, true)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("open case on a cell: %s", resp.Status)
	}
	loc := strings.Split(resp.Header.Get("Location"), "?")[0]
	if resp, _ := c.post(loc+"/comments", url.Values{"body": {"same payout account as two others"}}, true); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("comment: %s", resp.Status)
	}
	if resp, _ := c.post(loc, url.Values{"status": {"closed"}, "assignee": {store.RoleAdmin}}, true); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("update: %s", resp.Status)
	}
	resp, page := c.post(loc+"/verdict", url.Values{"verdict": {"confirmed"}}, true)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "needs a reason") {
		t.Errorf("verdict without a reason: %s", resp.Status)
	}
	if resp, _ := c.post(loc+"/verdict", url.Values{"verdict": {"confirmed"}, "reason": {"shared payout account"}}, true); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("verdict: %s", resp.Status)
	}
	_, page = c.get(loc)
	for _, want := range []string{"same payout account as two others", "confirmed operative", "assigned to admin", "closed"} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	if resp, _ := c.post("/cases", url.Values{"subject": {"person"}, "subject_id": {"nobody"}}, true); resp.StatusCode != http.StatusNotFound {
		t.Errorf("case on a missing person: %s, want 404", resp.Status)
	}
}
