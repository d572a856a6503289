// Package detecttest holds what the indicator, graph and scoring tests
// share: turning hand-built events into the input an indicator sees, the
// same way the pipeline does (enrich.Stamp, identity resolution, then the
// person model, profile.Build).
package detecttest

import (
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/identity"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// Population stamps the events' facts under pol (nil: the default
// policy), resolves them into people and builds the person model.
func Population(events []*event.Event, pol *policy.Policy) *profile.Population {
	if pol == nil {
		pol = policy.Default()
	}
	enrich.Stamp(events, pol)
	pop := identity.Resolve(events)
	profile.Build(pop, pol)
	return pop
}

// Input is what an indicator sees for events under pol (nil: the default
// policy) at now.
func Input(events []*event.Event, pol *policy.Policy, now time.Time) *detect.Input {
	if pol == nil {
		pol = policy.Default()
	}
	return &detect.Input{Pop: Population(events, pol), Policy: pol, Now: now}
}
