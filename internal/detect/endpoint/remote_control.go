package endpoint

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	kb "github.com/rollcall/rollcall/internal/enrich/endpoint"
	"github.com/rollcall/rollcall/internal/event"
)

// RemoteControlTool is END-01: a remote-control tool on the company laptop
// that the organisation did not sanction, especially a second one beside
// the sanctioned support agent. A laptop kept at a laptop farm is driven
// from abroad through exactly such tools.
type RemoteControlTool struct {
	// Knowledge overrides the endpoint knowledge in use (kb.Current).
	Knowledge *kb.Knowledge
}

var _ detect.Indicator = (*RemoteControlTool)(nil)

// ID implements detect.Indicator.
func (*RemoteControlTool) ID() string { return "END-01" }

// Name implements detect.Indicator.
func (*RemoteControlTool) Name() string {
	return "Unsanctioned remote-control tool on the company laptop"
}

// Stage implements detect.Indicator.
func (*RemoteControlTool) Stage() detect.Stage { return detect.StageEndpoint }

// Strength implements detect.Indicator: strong in a managed fleet.
func (*RemoteControlTool) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator.
func (*RemoteControlTool) Sources() []string { return []string{"osquery"} }

// Weight implements detect.Indicator.
func (*RemoteControlTool) Weight() float64 { return 50 }

// Confidences of the forms of the finding. A tool is "in use" when its
// process stays up (a day or more at a stretch, or on at least half of the
// host's reporting days) or when it was installed within remoteOnboarding
// of hire while the agent watched: a laptop driven from elsewhere needs
// its remote-control host running whenever the operator works.
const (
	confRemoteSecond     = 1.0 // in use beside a sanctioned agent, or two unsanctioned tools
	confRemoteAlone      = 0.8 // in use, no sanctioned agent seen
	confRemoteInstalled  = 0.6 // installed; no process data to tell whether it is in use
	confRemoteOccasional = 0.4 // its process runs only now and then (occasional support sessions)
	remoteWeakEntry      = 0.6 // factor when every match is a medium/low-confidence entry
	remoteOnboarding     = 45 * 24 * time.Hour
)

// Description implements detect.Indicator.
func (*RemoteControlTool) Description() string {
	return "The endpoint agent (osquery processes, macOS apps, Windows programs or packages) shows a remote-control tool " +
		"the organisation did not sanction: AnyDesk, TeamViewer, a Chrome Remote Desktop host, RustDesk, Splashtop " +
		"Streamer, ScreenConnect, RemotePC, Parsec, AnyViewer, VNC servers, Zoho Assist and others from rollcall's endpoint " +
		"knowledge (data/software.csv, extendable with --endpoint-knowledge). Laptops kept at laptop farms are driven from " +
		"abroad this way, so the tool must be in use: its process stays up (a day or more at a stretch, or on at least half " +
		"of the days the host reported) or it was installed within 45 days of hire while the agent watched. In use beside " +
		"the company's own support agent (or two such tools) is the clearest form (full confidence); in use alone, 80%; " +
		"installed with no process data to judge, 60%; a process started only now and then, as for occasional support " +
		"sessions, 40%. A tool is sanctioned when the policy allow-lists it " +
		"(allow.tools) or when it is installed on more than 30% of the hosts that report software (a fleet of ten hosts " +
		"or more): that is the organisation's own agent, and the finding says so. Only host-side tools count; viewers " +
		"used to control other machines are not listed. Known false positives: IT and support staff, who use these tools " +
		"daily (quiet when the roster title or department is IT or support); a one-off support session (quiet: a tool seen " +
		"only as a process, on a single day, never installed, on a host that kept reporting for three days or more " +
		"without it — TeamViewer QuickSupport, a portable AnyDesk run for the help desk); a tool IT installed for one team without " +
		"allow-listing it; an employee who installed TeamViewer to get help from family — ask before acting."
}

// References implements detect.Indicator.
func (*RemoteControlTool) References() []string {
	return []string{
		"FBI public service announcement I-051624-PSA, May 2024 (remote desktop software on company laptops at laptop farms)",
		"Microsoft Threat Intelligence, Jasper Sleet: North Korean remote IT workers, June 2025 (RMM tools on company devices)",
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (remote access tools, IR cases)",
		"LOLRMM catalogue of remote monitoring and management tools, lolrmm.io (executables and install paths)",
	}
}

