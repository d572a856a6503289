package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOUI(t *testing.T) {
	dir := t.TempDir()
	reg := map[string]string{"B827EB": "Raspberry Pi Foundation\nMaurice Wilkes Building\nCambridge\nGB", "04C98B1": "TinyPilot, LLC\nUS",
		"A483E7": "Apple, Inc.\nCupertino"}
	for i := range 10000 {
		reg[fmt.Sprintf("F%05X", i)] = "Someone Else"
	}
	index := writeJSON(t, dir, "index.json", reg)
	rules := filepath.Join(dir, "rules.csv")
	os.WriteFile(rules, []byte("# c\nclass,product,confidence,pattern,note\nip_kvm,TinyPilot,high,^TinyPilot\\b,x\nkvm_board,Pi,low,^Raspberry Pi\\b,y\n"), 0o644)
	out := filepath.Join(dir, "out.tsv")
	if err := oui(out, "9.9", rules, index); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	got := string(b)
	for _, want := range []string{"oui-data 9.9", "04C98B1\tip_kvm\tTinyPilot\thigh\tTinyPilot, LLC\n", "B827EB\tkvm_board\tPi\tlow\tRaspberry Pi Foundation\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Apple") {
		t.Error("output has a prefix no rule names")
	}
	os.WriteFile(rules, []byte("ip_kvm,Nobody,high,^No Such Maker$,z\n"), 0o644)
	if err := oui(out, "9.9", rules, index); err == nil || !strings.Contains(err.Error(), "matches no organisation") {
		t.Errorf("rule matching nothing: err = %v", err)
	}
	if after, _ := os.ReadFile(out); string(after) != got {
		t.Error("a failed run changed the output file")
	}
}

func TestDisposable(t *testing.T) {
	dir := t.TempDir()
	var list []string
	for i := range 1200 {
		list = append(list, fmt.Sprintf("throw%d.example", i))
	}
	list = append(list, "Bad Domain", "MAILINATOR.COM")
	index := writeJSON(t, dir, "index.json", list)
	wild := writeJSON(t, dir, "wildcard.json", []string{"33mail.com"})
	out := filepath.Join(dir, "d.txt.gz")
	if err := disposable(out, "1.2.3", []string{index, wild}); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(out)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	got := string(b)
	for _, want := range []string{"disposable-email-domains 1.2.3", "\nmailinator.com\n", "\n*.33mail.com\n", "\nthrow7.example\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(got, "Bad Domain") {
		t.Error("kept an entry that is not a domain name")
	}
	short := writeJSON(t, dir, "short.json", []string{"a.example"})
	if err := disposable(out, "1", []string{short}); err == nil {
		t.Error("accepted a list of one domain")
	}
}

func writeJSON(t *testing.T, dir, name string, v any) string {
	t.Helper()
	p := filepath.Join(dir, name)
	var b strings.Builder
	switch x := v.(type) {
	case []string:
		b.WriteString("[")
		for i, s := range x {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "%q", s)
		}
		b.WriteString("]")
	case map[string]string:
		b.WriteString("{")
		i := 0
		for k, s := range x {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "%q:%q", k, s)
			i++
		}
		b.WriteString("}")
	}
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
