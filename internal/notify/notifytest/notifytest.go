// Package notifytest holds a webhook receiver for tests of code that
// announces level changes (notify.Notifier): it verifies each delivery's
// HMAC signature as README "Connecting rollcall" tells receivers to, and
// keeps the messages.
package notifytest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/notify"
)

// Webhook is a JSON webhook receiver on loopback.
type Webhook struct {
	URL string

	t      testing.TB
	secret []byte
	mu     sync.Mutex
	got    []notify.Message
}

// NewWebhook starts a receiver that checks signatures with secret; it
// stops when the test ends.
func NewWebhook(t testing.TB, secret string) *Webhook {
	t.Helper()
	h := &Webhook{t: t, secret: []byte(secret)}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	h.URL = srv.URL
	return h
}

func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		h.t.Error(err)
	}
	if err := notify.Verify(h.secret, r.Header.Get(notify.HeaderTimestamp), r.Header.Get(notify.HeaderSignature), body, time.Now(), time.Minute); err != nil {
		h.t.Errorf("webhook receiver: %v", err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var m notify.Message
	if err := json.Unmarshal(body, &m); err != nil {
		h.t.Errorf("webhook receiver: %v", err)
	}
	h.mu.Lock()
	h.got = append(h.got, m)
	h.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// Messages returns the verified messages received so far, in order.
func (h *Webhook) Messages() []notify.Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]notify.Message(nil), h.got...)
}
