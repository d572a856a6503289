package source

import (
	"encoding/binary"
	"unique"

	"github.com/rollcall/rollcall/internal/event"
)

// internMaxLen bounds the strings an Interner canonicalises: longer values
// (free text, long URIs) rarely repeat and are kept as they are.
const internMaxLen = 512

// internMaxEntries bounds an Interner's local cache; past it the cache is
// dropped and refilled, so a file of values that never repeat cannot grow
// it without limit.
const internMaxEntries = 1 << 16

// internMaxRows bounds the osquery rows an Interner remembers (each entry
// holds a copy of the row's values as its key): enough for the inventory
// snapshots of a few thousand hosts, small for a long-lived Interner.
const internMaxRows = 1 << 14

// Interner turns strings that repeat across records (AS names, ISPs, user
// agents, event types, account ids, logins, names, cities, countries…)
// into one shared copy. Canonical copies come from the standard library's
// unique package, so every decoder of a scan, in any goroutine and any
// file, shares them, and they are freed once no event holds them. A small
// local cache in front makes a repeat cost one map lookup and no
// allocation.
//
// An Interner is not safe for concurrent use; the framing helpers give each
// parsing goroutine its own.
type Interner struct {
	m      map[string]string
	nets   map[event.Network]*event.Network
	actors map[event.Actor]*event.Actor
	files  map[event.Origin]*event.Origin
	intel  map[event.IPIntel]*event.IPIntel
	cols   map[string]*event.Columns // osquery column sets by their names (each length-prefixed)
	vals   map[string][]string       // osquery row values by column names and values (each length-prefixed)
	key    []byte                    // scratch for cols and vals lookups
}

// NewInterner returns an empty Interner.
func NewInterner() *Interner {
	return &Interner{m: make(map[string]string, 16), nets: map[event.Network]*event.Network{}, actors: map[event.Actor]*event.Actor{}, files: map[event.Origin]*event.Origin{}, intel: map[event.IPIntel]*event.IPIntel{}}
}

// Bytes returns the canonical string equal to b. It allocates only the
// first time a value is seen by this Interner.
func (in *Interner) Bytes(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > internMaxLen {
		return string(b)
	}
	if s, ok := in.m[string(b)]; ok { // no allocation: the compiler special-cases this
		return s
	}
	return in.add(string(b))
}

// String returns the canonical string equal to s.
func (in *Interner) String(s string) string {
	if s == "" || len(s) > internMaxLen {
		return s
	}
	if c, ok := in.m[s]; ok {
		return c
	}
	return in.add(s)
}

func (in *Interner) add(s string) string {
	c := unique.Make(s).Value()
	if len(in.m) >= internMaxEntries {
		clear(in.m)
	}
	in.m[c] = c
	return c
}

// Event interns the fields of e that repeat across records. Adapters that
// build their strings through the Interner already need not call it; the
// framing helpers call it for the others. Values that identify one record
// (event ids, hashes, session ids) are left alone.
func (in *Interner) Event(e *event.Event) {
	if e.Account != nil {
		e.Account = in.Actor(*e.Account)
	}
	if o := e.Prov.Origin; o != nil {
		e.Prov.Origin = canonical(in.files, *o, func(o *event.Origin) { in.all(&o.Source, &o.File) })
	}
	switch {
	case e.SignIn != nil:
		s := e.SignIn
		in.all(&s.Action, &s.Reason, &s.UserAgent, &s.OS, &s.Browser, &s.DeviceID, &s.DeviceName, &s.MFADevice, &s.RiskLevel)
		s.Net = in.shared(s.Net)
	case e.Audit != nil:
		a := e.Audit
		in.all(&a.Action, &a.UserAgent, &a.Org, &a.Repo, &a.Target, &a.Permission)
		a.Net = in.shared(a.Net)
	case e.Meeting != nil:
		e.Meeting.Net = in.shared(e.Meeting.Net)
	case e.Device != nil:
		d := e.Device
		in.all(&d.HostID, &d.Query, &d.Table)
		in.rows(d.Rows)
	case e.Commit != nil:
		c := e.Commit
		in.all(&c.AuthorName, &c.AuthorEmail, &c.CommitterName, &c.CommitterEmail, &c.Repo)
	}
}

// all interns each string in place.
func (in *Interner) all(strs ...*string) {
	for _, p := range strs {
		*p = in.String(*p)
	}
}

