package payroll

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/identity"
	"github.com/rollcall/rollcall/internal/profile"
)

// SharedContractingEntity is PAY-04: several people are paid through one
// company that is not the staffing firm or employer the HR roster names
// for them, and that company appeared in payroll only recently.
type SharedContractingEntity struct{}

var _ detect.Indicator = (*SharedContractingEntity)(nil)

// ID implements detect.Indicator.
func (*SharedContractingEntity) ID() string { return "PAY-04" }

// Name implements detect.Indicator.
func (*SharedContractingEntity) Name() string {
	return "Several people paid through one unlisted company"
}

// Stage implements detect.Indicator.
func (*SharedContractingEntity) Stage() detect.Stage { return detect.StagePayroll }

// Strength implements detect.Indicator.
func (*SharedContractingEntity) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator: the format that carries the
// observable (the roster and candidate records it is read against are
// needed by every indicator).
func (*SharedContractingEntity) Sources() []string { return []string{"payroll"} }

// Weight implements detect.Indicator.
func (*SharedContractingEntity) Weight() float64 { return 30 }

// recentEntity: an entity whose first payout is this recent is "recently
// formed" as far as the data can tell (full confidence).
const (
	recentEntity     = 540 * 24 * time.Hour
	confRecentEntity = 1.0
	confOldEntity    = 0.6
)

// Description implements detect.Indicator.
func (*SharedContractingEntity) Description() string {
	return "Two or more people are paid to one company (the payroll payee_name is an organisation — a legal form such as " +
		"LLC, Ltd or GmbH, or a business word such as Solutions or Consulting — and not the person's own name), and for " +
		"none of them does the HR roster name that company as their organisation, the way it names an established " +
		"staffing firm or employer of record. DOJ cases describe front companies set up to receive several operatives' " +
		"pay. Full confidence when the company's first payout in the data is within 18 months of the scan: a company's " +
		"formation date is not in payroll or HR data, so check the business registry (formation date, registered agent, " +
		"address) before acting. Employers of record and freelance platforms that pay many contractors (Deel, Remote, " +
		"Oyster, Papaya Global, Velocity Global, Globalization Partners, Multiplier, Rippling, Upwork, Toptal…) and banks or " +
		"payment services written in the payee column are not counted. Known false positives: a genuine small consultancy whose contractors HR recorded without an " +
		"organisation; a new employer of record not in the list; payroll rows that name a person's own one-person company " +
		"under different spellings (those count as one person)."
}

// References implements detect.Indicator.
func (*SharedContractingEntity) References() []string {
	return []string{
		"US DOJ, coordinated actions against North Korean remote IT worker schemes, 30 June 2025 (front companies and shell entities receiving IT workers' pay)",
		"US DOJ, indictment of facilitators using front companies to pay North Korean IT workers, 12 Dec 2024 (Yanbian Silverstar and Volasys Silverstar)",
	}
}

// orgWords mark a payee name as an organisation.
var orgWords = regexp.MustCompile(`(?i)\b(llc|l\.l\.c|ltd|limited|inc|incorporated|corp|corporation|co|company|gmbh|ag|s\.?a|s\.?a\.?s|sarl|s\.?r\.?l|b\.?v|n\.?v|plc|pty|pte|sdn\s+bhd|bhd|kft|oy|ab|as|kk|lp|llp|` +
	`solutions|consulting|consultants|technologies|technology|tech|services|group|global|labs|systems|software|digital|partners|` +
	`holdings|enterprises|agency|international|ventures|studio|studios|staffing|outsourcing|it)\b`)

// payrollProviders are payroll services and payment platforms that pay
// many unrelated people; employers of record and contractor platforms are
// profile.KnownIntermediary.
var payrollProviders = []string{"gusto", "adp", "paychex", "justworks", "trinet", "insperity", "payoneer", "wise"}

// financialInstitution marks payee names that are banks or payment
// services rather than the account holder (a data-entry slip in the
// payee_name column): they would pay everyone.
var financialInstitution = regexp.MustCompile(`(?i)\b(bank|banco|credit union|wells fargo|jpmorgan|chase|citibank|hsbc|barclays|santander|revolut|monzo|n26|paypal|payoneer|wise)\b`)

// entityPay is one payout to an entity.
type entityPay struct {
	person *profile.Person
	event  *event.Event
}

