package network

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestLaptopFarm(t *testing.T) {
	tmobile := event.Network{IP: netip.MustParseAddr("192.0.2.80"), Country: "US", ASN: 21928, ASOrg: "t-mobile usa inc."}
	homeB := homeUS
	homeB.IP = netip.MustParseAddr("192.0.2.11")
	allowed := policy.Default()
	allowed.Allow.Egress = []policy.PrefixEntry{{Prefix: netip.MustParsePrefix("192.0.2.10/32"), Entry: policy.Entry{Reason: "Austin office"}}}
	// laptop adds a managed sign-in from n on each of days, numbered from
	// first.
	laptop := func(first int, id string, n event.Network, managed string, days ...int) []*event.Event {
		var out []*event.Event
		for i, d := range days {
			e := managedSignIn(first+i, strings.ToLower(id)+"@example.com", exampleStart.AddDate(0, 0, d), n, "LT-"+id)
			e.SignIn.Managed = managed
			out = append(out, e)
		}
		return out
	}
	cat := func(lists ...[]*event.Event) []*event.Event {
		var out []*event.Event
		for _, l := range lists {
			out = append(out, l...)
		}
		return out
	}
	days := []int{0, 1, 2, 3, 4, 7, 8, 9, 10, 11}
	wa := farmRoster(1, "E1", "e1@example.com", "WA", "12 Pine St")
	ga := farmRoster(2, "E2", "e2@example.com", "GA", "77 Oak Ave")
	type result struct {
		Person     string
		Confidence float64
		Related    []string
	}
	tests := []struct {
		name   string
		events []*event.Event
		pol    *policy.Policy
		want   []result
	}{
		{
			name:   "two_states_one_connection",
			events: cat([]*event.Event{wa, ga}, laptop(1, "E1", homeUS, "managed", days...), laptop(101, "E2", homeUS, "managed", days...)),
			want:   []result{{"E1", 1, []string{"E2"}}, {"E2", 1, []string{"E1"}}},
		},
		{
			name: "home_unknown",
			events: cat([]*event.Event{wa, rosterRecord(2, "E2", "e2@example.com", "")},
				laptop(1, "E1", homeUS, "managed", days...), laptop(101, "E2", homeUS, "managed", days...)),
			want: []result{{"E1", 0.7, []string{"E2"}}, {"E2", 0.7, []string{"E1"}}},
		},
		{
			name: "couple",
			events: cat([]*event.Event{farmRoster(1, "E1", "e1@example.com", "TX", "40 Cedar Ln"), farmRoster(2, "E2", "e2@example.com", "TX", "40 Cedar Lane")},
				laptop(1, "E1", homeUS, "managed", days...), laptop(101, "E2", homeUS, "managed", days...)),
		},
		{
			name: "coworking_in_one_state",
			events: cat([]*event.Event{farmRoster(1, "E1", "e1@example.com", "TX", "1 A St"), farmRoster(2, "E2", "e2@example.com", "Texas", "2 B St")},
				laptop(1, "E1", homeUS, "managed", days...), laptop(101, "E2", homeUS, "managed", days...)),
		},
		{
			name: "laptop_mostly_elsewhere",
			events: cat([]*event.Event{wa, ga}, laptop(1, "E1", homeUS, "managed", 0, 7), laptop(11, "E1", homeB, "managed", 1, 2, 3, 4, 8, 9),
				laptop(101, "E2", homeUS, "managed", days...)),
		},
		{
			name:   "personal_devices_are_not_corporate_laptops",
			events: cat([]*event.Event{wa, ga}, laptop(1, "E1", homeUS, "unmanaged", days...), laptop(101, "E2", homeUS, "", days...)),
		},
		{
			name:   "carrier_nat",
			events: cat([]*event.Event{wa, ga}, laptop(1, "E1", tmobile, "managed", days...), laptop(101, "E2", tmobile, "managed", days...)),
		},
		{
			name:   "vpn_exit",
			events: cat([]*event.Event{wa, ga}, laptop(1, "E1", m247VPN, "managed", days...), laptop(101, "E2", m247VPN, "managed", days...)),
		},
		{
			name:   "allow_listed_office",
			events: cat([]*event.Event{wa, ga}, laptop(1, "E1", homeUS, "managed", days...), laptop(101, "E2", homeUS, "managed", days...)),
			pol:    allowed,
		},
		{
			name: "office_of_five",
			events: cat([]*event.Event{wa, ga, farmRoster(3, "E3", "e3@example.com", "NY", "3 C St"),
				farmRoster(4, "E4", "e4@example.com", "CA", "4 D St"), farmRoster(5, "E5", "e5@example.com", "OR", "5 E St")},
				laptop(1, "E1", homeUS, "managed", days...), laptop(101, "E2", homeUS, "managed", days...),
				laptop(201, "E3", homeUS, "managed", days...), laptop(301, "E4", homeUS, "managed", days...),
				laptop(401, "E5", homeUS, "unmanaged", days...)),
		},
		{
			name:   "three_day_offsite",
			events: cat([]*event.Event{wa, ga}, laptop(1, "E1", homeUS, "managed", 1, 2, 3), laptop(101, "E2", homeUS, "managed", 1, 2, 3)),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := runFarm(t, tc.pol, tc.events)
			var got []result
			for _, f := range fs {
				got = append(got, result{f.Person, f.Confidence, f.Related})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLaptopFarmSummary(t *testing.T) {
	ex := (&LaptopFarm{}).Examples().Positive
	fs := runFarm(t, nil, ex.Events)
	if len(fs) != 2 {
		t.Fatalf("got %d findings, want 2", len(fs))
	}
	want := "corporate laptop LT-0101 signed in from 192.0.2.10 on 10 days of 10 managed-device days; so did E161's laptop LT-0102 on 10 days (homes in WA and GA)"
	if fs[0].Summary != want {
		t.Errorf("summary %q, want %q", fs[0].Summary, want)
	}
}

// runFarm runs NET-01 and checks what every finding must satisfy (its
// evidence names Entra records, which run does not expect).
func runFarm(t *testing.T, pol *policy.Policy, events []*event.Event) []detect.Finding {
	t.Helper()
	if pol == nil {
		pol = policy.Default()
	}
	pop := detecttest.Population(events, pol)
	fs, err := (&LaptopFarm{}).Detect(context.Background(), &detect.Input{Pop: pop, Policy: pol, Now: exampleStart.AddDate(0, 6, 0)})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Confidence <= 0 || f.Confidence > 1 || len(f.Evidence) == 0 || len(f.Evidence) > detect.MaxEvidence {
			t.Errorf("finding %+v breaks the invariants", f)
		}
		for _, e := range f.Evidence {
			if e.File == "" || e.Record <= 0 || e.Summary == "" {
				t.Errorf("evidence %+v does not name a record", e)
			}
		}
		for _, r := range f.Related {
			if r == f.Person || pop.Person(r) == nil {
				t.Errorf("finding on %s relates to %q", f.Person, r)
			}
		}
	}
	return fs
}
