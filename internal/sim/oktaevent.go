package sim

import (
	"strconv"
	"time"
)

// appendEvent appends one Okta LogEvent, with the fields in the order the
// System Log API returns them.
func (ow *oktaWriter) appendEvent(b []byte, rec *oktaRec) []byte {
	a := rec.s.act
	actor := a.Person
	if rec.kind == okGroupAdd {
		actor = rec.admin
	}
	e := a.Egress
	var reqBuf [32]byte
	reqID := appendRandHex(reqBuf[:0], ow.r, 16)

	b = append(b, `{"actor":`...)
	b = append(b, ow.actor(actor)...)
	b = append(b, `,"client":{"userAgent":`...)
	b = append(b, ow.userAgent(a.Device, rec.t)...)
	b = append(b, `,"zone":`...)
	if e.Zone != "" {
		b = appendStr(b, e.Zone)
	} else {
		b = append(b, `"null"`...)
	}
	b = append(b, `,"device":`...)
	if a.Device.Mobile {
		b = append(b, `"Mobile"`...)
	} else {
		b = append(b, `"Computer"`...)
	}
	b = append(b, `,"id":null,"ipAddress":`...)
	b = append(b, '"')
	b = e.IP.AppendTo(b)
	b = append(b, `","geographicalContext":`...)
	b = append(b, ow.geo(e)...)
	b = append(b, `},"device":`...)
	switch {
	case rec.kind == okMFA:
		b = append(b, ow.device(a.MFA)...)
	case rec.kind != okGroupAdd && a.Device.Registered:
		b = append(b, ow.device(a.Device)...)
	default:
		b = append(b, "null"...)
	}

	b = append(b, `,"authenticationContext":{"authenticationProvider":`...)
	if rec.kind == okMFA {
		b = append(b, `"FACTOR_PROVIDER","credentialProvider":"OKTA_CREDENTIAL_PROVIDER","credentialType":null`...)
	} else {
		b = append(b, `null,"credentialProvider":null,"credentialType":null`...)
	}
	b = append(b, `,"issuer":null,"interface":null,"authenticationStep":0,"rootSessionId":`...)
	b = appendStr(b, a.SessionID)
	b = append(b, `,"externalSessionId":`...)
	b = appendStr(b, a.SessionID)
	b = append(b, `},"displayMessage":`...)

	var display, etype, result, reason, legacy, severity string
	severity = "INFO"
	switch rec.kind {
	case okFailure:
		display, etype, result, reason, legacy, severity = "User login to Okta", "user.session.start", "FAILURE", "INVALID_CREDENTIALS", "core.user_auth.login_failed", "WARN"
	case okPolicy:
		display, etype, result, reason = "Evaluation of sign-on policy", "policy.evaluate_sign_on", "ALLOW", "Sign-on policy evaluation resulted in ALLOW"
	case okMFA:
		display, etype, result, legacy = "Authentication of user via MFA", "user.authentication.auth_via_mfa", "SUCCESS", "core.user.factor.attempt_success"
	case okStart:
		display, etype, result, legacy = "User login to Okta", "user.session.start", "SUCCESS", "core.user_auth.login_success"
	case okPassword:
		display, etype, result, legacy = "User update password for Okta", "user.account.update_password", "SUCCESS", "core.user.config.password_update.success"
	case okEnd:
		display, etype, result, legacy = "User logout from Okta", "user.session.end", "SUCCESS", "core.user_auth.logout_success"
	case okGroupAdd:
		display, etype, result, legacy = "Add user to group membership", "group.user_membership.add", "SUCCESS", "core.user_group_member.user_add"
	}
	b = appendStr(b, display)
	b = append(b, `,"eventType":`...)
	b = appendStr(b, etype)
	b = append(b, `,"outcome":{"result":`...)
	b = appendStr(b, result)
	b = append(b, `,"reason":`...)
	b = appendStrOrNull(b, reason)
	b = append(b, `},"published":`...)
	b = appendTimeMillis(b, rec.t)
	b = append(b, `,"securityContext":`...)
	b = append(b, ow.security(e)...)
	b = append(b, `,"severity":`...)
	b = appendStr(b, severity)

	b = append(b, `,"debugContext":{"debugData":{`...)
	b = ow.appendDebug(b, rec, reqID)
	b = append(b, `}},"legacyEventType":`...)
	b = appendStrOrNull(b, legacy)
	b = append(b, `,"transaction":{"type":"WEB","id":"`...)
	b = append(b, reqID...)
	b = append(b, `","detail":{}},"uuid":"`...)
	node := ow.nodes[ow.r.IntN(len(ow.nodes))]
	b = appendUUID1(b, rec.t, uint16(ow.r.Uint32()), node)
	b = append(b, `","version":"0","request":{"ipChain":[{"ip":"`...)
	b = e.IP.AppendTo(b)
	b = append(b, `","geographicalContext":`...)
	b = append(b, ow.geo(e)...)
	b = append(b, `,"version":"V4","source":null}]},"target":`...)
	b = ow.appendTarget(b, rec)
	return append(b, '}')
}

