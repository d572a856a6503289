// Package profile is the person model: per-person state built from
// normalized, stamped events — the roster record, applicant records, and
// every sign-in, audit action, commit, device observation, payout and
// shipment resolved to the person (identity resolution fills those) — and
// the features and population indexes Build derives from them once
// (claimed and inferred zones, activity touches, places, clocks, countries
// and networks seen, device states, who holds which identifier).
// Detectors read people, their features and the population; they scan raw
// events only to cite evidence, and never read files.
package profile

import (
	"sort"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/enrich/activity"
	"github.com/rollcall/rollcall/internal/event"
)

// Person kinds.
const (
	KindEmployee  = "employee"
	KindApplicant = "applicant"
)

// ApplicantIDPrefix prefixes the id of a person known only as an applicant.
const ApplicantIDPrefix = "cand-"

// Person is everything known about one human being.
type Person struct {
	ID           string // employee id, or ApplicantIDPrefix + candidate id
	Kind         string // KindEmployee or KindApplicant
	EmployeeID   string
	CandidateIDs []string
	Name         string

	Roster *event.Event // latest SCIM record (Kind person); nil for applicants
	// RosterHistory is every SCIM record of the person (roster snapshots
	// taken at different times) in version order (RosterVersion), the
	// Roster last; nil for applicants.
	RosterHistory []*event.Event
	Applicants    []*event.Event // Greenhouse candidate records of this person
	Accounts      []string       // account keys (lower-cased logins/emails) resolved to this person

	SignIns   []*event.Event // sorted by Time
	Audits    []*event.Event // sorted by Time
	Commits   []*event.Event // sorted by Time
	Devices   []*event.Event // sorted by Time
	Payouts   []*event.Event // sorted by Time (effective date)
	Shipments []*event.Event // sorted by Time (shipped on)
	Profiles  []*event.Event // code-host profiles
	Resumes   []*event.Event
	Meetings  []*event.Event // sorted by Time (joined): interviews and calls (Zoom, Teams)

	// Features are derived once from the events by Build (the person
	// model); zero until then.
	Features Features
}

// Label names the person for finding summaries: "Jane Roe (E1001)", or
// the id alone when the name is unknown.
func (p *Person) Label() string {
	if p.Name == "" {
		return p.ID
	}
	return p.Name + " (" + p.ID + ")"
}

// HR returns the roster record's payload, or nil.
func (p *Person) HR() *event.Person {
	if p.Roster == nil {
		return nil
	}
	return p.Roster.Person
}

// Home returns the claimed home address (roster home address), or nil.
func (p *Person) Home() *event.Address {
	if hr := p.HR(); hr != nil {
		return hr.HomeAddress()
	}
	return nil
}

// HomeKey returns the comparison key of the claimed home address
// (enrich/address Key, stamped on the roster record), or "".
func (p *Person) HomeKey() string {
	if hr := p.HR(); hr != nil {
		return p.Roster.AddressKey(hr.HomeIndex())
	}
	return ""
}

// Country returns the claimed country of residence (ISO alpha-2, upper
// case) from the roster's home address, or "" when unknown.
func (p *Person) Country() string {
	if a := p.Home(); a != nil {
		return strings.ToUpper(strings.TrimSpace(a.Country))
	}
	return ""
}

// RosterVersion is when a roster record was written: SCIM
// meta.lastModified, else meta.created (the event time).
func RosterVersion(e *event.Event) time.Time {
	if hr := e.Person; hr != nil && !hr.Modified.IsZero() {
		return hr.Modified
	}
	return e.Time
}

// Hired returns the roster's creation time (SCIM meta.created), or the zero
// time.
func (p *Person) Hired() time.Time {
	if hr := p.HR(); hr != nil {
		return hr.Created
	}
	return time.Time{}
}

// Emails returns every email known for the person (roster and applicant
// records), lower-cased and de-duplicated.
func (p *Person) Emails() []string {
	var out []string
	if hr := p.HR(); hr != nil {
		out = append(out, hr.Emails...)
		if strings.Contains(hr.UserName, "@") {
			out = append(out, hr.UserName)
		}
	}
	for _, a := range p.Applicants {
		out = append(out, a.Applicant.Emails...)
	}
	return dedupLower(out)
}

