package activity

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func rosterPerson(tz, country string) *person {
	hr := &event.Person{EmployeeID: "E1", Timezone: tz}
	if country != "" {
		hr.Addresses = []event.Address{{Type: "home", Country: country}}
	}
	return &person{ID: "E1", Roster: &event.Event{Kind: event.KindPerson, Person: hr}}
}

func TestClaimOf(t *testing.T) {
	jan := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		p        *person
		ok       bool
		first    string // first zone
		contains []int  // offsets in January that must be claimed
		excludes []int
		describe string
	}{
		{
			name: "roster_zone_and_country", p: rosterPerson("America/Chicago", "US"), ok: true, first: "America/Chicago",
			contains: []int{-360, -300, -480, -600}, excludes: []int{540}, describe: "roster timezone America/Chicago, home country US",
		},
		{
			name: "roster_zone_only", p: rosterPerson("Europe/Berlin", ""), ok: true, first: "Europe/Berlin",
			contains: []int{60}, excludes: []int{0, -300}, describe: "roster timezone Europe/Berlin",
		},
		{
			name: "country_only", p: rosterPerson("", "KR"), ok: true, first: "Asia/Seoul",
			contains: []int{540}, excludes: []int{480}, describe: "home country KR",
		},
		{
			// UTC is an HR system's default, not a claim.
			name: "utc_default_falls_back_to_country", p: rosterPerson("UTC", "DE"), ok: true, first: "Europe/Berlin",
			contains: []int{60}, excludes: []int{0}, describe: "home country DE",
		},
		{
			name: "windows_style_roster_zone", p: rosterPerson("Eastern Standard Time", ""), ok: true, first: "Eastern Standard Time",
			contains: []int{-300}, describe: "roster timezone Eastern Standard Time",
		},
		{name: "nothing_claimed", p: rosterPerson("", "")},
		{name: "applicant", p: &person{ID: "cand-1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := ClaimOf(tc.p.Roster)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			if c.Zones[0].Name != tc.first {
				t.Errorf("first zone %q, want %q", c.Zones[0].Name, tc.first)
			}
			offs := c.Offsets(jan)
			for _, o := range tc.contains {
				if !slices.Contains(offs, o) {
					t.Errorf("offsets %v lack %d", offs, o)
				}
			}
			for _, o := range tc.excludes {
				if slices.Contains(offs, o) {
					t.Errorf("offsets %v contain %d", offs, o)
				}
			}
			if got := c.Describe(); got != tc.describe {
				t.Errorf("Describe() = %q, want %q", got, tc.describe)
			}
		})
	}
}

func TestTouches(t *testing.T) {
	t0 := time.Date(2025, 3, 3, 14, 0, 0, 0, time.UTC)
	signIn := func(rec int, at time.Time, action string, outcome string) *event.Event {
		return &event.Event{Kind: event.KindSignIn, Time: at, Prov: event.Provenance{Origin: &event.Origin{Source: "entra"}, Record: rec},
			SignIn: &event.SignIn{Action: action, Outcome: outcome}}
	}
	seoul, _ := time.LoadLocation("Asia/Seoul")
	p := &person{
		SignIns: []*event.Event{
			signIn(1, t0, "interactiveUser", event.OutcomeSuccess),
			signIn(2, t0.Add(10*time.Minute), "interactiveUser", event.OutcomeSuccess), // same burst
			signIn(3, t0.Add(2*time.Hour), "nonInteractiveUser", event.OutcomeSuccess), // token refresh
			signIn(4, t0.Add(3*time.Hour), "interactiveUser", event.OutcomeFailure),    // failed
		},
		Audits: []*event.Event{
			{Kind: event.KindAudit, Time: t0.Add(4 * time.Hour), Prov: event.Provenance{Origin: &event.Origin{Source: "github"}, Record: 5}, Audit: &event.Audit{Action: "git.clone", CodeAccess: true}},
			{Kind: event.KindAudit, Time: t0.Add(5 * time.Hour), Prov: event.Provenance{Origin: &event.Origin{Source: "github"}, Record: 6}, Audit: &event.Audit{Action: "pull_request.merge"}},
		},
		Commits: []*event.Event{
			// The author time, not the event time, counts.
			{Kind: event.KindCommit, Time: t0.Add(time.Hour), Prov: event.Provenance{Origin: &event.Origin{Source: "gitlog"}, Record: 7},
				Commit: &event.Commit{AuthorTime: t0.Add(-3 * time.Hour).In(seoul)}},
		},
	}
	stamped(p)
	var got []int
	for _, tc := range Touches(p.SignIns, p.Audits, p.Commits) {
		got = append(got, tc.Event.Prov.Record)
	}
	if diff := cmp.Diff([]int{7, 1, 6}, got); diff != "" {
		t.Errorf("touch records (-want +got):\n%s", diff)
	}
	if k := Kinds(Touches(p.SignIns, p.Audits, p.Commits)); k != "gitlog 1, entra 1, github 1" {
		t.Errorf("Kinds = %q", k)
	}
}

