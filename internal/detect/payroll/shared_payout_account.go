package payroll

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// SharedPayoutAccount is PAY-01: one payout account (by fingerprint) used
// by several people; or a person's payout account replaced by a new one
// soon after hire (the weaker form).
type SharedPayoutAccount struct{}

var _ detect.Indicator = (*SharedPayoutAccount)(nil)

// ID implements detect.Indicator.
func (*SharedPayoutAccount) ID() string { return "PAY-01" }

// Name implements detect.Indicator.
func (*SharedPayoutAccount) Name() string {
	return "Payout account shared by several people, or changed soon after hire"
}

// Stage implements detect.Indicator.
func (*SharedPayoutAccount) Stage() detect.Stage { return detect.StagePayroll }

// Strength implements detect.Indicator.
func (*SharedPayoutAccount) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator.
func (*SharedPayoutAccount) Sources() []string { return []string{"payroll", "scim"} }

// Weight implements detect.Indicator.
func (*SharedPayoutAccount) Weight() float64 { return 55 }

// changeWindow is how soon after hire (roster meta.created) a switch to a
// new payout account counts.
const changeWindow = 45 * 24 * time.Hour

// Confidences of the forms of the finding.
const (
	confShared      = 1.0 // one account, several people
	confJoint       = 0.3 // one account, several people who claim the same home
	confChangedSoon = 0.5 // new account within changeWindow of hire
)

// Description implements detect.Indicator.
func (*SharedPayoutAccount) Description() string {
	return "The same payout account (the salted account fingerprint in the payroll export; rollcall never sees account " +
		"numbers) receives pay for two or more people: facilitators collect the salaries of several operatives in one " +
		"account. This is the strongest payroll signal, and every holder gets a finding naming the others. A weaker form " +
		"(half confidence): the person's payout account was replaced by a new one within 45 days of hire, as when a " +
		"facilitator's account is swapped in after onboarding checks. Known false positives: a joint account of a couple " +
		"who both work here (the finding stays, at lower confidence, when every holder has the same roster home address); " +
		"a genuine early bank change (new job, new bank). Not counted at all: an account that pays more people than " +
		"cluster.max_payout_sharers (default 12) or whose payee is a known employer of record or contractor platform (Deel, " +
		"Remote, Oyster, Papaya Global, Rippling, Multiplier, Velocity Global, G-P, Upwork, Toptal…): that is payroll " +
		"infrastructure paying hundreds of unrelated people, not a facilitator's account; nor a move onto such payroll."
}

// References implements detect.Indicator.
func (*SharedPayoutAccount) References() []string {
	return []string{
		"FBI public service announcement on North Korean IT workers, May 2024 (payment to accounts shared by several workers)",
		"US DOJ, coordinated actions against North Korean remote IT worker schemes, 30 June 2025 (29 financial accounts seized)",
	}
}

// holding is one payout record of one person.
type holding struct {
	person *profile.Person
	event  *event.Event
}

// Detect implements detect.Indicator.
func (d *SharedPayoutAccount) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	maxSharers := maxPayoutSharers(in)
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("PAY-01: %w", err)
		}
		if len(p.Payouts) == 0 {
			continue
		}
		var (
			ev      []detect.Evidence
			related []string
			parts   []string
			conf    float64
		)
		for _, fp := range accountsOf(p) {
			ids := in.Pop.Index.Payout.Holders(fp)
			if len(ids) < 2 || (maxSharers > 0 && len(ids) > maxSharers) {
				// An account paying more than maxSharers people is
				// infrastructure (profile.PayoutInfrastructure): skip it
				// before gathering its hundreds of holdings for each holder.
				continue
			}
			g := holdings(in.Pop, ids, fp)
			holders := distinctHolders(g)
			if len(holders) < 2 || paidViaEmployer(g) || infrastructure(in.Pop, g, maxSharers) {
				continue
			}
			var names []string
			for _, q := range holders {
				if q != p {
					names = append(names, q.Label())
					related = append(related, q.ID)
				}
			}
			part := fmt.Sprintf("payout account %s also pays %d other %s: %s", shortFingerprint(fp), len(names),
				detect.Plural(len(names), "person", "people"), strings.Join(names, "; "))
			if sameHome(holders) {
				part += " (all claim the same home: possibly a joint account)"
				conf = max(conf, confJoint)
			} else {
				conf = max(conf, confShared)
			}
			parts = append(parts, part)
			for _, h := range g {
				if h.person == p {
					ev = append(ev, detect.EvidenceOf(h.event, "payout to account %s (%s) effective %s",
						shortFingerprint(fp), method(h.event.Payout), detect.Date(h.event.Payout.EffectiveDate)))
				}
			}
			for _, h := range g {
				if h.person != p {
					ev = append(ev, detect.EvidenceOf(h.event, "the same account pays %s from %s",
						h.person.Label(), detect.Date(h.event.Payout.EffectiveDate)))
				}
			}
		}
		if prev, next := changedSoonAfterHire(p); next != nil && !p.PaidViaEmployer(next.Payout) && in.Pop.PayoutInfrastructure(next.Payout, maxSharers) == "" {
			gap := int(next.Time.Sub(p.Hired()).Hours() / 24)
			parts = append(parts, fmt.Sprintf("payout account changed %d days after hire", gap))
			ev = append(ev,
				detect.EvidenceOf(prev, "earlier payout account %s (%s)", shortFingerprint(fingerprint(prev.Payout)), method(prev.Payout)),
				detect.EvidenceOf(next, "new payout account %s (%s) effective %s, %d days after hire (%s)",
					shortFingerprint(fingerprint(next.Payout)), method(next.Payout), detect.Date(next.Payout.EffectiveDate), gap, detect.Date(p.Hired())))
			conf = max(conf, confChangedSoon)
		}
		if len(ev) == 0 {
			continue
		}
		slices.Sort(related)
		related = slices.Compact(related)
		ev, more := detect.CapEvidence(ev)
		summary := strings.Join(parts, "; ") + more
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Confidence: conf, Evidence: ev, Related: related})
	}
	return out, nil
}

