package entra

import (
	"bytes"
	"errors"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/geo"
	"github.com/rollcall/rollcall/internal/source"
)

// signIn holds the fields of a Microsoft Graph signIn resource (v1.0 and
// beta) that rollcall reads. Azure Monitor diagnostic records carry the
// same object under "properties".
type signIn struct {
	ID                    string       `json:"id"`
	CreatedDateTime       string       `json:"createdDateTime"`
	UserID                string       `json:"userId"`
	UserPrincipalName     string       `json:"userPrincipalName"`
	UserDisplayName       string       `json:"userDisplayName"`
	ServicePrincipalID    string       `json:"servicePrincipalId"`
	ServicePrincipalName  string       `json:"servicePrincipalName"`
	IPAddress             string       `json:"ipAddress"`
	CorrelationID         string       `json:"correlationId"`
	SessionID             string       `json:"sessionId"`
	UserAgent             string       `json:"userAgent"`
	IsInteractive         *bool        `json:"isInteractive"`
	SignInEventTypes      []string     `json:"signInEventTypes"`
	RiskLevelDuringSignIn string       `json:"riskLevelDuringSignIn"`
	RiskEventTypes        []string     `json:"riskEventTypes"`
	RiskEventTypesV2      []string     `json:"riskEventTypes_v2"`
	AutonomousSystemNum   flexInt      `json:"autonomousSystemNumber"`
	Status                *status      `json:"status"`
	DeviceDetail          deviceDetail `json:"deviceDetail"`
	Location              location     `json:"location"`
	MFADetail             struct {
		AuthDetail string `json:"authDetail"`
	} `json:"mfaDetail"`
	AuthAppDevice struct {
		DeviceID string `json:"deviceId"`
	} `json:"authenticationAppDeviceDetails"`
	AuthenticationDetails []authDetail `json:"authenticationDetails"`
}

// record is one input record: a bare signIn, or an Azure Monitor diagnostic
// record wrapping one under "properties". The embedded signIn receives the
// top-level fields of the bare form; the diagnostic envelope's own fields
// (time, category, callerIpAddress, identity and its string "location") sit
// beside it.
type record struct {
	signIn
	Time            string             `json:"time"`
	Category        string             `json:"category"`
	CallerIPAddress string             `json:"callerIpAddress"`
	ResultType      source.LooseString `json:"resultType"`
	ResultSignature source.LooseString `json:"resultSignature"`
	ResultDesc      source.LooseString `json:"resultDescription"`
	Identity        string             `json:"identity"`
	Properties      *signIn            `json:"properties"`
}

type status struct {
	ErrorCode     flexInt `json:"errorCode"`
	FailureReason string  `json:"failureReason"`
}

type deviceDetail struct {
	DeviceID        string `json:"deviceId"`
	DisplayName     string `json:"displayName"`
	OperatingSystem string `json:"operatingSystem"`
	Browser         string `json:"browser"`
	IsCompliant     *bool  `json:"isCompliant"`
	IsManaged       *bool  `json:"isManaged"`
	TrustType       string `json:"trustType"`
}

type authDetail struct {
	Method    string `json:"authenticationMethod"`
	Detail    string `json:"authenticationMethodDetail"`
	Succeeded *bool  `json:"succeeded"`
}

// location is a Graph signInLocation object. In the diagnostic envelope the
// top-level "location" is a plain string (the country code), which lands in
// Country. Decoding never fails here; a malformed object is kept in err so
// that parse can name the field.
type location struct {
	City            string `json:"city"`
	State           string `json:"state"`
	CountryOrRegion string `json:"countryOrRegion"`
	GeoCoordinates  *struct {
		Latitude  *float64 `json:"latitude"`
		Longitude *float64 `json:"longitude"`
	} `json:"geoCoordinates"`
	Country string `json:"-"`
	err     error
}

func (l *location) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || b[0] == 'n': // null
	case b[0] == '"':
		l.err = gojson.Unmarshal(b, &l.Country)
	case b[0] == '{':
		type plain location
		l.err = gojson.Unmarshal(b, (*plain)(l))
	default:
		l.err = errors.New("expected an object or a country code")
	}
	return nil
}

