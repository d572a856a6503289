package link

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// SynthOptions shape a synthetic applicant population (Synthesize).
type SynthOptions struct {
	Records int    // records to write
	Seed    uint64 // the same seed gives the same records
	// DuplicateShare is the share of people who apply more than once (one
	// to three extra records, each with typos, nicknames,
	// transliterations, reformatted contacts or a new address).
	DuplicateShare float64
	// AgencyShare is the share of records submitted by recruiting
	// agencies, which give their own switchboard as the phone; AgencySize
	// applicants share one agency.
	AgencyShare float64
	AgencySize  int
	// Facilitators is the number of facilitator rings; each runs
	// RingSize personas with their own names, but rotating two phones,
	// one payout account and one résumé template.
	Facilitators, RingSize int
	// ResumeShare is the share of people whose records carry résumé text.
	ResumeShare float64
}

// DefaultSynthOptions returns a population of n records shaped like a
// staffing platform's applicant pool.
func DefaultSynthOptions(n int) SynthOptions {
	return SynthOptions{
		Records: n, Seed: 1, DuplicateShare: 0.25, AgencyShare: 0.05, AgencySize: 500,
		Facilitators: max(1, n/20_000), RingSize: 10, ResumeShare: 0.05,
	}
}

// SynthTruth says who is who in a synthetic population: Person[i] is the
// person record i belongs to (duplicates share it), Ring[i] the
// facilitator ring of a persona (-1 for everybody else).
type SynthTruth struct {
	Person []int32
	Ring   []int32
}

// Synthesize writes a synthetic applicant population with its truth.
func Synthesize(opt SynthOptions) ([]Record, SynthTruth) {
	g := &synth{rng: rand.New(rand.NewPCG(opt.Seed, 0x73796e7468)), opt: opt, taken: map[string]bool{}}
	recs := make([]Record, 0, opt.Records)
	truth := SynthTruth{Person: make([]int32, 0, opt.Records), Ring: make([]int32, 0, opt.Records)}
	person := int32(0)
	emit := func(r Record, ring int32) {
		r.ID = "A" + strconv.Itoa(len(recs)+1)
		recs = append(recs, r)
		truth.Person = append(truth.Person, person)
		truth.Ring = append(truth.Ring, ring)
	}
	ringsLeft := opt.Facilitators
	agencies := max(1, int(float64(opt.Records)*opt.AgencyShare)/max(opt.AgencySize, 1))
	agencyPhones := make([]string, agencies)
	for i := range agencyPhones {
		agencyPhones[i] = g.phone()
	}
	for len(recs) < opt.Records {
		// Rings are spread evenly through the records.
		if ringsLeft > 0 && len(recs) >= (opt.Facilitators-ringsLeft)*opt.Records/opt.Facilitators+opt.Records/(2*opt.Facilitators) {
			ringsLeft--
			ring := int32(opt.Facilitators - ringsLeft - 1)
			phones := []string{g.phone(), g.phone()}
			payout := fmt.Sprintf("acct-%016x", g.rng.Uint64())
			template := g.resume()
			for k := range opt.RingSize {
				if len(recs) >= opt.Records {
					break
				}
				r := g.person()
				r.Phones = []string{phones[k%2]}
				r.Payouts = []string{payout}
				r.Resume = strings.Replace(template, "Summary", r.GivenName+" "+r.FamilyName+"\nSummary", 1)
				emit(r, ring)
				person++
			}
			continue
		}
		r := g.person()
		if g.rng.Float64() < opt.AgencyShare {
			r.Phones = []string{agencyPhones[g.rng.IntN(agencies)]}
		}
		if g.rng.Float64() < opt.ResumeShare {
			r.Resume = g.resume()
		}
		emit(r, -1)
		if g.rng.Float64() < opt.DuplicateShare {
			for range 1 + g.rng.IntN(3) {
				if len(recs) >= opt.Records {
					break
				}
				emit(g.variant(r), -1)
			}
		}
		person++
	}
	return recs, truth
}

type synth struct {
	rng   *rand.Rand
	opt   SynthOptions
	taken map[string]bool // mailboxes and logins given out
}

