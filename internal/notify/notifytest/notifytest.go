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
	"os"
	"path/filepath"
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

// secretEnv is the variable WebhookConfig puts the secret in.
const secretEnv = "ROLLCALL_NOTIFYTEST_SECRET"

// WebhookConfig starts a receiver and writes dir/notify.yaml sending to it
// (sent log and dead letters in dir; include lists personal data to
// send, e.g. "name"); it returns the file and the receiver.
func WebhookConfig(t testing.TB, dir, include string) (string, *Webhook) {
	t.Helper()
	t.Setenv(secretEnv, Secret)
	h := NewWebhook(t, Secret)
	path := filepath.Join(dir, "notify.yaml")
	cfg := "sent_log: sent.ndjson\ndead_letter: dead.ndjson\nwebhooks:\n  - {name: soc, url: \"" + h.URL + "\", secret_env: " + secretEnv + ", include: [" + include + "]}\n"
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, h
}

// Secret is the webhook secret of WebhookConfig, for checking it leaks
// nowhere.
const Secret = "notifytest webhook secret"

// Messages returns the verified messages received so far, in order.
func (h *Webhook) Messages() []notify.Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]notify.Message(nil), h.got...)
}
