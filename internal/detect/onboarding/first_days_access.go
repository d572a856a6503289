package onboarding

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/activity"
	"github.com/rollcall/rollcall/internal/enrich/ipintel"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/geo"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// FirstDaysAccess is ONB-07: in the first two weeks after hire the new
// account signs in through a VPN or hosting network, from another country
// than the claimed home, or from a computer the company does not manage.
type FirstDaysAccess struct{}

var _ detect.Indicator = (*FirstDaysAccess)(nil)

// ID implements detect.Indicator.
func (*FirstDaysAccess) ID() string { return "ONB-07" }

// Name implements detect.Indicator.
func (*FirstDaysAccess) Name() string {
	return "First sign-ins through a VPN, from abroad or from an unmanaged computer"
}

// Stage implements detect.Indicator.
func (*FirstDaysAccess) Stage() detect.Stage { return detect.StageOnboarding }

// Strength implements detect.Indicator.
func (*FirstDaysAccess) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator. The roster (scim) gives the hire
// date and home; shipments say when the laptop went out.
func (*FirstDaysAccess) Sources() []string { return []string{"okta", "entra", "gworkspace", "scim"} }

// Weight implements detect.Indicator.
func (*FirstDaysAccess) Weight() float64 { return 45 }

// Description implements detect.Indicator.
func (*FirstDaysAccess) Description() string {
	return "In the first 14 days of the new account (from hire, roster meta.created, or from the first sign-in when the " +
		"account was created up to 60 days ahead), its successful sign-ins come through an anonymising VPN, proxy or " +
		"hosting network, from another country than the roster home, or mostly from a computer the company does not " +
		"manage. The first days are when an operative has not yet set up the laptop farm or relay: LevelBlue caught one " +
		"ten days after hire by a VPN sign-in. Abroad and a VPN the public record ties to the schemes (Astrill) weigh " +
		"most (one sign-in is enough, repeats on more days raise confidence); a generic consumer VPN counts little, since " +
		"privacy-minded staff use one from day one and IAM-01 already weighs it; a pattern that simply goes on through " +
		"the following two months counts half (IAM-01 and NET-02 report persistent VPN use and foreign geography); an unmanaged computer counts only on two or more days after the company laptop " +
		"can have arrived (a week after shipment) and weighs least. Sanctioned VPNs, gateways and allow-listed egress, " +
		"phones, tablets and MFA steps, and approved travel windows do not count; people hired before the data begins " +
		"are skipped. " +
		"Known false positives: a new hire finishing a trip abroad before starting; privacy VPNs at home; working on a " +
		"personal computer while the laptop is held up in shipping."
}

// References implements detect.Indicator.
func (*FirstDaysAccess) References() []string {
	return []string{
		"LevelBlue SpiderLabs, DPRK IT worker case study (VPN sign-ins detected within ten days of hire)",
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (early sign-ins from VPNs and unexpected locations)",
	}
}

// Examples implements detect.Indicator.
func (*FirstDaysAccess) Examples() detect.Examples {
	home := event.Address{Street: "1 Main St", Locality: "Austin", Region: "TX", PostalCode: "78701", Country: "US"}
	op := []*event.Event{rosterRecord(1, "E860", "Lena Ortiz", home)}
	// Laptop shipped on hire day, in transit for four days: the new hire
	// uses a home PC meanwhile, then the company laptop.
	wait := []*event.Event{rosterRecord(1, "E861", "Mo Adeyemi", home), shipmentRecord(1, "E861", "A-861", exampleHired, home)}
	for i := range 10 {
		t := exampleHired.AddDate(0, 0, i).Add(5 * time.Hour)
		op = append(op, firstDaysSignIn(i+1, "E860@example.com", t, firstDaysAstrill, "Windows10", "managed"))
		managed := "managed"
		if i < 5 {
			managed = "unmanaged"
		}
		wait = append(wait, firstDaysSignIn(i+1, "E861@example.com", t, firstDaysAustin, "Windows10", managed))
	}
	return detect.Examples{
		Positive: detect.Example{Name: "first_two_weeks_through_astrill", Events: op, Person: "E860"},
		Negative: detect.Example{Name: "home_pc_until_the_laptop_arrives", Events: wait, Person: "E861"},
	}
}

