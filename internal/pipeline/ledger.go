package pipeline

import (
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/source"
)

// Ledger accounts for every record read, per file and per source: a
// record read is either processed (it became an event) or rejected, so
// read = processed + rejected always. Every mode keeps one: scan per run,
// serve per upload, the worker per batch.
type Ledger struct {
	Files    []LedgerFile
	Skipped  []report.Skipped
	Rejected []source.Rejection
}

// LedgerFile is one file's line of the ledger.
type LedgerFile struct {
	Name      string
	Format    string
	Processed int
	Rejected  int
	// Sources counts the file's events per event source (a format's id).
	Sources map[string]int
	// Unknown counts the events kept with an optional field read as
	// unknown (Provenance.Unknown).
	Unknown int
}

// Read is Processed + Rejected.
func (f LedgerFile) Read() int { return f.Processed + f.Rejected }

// Add enters one ingested body: a skipped one into Skipped, any other as a
// file with its counts and rejections.
func (l *Ledger) Add(r FileResult) {
	if r.Skipped != nil {
		l.Skipped = append(l.Skipped, *r.Skipped)
		return
	}
	f := LedgerFile{Name: r.Name, Format: r.Format, Processed: len(r.Events), Rejected: len(r.Rejected),
		Sources: map[string]int{}}
	for _, e := range r.Events {
		f.Sources[e.Prov.Source()]++
		if e.Prov.Unknown != nil {
			f.Unknown++
		}
	}
	l.Files = append(l.Files, f)
	l.Rejected = append(l.Rejected, r.Rejected...)
}

// Totals returns the records read, processed and rejected in all.
func (l *Ledger) Totals() (read, processed, rejected int) {
	for _, f := range l.Files {
		processed += f.Processed
		rejected += f.Rejected
	}
	return processed + rejected, processed, rejected
}

// BySource returns the events processed per source.
func (l *Ledger) BySource() map[string]int {
	m := map[string]int{}
	for _, f := range l.Files {
		for src, n := range f.Sources {
			m[src] += n
		}
	}
	return m
}

// Stamp writes the ledger into a report's statistics, rejected records and
// skipped files.
func (l *Ledger) Stamp(rep *report.Report) {
	read, _, rejected := l.Totals()
	rep.Rejected = l.Rejected
	rep.SkippedFiles = l.Skipped
	rep.Stats.Files = len(l.Files)
	rep.Stats.RecordsRejected = rejected
	rep.Stats.RecordsRead = read
	rep.Stats.BySource = l.BySource()
	rep.Stats.RecordsWithUnknown = 0
	for _, f := range l.Files {
		rep.Stats.RecordsWithUnknown += f.Unknown
	}
}