// Detect implements detect.Indicator.
func (d *SharedContractingEntity) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	known := map[string]bool{} // organisations the roster names
	for _, p := range in.Pop.People {
		if hr := p.HR(); hr != nil {
			if k := orgKey(hr.Organization); k != "" {
				known[k] = true
			}
		}
	}
	byEntity := map[string][]entityPay{}
	shown := map[string]string{}
	for _, p := range in.Pop.People {
		for _, e := range p.Payouts {
			k, ok := entityKey(p, e.Payout)
			if !ok || known[k] || p.PaidViaEmployer(e.Payout) {
				continue
			}
			byEntity[k] = append(byEntity[k], entityPay{person: p, event: e})
			if shown[k] == "" {
				shown[k] = strings.TrimSpace(e.Payout.PayeeName)
			}
		}
	}
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("PAY-04: %w", err)
		}
		seen := map[string]bool{}
		for _, e := range p.Payouts {
			k, ok := entityKey(p, e.Payout)
			if !ok || seen[k] {
				continue
			}
			seen[k] = true
			g := byEntity[k]
			if holders := distinctPayees(g); len(holders) >= 2 && slices.Contains(holders, p) {
				out = append(out, d.finding(p, shown[k], g, holders, in.Now))
				break
			}
		}
	}
	return out, nil
}

// entityKey returns the organisation key of a payout's payee when the
// payee is an organisation other than the person and not a payroll
// provider.
func entityKey(p *profile.Person, po *event.Payout) (string, bool) {
	name := strings.TrimSpace(po.PayeeName)
	if name == "" || !orgWords.MatchString(name) || financialInstitution.MatchString(name) || identity.SameName(name, p.Name) {
		return "", false
	}
	k := orgKey(name)
	if _, platform := profile.KnownIntermediary(name); k == "" || platform || slices.Contains(payrollProviders, k) {
		return "", false
	}
	return k, true
}

// orgKey is profile.OrgKey that also drops legal forms written with dots
// ("L.L.C.", "S.A."), which OrgKey sees as single letters.
func orgKey(name string) string {
	words := strings.Fields(profile.OrgKey(name))
	i := len(words)
	for i > 1 && len(words[i-1]) == 1 {
		i--
	}
	if i < len(words) && spelledForms[strings.Join(words[i:], "")] {
		words = words[:i]
	}
	return profile.OrgKey(strings.Join(words, " "))
}

// spelledForms are legal forms as their letters.
var spelledForms = map[string]bool{"llc": true, "inc": true, "ltd": true, "sa": true, "sas": true, "srl": true, "bv": true, "nv": true,
	"plc": true, "llp": true, "lp": true, "ag": true, "co": true, "kk": true}

func distinctPayees(g []entityPay) []*profile.Person {
	var out []*profile.Person
	for _, h := range g {
		if !slices.Contains(out, h.person) {
			out = append(out, h.person)
		}
	}
	return out
}

func (d *SharedContractingEntity) finding(p *profile.Person, name string, g []entityPay, holders []*profile.Person, now time.Time) detect.Finding {
	first := g[0].event.Time
	for _, h := range g {
		if h.event.Time.Before(first) {
			first = h.event.Time
		}
	}
	conf := confOldEntity
	since := fmt.Sprintf("first paid %s", detect.Date(first))
	if !first.IsZero() && now.Sub(first) <= recentEntity {
		conf = confRecentEntity
		since = fmt.Sprintf("first seen in payroll only %d days before the scan (%s)", int(now.Sub(first).Hours()/24), detect.Date(first))
	}
	var related, names []string
	for _, q := range holders {
		if q != p {
			related = append(related, q.ID)
			names = append(names, q.Label())
		}
	}
	slices.Sort(related)
	var ev []detect.Evidence
	for _, h := range g {
		if h.person == p {
			ev = append(ev, detect.EvidenceOf(h.event, "pay to %q (%s) effective %s", h.event.Payout.PayeeName, method(h.event.Payout), detect.Date(h.event.Payout.EffectiveDate)))
		}
	}
	for _, h := range g {
		if h.person != p {
			ev = append(ev, detect.EvidenceOf(h.event, "%s is also paid to %q from %s", h.person.Label(), h.event.Payout.PayeeName, detect.Date(h.event.Payout.EffectiveDate)))
		}
	}
	if hr := p.HR(); hr != nil && p.Roster != nil {
		org := hr.Organization
		if org == "" {
			org = "no organisation"
		}
		ev = append(ev, detect.EvidenceOf(p.Roster, "roster record of %s names %q, not %q", p.ID, org, name))
	}
	summary := fmt.Sprintf("paid through %q together with %d other %s (%s); the roster names that company for none of them; %s",
		name, len(names), detect.Plural(len(names), "person", "people"), strings.Join(names, "; "), since)
	if len(ev) > detect.MaxEvidence {
		summary += fmt.Sprintf(" (%d records in all; the first %d cited)", len(ev), detect.MaxEvidence)
		ev = ev[:detect.MaxEvidence]
	}
	return detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Confidence: conf, Evidence: ev, Related: related}
}