func TestInTravel(t *testing.T) {
	allow := &policy.Allow{Travel: []policy.TravelEntry{{
		Person: "E1", Countries: []string{"JP"},
		From: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 4, 14, 0, 0, 0, 0, time.UTC),
		Entry: policy.Entry{Reason: "Tokyo customer visit"},
	}}}
	for _, tc := range []struct {
		person string
		at     time.Time
		want   bool
	}{
		{"E1", time.Date(2025, 4, 14, 23, 0, 0, 0, time.UTC), true}, // the To date is covered whole
		{"E1", time.Date(2025, 4, 15, 1, 0, 0, 0, time.UTC), false},
		{"E1", time.Date(2025, 3, 31, 23, 0, 0, 0, time.UTC), false},
		{"E2", time.Date(2025, 4, 5, 9, 0, 0, 0, time.UTC), false},
	} {
		if got := InTravel(allow, tc.person, tc.at); got != tc.want {
			t.Errorf("InTravel(%s, %s) = %v, want %v", tc.person, tc.at, got, tc.want)
		}
	}
	ts := []Touch{{At: time.Date(2025, 4, 5, 9, 0, 0, 0, time.UTC)}, {At: time.Date(2025, 5, 5, 9, 0, 0, 0, time.UTC)}}
	if got := WithoutTravel(ts, allow, "E1"); len(got) != 1 || got[0].At.Month() != time.May {
		t.Errorf("WithoutTravel kept %+v", got)
	}
	if InTravel(nil, "E1", ts[0].At) {
		t.Error("InTravel(nil) = true")
	}
}

func TestRegionNarrowsTheClaim(t *testing.T) {
	jan := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	p := rosterPerson("", "US")
	p.Roster.Person.Addresses[0].Region = "Illinois"
	c, _ := ClaimOf(p.Roster)
	if diff := cmp.Diff([]int{-360}, c.Offsets(jan)); diff != "" {
		t.Errorf("Illinois offsets (-want +got):\n%s", diff)
	}
	if got := c.Describe(); got != "home Illinois, US" {
		t.Errorf("Describe() = %q", got)
	}
	p.Roster.Person.Addresses[0].Region = "TX"
	c, _ = ClaimOf(p.Roster)
	if diff := cmp.Diff([]int{-420, -360}, c.Offsets(jan)); diff != "" {
		t.Errorf("Texas offsets (-want +got):\n%s", diff)
	}
	// A roster zone elsewhere in the country is kept beside the state's.
	p = rosterPerson("America/New_York", "US")
	p.Roster.Person.Addresses[0].Region = "CA"
	c, _ = ClaimOf(p.Roster)
	if diff := cmp.Diff([]int{-480, -300}, c.Offsets(jan)); diff != "" {
		t.Errorf("New York zone, California home (-want +got):\n%s", diff)
	}
	p.Roster.Person.Addresses[0].Region = "Atlantis"
	if c, _ = ClaimOf(p.Roster); len(c.Zones) < 20 {
		t.Errorf("unknown state: %d zones, want the whole country", len(c.Zones))
	}
}

func TestCompare(t *testing.T) {
	p := rosterPerson("America/Chicago", "US")
	p.Roster.Person.Addresses[0].Region = "IL"
	c, _ := ClaimOf(p.Roster)
	seoul := synthetic(t, "Asia/Seoul", 60, 3, officeHours, nil)
	v, ok := Compare(seoul, c)
	if !ok || v.Zone.Name != "America/Chicago" || v.Shift < 8*60 || v.Gap < 1 {
		t.Errorf("Seoul hours vs a Chicago claim: ok=%v %+v", ok, v)
	}
	local := synthetic(t, "America/Chicago", 60, 3, officeHours, nil)
	if v, ok := Compare(local, c); !ok || v.Shift > 60 || v.Gap > 0.1 {
		t.Errorf("Chicago hours vs a Chicago claim: ok=%v %+v", ok, v)
	}
	if _, ok := Compare(synthetic(t, "America/Chicago", 60, 3, aroundTheClock, nil), c); ok {
		t.Error("flat hours compared")
	}
}

func TestRegionKey(t *testing.T) {
	for _, tc := range [][3]string{{"US", "Illinois", "il"}, {"US", " IL. ", "il"}, {"US", "new  york", "ny"}, {"CA", "Ontario", "ontario"}, {"US", "", ""}} {
		if got := RegionKey(tc[0], tc[1]); got != tc[2] {
			t.Errorf("RegionKey(%q, %q) = %q, want %q", tc[0], tc[1], got, tc[2])
		}
	}
}
