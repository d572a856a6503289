// Package notify tells the tools a security team already runs when a
// person's level changes: a signed Security Event Token (RFC 8417, CAEP
// risk-level-change and session-revoked) pushed to an identity provider's
// Shared Signals receiver (RFC 8935), an HMAC-signed JSON or Slack webhook,
// and an RFC 5424 syslog message over TCP or TLS. Each message is retried
// with exponential backoff and goes to a dead-letter file after the last
// attempt; a sent log makes a re-scan announce only what changed since.
package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/rollcall/rollcall/internal/report"
)

// sink is one configured receiver.
type sink interface {
	// name is the receiver's configured name; kind its type (ssf,
	// webhook, syslog).
	name() string
	kind() string
	// message builds what to send about c; nil when the receiver has
	// nothing to say about this change (it still counts as announced).
	message(c Change, now time.Time) ([]byte, error)
	// send delivers one message; a *permanentError is not retried.
	send(ctx context.Context, msg []byte, c Change) error
	close() error
}

// permanentError is a failure that a retry cannot fix (the receiver
// refused the message as invalid or unauthorised).
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Notifier delivers level changes to the configured receivers. Run calls
// are serialised.
type Notifier struct {
	cfg   *Config
	sinks []sink

	// sleep waits between attempts; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error

	mu sync.Mutex
}

// Option changes a Notifier for tests and embedding.
type Option func(*Notifier)

// WithHTTPClient sets the HTTP client of the SSF and webhook receivers.
func WithHTTPClient(c *http.Client) Option {
	return func(n *Notifier) {
		for _, s := range n.sinks {
			if h, ok := s.(interface{ setClient(*http.Client) }); ok {
				h.setClient(c)
			}
		}
	}
}

// WithSleep replaces the wait between attempts.
func WithSleep(f func(ctx context.Context, d time.Duration) error) Option {
	return func(n *Notifier) { n.sleep = f }
}

// New reads the keys the configuration names and the secrets from the
// environment; dryRun does without webhook secrets (nothing is sent).
func New(cfg *Config, dryRun bool, opts ...Option) (*Notifier, error) {
	n := &Notifier{cfg: cfg, sleep: sleepCtx}
	for _, c := range cfg.SSF {
		s, err := newSSF(c, cfg.Retry.Timeout)
		if err != nil {
			return nil, err
		}
		n.sinks = append(n.sinks, s)
	}
	for _, c := range cfg.Webhooks {
		s, err := newWebhook(c, cfg.Retry.Timeout, dryRun)
		if err != nil {
			return nil, err
		}
		n.sinks = append(n.sinks, s)
	}
	for _, c := range cfg.Syslog {
		s, err := newSyslog(c, cfg.Retry.Timeout)
		if err != nil {
			return nil, err
		}
		n.sinks = append(n.sinks, s)
	}
	for _, o := range opts {
		o(n)
	}
	return n, nil
}

// Close closes open connections (syslog).
func (n *Notifier) Close() error {
	var errs []error
	for _, s := range n.sinks {
		errs = append(errs, s.close())
	}
	return errors.Join(errs...)
}

// Input is one analysis to announce.
type Input struct {
	Report *report.Report
	Logins map[string]string // person id → identity-provider login (Logins)
	Now    time.Time
	// DryRun, when set, receives one JSON line per message instead of
	// sending it; the sent log and dead-letter file are left alone.
	DryRun io.Writer
}

// Summary counts what a Run did.
type Summary struct {
	Changes int // level changes announced to some receiver
	Sent    int // messages delivered
	Quiet   int // changes a receiver had nothing to say about
	Dead    int // messages written to the dead-letter file
}

func (s Summary) String() string {
	return fmt.Sprintf("%d level changes: %d messages delivered, %d dead-lettered", s.Changes, s.Sent, s.Dead)
}

// Log logs a Run's outcome for a long-running server or worker: counts
// only (no person, no secret); undelivered messages are in the
// dead-letter file.
func Log(log *slog.Logger, sum Summary, err error) {
	switch {
	case err != nil:
		log.Error("notify", "err", err)
	case sum.Dead > 0:
		log.Warn("notify", "changes", sum.Changes, "sent", sum.Sent, "dead_lettered", sum.Dead)
	case sum.Changes > 0:
		log.Info("notify", "changes", sum.Changes, "sent", sum.Sent)
	}
}

