package gitlog_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/gitlog"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// checkEvents checks what the adapter promises beyond the shared
// invariants about every event's content.
func checkEvents(t *testing.T, res *sourcetest.Result) {
	for _, e := range res.Events {
		if e.Kind != event.KindCommit || e.Commit == nil || e.Time.IsZero() || e.Commit.Hash == "" || e.Prov.Source() != gitlog.ID {
			t.Fatalf("incomplete event: %+v", e)
		}
	}
}

func FuzzDecode(f *testing.F) {
	sourcetest.FuzzSeeds(f, "testdata")
	f.Add([]byte("f29bc91bbdab169fc0c0a326965953d11c7dff83\x1f\xff\xfe\x1f\x1f2025-03-03T09:12:44+99:99\x1f\x1f\x1f9999999999-01-01T00:00:00Z\n"))
	f.Add([]byte(strings.Repeat("\x1f", 5000) + "\n\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := source.NewFile("fuzz", bytes.NewReader(data))
		if err != nil {
			return // not a valid gzip stream
		}
		res := &sourcetest.Result{}
		err = gitlog.New().Decode(context.Background(), in, "fuzz", res)
		if err != nil && !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
			// Only a broken gzip stream may fail: plain text has no framing.
			t.Fatalf("Decode of in-memory text failed: %v", err)
		}
		sourcetest.CheckInvariants(t, gitlog.ID, res)
		checkEvents(t, res)
		gitlog.New().Sniff(data)
	})
}
