package entra_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/entra"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// checkEvents checks what the adapter promises beyond the shared
// invariants: every event is a sign-in with a time, an actor and an action.
func checkEvents(t *testing.T, res *sourcetest.Result) {
	for _, e := range res.Events {
		if e.Kind != event.KindSignIn || e.SignIn == nil || e.Time.IsZero() || e.Actor().Empty() || e.SignIn.Action == "" || e.SignIn.Outcome == "" {
			t.Fatalf("incomplete event: %+v", e)
		}
	}
}

func FuzzDecode(f *testing.F) {
	sourcetest.FuzzSeeds(f, "testdata")
	f.Add([]byte(strings.Repeat(`{"value":[`, 5000)))
	f.Add([]byte(`{"createdDateTime":"2025-03-03T14:12:09Z","userId":"` + "\xff\xfe" + `","status":{"errorCode":1e999999}}`))
	f.Add([]byte(`{"createdDateTime":"2025-03-03T14:12:09Z","userId":"u","autonomousSystemNumber":99999999999999999999999}`))
	f.Add([]byte(`{"records":[{"category":"SignInLogs","location":"US","properties":{"createdDateTime":"2025-03-03T14:12:09Z","userId":"u","location":{"geoCoordinates":{"latitude":-1e308,"longitude":1e308}}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := source.NewFile("fuzz", bytes.NewReader(data))
		if err != nil {
			return // not a valid gzip stream
		}
		res := &sourcetest.Result{}
		_ = entra.New().Decode(context.Background(), in, "fuzz", res)
		sourcetest.CheckInvariants(t, entra.ID, res)
		checkEvents(t, res)
		entra.New().Sniff(data)
	})
}
