package email

import "testing"

func TestCanonical(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"lower_and_trim", "  Jane.Roe@Example.COM ", "jane.roe@example.com"},
		{"gmail_dots", "jane.roe@gmail.com", "janeroe@gmail.com"},
		{"gmail_plus_tag", "JaneRoe+jobs@gmail.com", "janeroe@gmail.com"},
		{"googlemail", "jane.roe@googlemail.com", "janeroe@gmail.com"},
		{"other_domain_keeps_dots_and_tags", "jane.roe+x@outlook.com", "jane.roe+x@outlook.com"},
		{"no_domain", "janeroe", ""},
		{"no_local_part", "@gmail.com", ""},
		{"only_a_tag", "+x@gmail.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Canonical(tt.in); got != tt.want {
				t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
