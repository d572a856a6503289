package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// Webhook headers. The signature is HMAC-SHA256 over the timestamp, a dot
// and the body, keyed with the shared secret: a receiver recomputes it and
// refuses a timestamp too far from its clock (a replayed delivery).
const (
	HeaderSignature = "X-Rollcall-Signature" // "sha256=" + hex HMAC
	HeaderTimestamp = "X-Rollcall-Timestamp" // Unix seconds when sent
	HeaderDelivery  = "X-Rollcall-Delivery"  // the change's id (idempotency key)
)

// Message is the JSON webhook body (format json).
type Message struct {
	Type       string         `json:"type"` // "rollcall.level_change"
	ID         string         `json:"id"`
	Time       time.Time      `json:"time"`
	Person     string         `json:"person"`
	Name       string         `json:"name,omitempty"`  // with include: [name]
	Login      string         `json:"login,omitempty"` // with include: [login]
	Kind       string         `json:"kind"`
	Previous   string         `json:"previous_level"`
	Current    string         `json:"current_level"`
	Score      int            `json:"score"`
	Indicators []IndicatorRef `json:"indicators"`
	Reason     string         `json:"reason"`
}

type webhookSink struct {
	cfg    WebhookConfig
	secret []byte
	client *http.Client
	clock  func() time.Time
}

var _ sink = (*webhookSink)(nil)

func newWebhook(c WebhookConfig, timeout time.Duration, dryRun bool) (*webhookSink, error) {
	w := &webhookSink{cfg: c, client: &http.Client{Timeout: timeout}, clock: time.Now}
	if c.URLEnv != "" {
		w.cfg.URL = os.Getenv(c.URLEnv)
		switch {
		case w.cfg.URL == "" && !dryRun:
			return nil, fmt.Errorf("notify %s: url_env %s is not set", c.Name, c.URLEnv)
		case w.cfg.URL != "":
			if checkURL(w.cfg.URL) != nil { // its message would show the URL, a secret
				return nil, fmt.Errorf("notify %s: url_env %s does not hold an https:// URL without credentials", c.Name, c.URLEnv)
			}
		}
	}
	if c.SecretEnv != "" {
		w.secret = []byte(os.Getenv(c.SecretEnv))
		if len(w.secret) == 0 && !dryRun {
			return nil, fmt.Errorf("notify %s: secret_env %s is not set", c.Name, c.SecretEnv)
		}
	}
	return w, nil
}

func (w *webhookSink) name() string             { return w.cfg.Name }
func (w *webhookSink) kind() string             { return "webhook" }
func (w *webhookSink) close() error             { return nil }
func (w *webhookSink) setClient(c *http.Client) { w.client = c }

func (w *webhookSink) message(c Change, now time.Time) ([]byte, error) {
	if w.cfg.Format == "slack" {
		return slackMessage(c, w.cfg.Include)
	}
	m := Message{Type: "rollcall.level_change", ID: c.ID, Time: now.UTC(), Person: c.Person, Kind: c.Kind,
		Previous: c.Previous, Current: c.Current, Score: c.Score, Indicators: c.Indicators, Reason: c.Reason()}
	if m.Indicators == nil {
		m.Indicators = []IndicatorRef{}
	}
	if includes(w.cfg.Include, "name") {
		m.Name = c.Name
	}
	if includes(w.cfg.Include, "login") {
		m.Login = c.Login
	}
	return json.Marshal(m)
}

func (w *webhookSink) send(ctx context.Context, msg []byte, c Change) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.cfg.URL, bytes.NewReader(msg))
	if err != nil {
		return &permanentError{err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderDelivery, c.ID)
	if len(w.secret) > 0 {
		ts := strconv.FormatInt(w.clock().Unix(), 10)
		req.Header.Set(HeaderTimestamp, ts)
		req.Header.Set(HeaderSignature, Sign(w.secret, ts, msg))
	}
	return httpResult(w.client.Do(req))
}

// Sign returns the X-Rollcall-Signature value for a body sent at
// timestamp (Unix seconds, as in X-Rollcall-Timestamp).
func Sign(secret []byte, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a webhook delivery as a receiver should: the signature in
// constant time, and a timestamp within tolerance of now.
func Verify(secret []byte, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("webhook timestamp %q: %w", timestamp, err)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("webhook timestamp %s is %s away from now: a replay or a wrong clock", timestamp, d.Round(time.Second))
	}
	want := Sign(secret, timestamp, body)
	if !strings.HasPrefix(signature, "sha256=") || !hmac.Equal([]byte(signature), []byte(want)) {
		return errors.New("webhook signature does not match")
	}
	return nil
}

// slackEscaper escapes Slack mrkdwn's control characters; names and ids
// come from the inputs, so an attacker could otherwise write <!channel>
// or a link.
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// slackIndicators is how many indicators a Slack message lists (a
// section's text holds at most 3,000 characters).
const slackIndicators = 10

// slackMessage is a Slack incoming-webhook message: a text fallback and
// one section block. Only the person id, levels, score and indicators,
// plus the personal data include names.
func slackMessage(c Change, include []string) ([]byte, error) {
	who := c.Person
	if includes(include, "name") && c.Name != "" {
		who = c.Name + " (" + c.Person + ")"
	}
	if includes(include, "login") && c.Login != "" {
		who += " " + c.Login
	}
	who = slackEscaper.Replace(who)
	text := fmt.Sprintf("rollcall: %s moved from %s to %s (score %d)", who, c.Previous, c.Current, c.Score)
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* moved from *%s* to *%s* (score %d)", who, c.Previous, c.Current, c.Score)
	for i, in := range c.Indicators {
		if i == slackIndicators {
			fmt.Fprintf(&b, "\n• and %d more", len(c.Indicators)-i)
			break
		}
		fmt.Fprintf(&b, "\n• `%s` %s", slackEscaper.Replace(in.ID), slackEscaper.Replace(in.Name))
	}
	msg := map[string]any{
		"text": text,
		"blocks": []any{
			map[string]any{"type": "section", "text": map[string]string{"type": "mrkdwn", "text": b.String()}},
			map[string]any{"type": "context", "elements": []any{
				map[string]string{"type": "mrkdwn", "text": "rollcall change " + c.ID}}},
		},
	}
	return json.Marshal(msg)
}
