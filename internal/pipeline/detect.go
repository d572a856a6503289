package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/graph"
)

// run evaluates independent indicators on up to Options.Workers goroutines
// (GOMAXPROCS when zero), indicator i over input(i), and returns each
// indicator's findings at its index, whatever the scheduling.
// Indicators read the population and must not change it; `go test -race`
// over the golden scans checks that they do not.
// prog, when set, counts the indicators done.
func run(ctx context.Context, inds []detect.Indicator, input func(i int) *detect.Input, workers int, prog *Progress) ([][]detect.Finding, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(inds))
	out := make([][]detect.Finding, len(inds))
	errs := make([]error, len(inds))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = detectOne(ctx, inds[i], input(i))
				prog.Add(1)
			}
		})
	}
feed:
	for i := range inds {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	// The first error in registry order, so that the error too does not
	// depend on scheduling. A failing indicator does not stop the others
	// (that would make which error comes first depend on timing); only
	// ctx does.
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// concat joins the findings of several indicators in their order: the
// findings of indicator i come before those of indicator i+1, as if they
// had run one after the other.
func concat(out [][]detect.Finding) []detect.Finding {
	n := 0
	for _, fs := range out {
		n += len(fs)
	}
	all := make([]detect.Finding, 0, n)
	for _, fs := range out {
		all = append(all, fs...)
	}
	return all
}

// detectOne runs one indicator and stamps its findings with its id.
func detectOne(ctx context.Context, ind detect.Indicator, in *detect.Input) ([]detect.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fs, err := ind.Detect(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("indicator %s: %w", ind.ID(), err)
	}
	for i := range fs {
		fs[i].Indicator = ind.ID()
	}
	return fs, nil
}

// graphLinks hands the graph the findings that relate people (those with
// related people), in the graph's own type.
func graphLinks(findings []detect.Finding) []graph.FindingLink {
	var out []graph.FindingLink
	for _, f := range findings {
		if len(f.Related) == 0 {
			continue
		}
		out = append(out, graph.FindingLink{Indicator: f.Indicator, Person: f.Person, Related: f.Related,
			Confidence: f.Confidence, Evidence: f.Evidence})
	}
	return out
}
