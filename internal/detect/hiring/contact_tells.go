package hiring

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/email"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// What APP-21 (VoIP number) and APP-22 (disposable mailbox) share: the
// contact details a person gave on their roster and candidate records that
// are cheap to obtain and to drop, and whether other people hold them too.

// contactRecords are the person's roster record (when hired) and candidate
// records, the records that carry the contact details they gave.
func contactRecords(p *profile.Person) []*event.Event {
	out := make([]*event.Event, 0, 1+len(p.Applicants))
	if p.Roster != nil {
		out = append(out, p.Roster)
	}
	return append(out, p.Applicants...)
}

// homeLineVoIP are E.164 prefixes that libphonenumber types VoIP but that
// are, in practice, ordinary home lines: France's 09 numbers come with
// every broadband box (Freebox, Livebox, SFR Box…).
var homeLineVoIP = []string{"+339"}

// recordPhone is one number on one record.
type recordPhone struct {
	record *event.Event
	phone  event.Phone
}

// voipPhones lists the numbers on the person's records that
// libphonenumber's metadata types as definitely VoIP (never
// fixed_line_or_mobile or unknown), except ordinary home lines.
func voipPhones(p *profile.Person) []recordPhone {
	var out []recordPhone
	for _, e := range contactRecords(p) {
		c := e.Contacts()
		if c == nil {
			continue
		}
		for _, ph := range c.Phones {
			if ph.Line != "voip" || ph.Key == "" || homeLine(ph.E164) {
				continue
			}
			out = append(out, recordPhone{record: e, phone: ph})
		}
	}
	return out
}

func homeLine(e164 string) bool {
	for _, p := range homeLineVoIP {
		if strings.HasPrefix(e164, p) {
			return true
		}
	}
	return false
}

// recordMailbox is one disposable mailbox on one record.
type recordMailbox struct {
	record  *event.Event
	mailbox string // canonical
	match   email.DisposableMatch
}

// disposableMailboxes lists the mailboxes on the person's records whose
// domain is on the disposable-mail list (enrich/email.Disposable).
func disposableMailboxes(p *profile.Person) []recordMailbox {
	var out []recordMailbox
	for _, e := range contactRecords(p) {
		c := e.Contacts()
		if c == nil {
			continue
		}
		for _, m := range c.Mailboxes {
			if m == "" {
				continue
			}
			if d, ok := email.Disposable(m); ok {
				out = append(out, recordMailbox{record: e, mailbox: m, match: d})
			}
		}
	}
	return out
}

// otherHolders returns the people other than p holding an identifier.
func otherHolders(p *profile.Person, holders []string) []string {
	var out []string
	for _, id := range holders {
		if id != p.ID {
			out = append(out, id)
		}
	}
	return out
}

// appendNew appends the values list does not hold yet.
func appendNew(list []string, values ...string) []string {
	for _, v := range values {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// contactTell is one throw-away contact detail on one record, as a
// finding cites it.
type contactTell struct {
	record *event.Event
	shown  string   // the number or mailbox
	what   string   // the evidence summary
	others []string // the other people who gave it
}

// contactTellKind is APP-21 or APP-22: how to find the person's details of
// its kind, and the first detail of the other kind (the corroborating
// tell).
type contactTellKind struct {
	id    string
	noun  string // "VoIP phone number", "disposable mailbox"
	own   func(pop *profile.Population, p *profile.Person) []contactTell
	other func(p *profile.Person) *contactTell
	// conf: alone, with the other kind, shared with other people, both.
	conf [4]float64
}

func (k contactTellKind) detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", k.id, err)
		}
		if tells := k.own(in.Pop, p); len(tells) > 0 {
			out = append(out, k.finding(p, tells))
		}
	}
	return out, nil
}

func (k contactTellKind) finding(p *profile.Person, tells []contactTell) detect.Finding {
	var ev []detect.Evidence
	var related, shown []string
	for _, t := range tells {
		what := t.what
		if len(t.others) > 0 {
			what += ", also given by " + strings.Join(t.others, ", ")
			related = appendNew(related, t.others...)
		}
		ev = append(ev, detect.EvidenceOf(t.record, "%s", what))
		shown = appendNew(shown, t.shown)
	}
	other := k.other(p)
	conf := k.conf[0]
	switch {
	case len(related) > 0 && other != nil:
		conf = k.conf[3]
	case len(related) > 0:
		conf = k.conf[2]
	case other != nil:
		conf = k.conf[1]
	}
	summary := fmt.Sprintf("%s %s on the candidate/HR records", k.noun, strings.Join(shown, ", "))
	if len(related) > 0 {
		summary += fmt.Sprintf("; the same on the records of %d other people (%s)", len(related), strings.Join(related, ", "))
	}
	if other != nil {
		summary += fmt.Sprintf("; also %s", other.what)
		ev = append(ev, detect.EvidenceOf(other.record, "%s", other.what))
	}
	ev, more := detect.CapEvidence(ev)
	return detect.Finding{Indicator: k.id, Person: p.ID, Confidence: conf, Summary: summary + more, Evidence: ev, Related: related}
}

// voipTells are the person's VoIP numbers, with the other people who gave
// them.
func voipTells(pop *profile.Population, p *profile.Person) []contactTell {
	var out []contactTell
	for _, c := range voipPhones(p) {
		out = append(out, contactTell{record: c.record, shown: c.phone.E164, what: voipWhat(c),
			others: otherHolders(p, pop.Index.Phone.Holders(c.phone.Key))})
	}
	return out
}

func voipWhat(c recordPhone) string {
	return fmt.Sprintf("%s gives phone %s, a VoIP number", recordLabel(c.record), c.phone.E164)
}

// firstVoIP is the person's first VoIP number, or nil.
func firstVoIP(p *profile.Person) *contactTell {
	if cs := voipPhones(p); len(cs) > 0 {
		return &contactTell{record: cs[0].record, shown: cs[0].phone.E164, what: voipWhat(cs[0])}
	}
	return nil
}

// disposableTells are the person's disposable mailboxes, with the other
// people who gave them.
func disposableTells(pop *profile.Population, p *profile.Person) []contactTell {
	var out []contactTell
	for _, b := range disposableMailboxes(p) {
		out = append(out, contactTell{record: b.record, shown: b.mailbox, what: disposableWhat(b),
			others: otherHolders(p, pop.Index.Mailbox.Holders(b.mailbox))})
	}
	return out
}

func disposableWhat(b recordMailbox) string {
	return fmt.Sprintf("%s gives mailbox %s on disposable-mail domain %s", recordLabel(b.record), b.mailbox, b.match.Domain)
}

// firstDisposable is the person's first disposable mailbox, or nil.
func firstDisposable(p *profile.Person) *contactTell {
	if bs := disposableMailboxes(p); len(bs) > 0 {
		return &contactTell{record: bs[0].record, shown: bs[0].mailbox, what: disposableWhat(bs[0])}
	}
	return nil
}