// Phones returns every phone number known for the person, as written.
func (p *Person) Phones() []string {
	var out []string
	if hr := p.HR(); hr != nil {
		out = append(out, hr.Phones...)
	}
	for _, a := range p.Applicants {
		out = append(out, a.Applicant.Phones...)
	}
	return dedupLower(out)
}

// EachEvent calls f with every event attributed to the person: the
// latest roster record, then the applicant records and the activity.
func (p *Person) EachEvent(f func(*event.Event)) {
	if p.Roster != nil {
		f(p.Roster)
	}
	for _, l := range [][]*event.Event{p.Applicants, p.SignIns, p.Audits, p.Commits, p.Devices, p.Payouts, p.Shipments, p.Profiles, p.Resumes, p.Meetings} {
		for _, e := range l {
			f(e)
		}
	}
}

// SortEvents sorts every event list by time, keeping input order for ties.
func (p *Person) SortEvents() {
	for _, l := range [][]*event.Event{p.SignIns, p.Audits, p.Commits, p.Devices, p.Payouts, p.Shipments, p.Profiles, p.Resumes, p.Applicants, p.Meetings} {
		SortByTime(l)
	}
}

// SortByTime sorts events by time, keeping their order for ties (the
// order of a person's event lists).
func SortByTime(events []*event.Event) {
	sort.SliceStable(events, func(i, j int) bool { return events[i].Time.Before(events[j].Time) })
}

func dedupLower(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := in[:0:0]
	for _, s := range in {
		s = strings.ToLower(strings.TrimSpace(s))
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// Unresolved is an account seen in activity logs that matches nobody on
// the roster or among applicants. It is reported, never dropped.
type Unresolved struct {
	Source  string    `json:"source"`
	Account string    `json:"account"`
	Name    string    `json:"name,omitempty"`
	Events  int       `json:"events"`
	First   time.Time `json:"first"`
	Last    time.Time `json:"last"`
	// Example is the provenance of the first event from this account.
	Example event.Provenance `json:"example"`
}

// Population is every person in a scan.
type Population struct {
	People     []*Person // sorted by ID
	ByID       map[string]*Person
	Unresolved []Unresolved
	// Start and End bound the activity seen in the scan.
	Start, End time.Time

	// DeviceStates and Index are learnt once over the whole population
	// by Build.
	DeviceStates activity.DeviceStates
	Index        Indexes
	// DeviceCounts are what DeviceStates were learnt from, kept for
	// ExtendIndexes.
	DeviceCounts activity.DeviceCounts
	// Linked is entity resolution over the people (internal/link), run
	// once per analysis by the engine; nil until then.
	Linked *Linked
	// Peers are, per peer group of code access (PeersOf), the busiest
	// days and rates of its employed members; built with the features.
	Peers map[string]*peerStats
}

// Person returns the person with the given id, or nil.
func (p *Population) Person(id string) *Person { return p.ByID[id] }

// PaidViaEmployer reports whether a payout goes to the organisation the
// roster says employs the person (an employer of record or staffing firm:
// payee name = the roster's organization, not the person's own name).
// Such an account legitimately pays many contractors; it is context
// (catalogue APP-16), not a shared personal account.
func (p *Person) PaidViaEmployer(po *event.Payout) bool {
	hr := p.HR()
	if hr == nil || po == nil || po.PayeeName == "" || hr.Organization == "" {
		return false
	}
	payee := OrgKey(po.PayeeName)
	return payee != "" && payee == OrgKey(hr.Organization) && payee != OrgKey(hr.Name)
}

// legalSuffixes are dropped when comparing organisation names.
var legalSuffixes = map[string]bool{
	"inc": true, "incorporated": true, "llc": true, "ltd": true, "limited": true, "corp": true, "corporation": true,
	"co": true, "company": true, "gmbh": true, "ag": true, "sa": true, "sas": true, "sarl": true, "bv": true, "nv": true,
	"plc": true, "pty": true, "pte": true, "srl": true, "spa": true, "sp": true, "zoo": true, "oy": true, "ab": true, "as": true, "kk": true,
}

// OrgKey folds an organisation name for comparison: lower case, letters
// and digits only, legal-form suffixes ("Inc.", "LLC", "GmbH") dropped.
func OrgKey(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	})
	for len(words) > 1 && legalSuffixes[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}
