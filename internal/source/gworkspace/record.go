package gworkspace

import (
	"bytes"
	"errors"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/geo"
	"github.com/rollcall/rollcall/internal/source"
)

// activity is one Reports API activity resource.
type activity struct {
	ID struct {
		Time            string `json:"time"`
		UniqueQualifier scalar `json:"uniqueQualifier"`
		ApplicationName string `json:"applicationName"`
	} `json:"id"`
	Actor struct {
		Email      string `json:"email"`
		ProfileID  scalar `json:"profileId"`
		CallerType string `json:"callerType"`
		Key        string `json:"key"`
	} `json:"actor"`
	IPAddress   string `json:"ipAddress"`
	NetworkInfo struct {
		IPAsn           []scalar `json:"ipAsn"`
		RegionCode      string   `json:"regionCode"`
		SubdivisionCode string   `json:"subdivisionCode"`
	} `json:"networkInfo"`
	Events events `json:"events"`
}

type activityEvent struct {
	Type       string      `json:"type"`
	Name       string      `json:"name"`
	Parameters []parameter `json:"parameters"`
}

// parameter is one event parameter. Only the scalar and list kinds are
// read; messageValue and multiMessageValue are skipped. Cloud Logging's
// ActivityProto writes a string list as multiStrValue.
type parameter struct {
	Name          string   `json:"name"`
	Value         *scalar  `json:"value"`
	BoolValue     *scalar  `json:"boolValue"`
	IntValue      *scalar  `json:"intValue"`
	MultiValue    []scalar `json:"multiValue"`
	MultiStrValue []scalar `json:"multiStrValue"`
	MultiIntValue []scalar `json:"multiIntValue"`
}

// text renders the parameter's value; list values are joined with ",".
func (p *parameter) text() string {
	switch {
	case p.Value != nil:
		return p.Value.s
	case p.BoolValue != nil:
		return p.BoolValue.s
	case p.IntValue != nil:
		return p.IntValue.s
	case p.MultiValue != nil:
		return joinScalars(p.MultiValue)
	case p.MultiStrValue != nil:
		return joinScalars(p.MultiStrValue)
	case p.MultiIntValue != nil:
		return joinScalars(p.MultiIntValue)
	}
	return ""
}

func joinScalars(v []scalar) string {
	parts := make([]string, len(v))
	for i := range v {
		parts[i] = v[i].s
	}
	return strings.Join(parts, ",")
}

// events accepts the API's array of events and the single object that
// Elastic's split documents carry. Decoding never fails; a value of another
// shape is kept in err for parse to report under "events".
type events struct {
	list []activityEvent
	err  error
}

func (e *events) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || b[0] == 'n': // null
	case b[0] == '{':
		var one activityEvent
		if e.err = gojson.Unmarshal(b, &one); e.err == nil {
			e.list = []activityEvent{one}
		}
	case b[0] == '[':
		e.err = gojson.Unmarshal(b, &e.list)
	default:
		e.err = errors.New("expected an array of events or one event object")
	}
	return nil
}

// scalar accepts any JSON value and keeps its text: a string's contents,
// the literal text of a number or boolean, "" for null, and the raw text of
// an object or array. The API writes int64 values as strings; other
// producers write numbers.
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

// signInApps are the Reports API applications whose activities are
// sign-ins; every other application's activities become audit events.
var signInApps = map[string]bool{"login": true, "saml": true}

// interactiveNames are login events in which the user presented a
// credential or answered a challenge.
var interactiveNames = map[string]bool{
	"login_success": true, "login_failure": true, "login_challenge": true, "login_verification": true,
}

// maxReason bounds the compact parameter text kept in SignIn.Reason.
const maxReason = 512

// parser parses records on one goroutine: an event and its payload are
// one allocation, carved from a slab, and network contexts are shared as
// they are read.
type parser struct {
	in      *source.Interner
	signIns source.Slab[source.SignInRecord]
	audits  source.Slab[source.AuditRecord]
}

func newParser(in *source.Interner) source.ParseFunc { return (&parser{in: in}).parse }

