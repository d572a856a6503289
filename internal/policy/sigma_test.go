package policy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSigmaRules: sigma.rules are loaded relative to the policy file and
// validated with it; sigma.strong makes SIG-01 count as a non-weak signal.
func TestSigmaRules(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("rules/proxy.yml", "title: Proxy session\nlogsource: {product: okta, service: okta}\ndetection: {s: {eventType: user.session.start, securityContext.isProxy: true}, condition: s}\nlevel: high\n")
	good := write("policy.yaml", "sigma:\n  rules: [rules]\n")
	p, err := Load(good)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sigma.Loaded) != 1 || p.Sigma.Loaded[0].Title != "Proxy session" {
		t.Fatalf("loaded %v", p.Sigma.Loaded)
	}
	if !p.IsWeak(SigmaIndicator) {
		t.Error("SIG-01 is not weak without sigma.strong")
	}
	// The engine compares policies as JSON: the rules must marshal, and an
	// edited rule must change the JSON.
	before, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	write("rules/proxy.yml", "title: Proxy session\nlogsource: {product: okta, service: okta}\ndetection: {s: {eventType: user.session.start, securityContext.isProxy: true}, condition: s}\nlevel: critical\n")
	p2, err := Load(good)
	if err != nil {
		t.Fatal(err)
	}
	after, err := json.Marshal(p2)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) == string(after) {
		t.Error("an edited rule leaves the policy's JSON unchanged")
	}

	strong, err := Parse([]byte("sigma:\n  strong: true\n"), filepath.Join(dir, "strong.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if strong.IsWeak(SigmaIndicator) {
		t.Error("SIG-01 is weak with sigma.strong")
	}

	write("bad/aad.yml", "title: t\nlogsource: {product: azure, service: signinlogs}\ndetection: {s: {AppDisplayName: x}, condition: s}\n")
	bad := write("bad.yaml", "sigma:\n  rules: [bad, missing]\n")
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "sigma.rules") || !strings.Contains(err.Error(), "missing") {
		t.Errorf("Load with a missing rules directory: %v", err)
	}
	bad = write("bad2.yaml", "sigma:\n  rules: [bad]\n")
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), `aad.yml" field detection.s.AppDisplayName`) {
		t.Errorf("Load with an invalid rule: %v", err)
	}
}