// Network returns the shared copy of n: every event this Interner sees
// with an equal network context points at one value, whose strings are
// interned. The value must not be modified (see event.Network).
func (in *Interner) Network(n event.Network) *event.Network {
	if n.Intel != nil {
		n.Intel = in.ipIntel(*n.Intel)
	}
	return canonical(in.nets, n, func(n *event.Network) {
		in.all(&n.Country, &n.CountryName, &n.Region, &n.City, &n.ASOrg, &n.ISP, &n.Domain, &n.GeoSource)
	})
}

// Actor returns the shared copy of a (nil when a is zero): every event
// this Interner sees from the same account points at one value, whose
// strings are interned. The value must not be modified (see
// event.Event.Account).
func (in *Interner) Actor(a event.Actor) *event.Actor {
	if a.IsZero() {
		return nil
	}
	return canonical(in.actors, a, func(a *event.Actor) { in.all(&a.ID, &a.Login, &a.Email, &a.DisplayName) })
}

func (in *Interner) ipIntel(i event.IPIntel) *event.IPIntel {
	return canonical(in.intel, i, func(i *event.IPIntel) { in.all(&i.Country, &i.City, &i.ASOrg, &i.Anonymizer) })
}

// canonical returns the value of m equal to v; the first time, it adds a
// copy of v whose strings intern canonicalises. m is dropped and refilled
// past internMaxEntries, like an Interner's string cache.
func canonical[T comparable](m map[T]*T, v T, intern func(*T)) *T {
	if p, ok := m[v]; ok {
		return p
	}
	if len(m) >= internMaxEntries {
		clear(m)
	}
	p := new(T) // not &v: v would move to the heap on every call
	*p = v
	intern(p)
	m[*p] = p
	return p
}

// shared is Network for a payload's context; a payload without one gets
// an empty context, so that every sign-in, audit action and meeting has
// one (and its JSON an object).
func (in *Interner) shared(n *event.Network) *event.Network {
	if n == nil {
		return in.Network(event.Network{})
	}
	return in.Network(*n)
}

// rows rewrites result rows in place so that rows with the same columns
// share one interned column set, and a row whose columns and values repeat
// an earlier row's (the same app, USB device or setting in every daily
// snapshot) shares its values too; the values of new rows sit in one slice
// of interned strings. Rows are not modified in place afterwards
// (event.Row.Set copies).
func (in *Interner) rows(rows []event.Row) {
	missing := 0
	for i, r := range rows {
		if r.IsNil() {
			continue
		}
		cols := in.rowKey(r)
		if vals, ok := in.vals[string(in.key)]; ok {
			rows[i] = event.RowOf(cols, vals)
			continue
		}
		rows[i] = event.RowOf(cols, r.Values()) // interned below
		missing += r.Len()
	}
	if missing == 0 {
		return
	}
	backing := make([]string, 0, missing)
	for i, r := range rows {
		if r.IsNil() {
			continue
		}
		cols := in.rowKey(r)
		if vals, ok := in.vals[string(in.key)]; ok { // found above, or repeated within this event
			rows[i] = event.RowOf(cols, vals)
			continue
		}
		start := len(backing)
		for _, v := range r.Values() {
			backing = append(backing, in.String(v))
		}
		vals := backing[start:len(backing):len(backing)]
		if in.vals == nil || len(in.vals) >= internMaxRows {
			in.vals = make(map[string][]string)
		}
		in.vals[string(in.key)] = vals
		rows[i] = event.RowOf(cols, vals)
	}
}

// rowKey returns the canonical column set of r and leaves in.key holding
// the key of its columns and values.
func (in *Interner) rowKey(r event.Row) *event.Columns {
	cols := in.columns(r.Columns())
	for _, v := range r.Values() {
		in.key = binary.AppendUvarint(in.key, uint64(len(v)))
		in.key = append(in.key, v...)
	}
	return cols
}

// columns returns the canonical column set with c's names.
func (in *Interner) columns(c *event.Columns) *event.Columns {
	in.key = binary.AppendUvarint(in.key[:0], uint64(len(c.Names())))
	for _, n := range c.Names() {
		in.key = binary.AppendUvarint(in.key, uint64(len(n)))
		in.key = append(in.key, n...)
	}
	if s, ok := in.cols[string(in.key)]; ok {
		return s
	}
	if in.cols == nil || len(in.cols) >= internMaxEntries {
		in.cols = make(map[string]*event.Columns)
	}
	names := make([]string, len(c.Names()))
	for i, n := range c.Names() {
		names[i] = in.String(n)
	}
	s := event.NewColumns(names)
	in.cols[string(in.key)] = s
	return s
}
