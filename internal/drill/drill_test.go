package drill

import (
	"bytes"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/detect/list"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/report"
)

func TestLearnIDStylesDomainAndWindow(t *testing.T) {
	a := detecttest.Roster(1, "E00123", "ana@acme.example", "US")
	b := detecttest.Roster(2, "E00456", "bo@acme.example", "CA")
	app := &event.Event{Kind: event.KindApplicant, Prov: event.Provenance{Origin: &event.Origin{Source: "greenhouse", File: "c.json"}, Record: 1},
		Applicant: &event.Applicant{CandidateID: "77001", Emails: []string{"x@mail.example"}}}
	first := detecttest.OktaSignIn(1, "ana@acme.example", detecttest.Start, event.Network{Country: "US", ASN: 7922, ASOrg: "Comcast"}, "Mac OS X")
	last := detecttest.OktaSignIn(2, "bo@acme.example", detecttest.Start.AddDate(0, 0, 29), event.Network{Country: "CA"}, "Windows")
	p := Learn([]*event.Event{a, b, app, first, last})

	if p.EmployeeIDs != "E%05d" || p.CandidateIDs != "%d" || p.EmailDomain != "acme.example" {
		t.Errorf("styles %q %q, domain %q", p.EmployeeIDs, p.CandidateIDs, p.EmailDomain)
	}
	if got := p.idStyle.format("", 0); got != "E01456" {
		t.Errorf("first new employee id %q, want E01456 (after the largest in use)", got)
	}
	// The window is the activity's, not the roster's creation dates.
	if !p.Start.Equal(first.Time) || !p.End.Equal(last.Time) {
		t.Errorf("window %s – %s, want the sign-ins' %s – %s", p.Start, p.End, first.Time, last.Time)
	}
	if !p.Has("okta") || !p.Has("scim") || !p.Has("greenhouse") || p.Has("osquery") {
		t.Errorf("sources %+v", p.Sources)
	}
	if diff := cmp.Diff([]Count{{"AS7922 Comcast", 1}}, p.Networks); diff != "" {
		t.Errorf("networks (-want +got):\n%s", diff)
	}
}

func TestRewriteStringsReachesEveryIdentifier(t *testing.T) {
	e := &event.Event{
		Kind:    event.KindDevice,
		Account: &event.Actor{Login: "Old@Sim.example"},
		Person:  &event.Person{EmployeeID: "E1", Emails: []string{"old@sim.example"}},
		Device:  &event.Device{Rows: event.RowsOf(map[string]string{"user": "E1", "other": "keep"})},
		Time:    detecttest.Start,
	}
	ids := map[string]string{"E1": "E9", "old@sim.example": "new@acme.example"}
	rewriteStrings(reflect.ValueOf(e).Elem(), func(s string) string {
		if v, ok := ids[strings.ToLower(s)]; ok {
			return v
		}
		if v, ok := ids[s]; ok {
			return v
		}
		return s
	})
	if e.Actor().Login != "new@acme.example" || e.Person.EmployeeID != "E9" || e.Person.Emails[0] != "new@acme.example" ||
		e.Device.Rows[0].Get("user") != "E9" || e.Device.Rows[0].Get("other") != "keep" || !e.Time.Equal(detecttest.Start) {
		t.Errorf("rewritten event: actor %q, person %+v, rows %v", e.Actor().Login, e.Person, e.Device.Rows)
	}
}

