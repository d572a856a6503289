package activity

import (
	"github.com/rollcall/rollcall/internal/enrich"
	"github.com/rollcall/rollcall/internal/event"
)

// person is the part of a person the tests hand to activity's functions.
type person struct {
	ID                                string
	Roster                            *event.Event
	SignIns, Audits, Commits, Devices []*event.Event
}

// stamped derives the facts of a hand-built person's events without a
// policy, as the pipeline does before anything reads them.
func stamped(p *person) *person {
	for _, l := range [][]*event.Event{p.SignIns, p.Audits, p.Commits, p.Devices} {
		enrich.Stamp(l, nil)
	}
	return p
}
