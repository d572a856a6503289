package greenhouse

import (
	"testing"

	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func FuzzDecode(f *testing.F) {
	sourcetest.FuzzSeeds(f, "testdata")
	f.Add([]byte(`[{"id":-1,"applications":[{"id":"9","applied_at":"2024-01-01T00:00:00Z","jobs":null}],"email_addresses":null}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzDecode(t, New(), data)
	})
}
