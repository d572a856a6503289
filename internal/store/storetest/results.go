package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

func diffReport(t *testing.T, what string, want *store.Results, s store.Store) {
	t.Helper()
	if diff := cmp.Diff(want, mustReport(t, s), cmpOpts); diff != "" {
		t.Errorf("%s: Report (-want +got):\n%s", what, diff)
	}
}

func testReportNotFound(t *testing.T, open Opener) {
	s := open(t, "")
	_, err := s.Results(t.Context())
	wantErr(t, "Report before any save", err, store.ErrNotFound)
}

func testSaveResultsRoundTrip(t *testing.T, open Opener) {
	for _, tc := range []struct {
		name string
		r    *store.Results
	}{
		{"full", reportA()},
		{"later_scan", reportB()},
		{"empty", &store.Results{Version: report.Version}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t, "")
			saveResults(t, s, tc.r)
			diffReport(t, "after save", tc.r, s)
		})
	}
}

func testSaveResultsIdempotent(t *testing.T, open Opener) {
	s := open(t, "")
	saveResults(t, s, reportA())
	first := mustReport(t, s)
	saveResults(t, s, reportA())
	diffReport(t, "after saving twice", first, s)
	_, total, err := s.People(t.Context(), store.PeopleQuery{})
	if err != nil {
		t.Fatalf("People: %v", err)
	}
	if want := len(reportA().People); total != want {
		t.Errorf("People total = %d, want %d", total, want)
	}
}

func testSaveResultsReplace(t *testing.T, open Opener) {
	s := open(t, "")
	saveResults(t, s, reportA())
	saveResults(t, s, reportB())
	diffReport(t, "after saving B over A", reportB(), s)
	// What B dropped is gone from every read, not just from Report.
	_, err := s.Person(t.Context(), "E3")
	wantErr(t, "Person(E3) after B", err, store.ErrNotFound)
	_, err = s.Cluster(t.Context(), "C2")
	wantErr(t, "Cluster(C2) after B", err, store.ErrNotFound)
	got, _, err := s.People(t.Context(), store.PeopleQuery{Indicator: "PAY-02"})
	if err != nil {
		t.Fatalf("People: %v", err)
	}
	if diff := cmp.Diff([]string{"cand-77"}, ids(got)); diff != "" {
		t.Errorf("people with PAY-02 after B (-want +got):\n%s", diff)
	}
	saveResults(t, s, reportA())
	diffReport(t, "after saving A again", reportA(), s)
}

func testSaveResultsInvalid(t *testing.T, open Opener) {
	s := open(t, "")
	saveResults(t, s, reportA())
	dupPerson := reportB()
	dupPerson.People = append(dupPerson.People, dupPerson.People[0])
	dupCluster := reportB()
	dupCluster.Clusters = append(dupCluster.Clusters, dupCluster.Clusters[0])
	noID := reportB()
	noID.People[1].ID = ""
	for _, tc := range []struct {
		name string
		r    *store.Results
	}{
		{"nil", nil},
		{"duplicate_person", dupPerson},
		{"duplicate_cluster", dupCluster},
		{"person_without_id", noID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, "SaveResults", s.SaveResults(t.Context(), tc.r), store.ErrInvalid)
			diffReport(t, "after a refused save", reportA(), s)
		})
	}
}

