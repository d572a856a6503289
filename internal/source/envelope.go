package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// EnvelopeKeys name the arrays that every JSON format accepts as a wrapper
// of records, besides the format's own: Azure Event Hub and Azure Monitor
// storage exports write {"records":[…]}.
var EnvelopeKeys = []string{"records"}

// UnwrapMessage returns the record carried as text in a SIEM envelope: an
// object whose "message" member is a string holding a JSON object, as
// Elastic, Logstash and most syslog-to-SIEM pipelines ship a vendor record
// they did not parse ({"@timestamp":…,"message":"{\"uuid\":…}"}). ok is
// false, and raw is returned as it is, for any other record, including
// records whose message is ordinary text (osquery status lines).
func UnwrapMessage(raw []byte) (inner []byte, ok bool) {
	if !bytes.Contains(raw, []byte(`"message"`)) {
		return raw, false // the common case, found without decoding
	}
	// A record whose message is not a string starting with "{" (an osquery
	// status line's text) is told apart by reading keys only, and is
	// decoded once, by its own format, not here as well.
	if !objectText(topLevelMember(raw, "message")) {
		return raw, false
	}
	var env struct {
		Message *string `json:"message"`
	}
	if json.Unmarshal(raw, &env) != nil || env.Message == nil {
		return raw, false
	}
	m := bytes.TrimSpace([]byte(*env.Message))
	if len(m) < 2 || m[0] != '{' || m[len(m)-1] != '}' || !json.Valid(m) {
		return raw, false
	}
	return m, true
}

// topLevelMember returns the raw text of the value of the last member of
// the JSON object raw whose name is name in any case (as encoding/json
// matches struct fields), or nil. It reads keys and brackets only and does
// not check that raw is valid JSON.
func topLevelMember(raw []byte, name string) []byte {
	t := bytes.TrimLeft(raw, " \t\r\n")
	if len(t) == 0 || t[0] != '{' {
		return nil
	}
	var found []byte
	depth := 0
	expectKey := false
	for i := 0; i < len(t); i++ {
		for i < len(t) && !jsonStructural[t[i]] {
			i++
		}
		if i == len(t) {
			break
		}
		switch t[i] {
		case '{':
			depth++
			expectKey = depth == 1
		case '[':
			depth++
			expectKey = false
		case '}', ']':
			depth--
			expectKey = false
		case ',':
			expectKey = depth == 1
		case '"':
			end := stringEnd(t, i+1)
			if expectKey && end < len(t) && bytes.EqualFold(t[i+1:end], []byte(name)) {
				if v := memberValue(t[end+1:]); v != nil {
					found = v
				}
			}
			expectKey = false
			i = end
		}
	}
	return found
}

// memberValue returns the start of a member's value after its name ("…":
// value…), up to the end of the value when it is a string, or nil.
func memberValue(b []byte) []byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] != ':' {
		return nil
	}
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	if len(b) > 0 && b[0] == '"' {
		if end := stringEnd(b, 1); end < len(b) {
			return b[:end+1]
		}
	}
	return b
}

// objectText reports whether v, a JSON value's text, is a string whose
// content starts with "{" after white space (written or escaped).
func objectText(v []byte) bool {
	if len(v) < 2 || v[0] != '"' {
		return false
	}
	for i := 1; i < len(v); i++ {
		switch c := v[i]; {
		case c == ' ' || c == '\t':
		case c == '\\' && i+1 < len(v) && (v[i+1] == 'n' || v[i+1] == 'r' || v[i+1] == 't'):
			i++
		default:
			return c == '{'
		}
	}
	return false
}

// ParseTime reads a vendor timestamp: RFC 3339 (any fraction), or the
// space-separated form SIEM exports and Kusto write ("2023-07-26
// 22:58:30.983201900", with or without a zone; without one it is UTC). The
// result is in UTC; values outside 2000–2100 are refused as corrupt.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var t time.Time
	var err error
	for _, layout := range timeLayouts {
		if t, err = time.Parse(layout, s); err == nil {
			break
		}
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("not an RFC 3339 date-time: %q", clipValue(s))
	}
	if t.Before(minVendorTime) || !t.Before(maxVendorTime) {
		return time.Time{}, fmt.Errorf("out of range: %q is not between 2000 and 2100", clipValue(s))
	}
	return t.UTC(), nil
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999 -0700 MST", // Go's own time.String, as some exporters write it
}

var (
	minVendorTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	maxVendorTime = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// maxSniffLines is how many further lines SniffCandidates offers when the
// first record of a file is not recognised (cut short, or a stray line).
const maxSniffLines = 16

// SniffCandidates returns other views of head for a format to recognise
// when head as it is matched none: the record inside a SIEM "message"
// envelope, then head from the start of each of the next lines (each
// followed by its own envelope's record), so that a file is not judged by
// a first line that is broken or foreign.
func SniffCandidates(head []byte) [][]byte {
	var out [][]byte
	if inner, ok := unwrapHeadMessage(head); ok {
		out = append(out, inner)
	}
	rest := head
	for range maxSniffLines {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		rest = rest[i+1:]
		if len(bytes.TrimSpace(rest)) == 0 {
			break
		}
		out = append(out, rest)
		if inner, ok := unwrapHeadMessage(rest); ok {
			out = append(out, inner)
		}
	}
	return out
}

// unwrapHeadMessage finds the first record's "message" string in head
// when it holds a JSON object and returns that object's text, unescaped
// leniently (head may cut it short).
func unwrapHeadMessage(head []byte) ([]byte, bool) {
	line := head
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	i := bytes.Index(line, []byte(`"message"`))
	if i < 0 {
		return nil, false
	}
	v := bytes.TrimLeft(line[i+len(`"message"`):], " \t")
	if len(v) == 0 || v[0] != ':' {
		return nil, false
	}
	v = bytes.TrimLeft(v[1:], " \t")
	if len(v) < 2 || v[0] != '"' || v[1] != '{' {
		return nil, false
	}
	out := make([]byte, 0, len(v))
	for j := 1; j < len(v); j++ {
		c := v[j]
		if c == '"' {
			break
		}
		if c == '\\' && j+1 < len(v) {
			j++
			switch v[j] {
			case 'n', 'r', 't':
				c = ' '
			default:
				c = v[j] // \" \\ \/; \uXXXX keeps the 'u' and the digits, enough for key sniffing
			}
		}
		out = append(out, c)
	}
	return out, true
}

// Loose is an optional text field that tolerates any JSON type: a string
// as itself, a number or boolean as written (LooseString), null as
// absent. An object or array, which the field never holds, is kept as
// unknown: Text stays "" and Unknown is set, for the adapter to name the
// field in Provenance.Unknown rather than reject the record.
type Loose struct {
	Text    string
	Unknown bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (l *Loose) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && (b[0] == '{' || b[0] == '[') {
		l.Unknown = true
		return nil
	}
	var s LooseString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	l.Text = string(s)
	return nil
}

// FieldState pairs a field's name with whether it was kept as unknown.
type FieldState struct {
	Name    string
	Unknown bool
}

// UnknownFields returns the names of the fields kept as unknown, in the
// order given, or nil.
func UnknownFields(fields ...FieldState) []string {
	var out []string
	for _, f := range fields {
		if f.Unknown {
			out = append(out, f.Name)
		}
	}
	return out
}
