package server

import (
	"bytes"
	"io"
	"net/http"

	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/watchlist"
)

// exportOCSF writes the saved report as OCSF findings (report.OCSF).
func (s *Server) exportOCSF(w http.ResponseWriter, r *http.Request) {
	s.exportReport(w, r, "export.ocsf", "application/x-ndjson", "rollcall-findings.ocsf.ndjson",
		report.OCSF{Time: s.now(), AssigneeGroup: "insider-risk"})
}

// exportSTIX writes the saved report's cells as a STIX 2.1 bundle
// (report.STIX); ?include_pii=1 adds mailboxes, phones and addresses.
func (s *Server) exportSTIX(w http.ResponseWriter, r *http.Request) {
	pii := r.URL.Query().Get("include_pii") == "1"
	action := "export.stix"
	if pii {
		action = "export.stix_pii"
	}
	s.exportReport(w, r, action, "application/stix+json;version=2.1", "rollcall-cells.stix.json",
		report.STIX{Time: s.now(), IncludePII: pii})
}

func (s *Server) exportReport(w http.ResponseWriter, r *http.Request, action, contentType, filename string, rep report.Reporter) {
	saved, err := s.savedReport(r.Context())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := s.audit(r, action, "report", ""); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var b bytes.Buffer
	if err := rep.Write(&b, saved); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Write(b.Bytes()) //nolint:errcheck // the client went away
}

// exportWatchlist writes the watchlist of burned identities as CSV.
func (s *Server) exportWatchlist(w http.ResponseWriter, r *http.Request) {
	s.writeWatchlist(w, r, "export.watchlist", "text/csv; charset=utf-8", "rollcall-watchlist.csv", watchlist.WriteCSV)
}

// exportWatchlistSTIX writes the watchlist as a STIX 2.1 bundle
// (report.STIXWatchlist); ?include_pii=1 adds mailboxes, phones and
// addresses.
func (s *Server) exportWatchlistSTIX(w http.ResponseWriter, r *http.Request) {
	pii := r.URL.Query().Get("include_pii") == "1"
	action := "export.watchlist_stix"
	if pii {
		action = "export.watchlist_stix_pii"
	}
	rep := report.STIXWatchlist{Time: s.now(), IncludePII: pii}
	s.writeWatchlist(w, r, action, "application/stix+json;version=2.1", "rollcall-watchlist.stix.json", rep.Write)
}

// writeWatchlist reads the tenant's own watchlist, audits the export as
// action and writes it with write.
func (s *Server) writeWatchlist(w http.ResponseWriter, r *http.Request, action, contentType, filename string, write func(io.Writer, []policy.Burned) error) {
	wl, ok := s.cfg.Work.(store.Watchlist)
	if !ok {
		s.fail(w, r, true, invalid("this workbench keeps no watchlist"))
		return
	}
	entries, err := wl.Burned(r.Context())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := s.audit(r, action, "watchlist", ""); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var b bytes.Buffer
	if err := write(&b, entries); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Write(b.Bytes()) //nolint:errcheck // the client went away
}
