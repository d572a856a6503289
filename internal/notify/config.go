package notify

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rollcall/rollcall/internal/policy"
)

// Config is the notify configuration file (`rollcall scan --notify FILE`,
// `serve --notify FILE`). Relative paths in it are relative to the file's
// directory.
type Config struct {
	// MinLevel is the lowest level whose crossing is announced: a person
	// who reaches it or a level above, moves between such levels, or drops
	// below it after having been announced (default high).
	MinLevel string `yaml:"min_level"`
	// SentLog is the NDJSON file of what was delivered: the level last
	// announced per receiver and person (required).
	SentLog string `yaml:"sent_log"`
	// DeadLetter is the NDJSON file where messages go that could not be
	// delivered after every attempt, or that a receiver refused (required).
	DeadLetter string `yaml:"dead_letter"`
	Retry      Retry  `yaml:"retry"`

	SSF      []SSFConfig     `yaml:"ssf"`
	Webhooks []WebhookConfig `yaml:"webhooks"`
	Syslog   []SyslogConfig  `yaml:"syslog"`
}

// Retry says how often and how patiently a message is retried.
type Retry struct {
	Attempts int           `yaml:"attempts"` // attempts in all before the dead letter (default 5)
	Initial  time.Duration `yaml:"initial"`  // wait after the first failure (default 1s), doubled each time
	Max      time.Duration `yaml:"max"`      // longest wait (default 1m)
	Timeout  time.Duration `yaml:"timeout"`  // one attempt's time limit (default 10s)
}

// SSFConfig is a Shared Signals receiver: an identity provider that takes
// CAEP Security Event Tokens by push (RFC 8935).
type SSFConfig struct {
	Name     string `yaml:"name"`
	Endpoint string `yaml:"endpoint"` // the receiver's push URL
	Issuer   string `yaml:"issuer"`   // iss: rollcall's issuer URL as registered at the receiver
	Audience string `yaml:"audience"` // aud: the receiver
	KeyFile  string `yaml:"key_file"` // PEM private key (EC P-256/P-384, RSA ≥ 2048 bits or Ed25519)
	KeyID    string `yaml:"key_id"`   // kid header (default: the key's RFC 7638 thumbprint)
	// Subject is the subject identifier format: email (default; the
	// roster's login, or its first mailbox) or iss_sub (SubjectIssuer and
	// the roster's login).
	Subject       string `yaml:"subject"`
	SubjectIssuer string `yaml:"subject_issuer"`
	// SubjectIn places the subject: sub_id (SSF 1.0: a top-level sub_id
	// claim; default) or event (a "subject": {"user": …} member in each
	// event, as Okta's Security Events Provider API reads it).
	SubjectIn string `yaml:"subject_in"`
	// RiskEvent is the risk event type: caep (default; CAEP
	// risk-level-change) or okta (Okta's user-risk-change, which Okta
	// Identity Threat Protection reads; it implies subject_in: event).
	RiskEvent string `yaml:"risk_event"`
	// SessionRevoked is the level at which a CAEP session-revoked event
	// is also sent ("" never).
	SessionRevoked string `yaml:"session_revoked"`
	// TokenEnv names the environment variable holding a bearer token
	// for the receiver, if it wants one.
	TokenEnv string `yaml:"token_env"`
}

// WebhookConfig is an HTTP receiver of JSON messages.
type WebhookConfig struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
	// URLEnv names the environment variable holding the URL instead,
	// for URLs that are secrets themselves (Slack's incoming webhooks).
	URLEnv string `yaml:"url_env"`
	// Format is json (default; rollcall's message, HMAC-signed) or slack
	// (a Slack incoming-webhook message).
	Format string `yaml:"format"`
	// SecretEnv names the environment variable holding the HMAC-SHA256
	// key (required for json; optional for slack).
	SecretEnv string `yaml:"secret_env"`
	// Include lists personal data to put in the message: name, login.
	// By default a message names the person by id only.
	Include []string `yaml:"include"`
}

// SyslogConfig is an RFC 5424 syslog collector over TCP or TLS.
type SyslogConfig struct {
	Name       string   `yaml:"name"`
	Address    string   `yaml:"address"` // host:port
	TLS        bool     `yaml:"tls"`     // RFC 5425 (usually port 6514)
	CAFile     string   `yaml:"ca_file"` // CA bundle for TLS (default: the system's)
	ServerName string   `yaml:"server_name"`
	Facility   int      `yaml:"facility"` // 0–23 (default 13, log audit)
	Hostname   string   `yaml:"hostname"` // HOSTNAME field (default: this host's name)
	AppName    string   `yaml:"app_name"` // APP-NAME field (default rollcall)
	SDID       string   `yaml:"sd_id"`    // structured data id (default rollcall@32473)
	Include    []string `yaml:"include"`  // personal data to include: name, login
}

