package watchlist_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/detect/hiring"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/watchlist"
)

var scanTime = time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC)

// cellReport is a scan's report with one flagged cell sharing every kind
// of identifier scan --stix writes.
func cellReport() *report.Report {
	return &report.Report{
		People: []report.Person{{ID: "E100", Level: "high"}, {ID: "E101", Level: "medium"}},
		Clusters: []report.Cluster{{ID: "C1", Members: []string{"E100", "E101"}, Links: []report.Link{
			{Kind: "bank_account", Value: "payout account 9f2c6a1e…", Members: []string{"E100", "E101"}},
			{Kind: "ip", Value: "203.0.113.9", Members: []string{"E100", "E101"}},
			{Kind: "ip", Value: "2001:db8::7", Members: []string{"E100", "E101"}},
			{Kind: "device", Value: "C02XK1ZJHV2T", Members: []string{"E100", "E101"}},
			{Kind: "url", Value: "github.com/dev-kestrel", Members: []string{"E100", "E101"}},
			{Kind: "url", Value: "https://kestrel.dev/portfolio", Members: []string{"E100", "E101"}},
			{Kind: "resume", Value: "resume 4b1d…", Members: []string{"E100", "E101"}},
			{Kind: "email", Value: "Kestrel.Dev@Gmail.com", Members: []string{"E100", "E101"}},
			{Kind: "phone", Value: "+1 253 555 0143", Members: []string{"E100", "E101"}},
			{Kind: "address", Value: "1207 harbor view dr unit 4, 98402, tacoma, US", Members: []string{"E100", "E101"}},
			{Kind: "address", Value: "9 main st, tacoma, US", Members: []string{"E100", "E101"}},
		}}},
	}
}

// TestSTIXRoundTrip exports a cell as scan --stix does, imports the
// bundle as a watchlist, and checks every identifier comes back in the
// form rollcall compares, with what was left out said.
func TestSTIXRoundTrip(t *testing.T) {
	for _, pii := range []bool{false, true} {
		var buf bytes.Buffer
		if err := (report.STIX{Time: scanTime, IncludePII: pii}).Write(&buf, cellReport()); err != nil {
			t.Fatal(err)
		}
		res, err := watchlist.ReadSTIX(&buf, "cells.stix.json")
		if err != nil {
			t.Fatal(err)
		}
		const c = "rollcall cell C1 (STIX bundle from rollcall)"
		want := []policy.Burned{
			{Kind: "payout", Value: "9f2c6a1e…", Case: c, Added: scanTime},
			{Kind: "ip", Value: "203.0.113.9", Case: c, Added: scanTime},
			{Kind: "ip", Value: "2001:db8::7", Case: c, Added: scanTime},
			{Kind: "device", Value: "C02XK1ZJHV2T", Case: c, Added: scanTime},
			{Kind: "github", Value: "dev-kestrel", Case: c, Added: scanTime},
		}
		skipped := []string{
			"1 × url: only github.com profile URLs name a code-host handle",
			"1 × x-rollcall-resume-fingerprint: the watchlist has no kind for it",
			"1 × domain-name: the watchlist has no kind for it",
		}
		if pii {
			want = append(want,
				policy.Burned{Kind: "email", Value: "kestreldev@gmail.com", Case: c, Added: scanTime},
				policy.Burned{Kind: "phone", Value: "2535550143", Case: c, Added: scanTime}, // 555-01xx is fictional: no E.164 form, so the key is the last ten digits
				policy.Burned{Kind: "address", Value: "1207 harbor view dr unit 4|98402|tacoma|US", Case: c, Added: scanTime})
			skipped = append(skipped, "1 × x-rollcall-postal-address: an address without all four parts of rollcall's address key (street, postal code, locality, country)")
		}
		if diff := cmp.Diff(want, res.Entries); diff != "" {
			t.Errorf("include_pii=%v: entries (-want +got):\n%s", pii, diff)
		}
		if diff := cmp.Diff(skipped, res.Skipped); diff != "" {
			t.Errorf("include_pii=%v: skipped (-want +got):\n%s", pii, diff)
		}
	}
}

