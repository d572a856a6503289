package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/rollcall/rollcall/internal/enrich/ipintel"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/report"
	sourcelist "github.com/rollcall/rollcall/internal/source/list"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/textfmt"
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
	p, err := policy.LoadChecked(path, knownIndicator)
	if err != nil {
		return nil, usageError("--policy: %v", err)
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
// marks and coverage) and says on w how many events were new, once the
// progress line shown is cleared.
func persist(ctx context.Context, w io.Writer, st store.Store, dsn string, res *pipeline.Result, shown *progressLine) error {
	inserted, err := st.SaveEvents(ctx, res.Events)
	if err != nil {
		return fmt.Errorf("saving events to %q: %w", redactDSN(dsn), err)
	}
	if err := pipeline.Persist(ctx, st, res, time.Now()); err != nil {
		return fmt.Errorf("%q: %w", redactDSN(dsn), err)
	}
	shown.stop()
	fmt.Fprintf(w, "%s: stored %s, %d already present\n", redactDSN(dsn),
		textfmt.Quantity(inserted, "new record", "new records"), len(res.Events)-inserted)
	return nil
}

// analyse runs the analysis of scan and explain. Tests replace it to share
// one analysis between commands that read the same inputs.
var analyse = pipeline.Scan

// requireRecords turns a scan that read no record into an input error that
// says what was found and how to fix it: an empty directory or a directory
// of files in no recognised format is a mistake, not a clean bill of health.
func requireRecords(r *report.Report, inputs []pipeline.Input) error {
	if r.Stats.RecordsRead > 0 {
		return nil
	}
	var paths []string
	for _, in := range inputs {
		paths = append(paths, in.Path)
	}
	where := strings.Join(paths, ", ")
	formats := strings.Join(sourcelist.IDs(), ", ")
	switch skipped := len(r.SkippedFiles); {
	case r.Stats.Files == 0 && skipped == 0:
		return usageError("no records read: no files found in %s; point scan at the exports (files or directories) of %s", where, formats)
	case r.Stats.Files == 0:
		var names []string
		for i, s := range r.SkippedFiles {
			if i == 3 {
				names = append(names, fmt.Sprintf("and %d more", skipped-i))
				break
			}
			names = append(names, filepath.Base(s.File))
		}
		return usageError("no records read: %s found in %s, none in a recognised format (%s); the formats are %s; "+
			"force one with --input FORMAT=PATH when a file's content is not recognised",
			textfmt.Count(skipped, "file", "files"), where, strings.Join(names, ", "), formats)
	default:
		return usageError("no records read: %s in %s held no records (empty exports?); check the export, then scan again",
			textfmt.Count(r.Stats.Files, "file", "files"), where)
	}
}