func (g *synth) pick(s []string) string { return s[g.rng.IntN(len(s))] }

// name draws a given or family name: half from the lists of real names
// (with their nicknames and transliterations), half made of syllables, so
// that a million people do not all share a few hundred names.
func (g *synth) name(real []string) string {
	if len(real) > 0 && g.rng.IntN(2) == 0 {
		return g.pick(real)
	}
	n := 2 + g.rng.IntN(2)
	var b strings.Builder
	for i := range n {
		s := g.pick(syllables)
		if i == 0 {
			s = strings.ToUpper(s[:1]) + s[1:]
		}
		b.WriteString(s)
	}
	return b.String()
}

// unique returns handle+suffix, with digits added to the handle while
// that is taken: a mailbox or a GitHub login is one person's, as
// providers make sure.
func (g *synth) unique(handle, suffix string) string {
	key := func(v string) string { // a mailbox is taken in every spelling
		if mb, _ := canonicalMailbox(v); mb != "" {
			return mb
		}
		return strings.ToLower(v)
	}
	handle = strings.ReplaceAll(handle, "+", "") // a +tag would make every try the same mailbox
	v := handle + suffix
	for try := 0; g.taken[key(v)]; try++ {
		n := g.rng.IntN(10000)
		if try > 20 {
			n = len(g.taken) // unused by now
		}
		v = handle + strconv.Itoa(n) + suffix
	}
	g.taken[key(v)] = true
	return v
}

func (g *synth) phone() string {
	cc := g.pick(phonePlans)
	return fmt.Sprintf("+%s%d%09d", cc, 2+g.rng.IntN(7), g.rng.IntN(1_000_000_000))
}

func (g *synth) person() Record {
	r := Record{GivenName: g.name(synthGiven), FamilyName: g.name(synthFamily)}
	if g.rng.IntN(10) < 6 {
		r.BirthDate = fmt.Sprintf("%04d%02d%02d", 1960+g.rng.IntN(45), 1+g.rng.IntN(12), 1+g.rng.IntN(28))
	}
	local := strings.ToLower(r.GivenName + "." + r.FamilyName)
	if g.rng.IntN(2) == 0 {
		local += strconv.Itoa(g.rng.IntN(1000))
	}
	r.Emails = []string{g.unique(asciiOnly(local), "@"+g.pick(mailDomains))}
	r.Phones = []string{g.phone()}
	r.StreetNumber = strconv.Itoa(1 + g.rng.IntN(400))
	r.Address = g.name(synthStreets) + " " + g.pick(streetTypes)
	r.City = g.name(synthCities)
	r.Postcode = fmt.Sprintf("%05d", g.rng.IntN(100000))
	r.Country = "US"
	if g.rng.IntN(5) == 0 {
		r.Payouts = []string{fmt.Sprintf("acct-%016x", g.rng.Uint64())}
	}
	if g.rng.IntN(4) == 0 {
		r.URLs = []string{"https://github.com/" + g.unique(asciiOnly(strings.ToLower(r.GivenName+r.FamilyName)), "")}
	}
	return r
}

// variant is another application by the same person: one to three
// changes of the kinds seen in real duplicate applications.
func (g *synth) variant(r Record) Record {
	v := r
	v.Emails = append([]string(nil), r.Emails...)
	v.Phones = append([]string(nil), r.Phones...)
	for range 1 + g.rng.IntN(3) {
		switch g.rng.IntN(9) {
		case 0:
			v.GivenName = g.typo(v.GivenName)
		case 1:
			v.FamilyName = g.typo(v.FamilyName)
		case 2: // nickname or transliteration of the given name
			v.GivenName = g.alternative(v.GivenName)
		case 3:
			v.FamilyName = g.alternative(v.FamilyName)
		case 4: // the same mailbox written another way, or a new one
			_, domain, _ := strings.Cut(v.Emails[0], "@")
			_, local := canonicalMailbox(v.Emails[0])
			switch g.rng.IntN(3) {
			case 0:
				v.Emails[0] = strings.ToUpper(local[:1]) + local[1:] + "+jobs@" + domain
			case 1:
				v.Emails[0] = g.unique(local, "@"+g.pick(mailDomains))
			default:
				v.Emails[0] = g.unique(asciiOnly(strings.ToLower(v.FamilyName+v.GivenName[:1])), "@"+g.pick(mailDomains))
			}
		case 5: // the phone formatted nationally
			if p := v.Phones[0]; strings.HasPrefix(p, "+1") && len(p) == 12 {
				v.Phones[0] = "(" + p[2:5] + ") " + p[5:8] + "-" + p[8:]
			} else {
				v.Phones[0] = p[:3] + " " + p[3:6] + " " + p[6:]
			}
		case 6: // moved
			v.StreetNumber = strconv.Itoa(1 + g.rng.IntN(400))
			v.Address = g.name(synthStreets) + " " + g.pick(streetTypes)
			v.Postcode = fmt.Sprintf("%05d", g.rng.IntN(100000))
		case 7:
			v.Address = g.typo(v.Address)
		case 8:
			if v.BirthDate != "" {
				v.BirthDate = v.BirthDate[:6] + fmt.Sprintf("%02d", 1+g.rng.IntN(28))
			}
		}
	}
	return v
}

