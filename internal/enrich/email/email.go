// Package email puts mailbox addresses in canonical form, so that the
// spellings one mailbox receives mail under compare equal.
package email

import "strings"

// Canonical returns the mailbox s delivers to: trimmed and lower-cased;
// for Gmail, dots in the local part and a "+tag" suffix dropped and
// googlemail.com read as gmail.com (Google delivers all of these to one
// mailbox). It returns "" for a string without a local part and a domain.
// It is the one rule for comparing email addresses in rollcall.
func Canonical(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return ""
	}
	local, domain := s[:at], s[at+1:]
	if domain != "gmail.com" && domain != "googlemail.com" {
		return s
	}
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[:i]
	}
	local = strings.ReplaceAll(local, ".", "")
	if local == "" {
		return ""
	}
	return local + "@gmail.com"
}
