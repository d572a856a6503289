package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Fractions of the legitimate roster with given traits.
const (
	shareAbroad     = 0.08 // resident outside the US
	shareContractor = 0.06 // US contractors (half of them through staffing firms)
	shareNewHires   = 0.04 // started inside the simulated window
	shareTerminated = 0.02 // left inside the window
)

// makeRoster creates every employee: legitimate staff and the hired
// operatives, ordered by hire date and numbered in that order, as HR
// systems number people.
func (o *Org) makeRoster() {
	r := newRand(o.cfg.Seed, streamPeople, 0, 0)
	nOps := o.cfg.Operatives
	nLegit := o.cfg.People - nOps

	var people []*Person
	for range nLegit {
		people = append(people, &Person{Hired: o.legitHireDate(r)})
	}
	// Operatives: cells of 2–6, hired one after another (the first member
	// often refers the next).
	for ci, size := range cellSizes(r, nOps) {
		cell := &Cell{ID: fmt.Sprintf("cell-%d", ci+1)}
		o.Cells = append(o.Cells, cell)
		t := o.end.AddDate(0, 0, -between(r, 75, 300))
		for range size {
			if t.After(o.end.AddDate(0, 0, -6)) {
				t = o.end.AddDate(0, 0, -between(r, 6, 20))
			}
			p := &Person{Hired: nextMonday(t), Op: &Operative{Cell: cell}}
			cell.Members = append(cell.Members, p)
			people = append(people, p)
			t = t.AddDate(0, 0, between(r, 8, 55))
		}
	}
	// Order by hire date; ties in a random but seeded order.
	r.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
	slices.SortStableFunc(people, func(a, b *Person) int { return a.Hired.Compare(b.Hired) })
	emails := map[string]bool{}
	for i, p := range people {
		p.Index = i
		p.EmployeeNumber = fmt.Sprintf("E%05d", 10001+i)
	}
	o.People = people

	// Legitimate staff get their attributes now; operatives in makeCells.
	officeN := officeSize(nLegit)
	abroadN := int(math.Round(float64(nLegit) * shareAbroad))
	legit := make([]*Person, 0, nLegit)
	for _, p := range people {
		if p.Op == nil {
			legit = append(legit, p)
		}
	}
	// Who lives where is decided up front so that the office is staffed.
	roles := make([]string, len(legit))
	for i := range roles {
		switch {
		case i < officeN:
			roles[i] = "office"
		case i < officeN+abroadN:
			roles[i] = "abroad"
		default:
			roles[i] = "us"
		}
	}
	r.Shuffle(len(roles), func(i, j int) { roles[i], roles[j] = roles[j], roles[i] })
	pr := newReseeder()
	for i, p := range legit {
		rr := pr.at(o.cfg.Seed, streamPeople, 1, uint64(p.Index))
		o.fillLegit(rr, p, roles[i], emails)
	}
	o.assignManagers(r)
	o.terminate(r, legit)
}

// legitHireDate draws a hire date: a few inside the window, the rest with
// an exponential tenure since the company was founded.
func (o *Org) legitHireDate(r *rand.Rand) time.Time {
	if chance(r, shareNewHires) {
		return nextMonday(o.start.AddDate(0, 0, r.IntN(max(1, o.cfg.Days-10))))
	}
	founded := time.Date(foundedYear, 3, 1, 0, 0, 0, 0, time.UTC)
	for {
		days := int(r.ExpFloat64() * 900)
		t := o.start.AddDate(0, 0, -days-1)
		if t.After(founded) {
			return nextMonday(t)
		}
	}
}

