package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// Cell is a group of operatives run together: they share a laptop farm, a
// payout account, VPN exits, MFA phones and reused applicant contacts.
type Cell struct {
	ID       string
	Members  []*Person    // hired operatives, in hire order
	Personas []*Candidate // applicant personas that were never hired

	Real      *Place  // where the operators really are
	Farm      Address // the facilitator's home that hosts the laptops
	FarmNet   *Egress // the farm's residential address
	Forwarder Address // a commercial mailbox / package forwarder
	VPN       []*Egress
	Phones    []*Device // phones that complete MFA for several accounts
	Machines  []*Device // the operators' own (unmanaged) computers
	Foreign   []payAccount
	Mule      payAccount // US account opened with a stolen identity, shared
	Entity    string     // recently formed company the contractors are paid through
	Contacts  cellContacts
}

// cellContacts are identifiers the cell reuses across applicant personas.
type cellContacts struct {
	Primary  int // the kind of identifier every reusing record shares: 0 website, 1 phone, 2 email
	Phones   []string
	Emails   []string
	Handles  []string // GitHub handles
	Websites []string
}

// Operative is what makes a hired person an operative.
type Operative struct {
	Cell         *Cell
	Careful      bool     // shows only one or two tells
	Intended     []string // the tells a careful operative was given (the truth lists what the data shows)
	LaptopAt     string   // "farm", "forwarder" or "home"
	OwnNet       *Egress  // residential address of a facilitator at the claimed home
	ForeignHours bool     // keeps the hours of the real location
	VPNShare     float64  // chance per working day of a session from the operator's own machine via VPN
	LeakRate     float64  // chance per working day of a session from the real location without VPN
	Machine      *Device
	PayChange    int // days after hire when payouts move to a cell account; -1 = never
	PayTo        payAccount
	StartMule    bool    // first payouts go to the cell's mule account
	ReferredBy   *Person // cell member credited with the referral
	ReuseContact bool    // the applicant record reuses a cell contact
	BulkClone    bool    // clones many repositories at once some weeks after hire (set by Config.Shape; otherwise by chance)
}

// payAccount is a payout destination.
type payAccount struct {
	Key, Method, Country, Payee string
}

var realLocations = []string{"Shenyang", "Dandong", "Yanji", "Vladivostok"}
var farmCities = []string{"Litchfield Park", "Hillsboro", "Bowie", "Sugar Land", "Nashville", "Edison", "Atlanta", "Houston", "Baltimore"}
var forwarderCities = []string{"Miami", "Portland", "Las Vegas", "Houston"}
var entityWords = [][]string{{"Apex", "Brightpath", "Crestline", "Vertex", "Bluewave", "Skybridge", "Novatech", "Primeline"}, {"Global", "Digital", "Tech", "Software", "IT"}, {"Solutions", "Services", "Consulting", "Partners", "Group"}}

// makeCells builds each cell's infrastructure and its hired members.
func (o *Org) makeCells() {
	emails := map[string]bool{}
	for _, p := range o.People {
		emails[p.WorkEmail], emails[p.PersonalEmail] = true, true
	}
	var all []*Person
	for _, c := range o.Cells {
		all = append(all, c.Members...)
	}
	r := newRand(o.cfg.Seed, streamOperatives, 0, 0)
	nCareful := int(math.Round(float64(len(all)) * 0.25))
	if nCareful == 0 && len(all) >= 4 {
		nCareful = 1
	}
	for i, j := range r.Perm(len(all)) {
		if i < nCareful {
			all[j].Op.Careful = true
		}
	}
	for ci, c := range o.Cells {
		cr := newRand(o.cfg.Seed, streamOperatives, 1, uint64(ci))
		o.buildCellInfra(cr, c)
		for mi, p := range c.Members {
			mr := newRand(o.cfg.Seed, streamOperatives, 2, uint64(p.Index))
			o.fillOperative(mr, p, c, mi, emails, ci)
		}
		settleMule(c)
	}
}