func TestEvasions(t *testing.T) {
	home := event.Network{IP: netip.MustParseAddr("73.1.2.3"), Country: "US", ISP: "Comcast"}
	vpn := event.Network{IP: netip.MustParseAddr("45.8.9.10"), Country: "US", IsProxy: true, IsHosting: true}
	roster := detecttest.Roster(1, "E1", "a@acme.example", "US")
	roster.Person.Timezone = "America/Chicago"
	// Sign-ins at 02:00 Chicago time: hours of a zone eleven hours ahead.
	night := time.Date(2025, 3, 4, 8, 0, 0, 0, time.UTC)
	s1 := detecttest.OktaSignIn(1, "a@acme.example", night, home, "Windows")
	s2 := detecttest.OktaSignIn(2, "a@acme.example", night.Add(time.Hour), vpn, "Windows")
	s3 := detecttest.OktaSignIn(3, "a@acme.example", night.Add(2*time.Hour), home, "Windows")
	usb := &event.Event{Kind: event.KindDevice, Device: &event.Device{Table: "usb_devices", Rows: event.RowsOf(
		map[string]string{"vendor_id": "1d6b", "model_id": "0104", "vendor": "PiKVM", "model": "PiKVM Composite Device", "serial": "CAFEBABE"},
		map[string]string{"vendor_id": "05ac", "model_id": "024f", "vendor": "Apple", "model": "Keyboard"})}}
	ship := &event.Event{Kind: event.KindShipment, Shipment: &event.Shipment{EmployeeID: "E1", ShipTo: event.Address{Street: "1 Farm Rd", Locality: "Bowie", Country: "US", Formatted: "1 Farm Rd\nBowie"}}}
	ip := &injected{scenario: Library[0], variant: Evasive, events: []*event.Event{roster, s1, s2, s3, usb, ship}}
	evade(ip, 3)

	if diff := cmp.Diff([]string{EvadeNightShift, EvadeNoVPN, EvadeUSBIDs, EvadeForwarder}, ip.evasions); diff != "" {
		t.Errorf("evasions (-want +got):\n%s", diff)
	}
	if h := s1.Time.In(time.FixedZone("CST", -6*3600)).Hour(); h < 11 || h > 15 {
		t.Errorf("after the night shift the first sign-in is at %d:00 Chicago time, want early afternoon", h)
	}
	if *s2.SignIn.Net != *s1.SignIn.Net {
		t.Errorf("VPN sign-in now from %+v, want the home line", *s2.SignIn.Net)
	}
	if r := usb.Device.Rows[0]; r.Get("vendor_id") != "046d" || r.Get("serial") != "" || strings.Contains(r.Get("vendor"), "PiKVM") {
		t.Errorf("IP-KVM still looks like one: %v", r)
	}
	if usb.Device.Rows[1].Get("vendor") != "Apple" {
		t.Errorf("other USB device changed: %v", usb.Device.Rows[1])
	}
	if a := ship.Shipment.ShipTo; a.Street == "1 Farm Rd" || !strings.Contains(a.Street, "PMB") || a.Formatted != "" {
		t.Errorf("ship-to %+v, want a mail-forwarder suite", a)
	}
	other := &event.Event{Kind: event.KindShipment, Shipment: &event.Shipment{EmployeeID: "E2", ShipTo: event.Address{Street: "1 Farm Rd"}}}
	forwarder([]*event.Event{other}, 4)
	if other.Shipment.ShipTo.Street == ship.Shipment.ShipTo.Street {
		t.Error("two evasive personas ship to the same forwarder address")
	}
}

func TestDistinctContactsSeparatesAWave(t *testing.T) {
	mk := func(id string) *event.Event {
		return &event.Event{Kind: event.KindApplicant, Applicant: &event.Applicant{CandidateID: id,
			Phones: []string{"+1 415-555-0134"}, Emails: []string{"codesmith7.dev3@gmail.com"}, Websites: []string{"https://codesmith7.github.io"}}}
	}
	a, b := mk("101"), mk("102")
	distinctContacts([]*event.Event{a}, 0)
	distinctContacts([]*event.Event{b}, 1)
	x, y := a.Applicant, b.Applicant
	if x.Phones[0] == y.Phones[0] || x.Emails[0] == y.Emails[0] || x.Websites[0] == y.Websites[0] {
		t.Errorf("applicants still share a contact: %+v / %+v", x, y)
	}
	if !strings.HasPrefix(x.Phones[0], "+1 415-555-") || !strings.HasSuffix(x.Emails[0], "@gmail.com") || !strings.HasPrefix(x.Websites[0], "https://") {
		t.Errorf("contacts no longer look like contacts: %+v", x)
	}
}

