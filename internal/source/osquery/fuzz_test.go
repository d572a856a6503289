package osquery_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/osquery"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// checkEvents checks what the adapter promises beyond the shared
// invariants about every event's content.
func checkEvents(t *testing.T, res *sourcetest.Result) {
	for _, e := range res.Events {
		if e.Kind != event.KindDevice || e.Device == nil || e.Time.IsZero() || e.Device.HostID == "" || e.Device.Query == "" || e.Prov.Source() != osquery.ID {
			t.Fatalf("incomplete event: %+v", e)
		}
	}
}

func FuzzDecode(f *testing.F) {
	sourcetest.FuzzSeeds(f, "testdata")
	f.Add([]byte(`{"name":"q","hostIdentifier":"h","unixTime":1e999999,"columns":{"a":` + strings.Repeat("[", 3000) + `}}`))
	f.Add([]byte(`{"name":"q","hostIdentifier":"` + "\xff\xfe" + `","unixTime":"1741079702","columns":{"k\u0000":"v\ud800","n":123456789012345678901234567890},"action":"added"}`))
	f.Add([]byte(`{"diffResults":{"added":null,"removed":[{}]},"name":"q","hostname":"h","calendarTime":"Mon May  2 22:27:32 2016 UTC","x":{"y":1},"z":"top"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := source.NewFile("fuzz", bytes.NewReader(data))
		if err != nil {
			return // not a valid gzip stream
		}
		res := &sourcetest.Result{}
		_ = osquery.New().Decode(context.Background(), in, "fuzz", res)
		sourcetest.CheckInvariants(t, osquery.ID, res)
		checkEvents(t, res)
		osquery.New().Sniff(data)
	})
}
