package profile

import (
	"slices"

	"github.com/rollcall/rollcall/internal/event"
)

// Linked is entity resolution's verdict over the population: the pairs of
// people whose records internal/link scored as one person or as one
// operator's personas. The engine runs the linker once per analysis
// (link.People) and stores it on the population, so that the graph and
// the applicant indicators (APP-01, APP-12) read one result.
type Linked struct {
	Pairs []LinkedPair // sorted by A, then B; A < B
	// Cluster maps a linked person to the id of the linker's cluster
	// ("L1"…); unlinked people are absent.
	Cluster map[string]string
	// Identifiers is the linker's shared-identifier index: the canonical
	// keys it blocks and compares on (link.Identifiers), from which the
	// graph builds its phone, email, URL, payout and address links and
	// APP-01 its contact collisions.
	Identifiers *Identifiers
}

// Identifier kinds of the shared-identifier index.
const (
	IDEmail   = "email"   // canonical mailbox
	IDPhone   = "phone"   // phone key (enrich/phone.Key: the last ten digits)
	IDURL     = "url"     // canonical portfolio / profile URL
	IDPayout  = "payout"  // personal payout account fingerprint
	IDAddress = "address" // address key (enrich/address): roster home, ship-to
)

// Sighting is one identifier on one record of one person.
type Sighting struct {
	Kind, Key string
	// Value is what the linker compares for a phone (E.164, else as
	// written); the key for other kinds.
	Value  string
	Person *Person
	Record *event.Event
}

// Identifiers is the shared-identifier index of a population: every
// person's identifiers in canonical form, and the ones two or more people
// hold.
type Identifiers struct {
	// Of maps a person id to the person's sightings, one per identifier
	// and record: per record (roster, then candidates) its mailboxes,
	// phones and URLs, then code-host profile URLs, personal payout
	// accounts, the roster home and ship-to addresses.
	Of map[string][]Sighting
	// Shared lists each identifier two or more people hold as its
	// sightings (people in population order), in order of first
	// sighting.
	Shared [][]Sighting
}

// LinkedPair is one scored link between two people.
type LinkedPair struct {
	A, B string
	// Kind is "person" (the records match as one person) or "shared"
	// (different names, but shared identifiers of two or more kinds).
	Kind        string
	Weight      float64  // match weight, log2 of the odds
	Probability float64  // match probability
	Matched     []string // the fields whose agreement counted: phone, email, url, payout, resume…
}

// Has reports whether field counted for the pair.
func (p LinkedPair) Has(field string) bool { return slices.Contains(p.Matched, field) }

// Of returns the pairs person is part of (nil Linked: none).
func (l *Linked) Of(person string) []LinkedPair {
	if l == nil {
		return nil
	}
	var out []LinkedPair
	for _, p := range l.Pairs {
		if p.A == person || p.B == person {
			out = append(out, p)
		}
	}
	return out
}
