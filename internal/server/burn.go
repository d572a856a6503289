package server

import (
	"context"
	"strconv"

	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

// burn puts the identifiers of the people of case c on the watchlist when
// its verdict is confirmed (a confirmed operative, or a cell of them), and
// returns how many entries were new; the next analysis then flags anyone
// else who holds one (APP-20). A workbench without a watchlist burns
// nothing.
func (s *Server) burn(ctx context.Context, p *principal, addr string, c store.Case, people []report.Person) (int, error) {
	wl, ok := s.cfg.Work.(store.Watchlist)
	if !ok || c.Verdict != store.VerdictConfirmed || len(people) == 0 {
		return 0, nil
	}
	ids := make([]string, len(people))
	for i, q := range people {
		ids[i] = q.ID
	}
	caseRef := "case " + strconv.FormatInt(c.ID, 10)
	n, err := pipeline.BurnPeople(ctx, s.cfg.Store, wl, s.cfg.Policy, s.cfg.Enricher, ids, caseRef, s.now())
	if err != nil {
		return 0, err
	}
	s.auditAs(ctx, p.actor(), addr, "watchlist.burn", caseTarget(c.ID), strconv.Itoa(n)+" identifiers added") //nolint:errcheck // logged inside
	return n, nil
}
