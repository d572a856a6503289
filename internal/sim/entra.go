package sim

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// Microsoft Entra ID sign-in log writer, for organisations whose identity
// provider is Entra (Config.IdP): Microsoft Graph beta signIn resources in
// one auditLogs/signIns page, {"@odata.context": …, "value": [...]}, in
// time order. Every activity becomes its failed attempts (error 50126), one
// interactive sign-in (with MFA by Authenticator push when the activity
// had MFA) and a token refresh or two (non-interactive) during the session.

// entraApp is an application users sign in to.
type entraApp struct {
	name, id, resource, resourceID string
}

var entraApps = []entraApp{
	{"My Apps", "2793995e-0a7d-40d7-bd35-6968ba142197", "Microsoft Graph", "00000003-0000-0000-c000-000000000000"},
	{"Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams Services", "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"},
	{"Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000"},
	{"Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Graph", "00000003-0000-0000-c000-000000000000"},
}

// entraRec is one signIn.
type entraRec struct {
	t           time.Time
	seq         uint64
	a           *Activity
	interactive bool
	failed      bool
	mfa         bool
	app         entraApp
	corr        string
}

func (r entraRec) stamp() (time.Time, uint64) { return r.t, r.seq }

// sessionEntra appends the sign-ins of one activity.
func (o *Org) sessionEntra(r *rand.Rand, a *Activity, out []entraRec) []entraRec {
	corr := uuid4(r)
	app := entraApps[r.IntN(len(entraApps))]
	if a.Person.src.engineer && chance(r, 0.3) {
		app = entraApp{"GitHub Enterprise Managed User", o.guid("app|github"), "GitHub Enterprise Managed User", o.guid("app|github")}
	}
	for i := a.Failures; i > 0; i-- {
		t := a.Start.Add(-time.Duration(i*between(r, 8, 40)) * time.Second)
		out = append(out, entraRec{t: t, a: a, interactive: true, failed: true, app: app, corr: uuid4(r)})
	}
	out = append(out, entraRec{t: a.Start, a: a, interactive: true, mfa: a.MFA != nil, app: app, corr: corr})
	if span := a.End.Sub(a.Start); span > time.Hour {
		for range between(r, 0, 2) {
			t := a.Start.Add(time.Duration(r.Int64N(int64(span))))
			out = append(out, entraRec{t: t, a: a, app: entraApps[3], corr: uuid4(r)})
		}
	}
	return out
}

// mySignIns is the app a user registers security info in.
var mySignIns = entraApp{"My Signins", "19db86c3-b2b9-44cc-b339-36da233a3be2", "Microsoft Graph", "00000003-0000-0000-c000-000000000000"}

// entraEnrolments are the interactive sign-ins to My Sign-Ins in which new
// hires registered Microsoft Authenticator (completing MFA with it), from
// where and on what planEnrolments drew.
func (o *Org) entraEnrolments() []entraRec {
	var out []entraRec
	for _, en := range o.enrolments {
		r := newRand(o.cfg.Seed, streamEnrolment, 0, uint64(en.p.Index))
		a := &Activity{Person: en.p, Start: en.at, End: en.at.Add(time.Duration(between(r, 2, 6)) * time.Minute),
			Egress: en.egress, Device: en.device, MFA: en.phone}
		out = append(out, entraRec{t: en.at, a: a, interactive: true, mfa: true, app: mySignIns, corr: uuid4(r)})
	}
	return out
}

