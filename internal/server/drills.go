package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rollcall/rollcall/internal/drill"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/store"
)

// maxDrills is how many drill runs the drills page keeps (its trend).
const maxDrills = 50

// drills are the drill runs of this server process, newest last. They
// live in memory only: a drill's injected personas never reach the store,
// the analysis, the exports, /metrics or the audit trail.
type drills struct {
	mu   sync.Mutex
	runs []drillRun
	busy bool
	wg   sync.WaitGroup // the scheduler, while it runs
}

// drillRun is one drill: who ran it, when, and its report.
type drillRun struct {
	At     time.Time
	By     string
	Report *drill.Report
}

// drillsView is what the drills page shows.
type drillsView struct {
	Scenarios []string
	Runs      []drillRun // newest first: the trend
	Last      *drillRun
	Personas  []personaRow // the last run's
	Error     string
}

// personaRow is one persona of the last run, its silent indicators
// grouped by reason.
type personaRow struct {
	drill.Persona
	Fired  string
	Silent []reasonGroup
}

type reasonGroup struct{ Reason, IDs string }

func personaRows(r *drill.Report) []personaRow {
	var out []personaRow
	for _, p := range r.Personas {
		row := personaRow{Persona: p}
		var fired []string
		for _, f := range p.Fired {
			fired = append(fired, f.ID)
		}
		row.Fired = strings.Join(fired, " ")
		byReason := map[string][]string{}
		var order []string
		for _, sl := range p.Silent {
			if _, ok := byReason[sl.Reason]; !ok {
				order = append(order, sl.Reason)
			}
			byReason[sl.Reason] = append(byReason[sl.Reason], sl.ID)
		}
		for _, reason := range order {
			row.Silent = append(row.Silent, reasonGroup{strings.ReplaceAll(reason, "_", " "), strings.Join(byReason[reason], ", ")})
		}
		out = append(out, row)
	}
	return out
}

func (s *Server) drillsPage(w http.ResponseWriter, r *http.Request) {
	s.showDrills(w, r, http.StatusOK, "")
}

func (s *Server) showDrills(w http.ResponseWriter, r *http.Request, code int, msg string) {
	s.drills.mu.Lock()
	v := drillsView{Scenarios: drill.ScenarioIDs(), Error: msg}
	for i := len(s.drills.runs) - 1; i >= 0; i-- {
		v.Runs = append(v.Runs, s.drills.runs[i])
	}
	s.drills.mu.Unlock()
	if len(v.Runs) > 0 {
		v.Last = &v.Runs[0]
		v.Personas = personaRows(v.Last.Report)
	}
	s.render(w, r, code, "drills", "Drills", "drills", v)
}

// runDrill runs a drill over the stored events, read afresh (the
// analysis's kept events are never touched) and kept apart: the personas
// exist only in the returned report.
func (s *Server) runDrill(w http.ResponseWriter, r *http.Request) {
	opts := drill.Options{Seed: 1}
	if sc := r.PostFormValue("scenario"); sc != "" && sc != "all" {
		opts.Scenarios = []string{sc}
	}
	for _, f := range []struct {
		name string
		into func(int64)
	}{{"count", func(n int64) { opts.Count = int(n) }}, {"seed", func(n int64) { opts.Seed = n }}} {
		if v := r.PostFormValue(f.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				s.showDrills(w, r, http.StatusBadRequest, f.name+" must be a positive whole number")
				return
			}
			f.into(n)
		}
	}
	if _, err := drill.Scenarios(opts.Scenarios); err != nil {
		s.showDrills(w, r, http.StatusBadRequest, "unknown scenario")
		return
	}
	rep, err := s.drill(r.Context(), who(r).User, opts)
	switch {
	case errors.Is(err, errDrillBusy):
		s.showDrills(w, r, http.StatusConflict, "A drill is already running.")
		return
	case errors.Is(err, errDrillInput):
		s.showDrills(w, r, http.StatusBadRequest, plain(err.Error()))
		return
	case err != nil:
		s.fail(w, r, false, err)
		return
	}
	// The action is audited; the personas are not (they are no one).
	s.audit(r, "drill.run", "drill", fmt.Sprintf("%d injected, %d caught", rep.Injected, rep.Caught)) //nolint:errcheck // logged inside
	http.Redirect(w, r, "/admin/drills?done=drill-run", http.StatusSeeOther)
}

var (
	errDrillBusy  = errors.New("a drill is already running")
	errDrillInput = errors.New("drill")
)

// drill runs one drill for by (a user name, or "scheduler") and keeps it.
func (s *Server) drill(ctx context.Context, by string, opts drill.Options) (*drill.Report, error) {
	s.drills.mu.Lock()
	if s.drills.busy {
		s.drills.mu.Unlock()
		return nil, errDrillBusy
	}
	s.drills.busy = true
	s.drills.mu.Unlock()
	defer func() {
		s.drills.mu.Lock()
		s.drills.busy = false
		s.drills.mu.Unlock()
	}()
	events, err := s.cfg.Store.Events(ctx, store.EventQuery{})
	if err != nil {
		return nil, err
	}
	if s.cfg.Enricher != nil {
		for _, e := range events {
			s.cfg.Enricher(e)
		}
	}
	pol, err := pipeline.WithSuppressions(ctx, s.cfg.Policy, s.cfg.Work, s.now())
	if err != nil {
		return nil, err
	}
	opts.Scan = pipeline.Options{Policy: pol}
	rep, err := drill.RunEvents(ctx, events, opts)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", errDrillInput, err)
	}
	s.drills.mu.Lock()
	s.drills.runs = append(s.drills.runs, drillRun{At: s.now(), By: by, Report: rep})
	if len(s.drills.runs) > maxDrills {
		s.drills.runs = s.drills.runs[len(s.drills.runs)-maxDrills:]
	}
	s.drills.mu.Unlock()
	return rep, nil
}

// drillScheduler runs a drill every interval until ctx ends.
func (s *Server) drillScheduler(ctx context.Context, every time.Duration) {
	defer s.drills.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if rep, err := s.drill(ctx, "scheduler", drill.Options{Seed: 1, Count: s.cfg.DrillCount}); err != nil {
			if ctx.Err() == nil && !errors.Is(err, errDrillBusy) {
				s.log.Warn("scheduled drill", "err", err)
			}
		} else {
			s.log.Info("scheduled drill", "injected", rep.Injected, "caught", rep.Caught, "blind_spots", len(rep.BlindSpots))
		}
	}
}
