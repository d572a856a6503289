package address

import (
	"testing"

	"github.com/rollcall/rollcall/internal/event"
)

func TestInferCountry(t *testing.T) {
	tests := []struct {
		name string
		addr event.Address
		want string
	}{
		{"country_given", event.Address{Formatted: "1 Main St, Austin, TX 78701, US"}, "US"},
		{"us_state_and_zip", event.Address{Formatted: "5322 Adams Dr\nOmaha, NE 68109"}, "US"},
		{"zip_plus_four", event.Address{Region: "mo", PostalCode: "64112-1234"}, "US"},
		{"canadian_province_and_postal_code", event.Address{Region: "ON", PostalCode: "M5V 2T6"}, "CA"},
		{"california_code_with_a_zip", event.Address{Region: "CA", PostalCode: "28013"}, "US"},
		{"spanish_postcode_and_a_region_name", event.Address{Region: "Madrid", PostalCode: "28013"}, ""},
		{"nothing", event.Address{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := InferCountry(tt.addr); got != tt.want {
				t.Errorf("InferCountry(%+v) = %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
}
