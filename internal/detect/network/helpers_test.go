package network

import "github.com/rollcall/rollcall/internal/detect/detecttest"

// outcome is the part of a finding the table tests compare: person,
// confidence and the record numbers of its evidence (all in exampleOktaFile).
type outcome = detecttest.RecordOutcome

// run resolves events, runs an indicator under a policy (nil: the default
// policy) six months after exampleStart and reduces its findings to
// outcomes.
var run = detecttest.RunSignIns

// person is one person's roster record and numbered sign-ins.
type person = detecttest.Schedule

func newPerson(id, country string) *person { return detecttest.NewSchedule(id, country, "Windows") }
