package hiring

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/identity"
	"github.com/rollcall/rollcall/internal/link"
	"github.com/rollcall/rollcall/internal/profile"
)

// IdentityCollision is APP-01: the same email, phone or portfolio/GitHub
// URL on applicant or roster records of people with different names.
type IdentityCollision struct{}

var _ detect.Indicator = (*IdentityCollision)(nil)

// ID implements detect.Indicator.
func (*IdentityCollision) ID() string { return "APP-01" }

// Name implements detect.Indicator.
func (*IdentityCollision) Name() string {
	return "Contact details shared by people with different names"
}

// Stage implements detect.Indicator.
func (*IdentityCollision) Stage() detect.Stage { return detect.StageHiring }

// Strength implements detect.Indicator.
func (*IdentityCollision) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator.
func (*IdentityCollision) Sources() []string { return []string{"greenhouse", "scim"} }

// Weight implements detect.Indicator.
func (*IdentityCollision) Weight() float64 { return 50 }

// Description implements detect.Indicator.
func (*IdentityCollision) Description() string {
	return "The same email address, phone number (compared on its last ten digits) or portfolio/GitHub/LinkedIn URL " +
		"appears on the candidate or HR records of people with different names. Operators running several personas " +
		"reuse one mailbox, phone or portfolio across them; a finding is raised on every person involved and names the others. " +
		"Known false positives: recruiting agencies that put their own contact details on the candidates they submit " +
		"(recognised and ignored when the records sharing the detail were submitted by the same agency — the application " +
		"source, an \"Agency: …\" tag, or the credited recruiter when the source only says Agency — or the shared email is on " +
		"the agency's own domain; one agency's contact on another agency's or a direct applicant still counts); one person's " +
		"names written two ways (not a collision: the same name reordered or mistyped, a nickname such as Evie/Evelyn, a " +
		"changed family name with the same given name, a transliteration such as Mohammed Al-Sayed/Muhammad Alsayed, a middle " +
		"name used as the first); an employee's roster record against a hired candidate's record under another name (half " +
		"confidence: possibly their own application, weak unless corroborated); a household sharing one phone; a company switchboard or team mailbox " +
		"on the HR records of several staff (ignored when it is on three or more roster records and no candidate record). " +
		"When entity resolution (the linker the scan runs once over everyone) scored two of the people as one operator's " +
		"personas or as one person, the finding names the fields that matched and the match weight."
}

// References implements detect.Indicator.
func (*IdentityCollision) References() []string {
	return []string{
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (shared contact details across personas)",
		"Security Alliance (SEAL), DPRK IT Workers framework, github.com/security-alliance/frameworks",
		"US Department of State, Treasury and FBI, Guidance on the DPRK Information Technology Workers, 16 May 2022 (inconsistent contact information)",
	}
}

// sharedLineMin: a phone or email on the roster records of this many
// employees, and on no candidate record, is a company line or team mailbox.
const sharedLineMin = 3

// contactKind names the kind of contact detail compared.
type contactKind string

const (
	contactEmail contactKind = "email"
	contactPhone contactKind = "phone"
	contactURL   contactKind = "URL"
)

// sighting is one contact detail on one record of one person.
type sighting struct {
	kind   contactKind
	value  string // normalised, the grouping key
	shown  string // how a summary shows it
	person *profile.Person
	record *event.Event
	name   string // the name on the record
	// agencies are the agencies whose submission explains the detail
	// (profile.Agencies); nil: none.
	agencies []string
}

// Detect implements detect.Indicator.
func (d *IdentityCollision) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	// The contacts two or more people hold, from the linker's
	// shared-identifier index: the canonical keys entity resolution blocks
	// and compares on are the ones compared here.
	var groups [][]sighting
	for _, g := range link.IdentifiersOf(in.Pop, in.Policy).Shared {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("APP-01: %w", err)
		}
		var sg []sighting
		for _, s := range g {
			if c, ok := contactOf(s); ok {
				sg = append(sg, c)
			}
		}
		if len(sg) > 1 {
			groups = append(groups, sg)
		}
	}
	// collisions[person id] lists (their sighting, other's sighting) pairs.
	collisions := map[string][][2]sighting{}
	for _, g := range groups {
		if companyLine(g) {
			continue
		}
		for i := range g {
			for j := i + 1; j < len(g); j++ {
				a, b := g[i], g[j]
				if a.person == b.person || a.name == "" || b.name == "" || identity.NameVariant(a.name, b.name) != "" {
					continue // one person's names: nickname, new family name, transliteration, middle name
				}
				if profile.SameAgency(a.agencies, b.agencies) {
					continue // one agency's contact on the candidates it submitted
				}
				collisions[a.person.ID] = append(collisions[a.person.ID], [2]sighting{a, b})
				collisions[b.person.ID] = append(collisions[b.person.ID], [2]sighting{b, a})
			}
		}
	}
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if pairs := collisions[p.ID]; len(pairs) > 0 {
			out = append(out, d.finding(p, pairs, in.Pop.Linked))
		}
	}
	return out, nil
}

