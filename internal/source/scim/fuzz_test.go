package scim

import (
	"testing"

	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func FuzzDecode(f *testing.F) {
	sourcetest.FuzzSeeds(f, "testdata")
	f.Add([]byte(`{"Resources":[{"id":"1","active":"True","meta":{"created":"2024-01-01T00:00:00Z"}},7,[]],"schemas":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzDecode(t, New(), data)
	})
}