// dryRunLine is what a dry run prints per message.
type dryRunLine struct {
	messageRef
	Payload string          `json:"payload"`
	Claims  json.RawMessage `json:"claims,omitempty"` // an SET's decoded claims
}

// Run announces every level change since the last run to every receiver.
// An error means the sent log could not be read or written, or the
// dead-letter file could not be written; a receiver's failures only
// dead-letter its messages.
func (n *Notifier) Run(ctx context.Context, in Input) (Summary, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	var sum Summary
	st, err := readSent(n.cfg.SentLog)
	if err != nil {
		return sum, err
	}
	people := make([]*report.Person, 0, len(in.Report.People))
	for i := range in.Report.People {
		people = append(people, &in.Report.People[i])
	}
	sort.Slice(people, func(i, j int) bool { return people[i].ID < people[j].ID })
	announced := map[string]bool{}
	// down marks receivers that failed every attempt in this run: their
	// further messages get one attempt each, not the whole backoff.
	down := map[string]bool{}
	for _, p := range people {
		inds := indicatorRefs(p)
		for _, s := range n.sinks {
			if err := ctx.Err(); err != nil {
				return sum, err
			}
			k := sentKey{s.name(), p.ID}
			prev, known := st.last[k]
			if !known {
				prev = "none"
			}
			if !crosses(prev, p.Level, n.cfg.MinLevel) {
				continue
			}
			c := Change{Person: p.ID, Name: p.Name, Login: in.Logins[p.ID], Kind: p.Kind, Previous: prev,
				Announced: known, Current: p.Level, Score: p.Score, Indicators: inds,
				ID: changeID(s.name(), st.count[k], p, prev, inds)}
			announced[p.ID] = true
			msg, err := s.message(c, in.Now)
			if err != nil {
				return sum, fmt.Errorf("notify %s: person %q: %w", s.name(), p.ID, err)
			}
			if in.DryRun != nil {
				if msg != nil {
					if err := writeDryRun(in.DryRun, s, c, msg); err != nil {
						return sum, err
					}
				}
				continue
			}
			rec := sentRecord{Sink: s.name(), Person: p.ID, Level: p.Level, At: in.Now}
			if msg == nil {
				sum.Quiet++
			} else {
				attempts, err := n.deliver(ctx, s, msg, c, down[s.name()])
				if err != nil {
					if ctx.Err() != nil {
						return sum, ctx.Err()
					}
					var perm *permanentError
					if !errors.As(err, &perm) {
						down[s.name()] = true
					}
					sum.Dead++
					dead := deadRecord{messageRef: refOf(s, c), Attempts: attempts, Error: err.Error(), At: in.Now, Payload: string(msg)}
					if err := appendLine(n.cfg.DeadLetter, dead); err != nil {
						return sum, fmt.Errorf("notify dead-letter file: %w", err)
					}
					continue // not sent: the next run tries again
				}
				sum.Sent++
				rec.ID = c.ID
			}
			if err := appendLine(n.cfg.SentLog, rec); err != nil {
				return sum, fmt.Errorf("notify sent log: %w", err)
			}
			st.last[k] = p.Level
			st.count[k]++
		}
	}
	sum.Changes = len(announced)
	return sum, nil
}

func writeDryRun(w io.Writer, s sink, c Change, msg []byte) error {
	line := dryRunLine{messageRef: refOf(s, c), Payload: string(msg)}
	if s.kind() == kindSSF {
		claims, err := unverifiedClaims(msg)
		if err != nil {
			return err
		}
		line.Claims = claims
	}
	b, err := json.Marshal(line)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// deliver sends msg with retries: waits of Initial, 2×Initial, … capped at
// Max between attempts, at most Attempts in all (one when once is set). It
// returns the number of attempts made and the last error.
func (n *Notifier) deliver(ctx context.Context, s sink, msg []byte, c Change, once bool) (int, error) {
	r := n.cfg.Retry
	if once {
		r.Attempts = 1
	}
	wait := r.Initial
	var err error
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, r.Timeout)
		err = s.send(actx, msg, c)
		cancel()
		if err == nil {
			return attempt, nil
		}
		var perm *permanentError
		if errors.As(err, &perm) || attempt >= r.Attempts {
			return attempt, fmt.Errorf("attempt %d of %d: %w", attempt, r.Attempts, err)
		}
		if serr := n.sleep(ctx, wait); serr != nil {
			return attempt, serr
		}
		wait = min(2*wait, r.Max)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
