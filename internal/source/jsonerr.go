package source

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	gojson "github.com/goccy/go-json"
)

// UnmarshalError turns an error from encoding/json or goccy/go-json
// Unmarshal into a record error: a value of the wrong JSON type becomes a
// FieldError naming the field's JSON path (as the input spells it), without
// the Go type names the libraries put in their messages; a syntax error
// becomes "malformed JSON: …". Other errors pass through. nil stays nil.
func UnmarshalError(err error) error {
	if err == nil {
		return nil
	}
	var std *json.UnmarshalTypeError
	if errors.As(err, &std) {
		return typeError(std.Field, std.Value, std.Type)
	}
	var gte *gojson.UnmarshalTypeError
	if errors.As(err, &gte) {
		return typeError(gte.Field, gte.Value, gte.Type)
	}
	var se *json.SyntaxError
	var gse *gojson.SyntaxError
	if errors.As(err, &se) || errors.As(err, &gse) {
		return fmt.Errorf("malformed JSON: %w", err)
	}
	return err
}

func typeError(field, got string, want reflect.Type) error {
	if field == "" {
		field = "(record)"
	}
	return &FieldError{Field: field, Err: fmt.Errorf("expected %s, got JSON %s", jsonKind(want), got)}
}

// jsonKind names the JSON type that decodes into t.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a non-negative integer in range"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "another type"
}
