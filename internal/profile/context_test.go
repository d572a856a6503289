package profile

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestContextOf(t *testing.T) {
	moved := time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)
	roster := &event.Event{Kind: event.KindPerson, Prov: event.Provenance{Origin: &event.Origin{Source: "scim"}, Record: 1}}
	shipped := &event.Event{Kind: event.KindShipment, Prov: event.Provenance{Origin: &event.Origin{Source: "shipments"}, Record: 3}}
	paid := &event.Event{Kind: event.KindPayout, Time: moved, Prov: event.Provenance{Origin: &event.Origin{Source: "payroll"}, Record: 7},
		Payout: &event.Payout{EmployeeID: "E1", PayeeName: "Deel Inc.", AccountFingerprint: "ab12", BankCountry: "CA"}}
	p := &Person{ID: "E1", Payouts: []*event.Event{paid}}
	p.Features.Homes = Timeline{Moves: []Move{{
		At: moved, Relocation: true, Payout: paid,
		From: Home{Address: event.Address{Locality: "Boston"}, Country: "US", Record: shipped, Inferred: true},
		To:   Home{Address: event.Address{Locality: "Toronto"}, Country: "CA", Record: roster, From: moved},
	}}}
	for d := range 12 {
		p.Features.Code.Daily = append(p.Features.Code.Daily, DayCount{Day: moved.AddDate(0, 0, d), Repos: 25})
	}
	quiet := &Person{ID: "E2"}
	pop := &Population{People: []*Person{p, quiet}, ByID: map[string]*Person{"E1": p, "E2": quiet}}
	pol := policy.Default()
	pol.Allow.Travel = []policy.TravelEntry{{Person: "E1", Countries: []string{"DE"}, From: moved, To: moved.AddDate(0, 0, 10), Entry: policy.Entry{Reason: "offsite"}}}

	got := pop.ContextOf(p, pol)
	var kinds []string
	for _, c := range got {
		kinds = append(kinds, c.Kind)
	}
	if diff := cmp.Diff([]string{ContextLifeEvent, ContextBaseline, ContextAllowList, ContextIntermediary}, kinds); diff != "" {
		t.Fatalf("kinds (-want +got):\n%s", diff)
	}
	for i, want := range []string{
		"relocation from Boston, US (from the laptop shipped there) to Toronto, CA on 2026-05-04 (payroll (a bank there) followed)",
		"busiest day 25 distinct repositories; their own usual busy day 25",
		"approved travel to DE from 2026-05-04 to 2026-05-14 (offsite)",
		"paid through Deel",
	} {
		if !strings.Contains(got[i].Summary, want) {
			t.Errorf("%s: %q lacks %q", got[i].Kind, got[i].Summary, want)
		}
	}
	if diff := cmp.Diff([]*event.Event{shipped, roster, paid}, got[0].Records); diff != "" {
		t.Errorf("life event records (-want +got):\n%s", diff)
	}
	if c := pop.ContextOf(quiet, pol); len(c) != 0 {
		t.Errorf("nothing to say about E2, got %+v", c)
	}
}
