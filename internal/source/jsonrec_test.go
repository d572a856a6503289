package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

// collect is a Sink that keeps everything, in order.
type collect struct {
	events []*event.Event
	rejs   []Rejection
}

func (c *collect) Event(e *event.Event) { c.events = append(c.events, e) }
func (c *collect) Reject(r Rejection)   { c.rejs = append(c.rejs, r) }

// got is what a test compares: one line per record, in order of delivery.
func (c *collect) got() []string {
	var out []string
	ei, ri := 0, 0
	for ei < len(c.events) || ri < len(c.rejs) {
		if ri >= len(c.rejs) || (ei < len(c.events) && c.events[ei].Prov.Record < c.rejs[ri].Record) {
			e := c.events[ei]
			out = append(out, fmt.Sprintf("%d@%d id=%s", e.Prov.Record, e.Prov.Line, e.Prov.ID))
			ei++
			continue
		}
		r := c.rejs[ri]
		s := fmt.Sprintf("%d@%d rejected", r.Record, r.Line)
		if r.Field != "" {
			s += " field=" + r.Field
		}
		out = append(out, s+": "+r.Reason)
		ri++
	}
	return out
}

// testParse reads {"id": …}; a "bad" key is a field error, "none" gives no event.
func testParse(raw []byte) (*event.Event, error) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	if _, ok := m["bad"]; ok {
		return nil, Fieldf("bad", "is bad")
	}
	if _, ok := m["none"]; ok {
		return nil, nil
	}
	return &event.Event{Kind: event.KindAudit, Prov: event.Provenance{ID: fmt.Sprint(m["id"])}}, nil
}

func decodeString(t *testing.T, in string, keys []string) ([]string, error) {
	t.Helper()
	var c collect
	err := DecodeJSON(context.Background(), strings.NewReader(in), "f.json", "test", keys, &c, testParse)
	for _, e := range c.events {
		if e.Prov.Source() != "test" || e.Prov.File() != "f.json" || len(e.Prov.Hash) != 24 {
			t.Errorf("record %d: provenance not filled: %+v", e.Prov.Record, e.Prov)
		}
	}
	return c.got(), err
}