const entityPayrollFile = "examples/payroll.csv"

// entityStaff is a roster record with an organisation and employee type.
func entityStaff(record int, id, name, org, typ string, hired time.Time) *event.Event {
	return &event.Event{Kind: event.KindPerson, Time: hired,
		Prov: event.Provenance{Origin: &event.Origin{Source: "scim", File: "examples/scim-users.json"}, Record: record, ID: "u-" + id},
		Person: &event.Person{EmployeeID: id, SCIMID: "u-" + id, UserName: strings.ToLower(id) + "@acme.example", Name: name,
			Organization: org, EmployeeType: typ, Active: true, Created: hired}}
}

// entityPayout is a payroll row paying employee to payee.
func entityPayout(record int, employee, payee, fingerprint string, effective time.Time) *event.Event {
	return &event.Event{Kind: event.KindPayout, Time: effective,
		Prov: event.Provenance{Origin: &event.Origin{Source: "payroll", File: entityPayrollFile}, Record: record, Line: record + 1},
		Payout: &event.Payout{EmployeeID: employee, EffectiveDate: effective, Method: "bank", AccountFingerprint: fingerprint,
			BankCountry: "US", PayeeName: payee}}
}

// Examples implements detect.Indicator: three contractors, each on the
// roster as independent, paid through one LLC that first appears in payroll
// this year; and two contractors of an established staffing firm the
// roster names, paid through that firm.
func (*SharedContractingEntity) Examples() detect.Examples {
	hired := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	return detect.Examples{
		Positive: detect.Example{
			Name: "three_contractors_one_new_llc",
			Events: []*event.Event{
				entityStaff(1, "E4101", "Kevin Tran", "", "Contractor", hired),
				entityStaff(2, "E4102", "Daniel Brooks", "", "Contractor", hired.AddDate(0, 1, 0)),
				entityStaff(3, "E4103", "Samuel Okafor", "", "Contractor", hired.AddDate(0, 2, 0)),
				entityPayout(1, "E4101", "Bluewave Tech Solutions LLC", "a1f0c3d2e4b5a6c7d8e9f0a1b2c3d4e5", hired),
				entityPayout(2, "E4102", "BLUEWAVE TECH SOLUTIONS, L.L.C.", "b2e1d4c3f5a6b7c8d9e0f1a2b3c4d5e6", hired.AddDate(0, 1, 0)),
				entityPayout(3, "E4103", "Bluewave Tech Solutions LLC", "c3d2e5f4a6b7c8d9e0f1a2b3c4d5e6f7", hired.AddDate(0, 2, 0)),
			},
			Person: "E4101",
		},
		Negative: detect.Example{
			Name: "established_staffing_firm_on_the_roster",
			Events: []*event.Event{
				entityStaff(1, "E4104", "Priya Raman", "Summit Tech Staffing Inc.", "Contractor", hired),
				entityStaff(2, "E4105", "Tomasz Nowak", "Summit Tech Staffing Inc.", "Contractor", hired),
				entityPayout(1, "E4104", "Summit Tech Staffing, Inc.", "d4e3f6a5b7c8d9e0f1a2b3c4d5e6f7a8", hired),
				entityPayout(2, "E4105", "Summit Tech Staffing, Inc.", "d4e3f6a5b7c8d9e0f1a2b3c4d5e6f7a8", hired),
			},
			Person: "E4104",
		},
	}
}
