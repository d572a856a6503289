package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/store"
)

// TestConfirmedVerdictBurnsIdentifiers: an analyst confirms an operative;
// their payout account goes on the watchlist; weeks later a new hire is
// paid into it, and the next analysis flags the new hire with APP-20,
// naming the case.
func TestConfirmedVerdictBurnsIdentifiers(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.seed(t)
	ctx := context.Background()
	payouts, err := f.st.Events(ctx, store.EventQuery{Kind: event.KindPayout})
	if err != nil || len(payouts) == 0 {
		t.Fatalf("no payouts in the simulated organisation (%v)", err)
	}
	operative := payouts[0].Payout.EmployeeID
	account := payouts[0].Payout.AccountKey()
	c, err := f.srv.cfg.Work.CreateCase(ctx, store.Case{Title: operative, Subject: store.SubjectPerson, SubjectID: operative,
		Status: store.CaseOpen, CreatedBy: "analyst", Created: f.srv.now(), Updated: f.srv.now()})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.srv.verdict(ctx, &principal{User: "analyst", Role: store.RoleAnalyst}, "127.0.0.1", c.ID, store.VerdictConfirmed,
		"identity documents forged; payroll diverted", nil); err != nil {
		t.Fatal(err)
	}
	burned, err := f.st.Burned(ctx)
	if err != nil {
		t.Fatal(err)
	}
	caseRef := "case " + strconv.FormatInt(c.ID, 10)
	want := policy.Burned{Kind: policy.BurnedPayout, Value: account, Case: caseRef, Person: operative}
	found := false
	for _, b := range burned {
		found = found || (b.Kind == want.Kind && b.Value == want.Value && b.Case == want.Case && b.Person == want.Person)
	}
	if !found {
		t.Fatalf("watchlist %+v lacks %+v", burned, want)
	}

	hired := payouts[0].Time.AddDate(0, 0, 42)
	newHire := []*event.Event{
		{Kind: event.KindPerson, Time: hired, Prov: event.Provenance{Origin: &event.Origin{Source: "scim", File: "later/scim.json"}, Record: 1, Hash: "a1"},
			Person: &event.Person{EmployeeID: "E9901", SCIMID: "u-E9901", UserName: "casey.lin@example.com", Name: "Casey Lin",
				Emails: []string{"casey.lin@example.com"}, Active: true, Created: hired}},
		{Kind: event.KindPayout, Time: hired, Prov: event.Provenance{Origin: &event.Origin{Source: "payroll", File: "later/payroll.csv"}, Record: 1, Line: 2, Hash: "b2"},
			Payout: &event.Payout{EmployeeID: "E9901", EffectiveDate: hired, Method: "bank", AccountFingerprint: account, BankCountry: "US"}},
	}
	if _, err := f.st.SaveEvents(ctx, newHire); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := f.srv.analysis.waitFor(wctx, f.srv.analysis.request()); err != nil {
		t.Fatal(err)
	}
	p, err := f.st.Person(ctx, "E9901")
	if err != nil {
		t.Fatal(err)
	}
	caught := false
	for _, ind := range p.Indicators {
		if ind.ID == "APP-20" {
			caught = true
			if len(ind.Evidence) == 0 || ind.Evidence[0].File != "later/payroll.csv" {
				t.Errorf("APP-20 evidence %+v, want the new hire's payroll record", ind.Evidence)
			}
		}
	}
	if !caught {
		t.Errorf("new hire E9901 paid into burned account: indicators %+v, want APP-20", p.Indicators)
	}

	// The exports serve the same outputs as scan --ocsf/--stix and
	// watchlist export.
	token, _, err := f.srv.newToken(ctx, store.RoleAnalyst, "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	cl := f.client(t)
	for _, tc := range []struct{ path, want string }{
		{"/api/v1/export/watchlist.csv", "payout," + account + "," + caseRef + "," + operative + ","},
		{"/api/v1/export/findings.ocsf.ndjson", `"class_uid":2004`},
		{"/api/v1/export/cells.stix.json", `"type": "bundle"`},
		{"/api/v1/export/watchlist.stix.json", "[x-rollcall-payout-fingerprint:value = '" + account[:8] + "…']"},
	} {
		resp, body := cl.do("GET", tc.path, strings.NewReader(""), map[string]string{"Authorization": "Bearer " + token})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s: %s, body lacks %q:\n%.300s", tc.path, resp.Status, tc.want, body)
		}
	}
}