// buildCellInfra draws a cell's shared infrastructure.
func (o *Org) buildCellInfra(r *rand.Rand, c *Cell) {
	c.Real = placeByCity(pick(r, realLocations), "")
	farm := placeByCity(pick(r, farmCities), "US")
	c.Farm = newAddress(r, farm)
	c.Farm.Street = fmt.Sprintf("%d %s %s", between(r, 100, 9899), pick(r, usStreets), pick(r, usSuffixes)) // a house, no apartment
	isp := ispByKey(pick(r, farm.ISPs))
	c.FarmNet = newEgress(r, o.ips.fresh(r, isp), isp, farm)
	fw := placeByCity(pick(r, forwarderCities), "US")
	c.Forwarder = newAddress(r, fw)
	c.Forwarder.Street = fmt.Sprintf("%d %s %s Ste %d PMB %d", between(r, 1000, 9800), pick(r, usStreets), pick(r, []string{"Blvd", "Ave", "Pkwy"}), between(r, 100, 240), between(r, 1000, 9999))
	for range between(r, 3, 5) {
		h := ispByKey(pick(r, []string{"vultr", "digitalocean", "ovh", "m247", "leaseweb", "datacamp"}))
		pl := placeByCity(pick(r, vpnExitCities), "US")
		if h.Country == "NL" {
			pl = placeByCity("Amsterdam", "NL")
		}
		e := newEgress(r, o.ips.fresh(r, h), h, pl)
		e.Proxy = chance(r, 0.75)
		c.VPN = append(c.VPN, e)
	}
	for range between(r, 1, 2) {
		c.Phones = append(c.Phones, newPhone(r))
	}
	for range between(r, 1, 3) {
		c.Machines = append(c.Machines, &Device{Platform: "WINDOWS", Browser: "chrome", Fingerprint: randHex(r, 16)})
	}
	for i := range between(r, 1, 2) {
		switch r.IntN(3) {
		case 0:
			c.Foreign = append(c.Foreign, payAccount{Key: fmt.Sprintf("%s-bank-%d", c.ID, i), Method: "bank", Country: pick(r, []string{"CN", "HK", "AE", "SG"})})
		case 1:
			c.Foreign = append(c.Foreign, payAccount{Key: fmt.Sprintf("%s-payoneer-%d", c.ID, i), Method: "payoneer", Country: "US"})
		default:
			c.Foreign = append(c.Foreign, payAccount{Key: fmt.Sprintf("%s-crypto-%d", c.ID, i), Method: "crypto"})
		}
	}
	c.Entity = fmt.Sprintf("%s %s %s LLC", pick(r, entityWords[0]), pick(r, entityWords[1]), pick(r, entityWords[2]))
	c.Mule = payAccount{Key: c.ID + "-mule", Method: "bank", Country: "US"}
	c.Contacts.Primary = r.IntN(3)
	for range 2 {
		pl := usPlaces[r.IntN(len(usPlaces))]
		c.Contacts.Phones = append(c.Contacts.Phones, phoneNumber(r, pl))
		h := handle(r)
		c.Contacts.Handles = append(c.Contacts.Handles, h)
		c.Contacts.Websites = append(c.Contacts.Websites, fmt.Sprintf("https://%s.github.io", h))
		c.Contacts.Emails = append(c.Contacts.Emails, fmt.Sprintf("%s.dev%d@%s", h, between(r, 1, 99), pick(r, []string{"gmail.com", "outlook.com", "proton.me"})))
	}
}

// handle draws a developer handle that is not a person's name.
func handle(r *rand.Rand) string {
	a := []string{"code", "dev", "byte", "stack", "cloud", "pixel", "swift", "rust", "node", "data", "logic", "quantum"}
	b := []string{"smith", "wizard", "ninja", "master", "crafter", "hunter", "rider", "pilot", "maker", "sage"}
	return fmt.Sprintf("%s%s%d", pick(r, a), pick(r, b), between(r, 7, 999))
}

// fillOperative gives a hired operative a persona and a way of working.
func (o *Org) fillOperative(r *rand.Rand, p *Person, c *Cell, mi int, emails map[string]bool, ci int) {
	op := p.Op
	p.Given, p.Family = pick(r, givenNames), pick(r, familyNames)
	ps, w := homePlaces(usPlaces, "US")
	place := ps[pickWeighted(r, w)]
	p.Home = newAddress(r, place)
	p.TZ, p.Locale = place.TZ, "en-US"
	p.Phone = phoneNumber(r, place)
	p.WorkEmail = uniqueEmail(emails, workLocal(p.Given, p.Family), companyDomain)
	p.PersonalEmail = personalEmail(r, emails, p.Given, p.Family)
	dept := departments[0]
	if chance(r, 0.15) {
		dept = departments[3] // Data
	}
	p.Department, p.CostCenter = dept.Name, dept.CostCenter
	p.Title = pick(r, operativeTitles)
	p.Organization = companyName
	if chance(r, 0.4) {
		p.Contractor = true
		if chance(r, 0.5) {
			p.Organization = pick(r, staffingFirms).Name
		} else {
			p.Organization = c.Entity
		}
	}
	o.fillAccountIDs(r, p)
	p.Laptop = newLaptop(r, p, p.Department)
	p.Manager = o.engineeringManager(r)
	op.Machine = pick(r, c.Machines)
	op.PayChange = -1

	if op.Careful {
		o.fillCareful(r, p, c, mi)
	} else {
		switch x := r.Float64(); {
		case x < 0.65:
			op.LaptopAt = "farm"
		case x < 0.85:
			op.LaptopAt = "forwarder"
		default:
			op.LaptopAt = "home"
		}
		op.ForeignHours = chance(r, 0.85)
		if chance(r, 0.85) {
			op.VPNShare = 0.3 + r.Float64()*0.4
		}
		if chance(r, 0.4) {
			op.LeakRate = 0.03 + r.Float64()*0.05
		}
		p.MFAPhone = newPhone(r)
		if chance(r, 0.7) {
			p.MFAPhone = pick(r, c.Phones)
		}
		if chance(r, 0.8) {
			op.PayChange = between(r, 14, 50)
			op.PayTo = pick(r, c.Foreign)
		}
		op.StartMule = op.StartMule || chance(r, 0.5) || mi == 0
		if mi > 0 && chance(r, 0.4) {
			op.ReferredBy = c.Members[r.IntN(mi)]
		}
		op.ReuseContact = chance(r, 0.7)
	}
	if o.cfg.Shape != nil {
		o.cfg.Shape(ci, p)
	}
	if op.LaptopAt == "home" {
		isp := ispByKey(pick(r, p.Home.Place.ISPs))
		op.OwnNet = newEgress(r, o.ips.fresh(r, isp), isp, p.Home.Place)
	}
	p.homeNet = []netSpan{{0, o.laptopEgress(r, p)}}
	p.plan.startMean = normal(r, 9, 0.5, 8, 10.5)
	p.plan.pwChange = -1
}

