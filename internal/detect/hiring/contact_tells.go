package hiring

import (
	"strings"

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
