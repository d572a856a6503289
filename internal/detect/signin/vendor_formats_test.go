package signin

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/okta"
	"github.com/rollcall/rollcall/internal/source/osquery"
)

// The identity indicators on records written the way Okta and osquery
// write them, read through the adapters: the wiring from vendor fields
// (device object, AuthenticatorEnrollment targets, local_timezone) to the
// indicators is part of what is tested.

// oktaLine is one Okta System Log LogEvent.
func oktaLine(uuid, eventType, login, name string, at time.Time, ip, state, country string, lat, lon float64, os, deviceJSON, targetJSON string) string {
	if deviceJSON == "" {
		deviceJSON = "null"
	}
	if targetJSON == "" {
		targetJSON = "null"
	}
	return fmt.Sprintf(`{"uuid":%q,"published":%q,"eventType":%q,"actor":{"id":"00u%s","type":"User","alternateId":%q,"displayName":%q},`+
		`"client":{"userAgent":{"rawUserAgent":"Mozilla/5.0","os":%q,"browser":"CHROME"},"device":"Computer","ipAddress":%q,`+
		`"geographicalContext":{"city":"","state":%q,"country":%q,"geolocation":{"lat":%v,"lon":%v}}},"device":%s,`+
		`"outcome":{"result":"SUCCESS"},"target":%s,"authenticationContext":{"externalSessionId":"102%s"},`+
		`"securityContext":{"asNumber":7922,"asOrg":"comcast","isp":"comcast cable communications llc","domain":"comcast.net","isProxy":false}}`,
		uuid, at.UTC().Format(time.RFC3339Nano), eventType, strings.Split(login, "@")[0], login, name, os, ip, state, country, lat, lon,
		deviceJSON, targetJSON, uuid)
}

// osqueryClock is one osquery snapshot of the time table.
func osqueryClock(host, user string, at time.Time, tz string) string {
	return fmt.Sprintf(`{"snapshot":[{"datetime":%q,"local_timezone":%q,"timezone":"UTC","unix_time":"%d"}],"action":"snapshot",`+
		`"name":"pack_inventory_time","hostIdentifier":%q,"calendarTime":%q,"unixTime":%d,"epoch":0,"counter":0,"numerics":false,`+
		`"decorations":{"hostname":%q,"username":%q}}`,
		at.UTC().Format(time.RFC3339), tz, at.Unix(), host, at.UTC().Format("Mon Jan _2 15:04:05 2006 UTC"), at.Unix(), host, user)
}

// collect is a source.Sink.
type collect struct {
	events []*event.Event
	t      *testing.T
}

func (c *collect) Event(e *event.Event)      { c.events = append(c.events, e) }
func (c *collect) Reject(r source.Rejection) { c.t.Errorf("record rejected: %+v", r) }

func decode(t *testing.T, f source.Format, file string, lines []string) []*event.Event {
	t.Helper()
	c := &collect{t: t}
	if err := f.Decode(context.Background(), strings.NewReader(strings.Join(lines, "\n")), file, c); err != nil {
		t.Fatal(err)
	}
	return c.events
}

func TestIdentityIndicatorsOnVendorRecords(t *testing.T) {
	start := time.Date(2025, 7, 7, 14, 0, 0, 0, time.UTC) // a Monday in summer: US Central shows CDT
	people := []staff{
		{id: "E1", email: "ana.ruiz@example.com", name: "Ana Ruiz", country: "US", region: "IL", tz: "America/Chicago"},
		{id: "E2", email: "ben.ode@example.com", name: "Ben Ode", country: "US", region: "TX", tz: "America/Chicago"},
		{id: "E3", email: "cy.tan@example.com", name: "Cy Tan", country: "US", region: "IL", tz: "America/Chicago"},
		{id: "E4", email: "di.fox@example.com", name: "Di Fox", country: "US", region: "IL", tz: "America/Chicago"},
	}
	for i := 5; i <= 8; i++ {
		people = append(people, staff{id: fmt.Sprintf("E%d", i), email: fmt.Sprintf("u%d@example.com", i), name: fmt.Sprintf("User Number%d", i), country: "US", region: "IL"})
	}
	var roster []*event.Event
	for i, p := range people {
		p.record = i + 1
		roster = append(roster, p.event())
	}
	const mac = `{"id":"guoMAC%s","name":"MacBookPro18,3","os_platform":"OSX","os_version":"14.5","managed":true,"registered":true}`
	const phone = `{"id":"guoPHONE%s","name":"Pixel 8","os_platform":"ANDROID","os_version":"14","managed":false,"registered":true}`
	const verify = `[{"id":"pfd%s","type":"AuthenticatorEnrollment","alternateId":"unknown","displayName":"Okta Verify"}]`
	var lines, clocks []string
	for d := range 35 {
		day := start.AddDate(0, 0, d)
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		for i, p := range people {
			uuid := fmt.Sprintf("%s-%02d", p.id, d)
			id := p.id
			ip, state, country, lat, lon := fmt.Sprintf("192.0.2.%d", 10+i), "Illinois", "United States", 41.88, -87.63
			if p.id == "E4" { // E4 signs in from Shenyang
				ip, state, country, lat, lon = "198.51.100.40", "Liaoning", "China", 41.80, 123.43
			}
			device, os := fmt.Sprintf(mac, id), "Mac OS X"
			if p.id == "E3" { // E3 works on an unregistered Windows PC
				device, os = "", "Windows 10"
			}
			lines = append(lines, oktaLine(uuid+"-s", "user.session.start", p.email, p.name, day, ip, state, country, lat, lon, os, device, ""))
			phoneID := id
			if p.id == "E2" { // E1 and E2 complete MFA on one phone
				phoneID = "E1"
			}
			lines = append(lines, oktaLine(uuid+"-m", "user.authentication.auth_via_mfa", p.email, p.name, day.Add(time.Minute), ip, state, country,
				lat, lon, os, fmt.Sprintf(phone, phoneID), fmt.Sprintf(verify, uuid)))
			tz := "CDT"
			if p.id == "E4" {
				tz = "CST" // in July: China (or Mexico), not Chicago
			}
			clocks = append(clocks, osqueryClock("LT-"+p.id, strings.Split(p.email, "@")[0], day.Add(-time.Hour), tz))
		}
	}
	events := append(roster, decode(t, okta.New(), "okta.ndjson", lines)...)
	events = append(events, decode(t, osquery.New(), "osqueryd.results.log", clocks)...)
	for _, tc := range []struct {
		ind  detect.Indicator
		want []verdict
	}{
		{&SharedMFADevice{}, []verdict{{Person: "E1", Confidence: 1, Related: []string{"E2"}}, {Person: "E2", Confidence: 1, Related: []string{"E1"}}}},
		{&UnmanagedDevice{}, []verdict{{Person: "E3", Confidence: 1}}},
		{&LocationMismatch{}, []verdict{{Person: "E4", Confidence: 0.85}}},
	} {
		t.Run(tc.ind.ID(), func(t *testing.T) {
			got, fs := detectAll(t, tc.ind, nil, events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				for _, f := range fs {
					t.Log(f.Summary)
				}
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