// firstDaysSignIn is a successful Entra sign-in from n on a computer whose
// management state is managed.
func firstDaysSignIn(record int, upn string, t time.Time, n event.Network, os, managed string) *event.Event {
	n.GeoSource = "entra"
	return &event.Event{
		Kind:    event.KindSignIn,
		Time:    t,
		Prov:    event.Provenance{Origin: &event.Origin{Source: "entra", File: "examples/entra-signins.json"}, Record: record},
		Account: &event.Actor{ID: "oid-" + upn, Login: upn, Email: upn},
		SignIn: &event.SignIn{Action: "interactiveUser", Outcome: event.OutcomeSuccess, Net: &n, Interactive: true,
			OS: os, Managed: managed},
	}
}

var (
	firstDaysAustin = event.Network{
		IP: netip.MustParseAddr("192.0.2.10"), Country: "US", Region: "Texas", City: "Austin", Lat: 30.27, Lon: -97.74, HasGeo: true,
		ASN: 11427, ASOrg: "charter communications inc",
	}
	firstDaysAstrill = event.Network{
		IP: netip.MustParseAddr("203.0.113.61"), Country: "US", Region: "California", City: "Los Angeles", Lat: 34.05, Lon: -118.24,
		HasGeo: true, ASN: 9009, ASOrg: "m247 europe srl", IsProxy: true,
		Intel: &event.IPIntel{ASN: 9009, Anonymizer: "Astrill VPN", IsVPN: true},
	}
)

const (
	// firstDays is the window after the account's start.
	firstDays = 14 * 24 * time.Hour
	// provisionedAhead: accounts created up to this long before their
	// first sign-in start at the first sign-in.
	provisionedAhead = 60 * 24 * time.Hour
	// laptopTransit: days after shipment before the laptop can be used.
	laptopTransit = 7 * 24 * time.Hour
	// unmanagedMinDays: days on an unmanaged computer that count.
	unmanagedMinDays = 2
)

// firstDaysAutomated are sign-ins machines make (token refreshes).
var firstDaysAutomated = map[string]bool{"nonInteractiveUser": true, "servicePrincipal": true, "managedIdentity": true}

// Detect implements detect.Indicator.
func (d *FirstDaysAccess) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	var allow *policy.Allow
	if in.Policy != nil {
		allow = &in.Policy.Allow
	}
	states := in.Pop.DeviceStates
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("ONB-07: %w", err)
		}
		if f, ok := d.person(p, in.Pop, allow, states); ok {
			out = append(out, f)
		}
	}
	return out, nil
}

// laterWindow is how long after the first days rollcall looks to see
// whether the early pattern simply goes on; continuedScale scales a
// component that does (IAM-01 and NET-02 report persistent VPN use and
// foreign geography; ONB-07 adds the early slip before a relay or farm is
// set up).
const (
	laterWindow    = 60 * 24 * time.Hour
	laterMinDays   = 5
	continuedScale = 0.5
)

// laterUse counts sign-in days after the first days.
type laterUse struct {
	active, vpn, abroad map[string]bool
}

func (l *laterUse) add(e *event.Event, allow *policy.Allow, person, home string, start time.Time) {
	if e.Time.After(start.Add(firstDays + laterWindow)) {
		return
	}
	if l.active == nil {
		l.active, l.vpn, l.abroad = map[string]bool{}, map[string]bool{}, map[string]bool{}
	}
	d := detect.Date(e.Time)
	l.active[d] = true
	f := e.Facts.Net
	v := f.Verdict
	switch {
	case v.Hides():
		l.vpn[d] = true
	case v.Kind == event.NetOrdinary || v.Kind == event.NetMobile:
		if c := f.Country; home != "" && c != "" && c != home && !activity.InTravel(allow, person, e.Time) {
			l.abroad[d] = true
		}
	}
}

