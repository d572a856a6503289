package onboarding

import (
	"regexp"
	"strings"

	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// careOfMark finds a care-of clause on a recipient or street line; the
// rest of the line after it names the third party.
var careOfMark = regexp.MustCompile(`(?i)\b(c/o|care of)\b`)

// businessName marks a care-of party that is a company, not a person.
var businessName = regexp.MustCompile(`(?i)\b(inc|llc|l\.l\.c|ltd|limited|corp|corporation|gmbh|company|co|group|services|solutions|shipping|express|courier|logistics|freight|storage|holdings|consulting|enterprises|systems|technologies|tech|software|labs|partners|agency|office|depot)\b`)

// confCareOfHome is the confidence of ONB-01 and ONB-03 for a laptop sent
// in care of a private person at an ordinary residence in the claimed
// home country: a stay with family, a temporary address during a move.
// Together the two stay below medium; an independent signal (the address
// shared with other staff, ONB-02; a foreign egress; a KVM) is needed.
const confCareOfHome = 0.35

// careOfHomeNote is how a lowered finding explains itself.
const careOfHomeNote = "lowered: addressed in care of a private person at a residence in the claimed home country " +
	"(a stay with family or a temporary address), weak unless another signal corroborates it"

// careOfHome reports whether a shipment is addressed in care of a private
// person (not a company) at an ordinary residential address in the
// claimed home country, with nothing else about it non-residential.
func careOfHome(s *event.Shipment, homeCountry string) bool {
	to, name := s.ShipTo, s.ShipToName // copies: the lines are cut below
	party, marked := "", false
	for _, line := range []*string{&name, &to.Street, &to.Formatted} {
		loc := careOfMark.FindStringIndex(*line)
		if loc == nil {
			continue
		}
		marked = true
		rest := (*line)[loc[1]:]
		if i := strings.IndexByte(rest, ','); i >= 0 && line != &name {
			party, *line = rest[:i], strings.TrimSpace(rest[i+1:]) // "c/o Maria Lopez, 12 Oak St"
		} else {
			party, *line = rest, strings.TrimSpace((*line)[:loc[0]])
		}
	}
	if !marked || homeCountry == "" || address.Country(to) != homeCountry {
		return false
	}
	party = strings.TrimSpace(party)
	if party == "" || businessName.MatchString(party) {
		return false
	}
	if _, ok := address.MatchLine(party); ok {
		return false
	}
	return address.Classify(to) == address.Residential
}

// homeCountry is the country of the person's roster home, or "".
func homeCountry(p *profile.Person) string {
	if h := p.Home(); h != nil {
		return address.Country(*h)
	}
	return ""
}
