package endpoint

import (
	"context"
	"fmt"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	kb "github.com/rollcall/rollcall/internal/enrich/endpoint"
	"github.com/rollcall/rollcall/internal/event"
)

// MouseJiggler is END-05: software or a USB dongle that fakes mouse or
// keyboard activity so that the person looks present (chat status, idle
// timers) while nobody is at the keyboard — useful to someone holding
// several jobs at once, and common among ordinary staff too.
type MouseJiggler struct {
	// Knowledge overrides the endpoint knowledge in use (kb.Current).
	Knowledge *kb.Knowledge
}

var _ detect.Indicator = (*MouseJiggler)(nil)

// ID implements detect.Indicator.
func (*MouseJiggler) ID() string { return "END-05" }

// Name implements detect.Indicator.
func (*MouseJiggler) Name() string { return "Mouse jiggler (software or USB device)" }

// Stage implements detect.Indicator.
func (*MouseJiggler) Stage() detect.Stage { return detect.StageEndpoint }

// Strength implements detect.Indicator.
func (*MouseJiggler) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*MouseJiggler) Sources() []string { return []string{"osquery"} }

// Weight implements detect.Indicator.
func (*MouseJiggler) Weight() float64 { return 25 }

// Confidences: a jiggler alone is a low-confidence finding (it is common
// among ordinary staff); an entry the knowledge rates low (a shared hobby
// USB id) counts for less.
const (
	confJiggler    = 0.5
	confJigglerLow = 0.3
)

// Description implements detect.Indicator.
func (*MouseJiggler) Description() string {
	return "The endpoint agent shows a mouse jiggler: software that fakes input to keep the chat status \"active\" and " +
		"idle timers at bay (Mouse Jiggler, Move Mouse, Jiggler for macOS, Zhorn's Caffeine for Windows, which presses F15) " +
		"or a USB dongle that names itself a jiggler (or the shared V-USB mouse id DIY jigglers use, at lower confidence), " +
		"from rollcall's endpoint knowledge. Operatives holding several jobs keep every laptop looking busy this way. A " +
		"jiggler is common among ordinary staff, so alone it is a low-confidence finding (half the weight) that only adds to " +
		"stronger signals. Keep-awake tools that fake no input (macOS caffeinate, Amphetamine, KeepingYouAwake, PowerToys " +
		"Awake) are not jigglers and never count. Known false positives: people who dislike screen locks during long " +
		"builds or presentations; accessibility set-ups; a team that allow-lists a tool (allow.tools)."
}

// References implements detect.Indicator.
func (*MouseJiggler) References() []string {
	return []string{
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (mouse jigglers)",
		"Mouse Jiggler (github.com/arkane-systems/mousejiggler); Move Mouse (github.com/sw3103/movemouse); Jiggler (sticksoftware.com)",
	}
}

// Detect implements detect.Indicator.
func (d *MouseJiggler) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	k := knowledge(d.Knowledge)
	keep := func(_ event.Row, ms []kb.USB) bool { return hasCategory(ms, kb.Jiggler) }
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("END-05: %w", err)
		}
		var parts []string
		var ev []detect.Evidence
		var conf float64
		for _, h := range hitsOnly(p, k, kb.Jiggler) {
			if _, ok := allowedHit(in, k, h); ok {
				continue
			}
			conf = max(conf, jigglerConfidence(h.match.Confidence))
			parts = append(parts, fmt.Sprintf("%s (software, seen on %d %s from %s, host %s)", h.match.Product, len(h.days),
				detect.Plural(len(h.days), "day", "days"), detect.Date(h.first), strings.Join(h.hosts, ", ")))
			for _, s := range h.events {
				ev = append(ev, detect.EvidenceOf(s.e, "%s — %s, matched by %s %q (%s)", describeSoftware(s), h.match.Product,
					h.match.Column, h.match.Value, h.match.Origin))
			}
		}
		devs, hd := usbDevices(p, k, keep)
		for _, dev := range devs {
			m, _ := dev.best(kb.Jiggler)
			if _, ok := allowed(in, m.Product); ok {
				continue
			}
			conf = max(conf, jigglerConfidence(m.Confidence))
			parts = append(parts, fmt.Sprintf("%s on host %s, %s", usbName(dev, m), dev.host, dev.attached(hd)))
			for _, s := range dev.sightings {
				ev = append(ev, detect.EvidenceOf(s.e, "%s — %s (%s)", describeUSB(s), m.Product, m.Origin))
			}
		}
		if len(ev) == 0 {
			continue
		}
		ev, more := detect.CapEvidence(ev)
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Confidence: conf, Evidence: ev,
			Summary: "mouse jiggler: " + strings.Join(parts, "; ") + more})
	}
	return out, nil
}

func jigglerConfidence(c kb.Confidence) float64 {
	if c == kb.Low {
		return confJigglerLow
	}
	return confJiggler
}

// Examples implements detect.Indicator: Jiggler for macOS running; and a
// colleague who keeps the Mac awake with Amphetamine and caffeinate.
func (*MouseJiggler) Examples() detect.Examples {
	return detect.Examples{
		Positive: detect.Example{
			Name: "jiggler_app_running",
			Events: []*event.Event{
				rosterRecord(1, "E100", "Jordan Miles", "jmiles", "US"),
				osq(1, "MBP-0187", "jmiles", at(0), tableApps, "snapshot", slackApp, macApp("Jiggler", "com.sticksoftware.Jiggler")),
				osq(2, "MBP-0187", "jmiles", at(0), tableProcesses, "added", proc("Jiggler", "/Applications/Jiggler.app/Contents/MacOS/Jiggler", "/Applications/Jiggler.app/Contents/MacOS/Jiggler")),
			},
			Person: "E100",
		},
		Negative: detect.Example{
			Name: "keep_awake_tools_fake_no_input",
			Events: []*event.Event{
				rosterRecord(1, "E200", "Dana Wu", "dwu", "US"),
				osq(1, "MBP-0420", "dwu", at(0), tableApps, "snapshot", slackApp, macApp("Amphetamine", "com.if.Amphetamine")),
				osq(2, "MBP-0420", "dwu", at(0), tableProcesses, "added", proc("caffeinate", "/usr/bin/caffeinate", "/usr/bin/caffeinate -d -i")),
			},
			Person: "E200",
		},
	}
}
