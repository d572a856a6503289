package activity

import (
	"maps"

	"github.com/rollcall/rollcall/internal/event"
)

// Computer states of a sign-in.
const (
	Managed   = "managed"   // a company-managed computer
	Unmanaged = "unmanaged" // a computer the company does not manage (or an unregistered one, see DeviceStates)
)

// DeviceStates tells whether sign-ins came from company-managed computers.
// Identity providers that attach device context only to registered devices
// (Okta: the device object exists for devices registered through Okta
// Verify / FastPass) leave it out for any other computer; when a source
// gives the state on nearly all of the organisation's computer sign-ins,
// a computer sign-in without it is from an unregistered — unmanaged —
// computer.
type DeviceStates struct {
	registered map[string]bool // sources whose computer sign-ins nearly always carry a state
}

// Registration thresholds: a source whose computer sign-ins carry a state
// at least this often, over at least this many sign-ins.
const (
	registeredShare = 0.8
	registeredMin   = 50
)

// LearnDeviceStates learns, per source, whether missing device context
// means an unregistered computer, from every person's sign-ins.
func LearnDeviceStates(signIns ...[]*event.Event) DeviceStates {
	var c DeviceCounts
	for _, l := range signIns {
		c.Add(l)
	}
	return c.States()
}

// DeviceCounts are what LearnDeviceStates learns from, kept so that
// sign-ins can be added to them later (an incremental analysis): per
// source, the computer sign-ins, and those carrying a device state. The
// zero value counts nothing.
type DeviceCounts struct {
	with, all map[string]int
}

// Add counts the computer sign-ins among events.
func (c *DeviceCounts) Add(events []*event.Event) {
	if c.all == nil {
		c.with, c.all = map[string]int{}, map[string]int{}
	}
	for _, e := range events {
		if !computerSignIn(e) {
			continue
		}
		c.all[e.Prov.Source()]++
		if e.SignIn.Managed != "" {
			c.with[e.Prov.Source()]++
		}
	}
}

// Clone returns a copy that counts on its own.
func (c DeviceCounts) Clone() DeviceCounts {
	return DeviceCounts{with: maps.Clone(c.with), all: maps.Clone(c.all)}
}

// States are the device states the counts teach.
func (c DeviceCounts) States() DeviceStates {
	ds := DeviceStates{registered: map[string]bool{}}
	for src, n := range c.all {
		if n >= registeredMin && float64(c.with[src]) >= registeredShare*float64(n) {
			ds.registered[src] = true
		}
	}
	return ds
}

// computerSignIn reports whether e is a successful, interactive sign-in
// from a computer (the device class enrich.Stamp records).
func computerSignIn(e *event.Event) bool {
	return e.SignIn != nil && e.Facts.Device.Has(event.DeviceComputer)
}

// Of returns the computer state of a sign-in: Managed, Unmanaged, or ""
// when it is not a computer sign-in or its state is unknown.
func (ds DeviceStates) Of(e *event.Event) string {
	if !computerSignIn(e) {
		return ""
	}
	switch e.SignIn.Managed {
	case Managed, Unmanaged:
		return e.SignIn.Managed
	case "":
		if ds.registered[e.Prov.Source()] {
			return Unmanaged
		}
	}
	return ""
}

// Unregistered reports whether a sign-in's state was inferred from missing
// device context.
func (ds DeviceStates) Unregistered(e *event.Event) bool {
	return e.SignIn != nil && e.SignIn.Managed == "" && ds.Of(e) == Unmanaged
}

// Equal reports whether two learnt device states judge every sign-in the
// same way.
func (ds DeviceStates) Equal(other DeviceStates) bool {
	return maps.Equal(ds.registered, other.registered)
}
