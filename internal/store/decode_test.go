package store

import (
	"encoding/json"
	"net/netip"
	"testing"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rollcall/rollcall/internal/event"
)

func storedSignIn() *event.Event {
	return &event.Event{Kind: event.KindSignIn, Time: time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC),
		Prov:    event.Provenance{Origin: &event.Origin{Source: "okta", File: "loadtest/okta.ndjson"}, Record: 12345, Line: 12345, ID: "lt-9ix", Hash: "0123456789abcdef0123"},
		Account: &event.Actor{ID: "00u1abcdefg", Login: "ann.smith12@loadtest.example", DisplayName: "ann smith"},
		SignIn: &event.SignIn{Action: "user.session.start", Outcome: event.OutcomeSuccess, OS: "Mac OS X", Browser: "CHROME",
			UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
			DeviceID:  "guo1234", Managed: "managed",
			Net: &event.Network{IP: netip.MustParseAddr("73.12.34.56"), Country: "US", City: "Chicago", ASN: 7922, ASOrg: "comcast"}}}
}

// TestFeedDecode_matches_encoding_json checks that goccy/go-json (what
// FeedRows decodes with) reads a stored event as encoding/json does.
func TestFeedDecode_matches_encoding_json(t *testing.T) {
	data, err := json.Marshal(storedSignIn())
	if err != nil {
		t.Fatal(err)
	}
	var want, got event.Event
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if err := gojson.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("goccy/go-json decodes differently (-encoding/json +goccy):\n%s", diff)
	}
}

// BenchmarkDecodeStoredEvent compares decoding a stored Okta sign-in with
// encoding/json and with goccy/go-json (what FeedRows uses).
func BenchmarkDecodeStoredEvent(b *testing.B) {
	data, err := json.Marshal(storedSignIn())
	if err != nil {
		b.Fatal(err)
	}
	for name, unmarshal := range map[string]func([]byte, any) error{"encoding_json": json.Unmarshal, "goccy": gojson.Unmarshal} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var got event.Event
				if err := unmarshal(data, &got); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