// appendGeo appends a geographicalContext object.
func appendGeo(b []byte, e *Egress) []byte {
	b = append(b, `{"city":`...)
	b = appendStr(b, e.Place.City)
	b = append(b, `,"state":`...)
	b = appendStr(b, e.Place.Region)
	b = append(b, `,"country":`...)
	b = appendStr(b, countryName(e.Place.Country))
	b = append(b, `,"postalCode":`...)
	b = appendStrOrNull(b, e.Postal)
	b = append(b, `,"geolocation":{"lat":`...)
	b = appendCoord(b, e.Lat)
	b = append(b, `,"lon":`...)
	b = appendCoord(b, e.Lon)
	return append(b, `}}`...)
}

// appendDevice appends the device object of a device enrolled in Okta Verify.
func appendDevice(b []byte, d *Device) []byte {
	b = append(b, `{"id":`...)
	b = appendStr(b, d.ID)
	b = append(b, `,"name":`...)
	b = appendStr(b, d.Name)
	b = append(b, `,"os_platform":`...)
	b = appendStr(b, d.Platform)
	b = append(b, `,"os_version":`...)
	b = appendStr(b, d.OSVersion)
	b = append(b, `,"managed":`...)
	b = appendBool(b, d.Managed)
	b = append(b, `,"registered":`...)
	b = appendBool(b, d.Registered)
	b = append(b, `,"device_integrator":null,"disk_encryption_type":`...)
	if d.Platform == "ANDROID" {
		b = append(b, `"USER"`...)
	} else {
		b = append(b, `"ALL_INTERNAL_VOLUMES"`...)
	}
	b = append(b, `,"screen_lock_type":"BIOMETRIC","jailbreak":`...)
	if d.Mobile {
		b = append(b, "false"...)
	} else {
		b = append(b, "null"...)
	}
	return append(b, `,"secure_hardware_present":true}`...)
}

// appendDebug appends the members of debugContext.debugData.
func (ow *oktaWriter) appendDebug(b []byte, rec *oktaRec, reqID []byte) []byte {
	s := rec.s
	var uri string
	switch rec.kind {
	case okFailure:
		uri = "/idp/idx/challenge/answer"
	case okPolicy:
		uri = "/idp/idx/identify"
	case okMFA:
		uri = "/idp/idx/authenticators/poll"
	case okStart:
		uri = "/idp/idx/challenge/answer"
	case okPassword:
		uri = "/idp/idx/challenge/answer"
	case okEnd:
		uri = "/login/signout"
	case okGroupAdd:
		uri = "/api/v1/groups/" + ow.groupID(rec.group) + "/users/" + rec.target.OktaID
	}
	first := true
	if rec.kind != okGroupAdd && rec.kind != okEnd {
		b = appendKey(b, "authnRequestId", first)
		b = appendStr(b, s.authnID)
		first = false
	}
	if rec.kind == okMFA || rec.kind == okStart {
		b = appendKey(b, "behaviors", first)
		b = appendStr(b, s.behaviors)
		first = false
	}
	if rec.kind != okGroupAdd {
		b = appendKey(b, "deviceFingerprint", first)
		b = appendStr(b, s.act.Device.Fingerprint)
		first = false
	}
	b = appendKey(b, "dtHash", first)
	b = append(b, '"')
	b = appendRandHex(b, ow.r, 32)
	b = append(b, '"')
	if rec.kind == okMFA {
		b = append(b, `,"factor":"OKTA_VERIFY_PUSH","factorIntent":"AUTHENTICATION"`...)
	}
	if rec.kind == okFailure {
		b = append(b, `,"loginResult":"VERIFICATION_ERROR"`...)
	}
	if rec.kind != okGroupAdd && rec.kind != okEnd {
		b = append(b, `,"oktaUserAgentExtended":"okta-auth-js/7.8.1 okta-signin-widget-7.31.2","origin":`...)
		b = appendStr(b, oktaOrgURL)
	}
	b = append(b, `,"requestId":"`...)
	b = append(b, reqID...)
	b = append(b, '"')
	b = append(b, `,"requestUri":`...)
	b = appendStr(b, uri)
	if rec.kind == okMFA || rec.kind == okStart {
		b = append(b, `,"risk":`...)
		b = appendStr(b, s.risk)
	}
	b = append(b, `,"threatSuspected":"false","url":`...)
	return appendStr(b, uri+"?")
}