// fieldErr names the field of a location decoding error, under path.
func (l *location) fieldErr(path string) error {
	if l.err == nil {
		return nil
	}
	err := source.UnmarshalError(l.err)
	var fe *source.FieldError
	if errors.As(err, &fe) {
		if fe.Field == "(record)" {
			return &source.FieldError{Field: path, Err: fe.Err}
		}
		return &source.FieldError{Field: path + "." + fe.Field, Err: fe.Err}
	}
	return &source.FieldError{Field: path, Err: err}
}

// flexInt accepts a JSON number or a string holding one (exports differ),
// and null. Absent is distinguishable from zero through set. Decoding never
// fails; a value that is no integer is kept in bad for parse to report
// with its field.
type flexInt struct {
	v   int64
	set bool
	bad string
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	s := string(bytes.Trim(b, `"`))
	if s == "" || s == "null" {
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f.bad = "JSON " + truncate(string(b), 40)
		return nil
	}
	f.v, f.set = v, true
	return nil
}

// check reports a value that was not an integer, naming field.
func (f *flexInt) check(field string) error {
	if f.bad != "" {
		return source.Fieldf(field, "expected an integer, got %s", f.bad)
	}
	return nil
}

// categoryAction maps Azure Monitor diagnostic categories to the Graph
// signInEventTypes vocabulary used as SignIn.Action. Unknown categories are
// kept as they are.
var categoryAction = map[string]string{
	"SignInLogs":                          "interactiveUser",
	"NonInteractiveUserSignInLogs":        "nonInteractiveUser",
	"ServicePrincipalSignInLogs":          "servicePrincipal",
	"MicrosoftServicePrincipalSignInLogs": "servicePrincipal",
	"ManagedIdentitySignInLogs":           "managedIdentity",
	"ADFSSignInLogs":                      "interactiveUser", // AD FS sign-ins through Connect Health
}

// workloadActions are the sign-ins of service principals and managed
// identities: software, not a person.
var workloadActions = map[string]bool{"servicePrincipal": true, "managedIdentity": true}

// notSignInCategory explains the rejection of a diagnostic record of a
// category that holds no sign-in (AuditLogs, MicrosoftGraphActivityLogs,
// UserRiskEvents, RiskyUsers, ProvisioningLogs…): Azure exports mix them
// in one file, and each is counted as rejected rather than read as a
// sign-in.
func notSignInCategory(category string) error {
	return source.Fieldf("category", "%q is not a sign-in category (this record is skipped; sign-in categories are SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs, ADFSSignInLogs)", truncate(category, 64))
}

// nonDeviceMethods are authentication methods whose detail names no MFA
// device (a password source, a token), so they never fill MFADevice.
var nonDeviceMethods = map[string]bool{
	"":                     true,
	"Password":             true,
	"Previously satisfied": true,
	"Satisfied by token":   true,
}

