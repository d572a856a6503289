package activity

import (
	"fmt"
	"testing"

	"github.com/rollcall/rollcall/internal/enrich"
	"github.com/rollcall/rollcall/internal/event"
)

func TestDeviceStates(t *testing.T) {
	si := func(src, action, os, device, managed string) *event.Event {
		e := &event.Event{Kind: event.KindSignIn, Prov: event.Provenance{Origin: &event.Origin{Source: src}},
			SignIn: &event.SignIn{Action: action, Outcome: event.OutcomeSuccess, OS: os, DeviceName: device, Managed: managed}}
		enrich.Stamp([]*event.Event{e}, nil)
		return e
	}
	// An Okta organisation whose computers are registered: 60 sign-ins
	// with device context, then the cases.
	p := &person{ID: "E1"}
	for i := range 60 {
		p.SignIns = append(p.SignIns, si("okta", "user.session.start", "Mac OS X", fmt.Sprint("Mac15,", i), "managed"))
	}
	ds := LearnDeviceStates(p.SignIns)
	tests := []struct {
		name string
		e    *event.Event
		want string
	}{
		{"registered_laptop", si("okta", "user.session.start", "Mac OS X", "Mac15,6", "managed"), Managed},
		{"unregistered_computer", si("okta", "user.session.start", "Windows 10", "", ""), Unmanaged},
		{"phone_by_os", si("okta", "user.session.start", "Android", "Pixel 9", "unmanaged"), ""},
		{"phone_by_model_name", si("okta", "user.session.start", "Mac OS X", "SM-A546U", "unmanaged"), ""},
		{"mfa_step_device_is_the_authenticator", si("okta", "user.authentication.auth_via_mfa", "Mac OS X", "Pixel 9", "unmanaged"), ""},
		{"policy_evaluation_duplicates_the_start", si("okta", "policy.evaluate_sign_on", "Windows 10", "", ""), ""},
		{"entra_without_state_stays_unknown", si("entra", "interactiveUser", "Windows10", "", ""), ""},
		{"entra_unmanaged", si("entra", "interactiveUser", "Windows10", "DESKTOP-1", "unmanaged"), Unmanaged},
		{"token_refresh", si("entra", "nonInteractiveUser", "Windows10", "DESKTOP-1", "unmanaged"), ""},
		{"entra_sign_in_that_completed_mfa", func() *event.Event {
			e := si("entra", "interactiveUser", "Windows10", "DESKTOP-1", "unmanaged")
			e.SignIn.MFADevice = "authenticator-device-id"
			enrich.Stamp([]*event.Event{e}, nil)
			return e
		}(), Unmanaged},
	}
	for _, tc := range tests {
		if got := ds.Of(tc.e); got != tc.want {
			t.Errorf("%s: Of = %q, want %q", tc.name, got, tc.want)
		}
	}
	if !ds.Unregistered(tests[1].e) || ds.Unregistered(tests[0].e) {
		t.Error("Unregistered wrong")
	}
	// Too few sign-ins with context: nothing inferred.
	few := LearnDeviceStates(p.SignIns[:10])
	if got := few.Of(tests[1].e); got != "" {
		t.Errorf("small organisation: Of = %q, want unknown", got)
	}
}
