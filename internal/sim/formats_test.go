package sim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var publishedRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

func TestOktaEvents(t *testing.T) {
	f := getFixture(t)
	if len(f.okta) < 1000 {
		t.Fatalf("only %d Okta events", len(f.okta))
	}
	types := map[string]int{}
	uuids := map[string]bool{}
	names := map[string]bool{}
	for _, c := range countries {
		names[c.Name] = true
	}
	for i, e := range f.okta {
		types[e.EventType]++
		if !publishedRE.MatchString(e.Published) {
			t.Fatalf("event %d: published %q is not Okta's format", i, e.Published)
		}
		if i > 0 && e.time.Before(f.okta[i-1].time) {
			t.Fatalf("event %d published %s before the previous one", i, e.Published)
		}
		if uuids[e.UUID] {
			t.Fatalf("event %d: duplicate uuid %s", i, e.UUID)
		}
		uuids[e.UUID] = true
		if e.Actor.Type != "User" || !strings.HasPrefix(e.Actor.ID, "00u") || len(e.Actor.ID) != 20 || !strings.Contains(e.Actor.AlternateID, "@") {
			t.Fatalf("event %d: actor %+v", i, e.Actor)
		}
		g := e.Client.GeographicalContext
		if !names[g.Country] {
			t.Fatalf("event %d: country %q is not a full English country name", i, g.Country)
		}
		if e.SecurityContext.ASNumber == 0 || e.SecurityContext.ASOrg == "" || e.Client.IPAddress == "" {
			t.Fatalf("event %d: network context missing: %+v %q", i, e.SecurityContext, e.Client.IPAddress)
		}
		if e.AuthenticationContext.ExternalSessionID == "" || e.DebugContext.DebugData["requestId"] == "" {
			t.Fatalf("event %d: session or request id missing", i)
		}
		switch e.EventType {
		case "user.session.start", "user.authentication.auth_via_mfa":
			if e.Outcome.Result == "SUCCESS" && !strings.HasPrefix(e.DebugContext.DebugData["behaviors"], "{New Geo-Location=") {
				t.Fatalf("event %d: behaviors %q", i, e.DebugContext.DebugData["behaviors"])
			}
		}
		if e.EventType == "user.authentication.auth_via_mfa" && (e.Device == nil || e.Device.OSPlatform != "IOS" && e.Device.OSPlatform != "ANDROID") {
			t.Fatalf("event %d: MFA event without the phone's device object", i)
		}
	}
	for _, want := range []string{"user.session.start", "user.authentication.auth_via_mfa", "user.session.end", "policy.evaluate_sign_on", "user.account.update_password", "group.user_membership.add"} {
		if types[want] == 0 {
			t.Errorf("no %s events; got %v", want, types)
		}
	}
	for typ := range types {
		if !slices.Contains([]string{"user.session.start", "user.authentication.auth_via_mfa", "user.session.end", "policy.evaluate_sign_on", "user.account.update_password", "group.user_membership.add"}, typ) {
			t.Errorf("unexpected event type %q", typ)
		}
	}
}

