// Package identity resolves accounts to people.
//
// The HR roster (SCIM) defines employees, keyed by employeeNumber. Accounts
// in sign-in, audit and code logs resolve to them through the roster's
// userName, emails, SCIM id and employee number. Applicant records join the
// employee they became when an email or phone matches and the names agree;
// otherwise each candidate is an applicant person of its own. Payroll and
// shipments name the employee id directly; endpoint hosts resolve through
// the hardware serial shipped to a person, else through the user the agent
// reports (hosts.go); meeting participants resolve by email to the roster or to a
// candidate (an interview). Accounts that match nobody are
// listed as unresolved, never dropped.
package identity

import (
	"slices"
	"sort"
	"strings"

	"github.com/rollcall/rollcall/internal/enrich/phone"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// index maps a lower-cased key to person ids. A key with more than one
// person is ambiguous and resolves to nobody.
type index map[string][]string

func (ix index) add(key, id string) {
	key = strings.ToLower(strings.TrimSpace(key))
	if key == "" || placeholders[key] { // the one place placeholders are refused: no index holds one
		return
	}
	for _, have := range ix[key] {
		if have == id {
			return
		}
	}
	ix[key] = append(ix[key], id)
}

func (ix index) one(key string) (string, bool) {
	ids := ix[strings.ToLower(strings.TrimSpace(key))]
	if len(ids) != 1 {
		return "", false
	}
	return ids[0], true
}

// Resolve builds the population from events. It does not modify events.
func Resolve(events []*event.Event) *profile.Population {
	return newResolver().resolve(events)
}

func newResolver() *resolver {
	return &resolver{
		pop:      &profile.Population{ByID: map[string]*profile.Person{}},
		accounts: index{},
		phones:   index{},
		names:    index{},
		unres:    map[string]*profile.Unresolved{},
		aliases:  map[aliasKey]string{},
		looked:   map[string]bool{},
	}
}

// resolve is Resolve on a new resolver, which keeps what it learnt
// (Resolver).
func (r *resolver) resolve(events []*event.Event) *profile.Population {
	r.roster(events)
	r.applicants(events)
	r.activity(events)
	return r.finish()
}

type resolver struct {
	pop      *profile.Population
	accounts index // emails, logins, SCIM ids, employee ids → employee
	phones   index // normalised phones → employee
	names    index // normalised full names → employee
	serials  map[string]string
	unres    map[string]*profile.Unresolved
	aliases  map[aliasKey]string // a source's account id → the login or email seen with it
	learned  index               // logins and account ids paired with a roster account (learnLogins)
	learnt   map[string]bool     // the keys of learned added to accounts
	looked   map[string]bool     // the keys that resolved nobody once the learnt keys were added
	profiles *profileKeys        // built on the first code-host profile (profiles.go)
}

// aliasKey is an account id (lower case) in one source.
type aliasKey struct{ source, id string }

func (r *resolver) person(id, kind string) *profile.Person {
	p := r.pop.ByID[id]
	if p == nil {
		p = &profile.Person{ID: id, Kind: kind}
		r.pop.ByID[id] = p
	}
	return p
}

// roster creates an employee for every roster record. A person's records
// (snapshots of the roster taken at different times) are kept in order of
// their version (SCIM meta.lastModified, else meta.created, then input
// order) as the person's RosterHistory; the latest is the Roster.
func (r *resolver) roster(events []*event.Event) {
	for _, e := range events {
		if e.Kind != event.KindPerson || e.Person == nil {
			continue
		}
		hr := e.Person
		p := r.person(hr.EmployeeID, profile.KindEmployee)
		p.EmployeeID = hr.EmployeeID
		p.RosterHistory = append(p.RosterHistory, e)
	}
	for _, p := range r.pop.ByID {
		if len(p.RosterHistory) > 1 {
			slices.SortStableFunc(p.RosterHistory, func(a, b *event.Event) int {
				return profile.RosterVersion(a).Compare(profile.RosterVersion(b))
			})
		}
		p.Roster = p.RosterHistory[len(p.RosterHistory)-1]
		p.Name = p.Roster.Person.Name
	}
	for _, p := range r.pop.ByID {
		hr := p.HR()
		keys := append([]string{hr.EmployeeID, hr.SCIMID, hr.ExternalID, hr.UserName}, hr.Emails...)
		if i := strings.IndexByte(hr.UserName, '@'); i > 0 {
			keys = append(keys, hr.UserName[:i])
		}
		for _, k := range keys {
			r.accounts.add(k, p.ID)
		}
		for _, ph := range hr.Phones {
			r.phones.add(phone.Key(ph), p.ID)
		}
		r.names.add(NormalizeName(hr.Name), p.ID)
	}
}

// applicants attaches each candidate to the employee it became, or makes
// it an applicant person.
func (r *resolver) applicants(events []*event.Event) {
	for _, e := range events {
		if e.Kind != event.KindApplicant || e.Applicant == nil {
			continue
		}
		a := e.Applicant
		p := r.matchApplicant(a)
		if p == nil {
			p = r.person(profile.ApplicantIDPrefix+a.CandidateID, profile.KindApplicant)
			if p.Name == "" {
				p.Name = a.Name
			}
		}
		p.Applicants = append(p.Applicants, e)
		if !slices.Contains(p.CandidateIDs, a.CandidateID) {
			p.CandidateIDs = append(p.CandidateIDs, a.CandidateID)
		}
	}
}

// matchApplicant finds the employee a candidate became: a shared email or
// phone with a name that agrees. A shared contact under another name is not
// a match (it is what APP-01 looks for).
func (r *resolver) matchApplicant(a *event.Applicant) *profile.Person {
	try := func(ix index, key string) *profile.Person {
		id, ok := ix.one(key)
		if !ok {
			return nil
		}
		p := r.pop.ByID[id]
		if p != nil && SameName(p.Name, a.Name) {
			return p
		}
		return nil
	}
	for _, em := range a.Emails {
		if p := try(r.accounts, NormalizeEmail(em)); p != nil {
			return p
		}
	}
	for _, ph := range a.Phones {
		if p := try(r.phones, phone.Key(ph)); p != nil {
			return p
		}
	}
	return r.matchHiredVariant(a)
}

// matchHiredVariant attaches a hired candidate written under another form
// of the employee's name (a maiden or married family name with the same
// given name, a transliteration, a middle name used as the first): every
// contact of the record that the roster knows leads to that one employee,
// and the names are variants of one name (NameVariant). A contact shared
// with an employee under a really different name stays apart (APP-01).
func (r *resolver) matchHiredVariant(a *event.Applicant) *profile.Person {
	if !slices.ContainsFunc(a.Applications, func(ap event.Application) bool { return strings.EqualFold(ap.Status, "hired") }) {
		return nil
	}
	var only *profile.Person
	same := func(ix index, key string) bool {
		id, ok := ix.one(key)
		if !ok {
			return len(ix[strings.ToLower(strings.TrimSpace(key))]) == 0 // on several roster records: not one person's
		}
		p := r.pop.ByID[id]
		if only != nil && p != only {
			return false
		}
		only = p
		return true
	}
	for _, em := range a.Emails {
		if !same(r.accounts, NormalizeEmail(em)) {
			return nil
		}
	}
	for _, ph := range a.Phones {
		if !same(r.phones, phone.Key(ph)) {
			return nil
		}
	}
	if only == nil || NameVariant(only.Name, a.Name) == "" {
		return nil
	}
	return only
}

// activity attaches sign-ins, audit actions, commits, payouts, shipments,
// devices, profiles, résumés and meetings to people.
func (r *resolver) activity(events []*event.Event) {
	// Shipments first: their serials resolve endpoint hosts (hosts.go).
	r.serials = r.shippedSerials(events)
	hosts := r.hostOwners(events)
	r.learnLogins(events)
	candidates := map[string]*profile.Person{}
	candidateMail := index{} // applicant emails → the person the candidate is (meetings.go)
	for _, p := range r.pop.ByID {
		for _, c := range p.CandidateIDs {
			candidates[c] = p
		}
		for _, a := range p.Applicants {
			for _, em := range a.Applicant.Emails {
				candidateMail.add(NormalizeEmail(em), p.ID)
			}
		}
	}
	for _, e := range events {
		switch e.Kind {
		case event.KindPerson, event.KindApplicant:
			continue
		case event.KindPayout:
			r.attachByEmployee(e, e.Payout.EmployeeID, func(p *profile.Person) { p.Payouts = append(p.Payouts, e) })
		case event.KindShipment:
			r.attachByEmployee(e, e.Shipment.EmployeeID, func(p *profile.Person) { p.Shipments = append(p.Shipments, e) })
		case event.KindDevice:
			if id, ok := hosts[e.Device.HostID]; ok {
				p := r.pop.ByID[id]
				p.Devices = append(p.Devices, e)
			} else {
				r.unresolved(e, "host:"+e.Device.HostID, "")
			}
		case event.KindMeeting:
			if p := r.resolveMeeting(e.Actor(), candidateMail); p != nil {
				p.Meetings = append(p.Meetings, e)
			} else if e.Actor().Empty() {
				// A guest who typed only a name: one entry per name, never
				// one "(no actor)" account for every guest.
				r.unresolved(e, "(guest) "+e.Actor().DisplayName, e.Actor().DisplayName)
			} else {
				r.unresolved(e, r.unresolvedLabel(e), e.Actor().DisplayName)
			}
		case event.KindResume:
			if p := candidates[e.Resume.CandidateID]; p != nil {
				p.Resumes = append(p.Resumes, e)
			} else {
				r.unresolved(e, "candidate:"+e.Resume.CandidateID, "")
			}
		default:
			p := r.resolveAccount(e)
			if p == nil {
				continue
			}
			attachAccount(p, e)
		}
	}
}

// attachAccount gives p the sign-in, audit action, commit or profile e
// and its account.
func attachAccount(p *profile.Person, e *event.Event) {
	addAccount(p, e.Actor())
	switch e.Kind {
	case event.KindSignIn:
		p.SignIns = append(p.SignIns, e)
	case event.KindAudit:
		p.Audits = append(p.Audits, e)
	case event.KindCommit:
		p.Commits = append(p.Commits, e)
	case event.KindProfile:
		p.Profiles = append(p.Profiles, e)
	}
}

// resolveAccount finds the person a sign-in, audit action, commit or
// code-host profile belongs to, by its account (a commit also by an author
// name that names one person), or lists it as unresolved and returns nil.
func (r *resolver) resolveAccount(e *event.Event) *profile.Person {
	var p *profile.Person
	if e.Kind == event.KindProfile {
		p = r.resolveProfile(e)
	} else {
		p = r.resolveActor(e.Actor())
	}
	if p == nil && e.Kind == event.KindCommit {
		// Commits often carry a personal email; an author name that
		// names exactly one person on the roster is theirs.
		if id, ok := r.names.one(NormalizeName(e.Actor().DisplayName)); ok {
			p = r.pop.ByID[id]
		}
	}
	if p == nil {
		if e.Kind == event.KindProfile {
			r.unresolved(e, "github:"+e.Profile.Login, e.Profile.Name)
		} else {
			r.unresolved(e, r.unresolvedLabel(e), e.Actor().DisplayName)
		}
	}
	return p
}

func (r *resolver) attachByEmployee(e *event.Event, employeeID string, add func(*profile.Person)) {
	if p := r.pop.ByID[employeeID]; p != nil && p.Kind == profile.KindEmployee {
		add(p)
		return
	}
	if id, ok := r.account(employeeID); ok {
		add(r.pop.ByID[id])
		return
	}
	r.unresolved(e, "employee:"+employeeID, "")
}

// learnLogins teaches the account index the logins that events pair with
// a resolvable email (a GitHub handle next to its SAML identity), and the
// account ids that events pair with a resolvable login or email (an Entra
// object id next to the user's UPN), so the same account's events that
// carry only the handle or only the id (Entra non-interactive sign-ins)
// resolve too. A key paired with two different people stays ambiguous.
func (r *resolver) learnLogins(events []*event.Event) {
	r.learned = index{}
	for _, e := range events {
		if e.Kind == event.KindPerson || e.Kind == event.KindApplicant {
			continue
		}
		r.learnFrom(e, nil)
	}
	r.learnt = map[string]bool{}
	for login, ids := range r.learned {
		if _, taken := r.accounts[login]; !taken && len(ids) == 1 {
			r.accounts.add(login, ids[0])
			r.learnt[login] = true
		}
	}
}

// learnFrom records the alias and the logins e teaches (learnLogins).
// Before the learnt logins are added to the account index, learnt is nil;
// after (an incremental resolution, incremental.go), learnFrom looks the
// event's keys up in the roster's keys alone, as learnLogins did, and
// calls learnt with every key it adds a person to.
func (r *resolver) learnFrom(e *event.Event, learnt func(key string)) {
	a := e.Actor()
	if mail := firstNonEmpty(realKey(a.Email), realKey(a.Login)); realKey(a.ID) != "" && strings.Contains(mail, "@") {
		k := aliasKey{e.Prov.Source(), strings.ToLower(a.ID)}
		if _, seen := r.aliases[k]; !seen {
			r.aliases[k] = strings.ToLower(mail)
		}
	}
	id, ok := r.rosterAccount(a.Email)
	if !ok {
		id, ok = r.rosterAccount(a.Login)
	}
	if !ok {
		return
	}
	for _, k := range []string{a.Login, a.ID} {
		if k == "" || strings.EqualFold(k, a.Email) {
			continue
		}
		if _, known := r.rosterAccount(k); !known {
			r.learned.add(k, id)
			if learnt != nil {
				learnt(k)
			}
		}
	}
}

// account is r.accounts.one(key), noting the keys that resolved nobody:
// a key that no lookup missed can be learnt later without changing what
// the events resolved to (Resolver). (A key that resolved is in the
// index, and so never learnt later.)
func (r *resolver) account(key string) (string, bool) {
	id, ok := r.accounts.one(key)
	if !ok {
		r.looked[strings.ToLower(strings.TrimSpace(key))] = true
	}
	return id, ok
}

// rosterAccount is r.accounts.one(key) without the logins learnLogins
// added.
func (r *resolver) rosterAccount(key string) (string, bool) {
	if r.learnt[strings.ToLower(strings.TrimSpace(key))] {
		return "", false
	}
	return r.accounts.one(key)
}

// resolveMeeting maps a meeting participant to a person: an account of
// the roster (an interviewer, or a hire in a later call) by email, login
// or id, else a candidate by an email of their applicant record (an
// interview). A display name alone never resolves a participant: guests
// type whatever name they like.
func (r *resolver) resolveMeeting(a event.Actor, candidateMail index) *profile.Person {
	if p := r.resolveActor(a); p != nil {
		return p
	}
	for _, k := range []string{a.Email, a.Login} {
		if id, ok := candidateMail.one(NormalizeEmail(k)); ok {
			return r.pop.ByID[id]
		}
	}
	return nil
}

// resolveActor maps an account to an employee by login, email or id.
func (r *resolver) resolveActor(a event.Actor) *profile.Person {
	for _, k := range []string{a.Email, a.Login, a.ID} {
		if k == "" {
			continue
		}
		if id, ok := r.account(k); ok { // never a placeholder: index.add refuses them
			return r.pop.ByID[id]
		}
	}
	return nil
}

func addAccount(p *profile.Person, a event.Actor) {
	if k := accountKey(a); k != "" && !slices.Contains(p.Accounts, k) {
		p.Accounts = append(p.Accounts, k)
	}
}

// accountKey is the key a person's Accounts list a's account under, or
// "" for none.
func accountKey(a event.Actor) string {
	return strings.ToLower(firstNonEmpty(realKey(a.Login), realKey(a.Email), realKey(a.ID)))
}

// unresolvedLabel names an unresolved account: an account id that other
// events of the source pair with a login or email (an Entra object id and
// the user's UPN) is named by that login, so that it is one account.
func (r *resolver) unresolvedLabel(e *event.Event) string {
	a := e.Actor()
	if !strings.Contains(realKey(a.Login), "@") && !strings.Contains(realKey(a.Email), "@") && realKey(a.ID) != "" {
		if alias, ok := r.aliases[aliasKey{e.Prov.Source(), strings.ToLower(a.ID)}]; ok {
			return alias
		}
	}
	return accountLabel(a)
}

func accountLabel(a event.Actor) string {
	if a.Empty() {
		return "(no actor)"
	}
	if k := firstNonEmpty(realKey(a.Login), realKey(a.Email), realKey(a.ID)); k != "" {
		return strings.ToLower(k)
	}
	// Only placeholders ("unknown", "SYSTEM"): named as such, and kept apart
	// by display name, so that unrelated actors are not one account.
	label := "(placeholder " + strings.ToLower(firstNonEmpty(a.Login, a.Email, a.ID)) + ")"
	if a.DisplayName != "" {
		label += " " + a.DisplayName
	}
	return label
}

// placeholders are the account keys vendors write when they do not know
// or do not name the actor: Okta's "unknown" (a sign-in for a user that
// does not exist), Google Workspace's caller keys SYSTEM and
// HANGOUTS_EXTERNAL_OR_ANONYMOUS, and the like. They never identify one
// account, so they resolve nobody and join nothing.
var placeholders = map[string]bool{
	"unknown": true, "system": true, "hangouts_external_or_anonymous": true, "anonymous": true,
	"anonymous_user": true, "n/a": true, "none": true, "null": true, "-": true, "0": true,
}

func placeholderAccount(k string) bool { return placeholders[strings.ToLower(strings.TrimSpace(k))] }

// realKey returns k, or "" when it is a placeholder.
func realKey(k string) string {
	if placeholderAccount(k) {
		return ""
	}
	return k
}

func (r *resolver) unresolved(e *event.Event, account, name string) {
	key := e.Prov.Source() + "\x00" + account
	u := r.unres[key]
	if u == nil {
		u = &profile.Unresolved{Source: e.Prov.Source(), Account: account, Name: name, First: e.Time, Last: e.Time, Example: e.Prov}
		r.unres[key] = u
	}
	u.Events++
	if !e.Time.IsZero() {
		if u.First.IsZero() || e.Time.Before(u.First) {
			u.First = e.Time
		}
		if e.Time.After(u.Last) {
			u.Last = e.Time
		}
	}
}

func (r *resolver) finish() *profile.Population {
	pop := r.pop
	for _, p := range pop.ByID {
		p.SortEvents()
		sort.Strings(p.CandidateIDs)
		pop.People = append(pop.People, p)
		for _, l := range [][]*event.Event{p.SignIns, p.Audits, p.Commits, p.Devices} {
			if len(l) == 0 {
				continue
			}
			first, last := l[0].Time, l[len(l)-1].Time
			if pop.Start.IsZero() || first.Before(pop.Start) {
				pop.Start = first
			}
			if last.After(pop.End) {
				pop.End = last
			}
		}
	}
	sort.Slice(pop.People, func(i, j int) bool { return pop.People[i].ID < pop.People[j].ID })
	pop.Unresolved = r.unresolvedList()
	return pop
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
