package onboarding

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/enrich/ipintel"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// InterviewContinuity is ONB-08 (rollcall's own; no catalogue source joins
// these records): the person interviewed, the person who enrolled MFA and
// the person who first signed in on the shipped laptop are in different
// places.
type InterviewContinuity struct{}

var (
	_ detect.Indicator    = (*InterviewContinuity)(nil)
	_ detect.PersonScoped = (*InterviewContinuity)(nil)
)

// ID implements detect.Indicator.
func (*InterviewContinuity) ID() string { return "ONB-08" }

// Name implements detect.Indicator.
func (*InterviewContinuity) Name() string {
	return "Interviewee, MFA enrolment and first laptop sign-in in different places"
}

// Stage implements detect.Indicator.
func (*InterviewContinuity) Stage() detect.Stage { return detect.StageOnboarding }

// Strength implements detect.Indicator.
func (*InterviewContinuity) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator: the interviews, the identity
// provider's MFA and sign-in events, and the shipment.
func (*InterviewContinuity) Sources() []string {
	return []string{"zoom", "teams", "okta", "entra", "shipments"}
}

// Weight implements detect.Indicator.
func (*InterviewContinuity) Weight() float64 { return 30 }

// PersonScoped implements detect.PersonScoped.
func (*InterviewContinuity) PersonScoped() {}

// Confidences.
const (
	confThreePlaces = 0.85 // interview, MFA and laptop each somewhere else
	confTwoAgainst  = 0.65 // interview and MFA agree with each other, not with the laptop
	confHiddenOnly  = 0.4  // … but both only through VPNs (a privacy-minded hire whose laptop is at home)
)

// Description implements detect.Indicator.
func (*InterviewContinuity) Description() string {
	return "Three moments that should be one person in one place: the interviews (Zoom or Teams meetings the hire " +
		"joined as a candidate), the MFA enrolment (the first identity-provider event that used an MFA factor: Okta " +
		"factor activation or MFA step, Entra sign-in that completed MFA) and the first sign-in from a computer on or " +
		"after the laptop shipped (a managed one when the identity provider says). Each is placed by its network: a " +
		"country, or 'hidden' behind a VPN, proxy or hosting network; corporate gateways and allow-listed networks " +
		"place nobody. The finding is raised when neither the interviews nor the MFA enrolment happened where the " +
		"laptop first signs in — the laptop is somewhere its user never was (a laptop farm, operated remotely) — " +
		"strongest when all three places differ, weakest when the other two are only VPNs. A hire interviewed while " +
		"travelling who enrolled MFA at home is not flagged. Known false positives: a hire who enrolled MFA while " +
		"relocating and then received the laptop at the new home; IT enrolling MFA on the hire's behalf from another " +
		"office (the MFA record then names the help desk's network)."
}

// References implements detect.Indicator.
func (*InterviewContinuity) References() []string {
	return []string{
		"rollcall: joins interview, MFA enrolment and first laptop sign-in; none of the anchors does (issue 15)",
		"KnowBe4, How a North Korean Fake IT Worker Tried to Infiltrate Us, July 2024 (interviewee, MFA and laptop location diverge)",
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (laptop farms operated remotely)",
	}
}

// Detect implements detect.Indicator.
func (d *InterviewContinuity) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	return detect.EachPerson(ctx, in, "ONB-08", d.person)
}

// place is where one anchor event puts the person: a country, or hidden
// behind a VPN or hosting network; "" when it says nothing.
type place struct {
	where string // ISO country, or hiddenPlace
	e     *event.Event
}

const hiddenPlace = "a VPN or hosting network"

func placeOf(e *event.Event) place {
	f := e.Facts.Net
	if f == nil {
		return place{}
	}
	switch v := f.Verdict; {
	case v.Kind == event.NetSanctioned || v.Kind == event.NetGateway:
		return place{}
	case v.Hides():
		return place{hiddenPlace, e}
	case f.Country != "":
		return place{f.Country, e}
	}
	return place{}
}

// hiddenNote says that a place is a VPN or hosting network, with why.
func hiddenNote(pl place) string {
	if pl.where != hiddenPlace {
		return ""
	}
	return " — " + pl.e.Facts.Net.Verdict.Kind.String() + ": " + pl.e.Facts.Net.Verdict.Why
}