func TestSilentReasons(t *testing.T) {
	inds := list.Indicators()
	prof := &Profile{Sources: []SourceSpan{{Format: "okta"}, {Format: "scim"}, {Format: "payroll"}}}
	cov := coverage(inds, prof)
	careful := Library[1] // expects IAM-02, PAY-01, IAM-03
	ip := &injected{id: "E9", scenario: careful, variant: Standard, kind: "employee", tells: []string{"IAM-02", "PAY-01", "ONB-02"}}
	rp := &report.Person{ID: "E9", Level: "medium", Flagged: true, Score: 40, Indicators: []report.Indicator{
		{ID: "IAM-02", Name: "shared MFA", Stage: "identity", Points: 40},
		{ID: "PAY-01", Name: "shared payout", Stage: "payroll", Suppressed: "approved shared family account"},
	}}
	got := personaResult(ip, rp, cov, prof)
	want := map[string]string{"PAY-01": AllowListed, "IAM-03": BelowThreshold, "ONB-02": NoData}
	for _, s := range got.Silent {
		if want[s.ID] != s.Reason {
			t.Errorf("%s silent for %q (%s), want %q", s.ID, s.Reason, s.Detail, want[s.ID])
		}
		delete(want, s.ID)
	}
	if len(want) > 0 {
		t.Errorf("not reported silent: %v (silent: %+v)", want, got.Silent)
	}
	if !got.Caught || got.Level != "medium" || len(got.Fired) != 1 || got.Fired[0].ID != "IAM-02" || got.Stage != "identity" {
		t.Errorf("persona result %+v", got)
	}

	// Evaded, and what would have caught a persona that got through.
	ev := &injected{id: "cand-1", scenario: Library[3], variant: Evasive, kind: "applicant", evasions: []string{EvadeContacts}, tells: []string{"APP-01"}}
	ghOnly := &Profile{Sources: []SourceSpan{{Format: "greenhouse"}}}
	got = personaResult(ev, nil, coverage(inds, ghOnly), ghOnly)
	if got.Caught || got.Level != "none" || len(got.WouldCatch) == 0 {
		t.Errorf("uncaught persona %+v", got)
	}
	reasons := map[string]string{}
	for _, s := range got.Silent {
		reasons[s.ID] = s.Reason
	}
	if reasons["APP-01"] != Evaded || reasons["APP-04"] != NoData {
		t.Errorf("silent reasons %v, want APP-01 evaded and APP-04 no data", reasons)
	}
	if !strings.Contains(strings.Join(got.WouldCatch, " "), "APP-04") {
		t.Errorf("would catch %q, want résumés (APP-04) named", got.WouldCatch)
	}
}

func TestBlindSpotsArePhrasedAsActions(t *testing.T) {
	prof := &Profile{Sources: []SourceSpan{{Format: "okta"}, {Format: "scim"}, {Format: "github"}}}
	cov := coverage(list.Indicators(), prof)
	rep := &Report{ByScenario: []Tally{{Group: "careful-cell", Injected: 2, Caught: 1}}, Personas: []Persona{{ID: "E9", Scenario: "careful-cell", Variant: Evasive}}}
	spots := blindSpots(cov, prof, rep)
	for _, want := range []string{"no endpoint data", "GitHub audit log without IP disclosure: IAM-03", "careful-cell: 1 of 2 personas got through (E9 (evasive))"} {
		if strings.Contains(strings.Join(spots, "\n"), "no HR roster:") {
			t.Errorf("blind spots %q report a missing roster the inputs have", spots)
		}
		if !strings.Contains(strings.Join(spots, "\n"), want) {
			t.Errorf("blind spots %q lack %q", spots, want)
		}
	}
	if s := strings.Join(blindSpots(cov, &Profile{Sources: []SourceSpan{{Format: "okta"}}}, rep), "\n"); !strings.Contains(s, "no HR roster: accounts") {
		t.Errorf("blind spots without a roster %q lack the missing roster", s)
	}
	prof.GitHubIPs = true
	if s := strings.Join(blindSpots(cov, prof, rep), "\n"); strings.Contains(s, "IP disclosure:") {
		t.Errorf("GitHub IP disclosure reported missing although the log has IPs: %q", s)
	}
}

func TestScenarios(t *testing.T) {
	all, err := Scenarios(nil)
	if err != nil || len(all) != len(Library) {
		t.Fatalf("Scenarios(nil) = %d, %v", len(all), err)
	}
	for _, s := range Library {
		if s.Description == "" || len(s.Sources) == 0 || len(s.Expect) == 0 || len(s.Evasions) == 0 {
			t.Errorf("scenario %s lacks a description, sources, expected indicators or evasions", s.ID)
		}
		for _, id := range s.Expect {
			if _, ok := list.ByID(id); !ok {
				t.Errorf("scenario %s expects unregistered indicator %s", s.ID, id)
			}
		}
	}
	if _, err := Scenarios([]string{"laptop-farm", "bogus"}); err == nil || !strings.Contains(err.Error(), `"bogus"`) || !strings.Contains(err.Error(), "careful-cell") {
		t.Errorf("unknown scenario error %v, want the name and the known ones", err)
	}
}

