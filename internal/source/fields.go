package source

import (
	"fmt"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/geo"
)

// ParseDate reads a calendar date as rollcall's CSV formats write it,
// YYYY-MM-DD (midnight UTC), or a full RFC 3339 timestamp (kept as UTC).
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("not a date (want YYYY-MM-DD or RFC 3339): %q", clipValue(s))
}

// CountryAlpha2 checks an ISO 3166-1 alpha-2 country code, any case, and
// returns it upper-cased. Empty stays empty.
func CountryAlpha2(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	c, ok := geo.ByAlpha2(s)
	if !ok {
		return "", fmt.Errorf("not an ISO 3166-1 alpha-2 country code: %q", clipValue(s))
	}
	return c.Alpha2, nil
}

// clipValue shortens a value quoted in an error message.
func clipValue(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + "…"
}

// UPNEmail returns the email address a Microsoft user principal name
// stands for: the UPN itself, lower-cased, when it holds '@', or for a
// guest's tenant-local form ("ada_fabrikam.com#EXT#@contoso.onmicrosoft.com")
// the guest's own address ("ada@fabrikam.com"). Object-id UPNs
// (non-interactive sign-ins) give "".
func UPNEmail(upn string) string {
	upn = strings.ToLower(upn)
	if i := strings.Index(upn, "#ext#"); i >= 0 {
		local := upn[:i]
		j := strings.LastIndexByte(local, '_')
		if j <= 0 || j == len(local)-1 {
			return ""
		}
		return local[:j] + "@" + local[j+1:]
	}
	if strings.Contains(upn, "@") {
		return upn
	}
	return ""
}