func testPeopleQuery(t *testing.T, open Opener) {
	s := open(t, "")
	events := fixtureEvents()
	saveEvents(t, s, events, len(events))
	if err := s.SetEventPeople(t.Context(), fixturePeople(events)); err != nil {
		t.Fatalf("SetEventPeople: %v", err)
	}
	saveResults(t, s, reportA())
	all := []string{"E1", "cand-77", "E2", "E3", "E4", "E5"}
	for _, tc := range []struct {
		name      string
		q         store.PeopleQuery
		want      []string
		wantTotal int
	}{
		{"all", store.PeopleQuery{}, all, 6},
		{"level", store.PeopleQuery{Level: "medium"}, []string{"E2", "E3"}, 2},
		{"unknown_level", store.PeopleQuery{Level: "severe"}, nil, 0},
		{"min_score", store.PeopleQuery{MinScore: 45}, []string{"E1", "cand-77", "E2", "E3"}, 4},
		{"indicator", store.PeopleQuery{Indicator: "IAM-01"}, []string{"E1", "E2"}, 2},
		{"suppressed_indicator", store.PeopleQuery{Indicator: "NET-04"}, []string{"E3", "E4"}, 2},
		{"unknown_indicator", store.PeopleQuery{Indicator: "XYZ-99"}, nil, 0},
		{"search_name", store.PeopleQuery{Search: "grace"}, []string{"E2"}, 1},
		{"search_case", store.PeopleQuery{Search: " HOPPER "}, []string{"E2"}, 1},
		{"search_id", store.PeopleQuery{Search: "e3"}, []string{"E3"}, 1},
		{"search_candidate_id", store.PeopleQuery{Search: "42"}, []string{"E1"}, 1},
		{"search_roster_email", store.PeopleQuery{Search: "ada@example"}, []string{"E1"}, 1},
		{"search_applicant_email", store.PeopleQuery{Search: "ada.l@mail"}, []string{"E1"}, 1},
		{"search_user_name", store.PeopleQuery{Search: "ALovelace"}, []string{"E1"}, 1},
		{"search_login", store.PeopleQuery{Search: "ghost-dev"}, []string{"E3"}, 1},
		{"search_applicant_only", store.PeopleQuery{Search: "boris@"}, []string{"cand-77"}, 1},
		{"search_unresolved_account", store.PeopleQuery{Search: "mallory"}, nil, 0},
		{"search_shared_substring", store.PeopleQuery{Search: "@example.com"}, []string{"E1", "E2", "E3", "E4", "E5"}, 5},
		{"sort_score_ascending", store.PeopleQuery{Sort: store.SortScore}, []string{"E5", "E4", "E3", "E2", "cand-77", "E1"}, 6},
		{"sort_id", store.PeopleQuery{Sort: store.SortID}, []string{"E1", "E2", "E3", "E4", "E5", "cand-77"}, 6},
		{"sort_id_descending", store.PeopleQuery{Sort: store.SortIDDesc}, []string{"cand-77", "E5", "E4", "E3", "E2", "E1"}, 6},
		{"sort_name", store.PeopleQuery{Sort: store.SortName}, []string{"E1", "cand-77", "E3", "E4", "E5", "E2"}, 6},
		{"sort_name_descending", store.PeopleQuery{Sort: store.SortNameDesc}, []string{"E2", "E5", "E4", "E3", "cand-77", "E1"}, 6},
		{"limit", store.PeopleQuery{Limit: 2}, []string{"E1", "cand-77"}, 6},
		{"page_2", store.PeopleQuery{Limit: 2, Offset: 2}, []string{"E2", "E3"}, 6},
		{"offset_only", store.PeopleQuery{Offset: 5}, []string{"E5"}, 6},
		{"offset_past_end", store.PeopleQuery{Limit: 2, Offset: 10}, nil, 6},
		{"combined", store.PeopleQuery{MinScore: 40, Indicator: "PAY-02", Sort: store.SortNameDesc, Limit: 1}, []string{"cand-77"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.People(t.Context(), tc.q)
			if err != nil {
				t.Fatalf("People(%+v): %v", tc.q, err)
			}
			if diff := cmp.Diff(tc.want, ids(got), cmpOpts); diff != "" {
				t.Errorf("People(%+v) ids (-want +got):\n%s", tc.q, diff)
			}
			if total != tc.wantTotal {
				t.Errorf("People(%+v) total = %d, want %d", tc.q, total, tc.wantTotal)
			}
		})
	}
	// The page holds whole people, as saved.
	got, _, err := s.People(t.Context(), store.PeopleQuery{Limit: 1})
	if err != nil {
		t.Fatalf("People: %v", err)
	}
	if diff := cmp.Diff(reportA().People[:1], got, cmpOpts); diff != "" {
		t.Errorf("People first page (-want +got):\n%s", diff)
	}
}

func testPeopleQueryInvalid(t *testing.T, open Opener) {
	s := open(t, "")
	saveResults(t, s, reportA())
	for _, tc := range []struct {
		name string
		q    store.PeopleQuery
	}{
		{"unknown_sort", store.PeopleQuery{Sort: "score desc"}},
		{"negative_limit", store.PeopleQuery{Limit: -1}},
		{"negative_offset", store.PeopleQuery{Offset: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := s.People(t.Context(), tc.q)
			wantErr(t, "People", err, store.ErrInvalid)
		})
	}
}

func testPerson(t *testing.T, open Opener) {
	s := open(t, "")
	saveResults(t, s, reportA())
	for _, want := range reportA().People {
		got, err := s.Person(t.Context(), want.ID)
		if err != nil {
			t.Fatalf("Person(%q): %v", want.ID, err)
		}
		if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
			t.Errorf("Person(%q) (-want +got):\n%s", want.ID, diff)
		}
	}
}

func testClusters(t *testing.T, open Opener) {
	s := open(t, "")
	got, err := s.Clusters(t.Context())
	if err != nil {
		t.Fatalf("Clusters before any save: %v", err)
	}
	if len(got) != 0 {
		t.Errorf("Clusters before any save = %v, want none", got)
	}
	saveResults(t, s, reportA())
	got, err = s.Clusters(t.Context())
	if err != nil {
		t.Fatalf("Clusters: %v", err)
	}
	if diff := cmp.Diff(reportA().Clusters, got, cmpOpts); diff != "" {
		t.Errorf("Clusters (-want +got):\n%s", diff)
	}
	for _, want := range reportA().Clusters {
		got, err := s.Cluster(t.Context(), want.ID)
		if err != nil {
			t.Fatalf("Cluster(%q): %v", want.ID, err)
		}
		if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
			t.Errorf("Cluster(%q) (-want +got):\n%s", want.ID, diff)
		}
	}
}

func testNotFound(t *testing.T, open Opener) {
	s := open(t, "")
	saveResults(t, s, reportA())
	_, err := s.Person(t.Context(), "E404")
	wantErr(t, "Person(E404)", err, store.ErrNotFound)
	_, err = s.Person(t.Context(), "")
	wantErr(t, "Person(\"\")", err, store.ErrNotFound)
	_, err = s.Cluster(t.Context(), "C404")
	wantErr(t, "Cluster(C404)", err, store.ErrNotFound)
	_, err = s.Cluster(t.Context(), "")
	wantErr(t, "Cluster(\"\")", err, store.ErrNotFound)
}