// continues reports whether a pattern seen on early of earlyActive days
// goes on afterwards at half that rate or more.
func (l *laterUse) continues(days map[string]bool, early, earlyActive int) bool {
	if len(l.active) < laterMinDays || earlyActive == 0 {
		return false
	}
	return float64(len(days))/float64(len(l.active)) >= 0.5*float64(early)/float64(earlyActive)
}

// firstDaysReason is why one early sign-in counts.
type firstDaysReason struct {
	e   *event.Event
	why string
}

func (d *FirstDaysAccess) person(p *profile.Person, pop *profile.Population, allow *policy.Allow, states activity.DeviceStates) (detect.Finding, bool) {
	hired := p.Hired()
	var signIns []*event.Event
	for _, e := range p.SignIns {
		if e.SignIn.Outcome == event.OutcomeSuccess && !firstDaysAutomated[e.SignIn.Action] {
			signIns = append(signIns, e)
		}
	}
	if hired.IsZero() || len(signIns) == 0 {
		return detect.Finding{}, false
	}
	start := hired
	if first := signIns[0].Time; first.Sub(hired) > firstDays {
		if first.Sub(hired) > provisionedAhead {
			return detect.Finding{}, false // not the account's first days
		}
		start = first
	}
	if pop.Start.After(hired.Add(3 * 24 * time.Hour)) {
		return detect.Finding{}, false // the data begins after the hire: the first sign-ins are not in it
	}
	arrived := time.Time{}
	if len(p.Shipments) > 0 {
		arrived = p.Shipments[0].Time.Add(laptopTransit)
	}
	home := geo.Alpha2(p.Country())
	var vpn, abroad, unmanaged []firstDaysReason
	vpnDays, abroadDays, unmanagedDays := map[string]bool{}, map[string]bool{}, map[string]bool{}
	favoured := false
	earlyDays := map[string]bool{}
	var later laterUse
	for _, e := range signIns {
		if e.Time.Before(start) {
			continue
		}
		if !e.Time.Before(start.Add(firstDays)) {
			later.add(e, allow, p.ID, home, start)
			continue
		}
		earlyDays[detect.Date(e.Time)] = true
		f := e.Facts.Net
		v := f.Verdict
		switch {
		case v.Hides():
			vpn = append(vpn, firstDaysReason{e, fmt.Sprintf("%s: %s", v.Kind, v.Why)})
			vpnDays[detect.Date(e.Time)] = true
			favoured = favoured || v.Favoured
		case v.Kind == event.NetOrdinary || v.Kind == event.NetMobile:
			if c := f.Country; home != "" && c != "" && c != home && !p.Features.Homes.CountryAt(c, e.Time) && !activity.InTravel(allow, p.ID, e.Time) {
				abroad = append(abroad, firstDaysReason{e, fmt.Sprintf("in %s, roster home %s", c, home)})
				abroadDays[detect.Date(e.Time)] = true
			}
		}
		if states.Of(e) == activity.Unmanaged && !e.Time.Before(arrived) {
			what := "unmanaged computer " + strings.TrimSpace(e.SignIn.DeviceName+" "+e.SignIn.OS)
			if states.Unregistered(e) {
				what = "computer not registered with the identity provider (" + e.SignIn.OS + ")"
			}
			unmanaged = append(unmanaged, firstDaysReason{e, what})
			unmanagedDays[detect.Date(e.Time)] = true
		}
	}
	if len(unmanagedDays) < unmanagedMinDays {
		unmanaged, unmanagedDays = nil, map[string]bool{}
	}
	var conf float64
	var parts []string
	kinds := 0
	if len(vpn) > 0 {
		c := min(1, 0.5+0.2*float64(len(vpnDays)-1))
		if favoured {
			c = min(1, c+0.3)
		} else {
			// A generic consumer VPN in the first days is the same
			// evidence IAM-01 already weighs for the whole period
			// (privacy-minded staff use one from day one): it adds
			// little here unless the VPN is one the public record
			// ties to the schemes.
			c = min(c, 0.3)
		}
		if later.continues(later.vpn, len(vpnDays), len(earlyDays)) {
			c *= continuedScale
		}
		conf = max(conf, c)
		kinds++
		parts = append(parts, fmt.Sprintf("%d %s through a VPN, proxy or hosting network on %d %s", len(vpn),
			detect.Plural(len(vpn), "sign-in", "sign-ins"), len(vpnDays), detect.Plural(len(vpnDays), "day", "days")))
	}
	if len(abroad) > 0 {
		c := min(1, 0.6+0.2*float64(len(abroadDays)-1))
		if later.continues(later.abroad, len(abroadDays), len(earlyDays)) {
			c *= continuedScale
		}
		conf = max(conf, c)
		kinds++
		parts = append(parts, fmt.Sprintf("%d %s from another country than the roster home %s on %d %s", len(abroad),
			detect.Plural(len(abroad), "sign-in", "sign-ins"), home, len(abroadDays), detect.Plural(len(abroadDays), "day", "days")))
	}
	if len(unmanaged) > 0 {
		conf = max(conf, min(0.5, 0.3+0.1*float64(len(unmanagedDays)-unmanagedMinDays)))
		kinds++
		parts = append(parts, fmt.Sprintf("%d %s from unmanaged computers on %d %s", len(unmanaged),
			detect.Plural(len(unmanaged), "sign-in", "sign-ins"), len(unmanagedDays), detect.Plural(len(unmanagedDays), "day", "days")))
	}
	if kinds == 0 {
		return detect.Finding{}, false
	}
	if kinds > 1 {
		conf = min(1, conf+0.2)
	}
	all := slices.Concat(vpn, abroad, unmanaged)
	slices.SortStableFunc(all, func(a, b firstDaysReason) int { return a.e.Time.Compare(b.e.Time) })
	var ev []detect.Evidence
	for _, r := range all {
		ev = append(ev, detect.EvidenceOf(r.e, "%s %s from %s, day %d of the account: %s", r.e.Time.UTC().Format("2006-01-02 15:04Z"),
			r.e.SignIn.Action, ipintel.Describe(r.e.Net()), int(r.e.Time.Sub(start).Hours()/24)+1, r.why))
	}
	ev = firstDaysDedup(ev)
	more := ""
	if len(ev) > detect.MaxEvidence {
		more = fmt.Sprintf(" (first %d of %d records cited)", detect.MaxEvidence, len(ev))
		ev = ev[:detect.MaxEvidence]
	}
	return detect.Finding{
		Indicator: d.ID(),
		Person:    p.ID,
		Summary: fmt.Sprintf("in the first 14 days from %s: %s%s", start.UTC().Format("2006-01-02"),
			strings.Join(parts, "; "), more),
		Confidence: float64(int(conf*100+0.5)) / 100,
		Evidence:   ev,
	}, true
}

// firstDaysDedup merges evidence on the same record (a sign-in can be
// both unmanaged and through a VPN), joining the reasons.
func firstDaysDedup(ev []detect.Evidence) []detect.Evidence {
	at := map[[2]any]int{}
	out := ev[:0]
	for _, e := range ev {
		k := [2]any{e.File, e.Record}
		if i, ok := at[k]; ok {
			if _, why, found := strings.Cut(e.Summary, ": "); found {
				out[i].Summary += "; " + why
			}
			continue
		}
		at[k] = len(out)
		out = append(out, e)
	}
	return out
}
