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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody listens there now
	n, cfg := syslogNotifier(t, "", addr)
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
