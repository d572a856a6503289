package profile

import (
	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
)

// ClaimedCountry is where a person claims to live (ISO alpha-2): the
// roster's home address, else the country every candidate address that
// names one (or whose US or Canadian region and postal code say it,
// address.InferCountry) agrees on; "" when unknown or the addresses
// disagree.
func (p *Person) ClaimedCountry() string {
	if c := p.Country(); c != "" {
		return address.CountryCode(c)
	}
	country := ""
	for _, e := range p.Applicants {
		for _, raw := range e.Applicant.Addresses {
			c := address.InferCountry(event.Address{Formatted: raw})
			if c == "" {
				continue
			}
			if country != "" && c != country {
				return ""
			}
			country = c
		}
	}
	return country
}

// Interviews returns the meetings the person attended as a candidate, in
// time order: a person with candidate records (identity resolution joins a
// participant to a candidate by email) who did not host the meeting, and,
// for someone on the roster, joined before the roster record was created
// (meta.created, the hire). Calls after the hire are work meetings, not
// interviews.
func (p *Person) Interviews() []*event.Event {
	if len(p.Applicants) == 0 {
		return nil
	}
	hired := p.Hired()
	var out []*event.Event
	for _, e := range p.Meetings {
		if e.Meeting.Organizer || (!hired.IsZero() && !e.Time.Before(hired)) {
			continue
		}
		out = append(out, e)
	}
	return out
}
