package notify

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/report"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// collector is a syslog collector on loopback reading octet-counted
// frames (RFC 6587 §3.4.1, RFC 5425 §4.3).
type collector struct {
	ln     net.Listener
	mu     sync.Mutex
	frames []string
	errs   []error
	wg     sync.WaitGroup
}

func listen(t *testing.T, cfg *tls.Config) *collector {
	t.Helper()
	var ln net.Listener
	var err error
	if cfg != nil {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", cfg)
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{ln: ln}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			c.wg.Add(1)
			go func() {
				defer c.wg.Done()
				defer conn.Close()
				c.read(conn)
			}()
		}
	}()
	return c
}

// read parses frames until the connection ends.
func (c *collector) read(conn net.Conn) {
	r := bufio.NewReader(conn)
	for {
		n, err := r.ReadString(' ')
		if errors.Is(err, io.EOF) && n == "" {
			return
		}
		if err != nil {
			c.fail(err)
			return
		}
		size, err := strconv.Atoi(strings.TrimSuffix(n, " "))
		if err != nil || size <= 0 {
			c.fail(fmt.Errorf("bad octet count %q", n))
			return
		}
		buf := make([]byte, size)
		if _, err := io.ReadFull(r, buf); err != nil {
			c.fail(err)
			return
		}
		c.mu.Lock()
		c.frames = append(c.frames, string(buf))
		c.mu.Unlock()
	}
}

func (c *collector) fail(err error) {
	c.mu.Lock()
	c.errs = append(c.errs, err)
	c.mu.Unlock()
}

// stop closes the listener and waits for the readers (the notifier must
// have closed its connection).
func (c *collector) stop() ([]string, []error) {
	c.ln.Close()
	c.wg.Wait()
	return c.frames, c.errs
}

func syslogNotifier(t *testing.T, extra string, addr string) (*Notifier, *Config) {
	t.Helper()
	cfg, _ := loadTestConfig(t, `
sent_log: sent.ndjson
dead_letter: dead.ndjson
retry: {attempts: 3, initial: 1s, timeout: 2s}
syslog:
  - name: siem
    address: `+addr+`
    hostname: rollcall-1.example.com
`+extra)
	n, err := New(cfg, false, WithSleep((&sleeps{}).sleep))
	if err != nil {
		t.Fatal(err)
	}
	return n, cfg
}

// hostile is a report whose names try to break out of structured data.
func hostile() *report.Report {
	return &report.Report{People: []report.Person{
		person("E1042", `Jane "]\ Roe`+"\n<14>1 forged", "critical", 92),
		person("E2001", "Omar Ode", "high", 71),
	}}
}

func TestSyslogTCPGolden(t *testing.T) {
	c := listen(t, nil)
	n, _ := syslogNotifier(t, "    include: [name]\n", c.ln.Addr().String())
	sum, err := n.Run(context.Background(), Input{Report: hostile(), Now: scanTime})
	if err != nil {
		t.Fatal(err)
	}
	n.Close()
	frames, errs := c.stop()
	if len(errs) > 0 || sum.Sent != 2 {
		t.Fatalf("summary %+v, collector errors %v", sum, errs)
	}
	got := strings.Join(frames, "\n") + "\n"
	golden := filepath.Join("testdata", "syslog.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	for _, f := range frames {
		if !strings.HasPrefix(f, "<") || strings.Contains(f, "\n") {
			t.Errorf("frame %q: want one RFC 5424 message without line breaks", f)
		}
	}
}

func TestSyslogTLS(t *testing.T) {
	dir := t.TempDir()
	serverCfg, caFile := selfSigned(t, dir)
	c := listen(t, serverCfg)
	n, _ := syslogNotifier(t, "    tls: true\n    ca_file: "+caFile+"\n    server_name: syslog.test\n", c.ln.Addr().String())
	sum, err := n.Run(context.Background(), Input{Report: hostile(), Now: scanTime})
	if err != nil {
		t.Fatal(err)
	}
	n.Close()
	frames, errs := c.stop()
	if len(errs) > 0 || sum.Sent != 2 || len(frames) != 2 {
		t.Fatalf("summary %+v, %d frames, collector errors %v", sum, len(frames), errs)
	}
	if !strings.HasPrefix(frames[0], "<106>1 2026-05-20T09:30:00.000000Z rollcall-1.example.com rollcall - level-change [rollcall@32473 ") {
		t.Errorf("frame %q", frames[0])
	}
	if strings.Contains(frames[0], "Jane") {
		t.Error("the name is in the message without include: [name]")
	}
}

