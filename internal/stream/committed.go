package stream

import (
	"net/netip"
	"reflect"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rollcall/rollcall/internal/event"
)

// committedEvents passes the events the savers committed to the analyser,
// which takes them into its state (pipeline.State.Add) instead of reading
// and decoding them back from the store. A nil *committedEvents (a worker
// that does not analyse) keeps nothing.
type committedEvents struct {
	mu     sync.Mutex
	events []*event.Event
}

// add keeps events, which are stored (committed) already.
func (c *committedEvents) add(events []*event.Event) {
	if c == nil || len(events) == 0 {
		return
	}
	c.mu.Lock()
	c.events = append(c.events, events...)
	c.mu.Unlock()
}

// take returns the events kept since the last call.
func (c *committedEvents) take() []*event.Event {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.events
	c.events = nil
	return out
}

// storedAsIs reports whether the store gives e back as it is: every
// string in it is valid UTF-8 (JSON, which the store keeps events in,
// holds no other). An event that comes back changed is not handed over:
// the analysis reads its stored form, as a full analysis of the store does.
func storedAsIs(e *event.Event) bool { return validStrings(reflect.ValueOf(e).Elem()) }

var (
	timeType = reflect.TypeFor[time.Time]()
	addrType = reflect.TypeFor[netip.Addr]()
)

// validStrings reports whether every string reachable from v is valid
// UTF-8.
func validStrings(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return utf8.ValidString(v.String())
	case reflect.Pointer, reflect.Interface:
		return v.IsNil() || validStrings(v.Elem())
	case reflect.Struct:
		if t := v.Type(); t == timeType || t == addrType {
			return true
		}
		for i := range v.NumField() {
			if !validStrings(v.Field(i)) {
				return false
			}
		}
	case reflect.Slice, reflect.Array:
		switch v.Type().Elem().Kind() {
		case reflect.String, reflect.Pointer, reflect.Interface, reflect.Struct, reflect.Slice, reflect.Array, reflect.Map:
			for i := range v.Len() {
				if !validStrings(v.Index(i)) {
					return false
				}
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if !validStrings(it.Key()) || !validStrings(it.Value()) {
				return false
			}
		}
	}
	return true
}
