package sim

import (
	"errors"
	"fmt"
	"time"
)

// Defaults and limits of Config.
const (
	DefaultSeed   = 1
	DefaultPeople = 500
	DefaultDays   = 90

	MinPeople = 20
	MaxPeople = 200000
	MinDays   = 7
	MaxDays   = 730
)

// DefaultEnd is the default last day of activity, fixed so that output is
// reproducible.
var DefaultEnd = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// Config says what to simulate. Zero values mean the defaults.
type Config struct {
	Seed       int64     // default 1 (0 means the default)
	People     int       // employees on the roster, default 500
	Days       int       // days of activity, default 90
	Operatives int       // covert operatives hired as employees, in cells of 2–6; 0 = default (about 2.2% of People: 11 for 500). Each cell also has 2–3 applicant personas never hired, listed in the truth besides these
	End        time.Time // last day of activity (its UTC calendar date); default DefaultEnd
	IdP        string    // identity provider whose sign-in log is written: IdPOkta (default), IdPEntra, or IdPAuto to pick one by seed

	// Shape, when set, is called for every hired operative after its way
	// of working has been drawn and before its networks, activity and
	// records are derived from it, with the index of its cell in Org.Cells.
	// It may change the exported fields of p and p.Op (Careful, LaptopAt,
	// ForeignHours, VPNShare, LeakRate, MFAPhone, StartMule, PayChange,
	// ReuseContact, BulkClone, Organization…) to give a cell a scenario,
	// as `rollcall drill` does. It must be deterministic.
	Shape func(cell int, p *Person)
}

// CompanyName is the simulated company's name, the employer of record of
// staff who are not contractors (Person.Organization).
const CompanyName = companyName

// CompanyDomain is the simulated company's email domain (work emails).
const CompanyDomain = companyDomain

// Identity providers an organisation can use (Config.IdP). An organisation
// signs in through one of them: its log is written as okta.ndjson or as
// entra.json, never both.
const (
	IdPOkta  = "okta"
	IdPEntra = "entra"
	IdPAuto  = "auto" // one organisation in three picks Entra, by seed
)

// withDefaults returns c with zero fields replaced by the defaults.
func (c Config) withDefaults() Config {
	if c.Seed == 0 {
		c.Seed = DefaultSeed
	}
	if c.People == 0 {
		c.People = DefaultPeople
	}
	if c.Days == 0 {
		c.Days = DefaultDays
	}
	if c.End.IsZero() {
		c.End = DefaultEnd
	}
	y, m, d := c.End.UTC().Date()
	c.End = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if c.Operatives == 0 {
		c.Operatives = defaultOperatives(c.People)
	}
	switch c.IdP {
	case "":
		c.IdP = IdPOkta
	case IdPAuto:
		c.IdP = autoIdP(c.Seed)
	}
	return c
}

// autoIdP picks the identity provider of an organisation from its seed:
// Entra for one seed in three, Okta otherwise.
func autoIdP(seed int64) string {
	if newRand(seed, streamOrg, 7, 0).IntN(3) == 0 {
		return IdPEntra
	}
	return IdPOkta
}

// defaultOperatives is about 2.2% of the roster, at least 4 (two cells of
// two): 11 for 500 people.
func defaultOperatives(people int) int {
	n := (people*22 + 500) / 1000
	if n < 4 {
		n = 4
	}
	return n
}

// maxOperatives bounds Operatives to a fifth of the roster.
func maxOperatives(people int) int { return people / 5 }

// Validate fills in the defaults of zero fields and reports what is wrong
// with the rest, naming the command-line flag that sets each field.
func (c *Config) Validate() error {
	*c = c.withDefaults()
	var errs []error
	if c.Seed < 0 {
		errs = append(errs, fmt.Errorf("--seed must be positive, got %d", c.Seed))
	}
	if c.People < MinPeople || c.People > MaxPeople {
		errs = append(errs, fmt.Errorf("--people must be between %d and %d, got %d", MinPeople, MaxPeople, c.People))
	}
	if c.Days < MinDays || c.Days > MaxDays {
		errs = append(errs, fmt.Errorf("--days must be between %d and %d, got %d", MinDays, MaxDays, c.Days))
	}
	if c.People >= MinPeople {
		if max := maxOperatives(c.People); c.Operatives < 2 || c.Operatives > max {
			errs = append(errs, fmt.Errorf("--operatives must be between 2 and %d (a fifth of --people) for %d people, got %d", max, c.People, c.Operatives))
		}
	}
	if c.IdP != IdPOkta && c.IdP != IdPEntra {
		errs = append(errs, fmt.Errorf("--idp must be %s, %s or %s, got %q", IdPOkta, IdPEntra, IdPAuto, c.IdP))
	}
	if y := c.End.Year(); y < 2000 || y > 2100 {
		errs = append(errs, fmt.Errorf("end date must be between 2000 and 2100, got %s", c.End.Format(time.DateOnly)))
	}
	return errors.Join(errs...)
}