// WriteEntra writes the Entra ID sign-in log as one Graph page.
func (o *Org) WriteEntra(w io.Writer) error {
	if _, err := io.WriteString(w, `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns","value":[`+"\n"); err != nil {
		return fmt.Errorf("entra sign-in log: %w", err)
	}
	rs := newReseeder()
	ids := newRand(o.cfg.Seed, streamEntra, 0, 0)
	var tl timeline[entraRec]
	var recs []entraRec
	enrolled := false
	add := func(d int, acts []*Activity) {
		if !enrolled { // every registration waits in the timeline for its time
			enrolled = true
			for _, e := range o.entraEnrolments() {
				e.seq = tl.next()
				tl.pending = append(tl.pending, e)
			}
		}
		for _, a := range acts {
			recs = o.sessionEntra(rs.at(o.cfg.Seed, streamEntra, uint64(a.Person.Index), uint64(a.Start.UnixNano())), a, recs[:0])
			for _, e := range recs {
				e.seq = tl.next()
				tl.pending = append(tl.pending, e)
			}
		}
	}
	ua := uaCache{}
	first := true
	encode := func(b []byte, e *entraRec) []byte {
		if !first {
			b = append(b, ",\n"...)
		}
		first = false
		return o.appendSignIn(b, e, ids, ua)
	}
	if err := streamDays(o, w, &tl, add, encode); err != nil {
		return fmt.Errorf("entra sign-in log: %w", err)
	}
	if _, err := io.WriteString(w, "\n]}\n"); err != nil {
		return fmt.Errorf("entra sign-in log: %w", err)
	}
	return nil
}

// appendSignIn appends one signIn resource, fields in Graph's order.
func (o *Org) appendSignIn(b []byte, e *entraRec, r *rand.Rand, ua uaCache) []byte {
	a := e.a
	p, dev, eg := a.Person, a.Device, a.Egress
	b = append(b, `{"id":`...)
	b = appendStr(b, uuid4(r))
	b = append(b, `,"createdDateTime":"`...)
	b = e.t.UTC().AppendFormat(b, "2006-01-02T15:04:05Z")
	b = append(b, `","userDisplayName":`...)
	b = appendStr(b, p.Name())
	b = append(b, `,"userPrincipalName":`...)
	b = appendStr(b, p.WorkEmail)
	b = append(b, `,"userId":`...)
	b = appendStr(b, p.src.entraID)
	b = append(b, `,"appId":`...)
	b = appendStr(b, e.app.id)
	b = append(b, `,"appDisplayName":`...)
	b = appendStr(b, e.app.name)
	b = append(b, `,"ipAddress":"`...)
	b = eg.IP.AppendTo(b)
	b = append(b, `","clientAppUsed":`...)
	if e.interactive {
		b = append(b, `"Browser"`...)
	} else {
		b = append(b, `"Mobile Apps and Desktop clients"`...)
	}
	b = append(b, `,"userAgent":`...)
	b = appendStr(b, ua.get(dev, e.t).Raw)
	b = append(b, `,"correlationId":`...)
	b = appendStr(b, e.corr)
	b = append(b, `,"conditionalAccessStatus":`...)
	switch {
	case e.failed:
		b = append(b, `"notApplied"`...)
	default:
		b = append(b, `"success"`...)
	}
	b = append(b, `,"isInteractive":`...)
	b = appendBool(b, e.interactive)
	b = append(b, `,"signInEventTypes":[`...)
	if e.interactive {
		b = append(b, `"interactiveUser"`...)
	} else {
		b = append(b, `"nonInteractiveUser"`...)
	}
	risk, types := "none", ""
	if eg.Proxy {
		risk, types = "medium", `"anonymizedIPAddress"`
	}
	b = append(b, `],"riskDetail":"none","riskLevelAggregated":"`...)
	b = append(b, risk...)
	b = append(b, `","riskLevelDuringSignIn":"`...)
	b = append(b, risk...)
	b = append(b, `","riskState":"`...)
	if eg.Proxy {
		b = append(b, "atRisk"...)
	} else {
		b = append(b, "none"...)
	}
	b = append(b, `","riskEventTypes_v2":[`+types+`],"resourceDisplayName":`...)
	b = appendStr(b, e.app.resource)
	b = append(b, `,"resourceId":`...)
	b = appendStr(b, e.app.resourceID)
	switch {
	case e.failed:
		b = append(b, `,"status":{"errorCode":50126,"failureReason":"Error validating credentials due to invalid username or password.","additionalDetails":"The user didn't enter the right credentials. It's expected to see some number of these errors in the logs due to users making mistakes."}`...)
	case e.mfa:
		b = append(b, `,"status":{"errorCode":0,"failureReason":"Other.","additionalDetails":"MFA completed in Azure AD"}`...)
	case e.interactive:
		b = append(b, `,"status":{"errorCode":0,"failureReason":"Other.","additionalDetails":"MFA requirement satisfied by claim in the token"}`...)
	default:
		b = append(b, `,"status":{"errorCode":0,"failureReason":"Other.","additionalDetails":null}`...)
	}
	b = o.appendDeviceDetail(b, p, dev, e.t)
	b = append(b, `,"location":{"city":`...)
	b = appendStr(b, eg.Place.City)
	b = append(b, `,"state":`...)
	b = appendStr(b, eg.Place.Region)
	b = append(b, `,"countryOrRegion":`...)
	b = appendStr(b, eg.Place.Country)
	b = append(b, `,"geoCoordinates":{"altitude":null,"latitude":`...)
	b = appendCoord(b, eg.Lat)
	b = append(b, `,"longitude":`...)
	b = appendCoord(b, eg.Lon)
	b = append(b, `}},"mfaDetail":`...)
	if e.mfa {
		b = append(b, `{"authMethod":"Mobile app notification","authDetail":null},"authenticationAppDeviceDetails":{"deviceId":`...)
		b = appendStr(b, o.guid("authenticator|"+a.MFA.ID))
		b = append(b, `,"operatingSystem":`...)
		if a.MFA.Platform == "ANDROID" {
			b = append(b, `"Android"`...)
		} else {
			b = append(b, `"iOS"`...)
		}
		b = append(b, `,"clientApp":"Microsoft Authenticator","appVersion":"6.8.32"}`...)
	} else {
		b = append(b, `{"authMethod":null,"authDetail":null}`...)
	}
	b = append(b, `,"autonomousSystemNumber":`...)
	b = strconv.AppendUint(b, uint64(eg.ISP.ASN), 10)
	return append(b, '}')
}

