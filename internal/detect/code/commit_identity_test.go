package code

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

func TestCommitIdentity(t *testing.T) {
	roster := func(personal ...string) *event.Event {
		return rosterRecord(1, "E1", "Jane Roe", "jroe@example.com", "US", "NY", "", personal...)
	}
	// commits makes n commits by name <email>, numbered from first.
	commits := func(first, n int, name, email string) []*event.Event {
		return weekdayCommits(first, name, email, exampleStart, 4, cst, 10, 15)[:n]
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []verdict
	}{
		{
			name:   "half_the_commits_under_another_name",
			events: detecttest.Join([]*event.Event{roster()}, commits(1, 10, "Jane Roe", "jroe@example.com"), commits(101, 10, "Chol Min", "jroe@example.com")),
			want:   []verdict{{Person: "E1", Confidence: 0.7}},
		},
		{
			name:   "all_commits_under_another_name",
			events: detecttest.Join([]*event.Event{roster()}, commits(1, 6, "Wei Zhang", "jroe@example.com")),
			want:   []verdict{{Person: "E1", Confidence: 1}},
		},
		{
			name: "two_other_identities",
			events: detecttest.Join([]*event.Event{roster()}, commits(1, 16, "Jane Roe", "jroe@example.com"),
				commits(101, 2, "Chol Min", "jroe@example.com"), commits(201, 2, "Kim Il", "jroe@example.com")),
			want: []verdict{{Person: "E1", Confidence: 0.72}},
		},
		{
			name:   "one_commit_from_a_colleagues_config",
			events: detecttest.Join([]*event.Event{roster()}, commits(1, 15, "Jane Roe", "jroe@example.com"), commits(101, 1, "Omar Haddad", "jroe@example.com")),
		},
		{
			name:   "handle_as_author_name",
			events: detecttest.Join([]*event.Event{roster()}, commits(1, 10, "jroe", "jroe@example.com"), commits(101, 5, "janeroe92", "jroe@example.com")),
		},
		{
			name:   "personal_email_with_her_name",
			events: detecttest.Join([]*event.Event{roster("jane.roe.dev@mail.example")}, commits(1, 10, "Jane Roe", "jane.roe.dev@mail.example")),
		},
		{
			name:   "name_in_another_script",
			events: detecttest.Join([]*event.Event{roster()}, commits(1, 10, "제인 로", "jroe@example.com")),
		},
		{
			// Two identities on one account: her name, and a handle that is
			// not made of it.
			name:   "unrelated_handle_beside_her_name",
			events: detecttest.Join([]*event.Event{roster()}, commits(1, 10, "Jane Roe", "jroe@example.com"), commits(101, 10, "logicmaker646", "jroe@example.com")),
			want:   []verdict{{Person: "E1", Confidence: 0.35}},
		},
		{
			name:   "handle_only",
			events: detecttest.Join([]*event.Event{roster()}, commits(1, 10, "logicmaker646", "jroe@example.com")),
		},
		{
			name:   "build_box_default",
			events: detecttest.Join([]*event.Event{roster()}, commits(1, 10, "Jane Roe", "jroe@example.com"), commits(101, 10, "ubuntu", "jroe@example.com")),
		},
		{
			name:   "surname_first",
			events: detecttest.Join([]*event.Event{roster()}, commits(1, 10, "ROE Jane", "jroe@example.com")),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := run(t, &CommitIdentity{}, nil, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				for _, f := range fs {
					t.Log(f.Summary)
				}
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCommitIdentitySummary(t *testing.T) {
	events := detecttest.Join([]*event.Event{rosterRecord(1, "E1", "Jane Roe", "jroe@example.com", "US", "NY", "")},
		weekdayCommits(1, "Jane Roe", "jroe@example.com", exampleStart, 1, cst, 10),
		weekdayCommits(101, "Chol Min", "jroe@example.com", exampleStart, 1, cst, 15))
	_, fs := run(t, &CommitIdentity{}, nil, events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	want := `5 of 10 commits (50%) are authored under 1 identity other than the roster's "Jane Roe": "Chol Min" <jroe@example.com> ×5 (name differs)`
	if fs[0].Summary != want {
		t.Errorf("summary %q, want %q", fs[0].Summary, want)
	}
	if e := fs[0].Evidence[1]; e.File != exampleGitFile || !strings.Contains(e.Summary, `author "Chol Min" <jroe@example.com> is not the person's (name differs)`) {
		t.Errorf("evidence %+v", e)
	}
}

func TestCommitIdentityUnknownAddressUnderOwnName(t *testing.T) {
	// Commits under her own name from an address that is neither on the
	// roster nor made of her name: a second identity, at half confidence.
	events := detecttest.Join([]*event.Event{rosterRecord(1, "E1", "Jane Roe", "jroe@example.com", "US", "NY", "")},
		weekdayCommits(1, "Jane Roe", "jroe@example.com", exampleStart, 2, cst, 10),
		weekdayCommits(101, "Jane Roe", "coolcoder99@mail.example", exampleStart, 2, cst, 15))
	got, _ := run(t, &CommitIdentity{}, nil, events)
	if diff := cmp.Diff([]verdict{{Person: "E1", Confidence: 0.35}}, got); diff != "" {
		t.Errorf("findings mismatch (-want +got):\n%s", diff)
	}
}

func TestCommitIdentityGhostwritten(t *testing.T) {
	roster := []*event.Event{
		rosterRecord(1, "E1", "Gus Young", "gyoung@example.com", "US", "NY", ""),
		rosterRecord(2, "E2", "Kat Sanchez", "ksanchez@example.com", "US", "NY", ""),
	}
	// asCommitter makes n of Kat's commits committed by name <email>, delay
	// after the author time.
	asCommitter := func(n int, name, email string, delay time.Duration) []*event.Event {
		cs := weekdayCommits(1, "Kat Sanchez", "ksanchez@example.com", exampleStart, 2, cst, 11)[:n]
		for _, e := range cs {
			e.Commit.CommitterName, e.Commit.CommitterEmail = name, email
			e.Commit.CommitterTime = e.Commit.AuthorTime.Add(delay)
		}
		return cs
	}
	own := weekdayCommits(101, "Gus Young", "gyoung@example.com", exampleStart, 2, cst, 15)
	tests := []struct {
		name   string
		events []*event.Event
		want   []verdict
	}{
		{
			name:   "commits_made_as_a_colleague",
			events: detecttest.Join(roster, own, asCommitter(5, "Gus Young", "gyoung@example.com", 0)),
			want:   []verdict{{Person: "E1", Confidence: 0.6, Related: []string{"E2"}}},
		},
		{name: "cherry_picked_later", events: detecttest.Join(roster, own, asCommitter(5, "Gus Young", "gyoung@example.com", 3*time.Hour))},
		{name: "merged_on_the_web", events: detecttest.Join(roster, own, asCommitter(5, "GitHub", "noreply@github.com", 0))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := run(t, &CommitIdentity{}, nil, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				for _, f := range fs {
					t.Log(f.Summary)
				}
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
