package gworkspace_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/gworkspace"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// checkEvents checks what the adapter promises beyond the shared
// invariants about every event's content.
func checkEvents(t *testing.T, res *sourcetest.Result) {
	for _, e := range res.Events {
		if e.Kind != event.KindSignIn && e.Kind != event.KindAudit || e.Time.IsZero() || e.Actor().Empty() ||
			e.SignIn != nil && e.SignIn.Action == "" || e.Audit != nil && e.Audit.Action == "" {
			t.Fatalf("incomplete event: %+v", e)
		}
	}
}

func FuzzDecode(f *testing.F) {
	sourcetest.FuzzSeeds(f, "testdata")
	f.Add([]byte(strings.Repeat(`{"items":[`, 5000)))
	f.Add([]byte(`{"id":{"time":"2025-03-05T07:58:21Z","uniqueQualifier":1e99999},"actor":{"email":"` + "\xff\xfe" + `"},"events":[{"name":"login_success","parameters":[{"name":"x","intValue":123456789012345678901234567890}]}]}`))
	f.Add([]byte(`{"id":{"time":"2025-03-05T07:58:21Z"},"actor":{"profileId":{"a":[[[[[]]]]]}},"networkInfo":{"ipAsn":[99999999999999999999]},"events":{"name":"logout","parameters":[{"name":"m","multiValue":[{"x":1},null,true]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := source.NewFile("fuzz", bytes.NewReader(data))
		if err != nil {
			return // not a valid gzip stream
		}
		res := &sourcetest.Result{}
		_ = gworkspace.New().Decode(context.Background(), in, "fuzz", res)
		sourcetest.CheckInvariants(t, gworkspace.ID, res)
		checkEvents(t, res)
		gworkspace.New().Sniff(data)
	})
}
