package sim

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Candidate is one applicant-tracking (Greenhouse) candidate record.
type Candidate struct {
	ID            int64
	Given, Family string
	Company       string
	Title         string
	Created       time.Time
	Updated       time.Time
	Emails        []Contact
	Phones        []Contact
	Addresses     []Contact
	Websites      []Contact
	Social        []string
	Tags          []string
	Apps          []*Application
	Recruiter     *GHUser
	Coordinator   *GHUser
	School        int // index in schools; -1 = none
	Degree        string
	Discipline    string
	GradYear      int
	Resume        bool

	Place      *Place  // where a never-hired candidate lives (the hired live at Employee.Home)
	Employee   *Person // the employee this candidate became; nil when never hired
	Cell       *Cell   // the cell this (never hired) persona belongs to
	Agency     *Agency
	Behaviours []string // hard-negative behaviours of a never-hired legitimate applicant
}

// ID in the report convention: the employee number when hired, else
// "cand-<id>".
func (c *Candidate) PersonID() string {
	if c.Employee != nil {
		return c.Employee.ID()
	}
	return fmt.Sprintf("cand-%d", c.ID)
}

// Contact is a typed value (email, phone, address, website).
type Contact struct {
	Value string `json:"value"`
	Type  string `json:"type"`
}

// Application is one application of a candidate to a job.
type Application struct {
	ID           int64
	Applied      time.Time
	LastActivity time.Time
	Rejected     time.Time // zero when not rejected
	Source       Source
	CreditedTo   *GHUser
	Job          *Job
	Status       string // active, rejected, hired
	Stage        string
	Prospect     bool
	Reason       string // rejection reason
}

// Source is a Greenhouse candidate source.
type Source struct {
	ID   int64
	Name string
}

// GHUser is a Greenhouse user (recruiters, and every employee who refers).
type GHUser struct {
	ID          int64
	First, Last string
	Employee    *Person
}

// Job is an open requisition.
type Job struct {
	ID   int64
	Name string
	Dept string
}

// Agency is a recruiting agency that submits candidates with its own
// contact details.
type Agency struct{ Name, Email, Phone string }

var (
	srcWebsite    = Source{2, "Jobs page on your website"}
	srcIndeed     = Source{7, "Indeed"}
	srcLinkedIn   = Source{9, "LinkedIn"}
	srcProspect   = Source{16, "LinkedIn (Prospecting)"}
	srcGlassdoor  = Source{25, "Glassdoor"}
	srcWellfound  = Source{30, "Wellfound"}
	srcReferral   = Source{13, "Referral"}
	srcAgency     = Source{21, "Agency"}
	openSources   = []Source{srcWebsite, srcIndeed, srcLinkedIn, srcProspect, srcGlassdoor, srcWellfound}
	sourceWeights = []int{30, 15, 25, 10, 5, 5}
)

var stages = []string{"Application Review", "Recruiter Screen", "Hiring Manager Screen", "Technical Interview", "Take Home Test", "Onsite", "Reference Check", "Offer"}
var rejectionReasons = []string{"Lacking skill(s)/qualification(s)", "Hired another candidate", "Not a culture add", "Compensation expectations", "Candidate withdrew", "Did not respond"}
var skillTags = []string{"Python", "Go", "React", "TypeScript", "Kubernetes", "AWS", "Java", "Rust", "SQL", "Terraform", "iOS", "Android"}

