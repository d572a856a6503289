package postgres

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/store"
)

// TestReplicasConcurrently has two stores of one tenant on one schema, as
// two serve replicas, work at the same time as an ordinary role: each
// starts sessions the other must accept at once, both append to the audit
// log, mark overlapping findings in opposite orders and replace the
// coverage. Nothing fails or deadlocks, no entry is lost, and what both
// read at the end is the same. (storetest's replicas case covers the same
// sharing one step at a time, for every backend.)
func TestReplicasConcurrently(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dsn := newSchema(t, newRole(t))
	replicas := []*Store{mustOpen(t, dsn, "acme"), mustOpen(t, dsn, "acme")}
	if err := replicas[0].CreateUser(ctx, store.User{Name: "alice", Role: store.RoleAnalyst, PasswordHash: "$argon2id$x", Created: wbTime}); err != nil {
		t.Fatal(err)
	}
	const (
		workers = 3 // per replica
		rounds  = 20
	)
	var marks []store.FindingMark
	for i := range 30 {
		marks = append(marks, store.FindingMark{Person: fmt.Sprintf("E%02d", i), Indicator: "IAM-01", Seen: wbTime})
	}
	reversed := slices.Clone(marks)
	slices.Reverse(reversed)
	coverage := func(r, w int) []store.Coverage {
		return []store.Coverage{
			{Source: "okta", Events: 100*r + w, Files: 1, Daily: map[string]int{}},
			{Source: "payroll", Events: 100*r + w, Files: 1, Daily: map[string]int{}},
		}
	}

	var wg sync.WaitGroup
	for r, self := range replicas {
		other := replicas[1-r]
		for w := range workers {
			wg.Go(func() {
				for i := range rounds {
					id := fmt.Sprintf("r%d-w%d-%d", r, w, i)
					se := store.Session{ID: id, User: "alice", CSRF: id, Created: wbTime, LastSeen: wbTime, Expires: wbTime.Add(time.Hour)}
					if err := self.CreateSession(ctx, se); err != nil {
						t.Errorf("replica %d: CreateSession: %v", r, err)
						return
					}
					if _, err := other.Session(ctx, id); err != nil {
						t.Errorf("replica %d does not know replica %d's new session: %v", 1-r, r, err)
						return
					}
					if err := self.AppendAudit(ctx, store.AuditEntry{Time: wbTime, Actor: "alice", Action: "person.view", Detail: id}); err != nil {
						t.Errorf("replica %d: AppendAudit: %v", r, err)
						return
					}
					order := marks
					if r == 1 {
						order = reversed
					}
					if err := self.MarkFindings(ctx, order); err != nil {
						t.Errorf("replica %d: MarkFindings: %v", r, err)
						return
					}
					if err := self.SetCoverage(ctx, coverage(r, w)); err != nil {
						t.Errorf("replica %d: SetCoverage: %v", r, err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	var logs [2][]store.AuditEntry
	for r, s := range replicas {
		log, err := s.AuditLog(ctx, store.AuditQuery{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		logs[r] = log
	}
	if diff := cmp.Diff(logs[0], logs[1]); diff != "" {
		t.Errorf("the replicas read different audit logs (-0 +1):\n%s", diff)
	}
	details := make(map[string]bool)
	for _, e := range logs[0] {
		details[e.Detail] = true
	}
	if want := len(replicas) * workers * rounds; len(logs[0]) != want || len(details) != want {
		t.Errorf("%d audit entries (%d distinct), want %d", len(logs[0]), len(details), want)
	}

	got, err := replicas[1].FindingMarks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(marks, got); diff != "" {
		t.Errorf("finding marks (-want +got):\n%s", diff)
	}

	// The coverage is one replacement whole, never a mix of two.
	cov, err := replicas[0].Coverage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cov) != 2 || cov[0].Events != cov[1].Events {
		t.Errorf("coverage = %+v, want one replica's two sources", cov)
	}
}
