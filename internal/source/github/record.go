package github

import (
	"bytes"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/geo"
	"github.com/rollcall/rollcall/internal/source"
)

// entry is one audit log entry, as the organisation/enterprise export and
// the REST audit-log API write it.
type entry struct {
	Timestamp     stamp        `json:"@timestamp"`
	CreatedAt     stamp        `json:"created_at"`
	DocumentID    string       `json:"_document_id"`
	Action        string       `json:"action"`
	Actor         string       `json:"actor"`
	ActorID       scalar       `json:"actor_id"`
	ActorIP       source.Loose `json:"actor_ip"`
	ActorLocation struct {
		CountryCode string `json:"country_code"`
		CountryName string `json:"country_name"`
		IP          string `json:"ip"`
	} `json:"actor_location"`
	UserAgent  source.Loose `json:"user_agent"`
	Org        names        `json:"org"`
	Repo       source.Loose `json:"repo"`
	Repository source.Loose `json:"repository"`
	User       source.Loose `json:"user"`
	Team       scalar       `json:"team"`
	Permission source.Loose `json:"permission"`
	Data       dataObj      `json:"data"`
	// SAML single sign-on / Enterprise Managed Users: the identity
	// provider's name for the actor (usually the work email).
	ExternalNameID   string `json:"external_identity_nameid"`
	ExternalUsername string `json:"external_identity_username"`
}

// names reads a name that enterprise exports write as an array when an
// entry concerns several organisations ("org":["a","b"]): the names are
// joined with ",". Any other value is read as source.Loose.
type names struct{ source.Loose }

func (n *names) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '[' {
		return n.Loose.UnmarshalJSON(b)
	}
	var list []source.Loose
	if gojson.Unmarshal(b, &list) != nil {
		n.Unknown = true
		return nil
	}
	parts := make([]string, 0, len(list))
	for _, v := range list {
		n.Unknown = n.Unknown || v.Unknown
		if v.Text != "" {
			parts = append(parts, v.Text)
		}
	}
	n.Text = strings.Join(parts, ",")
	return nil
}

// dataObj reads the team from the "data" object of older exports and
// ignores data of any other shape.
type dataObj struct{ Team scalar }

func (d *dataObj) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	var v struct {
		Team scalar `json:"team"`
	}
	if gojson.Unmarshal(b, &v) == nil {
		d.Team = v.Team
	}
	return nil
}

// scalar accepts any JSON value and keeps its text: a string's contents,
// the literal text of a number or boolean, "" for null, the raw text of an
// object or array.
type scalar struct{ s string }

func (v *scalar) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0, string(b) == "null":
		return nil
	case b[0] == '"':
		return gojson.Unmarshal(b, &v.s)
	}
	v.s = string(b)
	return nil
}

// stamp is a time value as GitHub writes it: milliseconds since the epoch
// as a JSON number, or (created_at in some exports) a string holding
// either milliseconds or an RFC 3339 date-time.
type stamp struct {
	text  string
	isStr bool
	set   bool
	bad   string // what the value was when it was no time at all
}

func (s *stamp) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0, string(b) == "null":
		return nil
	case b[0] == '"':
		s.isStr, s.set = true, true
		if err := gojson.Unmarshal(b, &s.text); err != nil {
			s.bad = "a malformed string"
		}
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		s.text, s.set = string(b), true
	default:
		// Kept for time() to report with the field's name: errors returned
		// from here lose the field path in go-json.
		s.set, s.bad = true, "JSON "+map[byte]string{'t': "true", 'f': "false", '{': "object", '[': "array"}[b[0]]
	}
	return nil
}

