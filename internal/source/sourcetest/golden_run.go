package sourcetest

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/source"
)

// RunGolden decodes every fixture under testdata/ with f, checks the
// record invariants and that the file decoded without a file-level error,
// and compares the result with the fixture's .golden.json (regenerated
// with -update). Every adapter's TestGolden is this call.
func RunGolden(t *testing.T, f source.Format) {
	t.Helper()
	for _, path := range Testdata(t, "testdata") {
		t.Run(strings.NewReplacer(".", "_", "-", "_").Replace(filepath.Base(path)), func(t *testing.T) {
			res := DecodeFile(t, f, path)
			CheckInvariants(t, f.ID(), res)
			if res.Err != "" {
				t.Errorf("Decode: %s", res.Err)
			}
			Golden(t, path+".golden.json", res)
		})
	}
}

// DecodeOK decodes one in-memory input, checks the record invariants and
// fails the test on a file-level error.
func DecodeOK(t *testing.T, f source.Format, name string, content []byte) *Result {
	t.Helper()
	res := DecodeBytes(t, f, name, content)
	CheckInvariants(t, f.ID(), res)
	if res.Err != "" {
		t.Fatalf("Decode(%s): %s", name, res.Err)
	}
	return res
}

// MustAddr parses an IP address or fails the test.
func MustAddr(t testing.TB, s string) netip.Addr {
	t.Helper()
	a, err := netip.ParseAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
