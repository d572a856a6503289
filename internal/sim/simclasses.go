package sim

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Legitimate classes added after the first release, each drawn on its own
// stream (streamClasses) so that everybody else's data stays as it was.
const (
	BehaviourNameVariant  = "name_variant"     // applicant record under a nickname or another family name, same phone as HR
	BehaviourGmailVariant = "gmail_variant"    // applicant mailbox written with dots, a +tag or googlemail.com; HR has it plain
	BehaviourCareOf       = "care_of_shipping" // laptop shipped "c/o" a relative at another address
	BehaviourCIRunner     = "ci_bot_ips"       // the person's CI jobs clone from shared cloud runner addresses
)

// Keys inside streamClasses.
const (
	classRunners uint64 = iota
	classNameVariant
	classGmail
	classCareOf
	classCI
	classCIEntries
	classCIDocIDs
)

// shortForms are the everyday short forms of given names in the pool.
var shortForms = map[string][]string{
	"James": {"Jim", "Jamie"}, "Robert": {"Bob", "Rob"}, "Patricia": {"Pat", "Trish"}, "Jennifer": {"Jen", "Jenny"},
	"Michael": {"Mike"}, "David": {"Dave"}, "Elizabeth": {"Liz", "Beth"}, "William": {"Bill", "Will"},
	"Richard": {"Rick"}, "Susan": {"Sue"}, "Joseph": {"Joe"}, "Thomas": {"Tom"}, "Christopher": {"Chris"},
	"Daniel": {"Dan", "Danny"}, "Matthew": {"Matt"}, "Anthony": {"Tony"}, "Steven": {"Steve"}, "Andrew": {"Andy", "Drew"},
	"Joshua": {"Josh"}, "Stephanie": {"Steph"}, "Rebecca": {"Becky"}, "Nicholas": {"Nick"}, "Jonathan": {"Jon"},
	"Benjamin": {"Ben"}, "Samuel": {"Sam"}, "Alexander": {"Alex"}, "Katherine": {"Kate", "Katie"}, "Abigail": {"Abby"},
	"Nathan": {"Nate"}, "Jacob": {"Jake"}, "Margaret": {"Maggie"}, "Natalie": {"Nat"},
}

// nameVariant writes the hired candidate record of about one in twenty
// legitimate hires under another form of the name than the HR record: the
// short form of the given name (Bill for William), or, for people whose
// name has no usual short form, another family name with the same given
// name (a maiden or professional name). The phone stays the HR phone.
func (o *Org) nameVariant(p *Person, c *Candidate) {
	r := newRand(o.cfg.Seed, streamClasses, classNameVariant, uint64(p.Index))
	if p.Op != nil || c.Agency != nil || !chance(r, 0.05) {
		return
	}
	if short := shortForms[p.Given]; short != nil {
		c.Given = pick(r, short)
	} else {
		for c.Family == p.Family {
			c.Family = pick(r, familyNames)
		}
	}
	p.addBehaviour(BehaviourNameVariant)
}

// gmailVariant writes the Gmail address of about one in twelve legitimate
// Gmail users differently on the applicant record: dots moved, a +tag for
// job applications, or googlemail.com. Gmail delivers all of them to the
// one mailbox the HR record has plain.
func (o *Org) gmailVariant(p *Person, c *Candidate) {
	r := newRand(o.cfg.Seed, streamClasses, classGmail, uint64(p.Index))
	local, ok := strings.CutSuffix(p.PersonalEmail, "@gmail.com")
	if p.Op != nil || !ok || !chance(r, 0.08) {
		return
	}
	i := -1
	for j, e := range c.Emails {
		if e.Value == p.PersonalEmail {
			i = j
		}
	}
	if i < 0 {
		return
	}
	c.Emails[i].Value = gmailSpelling(r, local)
	p.addBehaviour(BehaviourGmailVariant)
}

