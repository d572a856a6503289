package storetest

import (
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

// t0 is the start of the fixtures' activity.
var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

func prov(src, file string, record int, hash string) event.Provenance {
	return event.Provenance{Origin: &event.Origin{Source: src, File: file}, Record: record, Line: record + 1, Hash: hash}
}

func roster(record int, id, name, userName string, emails ...string) *event.Event {
	return &event.Event{
		Kind:    event.KindPerson,
		Time:    t0.Add(-90 * 24 * time.Hour),
		Prov:    prov("scim", "hr/users.json", record, fmt.Sprintf("5c1a%04d", record)),
		Account: &event.Actor{ID: "scim-" + id, Login: userName},
		Person: &event.Person{
			EmployeeID: id, SCIMID: "scim-" + id, UserName: userName, Name: name,
			Emails: emails, Active: true, Timezone: "America/Chicago",
			Addresses: []event.Address{{Type: "home", Locality: "Austin", Region: "TX", Country: "US"}},
		},
	}
}

func signIn(src string, record int, at time.Time, login, ip string) *event.Event {
	return &event.Event{
		Kind:    event.KindSignIn,
		Time:    at,
		Prov:    event.Provenance{Origin: &event.Origin{Source: src, File: src + "/log.ndjson"}, Record: record, Line: record, ID: fmt.Sprintf("evt-%s-%d", src, record), Hash: fmt.Sprintf("b%07x", record)},
		Account: &event.Actor{Login: login, Email: login},
		SignIn: &event.SignIn{
			Action: "user.session.start", Outcome: event.OutcomeSuccess, UserAgent: "Mozilla/5.0",
			Net: &event.Network{IP: netip.MustParseAddr(ip), Country: "US", City: "Austin", ASN: 7922, ASOrg: "Comcast", GeoSource: src},
		},
	}
}

func applicant(record int, candidate, name string, at time.Time, emails ...string) *event.Event {
	return &event.Event{
		Kind:      event.KindApplicant,
		Time:      at,
		Prov:      prov("greenhouse", "ats/candidates.json", record, fmt.Sprintf("9a9a%04d", record)),
		Applicant: &event.Applicant{CandidateID: candidate, Name: name, Emails: emails, Phones: []string{"+1 512 555 0100"}},
	}
}

// fixtureEvents returns a small population's events: roster records,
// applicants (one without a time), sign-ins from two vendors (one in a
// non-UTC zone), a code-host audit action and a sign-in from an account
// nobody owns.
func fixtureEvents() []*event.Event {
	chicago := time.FixedZone("CST", -6*3600)
	return []*event.Event{
		roster(1, "E1", "Ada Lovelace", "alovelace", "ada@example.com"),
		roster(2, "E2", "Grace Hopper", "ghopper", "grace@example.com"),
		roster(3, "E3", "Chen Wei", "cwei", "chen@example.com"),
		roster(4, "E4", "Dana Smith", "dsmith", "dana@example.com"),
		roster(5, "E5", "Eve Adams", "eadams", "eve@example.com"),
		applicant(1, "42", "Ada Lovelace", time.Time{}, "ada.l@mail.example"),
		applicant(2, "77", "Boris Petrov", t0.Add(-30*24*time.Hour), "boris@mail.example"),
		signIn("okta", 1, t0.Add(1*time.Hour), "ada@example.com", "203.0.113.7"),
		signIn("okta", 2, t0.Add(2*time.Hour), "ada@example.com", "2001:db8::7"),
		signIn("okta", 3, t0.Add(3*time.Hour), "mallory@example.net", "198.51.100.9"),
		signIn("entra", 1, t0.Add(90*time.Minute).In(chicago), "grace@example.com", "203.0.113.8"),
		signIn("entra", 2, t0.Add(26*time.Hour), "grace@example.com", "203.0.113.8"),
		{
			Kind:    event.KindAudit,
			Time:    t0.Add(4*time.Hour + 123456789*time.Nanosecond),
			Prov:    event.Provenance{Origin: &event.Origin{Source: "github", File: "gh/audit.json"}, Record: 1, Hash: "c0ffee01"},
			Account: &event.Actor{ID: "9001", Login: "ghost-dev"},
			Audit: &event.Audit{Action: "git.clone", Org: "acme", Repo: "acme/core", CodeAccess: true,
				Net: &event.Network{IP: netip.MustParseAddr("192.0.2.44"), IsProxy: true}},
		},
	}
}

// fixturePeople resolves fixtureEvents to people, as identity resolution
// would.
func fixturePeople(events []*event.Event) map[string]string {
	m := make(map[string]string)
	for _, e := range events {
		var id string
		switch {
		case e.Person != nil:
			id = e.Person.EmployeeID
		case e.Applicant != nil && e.Applicant.CandidateID == "42":
			id = "E1"
		case e.Applicant != nil:
			id = profile.ApplicantIDPrefix + e.Applicant.CandidateID
		case e.Actor().Login == "ada@example.com":
			id = "E1"
		case e.Actor().Login == "grace@example.com":
			id = "E2"
		case e.Actor().Login == "ghost-dev":
			id = "E3"
		}
		if id != "" {
			m[e.Prov.Key()] = id
		}
	}
	return m
}

// sortedByTime returns events in the order Store.Events returns them.
func sortedByTime(events []*event.Event) []*event.Event {
	out := slices.Clone(events)
	slices.SortStableFunc(out, func(a, b *event.Event) int { return a.Time.Compare(b.Time) })
	return out
}

// manyEvents returns n distinct sign-in events from one file.
func manyEvents(file string, n int) []*event.Event {
	out := make([]*event.Event, n)
	for i := range out {
		e := signIn("okta", i+1, t0.Add(time.Duration(i)*time.Second), fmt.Sprintf("user%d@example.com", i%50), "203.0.113.1")
		e.Prov.Origin = &event.Origin{Source: e.Prov.Source(), File: file}
		out[i] = e
	}
	return out
}

func evidence(e *event.Event, summary string) detect.Evidence {
	return detect.EvidenceOf(e, "%s", summary)
}

// reportA is a full report: every list populated, a tie on score (E2, E3),
// a hired applicant (E1, candidate 42), an applicant never hired (cand-77),
// a suppressed finding and a person without indicators.
func reportA() *store.Results {
	ev := fixtureEvents()
	return &store.Results{
		Version: report.Version,
		Stats: store.Stats{Files: 6, RecordsRead: 15, RecordsRejected: 2, Events: 13, People: 6, UnresolvedAccounts: 1,
			BySource: map[string]int{"scim": 5, "greenhouse": 2, "okta": 3, "entra": 2, "github": 1}},
		Rejected: []store.Rejection{
			{File: "okta/log.ndjson", Line: 9, Record: 9, Field: "published", Reason: "not a time"},
			{File: "hr/users.json", Line: 2, Reason: "malformed JSON"},
		},
		SkippedFiles: []store.Skipped{{File: "truth.json", Reason: "format not recognised"}},
		Unresolved: []profile.Unresolved{{
			Source: "okta", Account: "mallory@example.net", Events: 1,
			First: t0.Add(3 * time.Hour), Last: t0.Add(3*time.Hour + 500*time.Millisecond), Example: ev[9].Prov,
		}},
		Notes: []string{"no IP database: network indicators use vendor context only"},
		People: []store.Person{
			{
				ID: "E1", EmployeeID: "E1", CandidateIDs: []string{"42"}, Name: "Ada Lovelace", Kind: profile.KindEmployee,
				Score: 88, Level: "critical", Flagged: true, Cluster: "C1", ClusterBonus: 7.5,
				Indicators: []store.Finding{
					{ID: "IAM-01", Name: "Sign-in from anonymiser", Stage: "identity", Strength: "M", Weight: 20.25,
						Summary: "2 sign-ins through VPN", Evidence: []detect.Evidence{evidence(ev[7], "VPN exit"), evidence(ev[8], "VPN exit")}},
					{ID: "PAY-02", Name: "Shared payout account", Stage: "payroll", Strength: "H", Weight: 40,
						Summary: "account shared with cand-77", Related: []string{"cand-77"},
						Evidence: []detect.Evidence{{Source: "payroll", File: "pay.csv", Record: 3, Line: 4, Summary: "fingerprint 9f…"}}},
				},
			},
			{
				ID: "cand-77", CandidateIDs: []string{"77"}, Name: "Boris Petrov", Kind: profile.KindApplicant,
				Score: 61, Level: "high", Flagged: true, Cluster: "C1",
				Indicators: []store.Finding{
					{ID: "PAY-02", Name: "Shared payout account", Stage: "payroll", Strength: "H", Weight: 40,
						Summary: "account shared with E1", Related: []string{"E1"}, Evidence: []detect.Evidence{evidence(ev[6], "applied")}},
					{ID: "APP-03", Name: "VoIP phone number", Stage: "hiring", Strength: "L", Weight: 5,
						Summary: "VoIP number", Evidence: []detect.Evidence{evidence(ev[6], "+1 512 555 0100")}},
				},
			},
			{
				ID: "E2", EmployeeID: "E2", CandidateIDs: []string{}, Name: "Grace Hopper", Kind: profile.KindEmployee,
				Score: 45, Level: "medium", Flagged: true, Cluster: "C2", Capped: "one medium indicator alone",
				Indicators: []store.Finding{{ID: "IAM-01", Name: "Sign-in from anonymiser", Stage: "identity", Strength: "M",
					Weight: 45, Summary: "sign-in through VPN", Evidence: []detect.Evidence{evidence(ev[10], "VPN exit")}}},
			},
			{
				ID: "E3", EmployeeID: "E3", Name: "Chen Wei", Kind: profile.KindEmployee, Score: 45, Level: "medium", Flagged: true, Cluster: "C2",
				Indicators: []store.Finding{{ID: "NET-04", Name: "Proxy code access", Stage: "network", Strength: "M",
					Weight: 45, Summary: "clone through proxy", Evidence: []detect.Evidence{evidence(ev[12], "git.clone")}}},
			},
			{
				ID: "E4", EmployeeID: "E4", Name: "Dana Smith", Kind: profile.KindEmployee, Score: 12, Level: "low",
				Indicators: []store.Finding{{ID: "NET-04", Name: "Proxy code access", Stage: "network", Strength: "M",
					Summary: "clone through proxy", Suppressed: "allow-listed: corporate proxy", Evidence: []detect.Evidence{}}},
			},
			{ID: "E5", EmployeeID: "E5", Name: "Eve Adams", Kind: profile.KindEmployee, Level: "none", Indicators: []store.Finding{}},
		},
		Clusters: []store.Cluster{
			{ID: "C1", Members: []string{"E1", "cand-77"}, Score: 88, Links: []store.Link{
				{Kind: "bank_account", Value: "9f2c…e1", Members: []string{"E1", "cand-77"}, Strength: 1},
				{Kind: "phone", Value: "+15125550100", Members: []string{"E1", "cand-77"}, Strength: 0.6},
			}},
			{ID: "C2", Members: []string{"E2", "E3"}, Score: 45, Links: []store.Link{
				{Kind: "ip", Value: "203.0.113.8", Members: []string{"E2", "E3"}},
			}},
		},
	}
}

// reportB is a later scan of the same population: E3 and cluster C2 are
// gone, E1 lost a finding, E6 is new, and the lists changed.
func reportB() *store.Results {
	r := reportA()
	r.Stats.People = 6
	r.Stats.RecordsRejected = 1
	r.Stats.BySource = nil
	r.Rejected = r.Rejected[:1]
	r.SkippedFiles = nil
	r.Unresolved = nil
	r.Notes = nil
	r.People[0].Score = 70
	r.People[0].Level = "high"
	r.People[0].Indicators = r.People[0].Indicators[:1]
	r.People[0].Indicators[0].Weight = 30
	r.People = slices.Delete(r.People, 3, 4) // E3
	r.People[2].Cluster = ""
	// Inserted at its place by score, as scans report people.
	r.People = slices.Insert(r.People, 3, store.Person{ID: "E6", EmployeeID: "E6", Name: "Faye Okafor", Kind: profile.KindEmployee,
		Score: 20, Level: "low", Cluster: "C3", Indicators: []store.Finding{{ID: "END-07", Name: "Remote-control tool",
			Stage: "endpoint", Strength: "M", Weight: 20, Summary: "AnyDesk installed", Evidence: []detect.Evidence{
				{Source: "osquery", File: "osq/results.log", Record: 5, Summary: "AnyDesk"}}}}})
	r.Clusters = []store.Cluster{r.Clusters[0], {ID: "C3", Members: []string{"E6", "E4"}, Score: 20}}
	r.Clusters[0].Links = r.Clusters[0].Links[1:]
	return r
}