func TestDecodeJSON(t *testing.T) {
	wrap := []string{"Resources", "value"}
	tests := []struct {
		name    string
		in      string
		keys    []string
		want    []string
		wantErr string
	}{
		{name: "empty", in: "", want: nil},
		{name: "whitespace_only", in: " \n\t\n", want: nil},
		{name: "array", in: `[{"id":1},{"id":2}]`, want: []string{"1@1 id=1", "2@1 id=2"}},
		{name: "empty_array", in: `[]`, want: nil},
		{name: "array_pretty_lines", in: "[\n  {\"id\": 1},\n  {\n    \"id\": 2\n  }\n]\n",
			want: []string{"1@2 id=1", "2@3 id=2"}},
		{name: "array_leading_blank_lines", in: "\n\n[\n{\"id\":1}]",
			want: []string{"1@4 id=1"}},
		{name: "array_trailing_comma", in: `[{"id":1},]`, want: []string{"1@1 id=1"}},
		{name: "array_strings_with_brackets", in: `[{"id":"a]}\"["},{"id":2}]`,
			want: []string{`1@1 id=a]}"[`, "2@1 id=2"}},
		{name: "arrays_one_after_another", in: "[{\"id\":1}]\n[{\"id\":2}]",
			want: []string{"1@1 id=1", "2@2 id=2"}},
		{name: "array_non_object_element", in: `[{"id":1}, 7, "x", null]`,
			want: []string{"1@1 id=1", "2@1 rejected: json: cannot unmarshal number into Go value of type map[string]interface {}",
				"3@1 rejected: json: cannot unmarshal string into Go value of type map[string]interface {}", "4@1 id=<nil>"}},
		{name: "ndjson", in: "{\"id\":1}\n{\"id\":2}\n", want: []string{"1@1 id=1", "2@2 id=2"}},
		{name: "ndjson_crlf_and_blank_lines", in: "{\"id\":1}\r\n\r\n{\"id\":2}\r\n",
			want: []string{"1@1 id=1", "2@3 id=2"}},
		{name: "ndjson_no_trailing_newline", in: "{\"id\":1}\n{\"id\":2}", want: []string{"1@1 id=1", "2@2 id=2"}},
		{name: "ndjson_leading_blank_lines", in: "\n\n{\"id\":1}\n{\"id\":2}\n", want: []string{"1@3 id=1", "2@4 id=2"}},
		{name: "ndjson_bom", in: "\ufeff{\"id\":1}\n", want: []string{"1@1 id=1"}},
		{name: "ndjson_malformed_line_in_middle", in: "{\"id\":1}\n{\"id\":2,,}\n{\"id\":3}\n",
			want: []string{"1@1 id=1", "2@2 rejected: malformed JSON: invalid character ',' looking for beginning of object key string", "3@3 id=3"}},
		{name: "ndjson_truncated_line_in_middle", in: "{\"id\":1}\n{\"id\":\"x\n{\"id\":3}\n",
			want: []string{"1@1 id=1", "2@2 rejected: malformed JSON: unexpected end of JSON input", "3@3 id=3"}},
		{name: "ndjson_first_line_broken", in: "{\"id\":1,,}\n{\"id\":2}\n",
			want: []string{"1@1 rejected: malformed JSON: invalid character ',' looking for beginning of object key string", "2@2 id=2"}},
		{name: "ndjson_first_line_truncated", in: "{\"id\":1,\"x\":\n{\"id\":2}\n{\"id\":3}\n",
			want: []string{"1@1 rejected: malformed JSON: unexpected end of JSON input", "2@2 id=2", "3@3 id=3"}},
		{name: "ndjson_first_line_unterminated_string", in: "{\"id\":\"x\n\n{\"id\":2}\n",
			want: []string{"1@1 rejected: malformed JSON: unexpected end of JSON input", "2@3 id=2"}},
		{name: "pretty_objects_not_ndjson", in: "{\n  \"id\": 1\n}\n{\n  \"id\": 2\n}\n",
			want: []string{"1@1 id=1", "2@4 id=2"}},
		{name: "ndjson_garbage_line", in: "{\"id\":1}\nnot json\n{\"id\":3}\n",
			want: []string{"1@1 id=1", "2@2 rejected: malformed JSON: invalid character 'o' in literal null (expecting 'u')", "3@3 id=3"}},
		{name: "ndjson_field_error", in: "{\"id\":1}\n{\"bad\":1}\n",
			want: []string{"1@1 id=1", "2@2 rejected field=bad: is bad"}},
		{name: "ndjson_no_event", in: "{\"none\":1}\n", want: []string{"1@1 rejected: record produced no event"}},
		{name: "ndjson_array_line", in: "[{\"id\":1},{\"id\":2}]\n[{\"id\":3}]\n",
			want: []string{"1@1 id=1", "2@1 id=2", "3@2 id=3"}},
		{name: "ndjson_wrapper_lines", keys: wrap, in: "{\"schemas\":[],\"Resources\":[{\"id\":1},{\"id\":2}]}\n{\"id\":3}\n{\"value\":[{\"id\":4}]}\n",
			want: []string{"1@1 id=1", "2@1 id=2", "3@2 id=3", "4@3 id=4"}},
		{name: "ndjson_wrapper_broken_line", keys: wrap, in: "{\"value\":[{\"id\":1},}\n{\"id\":2}\n",
			want: []string{"1@1 id=1", "2@1 rejected: malformed JSON: unexpected '}' where a JSON value should start", "3@2 id=2"}},
		{name: "ndjson_mentions_key_but_not_wrapper", keys: wrap, in: "{\"id\":1,\"x\":{\"value\":[1]}}\n{\"id\":2,\"value\":\"v\"}\n",
			want: []string{"1@1 id=1", "2@2 id=2"}},
		{name: "wrapper_pretty", keys: wrap, in: "{\n  \"schemas\": [\"urn:x\"],\n  \"totalResults\": 2,\n  \"Resources\": [\n    {\"id\": 1},\n    {\"id\": 2}\n  ]\n}\n",
			want: []string{"1@5 id=1", "2@6 id=2"}},
		{name: "wrapper_key_case_insensitive", keys: wrap, in: "{\n \"resources\": [{\"id\": 1}]}",
			want: []string{"1@2 id=1"}},
		{name: "wrapper_key_not_array_is_record", keys: wrap, in: "{\n \"Resources\": 5, \"id\": 9\n}",
			want: []string{"1@1 id=9"}},
		{name: "single_pretty_object", in: "{\n  \"id\": 1,\n  \"nested\": {\"a\": [1, 2]}\n}\n",
			want: []string{"1@1 id=1"}},
		{name: "pretty_objects_one_after_another", in: "{\n \"id\": 1\n}\n{\n \"id\": 2\n}\n",
			want: []string{"1@1 id=1", "2@4 id=2"}},
		{name: "array_missing_comma", in: "[{\"id\":1}\n{\"id\":2}]",
			want:    []string{"1@1 id=1", "2@2 rejected: malformed JSON: unexpected '{' after an array element (expected ',' or ']')"},
			wantErr: "f.json:2: malformed JSON, rest of file not read"},
		{name: "array_truncated", in: "[{\"id\":1},\n{\"id\":",
			want:    []string{"1@1 id=1", "2@2 rejected: malformed JSON: unexpected end of input inside a JSON value"},
			wantErr: "f.json:2: malformed JSON, rest of file not read"},
		{name: "array_unclosed", in: "[{\"id\":1}",
			want:    []string{"1@1 id=1", "2@1 rejected: malformed JSON: unexpected end of input inside a JSON value"},
			wantErr: "malformed JSON, rest of file not read"},
		{name: "array_newline_in_string", in: "[{\"id\":\"a\nb\"}]",
			want:    []string{"1@1 rejected: malformed JSON: newline inside a JSON string"},
			wantErr: "f.json:1: malformed JSON"},
		{name: "trailing_garbage", in: "[{\"id\":1}] x",
			want:    []string{"1@1 id=1", "2@1 rejected: malformed JSON: unexpected 'x' at top level (expected '[' or '{')"},
			wantErr: "rest of file not read"},
		{name: "not_json", in: "id,name\n1,a\n", wantErr: `f.json:1: not JSON: starts with 'i'`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeString(t, tc.in, tc.keys)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("DecodeJSON: %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("DecodeJSON error = %v, want one containing %q", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeJSONRawBytes(t *testing.T) {
	// The parser sees exactly the record's bytes; the hash is over them.
	in := "[\n {\"id\": 1,\n  \"x\": [ 1 , 2 ]},\n {\"id\":2}\n]"
	var raws []string
	parse := func(raw []byte) (*event.Event, error) {
		raws = append(raws, string(raw))
		return &event.Event{Kind: event.KindAudit}, nil
	}
	var c collect
	if err := DecodeJSON(context.Background(), strings.NewReader(in), "f", "t", nil, &c, parse); err != nil {
		t.Fatal(err)
	}
	want := []string{"{\"id\": 1,\n  \"x\": [ 1 , 2 ]}", `{"id":2}`}
	if diff := cmp.Diff(want, raws); diff != "" {
		t.Errorf("raw records (-want +got):\n%s", diff)
	}
	if got, want := c.events[0].Prov.Hash, RecordHash([]byte(want[0])); got != want {
		t.Errorf("hash = %s, want %s", got, want)
	}
}

func TestDecodeJSONOneByteReads(t *testing.T) {
	// Framing must not depend on how the reader splits the input.
	in := "\ufeff{\n \"Resources\": [{\"id\": \"a\\\"]\"},\n {\"id\": 2}]\n}\n"
	var c collect
	r := iotest.OneByteReader(strings.NewReader(in))
	if err := DecodeJSON(context.Background(), r, "f.json", "test", []string{"Resources"}, &c, testParse); err != nil {
		t.Fatal(err)
	}
	want := []string{`1@2 id=a"]`, "2@3 id=2"}
	if diff := cmp.Diff(want, c.got()); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestDecodeJSONReadError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("{\"id\":1}\n{\"id\":2}\n"), iotest.ErrReader(boom))
	var c collect
	err := DecodeJSON(context.Background(), r, "f.json", "test", nil, &c, testParse)
	if !errors.Is(err, boom) {
		t.Errorf("error = %v, want it to wrap %v", err, boom)
	}
	if got := len(c.events); got != 2 {
		t.Errorf("%d events before the read error, want 2", got)
	}
}

func TestDecodeJSONCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var c collect
	err := DecodeJSON(ctx, strings.NewReader("{\"id\":1}\n"), "f.json", "test", nil, &c, testParse)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func TestDecodeJSONOversizedRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates MaxRecordSize")
	}
	big := `{"id":"` + strings.Repeat("x", MaxRecordSize) + `"}`
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"ndjson_long_line", "{\"id\":1}\n" + big + "\n{\"id\":3}\n",
			[]string{"1@1 id=1", fmt.Sprintf("2@2 rejected: line longer than %d bytes", MaxRecordSize), "3@3 id=3"}},
		{"array_large_element", "[{\"id\":1},\n" + big + ",\n{\"id\":3}]",
			[]string{"1@1 id=1", fmt.Sprintf("2@2 rejected: record larger than %d bytes", MaxRecordSize), "3@3 id=3"}},
		{"single_large_object", "{\n\"x\": " + big + "}",
			[]string{fmt.Sprintf("1@1 rejected: record larger than %d bytes", MaxRecordSize)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeString(t, tc.in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeJSONDeepNesting(t *testing.T) {
	// Nesting costs the framer nothing; the parser rejects the record.
	deep := strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000)
	got, err := decodeString(t, "[{\"id\":1},"+deep+",{\"id\":3}]", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != "1@1 id=1" || got[2] != "3@1 id=3" || !strings.Contains(got[1], "rejected") {
		t.Errorf("records = %.200q", got)
	}
}

func TestOpenGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("{\"id\":1}\n{\"id\":2}\n"))
	zw.Close()
	f, err := NewFile("f.json.gz", &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head, err := f.Head()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(head, []byte(`{"id":1}`)) {
		t.Errorf("head = %q, want decompressed content", head)
	}
	var c collect
	if err := DecodeJSON(context.Background(), f, "f.json.gz", "test", nil, &c, testParse); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"1@1 id=1", "2@2 id=2"}, c.got()); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestOpenBrokenGzip(t *testing.T) {
	_, err := NewFile("f.gz", bytes.NewReader([]byte{0x1f, 0x8b, 0, 0}))
	if err == nil || !strings.Contains(err.Error(), `opening "f.gz": gzip`) {
		t.Errorf("error = %v, want a gzip error naming the file", err)
	}
	if _, err := Open("/nonexistent/rollcall-input"); err == nil {
		t.Error("Open of a missing file succeeded")
	}
}

func TestContainsAnyFoldQuoted(t *testing.T) {
	keys := []string{"records", "Message", "value"}
	for _, tc := range []struct {
		line string
		want bool
	}{
		{`{"records":[{"a":1}]}`, true},
		{`{"@timestamp":"x","MESSAGE":"{}"}`, true},
		{`{"a":"value"}`, true}, // a value that looks like a key may wrap: the framer checks further
		{`{"messages":1,"record":2}`, false},
		{`{"a":"b"}`, false},
		{`"value`, false}, // cut off before the closing quote
		{``, false},
	} {
		if got := containsAnyFoldQuoted([]byte(tc.line), keys); got != tc.want {
			t.Errorf("containsAnyFoldQuoted(%s) = %v, want %v", tc.line, got, tc.want)
		}
	}
}
