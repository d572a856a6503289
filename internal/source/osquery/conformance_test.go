package osquery_test

import (
	"encoding/json"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/osquery"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// TestSamples checks the adapter against the public samples: the format
// sniffs them, and every record is an event with time, actor, action and
// (when the record has one) IP address, or a rejection with a reason.
func TestSamples(t *testing.T) {
	sourcetest.RunNDJSONSamples(t, osquery.New(), "osquery", checkSampleEvent)
}

func checkSampleEvent(t *testing.T, ev *event.Event, raw []byte) {
	t.Helper()
	at := ev.Prov.File() + ":" + itoa(ev.Prov.Line)
	if ev.Kind != event.KindDevice || ev.Device == nil {
		t.Fatalf("%s: kind %q without a device payload", at, ev.Kind)
	}
	if ev.Time.IsZero() || ev.Device.HostID == "" || ev.Device.Query == "" || ev.Device.Action == "" {
		t.Errorf("%s: incomplete device event %+v", at, ev.Device)
	}
	var rec struct {
		Columns  map[string]any   `json:"columns"`
		Snapshot []map[string]any `json:"snapshot"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatalf("%s: %v", at, err)
	}
	if want := len(rec.Snapshot) + min(len(rec.Columns), 1); rec.Columns != nil && len(ev.Device.Rows) != 1 || rec.Snapshot != nil && len(ev.Device.Rows) != want {
		t.Errorf("%s: %d rows, want one per result row", at, len(ev.Device.Rows))
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