// nextMonday returns the first Monday on or after t's date (new hires
// start on Mondays).
func nextMonday(t time.Time) time.Time {
	y, m, d := t.Date()
	t = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	for t.Weekday() != time.Monday {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// officeSize is the number of staff who work from the office (30–200).
func officeSize(nLegit int) int {
	n := nLegit / 10
	n = max(n, min(30, nLegit/4))
	return min(n, 200)
}

// cellSizes splits n operatives into cells of 2–6.
func cellSizes(r *rand.Rand, n int) []int {
	var out []int
	for n > 0 {
		if n <= 6 {
			out = append(out, n)
			break
		}
		s := between(r, 2, min(5, n-2))
		if chance(r, 0.2) {
			s = min(6, n-2)
		}
		out = append(out, s)
		n -= s
	}
	return out
}

// fillLegit gives a legitimate employee a name, home, job and devices.
func (o *Org) fillLegit(r *rand.Rand, p *Person, role string, emails map[string]bool) {
	p.Given, p.Family = pick(r, givenNames), pick(r, familyNames)
	var place *Place
	switch role {
	case "office":
		place = placeByCity("Chicago", "US")
		p.plan.office = true
	case "abroad":
		ps, w := homePlaces(worldPlaces, "")
		place = ps[pickWeighted(r, w)]
	default:
		ps, w := homePlaces(usPlaces, "US")
		place = ps[pickWeighted(r, w)]
	}
	p.Home = newAddress(r, place)
	p.TZ = place.TZ
	p.Locale = countries[place.Country].Locale
	p.Phone = phoneNumber(r, place)
	p.WorkEmail = uniqueEmail(emails, workLocal(p.Given, p.Family), companyDomain)
	p.PersonalEmail = personalEmail(r, emails, p.Given, p.Family)
	d := departments[pickWeighted(r, deptWeights())]
	p.Department, p.CostCenter, p.Title = d.Name, d.CostCenter, pick(r, d.Titles)
	p.Organization = companyName
	if place.Country != "US" {
		// Staff abroad are contractors or employed through an employer of record.
		if chance(r, 0.6) {
			p.Contractor = true
		} else {
			p.Organization = eorOrganization
		}
	} else if chance(r, shareContractor) {
		p.Contractor = true
	}
	o.fillAccountIDs(r, p)
	p.Laptop = newLaptop(r, p, d.Name)
	p.MFAPhone = newPhone(r)
	isp := ispByKey(pick(r, place.ISPs))
	p.homeNet = []netSpan{{0, newEgress(r, o.ips.fresh(r, isp), isp, place)}}
	if chance(r, 0.25) { // the ISP renumbers the line once in the window
		p.homeNet = append(p.homeNet, netSpan{between(r, 1, o.cfg.Days-1), newEgress(r, o.ips.fresh(r, isp), isp, place)})
	}
	p.plan.defaults(r)
}

// fillAccountIDs sets the ids and roster timestamps every employee has.
func (o *Org) fillAccountIDs(r *rand.Rand, p *Person) {
	p.SCIMID = uuid4(r)
	p.ExternalID = fmt.Sprintf("WD%06d", 300000+p.Index*3+r.IntN(3))
	p.OktaID = "00u" + randBase62(r, 14) + "697"
	loc := p.Loc()
	y, m, d := p.Hired.Date()
	p.Hired = time.Date(y, m, d, 0, 0, 0, 0, loc).UTC()
	p.Created = time.Date(y, m, d, 7, between(r, 0, 89), between(r, 0, 59), 0, loc).UTC().Add(time.Duration(r.IntN(1000)) * time.Millisecond)
	p.Modified = p.Created
	if upd := o.end.AddDate(0, 0, -between(r, 0, 500)).Add(time.Duration(r.IntN(86400)) * time.Second); upd.After(p.Created) {
		p.Modified = upd
	}
}

func deptWeights() []int {
	w := make([]int, len(departments))
	for i, d := range departments {
		w[i] = d.Weight
	}
	return w
}

// newAddress draws a street address in place p.
func newAddress(r *rand.Rand, p *Place) Address {
	return Address{Street: streetAddress(r, p), City: p.City, Region: p.RegionCode, Postal: p.PostalCode(r), Country: p.Country, Place: p}
}

// newLaptop draws the company laptop of a person.
func newLaptop(r *rand.Rand, p *Person, dept string) *Device {
	i := r.IntN(len(laptopModels))
	if dept == "Engineering" || dept == "Design" || dept == "Data" {
		i = r.IntN(4) // mostly Macs
	}
	return newLaptopOf(r, p, i)
}

// newLaptopOf draws a laptop of model laptopModels[i].
func newLaptopOf(r *rand.Rand, p *Person, i int) *Device {
	m := laptopModels[i]
	dev := &Device{ID: "guo" + randBase62(r, 13) + "1d7", Platform: m.Platform, OSVersion: m.OSVersion,
		Managed: true, Registered: true, Fingerprint: randHex(r, 16)}
	switch m.Kind {
	case "mac":
		dev.Name, dev.Serial, dev.Model, dev.Browser = m.Name, randUpperAlnum(r, 10), "Apple MacBook Pro", pick(r, []string{"chrome", "chrome", "safari", "firefox"})
	case "dell":
		dev.Serial, dev.Model, dev.Browser = randUpperAlnum(r, 7), "Dell "+m.Name, "chrome"
	default:
		dev.Serial, dev.Model, dev.Browser = "PF"+randUpperAlnum(r, 6), "Lenovo "+m.Name, "chrome"
	}
	dev.AssetTag = fmt.Sprintf("KS-%05d", 1000+p.Index)
	if dev.Platform == "WINDOWS" {
		dev.Name = fmt.Sprintf("KS-LT-%05d", 1000+p.Index)
	}
	return dev
}

// newPhone draws a personal phone enrolled in Okta Verify.
func newPhone(r *rand.Rand) *Device {
	m := pick(r, phoneModels[:])
	b := "safari"
	if m.Platform == "ANDROID" {
		b = "chrome"
	}
	return &Device{ID: "guo" + randBase62(r, 13) + "1d7", Name: m.Name, Platform: m.Platform, OSVersion: m.OSVersion,
		Registered: true, Mobile: true, Browser: b, Fingerprint: randHex(r, 16)}
}

// newPersonalComputer draws an unmanaged home computer.
func newPersonalComputer(r *rand.Rand) *Device {
	if chance(r, 0.6) {
		return &Device{Platform: "WINDOWS", Browser: "chrome", Fingerprint: randHex(r, 16)}
	}
	return &Device{Platform: "OSX", Browser: pick(r, []string{"chrome", "safari"}), Fingerprint: randHex(r, 16)}
}

// assignManagers builds the reporting lines: the first hire is the CEO,
// the earliest hire of each department leads it, about one in eight of the
// rest manage a team.
func (o *Org) assignManagers(r *rand.Rand) {
	var ceo *Person
	byDept := map[string][]*Person{}
	for _, p := range o.People {
		if p.Op != nil {
			continue
		}
		if ceo == nil {
			ceo = p
			p.Title, p.Department, p.CostCenter, p.Contractor, p.Organization = "Chief Executive Officer", "Executive", "CC-1000", false, companyName
			continue
		}
		byDept[p.Department] = append(byDept[p.Department], p)
	}
	for _, d := range departments {
		staff := byDept[d.Name]
		if len(staff) == 0 {
			continue
		}
		head := staff[0]
		head.Title, head.Contractor, head.Manager = d.Leads[len(d.Leads)-1], false, ceo
		if head.Home.Country != "US" {
			head.Organization = companyName
		}
		var managers []*Person
		managers = append(managers, head)
		for _, p := range staff[1:] {
			if len(managers) < 1+len(staff)/8 && !p.Contractor && p.Hired.Before(o.start) && chance(r, 0.3) {
				p.Title, p.Manager = d.Leads[0], head
				managers = append(managers, p)
				continue
			}
			p.Manager = pick(r, managers)
		}
	}
	o.admins = nil
	for _, p := range byDept["IT"] {
		if p.Home.Country == "US" && p.Hired.Before(o.start) {
			o.admins = append(o.admins, p)
		}
	}
	if len(o.admins) == 0 {
		o.admins = []*Person{ceo}
	}
}

// terminate marks a few people as having left inside the window.
func (o *Org) terminate(r *rand.Rand, legit []*Person) {
	n := int(math.Round(float64(len(legit)) * shareTerminated))
	for _, i := range r.Perm(len(legit)) {
		if n == 0 {
			break
		}
		p := legit[i]
		if p.Manager == nil || p.Title == "Chief Executive Officer" || !p.Hired.Before(o.start) || p.plan.office {
			continue
		}
		day := between(r, o.cfg.Days/4, o.cfg.Days-2)
		p.Terminated = o.midnight(day, p.Loc()).Add(17 * time.Hour).UTC()
		p.Modified = p.Terminated.Add(time.Duration(between(r, 60, 7200)) * time.Second)
		n--
	}
}

// eorOrganization is the roster organisation of staff employed abroad
// through an employer of record.
const eorOrganization = "Kestrel Systems via Deel"

// workLocal is the local part of a work email: "given.family", ASCII.
func workLocal(given, family string) string {
	return strings.ToLower(asciiFold(strings.ReplaceAll(given, " ", "")) + "." + asciiFold(squash.Replace(family)))
}

// uniqueEmail returns local@domain, adding a number when taken.
func uniqueEmail(taken map[string]bool, local, domain string) string {
	e := local + "@" + domain
	for n := 2; taken[e]; n++ {
		e = fmt.Sprintf("%s%d@%s", local, n, domain)
	}
	taken[e] = true
	return e
}

var webmail = []string{"gmail.com", "gmail.com", "gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.com", "proton.me"}

// personalEmail draws a personal address in one of the usual shapes.
func personalEmail(r *rand.Rand, taken map[string]bool, given, family string) string {
	g := strings.ToLower(asciiFold(strings.ReplaceAll(given, " ", "")))
	f := strings.ToLower(asciiFold(squash.Replace(family)))
	var local string
	switch r.IntN(6) {
	case 0:
		local = g + "." + f
	case 1:
		local = fmt.Sprintf("%s%s%d", g, f, between(r, 70, 99))
	case 2:
		local = g[:1] + f
	case 3:
		local = g + "_" + f
	case 4:
		local = fmt.Sprintf("%s.%s%d", g, f, between(r, 1, 9))
	default:
		local = f + "." + g
	}
	return uniqueEmail(taken, local, pick(r, webmail))
}

// squash removes what cannot stay in an email local part or a slug.
var squash = strings.NewReplacer(" ", "", "'", "", "-", "")

var foldReplacer = strings.NewReplacer(
	"ą", "a", "ć", "c", "ę", "e", "ł", "l", "ń", "n", "ó", "o", "ś", "s", "ź", "z", "ż", "z",
	"ã", "a", "á", "a", "à", "a", "â", "a", "ä", "a", "é", "e", "è", "e", "ê", "e", "í", "i",
	"ó", "o", "ô", "o", "õ", "o", "ö", "o", "ú", "u", "ü", "u", "ç", "c", "ñ", "n", "ß", "ss",
	"Ł", "L", "Ś", "S", "Ż", "Z", "Ö", "O", "Ü", "U", "É", "E", "Í", "I", "Á", "A",
)

// asciiFold strips the diacritics that occur in the name pools.
func asciiFold(s string) string { return foldReplacer.Replace(s) }