// typo substitutes, deletes, inserts or transposes one letter.
func (g *synth) typo(s string) string {
	if len(s) < 3 {
		return s
	}
	b := []byte(s)
	i := 1 + g.rng.IntN(len(b)-2)
	c := byte('a' + g.rng.IntN(26))
	switch g.rng.IntN(4) {
	case 0:
		b[i] = c
	case 1:
		b = append(b[:i], b[i+1:]...)
	case 2:
		b = append(b[:i], append([]byte{c}, b[i:]...)...)
	default:
		b[i], b[i+1] = b[i+1], b[i]
	}
	return string(b)
}

// alternative returns another form of a name (a nickname, a
// transliteration) when the lists know one, and a typo otherwise.
func (g *synth) alternative(s string) string {
	for _, group := range nameForms {
		for _, f := range group {
			if f == s {
				for {
					if o := g.pick(group); o != s {
						return o
					}
				}
			}
		}
	}
	return g.typo(s)
}

// resume writes a résumé of made-up but plausible sentences.
func (g *synth) resume() string {
	var b strings.Builder
	b.WriteString("Summary\n")
	for range 12 + g.rng.IntN(8) {
		b.WriteString(g.pick(resumeVerbs))
		b.WriteByte(' ')
		b.WriteString(g.pick(resumeObjects))
		b.WriteString(" (project ")
		b.WriteString(g.name(nil))
		b.WriteString(")")
		b.WriteString(" using ")
		b.WriteString(g.pick(resumeTech))
		b.WriteString(" and ")
		b.WriteString(g.pick(resumeTech))
		b.WriteString(", ")
		b.WriteString(g.pick(resumeOutcomes))
		fmt.Fprintf(&b, " by %d%% for %s.\n", 5+g.rng.IntN(90), g.pick(resumeClients))
	}
	return strings.TrimSpace(b.String())
}

