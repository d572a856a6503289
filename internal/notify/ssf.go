package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/rollcall/rollcall/internal/policy"
)

// CAEP event types (OpenID CAEP 1.0 §3), and Okta's user risk change
// (Okta's SSF Security Event Tokens API).
const (
	EventRiskLevelChange = "https://schemas.openid.net/secevent/caep/event-type/risk-level-change"
	EventSessionRevoked  = "https://schemas.openid.net/secevent/caep/event-type/session-revoked"
	EventOktaUserRisk    = "https://schemas.okta.com/secevent/okta/event-type/user-risk-change"
)

// SETType is the JWS typ header of a Security Event Token (RFC 8417 §2.3)
// and, with "application/", its media type (RFC 8935 §2).
const SETType = "secevent+jwt"

const kindSSF = "ssf"

// ssfSink pushes signed SETs to a Shared Signals receiver.
type ssfSink struct {
	cfg    SSFConfig
	signer jose.Signer
	token  string
	client *http.Client
}

var _ sink = (*ssfSink)(nil)

func newSSF(c SSFConfig, timeout time.Duration) (*ssfSink, error) {
	key, err := ReadSigningKey(c.KeyFile, c.KeyID)
	if err != nil {
		return nil, fmt.Errorf("notify %s: %w", c.Name, err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(key.Algorithm), Key: key},
		(&jose.SignerOptions{}).WithType(SETType))
	if err != nil {
		return nil, fmt.Errorf("notify %s: signing key %q: %w", c.Name, c.KeyFile, err)
	}
	s := &ssfSink{cfg: c, signer: signer, client: &http.Client{Timeout: timeout}}
	if c.TokenEnv != "" {
		s.token = os.Getenv(c.TokenEnv)
		if s.token == "" {
			return nil, fmt.Errorf("notify %s: token_env %s is not set", c.Name, c.TokenEnv)
		}
	}
	return s, nil
}

func (s *ssfSink) name() string             { return s.cfg.Name }
func (s *ssfSink) kind() string             { return kindSSF }
func (s *ssfSink) close() error             { return nil }
func (s *ssfSink) setClient(c *http.Client) { s.client = c }

// caepLevel maps a rollcall level onto CAEP's three: none and low are LOW,
// medium MEDIUM, high and critical HIGH.
func caepLevel(level string) string {
	switch level {
	case policy.LevelMedium:
		return "MEDIUM"
	case policy.LevelHigh, policy.LevelCritical:
		return "HIGH"
	}
	return "LOW"
}

// message builds the signed SET: a risk-level-change event when the CAEP
// level changes, and a session-revoked event when the person reaches the
// configured session_revoked level. Applicants, whom the identity
// provider does not know, get none.
func (s *ssfSink) message(c Change, now time.Time) ([]byte, error) {
	if c.Login == "" {
		return nil, nil
	}
	subject := map[string]string{"format": "email", "email": c.Login}
	if s.cfg.Subject == "iss_sub" {
		subject = map[string]string{"format": "iss_sub", "iss": s.cfg.SubjectIssuer, "sub": c.Login}
	}
	events := map[string]any{}
	switch {
	case caepLevel(c.Previous) == caepLevel(c.Current) && c.Announced:
		// no change in the receiver's terms
	case s.cfg.RiskEvent == "okta":
		// Okta wants both levels, in lower case; a level never
		// announced is low to it.
		events[EventOktaUserRisk] = map[string]any{
			"event_timestamp":   now.Unix(),
			"initiating_entity": "system",
			"current_level":     strings.ToLower(caepLevel(c.Current)),
			"previous_level":    strings.ToLower(caepLevel(c.Previous)),
			"reason_admin":      map[string]string{"en": c.Reason()},
		}
	default:
		ev := map[string]any{
			"event_timestamp":   now.Unix(),
			"initiating_entity": "system",
			"principal":         "USER",
			"current_level":     caepLevel(c.Current),
			"risk_reason":       c.Reason(),
			"reason_admin":      map[string]string{"en": c.Reason()},
		}
		if c.Announced {
			ev["previous_level"] = caepLevel(c.Previous)
		}
		events[EventRiskLevelChange] = ev
	}
	if r := s.cfg.SessionRevoked; r != "" && rank(c.Current) >= rank(r) && (!c.Announced || rank(c.Previous) < rank(r)) {
		events[EventSessionRevoked] = map[string]any{
			"event_timestamp":   now.Unix(),
			"initiating_entity": "policy",
			"reason_admin":      map[string]string{"en": c.Reason()},
		}
	}
	if len(events) == 0 {
		return nil, nil
	}
	claims := map[string]any{
		"iss":    s.cfg.Issuer,
		"aud":    s.cfg.Audience,
		"iat":    now.Unix(),
		"jti":    c.ID,
		"events": events,
	}
	if s.cfg.SubjectIn == "event" {
		for _, ev := range events {
			ev.(map[string]any)["subject"] = map[string]any{"user": subject}
		}
	} else {
		claims["sub_id"] = subject
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return nil, err
	}
	jws, err := s.signer.Sign(payload)
	if err != nil {
		return nil, fmt.Errorf("signing the SET: %w", err)
	}
	compact, err := jws.CompactSerialize()
	if err != nil {
		return nil, err
	}
	return []byte(compact), nil
}

