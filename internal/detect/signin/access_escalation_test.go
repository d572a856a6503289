package signin

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestAccessEscalation(t *testing.T) {
	hired := exampleStart.AddDate(0, 0, -20)
	eng := func(rec int, id, title, dept string, when time.Time) *event.Event {
		return staff{record: rec, id: id, email: strings.ToLower(id) + "@example.com", country: "US", title: title, dept: dept, hired: when}.event()
	}
	audit := func(rec int, actor string, days int, action, target, perm string) *event.Event {
		return githubAudit(rec, actor, exampleStart.AddDate(0, 0, days), action, target, perm)
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []verdict
	}{
		{
			name: "adds_outsiders_and_removes_protection",
			events: []*event.Event{eng(1, "E1", "Software Engineer", "Payments", hired),
				audit(1, "e1@example.com", 0, "org.add_member", "ext-1", ""), audit(2, "e1@example.com", 1, "repo.add_member", "ext-2", "write"),
				audit(3, "e1@example.com", 2, "protected_branch.policy_override", "main", "")},
			want: []verdict{{Person: "E1", Confidence: 1}},
		},
		{
			name:   "one_invitation",
			events: []*event.Event{eng(1, "E1", "Software Engineer", "Payments", hired), audit(1, "e1@example.com", 0, "org.invite_member", "ext-1", "")},
			want:   []verdict{{Person: "E1", Confidence: 0.35}},
		},
		{
			name: "granted_admin_by_an_owner",
			events: []*event.Event{eng(1, "E1", "Software Engineer", "Payments", hired), eng(2, "E2", "Engineering Manager", "Payments", hired.AddDate(-2, 0, 0)),
				audit(1, "e2@example.com", 3, "org.update_member", "e1@example.com", "admin")},
			want: []verdict{{Person: "E1", Confidence: 0.6}},
		},
		{
			name: "okta_group_changes",
			events: []*event.Event{eng(1, "E1", "Data Analyst", "Finance", hired),
				audit(1, "e1@example.com", 0, "group.user_membership.add", "ext-1@example.com", ""),
				audit(2, "e1@example.com", 1, "user.account.privilege.grant", "ext-2@example.com", "")},
			want: []verdict{{Person: "E1", Confidence: 0.6}},
		},
		{
			name: "grants_themselves_admin",
			events: []*event.Event{eng(1, "E1", "Senior Software Engineer", "Engineering", hired),
				audit(1, "e1@example.com", 0, "team.add_member", "e1@example.com", ""), audit(2, "e1@example.com", 0, "org.update_member", "e1@example.com", "admin")},
			want: []verdict{{Person: "E1", Confidence: 0.6}},
		},
		{
			name: "four_months_in",
			events: []*event.Event{eng(1, "E1", "Software Engineer", "Payments", hired.AddDate(0, -4, 0)),
				audit(1, "e1@example.com", 0, "org.add_member", "ext-1", ""), audit(2, "e1@example.com", 1, "repo.add_member", "ext-2", "")},
			want: []verdict{{Person: "E1", Confidence: 0.42}},
		},
		{
			name: "it_administrator",
			events: []*event.Event{eng(1, "E1", "IT Support Specialist", "Corporate IT", hired),
				audit(1, "e1@example.com", 0, "org.add_member", "ext-1", ""), audit(2, "e1@example.com", 1, "team.add_member", "ext-2", "")},
		},
		{
			name: "team_lead",
			events: []*event.Event{eng(1, "E1", "Engineering Lead", "Payments", hired),
				audit(1, "e1@example.com", 0, "team.add_member", "ext-1", ""), audit(2, "e1@example.com", 1, "team.add_member", "ext-2", "")},
		},
		{
			name:   "accepts_own_invitation",
			events: []*event.Event{eng(1, "E1", "Software Engineer", "Payments", hired), audit(1, "e1@example.com", 0, "org.add_member", "e1@example.com", "")},
		},
		{
			name: "long_tenured_engineer",
			events: []*event.Event{eng(1, "E1", "Software Engineer", "Payments", hired.AddDate(-2, 0, 0)),
				audit(1, "e1@example.com", 0, "org.add_member", "ext-1", ""), audit(2, "e1@example.com", 1, "repo.add_member", "ext-2", "")},
		},
		{
			name: "ordinary_work",
			events: []*event.Event{eng(1, "E1", "Software Engineer", "Payments", hired),
				audit(1, "e1@example.com", 0, "git.push", "", ""), audit(2, "e1@example.com", 1, "pull_request.create", "", "")},
		},
		{
			name: "granted_write_only",
			events: []*event.Event{eng(1, "E1", "Software Engineer", "Payments", hired), eng(2, "E2", "Engineering Manager", "Payments", hired.AddDate(-2, 0, 0)),
				audit(1, "e2@example.com", 3, "repo.add_member", "e1@example.com", "write")},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := detectAll(t, &AccessEscalation{}, nil, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				for _, f := range fs {
					t.Log(f.Summary)
				}
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