// makeCandidates builds the applicant-tracking records: one for most
// employees (hired application), personas of the cells, and many
// applicants who were never hired.
func (o *Org) makeCandidates() {
	r := newRand(o.cfg.Seed, streamCandidates, 0, 0)
	o.makeJobs(r)
	o.makeGHUsers(r)
	o.agencies = []*Agency{
		{"Harborline Talent Partners", "harborline.talent@gmail.com", phoneNumber(r, placeByCity("Chicago", "US"))},
		{"Ridgeway Tech Staffing", "ridgeway.techstaffing@outlook.com", phoneNumber(r, placeByCity("Dallas", "US"))},
		{"Summit Search Group", "submissions.summitsearch@gmail.com", phoneNumber(r, placeByCity("Atlanta", "US"))},
	}
	taken := map[string]bool{}
	for _, p := range o.People {
		taken[p.WorkEmail], taken[p.PersonalEmail] = true, true
	}
	var all []*Candidate
	adopted := time.Date(atsAdopted, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range o.People {
		if p.Op == nil && (p.Hired.Before(adopted) || p.Title == "Chief Executive Officer") {
			continue
		}
		cr := newRand(o.cfg.Seed, streamCandidates, 1, uint64(p.Index))
		all = append(all, o.hiredCandidate(cr, p))
	}
	for _, c := range o.Cells {
		cr := newRand(o.cfg.Seed, streamCandidates, 2, uint64(len(c.ID))<<32|uint64(fnv32(c.ID)))
		for range between(cr, 2, 3) { // two at least: reused identifiers link them
			all = append(all, o.persona(cr, c, taken))
		}
	}
	n := max(40, o.cfg.People*2)
	for i := range n {
		cr := newRand(o.cfg.Seed, streamCandidates, 3, uint64(i))
		all = append(all, o.applicant(cr, taken))
	}
	// Ids grow with creation time, as in Greenhouse.
	slices.SortStableFunc(all, func(a, b *Candidate) int { return a.Created.Compare(b.Created) })
	id := int64(41000000)
	for _, c := range all {
		id += int64(between(r, 3, 2400))
		c.ID = id
	}
	var apps []*Application
	for _, c := range all {
		apps = append(apps, c.Apps...)
	}
	slices.SortStableFunc(apps, func(a, b *Application) int { return a.Applied.Compare(b.Applied) })
	aid := int64(120000000)
	for _, a := range apps {
		aid += int64(between(r, 5, 4000))
		a.ID = aid
	}
	o.Candidates = all
	o.addContactTells()
}

func fnv32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

func (o *Org) makeJobs(r *rand.Rand) {
	id := int64(between(r, 140000, 160000))
	for _, d := range departments {
		for _, t := range d.Titles {
			id += int64(between(r, 7, 900))
			name := t
			if chance(r, 0.5) {
				name += " (Remote, US)"
			}
			o.jobs = append(o.jobs, &Job{ID: id, Name: name, Dept: d.Name})
		}
	}
}

// jobFor returns a requisition for a title (or one of the department).
func (o *Org) jobFor(r *rand.Rand, title, dept string) *Job {
	var same []*Job
	for _, j := range o.jobs {
		if strings.HasPrefix(j.Name, title) {
			return j
		}
		if j.Dept == dept {
			same = append(same, j)
		}
	}
	if len(same) > 0 {
		return pick(r, same)
	}
	return pick(r, o.jobs)
}

// makeGHUsers creates the Greenhouse users of the recruiting team.
func (o *Org) makeGHUsers(r *rand.Rand) {
	o.ghByPerson = map[*Person]*GHUser{}
	for _, p := range o.People {
		if p.Department == "People" && p.Op == nil {
			o.recruiters = append(o.recruiters, o.ghUser(p))
		}
	}
	if len(o.recruiters) == 0 {
		u := &GHUser{ID: int64(between(r, 90000, 99999)), First: "Greenhouse", Last: "Admin"}
		o.ghUsers = append(o.ghUsers, u)
		o.recruiters = append(o.recruiters, u)
	}
}

// ghUser returns the Greenhouse user of an employee, creating it.
func (o *Org) ghUser(p *Person) *GHUser {
	if u := o.ghByPerson[p]; u != nil {
		return u
	}
	u := &GHUser{ID: 160000 + int64(p.Index)*37 + int64(fnv32(p.EmployeeNumber)%29), First: p.Given, Last: p.Family, Employee: p}
	o.ghUsers = append(o.ghUsers, u)
	o.ghByPerson[p] = u
	return u
}

// recruiter picks a member of the recruiting team.
func (o *Org) recruiter(r *rand.Rand) *GHUser { return pick(r, o.recruiters) }

// hiredCandidate is the candidate record of an employee.
func (o *Org) hiredCandidate(r *rand.Rand, p *Person) *Candidate {
	applied := p.Hired.AddDate(0, 0, -between(r, 30, 80)).Add(time.Duration(r.IntN(86400000)) * time.Millisecond)
	c := &Candidate{Given: p.Given, Family: p.Family, Created: applied, Employee: p,
		Company: pick(r, previousEmployers), Title: p.Title, Recruiter: o.recruiter(r), School: -1, Resume: chance(r, 0.92)}
	c.Emails = []Contact{{p.PersonalEmail, "personal"}}
	c.Phones = []Contact{{p.Phone, "mobile"}}
	c.Addresses = []Contact{{oneLineFree(p.Home), "home"}}
	if chance(r, 0.15) { // some leave out the email, HR still matches on the phone
		c.Emails = nil
	}
	if rl := p.plan.relocation; rl != nil {
		c.Addresses = []Contact{{oneLineFree(rl.from), "home"}}
	}
	o.addProfile(r, c)
	src, credited := pickWeightedSource(r), c.Recruiter
	switch {
	case p.Op != nil && p.Op.ReferredBy != nil:
		src, credited = srcReferral, o.ghUser(p.Op.ReferredBy)
	case p.Op == nil && chance(r, 0.12):
		if ref := o.referrer(r, applied, p); ref != nil {
			src, credited = srcReferral, o.ghUser(ref)
			p.addBehaviour(BehaviourReferred)
		}
	case p.Op == nil && chance(r, 0.05):
		ag := pick(r, o.agencies)
		c.Agency, src = ag, srcAgency
		c.Emails = append([]Contact{{ag.Email, "work"}}, c.Emails...)
		c.Phones = append([]Contact{{ag.Phone, "work"}}, c.Phones...)
		c.Tags = append(c.Tags, "Agency: "+ag.Name)
		p.addBehaviour(BehaviourAgency)
	}
	o.nameVariant(p, c)
	o.gmailVariant(p, c)
	if p.Op != nil && p.Op.ReuseContact {
		o.reuseContacts(r, c, p.Op.Cell, p)
	}
	offer := p.Hired.AddDate(0, 0, -between(r, 10, 25)).Add(time.Duration(r.IntN(36000000)) * time.Millisecond)
	c.Apps = append(c.Apps, &Application{Applied: applied, LastActivity: offer, Source: src, CreditedTo: credited,
		Job: o.jobFor(r, p.Title, p.Department), Status: "hired", Stage: "Offer"})
	if p.Op != nil && p.Op.Cell != nil && !p.Op.Careful {
		// Application spraying: the same persona applies to other openings.
		for range between(r, 1, 4) {
			o.addApp(r, c, applied.Add(-time.Duration(between(r, 1, 30*24))*time.Hour), pick(r, operativeTitles), "Engineering")
		}
	}
	c.Updated = c.Created
	for _, a := range c.Apps {
		if a.LastActivity.After(c.Updated) {
			c.Updated = a.LastActivity
		}
	}
	p.Candidate = c
	return c
}

// referrer picks an employee who could have referred someone applying at t.
func (o *Org) referrer(r *rand.Rand, t time.Time, p *Person) *Person {
	for range 8 {
		q := o.People[r.IntN(len(o.People))]
		if q != p && q.Op == nil && q.Hired.Before(t) && q.employed(t) {
			return q
		}
	}
	return nil
}

func pickWeightedSource(r *rand.Rand) Source { return openSources[pickWeighted(r, sourceWeights)] }

// addProfile adds a school, skills, website and social profile.
func (o *Org) addProfile(r *rand.Rand, c *Candidate) {
	if chance(r, 0.7) {
		c.School = r.IntN(len(schools))
		c.Degree, c.Discipline = pick(r, degrees), pick(r, disciplines)
		c.GradYear = between(r, 2004, 2023)
	}
	if chance(r, 0.5) {
		c.Tags = append(c.Tags, pick(r, skillTags))
	}
	slug := strings.ToLower(asciiFold(strings.ReplaceAll(c.Given, " ", "") + "-" + squash.Replace(c.Family)))
	if chance(r, 0.6) {
		c.Social = append(c.Social, fmt.Sprintf("https://www.linkedin.com/in/%s-%s", slug, randHex(r, 4)))
	}
	if chance(r, 0.35) {
		c.Websites = append(c.Websites, Contact{fmt.Sprintf("https://github.com/%s%d", strings.ReplaceAll(slug, "-", ""), between(r, 1, 99)), "portfolio"})
	}
}

// addApp adds an application that did not lead to a hire.
func (o *Org) addApp(r *rand.Rand, c *Candidate, applied time.Time, title, dept string) {
	a := &Application{Applied: applied, Source: pickWeightedSource(r), CreditedTo: c.Recruiter, Job: o.jobFor(r, title, dept)}
	if c.Agency != nil {
		a.Source = srcAgency
	}
	a.Prospect = a.Source == srcProspect && chance(r, 0.5)
	stage := between(r, 0, 5)
	a.LastActivity = applied.Add(time.Duration(between(r, 1, 24*(stage+1)*4))*time.Hour + time.Duration(r.IntN(3600000))*time.Millisecond)
	if a.LastActivity.Before(o.end.AddDate(0, 0, -30)) || chance(r, 0.7) {
		a.Status, a.Rejected, a.Reason = "rejected", a.LastActivity, pick(r, rejectionReasons)
	} else {
		a.Status = "active"
	}
	if a.LastActivity.After(o.end) {
		a.LastActivity = o.end.Add(-time.Duration(r.IntN(86400)) * time.Second)
		if !a.Rejected.IsZero() {
			a.Rejected = a.LastActivity
		}
	}
	a.Stage = stages[stage]
	c.Apps = append(c.Apps, a)
}

// reuseContacts puts one or two of the cell's shared identifiers on a
// candidate record (and, for a phone, on the employee's roster record).
func (o *Org) reuseContacts(r *rand.Rand, c *Candidate, cell *Cell, p *Person) {
	// Every reusing record carries the cell's primary identifier; some
	// also a second kind, the main or the spare value.
	ways := []int{cell.Contacts.Primary}
	if chance(r, 0.4) {
		ways = append(ways, (cell.Contacts.Primary+1+r.IntN(2))%3)
	}
	for i, w := range ways {
		k := 0
		if i > 0 && chance(r, 0.4) {
			k = 1
		}
		switch w {
		case 0:
			c.Websites = append(c.Websites, Contact{cell.Contacts.Websites[k], "portfolio"}, Contact{"https://github.com/" + cell.Contacts.Handles[k], "personal"})
		case 1:
			c.Phones = []Contact{{cell.Contacts.Phones[k], "mobile"}}
			if p != nil {
				p.Phone = cell.Contacts.Phones[k]
			}
		default:
			c.Emails = append(c.Emails, Contact{cell.Contacts.Emails[k], "other"})
		}
	}
}

// persona is an applicant persona of a cell that was never hired.
func (o *Org) persona(r *rand.Rand, cell *Cell, taken map[string]bool) *Candidate {
	c := &Candidate{Given: pick(r, givenNames), Family: pick(r, familyNames), Cell: cell, School: -1,
		Company: pick(r, previousEmployers), Title: pick(r, operativeTitles), Resume: true}
	c.Created = o.end.AddDate(0, 0, -between(r, 20, 330)).Add(time.Duration(r.IntN(86400000)) * time.Millisecond)
	c.Recruiter = o.recruiter(r)
	ps, w := homePlaces(usPlaces, "US")
	pl := ps[pickWeighted(r, w)]
	c.Emails = []Contact{{personalEmail(r, taken, c.Given, c.Family), "personal"}}
	c.Phones = []Contact{{phoneNumber(r, pl), "mobile"}}
	c.Addresses = []Contact{{oneLineFree(newAddress(r, pl)), "home"}}
	c.Place = pl
	o.addProfile(r, c)
	o.reuseContacts(r, c, cell, nil)
	for i := range between(r, 2, 6) {
		o.addApp(r, c, c.Created.Add(time.Duration(i*between(r, 1, 96))*time.Hour), pick(r, operativeTitles), "Engineering")
	}
	// A member already inside refers the persona now and then.
	if chance(r, 0.3) {
		var inside []*Person
		for _, m := range cell.Members {
			if m.Hired.Before(c.Created) {
				inside = append(inside, m)
			}
		}
		if len(inside) > 0 {
			c.Apps[0].Source, c.Apps[0].CreditedTo = srcReferral, o.ghUser(pick(r, inside))
		}
	}
	c.Updated = lastActivity(c)
	cell.Personas = append(cell.Personas, c)
	return c
}

// applicant is an ordinary applicant who was never hired.
func (o *Org) applicant(r *rand.Rand, taken map[string]bool) *Candidate {
	c := &Candidate{Given: pick(r, givenNames), Family: pick(r, familyNames), School: -1, Resume: chance(r, 0.9)}
	days := int(r.ExpFloat64() * 200)
	c.Created = o.end.AddDate(0, 0, -min(days, 700)-1).Add(time.Duration(r.IntN(86400000)) * time.Millisecond)
	c.Recruiter = o.recruiter(r)
	var pl *Place
	if chance(r, 0.8) {
		ps, w := homePlaces(usPlaces, "US")
		pl = ps[pickWeighted(r, w)]
	} else {
		ps, w := homePlaces(worldPlaces, "")
		pl = ps[pickWeighted(r, w)]
	}
	c.Place = pl
	d := departments[pickWeighted(r, deptWeights())]
	title := pick(r, d.Titles)
	c.Company, c.Title = pick(r, previousEmployers), title
	c.Emails = []Contact{{personalEmail(r, taken, c.Given, c.Family), "personal"}}
	c.Phones = []Contact{{phoneNumber(r, pl), "mobile"}}
	if chance(r, 0.7) {
		c.Addresses = []Contact{{oneLineFree(newAddress(r, pl)), "home"}}
	}
	o.addProfile(r, c)
	switch {
	case chance(r, 0.06):
		ag := pick(r, o.agencies)
		c.Agency = ag
		c.Emails = []Contact{{ag.Email, "work"}}
		if chance(r, 0.5) {
			c.Emails = append(c.Emails, Contact{personalEmail(r, taken, c.Given, c.Family), "personal"})
		}
		c.Phones = []Contact{{ag.Phone, "work"}}
		c.Tags = append(c.Tags, "Agency: "+ag.Name)
		c.Behaviours = append(c.Behaviours, BehaviourAgency)
	}
	for i := range between(r, 1, 2) {
		o.addApp(r, c, c.Created.Add(time.Duration(i*between(r, 24, 24*40))*time.Hour), title, d.Name)
	}
	if chance(r, 0.05) {
		if ref := o.referrer(r, c.Created, nil); ref != nil {
			c.Apps[0].Source, c.Apps[0].CreditedTo = srcReferral, o.ghUser(ref)
			c.Behaviours = append(c.Behaviours, BehaviourReferred)
		}
	}
	c.Updated = lastActivity(c)
	return c
}

func lastActivity(c *Candidate) time.Time {
	t := c.Created
	for _, a := range c.Apps {
		if a.LastActivity.After(t) {
			t = a.LastActivity
		}
	}
	return t
}

// oneLineFree renders an address the way candidates type it into
// Greenhouse's free-text field.
func oneLineFree(a Address) string {
	return fmt.Sprintf("%s\n%s, %s %s", a.Street, a.City, a.Region, a.Postal)
}
