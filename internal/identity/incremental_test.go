package identity

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// resolved is what a population says about who did what, by record
// reference, for comparing two resolutions.
type resolved struct {
	People     map[string]resolvedPerson
	Unresolved []profile.Unresolved
	Start, End time.Time
}

type resolvedPerson struct {
	Kind, Name, Roster   string
	Accounts, Candidates []string
	Lists                [][]string
}

func summarise(pop *profile.Population) resolved {
	refs := func(l []*event.Event) []string {
		out := make([]string, len(l))
		for i, e := range l {
			out[i] = e.Prov.Key()
		}
		return out
	}
	out := resolved{People: map[string]resolvedPerson{}, Unresolved: pop.Unresolved, Start: pop.Start, End: pop.End}
	for i, p := range pop.People {
		if i > 0 && pop.People[i-1].ID >= p.ID || pop.ByID[p.ID] != p {
			panic("population out of order: " + p.ID)
		}
		rp := resolvedPerson{Kind: p.Kind, Name: p.Name, Accounts: p.Accounts, Candidates: p.CandidateIDs}
		if p.Roster != nil {
			rp.Roster = p.Roster.Prov.Key()
		}
		for _, l := range [][]*event.Event{p.SignIns, p.Audits, p.Commits, p.Devices, p.Payouts, p.Shipments, p.Profiles, p.Resumes, p.Applicants, p.Meetings} {
			rp.Lists = append(rp.Lists, refs(l))
		}
		out.People[p.ID] = rp
	}
	return out
}

// takeIn adds batch to events as the stream worker's state does: by time,
// a batch's events after the kept events of the same time.
func takeIn(events, batch []*event.Event) []*event.Event {
	for _, e := range batch {
		i := len(events)
		for i > 0 && e.Time.Before(events[i-1].Time) {
			i--
		}
		events = slices.Insert(events, i, e)
	}
	return events
}

// TestResolver_matches_Resolve feeds batches to a Resolver and checks,
// after each, that it made Resolve's population of the same events, and
// that batches of sign-ins of known accounts were resolved on their own
// (changed lists exactly their people) while the rest resolved everyone.
func TestResolver_matches_Resolve(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	record := 0
	at := func(login, id string, hours int) *event.Event {
		record++
		e := signIn(login, t0.Add(time.Duration(hours)*time.Hour))
		e.Prov.Record = record
		a := e.Actor()
		a.ID = id
		e.SetActor(a)
		return e
	}
	roster := func(id, name, email string) *event.Event {
		record++
		e := rosterEvent(id, name, email, "")
		e.Prov.Record = record
		return e
	}
	jane, omar, stranger := "jane.doe@acme.example", "omar@acme.example", "stranger@else.example"
	steps := []struct {
		name    string
		batch   []*event.Event
		changed []string // nil: everyone resolved again
	}{
		{"first", []*event.Event{
			roster("E1", "Jane Doe", jane), roster("E2", "Omar Haddad", omar),
			at(jane, "00u1", 0), at(omar, "00u2", 1), at(stranger, "", 2), at("", "00u7", 2),
		}, nil},
		{"later_sign_ins", []*event.Event{at(jane, "00u1", 5), at("00u2", "", 6), at(stranger, "", 7)}, []string{"E1", "E2"}},
		{"an_earlier_sign_in", []*event.Event{at(omar, "00u2", 3)}, []string{"E2"}},
		{"only_the_learnt_id", []*event.Event{at("", "00u1", 8)}, []string{"E1"}},
		{"a_first_sign_in_with_a_new_account_id", []*event.Event{at(omar, "00u8", 9), at("", "00u8", 9)}, []string{"E2"}},
		{"an_account_id_an_unknown_sign_in_had", []*event.Event{at(omar, "00u7", 9)}, nil},
		{"the_id_on_two_people", []*event.Event{at(jane, "00u7", 10)}, nil},
		{"a_tie_with_a_kept_sign_in", []*event.Event{at(jane, "00u1", 5)}, nil},
		{"an_earlier_unknown_account", []*event.Event{at(stranger, "", 4)}, nil},
		{"a_roster_change", []*event.Event{roster("E3", "Ana Souza", "ana@acme.example"), at("ana@acme.example", "", 11)}, nil},
		{"after_the_roster_change", []*event.Event{at("ana@acme.example", "", 12), at(jane, "00u1", 12)}, []string{"E1", "E3"}},
	}
	var rv Resolver
	var events []*event.Event
	var last *profile.Population // the previous step's, which must not change
	for i, st := range steps {
		t.Run(strconv.Itoa(i)+"_"+st.name, func(t *testing.T) {
			events = takeIn(events, st.batch)
			var fresh []*event.Event
			if i > 0 {
				fresh = st.batch
			}
			var before resolved
			if last != nil {
				before = summarise(last)
			}
			pop, added := rv.Resolve(slices.Clone(events), fresh)
			if diff := cmp.Diff(summarise(Resolve(events)), summarise(pop)); diff != "" {
				t.Fatalf("differs from Resolve (-Resolve +Resolver):\n%s", diff)
			}
			var got []string
			n := 0
			for id, l := range added {
				got = append(got, id)
				n += len(l)
			}
			if unresolved := 0; added != nil {
				for _, e := range st.batch {
					if e.Actor().Login == stranger {
						unresolved++
					}
				}
				if n != len(st.batch)-unresolved {
					t.Errorf("%d events added to people, want %d", n, len(st.batch)-unresolved)
				}
			}
			slices.Sort(got)
			if (added == nil) != (st.changed == nil) || !slices.Equal(got, st.changed) {
				t.Errorf("people added to = %v (nil: %t), want %v (nil: %t)", got, added == nil, st.changed, st.changed == nil)
			}
			if last != nil {
				if diff := cmp.Diff(before, summarise(last)); diff != "" {
					t.Errorf("the previous population changed:\n%s", diff)
				}
			}
			last = pop
		})
	}
}
