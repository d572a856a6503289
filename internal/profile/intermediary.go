package profile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

// Intermediary is an employer of record, contractor-payment platform or
// freelance marketplace: a company that employs or pays people on a
// client's behalf. Its payroll rows name the platform as payee and carry
// its funding account, so hundreds of unrelated people legitimately
// "share" one payout account, and the bank country is the platform's, not
// the worker's.
type Intermediary struct {
	Name string
	// Names are organisation keys (OrgKey) the payee column may carry:
	// a payee whose key equals one, or begins with one followed by a
	// word, is this intermediary. Common words ("remote") are listed
	// only in a distinctive form ("remote technology").
	Names []string
	// Exact are keys that match only the whole payee name ("remote",
	// not "remote solutions").
	Exact []string
	// Source says where the company's role is documented.
	Source string
}

// intermediaries are the well-known employers of record and contractor
// platforms. A company's own providers not listed here are covered by the
// roster's organisation (Person.PaidViaEmployer) and by
// cluster.max_payout_sharers.
var intermediaries = []Intermediary{
	{"Deel", []string{"deel"}, nil, "deel.com: employer of record and contractor payments in 150+ countries"},
	{"Remote", []string{"remote technology", "remote com", "remote europe holding", "remote global"}, []string{"remote"}, "remote.com: employer of record (Remote Technology, Inc.)"},
	{"Oyster", []string{"oyster hr", "oysterhr"}, []string{"oyster"}, "oysterhr.com: employer of record (Oyster HR, Inc.)"},
	{"Papaya Global", []string{"papaya global"}, []string{"papaya"}, "papayaglobal.com: global payroll and employer of record"},
	{"Rippling", []string{"rippling", "rippling people center"}, nil, "rippling.com: global payroll and employer of record (People Center, Inc.)"},
	{"Multiplier", []string{"multiplier technologies", "usemultiplier"}, []string{"multiplier"}, "usemultiplier.com: employer of record (Multiplier Technologies)"},
	{"Velocity Global", []string{"velocity global"}, nil, "velocityglobal.com: employer of record"},
	{"Globalization Partners", []string{"globalization partners", "g p global", "g p globalization partners", "gpglobal"}, []string{"g p"}, "globalization-partners.com (G-P): employer of record"},
	{"Omnipresent", []string{"omnipresent group"}, []string{"omnipresent"}, "omnipresent.com: employer of record"},
	{"Safeguard Global", []string{"safeguard global"}, nil, "safeguardglobal.com: employer of record and global payroll"},
	{"Atlas", []string{"atlas hxm", "atlas technology group"}, []string{"atlas"}, "atlashxm.com: employer of record"},
	{"WorkMotion", []string{"workmotion"}, nil, "workmotion.com: employer of record"},
	{"Upwork", []string{"upwork", "upwork global", "upwork escrow"}, nil, "upwork.com: freelance marketplace paying contractors through Upwork Escrow"},
	{"Toptal", []string{"toptal"}, nil, "toptal.com: talent network that contracts and pays its freelancers"},
	{"Andela", []string{"andela"}, nil, "andela.com: talent marketplace employing and paying engineers"},
	{"Turing", []string{"turing enterprises", "turing com"}, []string{"turing"}, "turing.com: talent platform contracting and paying engineers"},
}

// KnownIntermediary returns the name of the employer of record or
// contractor platform a payee names, and whether it is one.
func KnownIntermediary(payee string) (string, bool) {
	k := OrgKey(payee)
	if k == "" {
		return "", false
	}
	for _, im := range intermediaries {
		for _, n := range im.Names {
			if k == n || strings.HasPrefix(k, n+" ") {
				return im.Name, true
			}
		}
		if slices.Contains(im.Exact, k) {
			return im.Name, true
		}
	}
	return "", false
}

// Intermediaries returns the built-in list, for documentation and tests.
func Intermediaries() []Intermediary { return append([]Intermediary(nil), intermediaries...) }

// PayoutInfrastructure says why a payout goes to a payroll intermediary's
// account rather than a personal one, or "" when nothing says so: the
// payee is a known employer of record or contractor platform, or the
// account pays more than maxSharers people (policy
// cluster.max_payout_sharers; 0: no limit) — far more than any
// facilitator collects. Such an account is infrastructure: it neither
// ties its holders together nor says where a person is paid.
func (pop *Population) PayoutInfrastructure(po *event.Payout, maxSharers int) string {
	if po == nil {
		return ""
	}
	if name, ok := KnownIntermediary(po.PayeeName); ok {
		return "paid through " + name + ", an employer of record / contractor platform"
	}
	if maxSharers > 0 {
		if n := len(pop.Index.Payout.Holders(po.AccountKey())); n > maxSharers {
			return fmt.Sprintf("the account pays %d people, more than cluster.max_payout_sharers (%d): a payroll intermediary's account", n, maxSharers)
		}
	}
	return ""
}
