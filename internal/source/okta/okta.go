// Package okta reads the Okta System Log: LogEvent objects as returned by
// GET /api/v1/logs, as a JSON array or one event per line (NDJSON).
//
// Sign-in related events (user.session.*, user.authentication.*, user.mfa.*
// and policy.evaluate_sign_on) become event.KindSignIn; every other event
// type becomes event.KindAudit. Okta's own network context (geography,
// securityContext ASN / proxy flag) is kept with GeoSource "okta".
package okta

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/netip"
	"regexp"
	"strings"
	"time"

	"github.com/valyala/fastjson"

	"github.com/rollcall/rollcall/internal/event"
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
// either actor or uuid (keys in any case), and Okta Event Hook deliveries.
func (*Format) Sniff(head []byte) bool {
	keys, ok := source.SniffJSONKeys(head)
	if !ok || !keys["eventtype"] {
		return false
	}
	return keys["published"] && (keys["actor"] || keys["uuid"]) ||
		keys["data"] && bytes.Contains(head, hookEventType)
}

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	j := source.JSONFraming{Format: ID, NewParser: newParser, Expand: unwrapHook}
	return j.Decode(ctx, r, file, sink)
}

// hookEventType is the eventType of an Event Hook delivery, whose
// data.events holds LogEvent objects.
var hookEventType = []byte("com.okta.event_hook")

var hookSuffix = []byte("_hook")

