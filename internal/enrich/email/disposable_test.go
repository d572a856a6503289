package email

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

func TestDisposable(t *testing.T) {
	tests := []struct {
		name, in, want string
		wild, ok       bool
	}{
		{"listed_domain", "k.tran@mailinator.com", "mailinator.com", false, true},
		{"case_and_space", " K.Tran@MAILINATOR.COM ", "mailinator.com", false, true},
		{"wildcard_subdomain", "jobs@alias.33mail.com", "33mail.com", true, true},
		{"wildcard_parent_listed_exactly", "jobs@33mail.com", "33mail.com", false, true},
		{"gmail_is_not", "janeroe@gmail.com", "", false, false},
		{"proton_is_not", "hire.devteam@proton.me", "", false, false},
		{"outlook_is_not", "jane.roe@outlook.com", "", false, false},
		{"company_domain", "dana@acme-corp.example", "", false, false},
		{"subdomain_of_exact_entry_is_not", "x@mail.mailinator.com.example", "", false, false},
		{"no_domain", "janeroe", "", false, false},
		{"bare_tld", "x@com", "", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Disposable(tc.in)
			if got.Domain != tc.want || got.Wildcard != tc.wild || ok != tc.ok {
				t.Errorf("Disposable(%q) = %+v, %v; want %q (wildcard %v), %v", tc.in, got, ok, tc.want, tc.wild, tc.ok)
			}
		})
	}
}

func TestDisposableListEmbedded(t *testing.T) {
	s := disposable()
	if s.exact.len() < 50000 || s.wildcard.len() < 100 {
		t.Errorf("embedded list has %d domains and %d wildcards: regenerate it with make disposable", s.exact.len(), s.wildcard.len())
	}
	if v := DisposableListVersion(); !strings.HasPrefix(v, "disposable-email-domains ") {
		t.Errorf("version header %q, want the package name and version", v)
	}
	for _, d := range []string{"gmail.com", "outlook.com", "yahoo.com", "proton.me", "protonmail.com", "icloud.com", "hotmail.com",
		"yandex.ru", "mail.ru", "163.com", "qq.com", "naver.com", "gmx.de", "web.de"} {
		if s.exact.has(d) || s.wildcard.has(d) {
			t.Errorf("%s is on the disposable list: a mainstream (or national) provider would flag ordinary applicants", d)
		}
	}
}

func TestParseDisposable(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("# pkg 1.0\n\nthrow.example\n*.wild.example\n"))
	zw.Close()
	s, err := parseDisposable(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !s.exact.has("throw.example") || !s.wildcard.has("wild.example") || s.version != "pkg 1.0" || s.exact.len() != 1 {
		t.Errorf("parsed %+v", s)
	}
	set := newDomainSet([]string{"m.example", "a.example", "z.example", "m.example"})
	for d, want := range map[string]bool{"a.example": true, "m.example": true, "z.example": true,
		"": false, "0.example": false, "b.example": false, "zz.example": false, "m.exampl": false, "m.example\n": false} {
		if got := set.has(d); got != want {
			t.Errorf("has(%q) = %v, want %v", d, got, want)
		}
	}
	if set.len() != 3 {
		t.Errorf("%d entries, want 3 (one duplicate)", set.len())
	}
	if _, err := parseDisposable([]byte("not gzip")); err == nil {
		t.Error("no error for a corrupt file")
	}
}
