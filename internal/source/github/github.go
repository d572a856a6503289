// Package github reads GitHub organisation and enterprise audit logs.
//
// Accepted shapes: the JSON export (an array of entries), the NDJSON export
// and streamed form, and the REST audit-log API response (an array). Each
// entry becomes one event.KindAudit event:
//
//	Time        @timestamp (milliseconds since the epoch), else created_at
//	            (milliseconds, as a number or string, or RFC 3339); values
//	            outside 2008–2100 are rejected as not milliseconds
//	Actor       Login actor, ID actor_id; system entries without an actor
//	            keep an empty Actor and are still events
//	Action      action, e.g. git.clone, org.add_member, repo.transfer
//	Net         IP actor_ip (present only when the organisation enables IP
//	            disclosure; else actor_location.ip when present), Country
//	            actor_location.country_code (else looked up from
//	            country_name), CountryName actor_location.country_name;
//	            GeoSource "github"
//	Repo        repo, else repository
//	Org         org
//	Target      user (the account acted on), else team, else data.team
//	Permission  permission
//	UserAgent   user_agent
//	CodeAccess  true for git.clone, git.fetch and repo.download_zip: the
//	            actions that copy repository contents to the actor's machine
//	            (git.push sends code in and is not code access)
//	Prov.ID     _document_id
//
// An entry is rejected when its action is missing, its time is missing or
// malformed, or its IP address does not parse.
package github

import (
	"bytes"
	"context"
	"io"

	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "github"

// Format reads GitHub audit logs.
type Format struct{}

var _ source.Format = (*Format)(nil)

// New returns the GitHub audit log format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "GitHub organisation/enterprise audit log export: JSON array or NDJSON of entries (@timestamp, action, actor, actor_ip…)"
}

// Sniff implements source.Format. It claims JSON whose first record has an
// "action" key, a time key (@timestamp or created_at), an account or
// organisation key, and whose action value is a dotted GitHub action name
// such as "git.clone".
func (*Format) Sniff(head []byte) bool {
	keys, ok := source.SniffJSONKeys(head)
	if !ok || !keys["action"] || !(keys["@timestamp"] || keys["created_at"]) {
		return false
	}
	if !(keys["actor"] || keys["actor_id"] || keys["_document_id"] || keys["org"] || keys["business"] || keys["repo"]) {
		return false
	}
	return hasDottedAction(head)
}

// hasDottedAction reports whether some "action" key in b has a string value
// of the form "area.verb" without spaces.
func hasDottedAction(b []byte) bool {
	key := []byte(`"action"`)
	for {
		i := bytes.Index(b, key)
		if i < 0 {
			return false
		}
		b = b[i+len(key):]
		v := bytes.TrimLeft(b, " \t")
		if len(v) == 0 || v[0] != ':' {
			continue
		}
		v = bytes.TrimLeft(v[1:], " \t")
		if len(v) == 0 || v[0] != '"' {
			continue
		}
		v = v[1:]
		end := bytes.IndexByte(v, '"')
		if end <= 0 || end > 128 {
			continue
		}
		val := v[:end]
		if dot := bytes.IndexByte(val, '.'); dot > 0 && dot < len(val)-1 && bytes.IndexAny(val, " \t\\") < 0 {
			return true
		}
	}
}

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	j := source.JSONFraming{Format: ID, NewParser: newParser}
	return j.Decode(ctx, r, file, sink)
}