func (d *InterviewContinuity) person(p *profile.Person) (detect.Finding, bool) {
	laptop := firstLaptopSignIn(p)
	if laptop.where == "" || laptop.where == hiddenPlace {
		return detect.Finding{}, false
	}
	mfa := firstMFA(p)
	if mfa.where == "" || mfa.where == laptop.where {
		return detect.Finding{}, false
	}
	var interviews []place
	for _, e := range p.Interviews() {
		pl := placeOf(e)
		if pl.where == "" {
			continue
		}
		if pl.where == laptop.where {
			return detect.Finding{}, false // interviewed from where the laptop is
		}
		interviews = append(interviews, pl)
	}
	if len(interviews) == 0 {
		return detect.Finding{}, false
	}
	conf := confTwoAgainst
	onlyHidden := mfa.where == hiddenPlace
	for _, iv := range interviews {
		if iv.where != mfa.where {
			conf = confThreePlaces
		}
		onlyHidden = onlyHidden && iv.where == hiddenPlace
	}
	if onlyHidden {
		conf = confHiddenOnly
	}
	var ev []detect.Evidence
	var ivPlaces []string
	for _, iv := range interviews {
		ev = append(ev, detect.EvidenceOf(iv.e, "interview: %s from %s%s", detect.MeetingLabel(iv.e), ipintel.Describe(iv.e.Net()), hiddenNote(iv)))
		if !slices.Contains(ivPlaces, iv.where) {
			ivPlaces = append(ivPlaces, iv.where)
		}
	}
	ev = append(ev,
		detect.EvidenceOf(mfa.e, "MFA enrolment: %s %s from %s%s", detect.Stamp(mfa.e.Time), mfa.e.SignIn.Action, ipintel.Describe(mfa.e.Net()), hiddenNote(mfa)),
		detect.EvidenceOf(laptop.e, "first laptop sign-in: %s %s on %s from %s", detect.Stamp(laptop.e.Time), laptop.e.SignIn.Action,
			cmp.Or(laptop.e.SignIn.OS, "a computer"), ipintel.Describe(laptop.e.Net())))
	if len(p.Shipments) > 0 {
		s := p.Shipments[0]
		ev = append(ev, detect.EvidenceOf(s, "laptop %s shipped %s", s.Shipment.AssetTag, detect.Date(s.Time)))
	}
	ev, more := detect.CapEvidence(ev)
	return detect.Finding{
		Indicator: d.ID(),
		Person:    p.ID,
		Summary: fmt.Sprintf("%s was interviewed from %s, enrolled MFA from %s and first signed in on the shipped laptop from %s",
			p.Label(), strings.Join(ivPlaces, " and "), mfa.where, laptop.where) + more,
		Confidence: conf,
		Evidence:   ev,
	}, true
}

// firstMFA places the first event that used an MFA factor: a factor
// activation or MFA step, or a sign-in that names the MFA device.
func firstMFA(p *profile.Person) place {
	for _, e := range p.SignIns {
		si := e.SignIn
		if si.Outcome != event.OutcomeSuccess {
			continue
		}
		if si.MFADevice != "" || e.Facts.Device.Has(event.DeviceMFAStep) || strings.Contains(strings.ToLower(si.Action), "factor.activate") {
			return placeOf(e)
		}
	}
	return place{}
}

// firstLaptopSignIn places the first successful sign-in from a computer on
// or after the first shipment (without a shipment, the first from a
// managed computer), skipping computers the identity provider calls
// unmanaged.
func firstLaptopSignIn(p *profile.Person) place {
	var shipped time.Time
	if len(p.Shipments) > 0 {
		shipped = p.Shipments[0].Time
	}
	for _, e := range p.SignIns {
		si := e.SignIn
		if !e.Facts.Device.Has(event.DeviceComputer) || si.Managed == "unmanaged" || e.Time.Before(shipped) {
			continue
		}
		if shipped.IsZero() && si.Managed != "managed" {
			continue
		}
		return placeOf(e)
	}
	return place{}
}

// Examples implements detect.Indicator: a hire interviewed from Shenyang
// who enrolled MFA through an Astrill exit while the shipped laptop first
// signed in from Austin; and a hire interviewed from a hotel in Lisbon who
// enrolled MFA and first signed in on the laptop at home.
func (*InterviewContinuity) Examples() detect.Examples {
	return detect.Examples{
		Positive: detect.Example{Name: "three_places", Events: continuityCase("E870", "Lena Ortiz", detecttest.Shenyang, firstDaysAstrill), Person: "E870"},
		Negative: detect.Example{Name: "interviewed_while_travelling", Events: continuityCase("E871", "Mo Adeyemi", continuityLisbon, firstDaysAustin), Person: "E871"},
	}
}

var continuityLisbon = event.Network{IP: netip.MustParseAddr("203.0.113.145"), Country: "PT", City: "Lisbon", ASN: 3243, ASOrg: "meo - servicos de comunicacoes e multimedia, s.a."}

// continuityCase is a hire living in Austin, interviewed from interview a
// month before the hire, who enrols MFA from mfa on the first day and
// signs in on the laptop (shipped on the hire day) from Austin two days
// later.
func continuityCase(id, name string, interview, mfa event.Network) []*event.Event {
	home := event.Address{Street: "1 Main St", Locality: "Austin", Region: "TX", PostalCode: "78701", Country: "US"}
	email := id + "@example.com"
	personal := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@gmail.com"
	hr := rosterRecord(1, id, name, home)
	hr.Person.Emails = []string{email, personal}
	cand := &event.Event{
		Kind: event.KindApplicant, Time: exampleHired.AddDate(0, -2, 0),
		Prov:      event.Provenance{Origin: &event.Origin{Source: "greenhouse", File: "examples/greenhouse-candidates.json"}, Record: 1, ID: "c" + id},
		Applicant: &event.Applicant{CandidateID: "c" + id, Name: name, Emails: []string{personal}, CreatedAt: exampleHired.AddDate(0, -2, 0)},
	}
	enrol := firstDaysSignIn(1, email, exampleHired.Add(time.Hour), mfa, "Windows10", "unmanaged")
	enrol.SignIn.MFADevice = "authenticator-" + id
	return []*event.Event{
		hr, cand, shipmentRecord(1, id, "A-"+id, exampleHired, home),
		detecttest.MeetingRecord(1, "9100000"+id[1:], personal, exampleHired.AddDate(0, -1, 0), 45, interview, event.CameraOn),
		enrol,
		firstDaysSignIn(2, email, exampleHired.AddDate(0, 0, 2), firstDaysAustin, "Windows10", "managed"),
	}
}