// Audit-log timestamps outside this window are rejected: GitHub was
// founded in 2008, and a value this small or large is not milliseconds.
var (
	minTime = time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

func (s stamp) time() (time.Time, error) {
	if s.bad != "" {
		return time.Time{}, fmt.Errorf("expected milliseconds since the epoch or an RFC 3339 date-time, got %s", s.bad)
	}
	if s.isStr {
		if t, err := source.ParseTime(s.text); err == nil {
			return t, nil // RFC 3339, or "2022-12-11 22:40:20.268" (UTC) as SIEM exports write it
		}
	}
	ms, err := strconv.ParseFloat(s.text, 64)
	if err != nil || math.IsInf(ms, 0) || math.IsNaN(ms) {
		return time.Time{}, fmt.Errorf("not milliseconds since the epoch or an RFC 3339 date-time: %q", truncate(s.text, 64))
	}
	if ms < float64(minTime.UnixMilli()) || ms >= float64(maxTime.UnixMilli()) {
		return time.Time{}, fmt.Errorf("out of range: %q is not milliseconds since the epoch between 2008 and 2100", truncate(s.text, 64))
	}
	whole := math.Floor(ms)
	return time.UnixMilli(int64(whole)).Add(time.Duration((ms - whole) * 1e6)).UTC(), nil
}

// codeAccess lists the actions that move repository contents to the actor's
// machine. git.push is not among them: it sends code in, not out. Repository
// transfers and forks are ordinary actions that detectors match by name.
var codeAccess = map[string]bool{
	"git.clone":         true,
	"git.fetch":         true,
	"repo.download_zip": true,
}

// parser parses records on one goroutine: an event and its audit payload
// are one allocation, carved from a slab, and network contexts are shared
// as they are read.
type parser struct {
	in     *source.Interner
	audits source.Slab[source.AuditRecord]
}

func newParser(in *source.Interner) source.ParseFunc { return (&parser{in: in}).parse }

func (p *parser) parse(raw []byte) (*event.Event, error) {
	var ev event.Event
	var a event.Audit
	var n event.Network
	var who event.Actor
	if err := read(raw, &ev, &a, &n, &who); err != nil {
		return nil, err
	}
	rec := p.audits.New()
	rec.Event, rec.Audit = ev, a
	rec.Event.Audit = &rec.Audit
	rec.Audit.Net = p.in.Network(n)
	rec.Event.Account = p.in.Actor(who)
	p.in.Event(&rec.Event)
	return &rec.Event, nil
}

// read reads one audit entry into the event, its payload, its network
// context and its actor (which the caller shares; a.Net and ev.Account
// are left unset).
func read(raw []byte, ev *event.Event, a *event.Audit, n *event.Network, who *event.Actor) error {
	var e entry
	if err := gojson.Unmarshal(raw, &e); err != nil {
		return source.UnmarshalError(err)
	}
	if e.Action == "" {
		return source.Fieldf("action", "missing: an audit entry needs an action")
	}
	ev.Kind = event.KindAudit
	var err error
	switch {
	case e.Timestamp.set:
		if ev.Time, err = e.Timestamp.time(); err != nil {
			return &source.FieldError{Field: "@timestamp", Err: err}
		}
	case e.CreatedAt.set:
		if ev.Time, err = e.CreatedAt.time(); err != nil {
			return &source.FieldError{Field: "created_at", Err: err}
		}
	default:
		return source.Fieldf("@timestamp", "missing: an audit entry needs @timestamp or created_at")
	}
	*who = event.Actor{ID: e.ActorID.s, Login: e.Actor}
	// With SAML SSO or Enterprise Managed Users the entry names the
	// identity-provider account, which resolves to the HR roster where
	// the GitHub handle ("dana-whitfield_kestrel") does not.
	for _, id := range []string{e.ExternalNameID, e.ExternalUsername} {
		if strings.Contains(id, "@") {
			who.Email = strings.TrimSpace(id)
			break
		}
	}
	ev.Prov.ID = e.DocumentID

	*a = event.Audit{
		Action:     e.Action,
		UserAgent:  e.UserAgent.Text,
		Org:        e.Org.Text,
		Repo:       firstNonEmpty(e.Repo.Text, e.Repository.Text),
		Target:     firstNonEmpty(e.User.Text, e.Team.s, e.Data.Team.s),
		Permission: e.Permission.Text,
		CodeAccess: codeAccess[e.Action],
	}
	ev.Prov.SetUnknown(source.UnknownFields(
		source.FieldState{Name: "actor_ip", Unknown: e.ActorIP.Unknown},
		source.FieldState{Name: "user_agent", Unknown: e.UserAgent.Unknown},
		source.FieldState{Name: "org", Unknown: e.Org.Unknown},
		source.FieldState{Name: "repo", Unknown: e.Repo.Unknown},
		source.FieldState{Name: "repository", Unknown: e.Repository.Unknown},
		source.FieldState{Name: "user", Unknown: e.User.Unknown},
		source.FieldState{Name: "permission", Unknown: e.Permission.Unknown}))
	ipField, ip := "actor_ip", e.ActorIP.Text
	if ip == "" {
		ipField, ip = "actor_location.ip", e.ActorLocation.IP
	}
	if ip != "" {
		addr, err := netip.ParseAddr(ip)
		if err != nil {
			return source.Fieldf(ipField, "not an IP address: %q", truncate(ip, 64))
		}
		n.IP = addr.Unmap()
	}
	if c, ok := geo.ByAlpha2(strings.TrimSpace(e.ActorLocation.CountryCode)); ok {
		n.Country = c.Alpha2
	}
	if name := e.ActorLocation.CountryName; name != "" {
		n.CountryName = name
		if n.Country == "" {
			n.Country = geo.Alpha2(name)
		}
	}
	if n.Country != "" || n.CountryName != "" {
		n.GeoSource = "github"
	}
	return nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
