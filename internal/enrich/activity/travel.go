package activity

import (
	"time"

	"github.com/rollcall/rollcall/internal/policy"
)

// InTravel reports whether t lies in one of person's approved travel
// windows (allow.travel), whatever the countries: activity hours and
// clocks away from home follow the trip, not the home. The window covers
// its To date whole when To has no time of day.
func InTravel(allow *policy.Allow, person string, t time.Time) bool {
	if allow == nil {
		return false
	}
	for _, e := range allow.Travel {
		if e.Person != person || !e.Active(t) || t.Before(e.From) {
			continue
		}
		end := e.To.Add(time.Nanosecond)
		if e.To.Hour() == 0 && e.To.Minute() == 0 && e.To.Second() == 0 && e.To.Nanosecond() == 0 {
			end = e.To.AddDate(0, 0, 1)
		}
		if t.Before(end) {
			return true
		}
	}
	return false
}

// WithoutTravel drops the touches in person's approved travel windows.
func WithoutTravel(ts []Touch, allow *policy.Allow, person string) []Touch {
	if allow == nil || len(allow.Travel) == 0 {
		return ts
	}
	out := make([]Touch, 0, len(ts))
	for _, t := range ts {
		if !InTravel(allow, person, t.At) {
			out = append(out, t)
		}
	}
	return out
}
