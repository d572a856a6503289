package profile

import "slices"

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
