package pipeline

import (
	"net/netip"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
)

// TestStoredAsIs checks that an event with a string the store's JSON
// cannot hold, wherever it is, is not handed over as it is.
func TestStoredAsIs(t *testing.T) {
	sample := func() *event.Event {
		return &event.Event{Kind: event.KindSignIn, Time: time.Date(2026, 6, 1, 9, 0, 0, 0, time.FixedZone("X", 3600)),
			Prov:    event.Provenance{Origin: &event.Origin{Source: "okta", File: "okta.ndjson"}, Record: 1, Hash: "h1"},
			Account: &event.Actor{Login: "jane@example.com", DisplayName: "Jané"},
			SignIn:  &event.SignIn{Action: "user.session.start", Net: &event.Network{IP: netip.MustParseAddr("192.0.2.1"), City: "Kraków"}}}
	}
	if e := sample(); !StoredAsIs(e) {
		t.Error("valid event not stored as it is")
	}
	for name, spoil := range map[string]func(*event.Event){
		"file":        func(e *event.Event) { e.Prov.Origin = &event.Origin{Source: "okta", File: "okta\xff.ndjson"} },
		"actor":       func(e *event.Event) { a := e.Actor(); a.DisplayName = "Jan\xe9"; e.SetActor(a) },
		"nested":      func(e *event.Event) { e.SignIn.Net.City = "Krak\xf3w" },
		"device_rows": func(e *event.Event) { e.Device = &event.Device{Rows: event.RowsOf(map[string]string{"name": "\xc3"})} },
	} {
		e := sample()
		spoil(e)
		if StoredAsIs(e) {
			t.Errorf("%s: event with invalid UTF-8 reported stored as it is", name)
		}
	}
}

func BenchmarkStoredAsIs(b *testing.B) {
	e := &event.Event{Kind: event.KindSignIn, Time: time.Now(), Prov: event.Provenance{Origin: &event.Origin{Source: "okta", File: "okta.ndjson"}, Record: 1, Hash: "h1"},
		Account: &event.Actor{ID: "00u1", Login: "jane@example.com", Email: "jane@example.com", DisplayName: "Jane"},
		SignIn:  &event.SignIn{Action: "user.session.start", UserAgent: "Mozilla/5.0", Net: &event.Network{IP: netip.MustParseAddr("192.0.2.1"), City: "Chicago"}}}
	for b.Loop() {
		StoredAsIs(e)
	}
}

// TestDetach checks that a handed-over event keeps no string of the input
// record its adapter decoded it from.
func TestDetach(t *testing.T) {
	raw := []byte("okta.ndjson|jane@example.com|Jane|user.session.start|Chicago|h1")
	part := func(from, to int) string { return unsafe.String(&raw[from], to-from) }
	// Accounts, origins and network contexts come from an interner (as the
	// decoders' do): their strings are its own, and detach leaves them alone.
	in := source.NewInterner()
	e := &event.Event{Kind: event.KindSignIn, Prov: event.Provenance{Origin: &event.Origin{Source: "okta", File: "okta.ndjson"}, Hash: part(61, 63)},
		Account: in.Actor(event.Actor{Login: part(12, 28), DisplayName: part(29, 33)}),
		SignIn:  &event.SignIn{Action: part(34, 52), Net: in.Network(event.Network{City: part(53, 60)})}}
	shared, account := e.SignIn.Net, e.Account
	want := *e
	wantSignIn := *e.SignIn
	detach(e)
	inRaw := 0
	eachString(reflect.ValueOf(e).Elem(), func(v reflect.Value) bool {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(v.String()))); v.Len() > 0 &&
			p >= uintptr(unsafe.Pointer(&raw[0])) && p < uintptr(unsafe.Pointer(&raw[0]))+uintptr(len(raw)) {
			inRaw++
		}
		return true
	})
	if inRaw != 0 {
		t.Errorf("%d strings still in the input record", inRaw)
	}
	if e.SignIn.Net != shared || e.Account != account {
		t.Error("detach replaced a shared network context or account")
	}
	got, gotSignIn := *e, *e.SignIn
	got.SignIn, want.SignIn = nil, nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("event changed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantSignIn, gotSignIn, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("sign-in changed (-want +got):\n%s", diff)
	}
}