// Load reads and validates a notify configuration file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("notify config: %w", err)
	}
	return Parse(data, path)
}

// Parse is Load over bytes already read; path names the file in messages
// and anchors relative paths.
func Parse(data []byte, path string) (*Config, error) {
	c := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("notify config %q: %w", path, err)
	}
	c.defaults()
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("notify config %q: %w", path, err)
	}
	dir := filepath.Dir(path)
	c.SentLog, c.DeadLetter = resolve(dir, c.SentLog), resolve(dir, c.DeadLetter)
	for i := range c.SSF {
		c.SSF[i].KeyFile = resolve(dir, c.SSF[i].KeyFile)
	}
	for i := range c.Syslog {
		c.Syslog[i].CAFile = resolve(dir, c.Syslog[i].CAFile)
	}
	return c, nil
}

func resolve(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func (c *Config) defaults() {
	if c.MinLevel == "" {
		c.MinLevel = policy.LevelHigh
	}
	if c.Retry.Attempts == 0 {
		c.Retry.Attempts = 5
	}
	if c.Retry.Initial == 0 {
		c.Retry.Initial = time.Second
	}
	if c.Retry.Max == 0 {
		c.Retry.Max = time.Minute
	}
	if c.Retry.Timeout == 0 {
		c.Retry.Timeout = 10 * time.Second
	}
	for i := range c.SSF {
		s := &c.SSF[i]
		if s.Subject == "" {
			s.Subject = "email"
		}
		if s.RiskEvent == "" {
			s.RiskEvent = "caep"
		}
		if s.SubjectIn == "" {
			s.SubjectIn = "sub_id"
			if s.RiskEvent == "okta" {
				s.SubjectIn = "event"
			}
		}
	}
	for i := range c.Webhooks {
		if c.Webhooks[i].Format == "" {
			c.Webhooks[i].Format = "json"
		}
	}
	for i := range c.Syslog {
		s := &c.Syslog[i]
		if s.Facility == 0 {
			s.Facility = 13
		}
		if s.AppName == "" {
			s.AppName = "rollcall"
		}
		if s.SDID == "" {
			s.SDID = "rollcall@32473"
		}
	}
}

// Validate says what is wrong with the configuration and how to fix it.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if rank(c.MinLevel) < 1 {
		bad("min_level %q: want one of low, medium, high, critical", c.MinLevel)
	}
	if c.SentLog == "" {
		bad("sent_log: name the file where rollcall records what it delivered (e.g. notify-sent.ndjson)")
	}
	if c.DeadLetter == "" {
		bad("dead_letter: name the file for messages that could not be delivered (e.g. notify-dead.ndjson)")
	}
	if c.SentLog != "" && c.SentLog == c.DeadLetter {
		bad("sent_log and dead_letter are the same file %q: use two files", c.SentLog)
	}
	if c.Retry.Attempts < 1 || c.Retry.Attempts > 50 {
		bad("retry.attempts %d: want 1 to 50", c.Retry.Attempts)
	}
	if c.Retry.Initial < 0 || c.Retry.Max < c.Retry.Initial || c.Retry.Timeout <= 0 {
		bad("retry: want 0 ≤ initial ≤ max and a positive timeout (got initial %s, max %s, timeout %s)", c.Retry.Initial, c.Retry.Max, c.Retry.Timeout)
	}
	if len(c.SSF)+len(c.Webhooks)+len(c.Syslog) == 0 {
		bad("no receiver: add an ssf, webhooks or syslog entry")
	}
	names := map[string]bool{}
	name := func(where, n string) {
		switch {
		case n == "":
			bad("%s: name is missing (a short name for messages and the sent log)", where)
		case strings.ContainsAny(n, " \t\n\""):
			bad("%s: name %q: no spaces or quotes", where, n)
		case names[n]:
			bad("%s: name %q is used twice", where, n)
		}
		names[n] = true
	}
	for i, s := range c.SSF {
		where := fmt.Sprintf("ssf[%d]", i)
		name(where, s.Name)
		if err := checkURL(s.Endpoint); err != nil {
			bad("%s (%s): endpoint: %w", where, s.Name, err)
		}
		if s.Issuer == "" || s.Audience == "" {
			bad("%s (%s): issuer and audience are required (the values registered at the receiver)", where, s.Name)
		}
		if s.KeyFile == "" {
			bad("%s (%s): key_file is required (a PEM private key; `rollcall notify keygen` makes one)", where, s.Name)
		}
		switch s.Subject {
		case "email":
		case "iss_sub":
			if s.SubjectIssuer == "" {
				bad("%s (%s): subject iss_sub needs subject_issuer (the identity provider's issuer URL)", where, s.Name)
			}
		default:
			bad("%s (%s): subject %q: want email or iss_sub", where, s.Name, s.Subject)
		}
		if s.SubjectIn != "sub_id" && s.SubjectIn != "event" {
			bad("%s (%s): subject_in %q: want sub_id or event", where, s.Name, s.SubjectIn)
		}
		switch {
		case s.RiskEvent != "caep" && s.RiskEvent != "okta":
			bad("%s (%s): risk_event %q: want caep or okta", where, s.Name, s.RiskEvent)
		case s.RiskEvent == "okta" && s.SubjectIn != "event":
			bad("%s (%s): risk_event okta reads the subject in each event: leave subject_in out or set it to event", where, s.Name)
		}
		if s.SessionRevoked != "" && rank(s.SessionRevoked) < 1 {
			bad("%s (%s): session_revoked %q: want low, medium, high, critical or nothing", where, s.Name, s.SessionRevoked)
		}
	}
	for i, w := range c.Webhooks {
		where := fmt.Sprintf("webhooks[%d]", i)
		name(where, w.Name)
		switch {
		case (w.URL == "") == (w.URLEnv == ""):
			bad("%s (%s): give url or url_env (the variable holding the URL), not both", where, w.Name)
		case w.URL != "":
			if err := checkURL(w.URL); err != nil {
				bad("%s (%s): url: %w", where, w.Name, err)
			}
		}
		switch w.Format {
		case "json":
			if w.SecretEnv == "" {
				bad("%s (%s): secret_env is required for json webhooks (the variable holding the HMAC key)", where, w.Name)
			}
		case "slack":
		default:
			bad("%s (%s): format %q: want json or slack", where, w.Name, w.Format)
		}
		if err := checkInclude(w.Include); err != nil {
			bad("%s (%s): %w", where, w.Name, err)
		}
	}
	for i, s := range c.Syslog {
		where := fmt.Sprintf("syslog[%d]", i)
		name(where, s.Name)
		if _, _, err := net.SplitHostPort(s.Address); err != nil || s.Address == "" {
			bad("%s (%s): address %q: want host:port (e.g. siem.example.com:6514)", where, s.Name, s.Address)
		}
		if (s.CAFile != "" || s.ServerName != "") && !s.TLS {
			bad("%s (%s): ca_file and server_name need tls: true", where, s.Name)
		}
		if s.Facility < 0 || s.Facility > 23 {
			bad("%s (%s): facility %d: want 0 to 23", where, s.Name, s.Facility)
		}
		if !printableASCII(s.AppName, 48) || (s.Hostname != "" && !printableASCII(s.Hostname, 255)) {
			bad("%s (%s): app_name (≤ 48) and hostname (≤ 255) must be printable ASCII without spaces", where, s.Name)
		}
		if !validSDName(s.SDID) {
			bad("%s (%s): sd_id %q: want name@number (RFC 5424 §6.3.2), at most 32 characters", where, s.Name, s.SDID)
		}
		if err := checkInclude(s.Include); err != nil {
			bad("%s (%s): %w", where, s.Name, err)
		}
	}
	return errors.Join(errs...)
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || s == "" {
		return fmt.Errorf("%q is not a URL", s)
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return fmt.Errorf("%q: want an https:// URL", s)
	}
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return fmt.Errorf("%q: use https (plain http only for a receiver on this machine)", s)
	}
	if u.User != nil {
		return errors.New("credentials in the URL: use token_env or secret_env instead")
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// includable is the personal data a message may carry when configured.
var includable = []string{"name", "login"}

func checkInclude(in []string) error {
	for _, f := range in {
		if !slices.Contains(includable, f) {
			return fmt.Errorf("include %q: want name or login", f)
		}
	}
	return nil
}

func includes(in []string, f string) bool { return slices.Contains(in, f) }

func printableASCII(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 33 || s[i] > 126 {
			return false
		}
	}
	return true
}

// validSDName reports whether s is an RFC 5424 SD-NAME (used for SD-IDs
// and PARAM-NAMEs): 1–32 printable ASCII characters except = ] " and space.
func validSDName(s string) bool {
	return printableASCII(s, 32) && !strings.ContainsAny(s, `="]`)
}