func asciiOnly(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

var (
	synthGiven = []string{
		"Robert", "William", "James", "Michael", "David", "Thomas", "Christopher", "Daniel", "Matthew", "Anthony",
		"Joseph", "Benjamin", "Steven", "Andrew", "Richard", "Jennifer", "Elizabeth", "Katherine", "Margaret", "Susan",
		"Patricia", "Victoria", "Jonathan", "Nicholas", "Samuel", "Alexander", "Sergei", "Dmitri", "Yuri", "Mohammed",
		"Aleksandr", "Olga", "Natalia", "Hyun-woo", "Jun-ho", "Seo-yeon", "Min-jun", "Ji-hoon", "Wei", "Xiaoming",
		"Priya", "Rahul", "Ana", "Lucia", "Jose", "Maria", "Nguyen", "Tuan", "Fatima", "Omar",
	}
	synthFamily = []string{
		"Smith", "Johnson", "Brown", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore",
		"Kim", "Park", "Lee", "Choi", "Jung", "Kang", "Cho", "Yoon", "Zhang", "Wang",
		"Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Nguyen", "Tran", "Patel", "Sharma",
		"Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Chen", "Liu", "Yang", "Huang",
	}
	synthStreets = []string{"Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Sunset", "Highland"}
	synthCities  = []string{"Springfield", "Riverside", "Fairview", "Franklin", "Greenville", "Bristol", "Clinton", "Salem", "Madison", "Georgetown"}
	streetTypes  = []string{"Street", "St", "Avenue", "Ave", "Road", "Rd", "Lane", "Drive", "Court", "Place"}
	mailDomains  = []string{"gmail.com", "outlook.com", "yahoo.com", "proton.me", "hotmail.com", "icloud.com", "mail.com", "gmx.com"}
	phonePlans   = []string{"1", "1", "1", "1", "44", "49", "48", "63", "91", "52", "55", "380", "84", "86"}
	syllables    = []string{"ka", "ri", "mo", "ta", "len", "sa", "vi", "no", "da", "ro", "mi", "ko", "an", "el", "be", "lu", "jo", "na", "ter", "son", "ha", "zu", "pe", "li", "gor", "ski", "ova", "in", "ar", "is"}
	nameForms    = [][]string{
		{"Robert", "Bob", "Rob", "Bobby"}, {"William", "Bill", "Will"}, {"James", "Jim", "Jimmy"},
		{"Michael", "Mike"}, {"David", "Dave"}, {"Thomas", "Tom"}, {"Christopher", "Chris"},
		{"Daniel", "Dan", "Danny"}, {"Matthew", "Matt"}, {"Anthony", "Tony"}, {"Joseph", "Joe"},
		{"Benjamin", "Ben"}, {"Steven", "Steve"}, {"Andrew", "Andy"}, {"Richard", "Rick", "Rich"},
		{"Jennifer", "Jen", "Jenny"}, {"Elizabeth", "Liz", "Beth"}, {"Katherine", "Kate", "Katie"},
		{"Margaret", "Maggie", "Peggy"}, {"Susan", "Sue"}, {"Victoria", "Vicky"}, {"Jonathan", "Jon"},
		{"Nicholas", "Nick"}, {"Samuel", "Sam"}, {"Alexander", "Alex", "Aleksandr", "Sasha"},
		{"Sergei", "Sergey", "Serhiy"}, {"Dmitri", "Dmitry", "Dima"}, {"Yuri", "Yury", "Iurii"},
		{"Mohammed", "Muhammad", "Mohamed"}, {"Olga", "Olha"}, {"Natalia", "Natalya"},
		{"Hyun-woo", "Hyunwoo", "Hyeon-u"}, {"Jun-ho", "Junho", "Jun Ho"}, {"Ji-hoon", "Jihoon", "Jihun"},
		{"Kim", "Gim"}, {"Park", "Pak", "Bak"}, {"Lee", "Yi", "Rhee"}, {"Choi", "Choe"}, {"Jung", "Chung", "Jeong"},
		{"Kang", "Gang"}, {"Cho", "Jo"}, {"Yoon", "Yun"}, {"Ivanov", "Ivanoff"}, {"Smirnov", "Smirnoff"},
		{"Kuznetsov", "Kuznetsoff"}, {"Zhang", "Chang"}, {"Nguyen", "Nguyễn", "Ngyuen"},
	}
	resumeVerbs    = []string{"Designed", "Built", "Led", "Migrated", "Optimised", "Automated", "Shipped", "Refactored", "Scaled", "Maintained"}
	resumeObjects  = []string{"a payments platform", "the data pipeline", "microservices", "a mobile app", "CI/CD pipelines", "the billing system", "a recommendation engine", "internal tooling", "the search service", "customer dashboards"}
	resumeTech     = []string{"Go", "Kubernetes", "React", "Python", "AWS", "PostgreSQL", "Kafka", "Terraform", "TypeScript", "Java", "Spark", "Redis", "GraphQL", "Docker", "Rust", "Node.js"}
	resumeOutcomes = []string{"cutting latency", "raising throughput", "reducing cost", "improving reliability", "growing revenue", "lowering error rates"}
	resumeClients  = []string{"a fintech start-up", "a Fortune 500 retailer", "a healthcare provider", "an e-commerce company", "a logistics firm", "a media group", "a SaaS vendor", "a bank"}
)
