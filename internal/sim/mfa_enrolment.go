package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"
)

// MFA enrolments: when a new hire's Okta account is activated, Okta Verify
// is enrolled (user.mfa.factor.activate), a few minutes before the first
// session. A legitimate hire does it where they first sign in; an operator
// often enrols the factor on the cell's phone from their own machine, a
// day before the laptop reaches the farm — the moment ONB-08 compares with
// the interviews and the laptop. Drawn from a stream of its own after
// everything else and written as a separate System Log export (Okta
// organisations only), so that no other output changes.

// FileOktaMFA is the Okta System Log file of MFA enrolments WriteDir
// writes for Okta organisations.
const FileOktaMFA = "okta-mfa-enrolments.ndjson"

// enrolment is one Okta Verify enrolment.
type enrolment struct {
	p      *Person
	at     time.Time
	egress *Egress
	device *Device // the computer the enrolment ran in
	phone  *Device // the phone registered (Entra), nil when never prompted
	factor string  // the AuthenticatorEnrollment id
}

// planEnrolments draws the enrolment of every hire who starts inside the
// window: an Okta Verify activation in an Okta organisation, the sign-in
// to My Sign-Ins that registers Microsoft Authenticator in an Entra one
// (written into the sign-in log, entra.go).
func (o *Org) planEnrolments() {
	for _, p := range o.People {
		if !o.hiredInWindow(p) {
			continue
		}
		acts := o.PersonActivities(p)
		var first *Activity
		for _, a := range acts {
			if !a.Device.Mobile {
				first = a
				break
			}
		}
		if first == nil {
			continue
		}
		phone := first.MFA
		for _, a := range acts {
			if phone == nil {
				phone = a.MFA
			}
		}
		if phone == nil && o.cfg.IdP == IdPEntra {
			continue // never prompted: nothing registered
		}
		r := newRand(o.cfg.Seed, streamMeetings, 3, uint64(p.Index))
		en := &enrolment{p: p, at: first.Start.Add(-time.Duration(between(r, 2, 20)) * time.Minute), egress: first.Egress,
			device: first.Device, phone: phone, factor: "pfd" + randBase62(r, 17)}
		if op := p.Op; op != nil && chance(r, remoteEnrolment(op)) {
			en.at = first.Start.Add(-time.Duration(between(r, 12, 30)) * time.Hour)
			en.device = op.Machine
			if chance(r, 0.6) {
				en.egress = pick(r, op.Cell.VPN)
			} else {
				isp := ispByKey(pick(r, op.Cell.Real.ISPs))
				en.egress = newEgress(r, isp.randomIP(r), isp, op.Cell.Real)
			}
		}
		o.enrolments = append(o.enrolments, en)
	}
}

// remoteEnrolment is how likely an operative enrols the factor from the
// operator's machine rather than where the laptop first signs in: almost
// always when the laptop sits in a farm (the operator holds the phone; the
// facilitator only plugs the laptop in), less when the operative keeps the
// laptop, least when careful.
func remoteEnrolment(op *Operative) float64 {
	switch {
	case op.LaptopAt == "farm" && op.Careful:
		return 0.5
	case op.LaptopAt == "farm":
		return 0.9
	case op.Careful:
		return 0.25
	}
	return 0.6
}

// oktaEnrolEvent is the part of a System Log LogEvent an enrolment writes.
type oktaEnrolEvent struct {
	Actor  oktaRef `json:"actor"`
	Client struct {
		UserAgent struct {
			RawUserAgent string `json:"rawUserAgent"`
			OS           string `json:"os"`
			Browser      string `json:"browser"`
		} `json:"userAgent"`
		Zone                *string         `json:"zone"`
		Device              string          `json:"device"`
		IPAddress           string          `json:"ipAddress"`
		GeographicalContext json.RawMessage `json:"geographicalContext"`
	} `json:"client"`
	DisplayMessage string `json:"displayMessage"`
	EventType      string `json:"eventType"`
	Outcome        struct {
		Result string  `json:"result"`
		Reason *string `json:"reason"`
	} `json:"outcome"`
	Published       string `json:"published"`
	SecurityContext struct {
		AsNumber uint32 `json:"asNumber"`
		AsOrg    string `json:"asOrg"`
		ISP      string `json:"isp"`
		Domain   string `json:"domain"`
		IsProxy  bool   `json:"isProxy"`
	} `json:"securityContext"`
	Severity        string    `json:"severity"`
	LegacyEventType string    `json:"legacyEventType"`
	UUID            string    `json:"uuid"`
	Version         string    `json:"version"`
	Target          []oktaRef `json:"target"`
}

