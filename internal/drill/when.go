package drill

import (
	"context"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/pipeline"
)

// maxChecks bounds how many earlier points in time flagDays analyses.
const maxChecks = 16

// flagDays finds when each caught, hired persona was first flagged: it
// runs the same analysis as of earlier points in time — a week after the
// first injected hire, then every week (fewer, longer steps over long
// windows) — over the records dated up to then, and sets DaysToFlag and
// FlaggedOn at the first point where the persona is flagged (the end of
// the data when only the full analysis flags it).
func flagDays(ctx context.Context, opts pipeline.Options, real, extra []*event.Event, personas []*injected, out []Persona, end time.Time) error {
	var first time.Time
	open := map[string]int{} // persona id -> index in out, still to date
	for i, ip := range personas {
		if !out[i].Caught || ip.hired.IsZero() {
			continue
		}
		open[ip.id] = i
		if first.IsZero() || ip.hired.Before(first) {
			first = ip.hired
		}
	}
	if len(open) == 0 {
		return nil
	}
	step := 7 * 24 * time.Hour
	if span := end.Sub(first); span > maxChecks*step {
		step = (span/maxChecks + 24*time.Hour - 1).Truncate(24 * time.Hour)
	}
	set := func(i int, at time.Time) {
		d := max(0, int(at.Sub(personas[i].hired)/(24*time.Hour)))
		out[i].DaysToFlag = &d
		out[i].FlaggedOn = at.UTC().Format(time.DateOnly)
	}
	for at := first.Add(step); at.Before(end) && len(open) > 0; at = at.Add(step) {
		events := upTo(real, extra, at)
		o := opts
		o.Now = at
		res, err := pipeline.Analyse(ctx, events, o)
		if err != nil {
			return err
		}
		for _, p := range res.Report.People {
			if i, ok := open[p.ID]; ok && p.Flagged && !at.Before(personas[i].hired) {
				set(i, at)
				delete(open, p.ID)
			}
		}
	}
	for _, i := range open {
		set(i, end)
	}
	return nil
}

// upTo keeps the records known at time at: activity, payouts and
// shipments dated up to it, and every roster, applicant, profile and
// résumé record (they describe people, whatever their last change).
func upTo(real, extra []*event.Event, at time.Time) []*event.Event {
	out := make([]*event.Event, 0, len(real)+len(extra))
	for _, es := range [][]*event.Event{real, extra} {
		for _, e := range es {
			switch e.Kind {
			case event.KindPerson, event.KindApplicant, event.KindProfile, event.KindResume:
			default:
				if e.Time.After(at) {
					continue
				}
			}
			out = append(out, e)
		}
	}
	return out
}
