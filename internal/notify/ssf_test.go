package notify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/report"
)

// receiver is a Shared Signals push receiver on loopback (RFC 8935): it
// verifies each SET with the transmitter's public keys and answers 202,
// or fails the first `fail` pushes with status failWith.
type receiver struct {
	t        *testing.T
	keys     jose.JSONWebKeySet
	issuer   string
	audience string
	fail     int // pushes to refuse before accepting (-1: refuse all)
	failWith int

	mu       sync.Mutex
	attempts int
	sets     []map[string]any
	jtis     map[string]bool
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.attempts++
	if rc.fail < 0 || rc.attempts <= rc.fail {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rc.failWith)
		fmt.Fprint(w, `{"err":"invalid_request","description":"try later"}`)
		return
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/secevent+jwt" {
		rc.t.Errorf("push: %s with Content-Type %q, want POST application/secevent+jwt", r.Method, r.Header.Get("Content-Type"))
	}
	if got := r.Header.Get("Authorization"); got != "Bearer receiver-token" {
		rc.t.Errorf("Authorization %q, want the bearer token from token_env", got)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		rc.t.Fatal(err)
	}
	claims, err := VerifySET(body, rc.keys, rc.issuer, rc.audience)
	if err != nil {
		rc.t.Errorf("receiver: %v", err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	jti, _ := claims["jti"].(string)
	if rc.jtis[jti] {
		rc.t.Errorf("jti %q delivered twice", jti)
	}
	rc.jtis[jti] = true
	rc.sets = append(rc.sets, claims)
	w.WriteHeader(http.StatusAccepted)
}

const ssfConfig = `
sent_log: sent.ndjson
dead_letter: DIR/dead.ndjson
retry: {attempts: 4, initial: 2s, max: 5s}
ssf:
  - name: okta
    endpoint: ENDPOINT
    issuer: https://rollcall.example.com
    audience: https://example.okta.com
    key_file: ssf.pem
    token_env: ROLLCALL_TEST_SSF_TOKEN
    session_revoked: critical
`

// startSSF starts a receiver and a notifier pointed at it.
func startSSF(t *testing.T, rc *receiver, extra string) (*Notifier, *Config) {
	t.Helper()
	t.Setenv("ROLLCALL_TEST_SSF_TOKEN", "receiver-token")
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	if err := GenerateKey(filepath.Join(dir, "ssf.pem")); err != nil {
		t.Fatal(err)
	}
	yaml := replaceAll(ssfConfig+extra, "ENDPOINT", srv.URL, "DIR", dir)
	cfg, err := Parse([]byte(yaml), filepath.Join(dir, "notify.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := ReadSigningKey(cfg.SSF[0].KeyFile, "")
	if err != nil {
		t.Fatal(err)
	}
	rc.t, rc.keys, rc.issuer, rc.audience, rc.jtis = t, PublicJWKS(key), cfg.SSF[0].Issuer, cfg.SSF[0].Audience, map[string]bool{}
	sl := &sleeps{}
	n, err := New(cfg, false, WithHTTPClient(srv.Client()), WithSleep(sl.sleep))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n, cfg
}

func replaceAll(s string, oldnew ...string) string {
	for i := 0; i < len(oldnew); i += 2 {
		s = strings.ReplaceAll(s, oldnew[i], oldnew[i+1])
	}
	return s
}

func TestSSFPushVerifiedByReceiver(t *testing.T) {
	rc := &receiver{}
	n, cfg := startSSF(t, rc, "")
	rep := &report.Report{People: []report.Person{
		person("E1042", "Jane Roe", "critical", 92),
		person("E1001", "Sam Poe", "low", 12),          // below min_level: nothing
		person("cand-77", "Ann Applicant", "high", 70), // no login: the IdP does not know applicants
	}}
	logins := map[string]string{"E1042": "jane.roe@example.com", "E1001": "sam.poe@example.com"}
	sum, err := n.Run(context.Background(), Input{Report: rep, Logins: logins, Now: scanTime})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Summary{Changes: 2, Sent: 1, Quiet: 1}, sum); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if len(rc.sets) != 1 {
		t.Fatalf("receiver got %d SETs, want 1", len(rc.sets))
	}
	set := rc.sets[0]
	jti, _ := set["jti"].(string)
	if len(jti) != 32 {
		t.Errorf("jti %q: want 32 hex digits", jti)
	}
	want := map[string]any{
		"iss":    "https://rollcall.example.com",
		"aud":    "https://example.okta.com",
		"iat":    float64(scanTime.Unix()),
		"jti":    jti,
		"sub_id": map[string]any{"format": "email", "email": "jane.roe@example.com"},
		"events": map[string]any{
			EventRiskLevelChange: map[string]any{
				"event_timestamp":   float64(scanTime.Unix()),
				"initiating_entity": "system",
				"principal":         "USER",
				"current_level":     "HIGH",
				"risk_reason":       "rollcall score 92 (critical): PAY-01 Payout account shared with another person; APP-01 Applicant contact details reused",
				"reason_admin":      map[string]any{"en": "rollcall score 92 (critical): PAY-01 Payout account shared with another person; APP-01 Applicant contact details reused"},
			},
			EventSessionRevoked: map[string]any{
				"event_timestamp":   float64(scanTime.Unix()),
				"initiating_entity": "policy",
				"reason_admin":      map[string]any{"en": "rollcall score 92 (critical): PAY-01 Payout account shared with another person; APP-01 Applicant contact details reused"},
			},
		},
	}
	if diff := cmp.Diff(want, set); diff != "" {
		t.Errorf("SET claims (-want +got):\n%s", diff)
	}

	// Idempotence: the same report again announces nothing.
	sum, err = n.Run(context.Background(), Input{Report: rep, Logins: logins, Now: scanTime.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if sum != (Summary{}) || rc.attempts != 1 {
		t.Errorf("second run: %+v, receiver attempts %d; want nothing sent", sum, rc.attempts)
	}

	// A drop below min_level is announced with the previous level; the
	// session is not revoked again.
	rep.People[0] = person("E1042", "Jane Roe", "medium", 48)
	if _, err := n.Run(context.Background(), Input{Report: rep, Logins: logins, Now: scanTime.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if len(rc.sets) != 2 {
		t.Fatalf("after the drop the receiver has %d SETs, want 2", len(rc.sets))
	}
	events := rc.sets[1]["events"].(map[string]any)
	rlc, _ := events[EventRiskLevelChange].(map[string]any)
	if rlc["previous_level"] != "HIGH" || rlc["current_level"] != "MEDIUM" || len(events) != 1 {
		t.Errorf("drop: events %v, want one risk-level-change HIGH → MEDIUM", events)
	}
	if rc.sets[1]["jti"] == jti {
		t.Error("the drop reused the first SET's jti")
	}
	sent := readLines(t, cfg.SentLog)
	if len(sent) != 3 { // E1042 critical, cand-77 high (quiet), E1042 medium
		t.Errorf("sent log has %d lines, want 3: %v", len(sent), sent)
	}
}

func TestSSFSubjectInEvent(t *testing.T) {
	rc := &receiver{}
	n, _ := startSSF(t, rc, "    subject_in: event\n    subject: iss_sub\n    subject_issuer: https://example.okta.com\n")
	rep := &report.Report{People: []report.Person{person("E1042", "Jane Roe", "high", 80)}}
	if _, err := n.Run(context.Background(), Input{Report: rep, Logins: map[string]string{"E1042": "jane.roe@example.com"}, Now: scanTime}); err != nil {
		t.Fatal(err)
	}
	if len(rc.sets) != 1 {
		t.Fatalf("receiver got %d SETs, want 1", len(rc.sets))
	}
	if _, ok := rc.sets[0]["sub_id"]; ok {
		t.Error("sub_id present with subject_in: event")
	}
	ev := rc.sets[0]["events"].(map[string]any)[EventRiskLevelChange].(map[string]any)
	want := map[string]any{"user": map[string]any{"format": "iss_sub", "iss": "https://example.okta.com", "sub": "jane.roe@example.com"}}
	if diff := cmp.Diff(want, ev["subject"]); diff != "" {
		t.Errorf("event subject (-want +got):\n%s", diff)
	}
	if _, ok := rc.sets[0]["events"].(map[string]any)[EventSessionRevoked]; ok {
		t.Error("session-revoked sent at high with session_revoked: critical")
	}
}

func TestSSFRetriesThenDelivers(t *testing.T) {
	rc := &receiver{fail: 2, failWith: http.StatusServiceUnavailable}
	n, cfg := startSSF(t, rc, "")
	sl := &sleeps{}
	n.sleep = sl.sleep
	rep := &report.Report{People: []report.Person{person("E1042", "Jane Roe", "high", 80)}}
	sum, err := n.Run(context.Background(), Input{Report: rep, Logins: map[string]string{"E1042": "j@example.com"}, Now: scanTime})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sent != 1 || sum.Dead != 0 || rc.attempts != 3 || len(rc.sets) != 1 {
		t.Errorf("summary %+v after %d attempts (%d accepted); want delivered on the third", sum, rc.attempts, len(rc.sets))
	}
	if diff := cmp.Diff([]time.Duration{2 * time.Second, 4 * time.Second}, sl.got); diff != "" {
		t.Errorf("backoff (-want +got):\n%s", diff)
	}
	if dead := readLines(t, cfg.DeadLetter); len(dead) != 0 {
		t.Errorf("dead letters after a delivery: %v", dead)
	}
}

func TestSSFDeadLetter(t *testing.T) {
	for _, tt := range []struct {
		name     string
		status   int
		attempts int
		waits    []time.Duration
	}{
		// The first message gets every attempt; once the receiver is
		// down, the second gets one.
		{"always_unavailable", http.StatusServiceUnavailable, 4 + 1, []time.Duration{2 * time.Second, 4 * time.Second, 5 * time.Second}},
		// A refusal is not retried, and says nothing about the next message.
		{"refused_as_invalid", http.StatusBadRequest, 1 + 1, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rc := &receiver{fail: -1, failWith: tt.status}
			n, cfg := startSSF(t, rc, "")
			sl := &sleeps{}
			n.sleep = sl.sleep
			rep := &report.Report{People: []report.Person{person("E1042", "Jane Roe", "high", 80), person("E2001", "Omar Ode", "high", 75)}}
			in := Input{Report: rep, Logins: map[string]string{"E1042": "j@example.com", "E2001": "o@example.com"}, Now: scanTime}
			sum, err := n.Run(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Dead != 2 || sum.Sent != 0 || rc.attempts != tt.attempts {
				t.Errorf("summary %+v after %d attempts; want both dead-lettered after %d attempts in all", sum, rc.attempts, tt.attempts)
			}
			if diff := cmp.Diff(tt.waits, sl.got); diff != "" {
				t.Errorf("backoff (-want +got):\n%s", diff)
			}
			dead := readLines(t, cfg.DeadLetter)
			if len(dead) != 2 {
				t.Fatalf("dead letters: %v, want 2", dead)
			}
			d := dead[0]
			if d["sink"] != "okta" || d["person"] != "E1042" || d["level"] != "high" || d["attempts"] != float64(tt.attempts-1) {
				t.Errorf("dead letter %v", d)
			}
			if _, err := VerifySET([]byte(d["payload"].(string)), rc.keys, rc.issuer, rc.audience); err != nil {
				t.Errorf("dead letter payload is not the signed SET: %v", err)
			}
			if len(readLines(t, cfg.SentLog)) != 0 {
				t.Error("an undelivered SET is in the sent log")
			}
			// Not sent, so the next run tries again.
			rc.fail = 0
			if sum, err := n.Run(context.Background(), in); err != nil || sum.Sent != 2 {
				t.Errorf("next run: %+v, %v; want both SETs delivered", sum, err)
			}
		})
	}
}

func TestVerifySETRefusesForgeries(t *testing.T) {
	rc := &receiver{}
	n, cfg := startSSF(t, rc, "")
	c := Change{Person: "E1", Login: "e1@example.com", Previous: "none", Current: "high", Score: 80, ID: "abc"}
	set, err := n.sinks[0].message(c, scanTime)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifySET(set, rc.keys, cfg.SSF[0].Issuer, cfg.SSF[0].Audience); err != nil {
		t.Fatalf("genuine SET refused: %v", err)
	}
	other := filepath.Join(t.TempDir(), "other.pem")
	if err := GenerateKey(other); err != nil {
		t.Fatal(err)
	}
	okey, err := ReadSigningKey(other, "")
	if err != nil {
		t.Fatal(err)
	}
	okey.KeyID = rc.keys.Keys[0].KeyID // same kid, another key
	for name, try := range map[string]func() error{
		"other_key": func() error {
			_, err := VerifySET(set, PublicJWKS(okey), cfg.SSF[0].Issuer, cfg.SSF[0].Audience)
			return err
		},
		"other_audience": func() error {
			_, err := VerifySET(set, rc.keys, cfg.SSF[0].Issuer, "https://other.example.com")
			return err
		},
		"tampered": func() error {
			b := []byte(string(set))
			b[len(b)/2] ^= 1
			_, err := VerifySET(b, rc.keys, cfg.SSF[0].Issuer, cfg.SSF[0].Audience)
			return err
		},
	} {
		if try() == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

func TestSSFOktaUserRiskChange(t *testing.T) {
	rc := &receiver{}
	n, _ := startSSF(t, rc, "    risk_event: okta\n")
	rep := &report.Report{People: []report.Person{person("E1042", "Jane Roe", "critical", 92)}}
	if _, err := n.Run(context.Background(), Input{Report: rep, Logins: map[string]string{"E1042": "jane.roe@example.com"}, Now: scanTime}); err != nil {
		t.Fatal(err)
	}
	if len(rc.sets) != 1 {
		t.Fatalf("receiver got %d SETs, want 1", len(rc.sets))
	}
	subject := map[string]any{"user": map[string]any{"format": "email", "email": "jane.roe@example.com"}}
	reason := map[string]any{"en": "rollcall score 92 (critical): PAY-01 Payout account shared with another person; APP-01 Applicant contact details reused"}
	want := map[string]any{
		EventOktaUserRisk: map[string]any{
			"event_timestamp": float64(scanTime.Unix()), "initiating_entity": "system", "subject": subject,
			"current_level": "high", "previous_level": "low", "reason_admin": reason,
		},
		EventSessionRevoked: map[string]any{
			"event_timestamp": float64(scanTime.Unix()), "initiating_entity": "policy", "subject": subject, "reason_admin": reason,
		},
	}
	if diff := cmp.Diff(want, rc.sets[0]["events"]); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if _, ok := rc.sets[0]["sub_id"]; ok {
		t.Error("sub_id with risk_event okta")
	}
}
