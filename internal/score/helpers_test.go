package score

import (
	"context"
	"sort"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/profile"
)

var now = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// fake is a registry entry for tests.
type fake struct {
	id       string
	stage    detect.Stage
	strength detect.Strength
	weight   float64
}

var _ detect.Indicator = fake{}

func (f fake) ID() string                                                      { return f.id }
func (f fake) Name() string                                                    { return "name of " + f.id }
func (f fake) Stage() detect.Stage                                             { return f.stage }
func (f fake) Strength() detect.Strength                                       { return f.strength }
func (f fake) Sources() []string                                               { return []string{"okta"} }
func (f fake) Weight() float64                                                 { return f.weight }
func (f fake) Description() string                                             { return "" }
func (f fake) References() []string                                            { return nil }
func (f fake) Examples() detect.Examples                                       { return detect.Examples{} }
func (f fake) Detect(context.Context, *detect.Input) ([]detect.Finding, error) { return nil, nil }

// registry: a few strong, medium and weak indicators across stages.
var registry = []fake{
	{"ONB-02", detect.StageOnboarding, detect.Strong, 40},
	{"ONB-01", detect.StageOnboarding, detect.Strong, 30},
	{"ONB-03", detect.StageOnboarding, detect.Medium, 20},
	{"IAM-01", detect.StageIdentity, detect.Medium, 30},
	{"IAM-04", detect.StageIdentity, detect.Medium, 20},
	{"IAM-06", detect.StageIdentity, detect.Weak, 10},
	{"PAY-01", detect.StagePayroll, detect.Strong, 45},
	{"PAY-02", detect.StagePayroll, detect.Medium, 25},
	{"APP-02", detect.StageHiring, detect.Weak, 10},
	{"APP-07", detect.StageHiring, detect.Weak, 15},
	{"END-07", detect.StageEndpoint, detect.Weak, 10},
	{"END-05", detect.StageEndpoint, detect.Medium, 15},
	{"END-10", detect.StageEndpoint, detect.Medium, 15}, // made weak by policy in tests
	{"COL-02", detect.StageCode, detect.Weak, 10},
}

func lookup(id string) (detect.Indicator, bool) {
	for _, f := range registry {
		if f.id == id {
			return f, true
		}
	}
	return nil, false
}

func find(person, indicator string) detect.Finding {
	return detect.Finding{Indicator: indicator, Person: person, Summary: indicator + " on " + person,
		Evidence: []detect.Evidence{{Source: "okta", File: "okta.json", Record: 1, Summary: "a record"}}}
}

func withConfidence(f detect.Finding, c float64) detect.Finding { f.Confidence = c; return f }

func population(ids ...string) *profile.Population {
	pop := &profile.Population{ByID: map[string]*profile.Person{}}
	for _, id := range ids {
		p := &profile.Person{ID: id, Kind: profile.KindEmployee}
		pop.People = append(pop.People, p)
		pop.ByID[id] = p
	}
	sort.Slice(pop.People, func(i, j int) bool { return pop.People[i].ID < pop.People[j].ID })
	return pop
}
