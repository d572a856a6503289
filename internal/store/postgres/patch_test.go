package postgres

import (
	"errors"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/store"
)

// TestPatchResults saves a report, patches it into another and checks that
// the rows are those a whole save of the second makes, that the rows the
// patch does not name are not written again, and that a patch against
// results another save changed is refused.
func TestPatchResults(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dsn := newSchema(t, "")
	s, whole := mustOpen(t, dsn, ""), mustOpen(t, dsn, "whole")
	before := testReport("E1")
	if err := s.SaveResults(ctx, before); err != nil {
		t.Fatal(err)
	}
	// E1 loses a finding and its cluster link changes, E1b goes, E2 comes.
	after := testReport("E1")
	after.People[0].Indicators = after.People[0].Indicators[:1]
	after.People[1] = store.Person{ID: "E2", Name: "Three", Score: 5, Level: "low", Indicators: []store.Finding{{ID: "C-3"}}}
	after.Clusters[0].Members = []string{"E1"}
	after.Clusters[0].Links = nil
	after.Rejected = nil
	if err := s.PatchResults(ctx, after, store.ResultsPatch{People: []int{0, 1}, Clusters: []int{0}, GonePeople: []string{"E1b"}}); err != nil {
		t.Fatal(err)
	}
	if err := whole.SaveResults(ctx, after); err != nil {
		t.Fatal(err)
	}
	rows := dump(t, s)
	xmin := regexp.MustCompile(` xmin=\d+$`)
	strip := func(tenant string, rows []string) []string {
		var out []string
		for _, r := range rows {
			if regexp.MustCompile(`^\(` + tenant + `,`).MatchString(r) {
				out = append(out, xmin.ReplaceAllString(r[len(tenant)+2:], ""))
			}
		}
		return out
	}
	if got := strip("default", rows["people"]); len(got) != 2 {
		t.Fatalf("people after the patch: %q, want E1 and E2", got)
	}
	for _, table := range tables {
		if diff := cmp.Diff(strip("whole", rows[table]), strip("default", rows[table])); diff != "" {
			t.Errorf("%s after the patch (-whole save +patch):\n%s", table, diff)
		}
	}
	// A patch naming nothing writes no person, finding or cluster row.
	if err := s.PatchResults(ctx, after, store.ResultsPatch{}); err != nil {
		t.Fatal(err)
	}
	again := dump(t, s)
	for _, table := range []string{"people", "findings", "clusters", "cluster_links"} {
		if diff := cmp.Diff(rows[table], again[table]); diff != "" {
			t.Errorf("%s rewritten by an empty patch (-before +after):\n%s", table, diff)
		}
	}
	// Another save brings E1b back: a patch made against the results
	// before it is refused, and writes nothing.
	if err := s.SaveResults(ctx, before); err != nil {
		t.Fatal(err)
	}
	stale := dump(t, s)
	err := s.PatchResults(ctx, after, store.ResultsPatch{People: []int{1}})
	if !errors.Is(err, store.ErrStale) {
		t.Errorf("stale patch: err = %v, want store.ErrStale", err)
	}
	if diff := cmp.Diff(stale, dump(t, s)); diff != "" {
		t.Errorf("a refused patch wrote (-before +after):\n%s", diff)
	}
}