// holdings returns the payout records to account fp of the people ids
// (the population index's holders), in person and time order.
func holdings(pop *profile.Population, ids []string, fp string) []holding {
	var out []holding
	for _, id := range ids {
		q := pop.Person(id)
		for _, e := range q.Payouts {
			if fingerprint(e.Payout) == fp {
				out = append(out, holding{person: q, event: e})
			}
		}
	}
	return out
}

// accountsOf lists p's distinct account fingerprints in time order.
func accountsOf(p *profile.Person) []string {
	var out []string
	for _, e := range p.Payouts {
		if fp := fingerprint(e.Payout); fp != "" && !slices.Contains(out, fp) {
			out = append(out, fp)
		}
	}
	return out
}

// paidViaEmployer reports whether every payout to the account goes to the
// staffing firm or employer of record the holder's roster record names:
// such an account pays all the firm's contractors (context, APP-16).
func paidViaEmployer(g []holding) bool {
	for _, h := range g {
		if !h.person.PaidViaEmployer(h.event.Payout) {
			return false
		}
	}
	return true
}

// infrastructure reports whether the account is a payroll intermediary's
// (profile.PayoutInfrastructure): it pays more than maxSharers people, or
// every payout to it names a known employer of record or contractor
// platform.
func infrastructure(pop *profile.Population, g []holding, maxSharers int) bool {
	for _, h := range g {
		if pop.PayoutInfrastructure(h.event.Payout, maxSharers) == "" {
			return false
		}
	}
	return true
}

// maxPayoutSharers is the policy's cluster.max_payout_sharers (0: no
// limit, also without a policy).
func maxPayoutSharers(in *detect.Input) int {
	if in.Policy == nil {
		return 0
	}
	return in.Policy.Cluster.MaxPayoutSharers
}

func distinctHolders(g []holding) []*profile.Person {
	var out []*profile.Person
	for _, h := range g {
		if !slices.Contains(out, h.person) {
			out = append(out, h.person)
		}
	}
	return out
}

// sameHome reports whether every person claims the same roster home.
func sameHome(people []*profile.Person) bool {
	first := people[0].Home()
	if first == nil {
		return false
	}
	for _, q := range people[1:] {
		if h := q.Home(); h == nil || !address.Same(*first, *h) {
			return false
		}
	}
	return true
}

// changedSoonAfterHire returns the first switch to an account not used
// before, effective within changeWindow after hire, and the record it
// replaced; next is nil when there is none.
func changedSoonAfterHire(p *profile.Person) (prev, next *event.Event) {
	hired := p.Hired()
	if hired.IsZero() {
		return nil, nil
	}
	var seen []string
	for _, e := range p.Payouts {
		fp := fingerprint(e.Payout)
		if fp == "" {
			continue
		}
		if prev != nil && !slices.Contains(seen, fp) && !e.Time.Before(hired) && e.Time.Sub(hired) <= changeWindow {
			return prev, e
		}
		seen = append(seen, fp)
		prev = e
	}
	return nil, nil
}

// Examples implements detect.Indicator: two people claiming homes in
// different cities are paid into one account; and a person who changed
// banks six months after hire.
func (*SharedPayoutAccount) Examples() detect.Examples {
	const shared = "9f2c4e7a1b3d5f60a8c2e4b6d8f0a1c3"
	return detect.Examples{
		Positive: detect.Example{
			Name: "two_people_one_account",
			Events: []*event.Event{
				rosterRecord(1, "E5001", "Kevin Tran", event.Address{Street: "902 Lake Shore Dr", Locality: "Chicago", PostalCode: "60611", Country: "US"}),
				rosterRecord(2, "E5002", "Samuel Okafor", event.Address{Street: "14 Harbor View Rd", Locality: "San Diego", PostalCode: "92101", Country: "US"}),
				payoutRecord(1, "E5001", exampleHired, "bank", shared, "US"),
				payoutRecord(2, "E5002", exampleHired.AddDate(0, 2, 0), "bank", shared, "US"),
			},
			Person: "E5001",
		},
		Negative: detect.Example{
			Name: "bank_change_after_probation",
			Events: []*event.Event{
				rosterRecord(1, "E5003", "Hannah Weiss", event.Address{Street: "1200 Pine St", Locality: "Seattle", PostalCode: "98101", Country: "US"}),
				payoutRecord(1, "E5003", exampleHired, "bank", "1a2b3c4d5e6f70819293a4b5c6d7e8f9", "US"),
				payoutRecord(2, "E5003", exampleHired.AddDate(0, 6, 0), "bank", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "US"),
			},
			Person: "E5003",
		},
	}
}