func (p *parser) parse(raw []byte) (*event.Event, error) {
	var in struct {
		activity
		cloudEntry
	}
	if err := gojson.Unmarshal(raw, &in); err != nil {
		return nil, source.UnmarshalError(err)
	}
	a := in.activity
	if in.ProtoPayload != nil {
		a = in.cloudEntry.activity()
	}
	if a.Events.err != nil {
		err := source.UnmarshalError(a.Events.err)
		var fe *source.FieldError
		if errors.As(err, &fe) {
			return nil, source.Fieldf("events", "%s: %v", fe.Field, fe.Err)
		}
		return nil, &source.FieldError{Field: "events", Err: err}
	}
	if a.ID.Time == "" {
		return nil, source.Fieldf("id.time", "missing: an activity needs id.time")
	}
	t, err := source.ParseTime(a.ID.Time)
	if err != nil {
		return nil, &source.FieldError{Field: "id.time", Err: err}
	}
	var ev event.Event
	ev.Time = t.UTC()
	who := event.Actor{ID: a.Actor.ProfileID.s, Email: strings.ToLower(a.Actor.Email)}
	if who.ID == "" && a.Actor.CallerType == "KEY" {
		who.ID = a.Actor.Key
	}
	if who.Empty() {
		return nil, source.Fieldf("actor.email", "missing: no actor.email, actor.profileId or actor.key")
	}
	ev.Account = p.in.Actor(who)
	ev.Prov.ID = a.ID.UniqueQualifier.s
	if len(a.Events.list) == 0 || strings.TrimSpace(a.Events.list[0].Name) == "" {
		return nil, source.Fieldf("events", "missing: an activity needs at least one named event")
	}

	var n event.Network
	if a.IPAddress != "" {
		addr, err := netip.ParseAddr(a.IPAddress)
		if err != nil {
			return nil, source.Fieldf("ipAddress", "not an IP address: %q", truncate(a.IPAddress, 64))
		}
		n.IP = addr.Unmap()
	}
	if rc := strings.TrimSpace(a.NetworkInfo.RegionCode); rc != "" {
		if c, ok := geo.ByAlpha2(rc); ok {
			n.Country = c.Alpha2
		} else {
			n.CountryName, n.Country = rc, geo.Alpha2(rc)
		}
	}
	n.Region = a.NetworkInfo.SubdivisionCode
	if len(a.NetworkInfo.IPAsn) > 0 {
		if asn, err := strconv.ParseUint(a.NetworkInfo.IPAsn[0].s, 10, 32); err == nil && asn <= math.MaxUint32 {
			n.ASN = uint32(asn)
		}
	}
	if n.Country != "" || n.CountryName != "" || n.Region != "" {
		n.GeoSource = "gworkspace"
	}

	first := deciding(a.Events.list)
	app := a.ID.ApplicationName
	if !signInApps[app] {
		rec := p.audits.New()
		rec.Event, rec.Audit = ev, event.Audit{Action: app + "." + first.Name, Net: p.in.Network(n), Target: paramValue(first, "USER_EMAIL")}
		rec.Event.Kind, rec.Event.Audit = event.KindAudit, &rec.Audit
		p.in.Event(&rec.Event)
		return &rec.Event, nil
	}
	rec := p.signIns.New()
	s := &rec.SignIn
	*s = event.SignIn{
		Action:      first.Name,
		Outcome:     event.OutcomeOther,
		Net:         p.in.Network(n),
		Reason:      compact(a.Events.list),
		SessionEnd:  first.Name == "logout",
		Interactive: first.Type == "login" && interactiveNames[first.Name],
	}
	switch first.Name {
	case "login_success":
		s.Outcome = event.OutcomeSuccess
	case "login_failure":
		s.Outcome = event.OutcomeFailure
	}
	if paramValue(first, "is_suspicious") == "true" {
		s.RiskLevel = "high"
	}
	rec.Event = ev
	rec.Event.Kind, rec.Event.SignIn = event.KindSignIn, s
	p.in.Event(&rec.Event)
	return &rec.Event, nil
}

// deciding is the event that decides a sign-in activity's action and
// outcome: the last login_success or login_failure (an activity that
// records a failed attempt and then a success is a success), else the
// first event.
func deciding(evs []activityEvent) *activityEvent {
	for i := len(evs) - 1; i >= 0; i-- {
		if n := evs[i].Name; n == "login_success" || n == "login_failure" {
			return &evs[i]
		}
	}
	return &evs[0]
}

func paramValue(e *activityEvent, name string) string {
	for i := range e.Parameters {
		if e.Parameters[i].Name == name {
			return e.Parameters[i].text()
		}
	}
	return ""
}

// compact renders the events' parameters as "name=value; …", led by the
// event type when it is not "login" and followed by the names of any
// further events, cut at maxReason bytes.
func compact(evs []activityEvent) string {
	var b strings.Builder
	sep := func() {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
	}
	first := &evs[0]
	if first.Type != "" && first.Type != "login" {
		b.WriteString("type=" + first.Type)
	}
	for i := range first.Parameters {
		p := &first.Parameters[i]
		if p.Name == "" {
			continue
		}
		sep()
		b.WriteString(p.Name + "=" + p.text())
	}
	for i := 1; i < len(evs); i++ {
		sep()
		b.WriteString("event=" + evs[i].Name)
	}
	return truncate(b.String(), maxReason)
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
