package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/textfmt"
)

// progressEvery is how often the progress line is redrawn.
const progressEvery = 250 * time.Millisecond

// progressLine redraws one line on a terminal from a scan's progress, on
// its own ticker: the engine only bumps atomic counters. Commands create
// one only when stderr is a terminal (env.tty), so that nothing reaches
// pipes, files or CI logs.
type progressLine struct {
	w    io.Writer
	prog *pipeline.Progress
	done chan struct{}
	once sync.Once
	wg   sync.WaitGroup
}

// showProgress draws prog on w until stop; with a nil prog it draws
// nothing (and stop does nothing).
func showProgress(w io.Writer, prog *pipeline.Progress) *progressLine {
	l := &progressLine{w: w, prog: prog, done: make(chan struct{})}
	if prog == nil {
		return l
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-l.done:
				fmt.Fprint(w, "\r\033[K")
				return
			case now := <-t.C:
				if line := renderProgress(prog.Snapshot(), now); line != "" {
					fmt.Fprintf(w, "\r\033[K%s", line)
				}
			}
		}
	}()
	return l
}

// stop clears the line and returns once it is cleared. It may be called
// more than once, and on a nil *progressLine.
func (l *progressLine) stop() {
	if l == nil || l.prog == nil {
		return
	}
	l.once.Do(func() { close(l.done) })
	l.wg.Wait()
}

// renderProgress is one stage's progress line at now: the stage, how much
// of its total is done with a percentage and an estimate of the time left
// (reading counts bytes and records decoded); a stage without a total says how
// long it has run.
func renderProgress(s pipeline.ProgressSnapshot, now time.Time) string {
	if s.Stage == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(s.Stage)
	b.WriteString(": ")
	elapsed := now.Sub(s.Start)
	switch {
	case s.Total > 0:
		done := min(s.Done, s.Total)
		if s.Unit == pipeline.UnitBytes {
			fmt.Fprintf(&b, "%s of %s", byteSize(done), byteSize(s.Total))
		} else {
			fmt.Fprintf(&b, "%s of %s", textfmt.Thousands(int(done)), textfmt.Thousands(int(s.Total)))
			if s.Unit != "" {
				b.WriteString(" " + s.Unit)
			}
		}
		fmt.Fprintf(&b, " (%d%%)", done*100/s.Total)
		if s.Records > 0 && s.Unit == pipeline.UnitBytes {
			fmt.Fprintf(&b, ", %s", textfmt.Quantity(int(s.Records), "record", "records"))
		}
		if eta, ok := remaining(done, s.Total, elapsed); ok {
			fmt.Fprintf(&b, ", about %s left", shortDuration(eta))
		}
	default:
		if s.Records > 0 && s.Unit == pipeline.UnitBytes {
			fmt.Fprintf(&b, "%s, ", textfmt.Quantity(int(s.Records), "record", "records"))
		}
		fmt.Fprintf(&b, "%s", shortDuration(elapsed))
	}
	return b.String()
}

// remaining estimates the time left at the rate so far; there is no
// estimate before a second has passed or anything is done (a rate from
// the first few reads is noise).
func remaining(done, total int64, elapsed time.Duration) (time.Duration, bool) {
	if done <= 0 || elapsed < time.Second || done >= total {
		return 0, false
	}
	return time.Duration(float64(elapsed) * float64(total-done) / float64(done)), true
}

// shortDuration is d rounded for a person: "4s", "1m05s", "2h03m".
func shortDuration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// byteSize is n bytes in decimal units: "512 B", "3.4 MB", "1.2 GB".
func byteSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTP"[exp])
}
