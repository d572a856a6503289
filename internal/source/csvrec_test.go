package source

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

// csvParse reads columns id and name; name "bad" is a field error, "none" gives no event.
func csvParse(row Row) (*event.Event, error) {
	switch row.Get("name") {
	case "bad":
		return nil, Fieldf("name", "is bad")
	case "none":
		return nil, nil
	}
	return &event.Event{Kind: event.KindPayout, Prov: event.Provenance{ID: row.Get("id") + "/" + row.Get("name")}}, nil
}

func decodeCSVString(t *testing.T, in string) ([]string, error) {
	t.Helper()
	var c collect
	err := DecodeCSV(context.Background(), strings.NewReader(in), "f.csv", "test", []string{"id", "name"}, &c, csvParse)
	for _, e := range c.events {
		if e.Prov.Source() != "test" || e.Prov.File() != "f.csv" || len(e.Prov.Hash) != 24 {
			t.Errorf("record %d: provenance not filled: %+v", e.Prov.Record, e.Prov)
		}
	}
	return c.got(), err
}

func TestDecodeCSV(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr string
	}{
		{name: "empty", in: ""},
		{name: "header_only", in: "id,name\n"},
		{name: "rows", in: "id,name\n1,a\n2,b\n", want: []string{"1@2 id=1/a", "2@3 id=2/b"}},
		{name: "columns_any_order_extra_ignored", in: "extra,NAME,Id\nx,a,1\n", want: []string{"1@2 id=1/a"}},
		{name: "bom_and_crlf", in: "\ufeffid,name\r\n1,a\r\n", want: []string{"1@2 id=1/a"}},
		{name: "values_trimmed", in: "id,name\n 1 , a \n", want: []string{"1@2 id=1/a"}},
		{name: "blank_lines_skipped", in: "id,name\n\n1,a\n\n2,b\n", want: []string{"1@3 id=1/a", "2@5 id=2/b"}},
		{name: "quoted_multiline_field", in: "id,name\n1,\"a\nb\"\n2,c\n", want: []string{"1@2 id=1/a\nb", "2@4 id=2/c"}},
		{name: "wrong_width", in: "id,name\n1,a,extra\n2\n3,c\n",
			want: []string{"1@2 rejected: row has 3 fields, header has 2", "2@3 rejected: row has 1 fields, header has 2", "3@4 id=3/c"}},
		{name: "bare_quote_rejected_not_panic", in: "id,name\nx\"y,z\n2,b\n",
			want: []string{`1@2 rejected: bare " in non-quoted-field`, "2@3 id=2/b"}},
		{name: "field_error", in: "id,name\n1,bad\n2,b\n", want: []string{"1@2 rejected field=name: is bad", "2@3 id=2/b"}},
		{name: "no_event", in: "id,name\n1,none\n", want: []string{"1@2 rejected: record produced no event"}},
		{name: "missing_column", in: "id,nom\n1,a\n",
			wantErr: "f.csv:1: CSV header lacks column(s) name; the test format needs the header id,name"},
		{name: "unterminated_quote", in: "id,name\n1,\"a\n2,b\n",
			want: []string{`1@2 rejected: extraneous or missing " in quoted-field`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeCSVString(t, tc.in)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("DecodeCSV: %v", err)
			}
			if tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr) {
				t.Errorf("DecodeCSV error = %v, want %q", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeCSVRecordTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates MaxRecordSize")
	}
	in := "id,name\n1,a\n2,\"" + strings.Repeat("x", MaxRecordSize+1<<20) + "\n3,c\n"
	got, err := decodeCSVString(t, in)
	if !errors.Is(err, errCSVRecordTooLarge) {
		t.Errorf("error = %v, want errCSVRecordTooLarge", err)
	}
	want := []string{"1@2 id=1/a", fmt.Sprintf("2@0 rejected: CSV record larger than %d bytes", MaxRecordSize)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestDecodeCSVCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var c collect
	err := DecodeCSV(ctx, strings.NewReader("id,name\n1,a\n"), "f.csv", "test", []string{"id", "name"}, &c, csvParse)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func TestSniffCSVHeader(t *testing.T) {
	req := []string{"employee_id", "method"}
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"exact", "employee_id,method\nE1,bank\n", true},
		{"any_order_extra_columns", "method,x,employee_id\n", true},
		{"upper_case_quoted_bom_crlf", "\ufeff\"EMPLOYEE_ID\",\"Method\"\r\nE1,bank", true},
		{"header_without_newline", "employee_id,method", true},
		{"spaces_around_names", " employee_id , method \n", true},
		{"missing_column", "employee_id,methods\n", false},
		{"column_only_in_second_line", "id\nemployee_id,method\n", false},
		{"json", `[{"employee_id":1,"method":"bank"}]`, false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SniffCSVHeader([]byte(tc.head), req); got != tc.want {
				t.Errorf("SniffCSVHeader(%q) = %v, want %v", tc.head, got, tc.want)
			}
		})
	}
}
