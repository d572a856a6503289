package store

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

func TestSortOrder(t *testing.T) {
	type order struct {
		Field string
		Desc  bool
	}
	for _, tc := range []struct {
		sort    string
		want    order
		wantErr bool
	}{
		{"", order{"score", true}, false},
		{SortScoreDesc, order{"score", true}, false},
		{SortScore, order{"score", false}, false},
		{SortID, order{"id", false}, false},
		{SortIDDesc, order{"id", true}, false},
		{SortName, order{"name", false}, false},
		{SortNameDesc, order{"name", true}, false},
		{"level", order{}, true},
		{"--score", order{}, true},
		{"Score", order{}, true},
	} {
		t.Run(tc.sort, func(t *testing.T) {
			field, desc, err := PeopleQuery{Sort: tc.sort}.SortOrder()
			if (err != nil) != tc.wantErr {
				t.Fatalf("SortOrder() error = %v, want error %v", err, tc.wantErr)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("SortOrder() error %v does not wrap ErrInvalid", err)
			}
			if diff := cmp.Diff(tc.want, order{field, desc}); diff != "" {
				t.Errorf("SortOrder() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckResults(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    *Results
		ok   bool
	}{
		{"empty", &Results{}, true},
		{"valid", &Results{People: []Person{{ID: "E1"}, {ID: "E2"}}, Clusters: []Cluster{{ID: "C1"}}}, true},
		{"nil", nil, false},
		{"person_without_id", &Results{People: []Person{{Name: "x"}}}, false},
		{"duplicate_person", &Results{People: []Person{{ID: "E1"}, {ID: "E1"}}}, false},
		{"cluster_without_id", &Results{Clusters: []Cluster{{}}}, false},
		{"duplicate_cluster", &Results{Clusters: []Cluster{{ID: "C1"}, {ID: "C1"}}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckResults(tc.r)
			if tc.ok != (err == nil) {
				t.Fatalf("CheckResults() = %v, want ok %v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("CheckResults() error %v does not wrap ErrInvalid", err)
			}
		})
	}
}

func TestSearchText(t *testing.T) {
	p := &Person{ID: "E1", EmployeeID: "E1", Name: "Zoë ÅSTRÖM", CandidateIDs: []string{"42", "43"}}
	if got, want := SearchText(p), "e1\ne1\nzoë åström\n42\n43"; got != want {
		t.Errorf("SearchText() = %q, want %q", got, want)
	}
	if got, want := SearchTerm("  ÅSTRÖM "), "åström"; got != want {
		t.Errorf("SearchTerm() = %q, want %q", got, want)
	}
}

func TestEventPeople(t *testing.T) {
	ev := func(src string, record int) *event.Event {
		return &event.Event{Prov: event.Provenance{Origin: &event.Origin{Source: src, File: "f"}, Record: record, Hash: "h"}}
	}
	roster, app, signIn, payout := ev("scim", 1), ev("greenhouse", 1), ev("okta", 1), ev("payroll", 1)
	pop := &profile.Population{People: []*profile.Person{
		{ID: "E1", Roster: roster, Applicants: []*event.Event{app}, SignIns: []*event.Event{signIn}},
		{ID: "E2", Payouts: []*event.Event{payout}},
	}}
	want := map[string]string{
		roster.Prov.Key(): "E1", app.Prov.Key(): "E1", signIn.Prov.Key(): "E1", payout.Prov.Key(): "E2",
	}
	if diff := cmp.Diff(want, EventPeople(pop)); diff != "" {
		t.Errorf("EventPeople() (-want +got):\n%s", diff)
	}
	if got := EventPeople(nil); len(got) != 0 {
		t.Errorf("EventPeople(nil) = %v, want empty", got)
	}
}
