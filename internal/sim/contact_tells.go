package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// Throw-away contact details on candidate records (INDICATORS.md APP-21,
// APP-22): some operatives give a VoIP number or a disposable mailbox,
// sometimes one their cell shares; a few honest applicants do too (a
// virtual number kept for privacy, a throw-away inbox against recruiter
// spam). They are added to the records after the candidates are built, from
// a stream of their own, so that nothing else changes.
//
// VoIP numbers are in ranges libphonenumber types VOIP (UK 056, Dutch 085):
// North American VoIP numbers (Google Voice…) are ordinary geographic
// numbers to the metadata and invisible to rollcall, so they are not
// simulated as a tell. Disposable domains are on the npm
// disposable-email-domains list rollcall embeds.

// Hard-negative behaviours of honest applicants and hires.
const (
	BehaviourVoIPNumber     = "voip_number"        // a VoIP number kept for privacy or work
	BehaviourDisposableMail = "disposable_mailbox" // a throw-away inbox given against recruiter spam
)

var disposableDomains = []string{"mailinator.com", "yopmail.com", "guerrillamail.com", "sharklasers.com", "10minutemail.com", "temp-mail.org"}

// voipNumber draws a number in a VoIP range.
func voipNumber(r *rand.Rand) string {
	if chance(r, 0.6) {
		return fmt.Sprintf("+44 56 %04d %04d", between(r, 1000, 9999), r.IntN(10000))
	}
	return fmt.Sprintf("+31 85 %03d %04d", between(r, 100, 999), r.IntN(10000))
}

// isVoIPNumber is the truth's rule for APP-21: a number in one of the
// simulated VoIP ranges.
func isVoIPNumber(s string) bool {
	return strings.HasPrefix(s, "+44 56 ") || strings.HasPrefix(s, "+31 85 ")
}

// isDisposableMail is the truth's rule for APP-22.
func isDisposableMail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at >= 0 && slices.Contains(disposableDomains, strings.ToLower(s[at+1:]))
}

func disposableMail(r *rand.Rand, given, family string) string {
	local := strings.ToLower(asciiFold(strings.ReplaceAll(given, " ", ""))) + "." + strings.ToLower(asciiFold(squash.Replace(family)))
	return fmt.Sprintf("%s%d@%s", local, between(r, 1, 999), pick(r, disposableDomains))
}

// addContactTells puts the throw-away contact details on the candidate
// records.
func (o *Org) addContactTells() {
	cellVoIP, cellMail := map[*Cell]string{}, map[*Cell]string{}
	for _, c := range o.Cells {
		r := newRand(o.cfg.Seed, streamContacts, 1, uint64(fnv32(c.ID)))
		cellVoIP[c] = voipNumber(r)
		cellMail[c] = fmt.Sprintf("%s.%d@%s", pick(r, []string{"devteam", "hr.apply", "jobs", "careers.dev"}), between(r, 10, 99), pick(r, disposableDomains))
	}
	for _, c := range o.Candidates {
		r := newRand(o.cfg.Seed, streamContacts, 0, uint64(c.ID))
		cell := c.Cell
		if c.Employee != nil && c.Employee.Op != nil {
			cell = c.Employee.Op.Cell
			if c.Employee.Op.Careful {
				continue
			}
		}
		switch {
		case cell != nil:
			if chance(r, 0.3) {
				v := voipNumber(r)
				if chance(r, 0.5) {
					v = cellVoIP[cell]
				}
				c.Phones = append(c.Phones, Contact{v, "other"})
			}
			if chance(r, 0.25) {
				m := disposableMail(r, c.Given, c.Family)
				if chance(r, 0.4) {
					m = cellMail[cell]
				}
				c.Emails = append(c.Emails, Contact{m, "other"})
			}
		case c.Agency == nil:
			var bs []string
			if chance(r, 0.015) {
				c.Phones = append(c.Phones, Contact{voipNumber(r), "other"})
				bs = append(bs, BehaviourVoIPNumber)
			}
			if chance(r, 0.01) {
				c.Emails = append(c.Emails, Contact{disposableMail(r, c.Given, c.Family), "other"})
				bs = append(bs, BehaviourDisposableMail)
			}
			for _, b := range bs {
				if c.Employee != nil {
					c.Employee.addBehaviour(b)
				} else {
					c.Behaviours = append(c.Behaviours, b)
				}
			}
		}
	}
}
