package identity

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

func rosterEvent(id, name, email, phone string) *event.Event {
	return &event.Event{Kind: event.KindPerson, Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Prov: event.Provenance{Origin: &event.Origin{Source: "scim", File: "roster.json"}, Record: 1},
		Person: &event.Person{EmployeeID: id, SCIMID: "scim-" + id, UserName: email, Name: name,
			Emails: []string{email}, Phones: []string{phone}, Active: true}}
}

func applicantEvent(id, name, email, phone string) *event.Event {
	return &event.Event{Kind: event.KindApplicant, Prov: event.Provenance{Origin: &event.Origin{Source: "greenhouse", File: "c.json"}, Record: 1},
		Applicant: &event.Applicant{CandidateID: id, Name: name, Emails: []string{email}, Phones: []string{phone}}}
}

func signIn(login string, at time.Time) *event.Event {
	return &event.Event{Kind: event.KindSignIn, Time: at, Account: &event.Actor{Login: login},
		Prov: event.Provenance{Origin: &event.Origin{Source: "okta", File: "okta.ndjson"}, Record: 7}, SignIn: &event.SignIn{Action: "user.session.start"}}
}

func TestResolve(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	events := []*event.Event{
		rosterEvent("E1", "Jane Doe", "jane.doe@acme.example", "+1 (312) 555-0101"),
		rosterEvent("E2", "Omar Haddad", "omar@acme.example", "+1 312 555 0102"),
		// Hired: same personal phone, same name written differently.
		applicantEvent("100", "Jane  DOE", "jane.personal@mail.example", "312-555-0101"),
		// Same email as E2 but another name: a different person (APP-01's business).
		applicantEvent("101", "Kevin Lee", "omar@acme.example", "+1 415 555 0199"),
		// Never hired.
		applicantEvent("102", "Ana Souza", "ana@mail.example", "+55 11 5555 0100"),
		signIn("JANE.DOE@acme.example", t0.Add(2*time.Hour)),
		signIn("omar@acme.example", t0),
		signIn("ghost@acme.example", t0.Add(time.Hour)),
		{Kind: event.KindPayout, Prov: event.Provenance{Origin: &event.Origin{Source: "payroll", File: "p.csv"}, Record: 2},
			Payout: &event.Payout{EmployeeID: "E2", AccountFingerprint: "ab"}},
		{Kind: event.KindPayout, Prov: event.Provenance{Origin: &event.Origin{Source: "payroll", File: "p.csv"}, Record: 3},
			Payout: &event.Payout{EmployeeID: "E9", AccountFingerprint: "cd"}},
	}
	pop := Resolve(events)

	type summary struct {
		ID, Kind   string
		Candidates []string
		SignIns    int
		Payouts    int
	}
	var got []summary
	for _, p := range pop.People {
		got = append(got, summary{p.ID, p.Kind, p.CandidateIDs, len(p.SignIns), len(p.Payouts)})
	}
	want := []summary{
		{"E1", profile.KindEmployee, []string{"100"}, 1, 0},
		{"E2", profile.KindEmployee, nil, 1, 1},
		{"cand-101", profile.KindApplicant, []string{"101"}, 0, 0},
		{"cand-102", profile.KindApplicant, []string{"102"}, 0, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("people (-want +got):\n%s", diff)
	}
	var unresolved []string
	for _, u := range pop.Unresolved {
		unresolved = append(unresolved, u.Source+":"+u.Account)
	}
	if diff := cmp.Diff([]string{"okta:ghost@acme.example", "payroll:employee:E9"}, unresolved); diff != "" {
		t.Errorf("unresolved (-want +got):\n%s", diff)
	}
}

func TestResolve_ambiguous_email_resolves_nobody(t *testing.T) {
	events := []*event.Event{
		rosterEvent("E1", "Jane Doe", "shared@acme.example", "3125550101"),
		rosterEvent("E2", "John Roe", "shared@acme.example", "3125550102"),
		signIn("shared@acme.example", time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)),
	}
	pop := Resolve(events)
	if len(pop.Unresolved) != 1 || pop.Unresolved[0].Events != 1 {
		t.Fatalf("an email on two roster records must not resolve; unresolved = %+v", pop.Unresolved)
	}
}

