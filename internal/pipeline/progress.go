package pipeline

import (
	"sync/atomic"
	"time"
)

// Progress is how far a scan has gone: the stage it is in and, for the
// stages that know one, how much of a total is done. The engine updates
// it with atomic counters as it works; a display samples it on its own
// clock (Snapshot), so that progress costs the scan no locks, no
// allocations per record and no callbacks. Every method is safe on a nil
// *Progress, which records nothing.
type Progress struct {
	stage   atomic.Pointer[stageInfo]
	done    atomic.Int64
	records atomic.Int64
}

// Units of a stage's total.
const (
	UnitBytes  = "bytes"  // reading: bytes of the input files
	UnitPeople = "people" // profiling: people whose features are built
	UnitEvents = "events" // enriching
	UnitItems  = ""       // indicators, records stored: counted things
)

type stageInfo struct {
	name, unit string
	total      int64
	start      time.Time
}

// ProgressSnapshot is Progress at one moment.
type ProgressSnapshot struct {
	Stage string // "" before the first stage
	Unit  string // what Done and Total count (UnitBytes, ...)
	Done  int64
	Total int64 // 0: the stage has no known total
	// Records is how many records reading has decoded so far.
	Records int64
	// Start is when the stage began.
	Start time.Time
}

// Begin starts a stage of total units (0 when unknown), resetting Done.
// Stages are named for a person watching: "reading", "profiling",
// "indicators", "graph", "storing".
func (p *Progress) Begin(stage, unit string, total int64) {
	if p == nil {
		return
	}
	p.done.Store(0)
	p.stage.Store(&stageInfo{name: stage, unit: unit, total: total, start: time.Now()})
}

// Add counts n more units done in the current stage.
func (p *Progress) Add(n int64) {
	if p != nil {
		p.done.Add(n)
	}
}

// AddRecords counts n more records decoded.
func (p *Progress) AddRecords(n int64) {
	if p != nil {
		p.records.Add(n)
	}
}

// Snapshot reads the progress now.
func (p *Progress) Snapshot() ProgressSnapshot {
	if p == nil {
		return ProgressSnapshot{}
	}
	s := ProgressSnapshot{Done: p.done.Load(), Records: p.records.Load()}
	if st := p.stage.Load(); st != nil {
		s.Stage, s.Unit, s.Total, s.Start = st.name, st.unit, st.total, st.start
	}
	return s
}
