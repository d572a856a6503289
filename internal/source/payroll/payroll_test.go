package payroll

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func TestGolden(t *testing.T) {
	sourcetest.RunGolden(t, New())
}

func TestRejections(t *testing.T) {
	sourcetest.CheckRejections(t, New(), "rejects.csv", []sourcetest.Rejected{
		{Line: 3, Field: "effective_date", Reason: `not a date (want YYYY-MM-DD or RFC 3339): "2024-02-30"`},
		{Line: 4, Field: "method", Reason: `"western union" is not a payout method; use one of bank, paypal, payoneer, wise, crypto, other`},
		{Line: 5, Field: "employee_id", Reason: "missing"},
		{Line: 6, Field: "account_fingerprint", Reason: "missing"},
		{Line: 7, Field: "bank_country", Reason: `not an ISO 3166-1 alpha-2 country code: "USA"`},
		{Line: 8, Reason: "row has 5 fields, header has 6"},
	}, 2, 9)
}

func TestParse(t *testing.T) {
	res := sourcetest.DecodeFile(t, New(), filepath.Join("testdata", "payouts.csv"))
	if len(res.Rejections) != 0 || len(res.Events) != 5 {
		t.Fatalf("want 5 events, got %d, rejections %+v", len(res.Events), res.Rejections)
	}
	var got []event.Payout
	for _, e := range res.Events {
		if e.Actor().ID != e.Payout.EmployeeID || !e.Time.Equal(e.Payout.EffectiveDate) {
			t.Errorf("record %d: actor %q / time %v do not match the payout", e.Prov.Record, e.Actor().ID, e.Time)
		}
		got = append(got, *e.Payout)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	want := []event.Payout{
		{EmployeeID: "E1001", EffectiveDate: day(2023, 2, 28), Method: "bank", AccountFingerprint: "9f2c4e1ab37d55e0c1a8", BankCountry: "US", PayeeName: "Alice Nguyen"},
		{EmployeeID: "C2042", EffectiveDate: day(2024, 5, 15), Method: "bank", AccountFingerprint: "4b8e0d2f6a1c93b7e5d0", BankCountry: "US", PayeeName: "Bob Kowalski"},
		{EmployeeID: "C2042", EffectiveDate: day(2024, 7, 1), Method: "payoneer", AccountFingerprint: "77d1a0c3e9b24f5a8c6e", BankCountry: "HK", PayeeName: "Kowalski Bob"},
		{EmployeeID: "E1003", EffectiveDate: day(2024, 6, 30), Method: "wise", AccountFingerprint: "c0ffee1234abcd5678ef", PayeeName: "Dan Okafor"},
		{EmployeeID: "E2077", EffectiveDate: day(2024, 7, 1), Method: "crypto", AccountFingerprint: "77d1a0c3e9b24f5a8c6e", PayeeName: "Lee, Min-jun"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("payouts (-want +got):\n%s", diff)
	}
}

func TestMissingColumn(t *testing.T) {
	res := sourcetest.DecodeBytes(t, New(), "p.csv", []byte("employee_id,effective_date,method\nE1,2024-01-01,bank\n"))
	want := "p.csv:1: CSV header lacks column(s) account_fingerprint, bank_country, payee_name; the payroll format needs the header employee_id,effective_date,method,account_fingerprint,bank_country,payee_name"
	if res.Err != want {
		t.Errorf("error = %q, want %q", res.Err, want)
	}
}

func TestGzipInput(t *testing.T) {
	plain, err := os.ReadFile(filepath.Join("testdata", "payouts.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(plain)
	zw.Close()
	want := sourcetest.DecodeBytes(t, New(), "p.csv", plain)
	got := sourcetest.DecodeBytes(t, New(), "p.csv", buf.Bytes())
	if len(want.Events) != 5 {
		t.Fatalf("fixture decoded to %d events", len(want.Events))
	}
	if diff := cmp.Diff(want, got, sourcetest.CmpOpts); diff != "" {
		t.Errorf("gzip input decodes differently (-plain +gzip):\n%s", diff)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"header", strings.Join(Columns, ",") + "\n", true},
		{"reordered_upper_case", "PAYEE_NAME,Bank_Country,account_fingerprint,method,effective_date,employee_id\r\n", true},
		{"missing_column", "employee_id,effective_date,method,account_fingerprint\n", false},
		{"shipments", "employee_id,asset_tag,asset_serial,shipped_on,ship_to_name,ship_to_address,ship_to_city,ship_to_region,ship_to_postal,ship_to_country\n", false},
		{"json", `[{"employee_id":"E1"}]`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := New().Sniff([]byte(tc.head)); got != tc.want {
				t.Errorf("Sniff = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestHostileInput(t *testing.T) { sourcetest.CheckHostile(t, New()) }
