package stream

import (
	"net/netip"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

// TestStoredAsIs checks that an event with a string the store's JSON
// cannot hold, wherever it is, is not handed over as it is.
func TestStoredAsIs(t *testing.T) {
	sample := func() *event.Event {
		return &event.Event{Kind: event.KindSignIn, Time: time.Date(2026, 6, 1, 9, 0, 0, 0, time.FixedZone("X", 3600)),
			Prov:   event.Provenance{Source: "okta", File: "okta.ndjson", Record: 1, Hash: "h1"},
			Actor:  event.Actor{Login: "jane@example.com", DisplayName: "Jané"},
			SignIn: &event.SignIn{Action: "user.session.start", Net: event.Network{IP: netip.MustParseAddr("192.0.2.1"), City: "Kraków"}}}
	}
	if e := sample(); !storedAsIs(e) {
		t.Error("valid event not stored as it is")
	}
	for name, spoil := range map[string]func(*event.Event){
		"file":        func(e *event.Event) { e.Prov.File = "okta\xff.ndjson" },
		"actor":       func(e *event.Event) { e.Actor.DisplayName = "Jan\xe9" },
		"nested":      func(e *event.Event) { e.SignIn.Net.City = "Krak\xf3w" },
		"device_rows": func(e *event.Event) { e.Device = &event.Device{Rows: []map[string]string{{"name": "\xc3"}}} },
	} {
		e := sample()
		spoil(e)
		if storedAsIs(e) {
			t.Errorf("%s: event with invalid UTF-8 reported stored as it is", name)
		}
	}
}

func BenchmarkStoredAsIs(b *testing.B) {
	e := &event.Event{Kind: event.KindSignIn, Time: time.Now(), Prov: event.Provenance{Source: "okta", File: "okta.ndjson", Record: 1, Hash: "h1"},
		Actor:  event.Actor{ID: "00u1", Login: "jane@example.com", Email: "jane@example.com", DisplayName: "Jane"},
		SignIn: &event.SignIn{Action: "user.session.start", UserAgent: "Mozilla/5.0", Net: event.Network{IP: netip.MustParseAddr("192.0.2.1"), City: "Chicago"}}}
	for b.Loop() {
		storedAsIs(e)
	}
}
