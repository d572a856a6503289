// Package teams reads Microsoft Teams call records (Microsoft Graph
// callRecords).
//
// A call record is fetched with GET
// /communications/callRecords/{id}?$expand=sessions($expand=segments)
// (application permission CallRecords.Read.All; records are kept 30 days),
// or listed with GET /communications/callRecords ({"value":[…]} pages).
// Accepted shapes: one call record per file, records one per line, a JSON
// array, Graph list pages, gzip.
//
// One call record holds several participants, so each participant
// endpoint of each session is one record (the framing's Expand): a
// session's caller and callee when their @odata.type is
// #microsoft.graph.callRecords.participantEndpoint (service endpoints —
// the conference server — are not people). A call record fetched without
// sessions yields one record per participants_v2 entry (else per entry of
// the deprecated participants list), with the call's times and no
// network. A call record with neither is one record, rejected as "no
// participant".
//
// Every participant record becomes one event.KindMeeting event:
//
//	Time, Join    the session's startDateTime, else the call's
//	Leave         the session's endDateTime, else the call's
//	Actor         associatedIdentity (id, displayName, userPrincipalName),
//	              else identity.user, .guest, .acsUser, .spoolUser,
//	              .onPremises or .phone; Email the UPN when it holds '@'
//	              (a B2B guest's "ada_fabrikam.com#EXT#@contoso…" is
//	              ada@fabrikam.com)
//	MeetingID     the call record's id; Participant the session id
//	Net           the endpoint's side of the segments' media
//	              (callerNetwork or calleeNetwork): reflexiveIPAddress (the
//	              public address the relay saw), else ipAddress when it is
//	              public; connectionType is NetworkType
//	Device        userAgent.platform; Client userAgent.headerValue (else
//	              productFamily); Machine the endpoint's name
//	Camera        on when a video medium (label main-video or video) has a
//	              stream sent by this endpoint (callerToCallee for the
//	              caller); off when media are recorded and none is, or
//	              without media when the session's modalities lack video;
//	              unknown otherwise
//	Organizer     the identity is the call's organizer_v2 (or organizer.user)
//
// Optional fields of an unexpected type are kept as unknown. A record is
// rejected when it has no usable start time or names no identity.
package teams

import (
	"bytes"
	"context"
	"io"

	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "teams"

// wrapperKeys name the array of a Graph list response.
var wrapperKeys = []string{"value"}

// Format reads Teams call records.
type Format struct{}

var _ source.Format = (*Format)(nil)

// New returns the Teams call records format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "Microsoft Teams call records: Graph communications/callRecords with sessions and segments expanded, one per file or line, or {\"value\":[…]} pages"
}

// Sniff implements source.Format. It claims JSON naming the callRecords
// entity set in @odata.context, or whose first record has a call record's
// modalities and startDateTime with sessions, an organizer or participants.
func (*Format) Sniff(head []byte) bool {
	keys, ok := source.SniffJSONKeys(head, wrapperKeys...)
	if !ok {
		return false
	}
	if keys["@odata.context"] && bytes.Contains(bytes.ToLower(head), []byte("communications/callrecords")) {
		return true
	}
	return keys["modalities"] && keys["startdatetime"] &&
		(keys["sessions"] || keys["organizer_v2"] || keys["organizer"] || keys["participants_v2"] || keys["participants"])
}

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	j := source.JSONFraming{Format: ID, WrapperKeys: wrapperKeys, Expand: expandCall, Parse: parse}
	return j.Decode(ctx, r, file, sink)
}
