package source

import (
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
	m map[string]string
}

// NewInterner returns an empty Interner.
func NewInterner() *Interner { return &Interner{m: make(map[string]string, 16)} }

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
	in.actor(&e.Actor)
	switch {
	case e.SignIn != nil:
		s := e.SignIn
		s.Action = in.String(s.Action)
		s.Reason = in.String(s.Reason)
		s.UserAgent = in.String(s.UserAgent)
		s.OS = in.String(s.OS)
		s.Browser = in.String(s.Browser)
		s.DeviceID = in.String(s.DeviceID)
		s.DeviceName = in.String(s.DeviceName)
		s.MFADevice = in.String(s.MFADevice)
		s.RiskLevel = in.String(s.RiskLevel)
		in.network(&s.Net)
	case e.Audit != nil:
		a := e.Audit
		a.Action = in.String(a.Action)
		a.UserAgent = in.String(a.UserAgent)
		a.Org = in.String(a.Org)
		a.Repo = in.String(a.Repo)
		a.Target = in.String(a.Target)
		a.Permission = in.String(a.Permission)
		in.network(&a.Net)
	case e.Device != nil:
		d := e.Device
		d.HostID = in.String(d.HostID)
		d.Query = in.String(d.Query)
		d.Table = in.String(d.Table)
		for i, row := range d.Rows {
			d.Rows[i] = in.row(row)
		}
	case e.Commit != nil:
		c := e.Commit
		c.AuthorName = in.String(c.AuthorName)
		c.AuthorEmail = in.String(c.AuthorEmail)
		c.CommitterName = in.String(c.CommitterName)
		c.CommitterEmail = in.String(c.CommitterEmail)
		c.Repo = in.String(c.Repo)
	}
}

// row copies a result row into a map of its exact size whose column names
// and values are interned: rows of one query share their column names,
// and most values (host names, vendors, versions) repeat from one
// observation to the next.
func (in *Interner) row(r map[string]string) map[string]string {
	if r == nil {
		return nil
	}
	out := make(map[string]string, len(r))
	for k, v := range r {
		out[in.String(k)] = in.String(v)
	}
	return out
}

func (in *Interner) actor(a *event.Actor) {
	a.ID = in.String(a.ID)
	a.Login = in.String(a.Login)
	a.Email = in.String(a.Email)
	a.DisplayName = in.String(a.DisplayName)
}

func (in *Interner) network(n *event.Network) {
	n.Country = in.String(n.Country)
	n.CountryName = in.String(n.CountryName)
	n.Region = in.String(n.Region)
	n.City = in.String(n.City)
	n.ASOrg = in.String(n.ASOrg)
	n.ISP = in.String(n.ISP)
	n.Domain = in.String(n.Domain)
	n.GeoSource = in.String(n.GeoSource)
}