// TestOktaShapeMatchesSample compares the key sets of our events with the
// real LogEvents of the shared samples.
func TestOktaShapeMatchesSample(t *testing.T) {
	const sample = "../../../shared/samples/okta/test-okta-system-events.log"
	fh, err := os.Open(sample)
	if err != nil {
		t.Skipf("Okta sample not available (%v); skipping the shape comparison", err)
	}
	defer fh.Close()
	want := map[string]map[string]bool{} // event type -> "path" keys
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("sample: %v", err)
		}
		typ, _ := m["eventType"].(string)
		if want[typ] == nil {
			want[typ] = map[string]bool{}
		}
		collectKeys(m, "", want[typ])
	}
	f := getFixture(t)
	fo, err := os.Open(f.dir + "/" + FileOkta)
	if err != nil {
		t.Fatal(err)
	}
	defer fo.Close()
	got := map[string]map[string]bool{}
	seen := map[string]int{}
	sc = bufio.NewScanner(fo)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		// The first shapeSample events of each type show its shape:
		// decoding every event of the fixture took most of this test's
		// time under the race detector.
		if typ := eventTypeOf(sc.Bytes()); typ != "" && seen[typ] >= shapeSample {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		typ := m["eventType"].(string)
		seen[typ]++
		if got[typ] == nil {
			got[typ] = map[string]bool{}
		}
		collectKeys(m, "", got[typ])
	}
	for typ, keys := range want {
		if got[typ] == nil {
			continue // an event type the simulator does not write
		}
		for k := range keys {
			if strings.HasPrefix(k, "debugContext.debugData.") || strings.HasPrefix(k, "target.detailEntry") || strings.HasPrefix(k, "transaction.detail.") {
				continue // free-form per event (detail.requestApiTokenId only for API-token calls)
			}
			if !got[typ][k] {
				t.Errorf("%s: sample has %q, simulated events do not (have %v)", typ, k, slices.Sorted(maps.Keys(got[typ])))
			}
		}
	}
}

// shapeSample is how many simulated events of each type
// TestOktaShapeMatchesSample reads.
const shapeSample = 300

// eventTypeOf returns the eventType of an Okta LogEvent line without
// decoding it, or "" when it cannot tell.
func eventTypeOf(line []byte) string {
	const key = `"eventType":"`
	i := bytes.Index(line, []byte(key))
	if i < 0 {
		return ""
	}
	rest := line[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// collectKeys records the dotted paths of object keys (arrays flattened).
func collectKeys(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out[p] = true
			collectKeys(c, p, out)
		}
	case []any:
		for _, c := range x {
			collectKeys(c, prefix, out)
		}
	}
}

func TestSCIMRoster(t *testing.T) {
	f := getFixture(t)
	r := f.roster
	if diff := cmp.Diff([]string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"}, r.Schemas); diff != "" {
		t.Errorf("schemas (-want +got):\n%s", diff)
	}
	if r.TotalResults != fixtureConfig.People || len(r.Resources) != r.TotalResults || r.StartIndex != 1 || r.ItemsPerPage != r.TotalResults {
		t.Errorf("paging: total %d items %d start %d resources %d", r.TotalResults, r.ItemsPerPage, r.StartIndex, len(r.Resources))
	}
	seen := map[string]bool{}
	for _, u := range r.Resources {
		e := u.Enterprise
		if !regexp.MustCompile(`^E\d{5,}$`).MatchString(e.EmployeeNumber) || seen[e.EmployeeNumber] {
			t.Errorf("employeeNumber %q bad or duplicate", e.EmployeeNumber)
		}
		seen[e.EmployeeNumber] = true
		if len(u.Schemas) != 2 || u.Schemas[1] != scimEnterprise || u.Meta.ResourceType != "User" {
			t.Errorf("%s: schemas %v meta %+v", e.EmployeeNumber, u.Schemas, u.Meta)
		}
		if _, err := time.Parse(time.RFC3339, u.Meta.Created); err != nil {
			t.Errorf("%s: meta.created %q: %v", e.EmployeeNumber, u.Meta.Created, err)
		}
		if len(u.Addresses) != 1 || u.Addresses[0].Type != "home" || len(u.Addresses[0].Country) != 2 || u.Addresses[0].PostalCode == "" {
			t.Errorf("%s: addresses %+v", e.EmployeeNumber, u.Addresses)
		}
		if _, err := time.LoadLocation(u.Timezone); err != nil {
			t.Errorf("%s: timezone %q: %v", e.EmployeeNumber, u.Timezone, err)
		}
		if u.UserType != "Employee" && u.UserType != "Contractor" {
			t.Errorf("%s: userType %q", e.EmployeeNumber, u.UserType)
		}
		if len(u.Emails) == 0 || u.Emails[0].Type != "work" || u.UserName != u.Emails[0].Value {
			t.Errorf("%s: emails %+v userName %q", e.EmployeeNumber, u.Emails, u.UserName)
		}
		if len(u.PhoneNumbers) != 1 || !strings.HasPrefix(u.PhoneNumbers[0].Value, "+") {
			t.Errorf("%s: phoneNumbers %+v", e.EmployeeNumber, u.PhoneNumbers)
		}
	}
}

