package event

import (
	"encoding/json"
	"testing"
	"time"
)

// The shared actor and file origin are pointers in memory but keep the
// JSON shape they had as values: "actor" omitted when empty, "source"
// and "file" inside "prov", "unknown" omitted when there is none.
func TestEventJSONShape(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	origin := &Origin{Source: "okta", File: "okta.ndjson"}
	full := &Event{Kind: KindSignIn, Time: at, Prov: Provenance{Origin: origin, Record: 2, Line: 3, ID: "u1", Hash: "ab"},
		Account: &Actor{ID: "00u1", Login: "a@example.com"}, SignIn: &SignIn{Action: "x", Outcome: OutcomeSuccess, Net: &Network{}}}
	full.Prov.SetUnknown([]string{"client.userAgent"})
	bare := &Event{Kind: KindDevice, Prov: Provenance{Origin: origin, Record: 1}, Account: &Actor{}}
	bare.Prov.SetUnknown(nil)
	for _, tc := range []struct {
		ev   *Event
		want string
	}{
		{full, `{"kind":"signin","time":"2026-03-01T09:00:00Z","prov":{"source":"okta","file":"okta.ndjson","record":2,"line":3,"id":"u1","hash":"ab","unknown":["client.userAgent"]},"actor":{"id":"00u1","login":"a@example.com"},"signin":{"action":"x","outcome":"success","net":{}}}`},
		{bare, `{"kind":"device","prov":{"source":"okta","file":"okta.ndjson","record":1}}`},
		{&Event{Kind: KindPerson, Account: &Actor{DisplayName: "Ana"}}, `{"kind":"person","prov":{"record":0},"actor":{"display_name":"Ana"}}`},
	} {
		b, err := json.Marshal(tc.ev)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("JSON\n got %s\nwant %s", b, tc.want)
		}
		var back Event
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.Actor() != tc.ev.Actor() || back.Prov.Source() != tc.ev.Prov.Source() || back.Prov.File() != tc.ev.Prov.File() ||
			len(back.Prov.UnknownFields()) != len(tc.ev.Prov.UnknownFields()) {
			t.Errorf("round trip of %s changed the event: %+v", b, back)
		}
	}
}

func TestSetActor(t *testing.T) {
	var e Event
	e.SetActor(Actor{})
	if e.Account != nil || e.Actor() != (Actor{}) {
		t.Errorf("a zero actor is kept as %+v", e.Account)
	}
	a := Actor{Login: "a"}
	e.SetActor(a)
	shared := e.Account
	b := e.Actor()
	b.Login = "b"
	e.SetActor(b)
	if shared.Login != "a" || e.Actor().Login != "b" {
		t.Errorf("SetActor changed the previous value (%q) or did not set the new one (%q)", shared.Login, e.Actor().Login)
	}
}
