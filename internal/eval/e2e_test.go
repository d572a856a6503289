package eval_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/rollcall/rollcall/internal/enrich/ipintel"
	"github.com/rollcall/rollcall/internal/eval"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/sim"
)

// TestEndToEnd simulates organisations on several seeds (every source
// format, Okta or Entra), scans the files they write exactly as a user
// would, and holds detection quality to the bar: recall ≥ 0.95 of
// operatives over all seeds, false-positive rate ≤ 1% of legitimate people
// on every seed. The organisations are smaller than the demo's so the
// suite stays fast; the figures in the README come from `rollcall demo` on
// the default size. It runs without the race detector (make test's second
// step): the pipeline's concurrency is covered by the race-enabled tests.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end evaluation skipped in -short mode")
	}
	if raceEnabled {
		t.Skip("end-to-end evaluation runs without -race (make test runs it in a second step)")
	}
	var (
		mu                             sync.Mutex
		caught, operatives, fps, legit int
	)
	// The seeds run in parallel (this step has the machine to itself), in
	// a group that returns when all of them have finished.
	t.Run("seeds", func(t *testing.T) {
		for _, seed := range []int64{11, 12, 13, 14} {
			t.Run(fmt.Sprintf("seed_%d", seed), func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				org, err := sim.Generate(sim.Config{Seed: seed, People: 300, Days: 60, IdP: "auto"})
				if err != nil {
					t.Fatal(err)
				}
				if err := org.WriteDir(dir); err != nil {
					t.Fatal(err)
				}
				db, err := ipintel.Open()
				if err != nil {
					t.Fatal(err)
				}
				res, err := pipeline.Scan(context.Background(), pipeline.Options{
					Inputs:   []pipeline.Input{{Path: dir}},
					Enricher: db.Enrich,
				})
				if err != nil {
					t.Fatal(err)
				}
				st := res.Report.Stats
				if st.RecordsRead != st.Events+st.RecordsRejected || st.RecordsRejected != 0 {
					t.Errorf("stats = %+v: the simulator's own files must read without rejections", st)
				}
				var skipped []string
				for _, s := range res.Report.SkippedFiles {
					skipped = append(skipped, filepath.Base(s.File))
				}
				if slices.Sort(skipped); !slices.Equal(skipped, []string{sim.FileAllowList, sim.FileTruth}) {
					t.Errorf("skipped = %+v, want only %s and %s", res.Report.SkippedFiles, sim.FileAllowList, sim.FileTruth)
				}
				var buf bytes.Buffer
				if err := (report.JSON{}).Write(&buf, res.Report); err != nil {
					t.Fatal(err)
				}
				ev, err := eval.Evaluate(org.Truth(), buf.Bytes())
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("seed %d: recall %.3f (%d/%d), FPR %.4f (%d/%d), precision %.3f, mean cell Jaccard %.3f",
					seed, ev.Recall, ev.Caught, ev.Operatives, ev.FalsePositiveRate, ev.FalsePositives, ev.Legitimate,
					ev.Precision, ev.MeanBestJaccard)
				mu.Lock()
				caught += ev.Caught
				operatives += ev.Operatives
				fps += ev.FalsePositives
				legit += ev.Legitimate
				mu.Unlock()
				if ev.FalsePositiveRate > 0.01 {
					t.Errorf("false-positive rate %.4f > 0.01: %v", ev.FalsePositiveRate, ev.FalsePositiveIDs)
				}
			})
		}
	})
	if operatives == 0 {
		t.Fatal("no operatives simulated")
	}
	recall := float64(caught) / float64(operatives)
	t.Logf("overall: recall %.3f (%d/%d), FPR %.4f (%d/%d)", recall, caught, operatives,
		float64(fps)/float64(legit), fps, legit)
	if recall < 0.95 {
		t.Errorf("recall %.3f over all seeds < 0.95", recall)
	}
}
