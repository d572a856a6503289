package signin

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestUnmanagedDevice(t *testing.T) {
	type use struct {
		os, device, managed string
		hour                int // hours after 14:00 UTC
	}
	// person adds a sign-in per weekday of weeks weeks for each use.
	person := func(rec int, id string, weeks int, uses ...use) []*event.Event {
		email := id + "@example.com"
		events := []*event.Event{staff{record: rec, id: id, email: email, country: "US"}.event()}
		n := 0
		for _, d := range weekdaysFrom(exampleStart, weeks) {
			for _, u := range uses {
				n++
				events = append(events, entraSignIn(rec*1000+n, email, d.Add(time.Duration(u.hour)*time.Hour), homeChicago, u.os, u.device, u.managed, ""))
			}
		}
		return events
	}
	pc := use{os: "Windows10", device: "DESKTOP-1", managed: "unmanaged"}
	laptop := use{os: "MacOs", device: "LT-1", managed: "managed", hour: 1}
	iphone := use{os: "Ios", device: "iPhone", managed: "unmanaged", hour: 6}
	shipped := func(events []*event.Event, id string, on time.Time) []*event.Event {
		return append(events, &event.Event{Kind: event.KindShipment, Time: on,
			Prov:     event.Provenance{Origin: &event.Origin{Source: "shipments", File: "examples/shipments.csv"}, Record: 1},
			Shipment: &event.Shipment{EmployeeID: id, AssetSerial: "C02X", ShippedOn: on}})
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []verdict
	}{
		{name: "never_the_company_laptop", events: person(1, "E1", 3, pc), want: []verdict{{Person: "E1", Confidence: 1}}},
		{
			name: "personal_pc_most_days",
			events: func() []*event.Event {
				ev := person(1, "E1", 4, pc)
				return append(ev,
					entraSignIn(998, "E1@example.com", exampleStart.Add(2*time.Hour), homeChicago, "MacOs", "LT-1", "managed", ""),
					entraSignIn(999, "E1@example.com", exampleStart.Add(3*time.Hour), homeChicago, "MacOs", "LT-1", "managed", ""))
			}(),
			want: []verdict{{Person: "E1", Confidence: 0.94}},
		},
		{
			// A policy matter more than a tell: fires, at moderate confidence.
			name: "personal_pc_every_evening_beside_the_laptop", events: person(1, "E1", 3, laptop, pc),
			want: []verdict{{Person: "E1", Confidence: 0.65}},
		},
		{
			name: "occasional_personal_pc",
			events: func() []*event.Event {
				ev := person(1, "E1", 6, laptop)
				for i, d := range []int{3, 10, 17, 24, 31} {
					ev = append(ev, entraSignIn(900+i, "E1@example.com", exampleStart.AddDate(0, 0, d).Add(6*time.Hour), homeChicago, "Windows10", "DESKTOP-1", "unmanaged", ""))
				}
				return ev
			}(),
		},
		{name: "two_weeks_only", events: person(1, "E1", 2, pc)},
		{name: "phone_for_mail", events: person(1, "E1", 3, laptop, iphone)},
		{name: "laptop_only", events: person(1, "E1", 3, laptop)},
		{name: "state_unknown", events: person(1, "E1", 3, use{os: "Windows10"})},
		{name: "four_days", events: person(1, "E1", 1, pc)[:5]},
		{
			name:   "before_the_laptop_arrived",
			events: shipped(append(person(1, "E1", 2, pc), person(1, "E1", 2, laptop)[1:]...), "E1", exampleStart.AddDate(0, 0, 7)),
		},
		{
			name: "byod_organisation",
			events: func() []*event.Event {
				var ev []*event.Event
				for i := range 10 {
					id := fmt.Sprintf("E%d", i+1)
					if i < 5 {
						ev = append(ev, person(i+1, id, 2, pc)...)
					} else {
						ev = append(ev, person(i+1, id, 2, laptop)...)
					}
				}
				return ev
			}(),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := detectAll(t, &UnmanagedDevice{}, nil, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				for _, f := range fs {
					t.Log(f.Summary)
				}
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnmanagedDeviceOkta(t *testing.T) {
	// Okta logs device context for registered devices only.
	var events []*event.Event
	rec := 0
	signIn := func(id, action, os, device, managed string, d time.Time) *event.Event {
		rec++
		e := oktaSignIn(rec, id+"@example.com", d, homeChicago)
		e.SignIn.Action, e.SignIn.OS, e.SignIn.DeviceName, e.SignIn.Managed = action, os, device, managed
		return e
	}
	for i := range 6 {
		id := fmt.Sprintf("e%d", i+1)
		events = append(events, staff{record: i + 1, id: strings.ToUpper(id), email: id + "@example.com", country: "US"}.event())
		for _, d := range weekdaysFrom(exampleStart, 4) {
			switch id {
			case "e1": // works from an unregistered Windows PC
				events = append(events, signIn(id, "user.session.start", "Windows 10", "", "", d))
			default:
				events = append(events, signIn(id, "user.session.start", "Mac OS X", "Mac15,6", "managed", d))
			}
			// Okta Verify on a personal phone completes MFA for everyone.
			events = append(events, signIn(id, "user.authentication.auth_via_mfa", "Mac OS X", "Pixel 9", "unmanaged", d.Add(time.Minute)))
		}
	}
	got, fs := detectAll(t, &UnmanagedDevice{}, nil, events)
	if diff := cmp.Diff([]verdict{{Person: "E1", Confidence: 1}}, got); diff != "" {
		t.Fatalf("findings mismatch (-want +got):\n%s", diff)
	}
	if want := "unregistered Windows 10 CHROME computer"; !strings.Contains(fs[0].Summary, want) {
		t.Errorf("summary %q lacks %q", fs[0].Summary, want)
	}
}