// parse turns one record into a sign-in event.
func parse(raw []byte) (*event.Event, error) {
	var rec record
	if err := gojson.Unmarshal(raw, &rec); err != nil {
		return nil, source.UnmarshalError(err)
	}
	if c := strings.TrimSpace(rec.Category); c != "" && categoryAction[c] == "" {
		return nil, notSignInCategory(c)
	}
	si := &rec.signIn
	prefix := ""
	if rec.Properties != nil {
		si = rec.Properties
		prefix = "properties."
		if err := rec.Location.fieldErr("location"); err != nil {
			return nil, err
		}
	}
	if err := si.Location.fieldErr(prefix + "location"); err != nil {
		return nil, err
	}
	if err := si.AutonomousSystemNum.check(prefix + "autonomousSystemNumber"); err != nil {
		return nil, err
	}
	if si.Status != nil {
		if err := si.Status.ErrorCode.check(prefix + "status.errorCode"); err != nil {
			return nil, err
		}
	}

	ev := &event.Event{Kind: event.KindSignIn}
	var err error
	switch {
	case si.CreatedDateTime != "":
		ev.Time, err = parseTime(si.CreatedDateTime)
		if err != nil {
			return nil, &source.FieldError{Field: prefix + "createdDateTime", Err: err}
		}
	case rec.Time != "":
		ev.Time, err = parseTime(rec.Time)
		if err != nil {
			return nil, &source.FieldError{Field: "time", Err: err}
		}
	default:
		return nil, source.Fieldf(prefix+"createdDateTime", "missing: a sign-in needs createdDateTime (or the diagnostic record's time)")
	}

	who := actor(si, rec.Identity)
	if who.Empty() {
		return nil, source.Fieldf(prefix+"userId", "missing: no userId, userPrincipalName or servicePrincipalId")
	}
	ev.SetActor(who)
	ev.Prov.ID = si.ID

	s := &event.SignIn{
		Action:      action(si, rec.Category),
		Outcome:     event.OutcomeOther,
		UserAgent:   si.UserAgent,
		OS:          si.DeviceDetail.OperatingSystem,
		Browser:     si.DeviceDetail.Browser,
		DeviceID:    si.DeviceDetail.DeviceID,
		DeviceName:  si.DeviceDetail.DisplayName,
		Managed:     managed(si.DeviceDetail),
		MFADevice:   mfaDevice(si),
		SessionID:   firstNonEmpty(si.SessionID, si.CorrelationID, rec.CorrelationID),
		Interactive: interactive(si, rec.Category),
		RiskLevel:   si.RiskLevelDuringSignIn,
	}
	if st := si.Status; st != nil && st.ErrorCode.set {
		if st.ErrorCode.v == 0 {
			s.Outcome = event.OutcomeSuccess
		} else {
			s.Outcome = event.OutcomeFailure
			s.Reason = strconv.FormatInt(st.ErrorCode.v, 10)
			if st.FailureReason != "" {
				s.Reason += ": " + st.FailureReason
			}
		}
	}
	if s.Outcome == event.OutcomeOther && (si.Status == nil || !si.Status.ErrorCode.set) {
		s.Outcome, s.Reason = envelopeOutcome(&rec)
	}
	s.Workload = workloadActions[s.Action]
	var n event.Network
	if err := network(&n, si, &rec, prefix); err != nil {
		return nil, err
	}
	s.Net = &n
	ev.SignIn = s
	return ev, nil
}

// actor names the account: the user, or for service-principal and
// managed-identity sign-ins the service principal.
func actor(si *signIn, identity string) event.Actor {
	a := event.Actor{
		ID:          si.UserID,
		Login:       si.UserPrincipalName,
		DisplayName: firstNonEmpty(si.UserDisplayName, identity),
	}
	a.Email = upnEmail(a.Login)
	if a.ID == "" && a.Login == "" {
		a.ID = si.ServicePrincipalID
		a.DisplayName = firstNonEmpty(si.ServicePrincipalName, a.DisplayName)
	}
	return a
}

// upnEmail is source.UPNEmail.
func upnEmail(upn string) string { return source.UPNEmail(upn) }

func action(si *signIn, category string) string {
	if category = strings.TrimSpace(category); category != "" {
		if a, ok := categoryAction[category]; ok {
			return a
		}
		return category
	}
	if len(si.SignInEventTypes) > 0 && si.SignInEventTypes[0] != "" {
		return si.SignInEventTypes[0]
	}
	if si.IsInteractive != nil && !*si.IsInteractive {
		return "nonInteractiveUser"
	}
	if si.UserID == "" && si.UserPrincipalName == "" && si.ServicePrincipalID != "" {
		return "servicePrincipal"
	}
	return "interactiveUser" // Graph lists only interactive sign-ins unless filtered
}

func interactive(si *signIn, category string) bool {
	if si.IsInteractive != nil {
		return *si.IsInteractive
	}
	if len(si.SignInEventTypes) > 0 && si.SignInEventTypes[0] != "" {
		return si.SignInEventTypes[0] == "interactiveUser"
	}
	return category == "SignInLogs"
}

// managed reads deviceDetail: a managed or compliant device is "managed";
// a device that reports neither is "unmanaged"; without either flag the
// state is unknown.
func managed(d deviceDetail) string {
	if d.IsManaged == nil && d.IsCompliant == nil {
		return ""
	}
	if (d.IsManaged != nil && *d.IsManaged) || (d.IsCompliant != nil && *d.IsCompliant) {
		return "managed"
	}
	return "unmanaged"
}

