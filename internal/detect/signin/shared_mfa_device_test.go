package signin

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestSharedMFADevice(t *testing.T) {
	emp := func(rec int, id string) *event.Event {
		return staff{record: rec, id: id, email: strings.ToLower(id) + "@example.com", country: "US"}.event()
	}
	// uses adds one successful MFA sign-in per day for days days.
	uses := func(first int, id string, days int, mfa string) []*event.Event {
		var out []*event.Event
		for i := range days {
			out = append(out, entraSignIn(first+i, strings.ToLower(id)+"@example.com",
				exampleStart.AddDate(0, 0, i).Add(time.Duration(first)*time.Minute), homeChicago, "Windows10", "", "", mfa))
		}
		return out
	}
	oktaMFA := func(first int, id string, days int, enrollment, device string) []*event.Event {
		var out []*event.Event
		for i := range days {
			e := oktaSignIn(first+i, strings.ToLower(id)+"@example.com", exampleStart.AddDate(0, 0, i), homeChicago)
			e.SignIn.Action, e.SignIn.MFADevice, e.SignIn.DeviceID = "user.authentication.auth_via_mfa", enrollment, device
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
	tests := []struct {
		name   string
		events []*event.Event
		want   []verdict
	}{
		{
			name:   "two_people_one_phone",
			events: cat([]*event.Event{emp(1, "E1"), emp(2, "E2")}, uses(1, "E1", 5, "dev-a"), uses(101, "E2", 5, "dev-a")),
			want:   []verdict{{Person: "E1", Confidence: 1, Related: []string{"E2"}}, {Person: "E2", Confidence: 1, Related: []string{"E1"}}},
		},
		{
			name: "three_people_one_phone_one_of_them_once",
			events: cat([]*event.Event{emp(1, "E1"), emp(2, "E2"), emp(3, "E3")},
				uses(1, "E1", 5, "dev-a"), uses(101, "E2", 5, "dev-a"), uses(201, "E3", 1, "dev-a")),
			want: []verdict{
				{Person: "E1", Confidence: 1, Related: []string{"E2", "E3"}},
				{Person: "E2", Confidence: 1, Related: []string{"E1", "E3"}},
				{Person: "E3", Confidence: 0.6, Related: []string{"E1", "E2"}},
			},
		},
		{
			// Okta: one phone, a separate Okta Verify enrollment per account,
			// one device id on the MFA steps.
			name:   "okta_verify_on_one_phone_for_two_accounts",
			events: cat([]*event.Event{emp(1, "E1"), emp(2, "E2")}, oktaMFA(1, "E1", 3, "enr-1", "guo-phone"), oktaMFA(101, "E2", 3, "enr-2", "guo-phone")),
			want:   []verdict{{Person: "E1", Confidence: 1, Related: []string{"E2"}}, {Person: "E2", Confidence: 1, Related: []string{"E1"}}},
		},
		{
			// The device on a session start is the computer: two people
			// signing in on one shared kiosk is not an MFA device.
			name: "session_start_devices_are_not_mfa_devices",
			events: cat([]*event.Event{emp(1, "E1"), emp(2, "E2")}, func() []*event.Event {
				a, b := oktaMFA(1, "E1", 3, "", "kiosk"), oktaMFA(101, "E2", 3, "", "kiosk")
				for _, e := range append(a, b...) {
					e.SignIn.Action = "user.session.start"
				}
				return append(a, b...)
			}()),
		},
		{
			name:   "everyone_has_their_own",
			events: cat([]*event.Event{emp(1, "E1"), emp(2, "E2")}, uses(1, "E1", 5, "dev-a"), uses(101, "E2", 5, "dev-b")),
		},
		{
			name:   "masked_phone_numbers_collide",
			events: cat([]*event.Event{emp(1, "E1"), emp(2, "E2")}, uses(1, "E1", 5, "+1 XXXXXXXX12"), uses(101, "E2", 5, "+1 XXXXXXXX12")),
		},
		{
			name:   "factor_type_is_not_a_device",
			events: cat([]*event.Event{emp(1, "E1"), emp(2, "E2")}, uses(1, "E1", 5, "PhoneAppNotification"), uses(101, "E2", 5, "PhoneAppNotification")),
		},
		{
			name: "admin_account_of_an_engineer",
			events: cat([]*event.Event{emp(1, "E1"), staff{record: 2, id: "E2", email: "adm-e1@example.com", country: "US"}.event()},
				uses(1, "E1", 5, "dev-a"), func() []*event.Event {
					var out []*event.Event
					for i := range 5 {
						out = append(out, entraSignIn(101+i, "adm-e1@example.com", exampleStart.AddDate(0, 0, i), homeChicago, "Windows10", "", "", "dev-a"))
					}
					return out
				}()),
		},
		{
			name: "service_type_on_the_roster",
			events: cat([]*event.Event{emp(1, "E1"), func() *event.Event {
				e := emp(2, "E2")
				e.Person.UserType = "Service Account"
				return e
			}()}, uses(1, "E1", 5, "dev-a"), uses(101, "E2", 5, "dev-a")),
		},
		{
			name: "help_desk_token_used_for_many",
			events: cat([]*event.Event{emp(1, "E1"), emp(2, "E2"), emp(3, "E3"), emp(4, "E4"), emp(5, "E5"), emp(6, "E6"), emp(7, "E7")},
				uses(1, "E1", 1, "desk"), uses(11, "E2", 1, "desk"), uses(21, "E3", 1, "desk"), uses(31, "E4", 1, "desk"),
				uses(41, "E5", 1, "desk"), uses(51, "E6", 1, "desk"), uses(61, "E7", 1, "desk")),
		},
		{
			name: "failed_mfa_does_not_count",
			events: cat([]*event.Event{emp(1, "E1"), emp(2, "E2")}, uses(1, "E1", 5, "dev-a"), func() []*event.Event {
				l := uses(101, "E2", 5, "dev-a")
				for _, e := range l {
					e.SignIn.Outcome = event.OutcomeFailure
				}
				return l
			}()),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := detectAll(t, &SharedMFADevice{}, nil, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
