package github_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/github"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// checkEvents checks what the adapter promises beyond the shared
// invariants about every event's content.
func checkEvents(t *testing.T, res *sourcetest.Result) {
	for _, e := range res.Events {
		if e.Kind != event.KindAudit || e.Audit == nil || e.Audit.Action == "" || e.Time.IsZero() || e.Prov.Source() != github.ID {
			t.Fatalf("incomplete event: %+v", e)
		}
	}
}

func FuzzDecode(f *testing.F) {
	sourcetest.FuzzSeeds(f, "testdata")
	f.Add([]byte(strings.Repeat(`[`, 10000)))
	f.Add([]byte(`{"@timestamp":1e999999,"action":"git.clone","actor":"` + "\xff\xfe" + `"}`))
	f.Add([]byte(`{"created_at":-99999999999999999999999,"action":"git.clone","actor_id":123456789012345678901234567890}`))
	f.Add([]byte(`[{"created_at":"9999-12-31T23:59:59Z","action":"a.b","data":{"team":{"x":[[[[]]]]}}}, {"action":"x"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := source.NewFile("fuzz", bytes.NewReader(data))
		if err != nil {
			return // not a valid gzip stream
		}
		res := &sourcetest.Result{}
		_ = github.New().Decode(context.Background(), in, "fuzz", res)
		sourcetest.CheckInvariants(t, github.ID, res)
		checkEvents(t, res)
		github.New().Sniff(data)
	})
}
