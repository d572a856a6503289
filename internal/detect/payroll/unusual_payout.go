package payroll

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// UnusualPayout is PAY-02: pay received in cryptocurrency, through a
// payment platform (Payoneer, Wise) where staff are normally paid by bank,
// or into a bank in another country than the claimed residence.
type UnusualPayout struct{}

var _ detect.Indicator = (*UnusualPayout)(nil)

// ID implements detect.Indicator.
func (*UnusualPayout) ID() string { return "PAY-02" }

// Name implements detect.Indicator.
func (*UnusualPayout) Name() string {
	return "Paid in crypto, via a payment platform, or to a bank outside the claimed country"
}

// Stage implements detect.Indicator.
func (*UnusualPayout) Stage() detect.Stage { return detect.StagePayroll }

// Strength implements detect.Indicator.
func (*UnusualPayout) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*UnusualPayout) Sources() []string { return []string{"payroll", "scim"} }

// Weight implements detect.Indicator.
func (*UnusualPayout) Weight() float64 { return 28 }

// Confidences of the forms of the finding.
const (
	confCrypto         = 1.0 // paid in cryptocurrency
	confNamedBank      = 1.0 // bank in a country the public record names, not the claimed one
	confForeignBank    = 0.7 // bank in another country than the claimed one
	confPlatformAtHome = 0.5 // Payoneer/Wise for someone claiming residence where most staff live
)

// namedBankCountry is a country public reporting names as where DPRK IT
// workers' pay is received or laundered. It is the bank's country, compared
// with the person's claimed residence; nationality is never a signal.
type namedBankCountry struct {
	Code   string // ISO 3166-1 alpha-2
	Source string
}

// namedBankCountries raise a foreign-bank finding to full confidence.
var namedBankCountries = []namedBankCountry{
	{"CN", "US State/Treasury/FBI, Guidance on the DPRK IT Workers, 16 May 2022 (transfers 'often to PRC-based bank accounts'); US DOJ, 12 Dec 2024 indictment (Yanbian Silverstar: proceeds moved through Chinese financial accounts)"},
	{"HK", "US DOJ, 24 Apr 2023 charges against Sim Hyon Sop, Wu Huihui and Hong Kong-based Cheng Hung Man for laundering DPRK IT-worker proceeds"},
	{"RU", "US State/Treasury/FBI, Guidance on the DPRK IT Workers, 16 May 2022 (IT workers located mainly in the PRC and Russia); US DOJ, 12 Dec 2024 indictment (Volasys Silverstar, Russia)"},
	{"AE", "US DOJ, 30 June 2025 (North Korean IT workers residing in the United Arab Emirates, Atlanta blockchain company case)"},
	{"KP", "UN Security Council resolutions 2270 (2016) and 2321 (2016): financial sanctions on the DPRK"},
}

func named(code string) bool {
	return slices.ContainsFunc(namedBankCountries, func(n namedBankCountry) bool { return n.Code == code })
}

// platformMethods are payment platforms (not banks) in the payroll CSV.
var platformMethods = map[string]string{"payoneer": "Payoneer", "wise": "Wise"}

// commonMethodMin: a method used by more than half of the paid employees,
// and at least this many, is how this company pays people; it is not
// unusual on its own (a crypto-native firm, Wise as payroll provider).
const commonMethodMin = 3

// Description implements detect.Indicator.
func (*UnusualPayout) Description() string {
	return "Pay goes somewhere that does not fit the claimed identity: in cryptocurrency; to a bank in another country " +
		"than the claimed residence (full confidence when the bank's country is one public reporting names for DPRK IT-worker " +
		"pay, e.g. CN, HK, RU, AE, KP; the bank's country is compared with the claimed residence, never with nationality); or " +
		"through Payoneer or Wise by someone who claims to live in the country where most staff live (a US staffer paid via " +
		"Payoneer is odd; a Polish contractor paid via Wise into a Polish account is not). Known false positives: " +
		"crypto-native firms and companies that pay through a platform (quiet when the method pays most staff); staff who " +
		"keep a bank account in their home country after moving; contractors resident abroad. Not read at all: payouts to " +
		"the employer of record or staffing firm the roster names, to a known contractor platform, or to an account paying " +
		"more people than cluster.max_payout_sharers — the method and bank country there are the intermediary's."
}

// References implements detect.Indicator.
func (*UnusualPayout) References() []string {
	return []string{
		"US Department of State, Treasury and FBI, Guidance on the DPRK Information Technology Workers, 16 May 2022 (payments to PRC-based bank accounts, requests for payment in cryptocurrency)",
		"Security Alliance (SEAL), DPRK IT Workers framework, github.com/security-alliance/frameworks",
		"Google Threat Intelligence Group, DPRK IT Workers Expanding in Scope and Scale, April 2025 (payment via cryptocurrency and platforms such as Payoneer and Wise)",
	}
}

// payrollNorms are population-wide facts the indicator compares people to.
type payrollNorms struct {
	majorityCountry string          // claimed residence of more than half of the employees, or ""
	commonMethods   map[string]bool // methods paying more than half of the paid employees
}

