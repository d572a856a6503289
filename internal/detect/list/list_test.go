package list

import (
	"context"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

var (
	catalogueID = regexp.MustCompile(`^[A-Z]{3}-\d{2}$`)
	exampleName = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)
)

// formatIDs are the input format ids of DESIGN.md §3, and the meeting
// exports of issue 15 (zoom, teams).
var formatIDs = []string{
	"okta", "entra", "gworkspace", "github", "gitlog", "osquery", "scim", "greenhouse",
	"payroll", "shipments", "resumes", "github-users", "zoom", "teams",
}

var stages = []detect.Stage{
	detect.StageHiring, detect.StageOnboarding, detect.StageIdentity, detect.StageEndpoint,
	detect.StageNetwork, detect.StageCode, detect.StagePayroll, detect.StageOffboarding,
}

var strengths = []detect.Strength{detect.Strong, detect.Medium, detect.Weak}

func TestRegistryIsNotEmpty(t *testing.T) {
	if len(Indicators()) == 0 {
		t.Fatal("no indicators registered")
	}
}

func TestIndicatorMetadata(t *testing.T) {
	seen := map[string]bool{}
	for _, ind := range Indicators() {
		id := ind.ID()
		t.Run(id, func(t *testing.T) {
			if !catalogueID.MatchString(id) {
				t.Errorf("ID %q does not match %s", id, catalogueID)
			}
			if seen[id] {
				t.Errorf("ID %q registered twice", id)
			}
			seen[id] = true
			if got, ok := ByID(id); !ok || got != ind {
				t.Errorf("ByID(%q) does not return the registered indicator", id)
			}
			if ind.Name() == "" {
				t.Error("Name is empty")
			}
			if n := len(ind.Description()); n < 80 {
				t.Errorf("Description has %d characters, want at least 80 (meaning and false positives)", n)
			}
			if len(ind.References()) == 0 {
				t.Error("References is empty")
			}
			for _, r := range ind.References() {
				if r == "" {
					t.Error("References has an empty entry")
				}
			}
			if len(ind.Sources()) == 0 {
				t.Error("Sources is empty")
			}
			for _, s := range ind.Sources() {
				if !slices.Contains(formatIDs, s) {
					t.Errorf("source %q is not a known format id %v", s, formatIDs)
				}
			}
			if w := ind.Weight(); w <= 0 || w > 100 {
				t.Errorf("Weight %v is not in (0, 100]", w)
			}
			if !slices.Contains(stages, ind.Stage()) {
				t.Errorf("Stage %q is not a known stage", ind.Stage())
			}
			if !slices.Contains(strengths, ind.Strength()) {
				t.Errorf("Strength %q is not H, M or L", ind.Strength())
			}
		})
	}
}

func TestIndicatorExamples(t *testing.T) {
	for _, ind := range Indicators() {
		t.Run(ind.ID(), func(t *testing.T) {
			ex := ind.Examples()
			t.Run("positive", func(t *testing.T) {
				_, fs := runExample(t, ind, ex.Positive)
				var found bool
				for _, f := range fs {
					if f.Person != ex.Positive.Person {
						continue
					}
					found = true
					if !slices.ContainsFunc(f.Evidence, func(e detect.Evidence) bool { return e.File != "" && e.Record > 0 }) {
						t.Errorf("finding on %s has no evidence naming a file and record: %+v", f.Person, f.Evidence)
					}
				}
				if !found {
					t.Errorf("no finding on %q (findings: %+v)", ex.Positive.Person, fs)
				}
			})
			t.Run("negative", func(t *testing.T) {
				_, fs := runExample(t, ind, ex.Negative)
				for _, f := range fs {
					if f.Person == ex.Negative.Person {
						t.Errorf("finding on %q in the negative example: %s", f.Person, f.Summary)
					}
				}
			})
		})
	}
}

// runExample resolves an example's events and runs the indicator under the
// default policy, with the example's flagged people for score-dependent
// indicators.
func runExample(t *testing.T, ind detect.Indicator, ex detect.Example) (*profile.Population, []detect.Finding) {
	t.Helper()
	if !exampleName.MatchString(ex.Name) {
		t.Errorf("example name %q is not snake_case", ex.Name)
	}
	if len(ex.Events) == 0 {
		t.Fatalf("example %q has no events", ex.Name)
	}
	pop := detecttest.Population(ex.Events, nil)
	if pop.Person(ex.Person) == nil {
		t.Fatalf("example %q: person %q is not in the resolved population", ex.Name, ex.Person)
	}
	_, dependent := ind.(detect.ScoreDependent)
	if len(ex.Flagged) > 0 && !dependent {
		t.Errorf("example %q sets Flagged but %s does not implement detect.ScoreDependent", ex.Name, ind.ID())
	}
	pol := policy.Default()
	pol.Watchlist = ex.Watchlist
	pol.Sigma.Loaded = ex.Sigma
	in := &detect.Input{Pop: pop, Policy: pol, Now: latest(ex).Add(24 * time.Hour), Flagged: map[string]bool{}}
	for _, id := range ex.Flagged {
		in.Flagged[id] = true
	}
	return pop, detecttest.Run(t, ind, in)
}

// latest is the time of the example's latest event.
func latest(ex detect.Example) time.Time {
	var t time.Time
	for _, e := range ex.Events {
		if e.Time.After(t) {
			t = e.Time
		}
	}
	return t
}

// TestIndicatorsShareReadOnlyInput runs every indicator at once over each
// positive example's population and checks that each finds what it finds
// alone: what indicators share (stamped facts, the person model) is
// computed before detection and only read during it, so the engine may
// run them in parallel (go test -race reports any write).
func TestIndicatorsShareReadOnlyInput(t *testing.T) {
	inds := Indicators()
	for _, ind := range inds {
		ex := ind.Examples().Positive
		pol := policy.Default()
		in := &detect.Input{Pop: detecttest.Population(ex.Events, pol), Policy: pol, Now: latest(ex).Add(24 * time.Hour), Flagged: map[string]bool{}}
		alone := make([]int, len(inds))
		for i, other := range inds {
			fs, err := other.Detect(context.Background(), in)
			if err != nil {
				t.Fatalf("%s on %s's example: %v", other.ID(), ind.ID(), err)
			}
			alone[i] = len(fs)
		}
		together := make([]int, len(inds))
		var wg sync.WaitGroup
		for i, other := range inds {
			wg.Go(func() {
				fs, err := other.Detect(context.Background(), in)
				if err == nil {
					together[i] = len(fs)
				}
			})
		}
		wg.Wait()
		if diff := cmp.Diff(alone, together); diff != "" {
			t.Errorf("findings per indicator on %s's example, alone vs concurrently (-alone +together):\n%s", ind.ID(), diff)
		}
	}
}
