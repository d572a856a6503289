package source

import (
	"bytes"
	"encoding/json"
	"errors"
)

// LooseString decodes any JSON scalar as text: a string as itself, a
// number or boolean as written, null as "". An object or array decodes as
// "" instead of failing. It is for vendor fields that are documented as
// "not a data contract" and change type between releases (Okta debugData).
type LooseString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *LooseString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || b[0] == '{' || b[0] == '[' || bytes.Equal(b, []byte("null")):
		*s = ""
	case b[0] == '"':
		v, err := unquote(b)
		if err != nil {
			return err
		}
		*s = LooseString(v)
	default:
		*s = LooseString(b)
	}
	return nil
}

// IntString decodes an identifier that a vendor writes as a JSON integer
// (Greenhouse ids) or, in some exports, as a string of digits. null is "".
type IntString string

// ErrNotInteger is what IntString's UnmarshalJSON returns for a value that
// is not an integer; the JSON libraries pass it through unwrapped, without
// the field's name.
var ErrNotInteger = errors.New("expected an integer id")

// UnmarshalJSON implements json.Unmarshaler.
func (s *IntString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*s = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		v, err := unquote(b)
		if err != nil {
			return err
		}
		b = []byte(v)
	}
	if !isInteger(b) {
		return ErrNotInteger
	}
	*s = IntString(b)
	return nil
}

// isInteger reports whether b is an optionally signed run of 1 to 20 digits.
func isInteger(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 20 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// unquote decodes a JSON string literal, fast when it has no escapes.
func unquote(b []byte) (string, error) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", errors.New("malformed JSON string")
	}
	inner := b[1 : len(b)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(bytes.ToValidUTF8(inner, []byte("\uFFFD"))), nil
	}
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return "", err
	}
	return v, nil
}
