package sim

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// Google Workspace login audit writer: Admin SDK Reports API activities
// (applicationName=login), one admin#reports#activity per line. Staff who
// use Workspace apps sign in to Google (with a Google password) in some of
// their sessions, from the session's network: a login_success (after a
// login_failure now and then), and a logout when they sign out. Google
// marks a sign-in from an anonymising network as suspicious now and then.

// workspaceCustomer is the organisation's Workspace customer id.
const workspaceCustomer = "C03k7x2vq"

// gwRec is one login activity.
type gwRec struct {
	t          time.Time
	seq        uint64
	p          *Person
	e          *Egress
	name       string // login_success, login_failure, logout
	secondStep bool   // a second factor was asked for
	suspicious bool
}

func (r gwRec) stamp() (time.Time, uint64) { return r.t, r.seq }

// sessionWorkspace appends the Google login activities of one session.
func (o *Org) sessionWorkspace(r *rand.Rand, a *Activity, out []gwRec) []gwRec {
	p := a.Person
	if p.src.workspace == 0 || !chance(r, p.src.workspace) {
		return out
	}
	t := a.Start.Add(time.Duration(between(r, 5000, 20*60*1000)) * time.Millisecond).Truncate(time.Millisecond)
	if a.Failures > 0 && chance(r, 0.5) {
		out = append(out, gwRec{t: t.Add(-time.Duration(between(r, 8000, 60000)) * time.Millisecond), p: p, e: a.Egress, name: "login_failure"})
	}
	susp := (a.Egress.Proxy || a.Egress.ISP.Kind == Hosting) && chance(r, 0.3)
	out = append(out, gwRec{t: t, p: p, e: a.Egress, name: "login_success", secondStep: a.MFA != nil && chance(r, 0.5), suspicious: susp})
	if a.Logout && chance(r, 0.5) && a.End.After(t) {
		out = append(out, gwRec{t: a.End.Truncate(time.Millisecond), p: p, e: a.Egress, name: "logout"})
	}
	return out
}

// WriteWorkspace writes the Google Workspace login activities as NDJSON.
func (o *Org) WriteWorkspace(w io.Writer) error {
	rs := newReseeder()
	ids := newRand(o.cfg.Seed, streamWorkspace, 0, 0)
	var tl timeline[gwRec]
	var recs []gwRec
	add := func(d int, acts []*Activity) {
		for _, a := range acts {
			recs = o.sessionWorkspace(rs.at(o.cfg.Seed, streamWorkspace, uint64(a.Person.Index), uint64(a.Start.UnixNano())), a, recs[:0])
			for _, g := range recs {
				g.seq = tl.next()
				tl.pending = append(tl.pending, g)
			}
		}
	}
	encode := func(b []byte, g *gwRec) []byte { return appendWorkspace(b, g, ids) }
	if err := streamDays(o, w, &tl, add, encode); err != nil {
		return fmt.Errorf("workspace login activity: %w", err)
	}
	return nil
}

// appendWorkspace appends one activity resource, keys in the API's order.
func appendWorkspace(b []byte, g *gwRec, r *rand.Rand) []byte {
	b = append(b, `{"kind":"admin#reports#activity","id":{"time":`...)
	b = appendTimeMillis(b, g.t)
	b = append(b, `,"uniqueQualifier":"`...)
	b = strconv.AppendInt(b, int64(r.Uint64()), 10)
	b = append(b, `","applicationName":"login","customerId":"`+workspaceCustomer+`"},"etag":"\"`...)
	b = append(b, "Xw3CyXeyqcT4bVyQ7Rt0eJf2hP8"...)
	b = append(b, '/')
	for range 27 {
		b = append(b, base62[r.IntN(62)])
	}
	b = append(b, `\"","actor":{"callerType":"USER","email":`...)
	b = appendStr(b, g.p.WorkEmail)
	b = append(b, `,"profileId":`...)
	b = appendStr(b, g.p.src.gProfile)
	b = append(b, `},"ipAddress":"`...)
	b = g.e.IP.AppendTo(b)
	b = append(b, `","networkInfo":{"ipAsn":[`...)
	b = strconv.AppendUint(b, uint64(g.e.ISP.ASN), 10)
	b = append(b, `],"regionCode":`...)
	b = appendStr(b, g.e.Place.Country)
	if g.e.Place.Country == "US" {
		b = append(b, `,"subdivisionCode":`...)
		b = appendStr(b, "US-"+g.e.Place.RegionCode)
	}
	b = append(b, `},"events":[{"type":"login","name":`...)
	b = appendStr(b, g.name)
	b = append(b, `,"parameters":[{"name":"login_type","value":"google_password"}`...)
	switch g.name {
	case "login_success":
		if g.secondStep {
			b = append(b, `,{"name":"login_challenge_method","multiValue":["password","google_authenticator"]}`...)
		} else {
			b = append(b, `,{"name":"login_challenge_method","multiValue":["password"]}`...)
		}
		b = append(b, `,{"name":"is_suspicious","boolValue":`...)
		b = appendBool(b, g.suspicious)
		b = append(b, '}')
	case "login_failure":
		b = append(b, `,{"name":"login_challenge_method","multiValue":["password"]},{"name":"login_failure_type","value":"login_failure_invalid_password"},{"name":"is_suspicious","boolValue":false}`...)
	}
	return append(b, "]}]}\n"...)
}
