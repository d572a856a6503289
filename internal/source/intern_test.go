package source

import (
	"net/netip"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func signInEvent(ua, city string) *event.Event {
	return &event.Event{Kind: event.KindSignIn, Prov: event.Provenance{ID: "id-" + city},
		Account: &event.Actor{ID: strings.Clone("00u1"), Login: strings.Clone("a@example.com")},
		SignIn:  &event.SignIn{Action: strings.Clone("user.session.start"), UserAgent: ua, SessionID: strings.Clone("s1"), Net: &event.Network{City: city, ASOrg: strings.Clone("verizon")}}}
}

func deviceEvent(host string) *event.Event {
	return &event.Event{Kind: event.KindDevice, Device: &event.Device{HostID: host, Query: "usb",
		Rows: event.RowsOf(map[string]string{strings.Clone("vendor"): strings.Clone("Logitech"), strings.Clone("model"): host}, nil)}}
}

func same(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }

// TestInternerEvent: interning leaves every value equal, and two events'
// repeating strings end up sharing one copy, while per-record values
// (event and session ids) are left alone.
func TestInternerEvent(t *testing.T) {
	ua := strings.Repeat("Mozilla/5.0 ", 10)
	tests := []struct {
		name string
		a, b func() *event.Event
		// shared picks the strings that must be one copy after interning.
		shared func(a, b *event.Event) map[string][2]string
	}{
		{
			name: "sign_in",
			a:    func() *event.Event { return signInEvent(strings.Clone(ua), strings.Clone("Oslo")) },
			b:    func() *event.Event { return signInEvent(strings.Clone(ua), strings.Clone("Oslo")) },
			shared: func(a, b *event.Event) map[string][2]string {
				return map[string][2]string{
					"actor.login": {a.Actor().Login, b.Actor().Login}, "action": {a.SignIn.Action, b.SignIn.Action},
					"user_agent": {a.SignIn.UserAgent, b.SignIn.UserAgent}, "city": {a.SignIn.Net.City, b.SignIn.Net.City},
					"as_org": {a.SignIn.Net.ASOrg, b.SignIn.Net.ASOrg},
				}
			},
		},
		{
			name: "device_rows",
			a:    func() *event.Event { return deviceEvent(strings.Clone("host-1")) },
			b:    func() *event.Event { return deviceEvent(strings.Clone("host-1")) },
			shared: func(a, b *event.Event) map[string][2]string {
				return map[string][2]string{"vendor": {a.Device.Rows[0].Get("vendor"), b.Device.Rows[0].Get("vendor")}}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := tc.a(), tc.b()
			in := NewInterner()
			in.Event(a)
			in.Event(b)
			if diff := cmp.Diff(tc.a(), a, cmp.Comparer(func(x, y netip.Addr) bool { return x == y })); diff != "" {
				t.Errorf("interning changed a value (-before +after):\n%s", diff)
			}
			for name, pair := range tc.shared(a, b) {
				if !same(pair[0], pair[1]) {
					t.Errorf("%s: two copies after interning", name)
				}
			}
		})
	}
	a, b := signInEvent("x", "y"), signInEvent("x", "y")
	in := NewInterner()
	in.Event(a)
	in.Event(b)
	if same(a.SignIn.SessionID, b.SignIn.SessionID) {
		t.Error("session ids are per record and must not be interned")
	}
}

// TestInternerBytesNoAllocOnRepeat: a value seen before costs no
// allocation; one too long to be worth interning is copied.
func TestInternerBytesNoAllocOnRepeat(t *testing.T) {
	in := NewInterner()
	b := []byte("verizon business")
	first := in.Bytes(b)
	if n := testing.AllocsPerRun(100, func() { _ = in.Bytes(b) }); n != 0 {
		t.Errorf("%v allocations per repeat, want 0", n)
	}
	if !same(first, in.Bytes([]byte("verizon business"))) {
		t.Error("repeat returned another copy")
	}
	if other := NewInterner().Bytes(b); !same(first, other) {
		t.Error("two Interners (two parsing goroutines) do not share the canonical copy")
	}
	long := []byte(strings.Repeat("x", internMaxLen+1))
	if same(in.Bytes(long), in.Bytes(long)) {
		t.Error("a value longer than internMaxLen was interned")
	}
}

// TestInternerNetwork: equal network contexts become one shared value with
// interned strings (their IP-database view too), different ones stay
// apart, and a payload without a context is given the shared empty one.
func TestInternerNetwork(t *testing.T) {
	in := NewInterner()
	ctx := func(city string) event.Network {
		return event.Network{IP: netip.MustParseAddr("198.51.100.4"), City: strings.Clone(city), ASOrg: strings.Clone("verizon"),
			Intel: &event.IPIntel{Country: strings.Clone("US"), ASN: 701}}
	}
	a, b, c := in.Network(ctx("Oslo")), in.Network(ctx("Oslo")), in.Network(ctx("Bergen"))
	if a != b {
		t.Errorf("equal contexts not shared: %p %p", a, b)
	}
	if a == c {
		t.Error("different contexts share one value")
	}
	if !same(a.ASOrg, c.ASOrg) || a.Intel != c.Intel {
		t.Errorf("strings and IP-database views of different contexts not interned: %q %q, %p %p", a.ASOrg, c.ASOrg, a.Intel, c.Intel)
	}
	x := &event.Event{Kind: event.KindAudit, Audit: &event.Audit{Action: "git.clone"}}
	y := &event.Event{Kind: event.KindMeeting, Meeting: &event.Meeting{Platform: "zoom"}}
	in.Event(x)
	in.Event(y)
	if x.Audit.Net == nil || x.Audit.Net != y.Meeting.Net || *x.Audit.Net != (event.Network{}) {
		t.Errorf("payloads without a context: %+v %+v, want one shared empty context", x.Audit.Net, y.Meeting.Net)
	}
}

// TestInternerSharesRepeatedRows: rows repeating an earlier row (columns and
// values) share its values, other rows do not, and Set on one leaves the
// others alone.
func TestInternerSharesRepeatedRows(t *testing.T) {
	in := NewInterner()
	a, b := deviceEvent(strings.Clone("host-1")), deviceEvent(strings.Clone("host-1"))
	c := deviceEvent(strings.Clone("host-2"))
	for _, e := range []*event.Event{a, b, c} {
		in.Event(e)
	}
	ra, rb, rc := a.Device.Rows[0], b.Device.Rows[0], c.Device.Rows[0]
	if &ra.Values()[0] != &rb.Values()[0] || ra.Columns() != rb.Columns() {
		t.Error("a repeated row does not share its values and columns")
	}
	if &ra.Values()[0] == &rc.Values()[0] || ra.Columns() != rc.Columns() {
		t.Error("rows with other values share them, or rows with the same columns do not share those")
	}
	if !b.Device.Rows[1].IsNil() {
		t.Errorf("a null row became %v", b.Device.Rows[1].Map())
	}
	a.Device.Rows[0].Set("model", "changed")
	if got := b.Device.Rows[0].Get("model"); got != "host-1" {
		t.Errorf("Set on one event's row changed another's: %q", got)
	}
}
