package source

import (
	"bytes"
	"strings"
)

// SniffJSONKeys returns the top-level keys, lower-cased, of the first JSON
// record in head: the first element of a top-level array, the first object
// of NDJSON, or, when the first object has an array under one of
// wrapperKeys or EnvelopeKeys (case-insensitive), that array's first
// element. A head cut off inside the record gives the keys seen up to the
// cut. ok is false when head, after a byte-order mark and whitespace,
// starts with neither '[' nor '{' or holds no object.
func SniffJSONKeys(head []byte, wrapperKeys ...string) (keys map[string]bool, ok bool) {
	wrapperKeys = append(wrapperKeys[:len(wrapperKeys):len(wrapperKeys)], EnvelopeKeys...)
	s := newJSONScannerBytes(head, 1)
	s.skipBOM()
	c, more := s.skipSpace()
	if !more {
		return nil, false
	}
	if c == '[' {
		s.advance()
		if c, more = s.skipSpace(); !more || c != '{' {
			return nil, false
		}
	}
	if c != '{' {
		return nil, false
	}
	keys = map[string]bool{}
	inner := sniffObjectKeys(s, keys, wrapperKeys)
	if inner != nil {
		return inner, true
	}
	return keys, true
}

// sniffObjectKeys reads the keys of the object at the scanner into keys.
// When a wrapper key holds an array whose first element is an object, it
// returns that element's keys instead.
func sniffObjectKeys(s *jsonScanner, keys map[string]bool, wrapperKeys []string) map[string]bool {
	s.advance() // '{'
	var key []byte
	for n := 0; ; n++ {
		c, ok := s.skipSpace()
		if !ok || c == '}' {
			return nil
		}
		if n > 0 {
			if c != ',' {
				return nil
			}
			s.advance()
			if c, ok = s.skipSpace(); !ok {
				return nil
			}
		}
		if c != '"' {
			return nil
		}
		s.advance()
		key = key[:0]
		if s.stringRest(&key) != nil {
			return nil
		}
		keys[strings.ToLower(string(key))] = true
		if c, ok = s.skipSpace(); !ok || c != ':' {
			return nil
		}
		s.advance()
		if c, ok = s.skipSpace(); !ok {
			return nil
		}
		if c == '[' && isOneOfFold(key, wrapperKeys) {
			s.advance()
			c, ok = s.skipSpace()
			switch {
			case ok && c == '{':
				inner := map[string]bool{}
				sniffObjectKeys(s, inner, nil)
				return inner
			case ok && c == ']': // empty wrapper: read on
				s.advance()
				continue
			}
			return nil
		}
		if s.value() != nil {
			return nil
		}
	}
}

func isOneOfFold(b []byte, list []string) bool {
	for _, w := range list {
		if bytes.EqualFold(b, []byte(w)) {
			return true
		}
	}
	return false
}
