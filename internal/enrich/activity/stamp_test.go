package activity

import (
	"github.com/rollcall/rollcall/internal/enrich"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// stamped derives the facts of a hand-built person's events without a
// policy, as the pipeline does before anything reads them.
func stamped(p *profile.Person) *profile.Person {
	for _, l := range [][]*event.Event{p.SignIns, p.Audits, p.Commits, p.Devices} {
		enrich.Stamp(l, nil)
	}
	return p
}
