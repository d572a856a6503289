package profile_test

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

var t0 = time.Date(2025, 3, 3, 15, 0, 0, 0, time.UTC)

var record int

func prov(src string) event.Provenance {
	record++
	return event.Provenance{Origin: &event.Origin{Source: src, File: src + ".json"}, Record: record}
}

func roster(id, phone string, home event.Address) *event.Event {
	home.Type = "home"
	return &event.Event{Kind: event.KindPerson, Time: t0, Prov: prov("scim"), Person: &event.Person{
		EmployeeID: id, UserName: id + "@example.com", Name: "Person " + id, Active: true,
		Phones: []string{phone}, Addresses: []event.Address{home}, Timezone: "America/Chicago"}}
}

func signIn(id string, at time.Time, ip, country string, asn uint32) *event.Event {
	return &event.Event{Kind: event.KindSignIn, Time: at, Prov: prov("okta"), Account: &event.Actor{Login: id + "@example.com"},
		SignIn: &event.SignIn{Action: "user.session.start", Outcome: event.OutcomeSuccess, OS: "Windows 10", Managed: "managed",
			Net: &event.Network{IP: netip.MustParseAddr(ip), Country: country, ASN: asn, ASOrg: "some isp"}}}
}

func payout(id, account string) *event.Event {
	return &event.Event{Kind: event.KindPayout, Time: t0, Prov: prov("payroll"), Payout: &event.Payout{
		EmployeeID: id, EffectiveDate: t0, Method: "bank", AccountFingerprint: account}}
}

func TestBuild(t *testing.T) {
	chicago := event.Address{Street: "12 Oak Ave", Locality: "Chicago", Region: "IL", PostalCode: "60601", Country: "US"}
	events := []*event.Event{
		roster("E1", "+1 415 867 5309", chicago),
		roster("E2", "(415) 867-5309", event.Address{Street: "9 Elm St", Locality: "Chicago", Region: "IL", PostalCode: "60602", Country: "US"}),
		payout("E1", "ACCT-1"), payout("E2", "acct-1"),
	}
	for d := range 60 { // enough computer sign-ins with device context to learn that Okta registers them
		events = append(events, signIn("E1", t0.AddDate(0, 0, d), "73.1.2.3", "US", 7922))
	}
	events = append(events,
		signIn("E2", t0, "73.9.9.9", "US", 7922),
		signIn("E2", t0.AddDate(0, 0, 1), "73.9.9.9", "US", 7922),
		signIn("E2", t0.AddDate(0, 0, 1).Add(time.Hour), "175.45.176.1", "KP", 131279),
		signIn("E2", t0.AddDate(0, 0, 3), "100.64.0.7", "US", 7922), // CGNAT: never locates
	)
	pop := detecttest.Population(events, nil)
	e2 := pop.Person("E2")
	if e2 == nil {
		t.Fatal("E2 not resolved")
	}
	want := []profile.Seen{
		{Key: "KP", First: t0.AddDate(0, 0, 1).Add(time.Hour), Last: t0.AddDate(0, 0, 1).Add(time.Hour), Days: 1, Events: 1},
		{Key: "US", First: t0, Last: t0.AddDate(0, 0, 3), Days: 3, Events: 3},
	}
	if diff := cmp.Diff(want, e2.Features.Countries); diff != "" {
		t.Errorf("E2 countries (-want +got):\n%s", diff)
	}
	wantNets := []profile.Seen{
		{Key: "AS131279", First: t0.AddDate(0, 0, 1).Add(time.Hour), Last: t0.AddDate(0, 0, 1).Add(time.Hour), Days: 1, Events: 1},
		{Key: "AS7922", First: t0, Last: t0.AddDate(0, 0, 3), Days: 3, Events: 3},
	}
	if diff := cmp.Diff(wantNets, e2.Features.Networks); diff != "" {
		t.Errorf("E2 networks (-want +got):\n%s", diff)
	}
	if !e2.Features.HasClaim || e2.Features.Claim.TZ == "" {
		t.Errorf("E2 claim %+v, want the roster's America/Chicago", e2.Features.Claim)
	}
	if got := len(e2.Features.Places); got != 4 {
		t.Errorf("E2 has %d places, want 4 (every successful sign-in on an ordinary network with a country)", got)
	}
	// Device states are learnt once over the population: E2's sign-ins
	// carry a state, so an Okta sign-in without one is an unregistered
	// computer.
	bare := signIn("E2", t0, "73.9.9.9", "US", 7922)
	bare.SignIn.Managed = ""
	detecttest.Population([]*event.Event{bare}, nil) // stamps it
	if !pop.DeviceStates.Unregistered(bare) {
		t.Error("an Okta computer sign-in without device context is not unregistered")
	}
	for name, tc := range map[string]struct {
		index profile.Index[string]
		value string
		want  []string
	}{
		"payout_account_case_folded":  {pop.Index.Payout, "acct-1", []string{"E1", "E2"}},
		"phone_with_and_without_code": {pop.Index.Phone, "4158675309", []string{"E1", "E2"}},
		"home_address_key":            {pop.Index.Address, "12 oak ave|60601|chicago|US", []string{"E1"}},
		"mailbox":                     {pop.Index.Mailbox, "e2@example.com", []string{"E2"}},
	} {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.index.Holders(tc.value)); diff != "" {
				t.Errorf("holders of %q (-want +got):\n%s", tc.value, diff)
			}
		})
	}
	for ip, want := range map[string][]string{"73.9.9.9": {"E2"}, "73.1.2.3": {"E1"}, "100.64.0.7": nil, "175.45.176.1": {"E2"}} {
		if diff := cmp.Diff(want, pop.Index.IP.Holders(netip.MustParseAddr(ip))); diff != "" {
			t.Errorf("holders of %s (-want +got):\n%s", ip, diff)
		}
	}
}

func TestBuildGhostwrites(t *testing.T) {
	commit := func(author, committer string, skew time.Duration) *event.Event {
		return &event.Event{Kind: event.KindCommit, Time: t0, Prov: prov("gitlog"), Account: &event.Actor{Email: author},
			Commit: &event.Commit{Hash: fmt.Sprintf("%040d", record), AuthorName: "Someone", AuthorEmail: author, AuthorTime: t0,
				CommitterName: "Someone", CommitterEmail: committer, CommitterTime: t0.Add(skew)}}
	}
	home := event.Address{Street: "1 Main St", Locality: "Chicago", Country: "US"}
	events := []*event.Event{
		roster("E1", "+1 415 867 5309", home),
		roster("E2", "+1 312 555 0101", home),
		commit("e2@example.com", "E1@Example.com", 0),              // E1's account writes as E2
		commit("e2@example.com", "e1@example.com", time.Hour),      // a rebase: a new committer time
		commit("e2@example.com", "noreply@github.com", 0),          // a web merge
		commit("e2@example.com", "e2@example.com", 0),              // E2's own commit
		commit("e1@example.com", "e2@example.com", 30*time.Second), // E2's account writes as E1
	}
	pop := detecttest.Population(events, nil)
	got := map[string][]int{}
	for _, id := range []string{"E1", "E2"} {
		for _, g := range pop.Person(id).Features.Ghostwrites {
			got[id] = append(got[id], g.Event.Prov.Record)
			if g.Author == id {
				t.Errorf("%s ghostwrites as themselves", id)
			}
		}
	}
	first := events[2].Prov.Record
	want := map[string][]int{"E1": {first}, "E2": {first + 4}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ghostwritten commit records (-want +got):\n%s", diff)
	}
}
