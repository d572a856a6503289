package endpoint

import (
	"context"
	"fmt"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	kb "github.com/rollcall/rollcall/internal/enrich/endpoint"
	"github.com/rollcall/rollcall/internal/event"
)

// ConsumerVPNClient is END-09: a consumer VPN or censorship-circumvention
// client on the company laptop. Astrill VPN, the service advisories name
// for DPRK IT workers, counts fully; circumvention tools built for the
// Great Firewall count for half; other consumer VPNs for less.
type ConsumerVPNClient struct {
	// Knowledge overrides the endpoint knowledge in use (kb.Current).
	Knowledge *kb.Knowledge
}

var _ detect.Indicator = (*ConsumerVPNClient)(nil)

// ID implements detect.Indicator.
func (*ConsumerVPNClient) ID() string { return "END-09" }

// Name implements detect.Indicator.
func (*ConsumerVPNClient) Name() string { return "Consumer VPN client on the company laptop" }

// Stage implements detect.Indicator.
func (*ConsumerVPNClient) Stage() detect.Stage { return detect.StageEndpoint }

// Strength implements detect.Indicator: the catalogue says M–H, strong for
// Astrill; a mainstream consumer VPN earns a tenth of the weight (about 5
// points, noted for corroboration only: it restates what sign-ins through
// the VPN already show, IAM-01, and one behaviour must not count twice).
func (*ConsumerVPNClient) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator.
func (*ConsumerVPNClient) Sources() []string { return []string{"osquery"} }

// Weight implements detect.Indicator.
func (*ConsumerVPNClient) Weight() float64 { return 45 }

// Confidences by the knowledge entry's confidence: high is Astrill,
// medium the circumvention tools (Psiphon, Lantern, LetsVPN, Shadowsocks,
// V2Ray, Clash), low the mainstream consumer VPNs.
var confVPN = map[kb.Confidence]float64{kb.High: 1.0, kb.Medium: 0.5, kb.Low: 0.1}

// Description implements detect.Indicator.
func (*ConsumerVPNClient) Description() string {
	return "The endpoint agent (programs, apps, processes, packages or browser extensions) shows a consumer VPN or " +
		"censorship-circumvention client on the company laptop. Astrill VPN (AstrillDialer.exe, astrill-setup-win.exe, " +
		"com.astrill.astrillvpn) is the VPN public reporting ties to DPRK IT workers and counts fully; circumvention tools " +
		"made for the Great Firewall (LetsVPN, Shadowsocks, V2RayN, Clash, Psiphon, Lantern) count for half; mainstream " +
		"consumer VPNs (NordVPN, ExpressVPN, Surfshark, Proton VPN, Mullvad, PIA, Hotspot Shield…) for 10%, noted for " +
		"corroboration only — they hide where the laptop is, but many privacy-minded people use them, and sign-ins through " +
		"them are already IAM-01's evidence (one behaviour must not count twice). Corporate VPN clients are not in the list; a " +
		"consumer product the company provides is sanctioned by the policy allow-list (allow.tools) or, when installed " +
		"on more than 30% of the hosts, taken as fleet standard. Known false positives: privacy-minded staff; people who " +
		"travel to countries that block services; a corporate VPN built on a consumer product and not yet allow-listed."
}

// References implements detect.Indicator.
func (*ConsumerVPNClient) References() []string {
	return []string{
		"GreatFire.org, Astrill VPN README (Astrill as the VPN of choice for crossing the Great Firewall)",
		"SigmaHQ rule: Astrill VPN Chrome extension installed (rules/windows, browser extension detection)",
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (Astrill VPN)",
		"Red Canary, 2025 Threat Detection Report: DPRK IT workers (Astrill VPN as a detection opportunity)",
	}
}

// Detect implements detect.Indicator.
func (d *ConsumerVPNClient) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	k := knowledge(d.Knowledge)
	fl := fleetOf(in.Pop, k, kb.VPN)
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("END-09: %w", err)
		}
		var parts []string
		var ev []detect.Evidence
		var conf float64
		for _, h := range hitsOnly(p, k, kb.VPN) {
			if _, ok := allowedHit(in, k, h); ok {
				continue
			}
			if _, ok := fl.standard(h.match.Product); ok {
				continue
			}
			conf = max(conf, confVPN[h.match.Confidence])
			parts = append(parts, fmt.Sprintf("%s (seen on %d %s, %s to %s, host %s)", h.match.Product, len(h.days),
				detect.Plural(len(h.days), "day", "days"), detect.Date(h.first), detect.Date(h.last), strings.Join(h.hosts, ", ")))
			for _, s := range h.events {
				ev = append(ev, detect.EvidenceOf(s.e, "%s — %s, matched by %s %q (%s)", describeSoftware(s), h.match.Product,
					h.match.Column, h.match.Value, h.match.Origin))
			}
		}
		if len(ev) == 0 {
			continue
		}
		ev, more := detect.CapEvidence(ev)
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Confidence: conf, Evidence: ev,
			Summary: fmt.Sprintf("consumer VPN %s on the company laptop: %s%s", detect.Plural(len(parts), "client", "clients"),
				strings.Join(parts, "; "), more)})
	}
	return out, nil
}

// Examples implements detect.Indicator: Astrill VPN installed and its
// dialer running; and a corporate VPN client with the allow-listed
// company Proton VPN.
func (*ConsumerVPNClient) Examples() detect.Examples {
	const dir = `C:\Program Files (x86)\Astrill`
	return detect.Examples{
		Positive: detect.Example{
			Name: "astrill_installed_and_running",
			Events: []*event.Event{
				rosterRecord(1, "E100", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-0187", "jmiles", at(0), tablePrograms, "added", program("Astrill VPN", "3.9.0.2547", "Astrill Systems Corp.", dir)),
				osq(2, "LT-0187", "jmiles", at(0), tableProcesses, "added", proc("AstrillDialer.exe", dir+`\AstrillDialer.exe`, `"`+dir+`\AstrillDialer.exe"`)),
			},
			Person: "E100",
		},
		Negative: detect.Example{
			Name: "corporate_vpn_client",
			Events: []*event.Event{
				rosterRecord(1, "E200", "Dana Wu", "dwu", "US"),
				osq(1, "LT-0420", "dwu", at(0), tablePrograms, "snapshot", chromeWin,
					program("GlobalProtect", "6.2.4", "Palo Alto Networks", `C:\Program Files\Palo Alto Networks\GlobalProtect`),
					program("Cisco Secure Client - AnyConnect VPN", "5.1.4.74", "Cisco Systems, Inc.", `C:\Program Files (x86)\Cisco\Cisco Secure Client`)),
			},
			Person: "E200",
		},
	}
}
