package graph

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// TestBuild_payroll_intermediaries: an employer of record's funding
// account pays hundreds of honest people and links none of them; a
// facilitator's account paying a handful still makes a cell.
func TestBuild_payroll_intermediaries(t *testing.T) {
	crowd := func(n int, fp, payee string) []*profile.Person {
		var out []*profile.Person
		for i := range n {
			p := payout(employee(fmt.Sprintf("E%03d", i), street(i)), fp)
			p.Payouts[0].Payout.PayeeName = payee
			out = append(out, p)
		}
		return out
	}
	runCellCases(t, []cellCase{
		{name: "platform_account_paying_240_people", people: crowd(240, "eor-funding-account", "")},
		{name: "deel_named_as_payee_for_three", people: crowd(3, "deel-account", "Deel Inc.")},
		{name: "g_p_named_as_payee_for_two", people: crowd(2, "gp-account", "G-P (Globalization Partners) LLC")},
		{
			name:   "facilitator_collects_four_salaries",
			people: crowd(4, "facilitator-account", "Jordan Miles"),
			want:   [][]string{{"E000", "E001", "E002", "E003"}},
		},
		{
			name:   "front_company_named_like_a_platform",
			people: crowd(3, "front-account", "Remote Solutions LLC"),
			want:   [][]string{{"E000", "E001", "E002"}},
		},
	})
}

// cellCase is a population and the members of each cell it must make
// under the default policy (nil: none).
type cellCase struct {
	name   string
	people []*profile.Person
	want   [][]string
}

func runCellCases(t *testing.T, tests []cellCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got [][]string
			for _, c := range build(population(tt.people...), policy.Default(), now) {
				got = append(got, c.Members)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("cells (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBuild_cell_cap: a chain of strong pairwise links (one account per
// pair) never grows a cell beyond cluster.max_cell_size; the cap keeps the
// strongest (fewest-holder) links and each kept link stays inside a cell.
func TestBuild_cell_cap(t *testing.T) {
	var people []*profile.Person
	for i := range 10 {
		p := employee(fmt.Sprintf("E%02d", i), street(i))
		payout(p, fmt.Sprintf("pair-%d", i/2)) // E00+E01, E02+E03, …
		people = append(people, p)
	}
	// One phone held by the first member of every pair chains them all.
	for i := 0; i < 10; i += 2 {
		phone(people[i], "+1 555 010 9999")
	}
	pol := policy.Default()
	pol.Cluster.MaxCellSize = 4
	got := build(population(people...), pol, now)
	for _, c := range got {
		if len(c.Members) > 4 {
			t.Errorf("cell %s holds %d people, more than the cap 4", c.ID, len(c.Members))
		}
		for _, l := range c.Links {
			for _, m := range l.Members {
				if !c.Has(m) {
					t.Errorf("cell %s cites link %s %s with outsider %s", c.ID, l.Kind, l.Value, m)
				}
			}
		}
	}
	if len(got) != 5 {
		t.Errorf("got %d cells, want the 5 account pairs", len(got))
	}
	pol.Cluster.MaxCellSize = 0
	if got := build(population(people...), pol, now); len(got) != 1 || len(got[0].Members) != 10 {
		t.Errorf("without a cap: %d cells, want one of 10", len(got))
	}
}
