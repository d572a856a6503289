package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names, summaries, file names and link values come from the data being
// scanned, so from the adversary. Before they reach a terminal or a page
// they lose everything that is not plain visible text: ANSI escape
// sequences (which can rewrite the screen, set the window title or plant
// hyperlinks), other control characters, and Unicode format characters
// such as bidirectional overrides (which can make "E1042" read as "2401E").

// clean returns s as plain single-line visible text: escape sequences and
// control and format characters are removed, tabs and line breaks become
// spaces, invalid UTF-8 becomes U+FFFD, and runs of spaces collapse.
func clean(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b: // ESC
			i += escapeLen(s[i:])
			continue
		case r == 0x9b || r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // 8-bit CSI, OSC, DCS, SOS, PM, APC
			i += size + c1BodyLen(r, s[i+size:])
			continue
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029 || r == ' ':
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			i += size
			continue
		case r == utf8.RuneError && size == 1:
			r = unicode.ReplacementChar
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			i += size
			continue
		}
		space = false
		b.WriteRune(r)
		i += size
	}
	return strings.TrimRight(b.String(), " ")
}

// isPlain reports whether s is printable ASCII without leading, trailing or
// doubled spaces, the common case that clean returns unchanged.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			return false
		}
	}
	return true
}

// escapeLen returns the length of the escape sequence at the start of s,
// which begins with ESC (ECMA-48: CSI, OSC and string commands, or a
// two-character escape).
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[': // CSI: parameter and intermediate bytes, then one final byte
		for i := 2; i < len(s); i++ {
			if c := s[i]; c >= 0x40 && c <= 0x7e {
				return i + 1
			} else if c < 0x20 || c > 0x7e {
				return i // malformed: drop what was read, keep the rest
			}
		}
		return len(s)
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC: up to BEL or ST (ESC \)
		return 2 + stringBodyLen(s[2:])
	}
	_, size := utf8.DecodeRuneInString(s[1:])
	return 1 + size
}

// c1BodyLen is escapeLen for the 8-bit C1 introducers.
func c1BodyLen(r rune, s string) int {
	if r == 0x9b {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c >= 0x40 && c <= 0x7e {
				return i + 1
			} else if c < 0x20 || c > 0x7e {
				return i
			}
		}
		return len(s)
	}
	return stringBodyLen(s)
}

// stringBodyLen returns the length of a control string's body including
// its terminator (BEL, ESC \ or 8-bit ST), or all of s when unterminated.
func stringBodyLen(s string) int {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c: // U+009C ST
			return i + 2
		}
	}
	return len(s)
}

// truncate shortens s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	if n == 1 {
		return "…"
	}
	i, count := 0, 0
	for i = range s {
		if count == n-1 {
			break
		}
		count++
	}
	return strings.TrimRight(s[:i], " ") + "…"
}

// cleanCut is clean followed by truncate.
func cleanCut(s string, n int) string { return truncate(clean(s), n) }
