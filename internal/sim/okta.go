package sim

import (
	"bufio"
	"cmp"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/netip"
	"slices"
	"time"
)

// Okta System Log writer: every activity becomes the events Okta records
// for an Identity Engine sign-in (failed attempts, policy evaluation, MFA,
// session start, an occasional password change, sign-out), and every new
// hire a few group.user_membership.add events by an IT admin. Events are
// written as NDJSON LogEvent objects in published order, as the System Log
// API returns them.

type oktaKind uint8

const (
	okFailure oktaKind = iota
	okPolicy
	okMFA
	okStart
	okPassword
	okEnd
	okGroupAdd
)

// oktaSession is what the events of one activity share.
type oktaSession struct {
	act       *Activity
	behaviors string
	risk      string
	authnID   string
}

// oktaRec is one event waiting to be written.
type oktaRec struct {
	t      time.Time
	seq    uint64
	kind   oktaKind
	s      *oktaSession
	admin  *Person // group adds: the actor
	target *Person // group adds: the user added
	group  string
}

// seenState is what Okta's behaviour detection knows about a user.
type seenState struct {
	ips      map[netip.Addr]struct{}
	places   map[string]struct{} // city|region|country
	regions  map[string]struct{}
	nations  map[string]struct{}
	devices  map[string]struct{}
	last     *Egress
	lastTime time.Time
}

type oktaWriter struct {
	o       *Org
	w       *bufio.Writer
	r       *rand.Rand
	seq     uint64
	pending []oktaRec
	seen    []*seenState
	ua      uaCache
	buf     []byte
	nodes   [][6]byte
	limit   int // stop after this many events (0 = no limit)
	written int
	ids     oktaIDs

	// Pre-encoded fragments, per writer so that writers never share state.
	actors  [][]byte           // by person index
	geos    map[*Egress][]byte // geographicalContext
	secs    map[*Egress][]byte // securityContext
	devices map[*Device][]byte // device object
	uas     map[uaKey][]byte   // client.userAgent object
}

// oktaIDs are the org-wide Okta object ids.
type oktaIDs struct {
	policy, rule, dashboard string
	groups                  map[string]string
}

var errLimit = fmt.Errorf("event limit reached")

// WriteOkta writes the organisation's Okta System Log as NDJSON.
func (o *Org) WriteOkta(w io.Writer) error {
	_, err := o.writeOkta(w, 0)
	return err
}

// writeOkta writes the events, at most limit of them when limit > 0, and
// returns how many it wrote.
func (o *Org) writeOkta(w io.Writer, limit int) (int, error) {
	ow := &oktaWriter{o: o, w: bufio.NewWriterSize(w, 1<<20), r: newRand(o.cfg.Seed, streamOktaIDs, 0, 0), ua: uaCache{}, limit: limit,
		actors: make([][]byte, len(o.People)), geos: map[*Egress][]byte{}, secs: map[*Egress][]byte{}, devices: map[*Device][]byte{}, uas: map[uaKey][]byte{}}
	for range 4 {
		var n [6]byte
		for i := range n {
			n[i] = byte(ow.r.Uint32())
		}
		n[0] |= 0x01 // multicast bit: a random node id, as RFC 4122 asks
		ow.nodes = append(ow.nodes, n)
	}
	ow.ids = oktaIDs{policy: "00p" + randBase62(ow.r, 14) + "697", rule: "0pr" + randBase62(ow.r, 14) + "697",
		dashboard: "0oa" + randBase62(ow.r, 14) + "697", groups: map[string]string{}}
	ow.seen = make([]*seenState, len(o.People))
	for _, p := range o.People {
		ow.seen[p.Index] = ow.initialSeen(p)
	}
	hires := map[int][]*Person{}
	for _, p := range o.People {
		if d := o.dayOf(p.Hired, p.Loc()); d >= 0 && d < o.cfg.Days {
			hires[d] = append(hires[d], p)
		}
	}
	err := o.EachDay(func(d int, acts []*Activity) error {
		for _, p := range hires[d] {
			ow.groupAdds(p)
		}
		for _, a := range acts {
			ow.addActivity(a)
		}
		return ow.flush(o.Watermark(d))
	})
	if err == nil {
		err = ow.flush(time.Time{})
	}
	if err == errLimit {
		err = nil
	}
	if ferr := ow.w.Flush(); err == nil && ferr != nil {
		err = ferr
	}
	if err != nil {
		return ow.written, fmt.Errorf("okta system log: %w", err)
	}
	return ow.written, nil
}

