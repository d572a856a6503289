package notify

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/report"
)

// scanTime is the analysis time of every test run.
var scanTime = time.Date(2026, 5, 20, 9, 30, 0, 0, time.UTC)

// loadTestConfig writes yaml (with DIR replaced by a temporary directory)
// as notify.yaml there and loads it.
func loadTestConfig(t *testing.T, yaml string) (*Config, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "notify.yaml")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(yaml, "DIR", dir)), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, dir
}

// person is a report person at a level with two indicators, one of them
// allow-listed (it must not be named in messages).
func person(id, name, level string, score int) report.Person {
	return report.Person{ID: id, EmployeeID: id, Name: name, Kind: "employee", Score: score, Level: level,
		Flagged: level == "medium" || level == "high" || level == "critical",
		Indicators: []report.Indicator{
			{ID: "PAY-01", Name: "Payout account shared with another person", Points: 30},
			{ID: "NET-02", Name: "Sign-ins from a VPN", Points: 0, Suppressed: "allow-listed corporate VPN"},
			{ID: "APP-01", Name: "Applicant contact details reused", Points: 20},
		}}
}

// sleeps records the waits between attempts instead of waiting.
type sleeps struct {
	mu  sync.Mutex
	got []time.Duration
}

func (s *sleeps) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	s.got = append(s.got, d)
	s.mu.Unlock()
	return nil
}

// readLines reads an NDJSON file into maps.
func readLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, m)
	}
	return out
}

// closedAddr is a loopback address nobody listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
