// Package okta reads the Okta System Log: LogEvent objects as returned by
// GET /api/v1/logs, as a JSON array or one event per line (NDJSON).
//
// Sign-in related events (user.session.*, user.authentication.*, user.mfa.*
// and policy.evaluate_sign_on) become event.KindSignIn; every other event
// type becomes event.KindAudit. Okta's own network context (geography,
// securityContext ASN / proxy flag) is kept with GeoSource "okta".
package okta

import (
	"context"
	"io"
	"net/netip"
	"regexp"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/geo"
	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "okta"

// Format is the Okta System Log format.
type Format struct{}

var _ source.Format = (*Format)(nil)

// New returns the Okta System Log format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "Okta System Log events (GET /api/v1/logs LogEvent objects), JSON array or NDJSON"
}

// Sniff claims JSON whose first record has eventType and published and
// either actor or uuid (keys in any case).
func (*Format) Sniff(head []byte) bool {
	keys, ok := source.SniffJSONKeys(head)
	return ok && keys["eventtype"] && keys["published"] && (keys["actor"] || keys["uuid"])
}

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	return source.DecodeJSON(ctx, r, file, ID, nil, sink, parse)
}

// timeLayouts are the forms of "published" accepted: Okta's RFC 3339 with
// milliseconds, and the space-separated UTC form some SIEM exports write
// ("2022-06-22 18:18:29.015").
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func parse(raw []byte) (*event.Event, error) {
	var le logEvent
	if err := gojson.Unmarshal(raw, &le); err != nil {
		return nil, source.UnmarshalError(err)
	}
	if le.EventType == "" {
		return nil, source.Fieldf("eventType", "missing")
	}
	if le.Published == "" {
		return nil, source.Fieldf("published", "missing")
	}
	ts, ok := parseTime(le.Published)
	if !ok {
		return nil, source.Fieldf("published", "not an RFC 3339 timestamp: %q", clip(le.Published))
	}
	net, err := network(&le)
	if err != nil {
		return nil, err
	}
	ev := &event.Event{Time: ts, Prov: event.Provenance{ID: le.UUID}}
	if a := le.Actor; a != nil {
		ev.Actor = event.Actor{ID: a.ID, Login: a.AlternateID, DisplayName: a.DisplayName}
		if strings.Contains(a.AlternateID, "@") {
			ev.Actor.Email = a.AlternateID
		}
	}
	var ua userAgent
	if le.Client != nil && le.Client.UserAgent != nil {
		ua = *le.Client.UserAgent
	}
	if !isSignIn(le.EventType) {
		ev.Kind = event.KindAudit
		ev.Audit = &event.Audit{Action: le.EventType, Net: net, UserAgent: ua.RawUserAgent, Target: firstTarget(le.Target)}
		return ev, nil
	}
	si := &event.SignIn{
		Action:      le.EventType,
		Net:         net,
		UserAgent:   ua.RawUserAgent,
		OS:          ua.OS,
		Browser:     ua.Browser,
		SessionEnd:  le.EventType == "user.session.end",
		Interactive: le.EventType == "user.session.start",
	}
	si.Outcome, si.Reason = outcomeOf(le.Outcome)
	if le.AuthenticationContext != nil {
		si.SessionID = le.AuthenticationContext.ExternalSessionID
	}
	if d := le.Device; d != nil {
		si.DeviceID, si.DeviceName = d.ID, d.Name
		if d.Managed != nil {
			si.Managed = "unmanaged"
			if *d.Managed {
				si.Managed = "managed"
			}
		}
	}
	var dd debugData
	if le.DebugContext != nil && le.DebugContext.DebugData != nil {
		dd = *le.DebugContext.DebugData
	}
	if isMFA(le.EventType) {
		si.MFADevice = mfaDevice(le.Target, &dd)
	}
	si.RiskLevel = riskLevel(&dd)
	ev.Kind = event.KindSignIn
	ev.SignIn = si
	return ev, nil
}