// initialSeen is what Okta already knows about a person hired before the
// window: the home network, the laptop, the phone.
func (ow *oktaWriter) initialSeen(p *Person) *seenState {
	s := &seenState{ips: map[netip.Addr]struct{}{}, places: map[string]struct{}{}, regions: map[string]struct{}{},
		nations: map[string]struct{}{}, devices: map[string]struct{}{}}
	if !p.Hired.Before(ow.o.start) {
		return s
	}
	e := p.homeNet[0].e
	s.note(e, p.Laptop)
	s.note(e, p.MFAPhone)
	if p.plan.office {
		s.note(ow.o.office.Egress, p.Laptop)
	}
	for _, z := range p.plan.zscaler {
		s.note(z, p.Laptop)
	}
	s.last = nil
	return s
}

func placeKey(e *Egress) string { return e.Place.City + "|" + e.Place.Region + "|" + e.Place.Country }

func (s *seenState) note(e *Egress, d *Device) {
	s.ips[e.IP] = struct{}{}
	s.places[placeKey(e)] = struct{}{}
	s.regions[e.Place.Region+"|"+e.Place.Country] = struct{}{}
	s.nations[e.Place.Country] = struct{}{}
	if d != nil {
		s.devices[d.Fingerprint] = struct{}{}
	}
}

// behaviours evaluates Okta's behaviour detection for a sign-in and
// records it.
func (s *seenState) behaviours(e *Egress, d *Device, t time.Time) (string, string) {
	_, oldIP := s.ips[e.IP]
	_, oldPlace := s.places[placeKey(e)]
	_, oldRegion := s.regions[e.Place.Region+"|"+e.Place.Country]
	_, oldNation := s.nations[e.Place.Country]
	_, oldDev := s.devices[d.Fingerprint]
	velocity := false
	if s.last != nil {
		km := distanceKm(s.last.Lat, s.last.Lon, e.Lat, e.Lon)
		h := t.Sub(s.lastTime).Hours()
		velocity = km > 500 && (h <= 0 || km/h > 900)
	}
	s.note(e, d)
	s.last, s.lastTime = e, t
	pn := func(b bool) string {
		if b {
			return "POSITIVE"
		}
		return "NEGATIVE"
	}
	beh := "{New Geo-Location=" + pn(!oldPlace) + ", New Device=" + pn(!oldDev) + ", New IP=" + pn(!oldIP) +
		", New State=" + pn(!oldRegion) + ", New Country=" + pn(!oldNation) + ", Velocity=" + pn(velocity) + ", New City=" + pn(!oldPlace) + "}"
	var reasons []string
	if !oldPlace || velocity {
		reasons = append(reasons, "Anomalous Location")
	}
	if !oldDev {
		reasons = append(reasons, "Anomalous Device")
	}
	level := "LOW"
	switch {
	case velocity || !oldNation && !oldDev:
		level = "HIGH"
	case !oldNation || !oldDev && !oldIP:
		level = "MEDIUM"
	}
	if level == "LOW" {
		return beh, "{level=LOW}"
	}
	risk := "{reasons="
	for i, r := range reasons {
		if i > 0 {
			risk += ", "
		}
		risk += r
	}
	return beh, risk + ", level=" + level + "}"
}