// finding builds the finding on p from its collisions: p's own records
// first, then the other people's records, one evidence per record.
//
// When entity resolution (profile.Linked, internal/link) scored p and
// another person as one operator's personas or one person, the summary
// says so with the fields that matched and the match weight.
func (d *IdentityCollision) finding(p *profile.Person, pairs [][2]sighting, linked *profile.Linked) detect.Finding {
	var (
		related, details []string
		others           []string
		mine, theirs     []*event.Event
		shownOn          = map[*event.Event][]string{}
		ownerOf          = map[*event.Event]sighting{}
	)
	note := func(s sighting, list *[]*event.Event) {
		if _, seen := ownerOf[s.record]; !seen {
			*list = append(*list, s.record)
			ownerOf[s.record] = s
		}
		label := string(s.kind) + " " + s.shown
		if !slices.Contains(shownOn[s.record], label) {
			shownOn[s.record] = append(shownOn[s.record], label)
		}
	}
	for _, pr := range pairs {
		note(pr[0], &mine)
		note(pr[1], &theirs)
		label := string(pr[0].kind) + " " + pr[0].shown
		if !slices.Contains(details, label) {
			details = append(details, label)
		}
		if !slices.Contains(related, pr[1].person.ID) {
			related = append(related, pr[1].person.ID)
			others = append(others, pr[1].person.Label())
		}
	}
	slices.Sort(related)
	var ev []detect.Evidence
	for _, e := range mine {
		ev = append(ev, detect.EvidenceOf(e, "%s %q lists %s", recordLabel(e), ownerOf[e].name, strings.Join(shownOn[e], ", ")))
	}
	for _, e := range theirs {
		s := ownerOf[e]
		ev = append(ev, detect.EvidenceOf(e, "%s %q of %s lists the same %s", recordLabel(e), s.name, s.person.ID, strings.Join(shownOn[e], ", ")))
	}
	summary := fmt.Sprintf("shares %s with %d other %s under a different name: %s",
		strings.Join(details, ", "), len(related), detect.Plural(len(related), "person", "people"), strings.Join(others, "; "))
	if resolved := linkedWith(p.ID, related, linked); resolved != "" {
		summary += "; entity resolution links " + resolved
	}
	var conf float64 // full
	if slices.IndexFunc(pairs, func(pr [2]sighting) bool { return !ownHiringRecord(pr) }) < 0 {
		conf = confOwnRecord
		summary += "; lowered: every record involved is an employee's roster record against a hired candidate's record, " +
			"possibly the person's own application under an earlier name, weak unless other findings corroborate it"
	}
	if len(ev) > detect.MaxEvidence {
		summary += fmt.Sprintf(" (%d records in all; the first %d cited)", len(ev), detect.MaxEvidence)
		ev = ev[:detect.MaxEvidence]
	}
	return detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Confidence: conf, Evidence: ev, Related: related}
}

// linkedWith describes the linker's pairs between person and the related
// people ("E2 as personas of one operator (weight 24.5: phone, email,
// resume)"), "" when it linked none of them.
func linkedWith(person string, related []string, linked *profile.Linked) string {
	var parts []string
	for _, lp := range linked.Of(person) {
		other := lp.A
		if other == person {
			other = lp.B
		}
		if !slices.Contains(related, other) {
			continue
		}
		how := "as one person"
		if lp.Kind == "shared" {
			how = "as personas of one operator"
		}
		parts = append(parts, fmt.Sprintf("%s %s (weight %.1f: %s)", other, how, lp.Weight, strings.Join(lp.Matched, ", ")))
	}
	return strings.Join(parts, "; ")
}

// confOwnRecord is the confidence of a collision between an employee's
// roster record and a hired candidate's record alone: identity resolution
// did not join them, but the candidate record may be the employee's own
// application under an earlier or other name. Alone it stays below medium.
const confOwnRecord = 0.5

