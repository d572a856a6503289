package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/policy"
)

// syslogSink writes RFC 5424 messages to a collector over TCP (RFC 6587)
// or TLS (RFC 5425), octet-counted ("LEN SP MSG"), on one connection
// reopened after a failure.
type syslogSink struct {
	cfg      SyslogConfig
	hostname string
	tls      *tls.Config
	timeout  time.Duration
	conn     net.Conn
}

var _ sink = (*syslogSink)(nil)

func newSyslog(c SyslogConfig, timeout time.Duration) (*syslogSink, error) {
	s := &syslogSink{cfg: c, hostname: c.Hostname, timeout: timeout}
	if s.hostname == "" {
		h, err := os.Hostname()
		if err != nil || !printableASCII(h, 255) {
			h = "-"
		}
		s.hostname = h
	}
	if c.TLS {
		s.tls = &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.ServerName}
		if c.CAFile != "" {
			pem, err := os.ReadFile(c.CAFile)
			if err != nil {
				return nil, fmt.Errorf("notify %s: ca_file: %w", c.Name, err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("notify %s: ca_file %q holds no PEM certificate", c.Name, c.CAFile)
			}
			s.tls.RootCAs = pool
		}
	}
	return s, nil
}

func (s *syslogSink) name() string { return s.cfg.Name }
func (s *syslogSink) kind() string { return "syslog" }

func (s *syslogSink) close() error {
	if s.conn == nil {
		return nil
	}
	err := s.conn.Close()
	s.conn = nil
	return err
}

// syslogSeverity maps a level to an RFC 5424 severity: critical 2
// (critical), high 3 (error), medium 4 (warning), low 5 (notice), none 6
// (informational).
func syslogSeverity(level string) int {
	switch level {
	case policy.LevelCritical:
		return 2
	case policy.LevelHigh:
		return 3
	case policy.LevelMedium:
		return 4
	case policy.LevelLow:
		return 5
	}
	return 6
}

// sdEscaper escapes an RFC 5424 PARAM-VALUE (§6.3.3): '"', '\' and ']'.
var sdEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, `]`, `\]`)

// sdValue escapes v and blanks control characters, which a collector
// reading lines could take for a new message.
func sdValue(v string) string {
	v = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, v)
	return sdEscaper.Replace(v)
}

// message formats one RFC 5424 message (without the octet count):
//
//	<PRI>1 TIMESTAMP HOSTNAME APP-NAME - level-change [SD-ID id=… person=…] BOM msg
func (s *syslogSink) message(c Change, now time.Time) ([]byte, error) {
	pri := s.cfg.Facility*8 + syslogSeverity(c.Current)
	var b strings.Builder
	fmt.Fprintf(&b, "<%d>1 %s %s %s - level-change [%s", pri, now.UTC().Format("2006-01-02T15:04:05.000000Z"),
		s.hostname, s.cfg.AppName, s.cfg.SDID)
	param := func(name, value string) { fmt.Fprintf(&b, ` %s="%s"`, name, sdValue(value)) }
	param("id", c.ID)
	param("person", c.Person)
	if includes(s.cfg.Include, "name") && c.Name != "" {
		param("name", c.Name)
	}
	if includes(s.cfg.Include, "login") && c.Login != "" {
		param("login", c.Login)
	}
	param("kind", c.Kind)
	param("previous", c.Previous)
	param("level", c.Current)
	param("score", strconv.Itoa(c.Score))
	ids := make([]string, len(c.Indicators))
	for i, in := range c.Indicators {
		ids[i] = in.ID
	}
	param("indicators", strings.Join(ids, ","))
	b.WriteString("] \ufeff")
	b.WriteString(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, fmt.Sprintf("%s moved from %s to %s: %s", c.Person, c.Previous, c.Current, c.Reason())))
	return []byte(b.String()), nil
}

// frame is the octet-counting frame of RFC 6587 §3.4.1 and RFC 5425 §4.3.
func frame(msg []byte) []byte {
	return append([]byte(strconv.Itoa(len(msg))+" "), msg...)
}

func (s *syslogSink) send(ctx context.Context, msg []byte, _ Change) error {
	if s.conn == nil {
		d := &net.Dialer{Timeout: s.timeout}
		var conn net.Conn
		var err error
		if s.tls != nil {
			conn, err = (&tls.Dialer{NetDialer: d, Config: s.tls}).DialContext(ctx, "tcp", s.cfg.Address)
		} else {
			conn, err = d.DialContext(ctx, "tcp", s.cfg.Address)
		}
		if err != nil {
			return err
		}
		s.conn = conn
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(s.timeout)
	}
	if err := s.conn.SetWriteDeadline(deadline); err != nil {
		s.close()
		return err
	}
	if _, err := s.conn.Write(frame(msg)); err != nil {
		s.close()
		return err
	}
	return nil
}
