// Package detect defines what an indicator is and what it finds.
//
// An indicator is one self-describing unit from the catalogue
// (../shared/INDICATORS.md): it says who it is (ID, name, stage, strength,
// data sources, default weight, references, description, examples) and,
// given the whole population, returns findings whose evidence names the
// exact input records. Indicators are pure: no I/O, no wall clock (Input.Now).
// Each lives in a stage sub-package (hiring, onboarding, signin, payroll…)
// and is named in internal/detect/list.
package detect

import (
	"context"
	"fmt"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/sigma"
)

// Stage is the lifecycle stage an indicator belongs to. Diminishing returns
// in scoring apply within a stage.
type Stage string

// The stages, in lifecycle order.
const (
	StageHiring      Stage = "hiring"
	StageOnboarding  Stage = "onboarding"
	StageIdentity    Stage = "identity"
	StageEndpoint    Stage = "endpoint"
	StageNetwork     Stage = "network"
	StageCode        Stage = "code"
	StagePayroll     Stage = "payroll"
	StageOffboarding Stage = "offboarding"
)

// Strength is the catalogue's strength of an indicator.
type Strength string

// Catalogue strengths.
const (
	Strong Strength = "H" // strong alone
	Medium Strength = "M" // strong with one other
	Weak   Strength = "L" // only adds weight to stronger signals
)

// Indicator is one catalogue indicator.
type Indicator interface {
	// ID is the catalogue ID, e.g. "IAM-01".
	ID() string
	// Name is a short analyst-readable name.
	Name() string
	Stage() Stage
	Strength() Strength
	// Sources lists the input format ids that can feed it (any of them).
	Sources() []string
	// Weight is the default number of points (0–100) a finding adds before
	// diminishing returns; the policy may override it.
	Weight() float64
	// Description explains to an analyst what a finding means and its
	// known false positives.
	Description() string
	// References cite the public sources behind the indicator.
	References() []string
	// Examples returns input that must make the indicator fire on the
	// person Positive.Person, and realistic input (a known false-positive
	// cause) on which it must stay quiet. The registry test runs both.
	Examples() Examples
	// Detect evaluates the indicator over the population.
	Detect(ctx context.Context, in *Input) ([]Finding, error)
}

// Examples are an indicator's own true- and false-positive cases.
type Examples struct {
	Positive Example
	Negative Example
}

// Example is a set of events and the person the indicator is about.
type Example struct {
	Name   string         // what the case is, e.g. "night_owl"
	Events []*event.Event // input events; identity resolution builds the population
	Person string         // person id the indicator must (or must not) fire on
	// Flagged lists the people flagged by the first scoring pass, for
	// indicators that implement ScoreDependent (becomes Input.Flagged).
	Flagged []string
	// Watchlist is the policy's watchlist of burned identifiers for the
	// example (becomes Input.Policy.Watchlist).
	Watchlist []policy.Burned
	// Sigma are the policy's Sigma rules for the example (become
	// Input.Policy.Sigma.Loaded).
	Sigma []*sigma.Rule
}

// Input is what every indicator sees.
type Input struct {
	Pop    *profile.Population
	Policy *policy.Policy
	Now    time.Time
	// Flagged is set for indicators that implement ScoreDependent: the
	// people flagged (level medium or above) by the first scoring pass.
	Flagged map[string]bool
	// Scope, when not nil, limits a PersonScoped indicator to these people
	// (by id): an incremental analysis re-evaluates only the people a batch
	// of events touched and keeps everyone else's earlier findings. Other
	// indicators always see a nil Scope.
	Scope map[string]bool
}

// People returns the people an indicator evaluates: the population's
// people in their order (by id), limited to Scope when it is set.
func (in *Input) People() []*profile.Person {
	if in.Scope == nil {
		return in.Pop.People
	}
	out := make([]*profile.Person, 0, len(in.Scope))
	for _, p := range in.Pop.People {
		if in.Scope[p.ID] {
			out = append(out, p)
		}
	}
	return out
}

// EachPerson runs find over in.People() and collects the findings it
// makes, stopping with an error naming indicator id when ctx ends: the
// Detect of an indicator that judges every person alone.
func EachPerson(ctx context.Context, in *Input, id string, find func(*profile.Person) (Finding, bool)) ([]Finding, error) {
	var out []Finding
	for _, p := range in.People() {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		if f, ok := find(p); ok {
			out = append(out, f)
		}
	}
	return out, nil
}

// Allow returns the policy's allow-lists, or nil without a policy.
func (in *Input) Allow() *policy.Allow {
	if in.Policy == nil {
		return nil
	}
	return &in.Policy.Allow
}

// ScoreDependent is implemented by indicators that need the first-pass
// scores (e.g. APP-14, referred by a flagged person). They run after the
// other indicators have been scored, and the scores are then recomputed.
type ScoreDependent interface {
	Indicator
	NeedsScores()
}

// PersonScoped is implemented by indicators whose findings about a person
// depend only on that person's own model (events, features) and the
// policy — not on other people, population-wide statistics or Input.Now —
// and which emit at most one finding per person, about that person, in
// the order of Input.People. They loop over in.People(), so that an
// incremental analysis can evaluate only the people a batch touched
// (Input.Scope) and keep the earlier findings of everyone else.
type PersonScoped interface {
	Indicator
	PersonScoped()
}

// Finding is one indicator firing on one person.
type Finding struct {
	Indicator string `json:"indicator"`
	Person    string `json:"person"`
	Summary   string `json:"summary"`
	// Confidence scales the indicator's weight (0 < c ≤ 1). Zero means 1.
	Confidence float64    `json:"confidence,omitempty"`
	Evidence   []Evidence `json:"evidence"`
	// Related lists other people the finding ties this person to (the
	// other holders of a shared account, address…).
	Related []string `json:"related,omitempty"`
}

// Evidence points at one input record (defined in internal/event, so that
// the identity graph can cite records without depending on detect).
type Evidence = event.Evidence

// EvidenceOf builds evidence pointing at e.
func EvidenceOf(e *event.Event, format string, args ...any) Evidence {
	return event.EvidenceOf(e, format, args...)
}

// MaxEvidence bounds how many records one finding cites; the summary says
// how many there were in all.
const MaxEvidence = event.MaxEvidence