// appendTarget appends the target array (or null).
func (ow *oktaWriter) appendTarget(b []byte, rec *oktaRec) []byte {
	p := rec.s.act.Person
	switch rec.kind {
	case okPolicy:
		b = append(b, `[{"id":`...)
		b = appendStr(b, ow.ids.policy)
		b = append(b, `,"type":"PolicyEntity","alternateId":"unknown","displayName":"Default Policy","detailEntry":{"policyType":"OktaSignOn"}},{"id":`...)
		b = appendStr(b, ow.ids.rule)
		b = append(b, `,"type":"PolicyRule","alternateId":`...)
		b = appendStr(b, ow.ids.policy)
		return append(b, `,"displayName":"Default Rule","detailEntry":null}]`...)
	case okFailure, okStart:
		b = append(b, `[{"id":`...)
		b = appendStr(b, derivedID("lae", p.OktaID))
		b = append(b, `,"type":"AuthenticatorEnrollment","alternateId":"unknown","displayName":"Password","detailEntry":null},{"id":`...)
		b = appendStr(b, ow.ids.dashboard)
		return append(b, `,"type":"AppInstance","alternateId":"Okta Dashboard","displayName":"Okta Dashboard","detailEntry":null}]`...)
	case okMFA:
		b = append(b, `[{"id":`...)
		b = appendStr(b, derivedID("pfd", p.OktaID))
		b = append(b, `,"type":"AuthenticatorEnrollment","alternateId":"unknown","displayName":"Okta Verify","detailEntry":{"methodTypeUsed":"Get a push notification","methodUsedVerifiedProperties":"[POSSESSION, USER_PRESENCE]"}},{"id":`...)
		b = appendStr(b, ow.ids.dashboard)
		return append(b, `,"type":"AppInstance","alternateId":"Okta Dashboard","displayName":"Okta Dashboard","detailEntry":null}]`...)
	case okPassword:
		return appendUserTarget(b, p, true)
	case okGroupAdd:
		b = append(b, '[')
		b = appendUserTarget(b, rec.target, false)
		b = append(b, `,{"id":`...)
		b = appendStr(b, ow.groupID(rec.group))
		b = append(b, `,"type":"UserGroup","alternateId":"unknown","displayName":`...)
		b = appendStr(b, rec.group)
		return append(b, `,"detailEntry":null}]`...)
	}
	return append(b, "null"...)
}

func appendUserTarget(b []byte, p *Person, array bool) []byte {
	if array {
		b = append(b, '[')
	}
	b = append(b, `{"id":`...)
	b = appendStr(b, p.OktaID)
	b = append(b, `,"type":"User","alternateId":`...)
	b = appendStr(b, p.WorkEmail)
	b = append(b, `,"displayName":`...)
	b = appendStr(b, p.Name())
	b = append(b, `,"detailEntry":null}`...)
	if array {
		b = append(b, ']')
	}
	return b
}

func (ow *oktaWriter) groupID(name string) string {
	if id, ok := ow.ids.groups[name]; ok {
		return id
	}
	id := derivedID("00g", name)
	ow.ids.groups[name] = id
	return id
}

// actor returns the encoded actor object of a person.
func (ow *oktaWriter) actor(p *Person) []byte {
	if b := ow.actors[p.Index]; b != nil {
		return b
	}
	b := append([]byte(nil), `{"id":`...)
	b = appendStr(b, p.OktaID)
	b = append(b, `,"type":"User","alternateId":`...)
	b = appendStr(b, p.WorkEmail)
	b = append(b, `,"displayName":`...)
	b = appendStr(b, p.Name())
	b = append(b, `,"detailEntry":null}`...)
	ow.actors[p.Index] = b
	return b
}

// userAgent returns the encoded client.userAgent object.
func (ow *oktaWriter) userAgent(d *Device, t time.Time) []byte {
	key := uaKey{d.Platform, d.Browser, d.OSVersion, chromeMajor(t)}
	if b := ow.uas[key]; b != nil {
		return b
	}
	ua := ow.ua.get(d, t)
	b := append([]byte(nil), `{"rawUserAgent":`...)
	b = appendStr(b, ua.Raw)
	b = append(b, `,"os":`...)
	b = appendStr(b, ua.OS)
	b = append(b, `,"browser":`...)
	b = appendStr(b, ua.Browser)
	b = append(b, '}')
	ow.uas[key] = b
	return b
}

// geo returns the encoded geographicalContext of an egress (cached up to a
// bound: per-session mobile addresses are many).
func (ow *oktaWriter) geo(e *Egress) []byte {
	if b := ow.geos[e]; b != nil {
		return b
	}
	b := appendGeo(nil, e)
	if len(ow.geos) < 1<<17 {
		ow.geos[e] = b
	}
	return b
}

// security returns the encoded securityContext of an egress.
func (ow *oktaWriter) security(e *Egress) []byte {
	if b := ow.secs[e]; b != nil {
		return b
	}
	b := append([]byte(nil), `{"asNumber":`...)
	b = strconv.AppendUint(b, uint64(e.ISP.ASN), 10)
	b = append(b, `,"asOrg":`...)
	b = appendStr(b, e.ISP.ASOrg)
	b = append(b, `,"isp":`...)
	b = appendStr(b, e.ISP.Name)
	b = append(b, `,"domain":`...)
	b = appendStr(b, e.ISP.Domain)
	b = append(b, `,"isProxy":`...)
	b = appendBool(b, e.Proxy)
	b = append(b, '}')
	if len(ow.secs) < 1<<17 {
		ow.secs[e] = b
	}
	return b
}

// device returns the encoded device object of an enrolled device.
func (ow *oktaWriter) device(d *Device) []byte {
	if b := ow.devices[d]; b != nil {
		return b
	}
	b := appendDevice(nil, d)
	ow.devices[d] = b
	return b
}
