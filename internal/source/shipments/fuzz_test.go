package shipments

import (
	"testing"

	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func FuzzDecode(f *testing.F) {
	sourcetest.FuzzSeeds(f, "testdata")
	f.Add([]byte("employee_id,asset_tag,asset_serial,shipped_on,ship_to_name,ship_to_address,ship_to_city,ship_to_region,ship_to_postal,ship_to_country\nE1,,,2024-01-01,,\"a\"\"b\",,,,xk\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzDecode(t, New(), data)
	})
}