type oktaRef struct {
	ID          string  `json:"id"`
	Type        string  `json:"type"`
	AlternateID string  `json:"alternateId"`
	DisplayName string  `json:"displayName"`
	DetailEntry *string `json:"detailEntry"`
}

// WriteOktaMFA writes the enrolments as Okta System Log events, one per
// line, in time order.
func (o *Org) WriteOktaMFA(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	ua := uaCache{}
	for i, en := range o.sortedEnrolments() {
		r := newRand(o.cfg.Seed, streamMeetings, 4, uint64(i))
		var ev oktaEnrolEvent
		p := en.p
		ev.Actor = oktaRef{ID: p.OktaID, Type: "User", AlternateID: p.WorkEmail, DisplayName: p.Name()}
		u := ua.get(en.device, en.at)
		ev.Client.UserAgent.RawUserAgent, ev.Client.UserAgent.OS, ev.Client.UserAgent.Browser = u.Raw, u.OS, u.Browser
		ev.Client.Device, ev.Client.IPAddress = "Computer", en.egress.IP.String()
		if en.egress.Zone != "" {
			ev.Client.Zone = &en.egress.Zone
		}
		ev.Client.GeographicalContext = appendGeo(nil, en.egress)
		ev.DisplayMessage, ev.EventType, ev.LegacyEventType = "Activate factor or authenticator enrollment", "user.mfa.factor.activate", "core.user.factor.activate"
		ev.Outcome.Result, ev.Published, ev.Severity, ev.Version = "SUCCESS", en.at.UTC().Format("2006-01-02T15:04:05.000Z"), "INFO", "0"
		isp := en.egress.ISP
		ev.SecurityContext.AsNumber, ev.SecurityContext.AsOrg, ev.SecurityContext.ISP, ev.SecurityContext.Domain = isp.ASN, isp.ASOrg, isp.Name, isp.Domain
		ev.SecurityContext.IsProxy = en.egress.Proxy
		ev.UUID = uuid4(r)
		ev.Target = []oktaRef{
			{ID: p.OktaID, Type: "User", AlternateID: p.WorkEmail, DisplayName: p.Name()},
			{ID: en.factor, Type: "AuthenticatorEnrollment", AlternateID: "unknown", DisplayName: "Okta Verify"},
		}
		if err := enc.Encode(ev); err != nil {
			return fmt.Errorf("%s: %w", FileOktaMFA, err)
		}
	}
	return nil
}

func (o *Org) sortedEnrolments() []*enrolment {
	out := slices.Clone(o.enrolments)
	slices.SortStableFunc(out, func(a, b *enrolment) int { return a.at.Compare(b.at) })
	return out
}

// continuityTells is ONB-08 when the data shows it: the hire's MFA
// enrolment and every interview Zoom locates are somewhere other than the
// country the laptop first signs in from. An interview through a VPN exit
// shows only the exit's country (Zoom gives no AS); the enrolment, an Okta
// event, says when its network hides.
func (o *Org) continuityTells(p *Person, acts []*Activity) []string {
	var en *enrolment
	for _, e := range o.enrolments {
		if e.p == p {
			en = e
		}
	}
	if en == nil || p.Candidate == nil {
		return nil
	}
	var laptop *Activity
	for _, a := range acts {
		if a.Device == p.Laptop {
			laptop = a
			break
		}
	}
	if laptop == nil {
		return nil
	}
	l, m := egressPlace(laptop.Egress), egressPlace(en.egress)
	if l == "" || l == "hidden" || m == "" || m == l {
		return nil
	}
	n := 0
	for _, iv := range o.interviews {
		if iv.cand != p.Candidate || iv.teams || iv.net.ISP.Kind == SecureGateway {
			continue
		}
		if iv.net.Place.Country == l {
			return nil
		}
		n++
	}
	if n == 0 {
		return nil
	}
	return []string{"ONB-08"}
}

// egressPlace is where an Okta event from e places a person: "hidden"
// behind a VPN or hosting network, "" behind a corporate gateway, else the
// country.
func egressPlace(e *Egress) string {
	switch {
	case e.ISP.Kind == SecureGateway:
		return ""
	case e.ISP.Kind == Hosting || e.Proxy:
		return "hidden"
	}
	return e.Place.Country
}
