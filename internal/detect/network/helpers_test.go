package network

import (
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// outcome is the part of a finding the table tests compare.
type outcome struct {
	Person     string
	Confidence float64
	Records    []int // record numbers of the evidence (all in exampleOktaFile)
}

// run resolves events, runs ind under pol (nil: the default policy) and
// reduces its findings to outcomes.
func run(t *testing.T, ind detect.Indicator, pol *policy.Policy, events []*event.Event) ([]outcome, []detect.Finding) {
	t.Helper()
	if pol == nil {
		pol = policy.Default()
	}
	in := &detect.Input{Pop: detecttest.Population(events, pol), Policy: pol, Now: exampleStart.AddDate(0, 6, 0)}
	fs := detecttest.Run(t, ind, in)
	var out []outcome
	for _, f := range fs {
		o := outcome{Person: f.Person, Confidence: f.Confidence}
		for _, e := range f.Evidence {
			if e.File != exampleOktaFile || e.Summary == "" {
				t.Errorf("evidence %+v does not name a sign-in record", e)
			}
			o.Records = append(o.Records, e.Record)
		}
		out = append(out, o)
	}
	return out, fs
}

// person builds a roster record for id (email id@example.com) in country
// and numbers sign-ins from 1.
type person struct {
	id, email string
	events    []*event.Event
}

func newPerson(id, country string) *person {
	email := strings.ToLower(id) + "@example.com"
	return &person{id: id, email: email, events: []*event.Event{rosterRecord(1, id, email, country)}}
}

// signIn adds a successful sign-in from n at t and returns its record
// number.
func (p *person) signIn(t time.Time, n event.Network) int {
	rec := len(p.events) // the roster record is not counted
	p.events = append(p.events, oktaSignIn(rec, p.email, t, n))
	return rec
}

// weekdays adds one sign-in from n at 14:00 UTC on each weekday of weeks
// weeks from start (a Monday), and returns their record numbers.
func (p *person) weekdays(start time.Time, weeks int, n event.Network) []int {
	var recs []int
	for w := range weeks {
		for d := range 5 {
			recs = append(recs, p.signIn(start.AddDate(0, 0, 7*w+d), n))
		}
	}
	return recs
}

// daily adds one sign-in from n on each of days days from start.
func (p *person) daily(start time.Time, days int, n event.Network) []int {
	var recs []int
	for i := range days {
		recs = append(recs, p.signIn(start.AddDate(0, 0, i), n))
	}
	return recs
}