// TestSTIXImportFlagsNewHire: a peer's bundle names a payout fingerprint
// by its start (as reports share it); weeks later a new hire is paid into
// an account with that fingerprint and APP-20 names the peer's cell.
func TestSTIXImportFlagsNewHire(t *testing.T) {
	var buf bytes.Buffer
	if err := (report.STIX{Time: scanTime}).Write(&buf, cellReport()); err != nil {
		t.Fatal(err)
	}
	res, err := watchlist.ReadSTIX(&buf, "cells.stix.json")
	if err != nil {
		t.Fatal(err)
	}
	pol := policy.Default()
	pol.Watchlist = res.Entries
	hire := func(record int, id, fingerprint string) []*event.Event {
		return []*event.Event{
			detecttest.Roster(record, id, strings.ToLower(id)+"@example.com", "US"),
			{Kind: event.KindPayout, Time: scanTime.AddDate(0, 0, 40), Prov: event.Provenance{Origin: &event.Origin{Source: "payroll", File: "payroll.csv"}, Record: record},
				Payout: &event.Payout{EmployeeID: id, EffectiveDate: scanTime.AddDate(0, 0, 40), Method: "bank", AccountFingerprint: fingerprint}},
		}
	}
	events := append(hire(1, "E300", "9F2C6A1E77D04B21AA"), hire(2, "E301", "9f2c6a1f77d04b21aa")...)
	fs, err := (&hiring.BurnedIdentifier{}).Detect(context.Background(), detecttest.Input(events, pol, scanTime.AddDate(0, 2, 0)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Person+": "+f.Summary)
	}
	want := []string{"E300: payout 9f2c6a1e… is burned (rollcall cell C1 (STIX bundle from rollcall) (burned 2026-05-20))"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestReadSTIXPatterns(t *testing.T) {
	bundle := `{"type":"bundle","id":"bundle--1","objects":[
	 {"type":"identity","id":"identity--isac","name":"Example ISAC"},
	 {"type":"indicator","id":"indicator--1","created_by_ref":"identity--isac","pattern":"[ipv4-addr:value = '198.51.100.7' OR ipv4-addr:value = '198.51.100.8']","pattern_type":"stix","valid_from":"2026-04-01T00:00:00Z"},
	 {"type":"indicator","id":"indicator--2","created_by_ref":"identity--isac","pattern":"[email-addr:value = 'o\\'neil@example.net']","pattern_type":"stix","valid_from":"2026-04-02T00:00:00Z"},
	 {"type":"indicator","id":"indicator--3","pattern":"[domain-name:value = 'kestrel.dev']","pattern_type":"stix","valid_from":"2026-04-02T00:00:00Z"},
	 {"type":"indicator","id":"indicator--4","pattern":"[ipv4-addr:value = '198.51.100.9' AND network-traffic:dst_port = 22]","pattern_type":"stix","valid_from":"2026-04-02T00:00:00Z"},
	 {"type":"indicator","id":"indicator--5","pattern":"[ipv4-addr:value = '198.51.100.10']","pattern_type":"stix","valid_from":"2026-04-02T00:00:00Z","revoked":true},
	 {"type":"indicator","id":"indicator--6","pattern":"ipv4-addr:value = '1.2.3.4'","pattern_type":"sigma","valid_from":"2026-04-02T00:00:00Z"},
	 {"type":"x-rollcall-phone-number","id":"x-rollcall-phone-number--1","value":"+1 (415) 555-0199"}
	]}`
	res, err := watchlist.ReadSTIX(strings.NewReader(bundle), "isac.json")
	if err != nil {
		t.Fatal(err)
	}
	isac := "STIX bundle from Example ISAC"
	want := []policy.Burned{
		{Kind: "ip", Value: "198.51.100.7", Case: isac, Added: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
		{Kind: "ip", Value: "198.51.100.8", Case: isac, Added: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
		{Kind: "email", Value: "o'neil@example.net", Case: isac, Added: time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)},
		{Kind: "phone", Value: "4155550199", Case: "STIX bundle from isac.json"}, // the key of a number libphonenumber finds invalid
	}
	if diff := cmp.Diff(want, res.Entries); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	wantSkipped := []string{
		"1 × domain-name: the watchlist has no kind for it",
		"1 × indicator: a pattern other than value comparisons joined by OR",
		"1 × indicator: revoked",
		"1 × indicator: pattern_type sigma, not stix",
	}
	if diff := cmp.Diff(wantSkipped, res.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	for _, bad := range []struct{ in, want string }{
		{`[1,2]`, `watchlist "x.json": not a STIX bundle`},
		{`{"type":"bundle","objects":[{"type":"indicator","id":"indicator--9","pattern":"[ipv4-addr:value = '1.2.3.4']","valid_from":"yesterday"}]}`, `watchlist "x.json" object 1 (indicator--9) field valid_from: "yesterday" is not an RFC 3339 time`},
	} {
		if _, err := watchlist.ReadSTIX(strings.NewReader(bad.in), "x.json"); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ReadSTIX(%s): %v, want %q", bad.in, err, bad.want)
		}
	}
}

// TestCanonicalMatchesOf: a value written as people write it (a phone in
// any format, a mailbox with capitals) is read as the identifier Of
// extracts from a record holding it, so imported lists match.
func TestCanonicalMatchesOf(t *testing.T) {
	hr := detecttest.Roster(1, "E7001", "Sam.Reed@Example.com", "US")
	hr.Person.Phones = []string{"(253) 555-0143"}
	pop := detecttest.Population([]*event.Event{hr}, nil)
	got := map[string]string{}
	for _, id := range watchlist.Of(pop.Person("E7001")) {
		got[id.Kind] = id.Value
	}
	for kind, written := range map[string]string{policy.BurnedPhone: "+1 253 555 0143", policy.BurnedEmail: " SAM.REED@example.com"} {
		if c := watchlist.Canonical(kind, written); c == "" || c != got[kind] {
			t.Errorf("Canonical(%s, %q) = %q; Of gives %q", kind, written, c, got[kind])
		}
	}
}
