package hiring

import (
	"time"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

// Builders for the indicators' own examples (Examples()): realistic
// roster and candidate records with provenance, as the adapters emit them.

const (
	exampleRosterFile    = detecttest.RosterFile
	exampleCandidateFile = "examples/greenhouse-candidates.json"
)

var exampleTime = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// rosterRecord is a SCIM user as the scim adapter emits it.
func rosterRecord(record int, hr event.Person) *event.Event {
	if hr.Created.IsZero() {
		hr.Created = exampleTime
	}
	hr.Active = true
	return detecttest.RosterRecord(record, hr)
}

// candidateRecord is a Greenhouse candidate as the greenhouse adapter
// emits it.
func candidateRecord(record int, a event.Applicant) *event.Event {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = exampleTime.AddDate(0, -2, 0)
	}
	return &event.Event{
		Kind:      event.KindApplicant,
		Time:      a.CreatedAt,
		Prov:      event.Provenance{Origin: &event.Origin{Source: "greenhouse", File: exampleCandidateFile}, Record: record, ID: a.CandidateID},
		Applicant: &a,
	}
}
