package sim

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Company-wide constants of the simulated organisation (fictional).
const (
	companyName   = "Kestrel Systems, Inc."
	companyDomain = "kestrelsystems.example"
	oktaOrgURL    = "https://kestrelsystems.okta.com"
	scimBaseURL   = "https://hr.kestrelsystems.example/scim/v2"
	foundedYear   = 2015
	atsAdopted    = 2019 // Greenhouse records exist for hires from this year on
)

// Org is one simulated organisation.
type Org struct {
	cfg   Config
	start time.Time // first day of activity, 00:00 UTC
	end   time.Time // last day of activity, 00:00 UTC

	People     []*Person    // the roster, in employee-number order
	Candidates []*Candidate // applicant-tracking records, hired or not, in id order
	interviews []*interview // Zoom interviews of candidates, by start (interviews.go)
	enrolments []*enrolment // Okta Verify enrolments of hires in the window (mfa_enrolment.go)
	Cells      []*Cell
	Payroll    []PayrollRow
	Shipments  []Shipment

	office     *Office
	admins     []*Person // IT staff who administer Okta
	ghUsers    []*GHUser // Greenhouse users: the recruiting team and every referrer
	ghByPerson map[*Person]*GHUser
	recruiters []*GHUser
	jobs       []*Job
	agencies   []*Agency
	zscaler    map[string][]*Egress // Zscaler data-centre city -> egress pool
	mobileNAT  map[string][]*Egress // metro -> shared T-Mobile CGNAT addresses
	vpnExitsUS []*Egress            // consumer VPN exits used by privacy-minded staff in the Americas
	vpnExitsEU []*Egress            // … and by those elsewhere
	ips        *ipAllocator
	runners    []*Egress // CI runner egress addresses (simclasses.go)
	truth      *Truth
}

// Address is a postal address.
type Address struct {
	Street  string
	City    string
	Region  string // state / province code or region name
	Postal  string
	Country string // ISO 3166-1 alpha-2
	Place   *Place
}

// Formatted renders the address on lines, in the local order.
func (a Address) Formatted() string {
	return formatAddress(a.Street, a.City, a.Region, a.Postal, a.Country)
}

// Key is a normalised form for comparing addresses.
func (a Address) Key() string {
	return strings.ToLower(a.Street + "|" + a.Postal + "|" + a.Country)
}

// Device is a computer or phone.
type Device struct {
	ID          string // Okta device id ("guo…"), for devices enrolled in Okta Verify
	Name        string // model identifier or host name, as Okta reports it
	Platform    string // OSX, WINDOWS, IOS, ANDROID
	OSVersion   string
	Managed     bool   // enrolled in the company's MDM
	Registered  bool   // enrolled in Okta Verify: appears as the event's device object
	Mobile      bool   // a phone
	Browser     string // chrome, safari, firefox
	Fingerprint string // Okta debugData.deviceFingerprint of its browser
	Serial      string // hardware serial, for company laptops
	AssetTag    string // company asset tag, for company laptops
	Model       string // marketing model for shipments
}

// Person is one employee on the roster.
type Person struct {
	Index          int
	EmployeeNumber string
	SCIMID         string
	ExternalID     string
	OktaID         string
	Given, Family  string
	WorkEmail      string
	PersonalEmail  string
	Phone          string
	Home           Address
	TZ             string
	Locale         string
	Title          string
	Department     string
	CostCenter     string
	Contractor     bool
	Organization   string // employer of record (the company, a staffing firm or an EOR)
	Manager        *Person
	Hired          time.Time // first working day, 00:00 in the person's zone, as UTC instant
	Created        time.Time // SCIM meta.created
	Modified       time.Time // SCIM meta.lastModified
	Terminated     time.Time // zero while active

	Laptop     *Device
	MFAPhone   *Device
	PersonalPC *Device
	Candidate  *Candidate

	homeNet []netSpan // home egress over time (DHCP renumbering, relocation)
	plan    plan
	src     srcPlan    // the person in the code host, git, Workspace and endpoint data (sources.go)
	Op      *Operative // nil for legitimate staff

	Behaviours []string // hard-negative behaviours (legitimate staff), for the truth
}

// ID is the person's id in the report convention: the employee number.
func (p *Person) ID() string { return p.EmployeeNumber }

// Name is "Given Family".
func (p *Person) Name() string { return p.Given + " " + p.Family }

// Active reports whether the person is still employed at the end.
func (p *Person) Active() bool { return p.Terminated.IsZero() }

// Loc is the time zone of the person's roster address.
func (p *Person) Loc() *time.Location { return zone(p.TZ) }

func (p *Person) addBehaviour(b string) {
	if !slices.Contains(p.Behaviours, b) {
		p.Behaviours = append(p.Behaviours, b)
	}
}

// netSpan is an egress in use from a day index on.
type netSpan struct {
	from int
	e    *Egress
}

// homeEgress returns the home egress on day d.
func (p *Person) homeEgress(d int) *Egress {
	e := p.homeNet[0].e
	for _, s := range p.homeNet {
		if s.from <= d {
			e = s.e
		}
	}
	return e
}

// Office is the company's one office with a shared egress address.
type Office struct {
	Place  *Place
	Egress *Egress
	People []*Person
}

// Days is the number of simulated days.
func (o *Org) Days() int { return o.cfg.Days }

// Config returns the configuration the organisation was generated from,
// with defaults filled in.
func (o *Org) Config() Config { return o.cfg }

// Start is the first day of activity (00:00 UTC).
func (o *Org) Start() time.Time { return o.start }

// date returns the calendar date of day d (y, m, d).
func (o *Org) date(d int) (int, time.Month, int) { return o.start.AddDate(0, 0, d).Date() }

// midnight returns 00:00 of day d in loc.
func (o *Org) midnight(d int, loc *time.Location) time.Time {
	y, m, dd := o.date(d)
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// dayOf returns the day index of t's calendar date in loc (may be out of range).
func (o *Org) dayOf(t time.Time, loc *time.Location) int {
	y, m, d := t.In(loc).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(o.start) / (24 * time.Hour))
}

// Generate builds an organisation from cfg. It is deterministic: the same
// configuration always gives the same organisation.
func Generate(cfg Config) (*Org, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("simulation config: %w", err)
	}
	o := &Org{
		cfg:   cfg,
		end:   cfg.End,
		start: cfg.End.AddDate(0, 0, -(cfg.Days - 1)),
		ips:   newIPAllocator(),
	}
	o.makeRoster()
	o.makeCompanyNetworks()
	o.planLegit()
	o.makeCells()
	o.reissueOperativeLaptops()
	o.makeCandidates()
	o.makeRecords()
	o.planSources()
	o.planInterviews()
	o.planEnrolments()
	o.careOfShipments()
	o.truth = o.computeTruth()
	return o, nil
}

// Truth returns the ground truth of the organisation.
func (o *Org) Truth() *Truth { return o.truth }
