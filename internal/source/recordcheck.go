package source

import (
	"bytes"
	"errors"
	"reflect"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

// parseChecked runs parse over one JSON record after the checks every
// format shares: a SIEM "message" envelope is opened (UnwrapMessage); a
// record that names an identity field twice in one object is rejected
// (decoders silently keep the last value, so "actor" could say one thing to
// an analyst's jq and another to rollcall); NUL characters in the event's
// text are replaced (SanitizeEvent).
func parseChecked(raw []byte, parse ParseFunc) (*event.Event, error) {
	raw, _ = UnwrapMessage(raw)
	if key := duplicateIdentityKey(raw); key != "" {
		return nil, Fieldf(key, "duplicated in one object: a record that names an identity field twice is ambiguous and is not read")
	}
	ev, err := parse(raw)
	if err == nil && ev == nil {
		err = errors.New("record produced no event")
	}
	if err != nil {
		return nil, err
	}
	if bytes.Contains(raw, []byte(`\u0000`)) || bytes.IndexByte(raw, 0) >= 0 {
		SanitizeEvent(ev)
	}
	return ev, nil
}

// identityKeys are the member names (lower case) that say who or what a
// record is about, in any format: a duplicate of one of them rejects the
// record.
var identityKeys = map[string]bool{
	"id": true, "uuid": true, "actor": true, "actor_id": true, "alternateid": true, "login": true,
	"email": true, "emails": true, "username": true, "userprincipalname": true, "userid": true,
	"employeenumber": true, "externalid": true, "hostidentifier": true, "hostname": true,
	"principalemail": true, "profileid": true, "serviceprincipalid": true, "external_identity_nameid": true,
	"candidate_id": true, "employee_id": true, "hardware_serial": true,
}

// duplicateIdentityKey returns the first identity member name that occurs
// twice in one object of the JSON text raw (at any depth, case ignored),
// or "". It only looks at keys; raw need not be valid JSON. It does not
// allocate for records of ordinary depth.
func duplicateIdentityKey(raw []byte) string {
	type seen struct{ depth, start, end int } // an identity key of the object at depth
	var objBuf [32]bool                       // per open bracket: is it an object?
	var seenBuf [16]seen
	objs, keys := objBuf[:0], seenBuf[:0]
	expectKey := false
	for i := 0; i < len(raw); i++ {
		for i < len(raw) && !jsonStructural[raw[i]] {
			i++
		}
		if i == len(raw) {
			break
		}
		switch raw[i] {
		case '{':
			objs = append(objs, true)
			expectKey = true
		case '[':
			objs = append(objs, false)
			expectKey = false
		case '}', ']':
			if len(objs) > 0 {
				objs = objs[:len(objs)-1]
			}
			for len(keys) > 0 && keys[len(keys)-1].depth > len(objs) {
				keys = keys[:len(keys)-1]
			}
			expectKey = false
		case ',':
			expectKey = len(objs) > 0 && objs[len(objs)-1]
		case '"':
			end := stringEnd(raw, i+1)
			if expectKey && end < len(raw) && isIdentityKey(raw[i+1:end]) {
				key, d := raw[i+1:end], len(objs)
				for _, k := range keys {
					if k.depth == d && bytes.EqualFold(raw[k.start:k.end], key) {
						return string(key)
					}
				}
				keys = append(keys, seen{d, i + 1, end})
			}
			expectKey = false
			i = end
		}
	}
	return ""
}

// stringEnd returns the index of the quote that closes the string whose
// content starts at b[i], or len(b).
func stringEnd(b []byte, i int) int {
	for {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return len(b)
		}
		j += i
		n := 0
		for k := j - 1; k >= i && b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return j
		}
		i = j + 1
	}
}

// jsonStructural marks the bytes duplicateIdentityKey acts on.
var jsonStructural = [256]bool{'{': true, '}': true, '[': true, ']': true, ',': true, '"': true}

