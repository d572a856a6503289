package code

import (
	"fmt"
	"time"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

// Builders for the indicators' own examples (Examples()) and tests: roster
// records and commits as the scim and gitlog adapters emit them.

const (
	exampleRosterFile = detecttest.RosterFile
	exampleGitFile    = "examples/git-log.txt"
)

// exampleStart is a Monday.
var exampleStart = detecttest.Start

// rosterRecord is a SCIM user with a home in country (region optional) and
// a roster timezone (optional).
func rosterRecord(record int, id, name, email, country, region, tz string, personal ...string) *event.Event {
	hr := event.Person{
		EmployeeID: id, SCIMID: "scim-" + id, UserName: email, Name: name, Emails: append([]string{email}, personal...),
		Active: true, Timezone: tz, Created: exampleStart.AddDate(0, -1, 0),
	}
	if country != "" {
		hr.Addresses = []event.Address{{Type: "home", Region: region, Country: country}}
	}
	return detecttest.RosterRecord(record, hr)
}

// commit is one line of git log: authored by name <email> at t (keeping
// t's zone, as %aI does).
func commit(record int, name, email string, t time.Time) *event.Event {
	hash := fmt.Sprintf("%040x", record*7919+1)
	return &event.Event{
		Kind:    event.KindCommit,
		Time:    t.UTC(),
		Prov:    event.Provenance{Origin: &event.Origin{Source: "gitlog", File: exampleGitFile}, Record: record, ID: hash},
		Account: &event.Actor{Email: email, DisplayName: name},
		Commit: &event.Commit{
			Hash: hash, AuthorName: name, AuthorEmail: email, AuthorTime: t,
			CommitterName: name, CommitterEmail: email, CommitterTime: t, Repo: "example/payments-api",
		},
	}
}

// weekdayCommits makes one commit at each of hours (local to loc) on every
// weekday of weeks weeks from start, numbered from first.
func weekdayCommits(first int, name, email string, start time.Time, weeks int, loc *time.Location, hours ...int) []*event.Event {
	var out []*event.Event
	rec := first
	for w := range weeks {
		for d := range 5 {
			y, m, dd := start.AddDate(0, 0, 7*w+d).Date()
			for _, h := range hours {
				out = append(out, commit(rec, name, email, time.Date(y, m, dd, h, 17, 0, 0, loc)))
				rec++
			}
		}
	}
	return out
}

// Zones as git writes them (fixed offsets, as %aI keeps them).
var (
	kst     = time.FixedZone("", 9*3600)
	cst     = time.FixedZone("", -6*3600)
	utcZone = time.FixedZone("", 0)
)
