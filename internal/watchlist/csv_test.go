package watchlist

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/policy"
)

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []policy.Burned
		wantErr string
	}{
		{
			name: "entries_normalised_and_deduplicated",
			in: "\ufeffkind,value,case,person,added\n" +
				"Payout, 5D41402ABC4B2A76B9719D911017C592 ,case 12,E4410,2025-04-02T00:00:00Z\n" +
				"phone,+12535550143,ISAC share 2025-17,,2025-04-03\n" +
				"payout,5d41402abc4b2a76b9719d911017c592,case 12,E4410,2025-04-02T00:00:00Z\n",
			want: []policy.Burned{
				{Kind: "payout", Value: "5d41402abc4b2a76b9719d911017c592", Case: "case 12", Person: "E4410", Added: time.Date(2025, 4, 2, 0, 0, 0, 0, time.UTC)},
				{Kind: "phone", Value: "2535550143", Case: "ISAC share 2025-17", Added: time.Date(2025, 4, 3, 0, 0, 0, 0, time.UTC)}, // rollcall's phone key: the last ten digits
			},
		},
		{name: "header_only", in: "kind,value,case,person,added\n"},
		{name: "empty", in: "", wantErr: `watchlist "w.csv": empty file`},
		{name: "wrong_header", in: "type,value\nphone,1\n", wantErr: `watchlist "w.csv" line 1: header "type,value"`},
		{name: "unknown_kind", in: "kind,value,case,person,added\nfax,123,,,\n", wantErr: `line 2 field kind: "fax"`},
		{name: "empty_value", in: "kind,value,case,person,added\nphone, ,,,\n", wantErr: "line 2 field value: empty"},
		{name: "bad_time", in: "kind,value,case,person,added\nip,203.0.113.9,,,yesterday\n", wantErr: `line 2 field added: "yesterday"`},
		{name: "short_phone", in: "kind,value,case,person,added\nphone,0143,,,\n", wantErr: `line 2 field value: "0143" is no phone rollcall can compare`},
		{name: "bad_ip", in: "kind,value,case,person,added\nip,203.0.113,,,\n", wantErr: `line 2 field value: "203.0.113" is no ip`},
		{name: "short_row", in: "kind,value,case,person,added\nip,203.0.113.9\n", wantErr: "wrong number of fields"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tc.in), "w.csv")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