// identityKeyShapes has bit c-'a' of entry n set when an identity key of
// length n starts with letter c (either case): most keys fail this test
// before the map lookup.
var identityKeyShapes = func() (shapes [32]uint32) {
	for k := range identityKeys {
		shapes[len(k)] |= 1 << (k[0] - 'a')
	}
	return shapes
}()

// isIdentityKey reports whether key, in any case, is in identityKeys.
func isIdentityKey(key []byte) bool {
	var lower [32]byte
	if len(key) == 0 || len(key) >= len(lower) {
		return false
	}
	c := key[0] | 0x20 // lower case of a letter; other bytes fail below
	if c < 'a' || c > 'z' || identityKeyShapes[len(key)]&(1<<(c-'a')) == 0 {
		return false
	}
	for j, c := range key {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[j] = c
	}
	return identityKeys[string(lower[:len(key)])] // looked up without allocating
}

// SanitizeEvent replaces every NUL character in the event's text with
// U+FFFD. PostgreSQL refuses NUL in text (and SQLite truncates C strings
// at it), so both stores see the same, storable event; the replacement
// stays visible to an analyst.
func SanitizeEvent(ev *event.Event) {
	sanitizeValue(reflect.ValueOf(ev).Elem())
}

func sanitizeValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); strings.IndexByte(s, 0) >= 0 && v.CanSet() {
			v.SetString(stripNUL(s))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			sanitizeValue(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				sanitizeValue(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			sanitizeValue(v.Index(i))
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String || v.Type().Elem().Kind() != reflect.String {
			return // the event's maps are all string to string
		}
		for _, k := range v.MapKeys() {
			ks, vs := k.String(), v.MapIndex(k).String()
			if strings.IndexByte(ks, 0) < 0 && strings.IndexByte(vs, 0) < 0 {
				continue
			}
			v.SetMapIndex(k, reflect.Value{})
			v.SetMapIndex(reflect.ValueOf(stripNUL(ks)), reflect.ValueOf(stripNUL(vs)))
		}
	}
}

func stripNUL(s string) string { return strings.ReplaceAll(s, "\x00", "\uFFFD") }

// sanitizeRejection replaces NUL characters in a rejection's text, which
// quotes field names and values from the record.
func sanitizeRejection(r Rejection) Rejection {
	r.Reason, r.Field = stripNUL(r.Reason), stripNUL(r.Field)
	return r
}

// nullValue consumes a JSON null at the scanner and reports whether there
// was one; anything else is left unread.
func (s *jsonScanner) nullValue() bool {
	for s.end-s.pos < 4 && s.more() {
	}
	if !bytes.HasPrefix(s.buf[s.pos:s.end], []byte("null")) {
		return false
	}
	s.keep(s.buf[s.pos : s.pos+4])
	s.pos += 4
	return true
}

// secondLineIsRecord reports whether the buffered line after the first is
// a whole JSON object: the file is NDJSON whose first line is broken (cut
// short by log rotation, or truncated by hand), and its other lines must
// still be read one by one.
func (s *jsonScanner) secondLineIsRecord() bool {
	lines := s.peekLines(4)
	for _, l := range lines[min(1, len(lines)):] {
		if t := bytes.TrimSpace(l); len(t) > 0 {
			return t[0] == '{' && looksLikeOneLine(t)
		}
	}
	return false
}

// peekLines returns up to n lines from the read position without consuming
// them: fewer at the end of input or when the buffer is full. The last may
// be incomplete at the end of input.
func (s *jsonScanner) peekLines(n int) [][]byte {
	for {
		var lines [][]byte
		rest := s.buf[s.pos:s.end]
		for len(lines) < n {
			i := bytes.IndexByte(rest, '\n')
			if i < 0 {
				break
			}
			lines = append(lines, rest[:i])
			rest = rest[i+1:]
		}
		if len(lines) == n || !s.more() {
			if len(lines) < n && len(rest) > 0 && s.err != nil {
				lines = append(lines, rest)
			}
			return lines
		}
	}
}