// careful tells: the ones a careful operative may show, one or two of them.
var carefulTells = []string{"ONB-02", "PAY-01", "APP-01", "APP-14", "IAM-02"}

// fillCareful sets up an operative who works local hours from a single
// residential line at the claimed home and shows only one or two tells.
func (o *Org) fillCareful(r *rand.Rand, p *Person, c *Cell, mi int) {
	op := p.Op
	op.LaptopAt = "home"
	p.MFAPhone = newPhone(r)
	n := 1
	if chance(r, 0.4) {
		n = 2
	}
	for _, i := range r.Perm(len(carefulTells)) {
		t := carefulTells[i]
		if len(op.Intended) == n {
			break
		}
		if t == "APP-14" && mi == 0 {
			continue
		}
		op.Intended = append(op.Intended, t)
	}
	for _, t := range op.Intended {
		switch t {
		case "ONB-02": // the claimed home is the farm itself
			p.Home = c.Farm
			p.TZ = c.Farm.Place.TZ
			op.LaptopAt = "farm"
		case "PAY-01":
			op.StartMule = true
			p.Organization = companyName
		case "APP-01":
			op.ReuseContact = true
		case "APP-14":
			op.ReferredBy = c.Members[r.IntN(mi)]
		case "IAM-02":
			p.MFAPhone = pick(r, c.Phones)
		}
	}
}

// paidToMule reports whether p's first payouts go to the cell's mule
// account (contractors of a staffing firm or of the cell's company are
// paid through that company instead).
func paidToMule(p *Person) bool {
	_, firm := staffingFirmByName(p.Organization)
	return p.Op.StartMule && !firm && p.Organization != p.Op.Cell.Entity
}

// settleMule makes sure a mule account, once used, is used by two members
// at least (preferably not careful ones), as a shared account is what it is.
func settleMule(c *Cell) {
	var users []*Person
	for _, m := range c.Members {
		if paidToMule(m) {
			users = append(users, m)
		}
	}
	if len(users) != 1 {
		return
	}
	var other *Person
	for _, m := range c.Members {
		if m != users[0] && (other == nil || other.Op.Careful && !m.Op.Careful) {
			other = m
		}
	}
	if other == nil {
		return
	}
	other.Op.StartMule = true
	if !paidToMule(other) {
		other.Organization = companyName
	}
}

// laptopEgress is where the operative's company laptop signs in from.
func (o *Org) laptopEgress(r *rand.Rand, p *Person) *Egress {
	switch p.Op.LaptopAt {
	case "farm":
		return p.Op.Cell.FarmNet
	case "home":
		return p.Op.OwnNet
	}
	return p.Op.Cell.VPN[r.IntN(len(p.Op.Cell.VPN))] // forwarded abroad, reached over VPN
}

// engineeringManager picks an engineering manager to report to.
func (o *Org) engineeringManager(r *rand.Rand) *Person {
	var ms []*Person
	for _, p := range o.People {
		if p.Op == nil && p.Department == "Engineering" && slices.Contains(departments[0].Leads, p.Title) {
			ms = append(ms, p)
		}
	}
	if len(ms) == 0 {
		return o.People[0]
	}
	return pick(r, ms)
}

// operativeLoc is the time zone whose hours an operative keeps.
func (p *Person) scheduleLoc() *time.Location {
	if p.Op != nil && p.Op.ForeignHours {
		return p.Op.Cell.Real.Loc()
	}
	return p.Loc()
}