// unwrapHook returns the LogEvents of an Event Hook delivery
// ({"eventType":"com.okta.event_hook","data":{"events":[…]}}), each as its
// own record.
func unwrapHook(raw []byte) ([][]byte, bool) {
	// Every record passes here: look for the rare "_hook" first (a search
	// for the whole name stops at every 'c' of a LogEvent).
	if i := bytes.Index(raw, hookSuffix); i < 0 || !bytes.Contains(raw, hookEventType) {
		return nil, false
	}
	var p fastjson.Parser
	v, err := p.ParseBytes(raw)
	if err != nil {
		return nil, false
	}
	var top [2]*fastjson.Value
	if !members(v, []string{"eventType", "data"}, top[:]) || !bytes.Equal(strBytes(top[0]), hookEventType) {
		return nil, false
	}
	var data [1]*fastjson.Value
	if !members(top[1], []string{"events"}, data[:]) || data[0] == nil || data[0].Type() != fastjson.TypeArray {
		return nil, false
	}
	events, _ := data[0].Array()
	recs := make([][]byte, len(events))
	for i, e := range events {
		recs[i] = e.MarshalTo(nil)
	}
	return recs, true
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

// The members read, by object. Positions in these lists are the indexes
// used below.
var (
	logEventKeys = [...]string{"uuid", "published", "eventType", "actor", "client", "device", "outcome", "target",
		"debugContext", "authenticationContext", "securityContext", "request"}
	actorKeys      = [...]string{"id", "type", "alternateId", "displayName"}
	clientKeys     = [...]string{"ipAddress", "userAgent", "geographicalContext"}
	userAgentKeys  = [...]string{"rawUserAgent", "os", "browser"}
	geoKeys        = [...]string{"city", "state", "country", "geolocation"}
	latLonKeys     = [...]string{"lat", "lon"}
	deviceKeys     = [...]string{"id", "name", "managed"}
	outcomeKeys    = [...]string{"result", "reason"}
	debugKeys      = [...]string{"debugData"}
	debugDataKeys  = [...]string{"factorId", "requestUri", "risk", "logOnlySecurityData"}
	authCtxKeys    = [...]string{"externalSessionId"}
	securityKeys   = [...]string{"asNumber", "asOrg", "isp", "domain", "isProxy"}
	requestKeys    = [...]string{"ipChain"}
	ipChainEntKeys = [...]string{"ip"}
)

const (
	kUUID = iota
	kPublished
	kEventType
	kActor
	kClient
	kDevice
	kOutcome
	kTarget
	kDebugContext
	kAuthContext
	kSecurityContext
	kRequest
)

// parser parses records on one goroutine, reusing its memory. An event
// and its payload are one allocation, carved from a slab.
type parser struct {
	p       fastjson.Parser
	r       reader
	signIns source.Slab[source.SignInRecord]
	audits  source.Slab[source.AuditRecord]
}

func newParser(in *source.Interner) source.ParseFunc {
	p := &parser{r: reader{in: in}}
	return p.parse
}

// debugData is what rollcall reads of debugContext.debugData. Okta says
// these keys are a debugging aid, not a data contract, so every one is read
// loosely, and debugData itself of another type than an object is ignored.
// Only FactorID is kept; the others view the parser's memory.
type debugData struct {
	FactorID, RequestURI, Risk, LogOnlySecurityData string
}

func (p *parser) parse(raw []byte) (*event.Event, error) {
	v, err := p.p.ParseBytes(raw)
	if err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	var le [len(logEventKeys)]*fastjson.Value
	if !members(v, logEventKeys[:], le[:]) {
		return nil, source.Fieldf("(record)", "expected an object, got JSON %s", jsonType(v))
	}
	r := &p.r
	eventType, err := required(le[kEventType], "eventType")
	if err != nil {
		return nil, err
	}
	published, err := required(le[kPublished], "published")
	if err != nil {
		return nil, err
	}
	ts, ok := parseTime(scratch(published))
	if !ok {
		return nil, source.Fieldf("published", "not an RFC 3339 timestamp: %q", clip(string(published)))
	}
	action := r.in.Bytes(validUTF8(eventType))
	var actor [len(actorKeys)]*fastjson.Value
	if a := le[kActor]; a != nil && a.Type() != fastjson.TypeNull && !members(a, actorKeys[:], actor[:]) {
		return nil, source.Fieldf("actor", "expected an object, got JSON %s", jsonType(a))
	}
	var cl [len(clientKeys)]*fastjson.Value
	members(le[kClient], clientKeys[:], cl[:])
	netValue, err := r.network(cl[:], le[kSecurityContext], le[kRequest])
	if err != nil {
		return nil, err
	}
	net := r.in.Network(netValue)
	id := r.looseOwn(le[kUUID])
	actorOf := event.Actor{ID: r.loose(actor[0]), Login: r.str(actor[2]), DisplayName: r.str(actor[3])}
	if strings.Contains(actorOf.Login, "@") {
		actorOf.Email = actorOf.Login
	}
	var ua [len(userAgentKeys)]*fastjson.Value
	members(cl[1], userAgentKeys[:], ua[:])
	if !isSignIn(action) {
		rec := p.audits.New()
		rec.Event = event.Event{Kind: event.KindAudit, Time: ts, Prov: event.Provenance{ID: id}, Account: r.in.Actor(actorOf), Audit: &rec.Audit}
		rec.Audit = event.Audit{Action: action, Net: net, UserAgent: r.str(ua[0]), Target: r.firstTarget(le[kTarget])}
		return &rec.Event, nil
	}
	rec := p.signIns.New()
	rec.Event = event.Event{Kind: event.KindSignIn, Time: ts, Prov: event.Provenance{ID: id}, Account: r.in.Actor(actorOf), SignIn: &rec.SignIn}
	si := &rec.SignIn
	*si = event.SignIn{
		Action:      action,
		Net:         net,
		UserAgent:   r.str(ua[0]),
		OS:          r.str(ua[1]),
		Browser:     r.str(ua[2]),
		SessionEnd:  action == "user.session.end",
		Interactive: action == "user.session.start",
	}
	si.Outcome, si.Reason = r.outcome(le[kOutcome])
	var ac [len(authCtxKeys)]*fastjson.Value
	if members(le[kAuthContext], authCtxKeys[:], ac[:]) {
		si.SessionID = r.own(ac[0])
	}
	var dev [len(deviceKeys)]*fastjson.Value
	if members(le[kDevice], deviceKeys[:], dev[:]) {
		si.DeviceID, si.DeviceName = r.str(dev[0]), r.str(dev[1])
		if managed, ok := boolean(dev[2]); ok {
			si.Managed = "unmanaged"
			if managed {
				si.Managed = "managed"
			}
		}
	}
	var dc [len(debugKeys)]*fastjson.Value
	var ddv [len(debugDataKeys)]*fastjson.Value
	var dd debugData
	if members(le[kDebugContext], debugKeys[:], dc[:]) && members(dc[0], debugDataKeys[:], ddv[:]) {
		dd = debugData{FactorID: r.loose(ddv[0]), RequestURI: scratchText(ddv[1]),
			Risk: scratchText(ddv[2]), LogOnlySecurityData: scratchText(ddv[3])}
	}
	if isMFA(action) {
		si.MFADevice = r.mfaDevice(le[kTarget], &dd)
	}
	si.RiskLevel = r.riskLevel(&dd)
	return &rec.Event, nil
}

// required returns a string member that must be present.
func required(v *fastjson.Value, field string) ([]byte, error) {
	if v == nil || v.Type() == fastjson.TypeNull {
		return nil, source.Fieldf(field, "missing")
	}
	if v.Type() != fastjson.TypeString {
		return nil, source.Fieldf(field, "expected a string, got JSON %s", jsonType(v))
	}
	b := strBytes(v)
	if len(b) == 0 {
		return nil, source.Fieldf(field, "missing")
	}
	return b, nil
}

// looseOwn is loose for a value that identifies one record.
func (r *reader) looseOwn(v *fastjson.Value) string {
	if v != nil && v.Type() == fastjson.TypeString {
		return r.own(v)
	}
	s := r.loose(v)
	return s
}

// network builds the vendor's view of the client address.
func (r *reader) network(cl []*fastjson.Value, security, request *fastjson.Value) (event.Network, error) {
	var n event.Network
	field, ipv := "client.ipAddress", cl[0]
	ip := bytes.TrimSpace(strBytes(ipv))
	if ipv != nil && ipv.Type() != fastjson.TypeString && ipv.Type() != fastjson.TypeNull {
		return n, source.Fieldf(field, "expected a string, got JSON %s", jsonType(ipv))
	}
	if absent(ip) {
		// Some exports write "null" here; the first ipChain entry is the client.
		var req [len(requestKeys)]*fastjson.Value
		if members(request, requestKeys[:], req[:]) && req[0] != nil && req[0].Type() == fastjson.TypeArray {
			if chain, _ := req[0].Array(); len(chain) > 0 {
				var ent [len(ipChainEntKeys)]*fastjson.Value
				members(chain[0], ipChainEntKeys[:], ent[:])
				field, ip = "request.ipChain[0].ip", bytes.TrimSpace(strBytes(ent[0]))
			}
		}
	}
	if !absent(ip) {
		addr, err := netip.ParseAddr(scratch(ip))
		if err != nil {
			return n, source.Fieldf(field, "not an IP address: %q", clip(string(ip)))
		}
		n.IP = addr.Unmap()
	}
	hasVendorData := false
	var g [len(geoKeys)]*fastjson.Value
	if members(cl[2], geoKeys[:], g[:]) {
		n.City, n.Region, n.CountryName = r.str(g[0]), r.str(g[1]), r.str(g[2])
		n.Country = r.alpha2(n.CountryName)
		var ll [len(latLonKeys)]*fastjson.Value
		if members(g[3], latLonKeys[:], ll[:]) {
			lat, okLat := coordinate(ll[0], 90)
			lon, okLon := coordinate(ll[1], 180)
			if okLat && okLon {
				n.Lat, n.Lon, n.HasGeo = lat, lon, true
			}
		}
		hasVendorData = n.City != "" || n.CountryName != "" || n.HasGeo
	}
	var sc [len(securityKeys)]*fastjson.Value
	if members(security, securityKeys[:], sc[:]) {
		asn, err := r.asNumber(sc[0])
		if err != nil {
			return n, err
		}
		n.ASN = asn
		n.ASOrg, n.ISP, n.Domain = r.str(sc[1]), r.str(sc[2]), r.str(sc[3])
		proxy, hasProxy := boolean(sc[4])
		n.IsProxy = proxy
		hasVendorData = hasVendorData || n.ASN != 0 || n.ASOrg != "" || n.ISP != "" || hasProxy
	}
	if hasVendorData {
		n.GeoSource = ID
	}
	return n, nil
}

// absent reports whether Okta left a string field empty, including the
// literal "null" some exports write.
func absent(b []byte) bool { return len(b) == 0 || string(b) == "null" }

// isSignIn reports whether an event type is about authentication or sessions.
func isSignIn(eventType string) bool {
	return hasPrefixFold(eventType, "user.session.") ||
		hasPrefixFold(eventType, "user.authentication.") ||
		hasPrefixFold(eventType, "user.mfa.") ||
		strings.EqualFold(eventType, "policy.evaluate_sign_on")
}

// isMFA reports whether an event type names the factor that completed or
// changed MFA.
func isMFA(eventType string) bool {
	return strings.EqualFold(eventType, "user.authentication.auth_via_mfa") || hasPrefixFold(eventType, "user.mfa.factor.")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// outcome reads the Outcome object.
func (r *reader) outcome(v *fastjson.Value) (result, reason string) {
	var o [len(outcomeKeys)]*fastjson.Value
	if !members(v, outcomeKeys[:], o[:]) {
		return event.OutcomeOther, ""
	}
	res, reason := scratch(strBytes(o[0])), r.str(o[1])
	switch {
	case strings.EqualFold(res, "SUCCESS"), strings.EqualFold(res, "ALLOW"):
		return event.OutcomeSuccess, reason
	case strings.EqualFold(res, "FAILURE"), strings.EqualFold(res, "DENY"):
		return event.OutcomeFailure, reason
	}
	return event.OutcomeOther, reason
}

// targets returns the target array's elements, nil when it is absent or
// not an array.
func targets(v *fastjson.Value) []*fastjson.Value {
	if v == nil || v.Type() != fastjson.TypeArray {
		return nil
	}
	a, _ := v.Array()
	return a
}

// firstTarget names the first target: its alternateId, or its display name
// or id when Okta writes "unknown" there.
func (r *reader) firstTarget(v *fastjson.Value) string {
	ts := targets(v)
	if len(ts) == 0 {
		return ""
	}
	var t [len(actorKeys)]*fastjson.Value
	members(ts[0], actorKeys[:], t[:])
	for _, i := range [...]int{2, 3, 0} { // alternateId, displayName, id
		if s := r.loose(t[i]); s != "" && s != "unknown" {
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
func (r *reader) mfaDevice(target *fastjson.Value, dd *debugData) string {
	for _, tv := range targets(target) {
		var t [len(actorKeys)]*fastjson.Value
		members(tv, actorKeys[:], t[:])
		id := r.loose(t[0])
		if strings.EqualFold(scratch(strBytes(t[1])), "AuthenticatorEnrollment") && id != "" &&
			!strings.EqualFold(scratch(strBytes(t[3])), "Password") {
			return id
		}
	}
	if dd.FactorID != "" {
		return dd.FactorID
	}
	if m := factorIDInURI.FindStringSubmatch(dd.RequestURI); m != nil {
		return r.in.String(m[1])
	}
	return ""
}

// riskLevel is Okta's risk level for the event, lower case, when given:
// "level=HIGH" in debugData.risk ("{reasons=…, level=LOW}") or
// "level":"HIGH" in logOnlySecurityData (JSON).
func (r *reader) riskLevel(dd *debugData) string {
	for _, s := range [...]string{dd.Risk, dd.LogOnlySecurityData} {
		if level := levelIn(s); level != "" {
			return lowerLevel(r.in, level)
		}
	}
	return ""
}

// lowerLevel lower-cases a risk level without allocating for Okta's own.
func lowerLevel(in *source.Interner, level string) string {
	for _, l := range [...]string{"low", "medium", "high", "none"} {
		if strings.EqualFold(level, l) {
			return l
		}
	}
	return in.String(strings.ToLower(level))
}

// levelIn finds the first `level` followed by an optional quote, "=" or
// ":" between optional spaces, an optional quote and a run of letters (the
// regular expression "?level"?\s*[=:]\s*"?([A-Za-z]+)), and returns the
// letters. It runs on every sign-in, so it is written out by hand.
func levelIn(s string) string {
	for {
		i := strings.Index(s, "level")
		if i < 0 {
			return ""
		}
		s = s[i+len("level"):]
		t := strings.TrimPrefix(s, `"`)
		t = strings.TrimLeft(t, " \t\n\f\r")
		if t == "" || (t[0] != '=' && t[0] != ':') {
			continue
		}
		t = strings.TrimLeft(t[1:], " \t\n\f\r")
		t = strings.TrimPrefix(t, `"`)
		n := 0
		for n < len(t) && ('a' <= t[n] && t[n] <= 'z' || 'A' <= t[n] && t[n] <= 'Z') {
			n++
		}
		if n > 0 {
			return t[:n]
		}
	}
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + "…"
}