// gmailSpelling writes mailbox local@gmail.com another way Gmail accepts.
func gmailSpelling(r *rand.Rand, local string) string {
	switch bare := strings.ReplaceAll(local, ".", ""); {
	case r.IntN(3) == 0 && len(bare) > 3: // the dots in other places
		for range 4 {
			k := between(r, 1, len(bare)-1)
			if v := bare[:k] + "." + bare[k:]; v != local {
				return v + "@gmail.com"
			}
		}
		return bare + "@gmail.com"
	case chance(r, 0.5):
		return local + "+" + pick(r, []string{"jobs", "careers", "apply", "kestrel"}) + "@gmail.com"
	}
	return local + "@googlemail.com"
}

// careOfShipments re-addresses the current laptop of about one in twenty
// legitimate US staff without any other unusual trait: shipped "c/o" a
// relative at the relative's address (nobody at home to sign for it, or
// staying with family for a while). It runs once every plan is drawn.
func (o *Org) careOfShipments() {
	for _, p := range o.People {
		r := newRand(o.cfg.Seed, streamClasses, classCareOf, uint64(p.Index))
		if p.Op != nil || p.plan.office || p.plan.relocation != nil || len(p.Behaviours) > 0 || p.Home.Country != "US" || !chance(r, 0.05) {
			continue
		}
		i := slices.IndexFunc(o.Shipments, func(s Shipment) bool { return s.EmployeeID == p.EmployeeNumber && s.AssetTag == p.Laptop.AssetTag })
		if i < 0 {
			continue
		}
		relative := pick(r, givenNames) + " " + p.Family
		if chance(r, 0.4) { // a parent-in-law, a sister with her married name
			relative = pick(r, givenNames) + " " + pick(r, familyNames)
		}
		pl := p.Home.Place
		if chance(r, 0.6) {
			ps, w := homePlaces(usPlaces, "US")
			pl = ps[pickWeighted(r, w)]
		}
		o.Shipments[i].Name = p.Name() + " c/o " + relative
		o.Shipments[i].To = newAddress(r, pl)
		p.addBehaviour(BehaviourCareOf)
	}
}

// makeRunners draws the egress addresses of the cloud-hosted CI runners
// (GitHub-hosted runners in Azure): a few dozen addresses used in turn by
// every job of every engineer, mostly in US regions, some in West Europe.
func (o *Org) makeRunners() {
	r := newRand(o.cfg.Seed, streamClasses, classRunners, 0)
	az := ispByKey("azure")
	for i := range 24 {
		pl := placeByCity(pick(r, []string{"Ashburn", "Dallas", "Santa Clara", "Seattle"}), "US")
		if i%6 == 5 {
			pl = placeByCity("Amsterdam", "NL")
		}
		o.runners = append(o.runners, newEgress(r, o.ips.fresh(r, az), az, pl))
	}
}

// planCI marks about a quarter of legitimate engineers as owners of CI
// workflows that check out their repositories with their token.
func (o *Org) planCI(p *Person) {
	r := newRand(o.cfg.Seed, streamClasses, classCI, uint64(p.Index))
	if p.Op == nil && p.src.engineer && chance(r, 0.25) {
		p.src.ci = true
		p.addBehaviour(BehaviourCIRunner)
	}
}

// ciEntries appends, for the pushes of a CI owner's session, the checkouts
// of the workflow runs they trigger: the runner clones the repository a
// minute or two later from a shared cloud address.
func (o *Org) ciEntries(r *rand.Rand, recs []ghRec) []ghRec {
	n := len(recs)
	for _, g := range recs[:n] {
		if g.action != "git.push" || !g.actor.src.ci || !chance(r, 0.8) {
			continue
		}
		t := g.t.Add(time.Duration(between(r, 20000, 180000)) * time.Millisecond)
		recs = append(recs, ghRec{t: t, action: "git.clone", actor: g.actor, e: pick(r, o.runners), repo: g.repo, runner: true})
	}
	return recs
}