// ownHiringRecord reports whether a collision pair is a roster record
// against a candidate record whose application was hired (either way
// round).
func ownHiringRecord(pr [2]sighting) bool {
	a, b := pr[0].record, pr[1].record
	if a.Kind != event.KindPerson {
		a, b = b, a
	}
	return a.Kind == event.KindPerson && b.Applicant != nil &&
		slices.ContainsFunc(b.Applicant.Applications, func(app event.Application) bool { return strings.EqualFold(app.Status, "hired") })
}

// companyLine reports whether a group of sightings is a company
// switchboard or team mailbox: on the roster records of sharedLineMin or
// more people and on no candidate record.
func companyLine(g []sighting) bool {
	people := map[string]bool{}
	for _, s := range g {
		if s.record.Kind != event.KindPerson {
			return false
		}
		people[s.person.ID] = true
	}
	return len(people) >= sharedLineMin
}

// contactOf is an index sighting as a contact detail APP-01 compares: a
// mailbox or phone on a roster or candidate record, or a URL a candidate
// record lists (not a code-host profile's blog); ok is false otherwise.
func contactOf(s profile.Sighting) (c sighting, ok bool) {
	e := s.Record
	c = sighting{value: s.Key, shown: s.Key, person: s.Person, record: e}
	switch {
	case e.Kind == event.KindPerson && e.Person != nil:
		c.name = e.Person.Name
	case e.Applicant != nil:
		c.name = candidateName(e.Applicant)
		// A candidate came through an agency when an application source
		// says so, or when the recruiting team tagged it ("Agency: …").
		c.agencies = profile.Agencies(e.Applicant)
	default:
		return c, false
	}
	switch s.Kind {
	case profile.IDEmail:
		c.kind = contactEmail
		if e.Applicant != nil {
			for _, app := range e.Applicant.Applications {
				if emailOfSource(s.Key, app.Source) { // the mailbox is on the source's own domain
					c.agencies = append(slices.Clip(c.agencies), "domain:"+s.Key[strings.LastIndexByte(s.Key, '@')+1:])
				}
			}
		}
	case profile.IDPhone:
		c.kind, c.shown = contactPhone, maskPhone(s.Key)
	case profile.IDURL:
		c.kind = contactURL
	default:
		return c, false
	}
	return c, true
}

// maskPhone shows only the last four digits of a normalised phone.
func maskPhone(v string) string {
	if len(v) <= 4 {
		return v
	}
	return "ending " + v[len(v)-4:]
}

// Examples implements detect.Indicator: two candidates under different
// names share a phone and a GitHub URL; and two candidates submitted by
// the same staffing agency with the agency recruiter's phone and email.
func (*IdentityCollision) Examples() detect.Examples {
	return detect.Examples{
		Positive: detect.Example{
			Name: "two_personas_one_phone_and_portfolio",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "1001", Name: "Daniel Brooks", Emails: []string{"dbrooks.dev@gmail.com"},
					Phones: []string{"+1 (312) 555-0147"}, Websites: []string{"https://github.com/dbrooks-dev/"},
					Applications: []event.Application{{ID: "5001", Source: "LinkedIn"}}}),
				candidateRecord(2, event.Applicant{CandidateID: "1002", Name: "Kevin Tran", Emails: []string{"kevin.tran.eng@outlook.com"},
					Phones: []string{"312-555-0147"}, SocialMedia: []string{"http://www.GitHub.com/dbrooks-dev"},
					Applications: []event.Application{{ID: "5002", Source: "Jobs page on your website"}}}),
			},
			Person: profile.ApplicantIDPrefix + "1001",
		},
		Negative: detect.Example{
			Name: "agency_recruiter_contact_on_two_candidates",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "2001", Name: "Priya Raman", Emails: []string{"submissions@brightpathstaffing.com"},
					Phones: []string{"+1 646 555 0199"}, Applications: []event.Application{{ID: "6001", Source: "BrightPath Staffing (Agency)"}}}),
				candidateRecord(2, event.Applicant{CandidateID: "2002", Name: "Tomasz Nowak", Emails: []string{"submissions@brightpathstaffing.com"},
					Phones: []string{"646-555-0199"}, Applications: []event.Application{{ID: "6002", Source: "BrightPath Staffing (Agency)"}}}),
			},
			Person: profile.ApplicantIDPrefix + "2001",
		},
	}
}
