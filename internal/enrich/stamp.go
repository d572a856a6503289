// Package enrich computes each event's derived facts once, where the data
// enters: the network verdict and country of sign-ins and audit actions
// (ipintel; the address of a build system's or bot's audit action never
// locates a person), the device class of sign-ins and build-system audit
// actions (device), and the canonical contact keys of roster, applicant and
// shipment records (phone, email, address). Stamp writes them into
// event.Facts and the payloads' Keys (event.Event.Contacts); afterwards
// they are read-only, so indicators may read them concurrently.
//
// The sub-packages hold the rules, one home each: ipintel (network list,
// IP databases, verdicts, CGNAT space), device, phone, email, address,
// activity (time zones and working hours), endpoint (osquery rows) and
// resume.
package enrich

import (
	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/enrich/device"
	"github.com/rollcall/rollcall/internal/enrich/email"
	"github.com/rollcall/rollcall/internal/enrich/ipintel"
	"github.com/rollcall/rollcall/internal/enrich/phone"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// Stamp derives the facts of every event under the policy (pol may be
// nil: no allow-list). The verdict of a network depends on the policy's
// allow-list and on the event's time, which is why Stamp receives the
// policy; run it after IP-database enrichment (ipintel.DB.Enrich) and
// before identity resolution. Network facts are shared: events whose
// network facts are equal point at one value.
func Stamp(events []*event.Event, pol *policy.Policy) {
	s := NewStamper(pol)
	for _, e := range events {
		s.Stamp(e)
	}
}

// Stamper derives facts event by event (for streams), sharing network
// facts and remembering device classes across events. Its memory grows
// with the distinct networks and user agents it sees: a long-running
// stream should start a new one per batch. It is not safe for concurrent
// use: give each goroutine its own.
type Stamper struct {
	pol     *policy.Policy
	shared  map[event.NetFacts]*event.NetFacts
	devices device.Classifier
	bots    map[string]bool // device.BotLogin per actor login, remembered
}

// NewStamper returns a Stamper for the policy (nil: no allow-list).
func NewStamper(pol *policy.Policy) *Stamper {
	return &Stamper{pol: pol, shared: map[event.NetFacts]*event.NetFacts{}, bots: map[string]bool{}}
}

// Stamp derives one event's facts.
func (s *Stamper) Stamp(e *event.Event) {
	switch {
	case e.SignIn != nil:
		e.Facts.Device = s.devices.Class(e.SignIn)
	case e.Audit != nil:
		e.Facts.Device = s.devices.Audit(e.Audit)
		if s.bot(e.Actor().Login) {
			e.Facts.Device |= event.DeviceAutomated
		}
	}
	if n := e.Net(); n != nil {
		f := ipintel.Facts(n, s.pol, e.Time)
		if e.Audit != nil && e.Facts.Device.Has(event.DeviceAutomated) {
			// A CI runner, cloud build host or bot acting with the
			// person's token: its address is the machine's, not where
			// the person is (graph and IAM-03 skip such events).
			f.Locates = false
		}
		p := s.shared[f]
		if p == nil {
			p = &f
			s.shared[f] = p
		}
		e.Facts.Net = p
	}
	switch {
	case e.Person != nil:
		e.SetContacts(personContacts(e.Person))
	case e.Applicant != nil:
		e.SetContacts(applicantContacts(e.Applicant))
	case e.Shipment != nil:
		e.SetContacts(&event.Contacts{Addresses: []event.AddressFacts{addressFacts(e.Shipment.ShipTo)}})
	}
}

// personContacts: phones read in the country of the home address;
// mailboxes of the emails and then of the user name (when it is an
// address); one entry per address.
func personContacts(p *event.Person) *event.Contacts {
	c := &event.Contacts{}
	region := ""
	if h := p.HomeAddress(); h != nil {
		region = address.Country(*h)
	}
	for _, s := range p.Phones {
		c.Phones = append(c.Phones, phone.Parse(s, region))
	}
	for _, s := range p.Emails {
		c.Mailboxes = append(c.Mailboxes, email.Canonical(s))
	}
	c.Mailboxes = append(c.Mailboxes, email.Canonical(p.UserName))
	for _, a := range p.Addresses {
		c.Addresses = append(c.Addresses, addressFacts(a))
	}
	return c
}

// applicantContacts: Greenhouse keeps addresses as free text; phones are
// read in the country of the first address that names one.
func applicantContacts(a *event.Applicant) *event.Contacts {
	c := &event.Contacts{}
	region := ""
	for _, s := range a.Addresses {
		parsed := address.Parse(s)
		if region == "" {
			region = address.Country(parsed)
		}
		c.Addresses = append(c.Addresses, addressFacts(parsed))
	}
	for _, s := range a.Phones {
		c.Phones = append(c.Phones, phone.Parse(s, region))
	}
	for _, s := range a.Emails {
		c.Mailboxes = append(c.Mailboxes, email.Canonical(s))
	}
	return c
}

func addressFacts(a event.Address) event.AddressFacts {
	return event.AddressFacts{Key: address.Key(a), Class: string(address.Classify(a))}
}

// bot is device.BotLogin, asked once per login: audit logs repeat a few
// thousand logins over millions of actions.
func (s *Stamper) bot(login string) bool {
	b, ok := s.bots[login]
	if !ok {
		b = device.BotLogin(login)
		s.bots[login] = b
	}
	return b
}