// send pushes the SET (RFC 8935 §2): POST application/secevent+jwt, 202
// Accepted. A 400 (with the RFC 8935 error code), 401, 403 or 404 is
// permanent; other failures are retried.
func (s *ssfSink) send(ctx context.Context, msg []byte, _ Change) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.Endpoint, bytes.NewReader(msg))
	if err != nil {
		return &permanentError{err}
	}
	req.Header.Set("Content-Type", "application/"+SETType)
	req.Header.Set("Accept", "application/json")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	return httpResult(s.client.Do(req))
}

// httpResult turns a receiver's answer into nil (2xx), a permanent error
// (400, 401, 403, 404, 405, 413, 415, 422) or a retryable one.
func httpResult(resp *http.Response, err error) error {
	if err != nil {
		return redactURL(err)
	}
	defer resp.Body.Close()
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	msg := "receiver answered " + resp.Status
	var rfc8935 struct {
		Err         string `json:"err"`
		Description string `json:"description"`
	}
	if rerr == nil && json.Unmarshal(body, &rfc8935) == nil && rfc8935.Err != "" {
		msg += fmt.Sprintf(" (err %q: %q)", rfc8935.Err, truncate(rfc8935.Description, 200))
	}
	switch resp.StatusCode {
	case 400, 401, 403, 404, 405, 413, 415, 422:
		return &permanentError{errors.New(msg)}
	}
	return errors.New(msg)
}

// redactURL keeps only the scheme and host of the URL in a client error:
// a webhook URL's path can be its secret (Slack's are), and errors reach
// logs and dead letters.
func redactURL(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	host := "receiver"
	if u, perr := url.Parse(ue.URL); perr == nil {
		host = u.Scheme + "://" + u.Host
	}
	return fmt.Errorf("%s %s: %w", ue.Op, host, ue.Err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// unverifiedClaims decodes an SET's claims without checking the
// signature (for a dry run's display of what rollcall itself signed).
func unverifiedClaims(set []byte) (json.RawMessage, error) {
	jws, err := jose.ParseSignedCompact(string(set), signingAlgorithms)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(jws.UnsafePayloadWithoutVerification()), nil
}

// signingAlgorithms are the JWS algorithms rollcall signs with.
var signingAlgorithms = []jose.SignatureAlgorithm{jose.ES256, jose.ES384, jose.RS256, jose.EdDSA}

// VerifySET checks a pushed SET as a receiver does: the JWS signature
// against the transmitter's public keys (a JWKS), the typ header, and the
// iss and aud claims. It returns the claims.
func VerifySET(set []byte, keys jose.JSONWebKeySet, issuer, audience string) (map[string]any, error) {
	jws, err := jose.ParseSignedCompact(strings.TrimSpace(string(set)), signingAlgorithms)
	if err != nil {
		return nil, fmt.Errorf("SET: %w", err)
	}
	if len(jws.Signatures) != 1 {
		return nil, errors.New("SET: want exactly one signature")
	}
	h := jws.Signatures[0].Protected
	if typ, _ := h.ExtraHeaders[jose.HeaderType].(string); typ != SETType {
		return nil, fmt.Errorf("SET: typ %q, want %q", typ, SETType)
	}
	found := keys.Key(h.KeyID)
	if len(found) == 0 {
		return nil, fmt.Errorf("SET: no key with kid %q", h.KeyID)
	}
	payload, err := jws.Verify(found[0])
	if err != nil {
		return nil, fmt.Errorf("SET: %w", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		return nil, fmt.Errorf("SET claims: %w", err)
	}
	if claims["iss"] != issuer {
		return nil, fmt.Errorf("SET: iss %v, want %q", claims["iss"], issuer)
	}
	if claims["aud"] != audience {
		return nil, fmt.Errorf("SET: aud %v, want %q", claims["aud"], audience)
	}
	return claims, nil
}
