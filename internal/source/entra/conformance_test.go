package entra_test

import (
	"encoding/json"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/entra"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// TestSamples checks the adapter against the public samples: the format
// sniffs them, and every record is an event with time, actor, action and
// (when the record has one) IP address, or a rejection with a reason.
func TestSamples(t *testing.T) {
	sourcetest.RunNDJSONSamples(t, entra.New(), "entra", checkSampleEvent)
}

func checkSampleEvent(t *testing.T, ev *event.Event, raw []byte) {
	t.Helper()
	at := ev.Prov.File() + ":" + itoa(ev.Prov.Line)
	if ev.Kind != event.KindSignIn || ev.SignIn == nil {
		t.Fatalf("%s: kind %q without a sign-in payload", at, ev.Kind)
	}
	if ev.Time.IsZero() {
		t.Errorf("%s: no time", at)
	}
	if ev.Actor().Empty() {
		t.Errorf("%s: no actor", at)
	}
	if ev.SignIn.Action == "" || ev.SignIn.Outcome == "" {
		t.Errorf("%s: action %q, outcome %q", at, ev.SignIn.Action, ev.SignIn.Outcome)
	}
	var rec struct {
		IPAddress  string `json:"ipAddress"`
		Caller     string `json:"callerIpAddress"`
		Properties struct {
			IPAddress string `json:"ipAddress"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatalf("%s: %v", at, err)
	}
	if rec.IPAddress+rec.Caller+rec.Properties.IPAddress != "" && !ev.SignIn.Net.IP.IsValid() {
		t.Errorf("%s: record has an IP address, event has none", at)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
