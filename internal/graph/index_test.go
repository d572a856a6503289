package graph

import (
	"slices"
	"testing"

	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// TestBuild_reads_the_linkers_index: the graph's contact links are the
// identifiers the linker's shared-identifier index (profile.Linked)
// holds: a portfolio URL written two ways links its two candidates, and
// when the engine stored an index without it, the graph links nobody —
// it has no key derivation of its own.
func TestBuild_reads_the_linkers_index(t *testing.T) {
	pol := policy.Default()
	people := func() *profile.Population {
		return population(applicant("31", "https://www.GitHub.com/DBrooks-Dev/"), applicant("32", "github.com/dbrooks-dev"),
			applicant("33", "https://github.com/"), applicant("34", "github.com"))
	}
	got := build(people(), pol, now)
	if len(got) != 1 || !slices.Equal(got[0].Members, []string{"cand-31", "cand-32"}) ||
		len(got[0].Links) != 1 || got[0].Links[0].Kind != KindURL || got[0].Links[0].Value != "github.com/dbrooks-dev" {
		t.Fatalf("clusters %+v, want cand-31 and cand-32 linked by url github.com/dbrooks-dev", got)
	}

	pop := people()
	pop.Linked = &profile.Linked{Identifiers: &profile.Identifiers{}}
	if got := build(pop, pol, now); len(got) != 0 {
		t.Errorf("with a stored index sharing nothing, clusters %+v, want none", got)
	}
}
