package shipments

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
		{Line: 3, Field: "shipped_on", Reason: "missing"},
		{Line: 4, Field: "shipped_on", Reason: `not a date (want YYYY-MM-DD or RFC 3339): "20/03/2024"`},
		{Line: 5, Field: "employee_id", Reason: "missing"},
		{Line: 6, Field: "ship_to_country", Reason: `not an ISO 3166-1 alpha-2 country code: "Narnia"`},
		{Line: 7, Reason: "row has 5 fields, header has 10"},
	}, 2, 8)
}

func TestParse(t *testing.T) {
	res := sourcetest.DecodeFile(t, New(), filepath.Join("testdata", "shipments.csv"))
	if len(res.Rejections) != 0 || len(res.Events) != 4 {
		t.Fatalf("want 4 events, got %d, rejections %+v", len(res.Events), res.Rejections)
	}
	got := res.Events[2]
	day := time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)
	want := &event.Event{Kind: event.KindShipment, Time: day, Prov: got.Prov, Account: &event.Actor{ID: "E2077"},
		Shipment: &event.Shipment{EmployeeID: "E2077", AssetTag: "LT-00978", AssetSerial: "C02GQ3ACMD6T", ShippedOn: day, ShipToName: "M. Lee",
			ShipTo: event.Address{Type: "ship_to", Street: "2200 W Belmont Ave, Apt 3", Locality: "Chicago", Region: "IL", PostalCode: "60618", Country: "US"}}}
	if diff := cmp.Diff(want, got, sourcetest.CmpOpts); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	if ts := res.Events[3].Time; !ts.Equal(time.Date(2024, 6, 3, 20, 30, 0, 0, time.UTC)) {
		t.Errorf("RFC 3339 shipped_on read as %v", ts)
	}
}

func TestGzipInput(t *testing.T) {
	plain, err := os.ReadFile(filepath.Join("testdata", "shipments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(plain)
	zw.Close()
	want := sourcetest.DecodeBytes(t, New(), "s.csv", plain)
	got := sourcetest.DecodeBytes(t, New(), "s.csv", buf.Bytes())
	if len(want.Events) != 4 {
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
		{"quoted_extra_column", `"note",` + strings.Join(Columns, ",") + "\n", true},
		{"payroll", "employee_id,effective_date,method,account_fingerprint,bank_country,payee_name\n", false},
		{"missing_country", "employee_id,asset_tag,asset_serial,shipped_on,ship_to_name,ship_to_address,ship_to_city,ship_to_region,ship_to_postal\n", false},
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