func TestSyslogTLSUnknownCADeadLetters(t *testing.T) {
	dir := t.TempDir()
	serverCfg, _ := selfSigned(t, dir)
	_, otherCA := selfSigned(t, t.TempDir())
	c := listen(t, serverCfg)
	n, cfg := syslogNotifier(t, "    tls: true\n    ca_file: "+otherCA+"\n    server_name: syslog.test\n", c.ln.Addr().String())
	sum, err := n.Run(context.Background(), Input{Report: hostile(), Now: scanTime})
	if err != nil {
		t.Fatal(err)
	}
	n.Close()
	frames, _ := c.stop()
	if sum.Dead != 2 || len(frames) != 0 {
		t.Errorf("summary %+v, %d frames; want both dead-lettered, none received", sum, len(frames))
	}
	dead := readLines(t, cfg.DeadLetter)
	if len(dead) != 2 || !strings.Contains(dead[0]["error"].(string), "certificate") {
		t.Errorf("dead letters %v, want certificate errors", dead)
	}
}

func TestSyslogCollectorDown(t *testing.T) {
	n, cfg := syslogNotifier(t, "", closedAddr(t))
	sum, err := n.Run(context.Background(), Input{Report: hostile(), Now: scanTime})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Dead != 2 || len(readLines(t, cfg.DeadLetter)) != 2 || len(readLines(t, cfg.SentLog)) != 0 {
		t.Errorf("summary %+v; want both messages dead-lettered and nothing in the sent log", sum)
	}
}

// selfSigned makes a CA-signed certificate for syslog.test and returns
// the server's TLS config and the CA's PEM file.
func selfSigned(t *testing.T, dir string) (*tls.Config, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "syslog.test"}, DNSNames: []string{"syslog.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}, caFile
}

// rfc5424Header matches HEADER SP STRUCTURED-DATA SP MSG of RFC 5424 §6
// for one SD-ELEMENT (what rollcall writes).
var rfc5424Header = regexp.MustCompile(`^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) ([!-~]{1,255}) ([!-~]{1,48}) (-|[!-~]{1,128}) ([!-~]{1,32}) \[([^ =\]"]{1,32})((?: [^ =\]"]{1,32}="(?:[^"\\\]]|\\["\\\]])*")*)\] \x{FEFF}(.*)$`)

// sdParam matches one PARAM-NAME="PARAM-VALUE" with its escapes.
var sdParam = regexp.MustCompile(`([^ =\]"]{1,32})="((?:[^"\\\]]|\\["\\\]])*)"`)

// TestSyslogParsesAsRFC5424 reads the messages back by the grammar and
// gets the hostile name back intact from its escaped form.
func TestSyslogParsesAsRFC5424(t *testing.T) {
	cfg, _ := loadTestConfig(t, "sent_log: s\ndead_letter: d\nsyslog: [{name: siem, address: \"127.0.0.1:1\", hostname: h.example.com, include: [name]}]\n")
	n, err := New(cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	p := hostile().People[0]
	c := Change{Person: p.ID, Name: p.Name, Kind: p.Kind, Previous: "high", Announced: true, Current: p.Level, Score: p.Score,
		Indicators: indicatorRefs(&p), ID: "abc"}
	msg, err := n.sinks[0].message(c, scanTime)
	if err != nil {
		t.Fatal(err)
	}
	m := rfc5424Header.FindStringSubmatch(string(msg))
	if m == nil {
		t.Fatalf("not an RFC 5424 message: %q", msg)
	}
	if m[1] != "106" || m[3] != "h.example.com" || m[4] != "rollcall" || m[6] != "level-change" || m[7] != "rollcall@32473" {
		t.Errorf("header fields %q", m[1:8])
	}
	params := map[string]string{}
	unescape := strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\]`, `]`)
	for _, pm := range sdParam.FindAllStringSubmatch(m[8], -1) {
		params[pm[1]] = unescape.Replace(pm[2])
	}
	want := map[string]string{"id": "abc", "person": "E1042", "name": `Jane "]\ Roe <14>1 forged`, "kind": "employee",
		"previous": "high", "level": "critical", "score": "92", "indicators": "PAY-01,APP-01"}
	if diff := cmp.Diff(want, params); diff != "" {
		t.Errorf("structured data (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(m[9], "E1042 moved from high to critical: rollcall score 92") {
		t.Errorf("MSG %q", m[9])
	}
}
