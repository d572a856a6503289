package pipeline

import (
	"context"
	"testing"

	"github.com/rollcall/rollcall/internal/source/okta"
)

// oktaRecord is one Okta System Log sign-in as a stream message carries it.
const oktaRecord = `{"uuid":"lt-1","published":"2026-08-01T09:00:00.000Z","eventType":"user.session.start",` +
	`"displayMessage":"User login to Okta","severity":"INFO","actor":{"id":"00u1","type":"User",` +
	`"alternateId":"ann.smith1@loadtest.example","displayName":"ann smith"},"client":{"userAgent":{"rawUserAgent":` +
	`"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",` +
	`"os":"Mac OS X","browser":"CHROME"},"zone":"null","device":"Computer","ipAddress":"73.1.2.3",` +
	`"geographicalContext":{"city":"Chicago","state":"Illinois","country":"United States","geolocation":{"lat":41.88,"lon":-87.63}}},` +
	`"outcome":{"result":"SUCCESS","reason":null},"securityContext":{"asNumber":7922,"asOrg":"comcast","isp":"comcast",` +
	`"domain":"comcast.net","isProxy":false}}`

// BenchmarkDecodeRecord measures decoding one stream message: the bytes
// it allocates are what a worker holds per event until the event is
// stored (B/op), so a per-record decode must not carve a whole block of
// events or strings.
func BenchmarkDecodeRecord(b *testing.B) {
	f := okta.New()
	raw := []byte(oktaRecord)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		ev, rej, err := DecodeRecord(ctx, f, raw, "okta.ndjson", 1, 1, "")
		if err != nil || rej != nil || ev == nil {
			b.Fatal(err, rej)
		}
	}
}
