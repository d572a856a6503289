package signin

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/ipintel"
	"github.com/rollcall/rollcall/internal/event"
)

// AnonymizerSignIn is IAM-01: successful sign-ins through an anonymising
// VPN, proxy or hosting network. Confidence grows with how often the
// person does it: one hosting sign-in in three months is a weak finding;
// signing in that way most days is not. A VPN that advisories name for
// DPRK IT workers (Astrill) raises confidence.
type AnonymizerSignIn struct{}

var _ detect.PersonScoped = (*AnonymizerSignIn)(nil)

// ID implements detect.Indicator.
func (*AnonymizerSignIn) ID() string { return "IAM-01" }

// Name implements detect.Indicator.
func (*AnonymizerSignIn) Name() string {
	return "Sign-ins through an anonymising VPN, proxy or hosting network"
}

// Stage implements detect.Indicator.
func (*AnonymizerSignIn) Stage() detect.Stage { return detect.StageIdentity }

// Strength implements detect.Indicator: medium for VPNs in general; the
// confidence of a finding on a DPRK-favoured VPN reaches the full weight.
func (*AnonymizerSignIn) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*AnonymizerSignIn) Sources() []string { return []string{"okta", "entra", "gworkspace"} }

// Weight implements detect.Indicator. A generic VPN or hosting network
// earns at most 60% of it (a medium signal, ~30 points); a DPRK-favoured
// VPN used persistently earns all of it.
func (*AnonymizerSignIn) Weight() float64 { return 50 }

// Description implements detect.Indicator.
func (*AnonymizerSignIn) Description() string {
	return "The person's successful sign-ins come through a commercial VPN, an anonymising proxy, Tor, or a hosting / VPS " +
		"network instead of a home or office connection. Operatives outside the claimed country hide their location this " +
		"way; Astrill VPN is the service advisories name most often, and a sign-in through it counts for more. The network " +
		"is recognised by the identity provider's proxy flag (Okta securityContext.isProxy), by rollcall's network list " +
		"(AS numbers and ranges of VPN operators and hosting providers, data/networks.csv, extendable with --networks) and " +
		"by IP databases with anonymiser flags. Enterprise gateways (Zscaler, Netskope, Cisco Umbrella) and privacy relays " +
		"(iCloud Private Relay, Cloudflare WARP) never count, nor do networks the policy allow-lists (allow.vpn_asns, " +
		"allow.egress). Confidence grows with the number of distinct days and the share of sign-in days through such " +
		"networks: one or two VPN days in three months gives a low-confidence finding only. " +
		"Known false positives: privacy-minded staff on a consumer VPN; travel in countries that block services (China); " +
		"cloud desktops (Windows 365, Azure Virtual Desktop, Amazon WorkSpaces, Citrix) and jump hosts that sign in from " +
		"Azure/AWS — allow-list their AS numbers or egress ranges; a sanctioned corporate VPN not yet in the allow-list."
}

// References implements detect.Indicator.
func (*AnonymizerSignIn) References() []string {
	return []string{
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (Astrill VPN, VPS and VPN sign-ins)",
		"LevelBlue SpiderLabs, DPRK IT worker case study (VPN sign-ins within the first days of employment)",
		"Red Canary, 2025 Threat Detection Report: DPRK IT workers (Astrill VPN as a detection opportunity)",
		"Okta System Log: securityContext (asNumber, asOrg, isProxy), developer.okta.com/docs/reference/api/system-log/",
	}
}

// Examples implements detect.Indicator.
func (*AnonymizerSignIn) Examples() detect.Examples {
	operative := []*event.Event{rosterRecord(1, "E100", "jdoe@example.com", "US")}
	gateway := []*event.Event{rosterRecord(1, "E200", "mrossi@example.com", "US")}
	for i := range 20 {
		t := exampleStart.AddDate(0, 0, i)
		operative = append(operative, oktaSignIn(i+1, "jdoe@example.com", t, m247VPN))
		gateway = append(gateway, oktaSignIn(i+1, "mrossi@example.com", t, zscaler))
	}
	return detect.Examples{
		Positive: detect.Example{Name: "daily_sign_ins_through_m247_vpn", Events: operative, Person: "E100"},
		Negative: detect.Example{Name: "zscaler_gateway_flagged_as_proxy_by_okta", Events: gateway, Person: "E200"},
	}
}

// Confidence shaping. g in [0,1] measures persistence: the geometric mean
// of how many distinct days (fullDays gives full credit) and what share of
// sign-in days (fullShare gives full credit) went through hiding networks.
const (
	fullDays  = 10.0
	fullShare = 0.5
	// genericCap is the most a VPN or hosting network earns (a medium
	// signal); favouredFloor is where a DPRK-favoured VPN starts.
	genericCap    = 0.6
	favouredFloor = 0.35
	// hostingOnly scales findings with no VPN/proxy at all: cloud desktops
	// and jump hosts explain hosting sign-ins more often.
	hostingOnly = 0.8
)

// Detect implements detect.Indicator.
func (d *AnonymizerSignIn) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	var out []detect.Finding
	for _, p := range in.People() {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("IAM-01: %w", err)
		}
		active := map[time.Time]bool{}
		hidden := map[time.Time]bool{}
		byName := map[string]int{}
		var ev []detect.Evidence
		var favoured, anonymiser bool
		for _, e := range p.SignIns {
			if !detect.Succeeded(e) {
				continue
			}
			active[detect.Day(e.Time)] = true
			v := e.Facts.Net.Verdict
			if !v.Hides() {
				continue
			}
			hidden[detect.Day(e.Time)] = true
			name := cmp.Or(v.Name, v.Kind.String())
			byName[name]++
			favoured = favoured || v.Favoured
			anonymiser = anonymiser || v.Kind == event.NetAnonymiser
			ev = append(ev, detect.EvidenceOf(e, "%s %s from %s: %s — %s",
				detect.Stamp(e.Time), e.SignIn.Action, ipintel.Describe(e.Net()), v.Kind, v.Why))
		}
		if len(ev) == 0 {
			continue
		}
		share := float64(len(hidden)) / float64(len(active))
		g := math.Sqrt(min(1, float64(len(hidden))/fullDays) * min(1, share/fullShare))
		conf := genericCap * (0.15 + 0.85*g)
		if !anonymiser {
			conf *= hostingOnly
		}
		if favoured {
			conf = favouredFloor + (1-favouredFloor)*g
		}
		ev, more := detect.CapEvidence(ev)
		out = append(out, detect.Finding{
			Indicator: d.ID(),
			Person:    p.ID,
			Summary: fmt.Sprintf("signed in through anonymising or hosting networks on %d of %d sign-in days (%.0f%%): %s%s",
				len(hidden), len(active), 100*share, countNames(byName), more),
			Confidence: detect.Round2(conf),
			Evidence:   ev,
		})
	}
	return out, nil
}

// countNames lists names by count, most first: "Astrill VPN ×12, M247 ×3".
func countNames(m map[string]int) string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := cmp.Compare(m[b], m[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s ×%d", n, m[n])
	}
	return strings.Join(parts, ", ")
}

// PersonScoped implements detect.PersonScoped: a finding about a person
// depends on that person's own model alone.
func (d *AnonymizerSignIn) PersonScoped() {}