func TestSameName(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Jane Doe", "jane doe", true},
		{"Doe Jane", "Jane Doe", true},
		{"José Álvarez", "Jose Alvarez", true},
		{"J. Doe", "Jane Doe", true},
		{"Jon Smith", "John Smith", true},
		{"Jane Doe", "Kevin Lee", false},
		{"Jane Doe", "Jane Dow-Kim", false},
		{"", "Jane Doe", false},
	}
	for _, tt := range tests {
		if got := SameName(tt.a, tt.b); got != tt.want {
			t.Errorf("SameName(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestResolve_learns_logins_paired_with_a_known_email(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	audit := func(login, email string) *event.Event {
		return &event.Event{Kind: event.KindAudit, Time: at, Account: &event.Actor{Login: login, Email: email},
			Prov: event.Provenance{Origin: &event.Origin{Source: "github", File: "audit.ndjson"}, Record: 1}, Audit: &event.Audit{Action: "git.clone"}}
	}
	events := []*event.Event{
		rosterEvent("E1", "Dana Whitfield", "dana.whitfield@acme.example", "3125550101"),
		audit("dana-whitfield_acme", "dana.whitfield@acme.example"),
		audit("dana-whitfield_acme", ""), // the same handle without its SAML identity
		audit("stranger_acme", ""),
	}
	pop := Resolve(events)
	if got := len(pop.Person("E1").Audits); got != 2 {
		t.Errorf("E1 audits = %d, want 2 (the handle learned from its paired email)", got)
	}
	if len(pop.Unresolved) != 1 || pop.Unresolved[0].Account != "stranger_acme" {
		t.Errorf("unresolved = %+v, want only stranger_acme", pop.Unresolved)
	}
}

func TestResolve_commit_by_unique_author_name(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	commit := func(name, email string) *event.Event {
		return &event.Event{Kind: event.KindCommit, Time: at, Account: &event.Actor{Email: email, DisplayName: name},
			Prov: event.Provenance{Origin: &event.Origin{Source: "gitlog", File: "repo.gitlog"}, Record: 1}, Commit: &event.Commit{AuthorName: name, AuthorEmail: email}}
	}
	events := []*event.Event{
		rosterEvent("E1", "Juliana Nguyen", "juliana.nguyen@acme.example", "3125550101"),
		rosterEvent("E2", "Sam Lee", "sam.lee@acme.example", "3125550102"),
		rosterEvent("E3", "Sam Lee", "sam.lee2@acme.example", "3125550103"),
		commit("Juliana Nguyen", "coderider969@outlook.example"),
		commit("Sam Lee", "samlee@home.example"), // two Sam Lees: ambiguous
	}
	pop := Resolve(events)
	if got := len(pop.Person("E1").Commits); got != 1 {
		t.Errorf("E1 commits = %d, want 1", got)
	}
	if len(pop.Unresolved) != 1 || pop.Unresolved[0].Account != "samlee@home.example" {
		t.Errorf("unresolved = %+v, want the ambiguous Sam Lee commit", pop.Unresolved)
	}
}

func TestResolve_placeholder_accounts_join_nobody(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ev := func(src string, a event.Actor, rec int) *event.Event {
		return &event.Event{Kind: event.KindSignIn, Time: t0, Account: &a,
			Prov: event.Provenance{Origin: &event.Origin{Source: src, File: src + ".ndjson"}, Record: rec}, SignIn: &event.SignIn{Action: "x"}}
	}
	roster := rosterEvent("E1", "Jane Doe", "jane@acme.example", "+1 312 555 0101")
	roster.Person.ExternalID = "unknown" // a roster export with a placeholder must not capture every unknown actor
	events := []*event.Event{
		roster,
		ev("okta", event.Actor{ID: "unknown", Login: "unknown", DisplayName: "unknown"}, 1),
		ev("gworkspace", event.Actor{ID: "SYSTEM"}, 2),
		ev("gworkspace", event.Actor{ID: "HANGOUTS_EXTERNAL_OR_ANONYMOUS"}, 3),
		// Okta's unknown user id beside a real, typed login resolves by the login.
		ev("okta", event.Actor{ID: "unknown", Login: "jane@acme.example"}, 4),
	}
	pop := Resolve(events)
	p := pop.ByID["E1"]
	if got := len(p.SignIns); got != 1 {
		t.Errorf("E1 has %d sign-ins, want only the one with her login", got)
	}
	if diff := cmp.Diff([]string{"jane@acme.example"}, p.Accounts); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
	var labels []string
	for _, u := range pop.Unresolved {
		labels = append(labels, u.Source+" "+u.Account)
	}
	want := []string{"gworkspace (placeholder hangouts_external_or_anonymous)", "gworkspace (placeholder system)", "okta (placeholder unknown) unknown"}
	if diff := cmp.Diff(want, labels); diff != "" {
		t.Errorf("unresolved (-want +got):\n%s", diff)
	}
}

func TestResolve_entra_object_id_and_upn_are_one_account(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ev := func(a event.Actor, rec int) *event.Event {
		return &event.Event{Kind: event.KindSignIn, Time: t0, Account: &a,
			Prov: event.Provenance{Origin: &event.Origin{Source: "entra", File: "e.json"}, Record: rec}, SignIn: &event.SignIn{Action: "x"}}
	}
	events := []*event.Event{
		rosterEvent("E1", "Jane Doe", "jane@acme.example", "+1 312 555 0101"),
		ev(event.Actor{ID: "0b1c", Login: "Jane@acme.example", Email: "jane@acme.example"}, 1),
		ev(event.Actor{ID: "0b1c", Login: "0b1c"}, 2), // non-interactive: the UPN is the object id
		// Not on the roster: the object id alone is still the same unresolved account.
		ev(event.Actor{ID: "9f9f", Login: "ghost@acme.example", Email: "ghost@acme.example"}, 3),
		ev(event.Actor{ID: "9f9f"}, 4),
	}
	pop := Resolve(events)
	if got := len(pop.ByID["E1"].SignIns); got != 2 {
		t.Errorf("E1 has %d sign-ins, want 2 (by UPN and by object id)", got)
	}
	if len(pop.Unresolved) != 1 || pop.Unresolved[0].Account != "ghost@acme.example" || pop.Unresolved[0].Events != 2 {
		t.Errorf("unresolved = %+v, want one account ghost@acme.example with 2 events", pop.Unresolved)
	}
}

func hiredApplicant(id, name, email, phone string) *event.Event {
	e := applicantEvent(id, name, email, phone)
	e.Applicant.Applications = []event.Application{{Status: "hired"}}
	return e
}

func TestResolve_hired_candidate_under_a_name_variant(t *testing.T) {
	events := []*event.Event{
		rosterEvent("E1", "Maria Chen", "maria.chen@acme.example", "+1 312 555 0101"),
		rosterEvent("E2", "William Park", "william.park@acme.example", "+1 312 555 0102"),
		rosterEvent("E3", "Omar Haddad", "omar.haddad@acme.example", "+1 312 555 0103"),
		rosterEvent("E4", "Maria Silva", "maria.silva@acme.example", "+1 312 555 0104"),
		// Maiden name, same phone as HR: the same person.
		hiredApplicant("100", "Maria Lopez", "", "312-555-0101"),
		// Another given name on Omar's phone: a different person, kept apart
		// even though hired (APP-01's business).
		hiredApplicant("101", "Kevin Lee", "", "+1 312 555 0103"),
		// A family-name variant of E4, but never hired: stays an applicant.
		applicantEvent("102", "Maria Santos", "", "+1 312 555 0104"),
		// Hired, a variant of E1's name, but the email leads to E2: contacts
		// that point at two employees are nobody's.
		hiredApplicant("103", "Maria Ortiz", "william.park@acme.example", "+1 312 555 0101"),
	}
	pop := Resolve(events)
	got := map[string][]string{}
	for _, p := range pop.People {
		got[p.ID] = p.CandidateIDs
	}
	want := map[string][]string{"E1": {"100"}, "E2": nil, "E3": nil, "E4": nil,
		"cand-101": {"101"}, "cand-102": {"102"}, "cand-103": {"103"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("people (-want +got):\n%s", diff)
	}
}