// network builds the vendor's view of the client address.
func network(le *logEvent) (event.Network, error) {
	var n event.Network
	c := le.Client
	if c == nil {
		c = &client{}
	}
	field, ip := "client.ipAddress", strings.TrimSpace(c.IPAddress)
	if absent(ip) && le.Request != nil && len(le.Request.IPChain) > 0 {
		// Some exports write "null" here; the first ipChain entry is the client.
		field, ip = "request.ipChain[0].ip", strings.TrimSpace(le.Request.IPChain[0].IP)
	}
	if !absent(ip) {
		addr, err := netip.ParseAddr(ip)
		if err != nil {
			return n, source.Fieldf(field, "not an IP address: %q", clip(ip))
		}
		n.IP = addr.Unmap()
	}
	hasVendorData := false
	if g := c.GeographicalContext; g != nil {
		n.City, n.Region, n.CountryName = g.City, g.State, g.Country
		n.Country = geo.Alpha2(g.Country)
		if l := g.Geolocation; l != nil && l.Lat != nil && l.Lon != nil &&
			*l.Lat >= -90 && *l.Lat <= 90 && *l.Lon >= -180 && *l.Lon <= 180 {
			n.Lat, n.Lon, n.HasGeo = *l.Lat, *l.Lon, true
		}
		hasVendorData = g.City != "" || g.Country != "" || n.HasGeo
	}
	if s := le.SecurityContext; s != nil {
		n.ASN = uint32(s.ASNumber)
		n.ASOrg, n.ISP, n.Domain = s.ASOrg, s.ISP, s.Domain
		n.IsProxy = s.IsProxy != nil && *s.IsProxy
		hasVendorData = hasVendorData || n.ASN != 0 || n.ASOrg != "" || n.ISP != "" || s.IsProxy != nil
	}
	if hasVendorData {
		n.GeoSource = ID
	}
	return n, nil
}

// absent reports whether Okta left a string field empty, including the
// literal "null" some exports write.
func absent(s string) bool { return s == "" || s == "null" }

// isSignIn reports whether an event type is about authentication or sessions.
func isSignIn(eventType string) bool {
	t := strings.ToLower(eventType)
	return strings.HasPrefix(t, "user.session.") ||
		strings.HasPrefix(t, "user.authentication.") ||
		strings.HasPrefix(t, "user.mfa.") ||
		t == "policy.evaluate_sign_on"
}

// isMFA reports whether an event type names the factor that completed or
// changed MFA.
func isMFA(eventType string) bool {
	t := strings.ToLower(eventType)
	return t == "user.authentication.auth_via_mfa" || strings.HasPrefix(t, "user.mfa.factor.")
}

func outcomeOf(o *outcome) (result, reason string) {
	if o == nil {
		return event.OutcomeOther, ""
	}
	switch strings.ToUpper(o.Result) {
	case "SUCCESS", "ALLOW":
		return event.OutcomeSuccess, o.Reason
	case "FAILURE", "DENY":
		return event.OutcomeFailure, o.Reason
	}
	return event.OutcomeOther, o.Reason
}

// firstTarget names the first target: its alternateId, or its display name
// or id when Okta writes "unknown" there.
func firstTarget(targets []actor) string {
	if len(targets) == 0 {
		return ""
	}
	t := targets[0]
	for _, s := range []string{t.AlternateID, t.DisplayName, t.ID} {
		if s != "" && s != "unknown" {
			return s
		}
	}
	return ""
}

// factorIDInURI finds an Okta factor id in a request URI such as
// /api/v1/users/00u…/factors/smsf8luacpZJAva10x45/verify. Okta ids are 20
// characters; the generic paths (/factors/webauthn/verify) do not match.
var factorIDInURI = regexp.MustCompile(`/factors/([A-Za-z0-9]{20})(?:[/?]|$)`)

// mfaDevice finds the id of the factor or authenticator enrollment that
// completed MFA: an AuthenticatorEnrollment target other than the password,
// else debugData's factorId, else a factor id in the request URI. The
// factor type alone (debugData.factor, e.g. OKTA_VERIFY_PUSH) is shared by
// everyone who uses that method, so it is never used as a device id.
func mfaDevice(targets []actor, dd *debugData) string {
	for _, t := range targets {
		if strings.EqualFold(t.Type, "AuthenticatorEnrollment") && t.ID != "" && !strings.EqualFold(t.DisplayName, "Password") {
			return t.ID
		}
	}
	if dd.FactorID != "" {
		return string(dd.FactorID)
	}
	if m := factorIDInURI.FindStringSubmatch(string(dd.RequestURI)); m != nil {
		return m[1]
	}
	return ""
}

// riskLevelIn finds "level=HIGH" (debugData.risk, "{level=LOW}") or
// "level":"HIGH" (logOnlySecurityData JSON).
var riskLevelIn = regexp.MustCompile(`"?level"?\s*[=:]\s*"?([A-Za-z]+)`)

// riskLevel is Okta's risk level for the event, lower case, when given.
func riskLevel(dd *debugData) string {
	for _, s := range []source.LooseString{dd.Risk, dd.LogOnlySecurityData} {
		if m := riskLevelIn.FindStringSubmatch(string(s)); m != nil {
			return strings.ToLower(m[1])
		}
	}
	return ""
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + "…"
}
