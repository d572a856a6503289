package stream

import (
	"context"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// heldMsgs are the messages fetched and not yet settled. While one is
// held longer than a third of the ack wait (a slow database, a long
// batch), the server is told it is in progress, so that it is not
// redelivered to another worker meanwhile.
type heldMsgs struct {
	mu      sync.Mutex
	touched map[jetstream.Msg]time.Time
}

func (h *heldMsgs) add(m jetstream.Msg) {
	h.mu.Lock()
	if h.touched == nil {
		h.touched = map[jetstream.Msg]time.Time{}
	}
	h.touched[m] = time.Now()
	h.mu.Unlock()
}

func (h *heldMsgs) remove(m jetstream.Msg) {
	h.mu.Lock()
	delete(h.touched, m)
	h.mu.Unlock()
}

// keepAlive marks the messages held longer than every as in progress,
// each every period, until ctx ends.
func (h *heldMsgs) keepAlive(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every / 4)
	defer t.Stop()
	var due []jetstream.Msg
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			due = due[:0]
			h.mu.Lock()
			for m, at := range h.touched {
				if now.Sub(at) >= every {
					due = append(due, m)
					h.touched[m] = now
				}
			}
			h.mu.Unlock()
			for _, m := range due {
				_ = m.InProgress()
			}
		}
	}
}