func (ow *oktaWriter) push(t time.Time, k oktaKind, s *oktaSession) {
	ow.seq++
	ow.pending = append(ow.pending, oktaRec{t: t.Truncate(time.Millisecond), seq: ow.seq, kind: k, s: s})
}

// addActivity turns an activity into its events.
func (ow *oktaWriter) addActivity(a *Activity) {
	st := ow.seen[a.Person.Index]
	beh, risk := st.behaviours(a.Egress, a.Device, a.Start)
	s := &oktaSession{act: a, behaviors: beh, risk: risk, authnID: randHex(ow.r, 16)}
	t := a.Start
	for i := a.Failures; i > 0; i-- {
		ow.push(t.Add(-time.Duration(i*between(ow.r, 8, 40))*time.Second), okFailure, s)
	}
	ow.push(t, okPolicy, s)
	t = t.Add(time.Duration(between(ow.r, 40, 600)) * time.Millisecond)
	if a.MFA != nil {
		t = t.Add(time.Duration(between(ow.r, 3000, 22000)) * time.Millisecond)
		ow.push(t, okMFA, s)
		t = t.Add(time.Duration(between(ow.r, 150, 900)) * time.Millisecond)
	}
	ow.push(t, okStart, s)
	if a.PasswordChange {
		ow.push(t.Add(time.Duration(between(ow.r, 90, 1500))*time.Second), okPassword, s)
	}
	if a.Logout {
		ow.push(a.End, okEnd, s)
	}
}

// groupAdds records an IT admin adding a new hire to groups.
func (ow *oktaWriter) groupAdds(p *Person) {
	admin := ow.o.admins[(p.Index*31)%len(ow.o.admins)]
	groups := []string{"All Staff", p.Department}
	if p.Contractor {
		groups = append(groups, "Contractors")
	}
	if p.Department == "Engineering" || p.Department == "Data" {
		groups = append(groups, "GitHub Users")
	}
	t := p.Created.Add(time.Duration(between(ow.r, 120, 1800)) * time.Second)
	e := admin.homeEgress(max(0, ow.o.dayOf(t, admin.Loc())))
	s := &oktaSession{act: &Activity{Person: admin, Start: t, End: t, Egress: e, Device: admin.Laptop, SessionID: "idx" + randBase62(ow.r, 22)}}
	for _, g := range groups {
		ow.seq++
		ow.pending = append(ow.pending, oktaRec{t: t.Truncate(time.Millisecond), seq: ow.seq, kind: okGroupAdd, s: s, admin: admin, target: p, group: g})
		t = t.Add(time.Duration(between(ow.r, 300, 4000)) * time.Millisecond)
	}
}

// flush writes, in order, every pending event before wm (all when wm is zero).
func (ow *oktaWriter) flush(wm time.Time) error {
	slices.SortFunc(ow.pending, func(a, b oktaRec) int {
		if c := a.t.Compare(b.t); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	n := len(ow.pending)
	if !wm.IsZero() {
		n, _ = slices.BinarySearchFunc(ow.pending, wm, func(r oktaRec, t time.Time) int { return r.t.Compare(t) })
	}
	for i := range n {
		ow.buf = ow.appendEvent(ow.buf[:0], &ow.pending[i])
		ow.buf = append(ow.buf, '\n')
		if _, err := ow.w.Write(ow.buf); err != nil {
			return err
		}
		ow.written++
		if ow.limit > 0 && ow.written >= ow.limit {
			return errLimit
		}
	}
	rest := copy(ow.pending, ow.pending[n:])
	clear(ow.pending[rest:])
	ow.pending = ow.pending[:rest]
	return nil
}

// derivedID makes a stable Okta-style id from a prefix and a key.
func derivedID(prefix, key string) string {
	h := fnv.New64a()
	h.Write([]byte(key))
	v := h.Sum64()
	b := make([]byte, 0, 20)
	b = append(b, prefix...)
	for len(b) < 17 {
		b = append(b, base62[v%62])
		v = v/62 ^ mix(v)
	}
	return string(append(b, "697"...))
}
