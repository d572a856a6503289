package entra_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/entra"
)

// genNDJSON builds about size bytes of NDJSON sign-ins shaped like a Graph
// beta export, varying users, addresses, devices and outcomes.
func genNDJSON(size int) ([]byte, int) {
	var b bytes.Buffer
	cities := []struct{ city, state, cc string }{
		{"Austin", "Texas", "US"}, {"Shenyang", "Liaoning", "CN"}, {"Amsterdam", "Noord-Holland", "NL"},
		{"Sao Paulo", "Sao Paulo", "BR"}, {"Munich", "Bayern", "DE"},
	}
	n := 0
	for b.Len() < size {
		c := cities[n%len(cities)]
		code := 0
		if n%7 == 0 {
			code = 50126
		}
		fmt.Fprintf(&b, `{"id":"%08x-6301-4ee5-be62-ff5a759b0100","createdDateTime":"2025-03-%02dT%02d:%02d:%02d.1234567Z",`+
			`"userDisplayName":"User %d","userPrincipalName":"user%d@contoso.com","userId":"%08x-52b3-4102-aeff-aad2292ab01c",`+
			`"appId":"de8bc8b5-d9f9-48b1-a8ad-b748da725064","appDisplayName":"Office 365 Exchange Online","ipAddress":"198.51.%d.%d",`+
			`"clientAppUsed":"Browser","correlationId":"%08x-5860-4832-928f-3133e22ae912","conditionalAccessStatus":"success",`+
			`"isInteractive":%t,"riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"none","riskState":"none",`+
			`"riskEventTypes":[],"riskEventTypes_v2":[],"resourceDisplayName":"Microsoft Graph","resourceId":"00000003-0000-0000-c000-000000000000",`+
			`"status":{"errorCode":%d,"failureReason":"Other.","additionalDetails":null},`+
			`"deviceDetail":{"deviceId":"%08x-2b44-4d8a-9c1e-5f6a7b8c9d0e","displayName":"CONTOSO-LT-%04d","operatingSystem":"Windows 10","browser":"Edge 122.0.2365","isCompliant":%t,"isManaged":%t,"trustType":"Azure AD joined"},`+
			`"location":{"city":"%s","state":"%s","countryOrRegion":"%s","geoCoordinates":{"altitude":null,"latitude":30.26715,"longitude":-97.74306}},`+
			`"mfaDetail":{"authMethod":"PhoneAppNotification","authDetail":"+1 XXXXXXXX%02d"},"appliedConditionalAccessPolicies":[]}`+"\n",
			n, 1+n%28, n%24, n%60, (n/60)%60, n%500, n%500, n, n%250, n%250, n, n%3 != 0, code, n%500, n%500, n%2 == 0, n%2 == 0,
			c.city, c.state, c.cc, n%100)
		n++
	}
	return b.Bytes(), n
}

type countSink struct{ events, rejections int }

func (c *countSink) Event(*event.Event)      { c.events++ }
func (c *countSink) Reject(source.Rejection) { c.rejections++ }

func BenchmarkDecode(b *testing.B) {
	data, n := genNDJSON(4 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	f := entra.New()
	for b.Loop() {
		var c countSink
		if err := f.Decode(context.Background(), bytes.NewReader(data), "bench.ndjson", &c); err != nil {
			b.Fatal(err)
		}
		if c.events != n {
			b.Fatalf("got %d events, %d rejections; want %d events", c.events, c.rejections, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDecodeMapAny is the baseline: the same bytes, line by line, into
// map[string]any with encoding/json.
func BenchmarkDecodeMapAny(b *testing.B) {
	data, n := genNDJSON(4 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 64<<10), source.MaxRecordSize)
		got := 0
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				b.Fatal(err)
			}
			got++
		}
		if got != n {
			b.Fatalf("got %d records, want %d", got, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
