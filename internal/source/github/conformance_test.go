package github_test

import (
	"encoding/json"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/github"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// TestSamples checks the adapter against the public samples: the format
// sniffs them, and every record is an event with time, actor, action and
// (when the record has one) IP address, or a rejection with a reason.
func TestSamples(t *testing.T) {
	sourcetest.RunNDJSONSamples(t, github.New(), "github", checkSampleEvent)
}

func checkSampleEvent(t *testing.T, ev *event.Event, raw []byte) {
	t.Helper()
	at := ev.Prov.File() + ":" + itoa(ev.Prov.Line)
	if ev.Kind != event.KindAudit || ev.Audit == nil {
		t.Fatalf("%s: kind %q without an audit payload", at, ev.Kind)
	}
	if ev.Time.IsZero() {
		t.Errorf("%s: no time", at)
	}
	if ev.Audit.Action == "" {
		t.Errorf("%s: no action", at)
	}
	var rec struct {
		Actor         string `json:"actor"`
		ActorIP       string `json:"actor_ip"`
		ActorLocation struct {
			IP string `json:"ip"`
		} `json:"actor_location"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatalf("%s: %v", at, err)
	}
	if rec.Actor != "" && ev.Actor().Login != rec.Actor {
		t.Errorf("%s: actor %q became %q", at, rec.Actor, ev.Actor().Login)
	}
	if rec.ActorIP+rec.ActorLocation.IP != "" && !ev.Audit.Net.IP.IsValid() {
		t.Errorf("%s: record has an IP address, event has none", at)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
