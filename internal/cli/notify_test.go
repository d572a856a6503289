package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/notify/notifytest"
)

// TestScanNotify scans the small example (E100 and E101 critical) with a
// webhook receiver on loopback: the first scan announces both, verified
// with the HMAC secret; the second announces nothing.
func TestScanNotify(t *testing.T) {
	cfg, hook := notifytest.WebhookConfig(t, t.TempDir(), "name")
	small := filepath.Join("..", "..", "examples", "small")
	for run, want := range []string{"notify: 2 level changes: 2 messages delivered, 0 dead-lettered", "notify: 0 level changes"} {
		var stdout, stderr bytes.Buffer
		if code := Main([]string{"scan", "--notify", cfg, small}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
			t.Fatalf("run %d: exit %d: %s", run+1, code, stderr.String())
		}
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("run %d: stderr %q, want %q", run+1, stderr.String(), want)
		}
		if strings.Contains(stderr.String(), notifytest.Secret) {
			t.Errorf("run %d: the webhook secret is on stderr", run+1)
		}
	}
	got := hook.Messages()
	if len(got) != 2 || got[0].Person != "E100" || got[0].Name != "Jane Doe" || got[0].Current != "critical" || got[1].Person != "E101" {
		t.Errorf("deliveries %+v, want E100 and E101 at critical", got)
	}
}

// TestScanNotifyDryRun prints the signed SETs instead of the report and
// sends nothing (the endpoint does not exist).
func TestScanNotifyDryRun(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "ssf.pem")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"notify", "keygen", "--out", key}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("keygen: exit %d: %s", code, stderr.String())
	}
	var jwks struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &jwks); err != nil || len(jwks.Keys) != 1 || jwks.Keys[0]["d"] != nil || jwks.Keys[0]["alg"] != "ES256" {
		t.Fatalf("keygen JWKS %s (%v): want one public ES256 key", stdout.String(), err)
	}
	cfg := filepath.Join(dir, "notify.yaml")
	writeTestFile(t, cfg, `sent_log: sent.ndjson
dead_letter: dead.ndjson
ssf:
  - {name: okta, endpoint: "http://127.0.0.1:1/none", issuer: "https://rollcall.test", audience: "https://idp.test", key_file: ssf.pem}
`)
	stdout.Reset()
	small := filepath.Join("..", "..", "examples", "small")
	if code := Main([]string{"scan", "--notify", cfg, "--notify-dry-run", small}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var line struct {
			Kind    string         `json:"kind"`
			Payload string         `json:"payload"`
			Claims  map[string]any `json:"claims"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("dry-run line %q: %v", sc.Text(), err)
		}
		if line.Kind != "ssf" || line.Claims["iss"] != "https://rollcall.test" || strings.Count(line.Payload, ".") != 2 {
			t.Errorf("dry-run line %s", sc.Text())
		}
		n++
	}
	if n != 2 {
		t.Errorf("%d dry-run lines, want 2 (E100, E101)", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "sent.ndjson")); !os.IsNotExist(err) {
		t.Errorf("a dry run wrote the sent log (%v)", err)
	}
}

func TestNotifyFlagErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	writeTestFile(t, bad, "sent_log: s\ndead_letter: d\nwebhooks: [{name: soc, url: \"https://x\"}]\n")
	small := filepath.Join("..", "..", "examples", "small")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"dry_run_alone", []string{"scan", "--notify-dry-run", small}, "--notify-dry-run needs --notify FILE"},
		{"invalid_config", []string{"scan", "--notify", bad, small}, "webhooks[0] (soc): secret_env is required"},
		{"missing_config", []string{"scan", "--notify", filepath.Join(dir, "none.yaml"), small}, "none.yaml"},
		{"keygen_twice", []string{"notify", "keygen", "--out", bad}, "exists"},
		{"serve_invalid_config", []string{"serve", "--db", filepath.Join(dir, "s.db"), "--listen", "127.0.0.1:0", "--notify", bad}, "secret_env is required"},
		{"worker_invalid_config", []string{"worker", "--db", filepath.Join(dir, "w.db"), "--notify", bad}, "secret_env is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(tc.args, strings.NewReader(""), &stdout, &stderr)
			if code == ExitOK || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want a failure containing %q", code, stderr.String(), tc.want)
			}
		})
	}
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
