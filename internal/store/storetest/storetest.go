// Package storetest is the conformance suite every store.Store backend
// must pass: idempotent event saving, result round-trips and replacement,
// people queries, not-found errors, tenant isolation and consistent reads
// during saves. A backend's test calls Run; a backend that also implements
// store.Workbench calls RunWorkbench (accounts, sessions, cases, the audit
// log, analyses; tenant isolation; replicas sharing one database).
package storetest

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rollcall/rollcall/internal/store"
)

// Opener opens a store scoped to tenant. Every call with the same t must
// open the same database, empty when t begins, and each t gets its own;
// the opener closes what it opened when t ends (t.Cleanup) and fails t
// when it cannot open.
type Opener func(t *testing.T, tenant string) store.Store

// Run runs the conformance suite against the backend that open opens.
func Run(t *testing.T, open func(t *testing.T, tenant string) store.Store) {
	t.Helper()
	for _, tc := range []struct {
		name string
		test func(*testing.T, Opener)
	}{
		{"save_events_idempotent", testSaveEventsIdempotent},
		{"save_events_changed_record", testSaveEventsChangedRecord},
		{"save_events_invalid", testSaveEventsInvalid},
		{"events_round_trip", testEventsRoundTrip},
		{"events_query", testEventsQuery},
		{"set_event_people", testSetEventPeople},
		{"events_since", testEventsSince},
		{"report_not_found", testReportNotFound},
		{"save_results_round_trip", testSaveResultsRoundTrip},
		{"save_results_idempotent", testSaveResultsIdempotent},
		{"save_results_replace", testSaveResultsReplace},
		{"save_results_invalid", testSaveResultsInvalid},
		{"people_query", testPeopleQuery},
		{"people_query_invalid", testPeopleQueryInvalid},
		{"person", testPerson},
		{"clusters", testClusters},
		{"not_found", testNotFound},
		{"tenant_isolation", testTenantIsolation},
		{"concurrent_reads_during_save", testConcurrentReads},
		{"cancelled_context", testCancelledContext},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, open) })
	}
}

// cmpOpts compare stored values with what was saved: nil and empty lists
// are the same, times are compared as instants, addresses by value.
var cmpOpts = cmp.Options{
	cmpopts.EquateEmpty(),
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
}

func saveResults(t *testing.T, s store.Store, r *store.Results) {
	t.Helper()
	if err := s.SaveResults(t.Context(), r); err != nil {
		t.Fatalf("SaveResults: %v", err)
	}
}

func mustReport(t *testing.T, s store.Store) *store.Results {
	t.Helper()
	r, err := s.Results(t.Context())
	if err != nil {
		t.Fatalf("Report: %v", err)
	}
	return r
}

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error %v, want one wrapping %v", what, err, target)
	}
}

func ids(people []store.Person) []string {
	out := make([]string, len(people))
	for i, p := range people {
		out[i] = p.ID
	}
	return out
}