// appendDeviceDetail appends the deviceDetail of the session's device:
// company laptops are joined (Windows) or registered (Mac) and compliant;
// phones and home computers are unknown to Entra.
func (o *Org) appendDeviceDetail(b []byte, p *Person, dev *Device, t time.Time) []byte {
	os := "MacOs"
	switch dev.Platform {
	case "WINDOWS":
		os = "Windows10"
	case "IOS":
		os = "Ios"
	case "ANDROID":
		os = "Android"
	}
	var browser string
	switch {
	case dev.Platform == "IOS":
		browser = "Mobile Safari " + majorMinor(dev.OSVersion)
	case dev.Platform == "ANDROID":
		browser = "Chrome Mobile " + strconv.Itoa(chromeMajor(t)) + ".0.0"
	case dev.Browser == "safari":
		browser = "Safari 18.6"
	case dev.Browser == "firefox":
		browser = "Firefox " + strconv.Itoa(chromeMajor(t)+3) + ".0"
	default:
		browser = "Chrome " + strconv.Itoa(chromeMajor(t)) + ".0.0"
	}
	b = append(b, `,"deviceDetail":{"deviceId":`...)
	if dev == p.Laptop {
		b = appendStr(b, o.guid("device|"+dev.ID))
		b = append(b, `,"displayName":`...)
		b = appendStr(b, p.src.host.hostname)
		trust := "Azure AD registered"
		if dev.Platform == "WINDOWS" {
			trust = "Azure AD joined"
		}
		b = append(b, `,"operatingSystem":"`+os+`","browser":`...)
		b = appendStr(b, browser)
		return append(b, `,"isCompliant":true,"isManaged":true,"trustType":"`+trust+`"}`...)
	}
	b = append(b, `"","displayName":"","operatingSystem":"`+os+`","browser":`...)
	b = appendStr(b, browser)
	return append(b, `,"isCompliant":false,"isManaged":false,"trustType":""}`...)
}
