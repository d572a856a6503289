package notify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/report"
)

const webhookSecret = "a webhook secret shared with the receiver"

// hookReceiver is a webhook receiver on loopback that verifies each
// delivery's signature as README "Connecting rollcall" tells receivers to.
type hookReceiver struct {
	t    *testing.T
	fail int // deliveries to refuse with 500 first (-1: all)

	mu       sync.Mutex
	attempts int
	bodies   [][]byte
	ids      []string
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.attempts++
	if h.fail < 0 || h.attempts <= h.fail {
		http.Error(w, "down for maintenance", http.StatusInternalServerError)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := Verify([]byte(webhookSecret), r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature), body, time.Now(), 5*time.Minute); err != nil {
		h.t.Errorf("receiver: %v", err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	h.bodies = append(h.bodies, body)
	h.ids = append(h.ids, r.Header.Get(HeaderDelivery))
	w.WriteHeader(http.StatusNoContent)
}

func startWebhook(t *testing.T, h *hookReceiver, format, include string) (*Notifier, *Config) {
	t.Helper()
	t.Setenv("ROLLCALL_TEST_HOOK_SECRET", webhookSecret)
	h.t = t
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg, _ := loadTestConfig(t, `
sent_log: sent.ndjson
dead_letter: dead.ndjson
retry: {attempts: 3, initial: 1s}
webhooks:
  - name: soc
    url: `+srv.URL+`/rollcall
    format: `+format+`
    secret_env: ROLLCALL_TEST_HOOK_SECRET
    include: [`+include+`]
`)
	n, err := New(cfg, false, WithHTTPClient(srv.Client()), WithSleep((&sleeps{}).sleep))
	if err != nil {
		t.Fatal(err)
	}
	return n, cfg
}

func TestWebhookJSONSigned(t *testing.T) {
	h := &hookReceiver{fail: 1}
	n, _ := startWebhook(t, h, "json", "")
	rep := &report.Report{People: []report.Person{person("E1042", "Jane Roe", "high", 80)}}
	sum, err := n.Run(context.Background(), Input{Report: rep, Logins: map[string]string{"E1042": "jane@example.com"}, Now: scanTime})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sent != 1 || h.attempts != 2 || len(h.bodies) != 1 {
		t.Fatalf("summary %+v, %d attempts, %d verified; want one delivery on the second attempt", sum, h.attempts, len(h.bodies))
	}
	var got map[string]any
	if err := json.Unmarshal(h.bodies[0], &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"type": "rollcall.level_change", "id": h.ids[0], "time": "2026-05-20T09:30:00Z", "person": "E1042",
		"kind": "employee", "previous_level": "none", "current_level": "high", "score": float64(80),
		"indicators": []any{
			map[string]any{"id": "PAY-01", "name": "Payout account shared with another person"},
			map[string]any{"id": "APP-01", "name": "Applicant contact details reused"},
		},
		"reason": "rollcall score 80 (high): PAY-01 Payout account shared with another person; APP-01 Applicant contact details reused",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff) // no name or login unless included
	}
}

func TestWebhookSlackEscapesNames(t *testing.T) {
	h := &hookReceiver{}
	n, _ := startWebhook(t, h, "slack", "name")
	rep := &report.Report{People: []report.Person{person("E7", "Eve <!channel> & <https://evil.example|click>", "critical", 95)}}
	if _, err := n.Run(context.Background(), Input{Report: rep, Now: scanTime}); err != nil {
		t.Fatal(err)
	}
	if len(h.bodies) != 1 {
		t.Fatalf("%d deliveries, want 1", len(h.bodies))
	}
	var got struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type string `json:"type"`
			Text struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"text"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(h.bodies[0], &got); err != nil {
		t.Fatal(err)
	}
	wantText := "rollcall: Eve &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; (E7) moved from none to critical (score 95)"
	if got.Text != wantText {
		t.Errorf("text %q\nwant %q", got.Text, wantText)
	}
	if len(got.Blocks) != 2 || got.Blocks[0].Type != "section" || got.Blocks[0].Text.Type != "mrkdwn" {
		t.Fatalf("blocks %+v, want a mrkdwn section and a context", got.Blocks)
	}
	for _, s := range []string{got.Text, got.Blocks[0].Text.Text} {
		if strings.ContainsAny(s, "<>") {
			t.Errorf("unescaped Slack control character in %q", s)
		}
	}
}

func TestWebhookDeadLetter(t *testing.T) {
	h := &hookReceiver{fail: -1}
	n, cfg := startWebhook(t, h, "json", "name")
	rep := &report.Report{People: []report.Person{person("E1042", "Jane Roe", "high", 80)}}
	sum, err := n.Run(context.Background(), Input{Report: rep, Now: scanTime})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Dead != 1 || h.attempts != 3 {
		t.Errorf("summary %+v after %d attempts; want dead-lettered after 3", sum, h.attempts)
	}
	dead := readLines(t, cfg.DeadLetter)
	if len(dead) != 1 || dead[0]["kind"] != "webhook" || !strings.Contains(dead[0]["error"].(string), "500") {
		t.Errorf("dead letters %v", dead)
	}
	if strings.Contains(dead[0]["error"].(string), webhookSecret) {
		t.Error("the secret is in the dead letter's error")
	}
}

func TestVerify(t *testing.T) {
	secret := []byte("s3cret")
	body := []byte(`{"type":"rollcall.level_change"}`)
	now := time.Unix(1_800_000_000, 0)
	ts := "1800000000"
	sig := Sign(secret, ts, body)
	for _, tt := range []struct {
		name    string
		ts, sig string
		body    []byte
		secret  []byte
		ok      bool
	}{
		{"genuine", ts, sig, body, secret, true},
		{"other_secret", ts, sig, body, []byte("other"), false},
		{"altered_body", ts, sig, []byte(`{"type":"x"}`), secret, false},
		{"replayed_later", "1799999000", Sign(secret, "1799999000", body), body, secret, false},
		{"timestamp_swapped", "1800000001", sig, body, secret, false},
		{"no_prefix", ts, strings.TrimPrefix(sig, "sha256="), body, secret, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.secret, tt.ts, tt.sig, tt.body, now, 5*time.Minute)
			if (err == nil) != tt.ok {
				t.Errorf("Verify: %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestNewNeedsWebhookSecret(t *testing.T) {
	t.Setenv("ROLLCALL_TEST_UNSET_SECRET", "")
	cfg, _ := loadTestConfig(t, `
sent_log: sent.ndjson
dead_letter: dead.ndjson
webhooks:
  - {name: soc, url: "https://hooks.example.com/x", secret_env: ROLLCALL_TEST_UNSET_SECRET}
`)
	_, err := New(cfg, false)
	if err == nil || !strings.Contains(err.Error(), "secret_env ROLLCALL_TEST_UNSET_SECRET is not set") {
		t.Errorf("New: %v, want the unset secret_env named", err)
	}
	if _, err := New(cfg, true); err != nil {
		t.Errorf("dry run: %v, want no secret needed", err)
	}
}

// TestWebhookURLKeptSecret: a Slack webhook URL is a secret, so it can come
// from the environment and never appears in errors or dead letters.
func TestWebhookURLKeptSecret(t *testing.T) {
	addr := closedAddr(t) // the delivery fails to connect
	t.Setenv("ROLLCALL_TEST_SLACK_URL", "http://"+addr+"/services/T000/B000/SECRETPATH")
	cfg, _ := loadTestConfig(t, `
sent_log: sent.ndjson
dead_letter: dead.ndjson
retry: {attempts: 2}
webhooks:
  - {name: slack, url_env: ROLLCALL_TEST_SLACK_URL, format: slack}
`)
	n, err := New(cfg, false, WithSleep((&sleeps{}).sleep))
	if err != nil {
		t.Fatal(err)
	}
	rep := &report.Report{People: []report.Person{person("E1042", "Jane Roe", "high", 80)}}
	sum, err := n.Run(context.Background(), Input{Report: rep, Now: scanTime})
	if err != nil {
		t.Fatal(err)
	}
	dead := readLines(t, cfg.DeadLetter)
	if sum.Dead != 1 || len(dead) != 1 {
		t.Fatalf("summary %+v, dead letters %v; want one", sum, dead)
	}
	if msg := dead[0]["error"].(string); strings.Contains(msg, "SECRETPATH") || !strings.Contains(msg, addr) {
		t.Errorf("dead letter error %q: want the host, not the URL's path", msg)
	}

	t.Setenv("ROLLCALL_TEST_SLACK_URL", "")
	if _, err := New(cfg, false); err == nil || !strings.Contains(err.Error(), "url_env ROLLCALL_TEST_SLACK_URL is not set") {
		t.Errorf("New with the variable unset: %v", err)
	}
	t.Setenv("ROLLCALL_TEST_SLACK_URL", "http://hooks.example.com/services/SECRETPATH")
	if _, err := New(cfg, false); err == nil || strings.Contains(err.Error(), "SECRETPATH") {
		t.Errorf("New with a plain-http remote URL: %v; want a refusal that does not show the URL", err)
	}
}
