package graph

import (
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/enrich/device"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// evidencePerHolder bounds the records cited per person and identifier;
// a link cites at most event.MaxEvidence records in all.
const evidencePerHolder = 3

// identifier is one shared-identifier candidate and who holds it.
type identifier struct {
	kind, key, value string
	people           []string                    // in population order (sorted by id)
	evidence         map[string][]event.Evidence // person → records carrying it
}

// collector gathers every person's identifiers.
type collector struct {
	pop   *profile.Population
	ids   map[string]*identifier
	homes map[string]string // person → roster home address key
	// serial holders: who was shipped a serial (latest shipment) and who
	// was observed with it by the endpoint agent.
	shipped  map[string]map[string]time.Time
	observed map[string]map[string]bool
	// agencies: for a phone or email key, each holder's recruiting
	// agencies (profile.Agencies) when every record of theirs carrying it
	// is an agency submission; a holder seen with it on any other record
	// maps to nil.
	agencies map[string]map[string][]string
	// candidate: the phone, email and URL keys (kind + "\x00" + key) some
	// candidate record carries, as opposed to roster records and
	// code-host profiles alone.
	candidate map[string]bool
}

func newCollector(pop *profile.Population) *collector {
	return &collector{
		pop:       pop,
		ids:       map[string]*identifier{},
		homes:     map[string]string{},
		shipped:   map[string]map[string]time.Time{},
		observed:  map[string]map[string]bool{},
		agencies:  map[string]map[string][]string{},
		candidate: map[string]bool{},
	}
}

// add notes that person holds identifier key, citing record e (the
// evidence, event.EvidenceOf(e, format, args...), is written only when it
// is kept: most keys are held by one person and never link).
func (c *collector) add(kind, key, value, person string, e *event.Event, format string, args ...any) {
	if key == "" || c.sole(kind, key) {
		return
	}
	k := kind + "\x00" + key
	id := c.ids[k]
	if id == nil {
		id = &identifier{kind: kind, key: key, value: value, evidence: map[string][]event.Evidence{}}
		c.ids[k] = id
	}
	// A person's identifiers of one kind are added one after another, and
	// people in id order, so a repeat can only be the last holder.
	if n := len(id.people); n == 0 || id.people[n-1] != person {
		id.people = append(id.people, person)
	}
	if len(id.evidence[person]) < evidencePerHolder {
		id.evidence[person] = append(id.evidence[person], event.EvidenceOf(e, format, args...))
	}
}

// sole reports whether the person model's index shows a device serial
// held by fewer than two people: such a serial links nobody, so it is not
// collected. Identifiers of the shared-identifier index come shared.
func (c *collector) sole(kind, key string) bool {
	return kind == KindDevice && len(c.pop.Index.Serial.Holders(key)) < 2
}

// links returns the identifiers of one kind held by two or more people.
// keep, when set, narrows the holders (nil or fewer than two: no link).
func (c *collector) links(kind string, keep func(*identifier) []string) []rawLink {
	var out []rawLink
	for _, id := range c.ids {
		if id.kind != kind || len(id.people) < 2 {
			continue
		}
		members := id.people
		if keep != nil {
			members = keep(id)
		}
		if len(members) < 2 {
			continue
		}
		members = slices.Clone(members)
		slices.Sort(members)
		out = append(out, rawLink{key: id.key, Link: Link{
			Kind:     kind,
			Value:    id.value,
			Members:  members,
			Evidence: evidenceOf(members, id.evidence),
		}})
	}
	return out
}

func evidenceOf(members []string, by map[string][]event.Evidence) []event.Evidence {
	var out []event.Evidence
	// First one record per member, then the rest, within the bound.
	for round := 0; round < evidencePerHolder; round++ {
		for _, m := range members {
			if evs := by[m]; round < len(evs) && len(out) < event.MaxEvidence {
				out = append(out, evs[round])
			}
		}
	}
	return out
}

// indexed adds the identifiers two or more people hold in the linker's
// shared-identifier index (link.Identifiers: canonical mailboxes, phone
// keys, URLs, personal payout accounts, addresses), each sighting citing
// its record. The index already leaves out placeholder phones and payroll
// infrastructure (the staffing firm or employer of record the roster
// names, a contractor platform, an account paying more than
// cluster.max_payout_sharers people).
func (c *collector) indexed(x *profile.Identifiers) {
	for _, p := range c.pop.People {
		if key := p.HomeKey(); key != "" {
			c.homes[p.ID] = key
		}
	}
	for _, g := range x.Shared {
		for _, s := range g {
			c.sighted(s)
		}
	}
}

// sighted adds one sighting of a shared identifier.
func (c *collector) sighted(s profile.Sighting) {
	p, e, key := s.Person, s.Record, s.Key
	switch s.Kind {
	case profile.IDPayout:
		value := "payout account " + shorten(strings.TrimSpace(e.Payout.AccountFingerprint), 8)
		c.add(KindBankAccount, key, value, p.ID, e,
			"%s is paid to %s (%s) from %s", p.ID, value, e.Payout.Method, e.Payout.EffectiveDate.Format(time.DateOnly))
	case profile.IDAddress:
		if e == p.Roster {
			c.add(KindAddress, key, addressLabel(key), p.ID, e, "roster home address of %s: %s", p.ID, addressLabel(key))
			return
		}
		what := "equipment"
		if e.Shipment.AssetTag != "" {
			what = "asset " + e.Shipment.AssetTag
		}
		c.add(KindAddress, key, addressLabel(key), p.ID, e,
			"%s for %s shipped to %s on %s", what, p.ID, addressLabel(key), e.Shipment.ShippedOn.Format(time.DateOnly))
	case profile.IDPhone, profile.IDEmail:
		kind := KindPhone
		if s.Kind == profile.IDEmail {
			kind = KindEmail
		}
		c.add(kind, key, key, p.ID, e, "%s of %s on %s", kind, p.ID, recordName(e))
		if e.Applicant != nil {
			c.candidate[kind+"\x00"+key] = true
		}
		c.noteAgencies(kind+"\x00"+key, p.ID, profile.Agencies(e.Applicant))
	case profile.IDURL:
		if e.Applicant != nil {
			c.add(KindURL, key, key, p.ID, e, "candidate %s (%s) lists %s", e.Applicant.CandidateID, p.ID, key)
			c.candidate[KindURL+"\x00"+key] = true
			return
		}
		c.add(KindURL, key, key, p.ID, e, "code-host profile %s of %s links %s", e.Profile.Login, p.ID, key)
	}
}

// noteAgencies records who submitted a record carrying identifier k of
// person (agencies nil: not an agency submission).
func (c *collector) noteAgencies(k, person string, agencies []string) {
	m := c.agencies[k]
	if m == nil {
		m = map[string][]string{}
		c.agencies[k] = m
	}
	prev, seen := m[person]
	switch {
	case !seen:
		m[person] = agencies
	case prev != nil && agencies != nil:
		m[person] = append(slices.Clip(prev), agencies...)
	default:
		m[person] = nil
	}
}

// agencyRule drops a phone or email that only one recruiting agency's
// submissions carry: agencies put their own recruiter's contact on every
// candidate they submit. The same contact on a direct applicant, a roster
// record or another agency's candidate still links.
func (c *collector) agencyRule(next func(*identifier) []string) func(*identifier) []string {
	return func(id *identifier) []string {
		holders := c.agencies[id.kind+"\x00"+id.key]
		var common []string
		for i, m := range id.people {
			a := holders[m]
			if a == nil {
				return next(id)
			}
			if i == 0 {
				common = a
				continue
			}
			common = slices.DeleteFunc(slices.Clone(common), func(k string) bool { return !slices.Contains(a, k) })
		}
		if len(common) > 0 {
			return nil
		}
		return next(id)
	}
}

// contactRule keeps the holders of a phone, email or URL shared by at
// most maxShared people (more on roster records alone is a switchboard or
// a team mailbox). One that candidate records carry is an operator's
// contact reused across personas (APP-01's finding, under different
// names): it links up to maxCell holders, however many that is, because a
// cell of eight reuses its contacts on all eight records; past maxCell it
// is infrastructure. Agency contacts are dropped before (agencyRule).
func (c *collector) contactRule(maxShared, maxCell int) func(*identifier) []string {
	personal := sharerRule(maxShared, nil)
	return func(id *identifier) []string {
		if !c.candidate[id.kind+"\x00"+id.key] || maxShared == 0 || len(id.people) <= maxShared {
			return personal(id)
		}
		if maxCell > 0 && len(id.people) > maxCell {
			return nil
		}
		return id.people
	}
}

func recordName(e *event.Event) string {
	switch {
	case e.Person != nil:
		return "the HR roster"
	case e.Applicant != nil:
		return "candidate " + e.Applicant.CandidateID
	}
	return e.Prov.Source() + " record"
}

// devices: serials shipped to a person and hardware serials the endpoint
// agent reports from the person's hosts (osquery system_info).
func (c *collector) devices() {
	hold := func(m map[string]map[string]time.Time, serial, person string, t time.Time) {
		if m[serial] == nil {
			m[serial] = map[string]time.Time{}
		}
		if t.After(m[serial][person]) || m[serial][person].IsZero() {
			m[serial][person] = t
		}
	}
	for _, p := range c.pop.People {
		for _, e := range p.Shipments {
			s := device.SerialKey(e.Shipment.AssetSerial)
			if s == "" {
				continue
			}
			hold(c.shipped, s, p.ID, e.Shipment.ShippedOn)
			c.add(KindDevice, s, s, p.ID, e,
				"device serial %s shipped to %s on %s", s, p.ID, e.Shipment.ShippedOn.Format(time.DateOnly))
		}
		for _, e := range p.Devices {
			d := e.Device
			for _, s := range device.HostSerials(d) {
				if c.observed[s] == nil {
					c.observed[s] = map[string]bool{}
				}
				c.observed[s][p.ID] = true
				c.add(KindDevice, s, s, p.ID, e,
					"endpoint host %s of %s reports hardware serial %s", d.HostID, p.ID, s)
			}
		}
	}
}

// reissueRule drops a device's earlier holder who has left (roster
// inactive), was never seen with it by the endpoint agent and was shipped
// it before another holder: the laptop was returned and re-issued.
func (c *collector) reissueRule() func(*identifier) []string {
	return func(id *identifier) []string {
		var keep []string
		for _, m := range id.people {
			if c.reissued(id.key, m) {
				continue
			}
			keep = append(keep, m)
		}
		return keep
	}
}

func (c *collector) reissued(serial, person string) bool {
	if c.observed[serial][person] {
		return false
	}
	p := c.pop.Person(person)
	if p == nil || p.HR() == nil || p.HR().Active {
		return false
	}
	mine, ok := c.shipped[serial][person]
	if !ok {
		return false
	}
	for other, t := range c.shipped[serial] {
		if other != person && t.After(mine) {
			return true
		}
	}
	return false
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
