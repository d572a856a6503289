package stream

import (
	"sync"

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
