package detecttest

import (
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

// Builders for the sign-in and network indicators' examples and tests:
// roster records and Okta sign-ins as the adapters emit them.

// Files the example records name.
const (
	RosterFile = "examples/scim-users.json"
	OktaFile   = "examples/okta-system-log.ndjson"
)

// Start is a Monday, 14:00 UTC.
var Start = time.Date(2025, 3, 3, 14, 0, 0, 0, time.UTC)

// Roster is a SCIM user created a month before Start, with a home address
// in country ("" for none).
func Roster(record int, id, email, country string) *event.Event {
	hr := &event.Person{
		EmployeeID: id, SCIMID: "scim-" + id, UserName: email, Name: "Example " + id, Emails: []string{email}, Active: true,
		Created: Start.AddDate(0, -1, 0),
	}
	if country != "" {
		hr.Addresses = []event.Address{{Type: "home", Country: country}}
	}
	return &event.Event{
		Kind:   event.KindPerson,
		Time:   hr.Created,
		Prov:   event.Provenance{Origin: &event.Origin{Source: "scim", File: RosterFile}, Record: record, ID: hr.SCIMID},
		Person: hr,
	}
}

// OktaSignIn is a successful user.session.start from n, in Chrome on a
// computer running os.
func OktaSignIn(record int, email string, t time.Time, n event.Network, os string) *event.Event {
	n.GeoSource = "okta"
	return &event.Event{
		Kind:    event.KindSignIn,
		Time:    t,
		Prov:    event.Provenance{Origin: &event.Origin{Source: "okta", File: OktaFile}, Record: record},
		Account: &event.Actor{ID: "00u-" + email, Login: email},
		SignIn: &event.SignIn{
			Action: "user.session.start", Outcome: event.OutcomeSuccess, Net: &n, Interactive: true,
			Browser: "CHROME", OS: os,
		},
	}
}

// Schedule is one person's roster record (id@example.com, lower case)
// followed by Okta sign-ins numbered from 1.
type Schedule struct {
	ID, Email, OS string
	Events        []*event.Event
}

// NewSchedule starts a schedule for id living in country, signing in from
// a computer running os.
func NewSchedule(id, country, os string) *Schedule {
	email := strings.ToLower(id) + "@example.com"
	return &Schedule{ID: id, Email: email, OS: os, Events: []*event.Event{Roster(1, id, email, country)}}
}

// SignIn adds a successful sign-in from n at t and returns its record
// number.
func (s *Schedule) SignIn(t time.Time, n event.Network) int {
	rec := len(s.Events) // the roster record is not counted
	s.Events = append(s.Events, OktaSignIn(rec, s.Email, t, n, s.OS))
	return rec
}

// Daily adds one sign-in from n on each of days days from start and
// returns their record numbers.
func (s *Schedule) Daily(start time.Time, days int, n event.Network) []int {
	var recs []int
	for i := range days {
		recs = append(recs, s.SignIn(start.AddDate(0, 0, i), n))
	}
	return recs
}

// Weekdays adds one sign-in from n on each weekday of weeks weeks from
// start (a Monday) and returns their record numbers.
func (s *Schedule) Weekdays(start time.Time, weeks int, n event.Network) []int {
	var recs []int
	for w := range weeks {
		for d := range 5 {
			recs = append(recs, s.SignIn(start.AddDate(0, 0, 7*w+d), n))
		}
	}
	return recs
}

// Records returns from, from+1, …, to.
func Records(from, to int) []int {
	var r []int
	for i := from; i <= to; i++ {
		r = append(r, i)
	}
	return r
}