// mfaDevice picks the identifier of the device that completed MFA: the
// Authenticator app's device id, else mfaDetail.authDetail (a masked phone
// number or device name), else the first authentication step whose method
// detail names a device. The method alone (e.g. "PhoneAppNotification")
// names a kind of factor, not a device, so it is never used: it would link
// every account that uses the same method.
func mfaDevice(si *signIn) string {
	if si.AuthAppDevice.DeviceID != "" {
		return si.AuthAppDevice.DeviceID
	}
	if si.MFADetail.AuthDetail != "" {
		return si.MFADetail.AuthDetail
	}
	for _, d := range si.AuthenticationDetails {
		if !nonDeviceMethods[d.Method] && d.Detail != "" && (d.Succeeded == nil || *d.Succeeded) {
			return d.Detail
		}
	}
	return ""
}

func network(n *event.Network, si *signIn, rec *record, prefix string) error {
	ipField, ip := prefix+"ipAddress", si.IPAddress
	if ip == "" {
		ipField, ip = "callerIpAddress", rec.CallerIPAddress
	}
	if ip != "" {
		addr, err := netip.ParseAddr(ip)
		if err != nil {
			return source.Fieldf(ipField, "not an IP address: %q", truncate(ip, 64))
		}
		n.IP = addr.Unmap()
	}
	loc := si.Location
	n.City = loc.City
	n.Region = loc.State
	country := strings.TrimSpace(loc.CountryOrRegion)
	if country == "" {
		// The envelope's location is a country code in sign-in categories
		// but an Azure region ("North Europe") in others: only a code counts.
		if c, ok := geo.ByAlpha2(strings.TrimSpace(rec.Location.Country)); ok {
			country = c.Alpha2
		}
	}
	if c, ok := geo.ByAlpha2(country); ok {
		n.Country = c.Alpha2 // Entra writes alpha-2 codes
	} else if country != "" {
		n.CountryName, n.Country = country, geo.Alpha2(country)
	}
	if g := loc.GeoCoordinates; g != nil && g.Latitude != nil && g.Longitude != nil {
		lat, lon := *g.Latitude, *g.Longitude
		if lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 && (lat != 0 || lon != 0) {
			n.Lat, n.Lon, n.HasGeo = lat, lon, true
		}
	}
	if a := si.AutonomousSystemNum; a.set && a.v > 0 && a.v <= math.MaxUint32 {
		n.ASN = uint32(a.v)
	}
	// Identity Protection's anonymizedIPAddress risk is Entra flagging the
	// address as Tor or an anonymising VPN.
	n.IsProxy = slices.Contains(si.RiskEventTypesV2, "anonymizedIPAddress") || slices.Contains(si.RiskEventTypes, "anonymizedIPAddress")
	if n.City != "" || n.Region != "" || n.Country != "" || n.CountryName != "" || n.HasGeo || n.ASN != 0 || n.IsProxy {
		n.GeoSource = "entra"
	}
	return nil
}

// parseTime reads an ISO 8601 date-time with offset (Graph writes up to
// seven fractional digits), or the space-separated UTC form of SIEM and
// Log Analytics exports, and returns it in UTC (source.ParseTime).
func parseTime(s string) (time.Time, error) { return source.ParseTime(s) }

// envelopeOutcome reads the diagnostic envelope's result when the signIn
// has no status: resultType is the error code ("0" is success), else
// resultSignature says SUCCESS or FAILURE; resultDescription is the
// failure reason.
func envelopeOutcome(rec *record) (outcome, reason string) {
	rt := strings.TrimSpace(string(rec.ResultType))
	if code, err := strconv.ParseInt(rt, 10, 64); err == nil {
		if code == 0 {
			return event.OutcomeSuccess, ""
		}
		reason = rt
		if d := strings.TrimSpace(string(rec.ResultDesc)); d != "" {
			reason += ": " + d
		}
		return event.OutcomeFailure, reason
	}
	for _, v := range []string{rt, string(rec.ResultSignature)} {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "success", "succeeded":
			return event.OutcomeSuccess, ""
		case "failure", "failed":
			return event.OutcomeFailure, strings.TrimSpace(string(rec.ResultDesc))
		}
	}
	return event.OutcomeOther, ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// truncate keeps error strings short when a field holds garbage, cutting
// on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
