package profile

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// Kinds of context that lower or silence findings.
const (
	ContextLifeEvent    = "life event"
	ContextBaseline     = "baseline"
	ContextAllowList    = "allow-list"
	ContextIntermediary = "intermediary"
)

// Context is something the person model knows about a person that makes
// an observation ordinary rather than suspicious: a relocation, their own
// and their peers' code-access baselines, an allow-list entry, a payroll
// intermediary. The indicators read the same facts and stay quiet, or
// lower their confidence; `rollcall explain` shows them so an analyst sees
// why, with the records behind each.
type Context struct {
	Kind    string
	Summary string
	Records []*event.Event
}

// busyDay is the busiest day of code access worth explaining a baseline
// for: below it, no bulk-access indicator would look.
const busyDay = 10

// ContextOf returns the context of p that lowers or silences findings,
// under the policy (pol may be nil).
func (pop *Population) ContextOf(p *Person, pol *policy.Policy) []Context {
	var out []Context
	f := &p.Features
	for _, m := range f.Homes.Moves {
		out = append(out, moveContext(m))
	}
	if busiest := f.Code.Busiest(); busiest >= busyDay {
		s := fmt.Sprintf("code access: busiest day %d distinct repositories", busiest)
		if own, ok := f.Code.Usual(time.Time{}, time.Time{}); ok {
			s += fmt.Sprintf("; their own usual busy day %d", own)
		}
		if b, ok := pop.PeersOf(p); ok {
			s += fmt.Sprintf("; their peers (%s, %d people) reach %d on their busiest days (90th percentile)", b.Group, b.People, b.Busiest)
		}
		s += ". Bulk-access indicators (NET-05, OFF-04) call volume a spike only above both"
		out = append(out, Context{Kind: ContextBaseline, Summary: s})
	}
	if pol != nil {
		out = append(out, allowContext(p, &pol.Allow)...)
		for _, e := range p.Payouts {
			if why := pop.PayoutInfrastructure(e.Payout, pol.Cluster.MaxPayoutSharers); why != "" {
				out = append(out, Context{Kind: ContextIntermediary, Summary: why + ": not a shared personal account (PAY-01, PAY-02 and the graph skip it)", Records: []*event.Event{e}})
				break
			}
		}
	}
	for _, e := range p.Payouts {
		if p.PaidViaEmployer(e.Payout) {
			out = append(out, Context{Kind: ContextIntermediary, Summary: fmt.Sprintf("paid through the employer the roster names (%s): the account pays its contractors, not the person alone", e.Payout.PayeeName), Records: []*event.Event{e}})
			break
		}
	}
	return out
}

// moveContext describes a change of claimed home.
func moveContext(m Move) Context {
	from, to := homeName(m.From), homeName(m.To)
	c := Context{Kind: ContextLifeEvent, Records: []*event.Event{m.From.Record, m.To.Record}}
	var followed []string
	for _, x := range []struct {
		what string
		e    *event.Event
	}{{"payroll (a bank there)", m.Payout}, {"sign-ins", m.SignIn}, {"a laptop shipment", m.Shipment}} {
		if x.e != nil {
			followed = append(followed, x.what)
			c.Records = append(c.Records, x.e)
		}
	}
	after := "nothing else followed it"
	if len(followed) > 0 {
		after = strings.Join(followed, ", ") + " followed"
	}
	if m.Relocation {
		c.Summary = fmt.Sprintf("relocation from %s to %s on %s (%s): sign-ins, payouts and shipments are judged against the home claimed at their time",
			from, to, m.At.UTC().Format("2006-01-02"), after)
	} else {
		c.Summary = fmt.Sprintf("roster home changed from %s to %s on %s, but %s: not treated as a relocation",
			from, to, m.At.UTC().Format("2006-01-02"), after)
	}
	return c
}

func homeName(h Home) string {
	where := strings.TrimSpace(h.Address.Locality)
	switch {
	case where != "" && h.Country != "":
		where += ", " + h.Country
	case where == "":
		where = h.Country
	}
	if where == "" {
		where = "an unknown place"
	}
	if h.Inferred {
		where += " (from the laptop shipped there)"
	}
	return where
}

// allowContext lists the allow-list entries that cover p's data: approved
// travel, and sign-ins from sanctioned networks.
func allowContext(p *Person, allow *policy.Allow) []Context {
	var out []Context
	for _, t := range allow.Travel {
		if t.Person == p.ID {
			out = append(out, Context{Kind: ContextAllowList, Summary: fmt.Sprintf("approved travel to %s from %s to %s (%s): sign-ins there in that window are not judged for location",
				strings.Join(t.Countries, ", "), t.From.Format("2006-01-02"), t.To.Format("2006-01-02"), t.Reason)})
		}
	}
	n, names, first := 0, []string{}, (*event.Event)(nil)
	for _, e := range p.SignIns {
		if f := e.Facts.Net; f != nil && f.Verdict.Kind == event.NetSanctioned {
			n++
			if first == nil {
				first = e
			}
			if name := f.Verdict.Name; name != "" && len(names) < 3 && !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	if n > 0 {
		s := fmt.Sprintf("%d sign-ins from allow-listed networks", n)
		if len(names) > 0 {
			s += " (" + strings.Join(names, ", ") + ")"
		}
		out = append(out, Context{Kind: ContextAllowList, Summary: s + ": not anonymiser use, and not where the person is", Records: []*event.Event{first}})
	}
	return out
}
