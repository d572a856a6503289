package sim

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
)

// hiredRecord returns the Greenhouse record written for employee id and
// the SCIM record, both as parsed back from the files.
func hiredRecord(t *testing.T, x *index, id string) (*ghCandidateIn, *scimUserIn) {
	t.Helper()
	var u *scimUserIn
	for i := range x.f.roster.Resources {
		if x.f.roster.Resources[i].Enterprise.EmployeeNumber == id {
			u = &x.f.roster.Resources[i]
		}
	}
	for _, c := range x.f.org.Candidates {
		if c.Employee != nil && c.Employee.ID() == id {
			return x.cands[c.ID], u
		}
	}
	return nil, u
}

func scimContacts(u *scimUserIn) (emails, phones []string) {
	for _, e := range u.Emails {
		emails = append(emails, strings.ToLower(e.Value))
	}
	for _, p := range u.PhoneNumbers {
		phones = append(phones, p.Value)
	}
	return emails, phones
}

func TestSimClassesInData(t *testing.T) {
	x := newIndex(t)
	s := newSourceIndex(t, x)
	// How many actors each GitHub address serves.
	actors := map[netip.Addr]map[string]bool{}
	for login, es := range s.gh {
		for _, e := range es {
			if actors[e.Net().IP] == nil {
				actors[e.Net().IP] = map[string]bool{}
			}
			actors[e.Net().IP][login] = true
		}
	}
	checks := map[string]func(id string) string{
		BehaviourNameVariant: func(id string) string {
			c, u := hiredRecord(t, x, id)
			if c == nil || u == nil {
				return "no applicant or HR record"
			}
			if c.FirstName == u.Name.GivenName && c.LastName == u.Name.FamilyName {
				return "applicant name " + c.FirstName + " " + c.LastName + " equals the HR name"
			}
			if c.FirstName != u.Name.GivenName && c.LastName != u.Name.FamilyName {
				return "both names differ: " + c.FirstName + " " + c.LastName
			}
			_, phones := scimContacts(u)
			if !slices.ContainsFunc(c.PhoneNumbers, func(p struct{ Value, Type string }) bool { return slices.Contains(phones, p.Value) }) {
				return "no phone shared with HR"
			}
			return ""
		},
		BehaviourGmailVariant: func(id string) string {
			c, u := hiredRecord(t, x, id)
			if c == nil || u == nil {
				return "no applicant or HR record"
			}
			emails, _ := scimContacts(u)
			for _, e := range c.EmailAddresses {
				v := strings.ToLower(e.Value)
				if slices.Contains(emails, v) {
					return "applicant mailbox written as on the HR record: " + v
				}
				local, dom, _ := strings.Cut(v, "@")
				local, _, _ = strings.Cut(local, "+")
				canon := strings.ReplaceAll(local, ".", "") + "@gmail.com"
				if dom != "gmail.com" && dom != "googlemail.com" {
					continue
				}
				for _, h := range emails {
					hl, hd, _ := strings.Cut(h, "@")
					if hd == "gmail.com" && strings.ReplaceAll(hl, ".", "")+"@gmail.com" == canon {
						return ""
					}
				}
			}
			return "no applicant mailbox that Gmail delivers to the HR mailbox"
		},
		BehaviourCareOf: func(id string) string {
			for _, r := range x.f.shipments {
				if r[0] == id && strings.Contains(r[4], " c/o ") && !strings.Contains(r[4], "Kestrel") {
					if strings.ToLower(r[5]+"|"+r[8]+"|"+r[9]) == x.home[id] {
						return "care-of shipment to the home address"
					}
					return ""
				}
			}
			return "no care-of shipment"
		},
		BehaviourCIRunner: func(id string) string {
			login := s.person[id].src.ghLogin
			for _, e := range s.gh[login] {
				if e.Audit.UserAgent == "git/2.47.1" && e.Audit.Action == "git.clone" && len(actors[e.Net().IP]) >= 3 {
					return ""
				}
			}
			return "no runner checkout from an address shared by three or more actors"
		},
	}
	seen := map[string]int{}
	for _, l := range x.f.truth.Legitimate {
		for _, b := range l.Behaviours {
			if check := checks[b]; check != nil {
				seen[b]++
				if msg := check(l.ID); msg != "" {
					t.Errorf("%s (%s): %s", l.ID, b, msg)
				}
			}
		}
	}
	for b := range checks {
		if seen[b] == 0 {
			t.Errorf("no legitimate person with %s", b)
		}
	}
	// Only the classes' people differ: no operative carries them, and the
	// runners never act for anyone outside the CI class.
	for _, p := range x.f.org.People {
		for _, b := range p.Behaviours {
			if p.Op != nil && checks[b] != nil {
				t.Errorf("operative %s carries %s", p.ID(), b)
			}
		}
	}
	for login, es := range s.gh {
		if slices.ContainsFunc(es, func(e *event.Event) bool { return e.Audit.UserAgent == "git/2.47.1" }) {
			if p := personByLogin(s, login); p == nil || !p.src.ci {
				t.Errorf("runner checkout by %s, who owns no CI", login)
			}
		}
	}
}

func personByLogin(s *sourceIndex, login string) *Person {
	for _, p := range s.person {
		if p.src.ghLogin == login {
			return p
		}
	}
	return nil
}

func TestGmailSpellingSameMailbox(t *testing.T) {
	r := newRand(1, streamClasses, 99, 0)
	for _, local := range []string{"evelyn.park", "bwilliams88", "jo"} {
		for range 50 {
			v := gmailSpelling(r, local)
			if v == local+"@gmail.com" {
				t.Fatalf("%s: spelling unchanged", local)
			}
			l, d, _ := strings.Cut(v, "@")
			l, _, _ = strings.Cut(l, "+")
			if d != "gmail.com" && d != "googlemail.com" || strings.ReplaceAll(l, ".", "") != strings.ReplaceAll(local, ".", "") {
				t.Fatalf("%s: %s is another mailbox", local, v)
			}
		}
	}
}
