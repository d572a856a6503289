package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/rollcall/rollcall/internal/enrich/ipintel"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/store"
)

func termIsTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// asExit maps pipeline errors to exit codes: input errors are usage errors.
func asExit(err error) error {
	var ie *pipeline.InputError
	if errors.As(err, &ie) {
		return &exitError{code: ExitUsage, err: err}
	}
	return err
}

func loadPolicy(path string) (*policy.Policy, error) {
	if path == "" {
		return policy.Default(), nil
	}
	p, err := policy.Load(path)
	if err != nil {
		return nil, usageError("--policy: %v", err)
	}
	if err := p.ValidateIDs(knownIndicator); err != nil {
		return nil, usageError("--policy %s: %v", path, err)
	}
	return p, nil
}

// openEnricher opens IP databases and network lists. Without any database
// the built-in network list still applies to vendor-supplied ASNs; the
// returned note says which indicators are weaker for it.
func openEnricher(dbs, networks []string) (func(*event.Event), string, error) {
	db, err := ipintel.Open(dbs...)
	if err != nil {
		return nil, "", usageError("--ipdb: %v", err)
	}
	if len(networks) > 0 {
		var files []io.Reader
		for _, n := range networks {
			f, err := os.Open(n)
			if err != nil {
				return nil, "", usageError("--networks: %v", err)
			}
			defer f.Close()
			files = append(files, f)
		}
		list, err := ipintel.LoadNetworks(files...)
		if err != nil {
			return nil, "", usageError("--networks: %v", err)
		}
		db.SetNetworks(list)
	}
	return db.Enrich, db.Note(), nil
}

// persist saves a scan's events and results into st through the engine
// (pipeline.Persist: results, event owners, and the workbench's finding
// marks and coverage).
func persist(ctx context.Context, st store.Store, dsn string, res *pipeline.Result) error {
	if _, err := st.SaveEvents(ctx, res.Events); err != nil {
		return fmt.Errorf("saving events to %q: %w", dsn, err)
	}
	if _, err := pipeline.Persist(ctx, st, res, nil, time.Now()); err != nil {
		return fmt.Errorf("%q: %w", dsn, err)
	}
	return nil
}

// progress prints one updating line on a terminal.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	records int
	file    string
	last    time.Time
	stage   string
}

func newProgress(w io.Writer) func(pipeline.Progress) {
	p := &progress{w: w}
	return p.update
}

func (p *progress) update(ev pipeline.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.records += ev.Records
	if ev.File != "" {
		p.file = ev.File
	}
	if ev.Stage != "" {
		p.stage = ev.Stage
	}
	if !ev.Done && time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	if ev.Done {
		fmt.Fprintf(p.w, "\r\033[K")
		return
	}
	fmt.Fprintf(p.w, "\r\033[K%s: %d records read (%s)", p.stage, p.records, p.file)
}