// Detect implements detect.Indicator.
func (d *RemoteControlTool) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	k := knowledge(d.Knowledge)
	fl := fleetOf(in.Pop, k, kb.RemoteControl)
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("END-01: %w", err)
		}
		hits, hd := softwareHits(p, k, kb.RemoteControl)
		if len(hits) == 0 {
			continue
		}
		if _, it := hasRole(p, itSupportRole); it {
			continue
		}
		var sanctioned, rogue []*softwareHit
		var why []string
		for _, h := range hits {
			reason, ok := allowedHit(in, k, h)
			if ok {
				reason = "allow-listed: " + reason
			} else {
				reason, ok = fl.standard(h.match.Product)
			}
			if ok {
				sanctioned = append(sanctioned, h)
				why = append(why, fmt.Sprintf("%s (%s)", h.match.Product, reason))
				continue
			}
			rogue = append(rogue, h)
		}
		rogue = slices.DeleteFunc(rogue, func(h *softwareHit) bool { return h.oneOff(hd) })
		if len(rogue) == 0 {
			continue
		}
		var conf float64
		weak := true
		var names []string
		var ev []detect.Evidence
		for _, h := range rogue {
			weak = weak && h.match.Confidence != kb.High
			c, use := remoteUse(h, hd, p.Hired())
			if c == confRemoteAlone && (len(sanctioned) > 0 || len(rogue) > 1) {
				c = confRemoteSecond
			}
			conf = max(conf, c)
			names = append(names, fmt.Sprintf("%s (%s; seen on %d %s, %s to %s, host %s)", h.match.Product, use, len(h.days),
				detect.Plural(len(h.days), "day", "days"), detect.Date(h.first), detect.Date(h.last), strings.Join(h.hosts, ", ")))
			for _, s := range h.events {
				ev = append(ev, detect.EvidenceOf(s.e, "%s — %s, matched by %s %q (%s)", describeSoftware(s), h.match.Product,
					h.match.Column, h.match.Value, h.match.Origin))
			}
		}
		if weak {
			conf *= remoteWeakEntry
		}
		summary := fmt.Sprintf("unsanctioned remote-control %s: %s", detect.Plural(len(rogue), "tool", "tools"), strings.Join(names, "; "))
		if len(why) > 0 {
			summary += ", beside the sanctioned " + strings.Join(why, ", ")
		}
		ev, more := detect.CapEvidence(ev)
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary + more, Confidence: detect.Round2(conf), Evidence: ev})
	}
	return out, nil
}

// oneOffWatch is how many days the host must have reported since a
// single-day remote session for the session to count as one-off.
const oneOffWatch = 3

// oneOff reports whether the tool ran in one session only: seen only as a
// process (never in the installed-software inventory), on a single day, on
// hosts that kept reporting for oneOffWatch days or more without it — a
// help desk's TeamViewer QuickSupport or AnyDesk session, not a tool kept
// for remote control.
func (h *softwareHit) oneOff(hd hostDays) bool {
	if len(h.days) != 1 || len(h.running) == 0 {
		return false
	}
	for _, s := range h.events {
		if s.e.Device.Table != tableProcesses {
			return false
		}
	}
	for _, pr := range h.running {
		if pr.persistent(hd) || hd.since(pr.host, pr.first) < oneOffWatch {
			return false
		}
	}
	return true
}

// remoteUse judges how a tool is used: its confidence before the
// sanctioned-agent rule, and what to say.
func remoteUse(h *softwareHit, hd hostDays, hired time.Time) (float64, string) {
	persistent, ran, judged := h.runningPersistently(hd)
	switch {
	case persistent:
		return confRemoteAlone, "running persistently"
	case h.appeared && !hired.IsZero() && !h.first.Before(hired.Add(-7*24*time.Hour)) && h.first.Sub(hired) <= remoteOnboarding:
		return confRemoteAlone, fmt.Sprintf("installed %d days after hire", int(h.first.Sub(hired).Hours()/24))
	case ran && judged:
		return confRemoteOccasional, "started only now and then"
	case ran:
		return confRemoteInstalled, "running (too little data to tell how often)"
	}
	return confRemoteInstalled, "installed"
}

// Examples implements detect.Indicator: AnyDesk running as a service beside
// the sanctioned ScreenConnect agent; and an IT technician with TeamViewer.
func (*RemoteControlTool) Examples() detect.Examples {
	return detect.Examples{
		Positive: detect.Example{
			Name: "anydesk_beside_the_support_agent",
			Events: []*event.Event{
				rosterRecord(1, "E100", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-0187", "jmiles", at(0), tableProcesses, "snapshot", screenConnect, anydeskWin),
				osq(2, "LT-0187", "jmiles", at(1), tableProcesses, "snapshot", screenConnect, anydeskWin),
			},
			Person: "E100",
		},
		Negative: detect.Example{
			Name: "it_support_technician_with_teamviewer",
			Events: []*event.Event{
				withRole(rosterRecord(1, "E200", "Priya Natarajan", "pnatarajan", "US"), "IT", "IT Support Specialist"),
				osq(1, "LT-0420", "pnatarajan", at(0), tablePrograms, "snapshot", chromeWin, teamviewerWin),
				osq(2, "LT-0420", "pnatarajan", at(0), tableProcesses, "snapshot", screenConnect),
			},
			Person: "E200",
		},
	}
}