func TestRenderersEscapeAndSayWhatGotThrough(t *testing.T) {
	d := 3
	rep := &Report{Seed: 1, Injected: 2, Caught: 1, CatchRate: 0.5,
		Personas: []Persona{
			{ID: "<script>alert(1)</script>", Scenario: "laptop-farm", Variant: Standard, Caught: true, Level: "high", DaysToFlag: &d, Fired: []Fired{{ID: "ONB-02"}}},
			{ID: "cand-9", Scenario: "applicant-wave", Variant: Evasive, Level: "none", WouldCatch: []string{"APP-04 (needs resumes data, which the inputs lack)"}},
		},
		BlindSpots: []string{"no résumé data: <b>x</b>"}}
	var h bytes.Buffer
	if err := WriteHTML(&h, rep); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h.String(), "<script>alert") || strings.Contains(h.String(), "<b>x</b>") {
		t.Error("HTML report does not escape persona ids or blind spots")
	}
	var txt bytes.Buffer
	if err := WriteText(&txt, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1 of 2 injected personas caught (50%)", "day 3", "cand-9 (applicant-wave, evasive): APP-04", "no résumé data"} {
		if !strings.Contains(txt.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, txt.String())
		}
	}
}

func TestDisjointChangesOnlyCollidingIdentifiers(t *testing.T) {
	realShip := &event.Event{Kind: event.KindShipment, Shipment: &event.Shipment{EmployeeID: "E1", AssetSerial: "C02XK1ABC9", ShipTo: event.Address{Street: "8851 Ridgewood Ave"}}}
	realSign := detecttest.OktaSignIn(1, "a@acme.example", detecttest.Start, event.Network{IP: netip.MustParseAddr("45.8.9.10")}, "Windows")
	prof := Learn([]*event.Event{realShip, realSign})

	ship := func(id string) *event.Event {
		return &event.Event{Kind: event.KindShipment, Shipment: &event.Shipment{EmployeeID: id, AssetSerial: "C02XK1ABC9", ShipTo: event.Address{Street: "8851 Ridgewood Ave"}}}
	}
	a, b := ship("E7"), ship("E8")
	b.Shipment.AssetSerial = "ZZ99"
	host := &event.Event{Kind: event.KindDevice, Device: &event.Device{HostID: "h1", Rows: event.RowsOf(map[string]string{"hardware_serial": "C02XK1ABC9"})}}
	sign := detecttest.OktaSignIn(2, "x@acme.example", detecttest.Start, event.Network{IP: netip.MustParseAddr("45.8.9.10"), ASN: 9009}, "Windows")
	personas := []*injected{{events: []*event.Event{a, host, sign}}, {events: []*event.Event{b}}}
	ids := map[string]string{}
	disjoint(prof, personas, ids)
	for _, ip := range personas {
		for _, e := range ip.events {
			rewriteStrings(reflect.ValueOf(e).Elem(), func(s string) string {
				if v, ok := ids[s]; ok {
					return v
				}
				return s
			})
		}
	}
	if a.Shipment.AssetSerial == "C02XK1ABC9" || host.Device.Rows[0].Get("hardware_serial") != a.Shipment.AssetSerial {
		t.Errorf("serial shipped %q, seen %q: want changed, the same way in both", a.Shipment.AssetSerial, host.Device.Rows[0].Get("hardware_serial"))
	}
	if b.Shipment.AssetSerial != "ZZ99" {
		t.Errorf("a serial the real data does not have was changed to %q", b.Shipment.AssetSerial)
	}
	if a.Shipment.ShipTo.Street == "8851 Ridgewood Ave" || a.Shipment.ShipTo.Street != b.Shipment.ShipTo.Street {
		t.Errorf("streets %q and %q: want changed from the real one and still shared by the two personas", a.Shipment.ShipTo.Street, b.Shipment.ShipTo.Street)
	}
	if sign.Net().IP == realSign.Net().IP || sign.Net().ASN != 9009 {
		t.Errorf("injected sign-in from %v (ASN %d): want another address of the same network", sign.Net().IP, sign.Net().ASN)
	}
}

func TestBump(t *testing.T) {
	for _, c := range []struct{ in, want string }{{"E00123", "E00124"}, {"1MJL47G7GX", "1MJL47G8GX"}, {"+1 415-555-0199", "+1 415-555-0200"}, {"99", "00"}, {"abc", "abc-1"}} {
		if got := bump(c.in, 1); got != c.want {
			t.Errorf("bump(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
