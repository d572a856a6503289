// Package entra reads Microsoft Entra ID (Azure AD) sign-in logs.
//
// Three shapes are accepted, all carrying the Microsoft Graph signIn
// resource (https://learn.microsoft.com/graph/api/resources/signin):
//
//   - a Graph list response, {"@odata.context": …, "value": [signIn…],
//     "@odata.nextLink": …}, one page per file or one page per line;
//   - NDJSON or a JSON array of signIn objects;
//   - Azure Monitor diagnostic-settings records (Event Hub or storage
//     export), {"records": [record…]} or one record per line, where each
//     record has time, category (SignInLogs, NonInteractiveUserSignInLogs,
//     ServicePrincipalSignInLogs, ManagedIdentitySignInLogs…),
//     callerIpAddress, identity, location and the signIn under properties.
//
// Every record becomes one event.KindSignIn event, including service
// principal and managed identity sign-ins, whose actor is the service
// principal. Field mapping:
//
//	Time            createdDateTime, else the diagnostic record's time (UTC)
//	Actor           ID userId, Login userPrincipalName, Email the UPN in
//	                lower case when it holds '@' (for a guest's
//	                "ada_fabrikam.com#EXT#@…" UPN, "ada@fabrikam.com"),
//	                DisplayName userDisplayName (else identity);
//	                without a user: ID servicePrincipalId, DisplayName
//	                servicePrincipalName
//	Action          signInEventTypes vocabulary: interactiveUser,
//	                nonInteractiveUser, servicePrincipal, managedIdentity
//	                (from category, signInEventTypes or isInteractive);
//	                unknown categories verbatim
//	Outcome, Reason status.errorCode 0 is success, other codes failure with
//	                Reason "code: failureReason"; no status is other
//	Net             ipAddress (else callerIpAddress), location city, state,
//	                countryOrRegion, geoCoordinates, autonomousSystemNumber;
//	                IsProxy when riskEventTypes(_v2) has anonymizedIPAddress;
//	                GeoSource "entra"
//	Managed         deviceDetail.isManaged or isCompliant true: "managed";
//	                either present and false: "unmanaged"; neither: unknown
//	SessionID       sessionId (beta), else correlationId
//	MFADevice       authenticationAppDeviceDetails.deviceId, else
//	                mfaDetail.authDetail, else the first device-naming
//	                authenticationDetails[].authenticationMethodDetail
//	Interactive     isInteractive, else signInEventTypes, else category
//	                SignInLogs
//
// A record is rejected when its time is missing, malformed or outside
// 2000–2100, its IP
// address does not parse, or it names no account at all.
package entra

import (
	"bytes"
	"context"
	"io"

	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "entra"

// wrapperKeys name the arrays that hold records: Graph list responses use
// "value", Azure Monitor diagnostic exports "records".
var wrapperKeys = []string{"value", "records"}

// Format reads Entra ID sign-in logs.
type Format struct{}

var _ source.Format = (*Format)(nil)

// New returns the Entra ID sign-in log format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "Microsoft Entra ID sign-ins: Graph auditLogs/signIns pages ({\"value\":[…]}), NDJSON, or Azure Monitor diagnostic records"
}

// Sniff implements source.Format. It claims JSON whose first record (inside
// "value" or "records" when wrapped) is a Graph signIn — createdDateTime, an
// account key and a sign-in detail key — or an Azure Monitor diagnostic
// record of a sign-in category, or an empty Graph signIns page.
func (*Format) Sniff(head []byte) bool {
	keys, ok := source.SniffJSONKeys(head, wrapperKeys...)
	if !ok {
		return false
	}
	if keys["properties"] && keys["category"] && bytes.Contains(head, []byte(`SignInLogs"`)) {
		return true
	}
	if keys["@odata.context"] && bytes.Contains(head, []byte("auditLogs/signIns")) {
		return true
	}
	return keys["createddatetime"] &&
		(keys["userprincipalname"] || keys["userid"] || keys["serviceprincipalid"]) &&
		(keys["appdisplayname"] || keys["devicedetail"] || keys["status"] || keys["ipaddress"])
}

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	return source.DecodeJSON(ctx, r, file, ID, wrapperKeys, sink, parse)
}
