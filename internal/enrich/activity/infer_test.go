package activity

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

// schedule draws the local hour (fraction, may exceed 24: the next day) of
// one touch.
type schedule func(r *rand.Rand) float64

var (
	// officeHours: 09:00–17:30 local.
	officeHours schedule = func(r *rand.Rand) float64 { return 9 + 8.5*r.Float64() }
	// nightOwl: a normal day and, for a fifth of touches, 22:00–01:00.
	nightOwl schedule = func(r *rand.Rand) float64 {
		if r.Float64() < 0.2 {
			return 22 + 3*r.Float64()
		}
		return 9 + 8.5*r.Float64()
	}
	// aroundTheClock: any hour (shift rotation, a shared account).
	aroundTheClock schedule = func(r *rand.Rand) float64 { return 24 * r.Float64() }
	// chicagoFromSeoul: someone in Seoul keeping Chicago office hours
	// (09:00–17:30 CST is 00:00–08:30 KST the next day) — the night-shift
	// evasion.
	chicagoFromSeoul schedule = func(r *rand.Rand) float64 { return 24 + 8.5*r.Float64() }
	// twoHumps: half the touches in a Seoul day, half in Chicago's morning.
	twoHumps schedule = func(r *rand.Rand) float64 {
		if r.Float64() < 0.5 {
			return 10 + 8*r.Float64()
		}
		return 24 + 3*r.Float64()
	}
	// ownDayAndLocalDay: a Seoul day and a Chicago day back to back, half
	// and half: 17 hours of activity with no quiet stretch.
	ownDayAndLocalDay schedule = func(r *rand.Rand) float64 {
		if r.Float64() < 0.5 {
			return 9 + 8.5*r.Float64()
		}
		return 24 + 8.5*r.Float64()
	}
	// ownDayAndMeetings: a Seoul day plus Chicago-morning meetings for a
	// fifth of touches (00:00–02:00 KST).
	ownDayAndMeetings schedule = func(r *rand.Rand) float64 {
		if r.Float64() < 0.2 {
			return 24 + 2*r.Float64()
		}
		return 10 + 8*r.Float64()
	}
)

// synthetic makes perDay touches on each weekday (and on a tenth of
// weekend days) of days days from 2025-01-06 in loc, at hours drawn from
// s; commitOffset, when not nil, makes every touch a commit stamped with
// that zone.
func synthetic(t *testing.T, zone string, days, perDay int, s schedule, commitZone *time.Location) []Touch {
	t.Helper()
	loc := mustLoad(t, zone)
	r := rand.New(rand.NewPCG(7, 1))
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, loc)
	var ts []Touch
	for d := range days {
		day := start.AddDate(0, 0, d)
		if wd := day.Weekday(); (wd == time.Saturday || wd == time.Sunday) && r.Float64() > 0.1 {
			continue
		}
		for range perDay {
			at := day.Add(time.Duration(s(r) * float64(time.Hour)))
			e := &event.Event{Kind: event.KindSignIn, Time: at.UTC()}
			if commitZone != nil {
				e = &event.Event{Kind: event.KindCommit, Time: at.UTC(), Commit: &event.Commit{AuthorTime: at.In(commitZone)}}
			}
			ts = append(ts, Touch{At: at.UTC(), Event: e})
		}
	}
	sortTouches(ts)
	return ts
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestInfer(t *testing.T) {
	const (
		chicagoWinter = -6 * 60
		seoul         = 9 * 60
		kolkata       = 5*60 + 30
	)
	tests := []struct {
		name    string
		touches func(t *testing.T) []Touch
		decided bool
		near    int // when decided: the true offset the estimate must be within 60 minutes of
	}{
		{name: "chicago_office_hours", touches: func(t *testing.T) []Touch {
			return synthetic(t, "America/Chicago", 60, 4, officeHours, nil)
		}, decided: true, near: chicagoWinter},
		{name: "seoul_office_hours", touches: func(t *testing.T) []Touch {
			return synthetic(t, "Asia/Seoul", 60, 4, officeHours, nil)
		}, decided: true, near: seoul},
		{name: "kolkata_half_hour_offset", touches: func(t *testing.T) []Touch {
			return synthetic(t, "Asia/Kolkata", 60, 4, officeHours, nil)
		}, decided: true, near: kolkata},
		{name: "one_touch_a_day_for_eight_weeks", touches: func(t *testing.T) []Touch {
			return synthetic(t, "Asia/Seoul", 56, 1, officeHours, nil)
		}, decided: true, near: seoul},
		{name: "new_york_across_the_dst_change", touches: func(t *testing.T) []Touch {
			// 2025-01-06 + 120 days crosses 9 March.
			return synthetic(t, "America/New_York", 120, 3, officeHours, nil)
		}, decided: true, near: -5*60 + 30},
		{
			// The evasion: working Chicago hours from Seoul looks local.
			// Nothing to see; the estimate is Chicago's.
			name: "night_shift_to_look_local", touches: func(t *testing.T) []Touch {
				return synthetic(t, "Asia/Seoul", 60, 4, chicagoFromSeoul, nil)
			}, decided: true, near: chicagoWinter,
		},
		{name: "night_owl_stays_local", touches: func(t *testing.T) []Touch {
			return synthetic(t, "America/Chicago", 60, 4, nightOwl, nil)
		}, decided: true, near: chicagoWinter},
		{name: "own_day_and_local_meetings_points_home", touches: func(t *testing.T) []Touch {
			return synthetic(t, "Asia/Seoul", 60, 4, ownDayAndMeetings, nil)
		}, decided: true, near: seoul - 90},
		{name: "around_the_clock_is_flat", touches: func(t *testing.T) []Touch {
			return synthetic(t, "America/Chicago", 60, 4, aroundTheClock, nil)
		}},
		{name: "two_humps_half_and_half", touches: func(t *testing.T) []Touch {
			return synthetic(t, "Asia/Seoul", 60, 4, twoHumps, nil)
		}},
		{name: "two_working_days_back_to_back", touches: func(t *testing.T) []Touch {
			return synthetic(t, "Asia/Seoul", 60, 4, ownDayAndLocalDay, nil)
		}},
		{name: "too_little_activity", touches: func(t *testing.T) []Touch {
			return synthetic(t, "Asia/Seoul", 10, 2, officeHours, nil)
		}},
		{name: "nothing", touches: func(*testing.T) []Touch { return nil }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			est := Infer(tc.touches(t))
			if est.Decided() != tc.decided {
				t.Fatalf("Decided() = %v, want %v: %+v", est.Decided(), tc.decided, est)
			}
			if tc.decided && AroundTheClock(est.Offset, tc.near) > 60 {
				t.Errorf("offset %s, want within an hour of %s: %+v", FormatOffset(est.Offset), FormatOffset(tc.near), est)
			}
			if !tc.decided && est.Why == "" {
				t.Errorf("undecided estimate without a reason: %+v", est)
			}
		})
	}
}

