package sim

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestActivityWatermark checks the promise EachDay makes to event writers.
func TestActivityWatermark(t *testing.T) {
	o := getFixture(t).org
	err := o.EachDay(func(d int, acts []*Activity) error {
		if d > 0 {
			for _, a := range acts {
				if a.Start.Before(o.Watermark(d - 1)) {
					t.Fatalf("day %d: activity of %s starts %v, before the watermark %v", d, a.Person.ID(), a.Start, o.Watermark(d-1))
				}
			}
		}
		for i, a := range acts {
			if i > 0 && a.Start.Before(acts[i-1].Start) {
				t.Fatalf("day %d: activities not sorted", d)
			}
			if a.End.Before(a.Start) || a.Egress == nil || a.Device == nil || a.Where == nil {
				t.Fatalf("day %d: malformed activity %+v", d, a)
			}
			if !a.Person.employed(a.Start) {
				t.Fatalf("day %d: %s active at %v outside employment (%v–%v)", d, a.Person.ID(), a.Start, a.Person.Hired, a.Person.Terminated)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPersonActivitiesMatchEachDay(t *testing.T) {
	o := getFixture(t).org
	p := o.People[len(o.People)/2]
	var fromDays []time.Time
	if err := o.EachDay(func(_ int, acts []*Activity) error {
		for _, a := range acts {
			if a.Person == p {
				fromDays = append(fromDays, a.Start)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var direct []time.Time
	for _, a := range o.PersonActivities(p) {
		direct = append(direct, a.Start)
	}
	if diff := cmp.Diff(fromDays, direct); diff != "" {
		t.Errorf("PersonActivities differs from EachDay (-each +person):\n%s", diff)
	}
}

func TestUSHoliday(t *testing.T) {
	tests := []struct {
		date string
		want bool
	}{
		{"2026-09-07", true},  // Labor Day
		{"2026-11-26", true},  // Thanksgiving
		{"2026-11-27", true},  // the day after
		{"2026-07-03", true},  // Independence Day observed (the 4th is a Saturday)
		{"2026-12-25", true},  // Christmas
		{"2027-01-01", true},  // New Year's Day
		{"2026-05-25", true},  // Memorial Day
		{"2026-09-08", false}, // an ordinary Tuesday
		{"2026-10-12", false}, // Columbus Day: not observed here
		{"2026-11-20", false},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			d, _ := time.Parse(time.DateOnly, tt.date)
			if got := usHoliday(d); got != tt.want {
				t.Errorf("usHoliday(%s) = %v, want %v", tt.date, got, tt.want)
			}
		})
	}
}

func TestCellSizes(t *testing.T) {
	r := newRand(1, streamOrg, 9, 9)
	for n := 2; n <= 60; n++ {
		sizes := cellSizes(r, n)
		sum := 0
		for _, s := range sizes {
			if s < 2 || s > 6 {
				t.Fatalf("cellSizes(%d) = %v: a cell outside 2–6", n, sizes)
			}
			sum += s
		}
		if sum != n {
			t.Fatalf("cellSizes(%d) = %v sums to %d", n, sizes, sum)
		}
	}
}

func TestFlightDuration(t *testing.T) {
	chi, lon := placeByCity("Chicago", "US"), placeByCity("London", "GB")
	got := flightDuration(chi, lon)
	if got < 8*time.Hour || got > 10*time.Hour {
		t.Errorf("Chicago–London block time %v, want 8–10h", got)
	}
}

// TestTravellersArriveAfterTheyLand: a traveller's first sign-in at the
// destination is no faster than the flight.
func TestTravellersArriveAfterTheyLand(t *testing.T) {
	o := getFixture(t).org
	n := 0
	for _, p := range o.People {
		for _, tr := range p.plan.trips {
			n++
			for _, a := range o.PersonActivities(p) {
				if a.Egress == tr.hotel && a.Start.Before(tr.outArrive) {
					t.Errorf("%s signs in from the hotel in %s at %v, before landing at %v", p.ID(), tr.dest.City, a.Start, tr.outArrive)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no trips in the fixture")
	}
}
