// Package gworkspace reads Google Workspace login activity from the Admin
// SDK Reports API (activities.list, applicationName=login).
//
// Accepted shapes: the API response {"kind": "admin#reports#activities",
// "items": [activity…], "nextPageToken": …}, one response per line, NDJSON
// or a JSON array of activity resources. In each activity "events" may be
// the API's array or a single object (as in Elastic's split documents).
// Workspace audit logs shared with Google Cloud Logging are read too: the
// LogEntry's protoPayload (an AuditLog whose metadata is the activity:
// serviceName login.googleapis.com is application "login",
// authenticationInfo.principalEmail the actor, requestMetadata.callerIp the
// address, metadata.event[] the events, timestamp the time).
//
// Every activity becomes one event. Activities of the login and saml
// applications are event.KindSignIn:
//
//	Time        id.time (RFC 3339, or "2022-05-26 15:26:09.421" in UTC as
//	            SIEM exports write it)
//	Actor       Email actor.email (lower case), ID actor.profileId (or
//	            actor.key for KEY callers)
//	Action      the deciding event's name: the last login_success or
//	            login_failure of the activity (a failure then a success
//	            is a success), else the first event's: login_challenge,
//	            login_verification, logout, suspicious_login,
//	            account_disabled_*, …
//	Outcome     login_success is success, login_failure is failure, all
//	            others are other
//	Reason      the first event's parameters, compact:
//	            "login_type=google_password; login_challenge_method=password,security_key; is_suspicious=true",
//	            led by "type=<event type>" when the type is not login and
//	            followed by "event=<name>" for further events; at most 512 bytes
//	Net         ipAddress; networkInfo.regionCode (Country),
//	            subdivisionCode (Region), ipAsn[0] (ASN); GeoSource "gworkspace"
//	RiskLevel   "high" when is_suspicious is true
//	SessionEnd  logout
//	Interactive login_success, login_failure, login_challenge and
//	            login_verification of type login
//
// Activities of other applications (admin, token, drive…) become
// event.KindAudit with Action "<application>.<event name>" and Target the
// USER_EMAIL parameter, so that nothing in a mixed export is dropped.
//
// A record is rejected when id.time is missing, malformed or outside
// 2000–2100, ipAddress does
// not parse, there is no actor, or there is no named event.
package gworkspace

import (
	"bytes"
	"context"
	"io"

	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "gworkspace"

// wrapperKeys names the array of a Reports API list response.
var wrapperKeys = []string{"items"}

// Format reads Google Workspace Reports API activities.
type Format struct{}

var _ source.Format = (*Format)(nil)

// New returns the Google Workspace login activity format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "Google Workspace login activity: Admin SDK Reports API activities ({\"items\":[…]}) or NDJSON"
}

// Sniff implements source.Format. It claims JSON naming a Reports API
// activity kind, or whose first record (inside "items" when wrapped) has the
// activity keys id, actor and events with an applicationName.
func (*Format) Sniff(head []byte) bool {
	keys, ok := source.SniffJSONKeys(head, wrapperKeys...)
	if !ok {
		return false
	}
	if bytes.Contains(head, []byte(`admin#reports#activit`)) {
		return true
	}
	if keys["protopayload"] && (bytes.Contains(head, []byte(`ccc_hosted_reporting.ActivityProto`)) || bytes.Contains(head, []byte(`"login.googleapis.com"`))) {
		return true // Cloud Logging
	}
	return keys["id"] && keys["actor"] && keys["events"] && bytes.Contains(head, []byte(`"applicationName"`))
}

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	j := source.JSONFraming{Format: ID, WrapperKeys: wrapperKeys, NewParser: newParser}
	return j.Decode(ctx, r, file, sink)
}