func TestInferCommitOffsets(t *testing.T) {
	seoul := mustLoad(t, "Asia/Seoul")
	plain := Infer(synthetic(t, "Asia/Seoul", 21, 2, officeHours, nil))
	agree := Infer(synthetic(t, "Asia/Seoul", 21, 2, officeHours, seoul))
	disagree := Infer(synthetic(t, "Asia/Seoul", 21, 2, officeHours, mustLoad(t, "America/Chicago")))
	if agree.CommitOffset != 540 || agree.CommitShare != 1 {
		t.Errorf("commit offset %d share %v, want 540 and 1", agree.CommitOffset, agree.CommitShare)
	}
	if !(agree.Confidence > plain.Confidence && plain.Confidence > disagree.Confidence) {
		t.Errorf("confidences agree %v, plain %v, disagree %v: want agreeing commit offsets to raise it and contradicting ones to lower it",
			agree.Confidence, plain.Confidence, disagree.Confidence)
	}
}

func TestAroundTheClock(t *testing.T) {
	for _, tc := range []struct{ a, b, want int }{
		{-600, 840, 0}, {540, -360, 540}, {-300, -240, 60}, {720, -720, 0}, {330, 0, 330},
	} {
		if got := AroundTheClock(tc.a, tc.b); got != tc.want {
			t.Errorf("AroundTheClock(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestHistogram(t *testing.T) {
	chicago := mustLoad(t, "America/Chicago")
	ts := []Touch{
		{At: time.Date(2025, 1, 7, 15, 0, 0, 0, time.UTC)}, // 09:00 CST
		{At: time.Date(2025, 7, 7, 14, 0, 0, 0, time.UTC)}, // 09:00 CDT
		{At: time.Date(2025, 7, 7, 5, 0, 0, 0, time.UTC)},  // 00:00 CDT
	}
	h := Histogram(ts, chicago)
	if h[9] != 2 || h[0] != 1 {
		t.Errorf("histogram %v, want 2 at 09h and 1 at 00h", h)
	}
	want := "00–05h 1 0 0 0 0 0 · 06–11h 0 0 0 2 0 0 · 12–17h 0 0 0 0 0 0 · 18–23h 0 0 0 0 0 0"
	if got := FormatHistogram(h); got != want {
		t.Errorf("FormatHistogram = %q, want %q", got, want)
	}
}

// People who sign in once a day, in the morning: sign-ins follow their own
// template, so the estimate is not pulled hours early.
func TestInferMorningSignIns(t *testing.T) {
	ts := synthetic(t, "America/Chicago", 60, 1, func(r *rand.Rand) float64 { return 8 + 1.5*r.Float64() }, nil)
	for i := range ts {
		ts[i].Event.SignIn = &event.SignIn{Action: "user.session.start", Outcome: event.OutcomeSuccess}
	}
	est := Infer(ts)
	if !est.Decided() || AroundTheClock(est.Offset, -6*60) > 90 {
		t.Errorf("estimate %s (%+v), want within 90 minutes of UTC−6", FormatOffset(est.Offset), est)
	}
}
