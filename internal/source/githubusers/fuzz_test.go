package githubusers

import (
	"testing"

	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func FuzzDecode(f *testing.F) {
	sourcetest.FuzzSeeds(f, "testdata")
	f.Add([]byte(`[{"login":"a-b","id":"12","type":null,"followers":null,"public_repos":1e3,"created_at":"2008-02-29T00:00:00.123456789-12:00"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzDecode(t, New(), data)
	})
}
