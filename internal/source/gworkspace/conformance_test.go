package gworkspace_test

import (
	"encoding/json"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/gworkspace"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// TestSamples checks the adapter against the public samples: the format
// sniffs them, and every record is an event with time, actor, action and
// (when the record has one) IP address, or a rejection with a reason.
func TestSamples(t *testing.T) {
	sourcetest.RunNDJSONSamples(t, gworkspace.New(), "gworkspace", checkSampleEvent)
}

func checkSampleEvent(t *testing.T, ev *event.Event, raw []byte) {
	t.Helper()
	at := ev.Prov.File() + ":" + itoa(ev.Prov.Line)
	if ev.Time.IsZero() {
		t.Errorf("%s: no time", at)
	}
	if ev.Actor().Empty() {
		t.Errorf("%s: no actor", at)
	}
	var action string
	switch {
	case ev.SignIn != nil:
		action = ev.SignIn.Action
	case ev.Audit != nil:
		action = ev.Audit.Action
	default:
		t.Fatalf("%s: kind %q without a payload", at, ev.Kind)
	}
	if action == "" {
		t.Errorf("%s: no action", at)
	}
	var rec struct {
		IPAddress string `json:"ipAddress"`
		ID        struct {
			ApplicationName string `json:"applicationName"`
		} `json:"id"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatalf("%s: %v", at, err)
	}
	if rec.ID.ApplicationName == "login" && ev.Kind != event.KindSignIn {
		t.Errorf("%s: login activity became %q, want a sign-in", at, ev.Kind)
	}
	if rec.IPAddress != "" && !ev.Net().IP.IsValid() {
		t.Errorf("%s: record has an IP address, event has none", at)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
