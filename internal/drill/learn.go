package drill

import (
	"cmp"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

// Profile is what normal looks like in the company's own data: the drill
// learns it from the real events and shapes the injected operatives after
// it (sources, dates, id styles, email domain, identity provider), and
// reports the rest so that a reader can see whether they blended in.
type Profile struct {
	Sources      []SourceSpan `json:"sources"`                // formats present, with their dates
	Start        time.Time    `json:"start"`                  // first dated activity
	End          time.Time    `json:"end"`                    // last dated activity
	Employees    int          `json:"employees"`              // roster records
	Applicants   int          `json:"applicants"`             // applicant records
	HiresPerMo   float64      `json:"hires_per_month"`        // roster records created per month over the last year of data
	Countries    []Count      `json:"signin_countries"`       // sign-in countries, most frequent first
	Networks     []Count      `json:"signin_networks"`        // sign-in ASNs / ISPs, most frequent first
	OS           []Count      `json:"signin_os"`              // operating systems of sign-ins
	Hours        [24]int      `json:"signin_hours_utc"`       // sign-ins per UTC hour
	Payouts      []Count      `json:"payout_methods"`         // payout methods
	HomeCountry  []Count      `json:"home_countries"`         // roster home-address countries
	EmployeeIDs  string       `json:"employee_id_style"`      // e.g. "E%05d"
	CandidateIDs string       `json:"candidate_id_style"`     // e.g. "%d"
	EmailDomain  string       `json:"email_domain,omitempty"` // the roster's most common work-email domain
	GitHubIPs    bool         `json:"github_ip_disclosure"`   // the GitHub audit log carries actor IPs
	Manager      string       `json:"-"`                      // the roster's most common manager, for injected records
	idStyle      idStyle      // employee numbers
	candStyle    idStyle      // candidate ids
	emails       map[string]bool
	ids          map[string]bool // employee ids, SCIM ids and candidate ids in use
	idents       map[string]bool // identifiers that link records (disjoint.go)
	ips          map[netip.Addr]bool
}

// SourceSpan is one input format present in the data.
type SourceSpan struct {
	Format string    `json:"format"`
	Events int       `json:"events"`
	From   time.Time `json:"from,omitzero"`
	To     time.Time `json:"to,omitzero"`
}

// Count is a value and how often it was seen.
type Count struct {
	Value string `json:"value"`
	N     int    `json:"n"`
}

// Has reports whether format is among the sources.
func (p *Profile) Has(format string) bool {
	return slices.ContainsFunc(p.Sources, func(s SourceSpan) bool { return s.Format == format })
}

// idStyle is a learned identifier style: a prefix and a zero-padded number.
type idStyle struct {
	prefix string
	width  int
	max    int64
	ok     bool
}

var idPattern = regexp.MustCompile(`^([A-Za-z-]*)([0-9]+)$`)

func (s *idStyle) see(id string) {
	m := idPattern.FindStringSubmatch(id)
	if m == nil {
		return
	}
	n, err := strconv.ParseInt(m[2], 10, 64)
	if err != nil {
		return
	}
	if !s.ok {
		*s = idStyle{prefix: m[1], width: len(m[2]), ok: true}
	}
	if m[1] == s.prefix {
		s.max = max(s.max, n)
	}
}

// format renders the n-th new id after the largest one in use.
func (s idStyle) format(fallback string, n int) string {
	if !s.ok {
		return fallback + strconv.Itoa(n+1)
	}
	v := strconv.FormatInt(s.max+int64(1000+n), 10)
	if len(v) < s.width {
		v = strings.Repeat("0", s.width-len(v)) + v
	}
	return s.prefix + v
}

func (s idStyle) String() string {
	if !s.ok {
		return ""
	}
	if s.width > 1 && s.prefix != "" {
		return s.prefix + "%0" + strconv.Itoa(s.width) + "d"
	}
	return s.prefix + "%d"
}

// Learn builds the profile of the real events.
func Learn(events []*event.Event) *Profile {
	p := &Profile{emails: map[string]bool{}, ids: map[string]bool{}, idents: map[string]bool{}, ips: map[netip.Addr]bool{}}
	spans := map[string]*SourceSpan{}
	countries, networks, oses, payouts, homes, domains, managers := counter{}, counter{}, counter{}, counter{}, counter{}, counter{}, counter{}
	var created []time.Time
	for _, e := range events {
		sp := spans[e.Prov.Source()]
		if sp == nil {
			sp = &SourceSpan{Format: e.Prov.Source()}
			spans[e.Prov.Source()] = sp
		}
		sp.Events++
		for _, v := range identifiers(e) {
			p.idents[v] = true
		}
		if n := e.Net(); n != nil && n.IP.IsValid() {
			p.ips[n.IP] = true
		}
		if !e.Time.IsZero() {
			if sp.From.IsZero() || e.Time.Before(sp.From) {
				sp.From = e.Time
			}
			if e.Time.After(sp.To) {
				sp.To = e.Time
			}
		}
		switch {
		case e.SignIn != nil:
			countries.add(e.Net().Country)
			networks.add(networkName(*e.Net()))
			oses.add(e.SignIn.OS)
			p.Hours[e.Time.UTC().Hour()]++
		case e.Audit != nil:
			if e.Prov.Source() == "github" && e.Net().IP.IsValid() {
				p.GitHubIPs = true
			}
		case e.Person != nil:
			p.Employees++
			p.idStyle.see(e.Person.EmployeeID)
			p.ids[e.Person.EmployeeID], p.ids[e.Person.SCIMID] = true, true
			managers.add(e.Person.Manager)
			for _, m := range append(e.Person.Emails, e.Person.UserName) {
				m = strings.ToLower(m)
				p.emails[m] = true
				if i := strings.LastIndexByte(m, '@'); i > 0 && e.Person.UserName != "" && strings.EqualFold(m, e.Person.UserName) {
					domains.add(m[i+1:])
				}
			}
			if h := e.Person.HomeAddress(); h != nil {
				homes.add(h.Country)
			}
			if !e.Person.Created.IsZero() {
				created = append(created, e.Person.Created)
			}
		case e.Applicant != nil:
			p.Applicants++
			p.candStyle.see(e.Applicant.CandidateID)
			p.ids[e.Applicant.CandidateID] = true
			for _, m := range e.Applicant.Emails {
				p.emails[strings.ToLower(m)] = true
			}
		case e.Payout != nil:
			payouts.add(e.Payout.Method)
		}
	}
	for _, sp := range spans {
		p.Sources = append(p.Sources, *sp)
	}
	// The activity window: sign-ins, audit entries, commits and endpoint
	// results (roster, applicant and payroll dates reach back years).
	for _, e := range events {
		if e.Time.IsZero() || e.SignIn == nil && e.Audit == nil && e.Commit == nil && e.Device == nil {
			continue
		}
		if e0(e.Time, p.Start) {
			p.Start = e.Time
		}
		if e.Time.After(p.End) {
			p.End = e.Time
		}
	}
	slices.SortFunc(p.Sources, func(a, b SourceSpan) int { return cmp.Compare(a.Format, b.Format) })
	p.Countries, p.Networks, p.OS = countries.top(8), networks.top(8), oses.top(6)
	p.Payouts, p.HomeCountry = payouts.top(8), homes.top(8)
	if d := domains.top(1); len(d) > 0 {
		p.EmailDomain = d[0].Value
	}
	if m := managers.top(1); len(m) > 0 {
		p.Manager = m[0].Value
	}
	p.EmployeeIDs, p.CandidateIDs = p.idStyle.String(), p.candStyle.String()
	if !p.End.IsZero() {
		n := 0
		for _, c := range created {
			if c.After(p.End.AddDate(-1, 0, 0)) && !c.After(p.End) {
				n++
			}
		}
		p.HiresPerMo = float64(n) / 12
	}
	return p
}

// e0 reports whether t is earlier than cur, or cur is unset.
func e0(t, cur time.Time) bool { return cur.IsZero() || t.Before(cur) }

func networkName(n event.Network) string {
	switch {
	case n.ASN != 0 && n.ASOrg != "":
		return "AS" + strconv.FormatUint(uint64(n.ASN), 10) + " " + n.ASOrg
	case n.ISP != "":
		return n.ISP
	case n.ASN != 0:
		return "AS" + strconv.FormatUint(uint64(n.ASN), 10)
	}
	return ""
}

// counter counts non-empty values.
type counter map[string]int

func (c counter) add(v string) {
	if v != "" {
		c[v]++
	}
}

// top returns the n most frequent values, ties by value.
func (c counter) top(n int) []Count {
	out := make([]Count, 0, len(c))
	for v, k := range c {
		out = append(out, Count{v, k})
	}
	slices.SortFunc(out, func(a, b Count) int {
		if a.N != b.N {
			return b.N - a.N
		}
		return strings.Compare(a.Value, b.Value)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