func TestGreenhouseCandidates(t *testing.T) {
	f := getFixture(t)
	ids := map[int64]bool{}
	apps := map[int64]bool{}
	hired := 0
	for _, c := range f.candidates {
		if c.ID < 10000000 || ids[c.ID] {
			t.Errorf("candidate id %d bad or duplicate", c.ID)
		}
		ids[c.ID] = true
		if len(c.Applications) == 0 || len(c.Applications) != len(c.ApplicationIDs) {
			t.Errorf("candidate %d: %d applications, application_ids %v", c.ID, len(c.Applications), c.ApplicationIDs)
		}
		for i, a := range c.Applications {
			if a.CandidateID != c.ID || a.ID != c.ApplicationIDs[i] || apps[a.ID] || len(a.Jobs) != 1 || a.Source.PublicName == "" {
				t.Errorf("candidate %d: application %+v", c.ID, a)
			}
			apps[a.ID] = true
			if !slices.Contains([]string{"active", "rejected", "hired"}, a.Status) {
				t.Errorf("candidate %d: status %q", c.ID, a.Status)
			}
			if a.Status == "hired" {
				hired++
			}
			if a.Source.PublicName == "Referral" && (a.CreditedTo == nil || a.CreditedTo.EmployeeID == nil) {
				t.Errorf("candidate %d: referral without a referrer employee: %+v", c.ID, a.CreditedTo)
			}
			if _, err := time.Parse(time.RFC3339, a.AppliedAt); err != nil {
				t.Errorf("candidate %d: applied_at %q: %v", c.ID, a.AppliedAt, err)
			}
		}
	}
	if hired < fixtureConfig.People/2 {
		t.Errorf("only %d hired applications for %d employees", hired, fixtureConfig.People)
	}
	if len(f.candidates) < 2*fixtureConfig.People {
		t.Errorf("only %d candidates", len(f.candidates))
	}
}

func TestCSVFiles(t *testing.T) {
	f := getFixture(t)
	for _, c := range []struct {
		name   string
		header []string
		rows   [][]string
		dates  []int
	}{
		{FilePayroll, PayrollHeader, f.payroll, []int{1}},
		{FileShipments, ShipmentsHeader, f.shipments, []int{3}},
	} {
		t.Run(strings.TrimSuffix(c.name, ".csv"), func(t *testing.T) {
			if diff := cmp.Diff(c.header, c.rows[0]); diff != "" {
				t.Fatalf("header (-want +got):\n%s", diff)
			}
			if len(c.rows) < fixtureConfig.People+1 {
				t.Fatalf("%d rows for %d people", len(c.rows)-1, fixtureConfig.People)
			}
			for _, row := range c.rows[1:] {
				for _, i := range c.dates {
					if _, err := time.Parse(time.DateOnly, row[i]); err != nil {
						t.Errorf("row %v: column %s: %v", row, c.header[i], err)
					}
				}
			}
		})
	}
	methods := map[string]bool{}
	for _, row := range f.payroll[1:] {
		if !slices.Contains([]string{"bank", "paypal", "payoneer", "wise", "crypto", "other"}, row[2]) {
			t.Errorf("payroll method %q", row[2])
		}
		if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(row[3]) {
			t.Errorf("account_fingerprint %q is not an opaque hex hash", row[3])
		}
		methods[row[2]] = true
	}
	if !methods["bank"] || !methods["wise"] && !methods["payoneer"] {
		t.Errorf("payout methods %v lack bank or wise/payoneer", methods)
	}
}