func norms(pop *profile.Population) payrollNorms {
	countries := map[string]int{}
	methods := map[string]int{}
	employees, paid := 0, 0
	for _, p := range pop.People {
		if p.Kind != profile.KindEmployee {
			continue
		}
		if c := address.CountryCode(p.Country()); c != "" {
			countries[c]++
			employees++
		}
		if n := len(p.Payouts); n > 0 {
			methods[method(p.Payouts[n-1].Payout)]++
			paid++
		}
	}
	n := payrollNorms{commonMethods: map[string]bool{}}
	for c, k := range countries {
		if 2*k > employees {
			n.majorityCountry = c
		}
	}
	for m, k := range methods {
		if 2*k > paid && k >= commonMethodMin {
			n.commonMethods[m] = true
		}
	}
	return n
}

// Detect implements detect.Indicator.
func (d *UnusualPayout) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	nm := norms(in.Pop)
	maxSharers := maxPayoutSharers(in)
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("PAY-02: %w", err)
		}
		claimed := address.CountryCode(p.Country())
		var (
			ev      []detect.Evidence
			reasons []string
			conf    float64
		)
		for _, e := range p.Payouts {
			if p.PaidViaEmployer(e.Payout) || in.Pop.PayoutInfrastructure(e.Payout, maxSharers) != "" {
				continue // the intermediary's account and bank, not the person's
			}
			reason, c := unusual(e.Payout, claimedAt(p, claimed, e), nm)
			if c == 0 {
				continue
			}
			ev = append(ev, detect.EvidenceOf(e, "payout effective %s: %s", detect.Date(e.Payout.EffectiveDate), reason))
			if !slices.Contains(reasons, reason) {
				reasons = append(reasons, reason)
			}
			conf = max(conf, c)
		}
		if len(ev) == 0 {
			continue
		}
		summary := strings.Join(reasons, "; ")
		if len(ev) > detect.MaxEvidence {
			summary += fmt.Sprintf(" (%d records in all; the first %d cited)", len(ev), detect.MaxEvidence)
			ev = ev[:detect.MaxEvidence]
		}
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Confidence: conf, Evidence: ev})
	}
	return out, nil
}

// claimedAt is the claimed country of residence a payout is judged
// against: the bank's country when that was claimed at the payout's
// effective date (before a relocation the old home, after it the new one:
// profile.Timeline), else the roster's.
func claimedAt(p *profile.Person, claimed string, e *event.Event) string {
	if bank := address.CountryCode(e.Payout.BankCountry); bank != "" && p.Features.Homes.CountryAt(bank, e.Time) {
		return bank
	}
	return claimed
}

// unusual says what is unusual about one payout for a person claiming
// residence in claimed, with its confidence; 0 when nothing is.
func unusual(po *event.Payout, claimed string, nm payrollNorms) (string, float64) {
	m := method(po)
	bank := address.CountryCode(po.BankCountry)
	var (
		reasons []string
		conf    float64
	)
	if m == "crypto" && !nm.commonMethods[m] {
		reasons = append(reasons, "paid in cryptocurrency")
		conf = confCrypto
	}
	if bank != "" && claimed != "" && bank != claimed {
		r := fmt.Sprintf("%s account in %s, but claimed residence is %s", m, bank, claimed)
		c := confForeignBank
		if named(bank) {
			r += " (" + bank + " is named in public reporting on DPRK IT-worker pay)"
			c = confNamedBank
		}
		reasons = append(reasons, r)
		conf = max(conf, c)
	} else if platform, ok := platformMethods[m]; ok && !nm.commonMethods[m] && claimed != "" && claimed == nm.majorityCountry {
		reasons = append(reasons, fmt.Sprintf("paid via %s although claiming residence in %s, where most staff are paid by bank", platform, claimed))
		conf = max(conf, confPlatformAtHome)
	}
	return strings.Join(reasons, "; "), conf
}

// Examples implements detect.Indicator: a claimed Texas resident paid into
// a bank in China; and a Polish contractor, in a mostly US company, paid via
// Wise into a Polish account.
func (*UnusualPayout) Examples() detect.Examples {
	us := func(rec int, id, name, street string) *event.Event {
		return rosterRecord(rec, id, name, event.Address{Street: street, Locality: "Austin", PostalCode: "78701", Country: "US"})
	}
	staff := func() []*event.Event {
		return []*event.Event{
			us(1, "E6001", "Marcus Jensen", "10 Congress Ave"), us(2, "E6002", "Lucia Ortiz", "22 Rainey St"),
			payoutRecord(1, "E6001", exampleHired, "bank", "aa11bb22cc33dd44ee55ff6600112233", "US"),
			payoutRecord(2, "E6002", exampleHired, "bank", "bb22cc33dd44ee55ff66001122334455", "US"),
		}
	}
	return detect.Examples{
		Positive: detect.Example{
			Name: "us_resident_paid_into_prc_bank",
			Events: append(staff(),
				us(3, "E6003", "Daniel Brooks", "4810 Duval St"),
				payoutRecord(3, "E6003", exampleHired.AddDate(0, 0, 10), "bank", "cc33dd44ee55ff66001122334455aa77", "CN")),
			Person: "E6003",
		},
		Negative: detect.Example{
			Name: "polish_contractor_paid_via_wise_in_poland",
			Events: append(staff(),
				rosterRecord(3, "E6004", "Tomasz Nowak", event.Address{Street: "ul. Długa 12", Locality: "Kraków", PostalCode: "31-147", Country: "PL"}),
				payoutRecord(3, "E6004", exampleHired, "wise", "dd44ee55ff66001122334455aa77bb88", "PL")),
			Person: "E6004",
		},
	}
}
