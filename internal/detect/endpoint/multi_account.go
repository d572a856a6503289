package endpoint

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	kb "github.com/rollcall/rollcall/internal/enrich/endpoint"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// MultiAccountTooling is END-10: the tooling of someone running many
// online identities at once — anti-detect (multi-account) browsers, a
// browser with very many profiles, Android emulators.
type MultiAccountTooling struct {
	// Knowledge overrides the endpoint knowledge in use (kb.Current).
	Knowledge *kb.Knowledge
}

var _ detect.Indicator = (*MultiAccountTooling)(nil)

// ID implements detect.Indicator.
func (*MultiAccountTooling) ID() string { return "END-10" }

// Name implements detect.Indicator.
func (*MultiAccountTooling) Name() string {
	return "Anti-detect browser, many browser profiles or Android emulator"
}

// Stage implements detect.Indicator.
func (*MultiAccountTooling) Stage() detect.Stage { return detect.StageEndpoint }

// Strength implements detect.Indicator: L–M in the catalogue.
func (*MultiAccountTooling) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*MultiAccountTooling) Sources() []string { return []string{"osquery"} }

// Weight implements detect.Indicator.
func (*MultiAccountTooling) Weight() float64 { return 25 }

// Confidences of the forms of the finding.
var (
	confAntiDetect = map[kb.Confidence]float64{kb.High: 1.0, kb.Medium: 0.6, kb.Low: 0.4}
	confEmulator   = map[kb.Confidence]float64{kb.High: 0.5, kb.Medium: 0.35, kb.Low: 0.2}
)

const (
	// mobileFactor scales emulator findings on mobile developers and QA.
	mobileFactor = 0.4
	// manyProfiles browser profiles on one host count, at confProfiles.
	manyProfiles = 10
	confProfiles = 0.4
)

// Description implements detect.Indicator.
func (*MultiAccountTooling) Description() string {
	return "The endpoint agent shows tooling for running many online identities at once: an anti-detect (multi-account) " +
		"browser such as Multilogin, GoLogin, AdsPower, Dolphin Anty, Incogniton, Octo Browser or Kameleo (full " +
		"confidence); ten or more browser profiles on one laptop (browser-extension rows name each profile's path; 40%); " +
		"or an Android emulator such as BlueStacks, NoxPlayer, LDPlayer, MEmu or MuMu (half), Genymotion or the Android " +
		"SDK emulator (less). Operatives run several personas, job-platform and messaging accounts from one machine. " +
		"Known false positives: mobile developers and QA engineers with emulators (when the roster title or department " +
		"is mobile, Android, iOS or QA, developer emulators — Genymotion, the Android SDK emulator — never count and " +
		"consumer emulators count at 40%); social-media and ad-operations teams who manage many " +
		"accounts legitimately; gamers' emulators on a company laptop. A weak-to-medium signal that only adds to others."
}

// References implements detect.Indicator.
func (*MultiAccountTooling) References() []string {
	return []string{
		"Recorded Future Insikt Group, PurpleBravo / North Korean IT worker tradecraft (multiple personas, browser profiles and emulators)",
		"Vendor documentation of anti-detect browsers: multilogin.com, gologin.com, adspower.com, dolphin-anty.com, incogniton.com, octobrowser.net, kameleo.io",
	}
}

// Detect implements detect.Indicator.
func (d *MultiAccountTooling) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	k := knowledge(d.Knowledge)
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("END-10: %w", err)
		}
		var parts []string
		var ev []detect.Evidence
		var conf float64
		role, mobile := hasRole(p, mobileRole)
		for _, h := range hitsOnly(p, k, kb.AntiDetectBrowser, kb.AndroidEmulator) {
			if _, ok := allowedHit(in, k, h); ok {
				continue
			}
			c := confAntiDetect[h.match.Confidence]
			what := "anti-detect browser"
			if h.match.Category == kb.AndroidEmulator {
				what = "Android emulator"
				c = confEmulator[h.match.Confidence]
				if mobile && h.match.Confidence != kb.High {
					continue // Genymotion, the Android SDK emulator: their everyday tools
				}
				if mobile {
					c *= mobileFactor
					what += fmt.Sprintf(" (the roster says %q: an everyday tool there)", role)
				}
			}
			conf = max(conf, c)
			parts = append(parts, fmt.Sprintf("%s %s (seen on %d %s from %s, host %s)", what, h.match.Product, len(h.days),
				detect.Plural(len(h.days), "day", "days"), detect.Date(h.first), strings.Join(h.hosts, ", ")))
			for _, s := range h.events {
				ev = append(ev, detect.EvidenceOf(s.e, "%s — %s, matched by %s %q (%s)", describeSoftware(s), h.match.Product,
					h.match.Column, h.match.Value, h.match.Origin))
			}
		}
		for _, bp := range browserProfiles(p) {
			conf = max(conf, confProfiles)
			parts = append(parts, fmt.Sprintf("%d browser profiles on host %s", len(bp.paths), bp.host))
			var events []*event.Event
			byEvent := map[*event.Event][]string{}
			for _, s := range bp.sightings {
				if byEvent[s.e] == nil {
					events = append(events, s.e)
				}
				byEvent[s.e] = append(byEvent[s.e], s.row.Get("profile_path"))
			}
			for _, e := range events {
				paths := byEvent[e]
				ev = append(ev, detect.EvidenceOf(e, "%s: browser rows of %d %s on host %s: %s", detect.Stamp(e.Time), len(paths),
					detect.Plural(len(paths), "profile", "profiles"), bp.host, truncate(strings.Join(paths, "; "), 300)))
			}
		}
		if len(ev) == 0 {
			continue
		}
		ev, more := detect.CapEvidence(ev)
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Confidence: detect.Round2(conf), Evidence: ev,
			Summary: "multi-account tooling: " + strings.Join(parts, "; ") + more})
	}
	return out, nil
}

// profileCount is a host with many browser profiles.
type profileCount struct {
	host      string
	paths     []string
	sightings []sighting // the first row of each profile
}

// browserProfiles returns the hosts with at least manyProfiles distinct
// browser profile paths in rows that name one (osquery chrome_extensions
// and similar tables carry profile_path).
func browserProfiles(p *profile.Person) []profileCount {
	byHost := map[string]*profileCount{}
	var order []string
	hasProfile := func(_ *event.Event, row event.Row) bool { return row.Get("profile_path") != "" }
	sightings(p, hasProfile, func(s sighting) {
		pc := byHost[s.host()]
		if pc == nil {
			pc = &profileCount{host: s.host()}
			byHost[s.host()] = pc
			order = append(order, s.host())
		}
		path := strings.ToLower(s.row.Get("profile_path"))
		if !slices.Contains(pc.paths, path) {
			pc.paths = append(pc.paths, path)
			pc.sightings = append(pc.sightings, s)
		}
	})
	var out []profileCount
	for _, h := range order {
		if pc := byHost[h]; len(pc.paths) >= manyProfiles {
			out = append(out, *pc)
		}
	}
	return out
}

// Examples implements detect.Indicator: Dolphin Anty installed; and an
// Android developer with the Android Studio emulator.
func (*MultiAccountTooling) Examples() detect.Examples {
	emulator := proc("qemu-system-aarch64", "/Users/kim/Library/Android/sdk/emulator/qemu/darwin-aarch64/qemu-system-aarch64",
		"/Users/kim/Library/Android/sdk/emulator/qemu/darwin-aarch64/qemu-system-aarch64 -avd Pixel_8_API_35")
	return detect.Examples{
		Positive: detect.Example{
			Name: "dolphin_anty_installed",
			Events: []*event.Event{
				rosterRecord(1, "E100", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-0187", "jmiles", at(0), tablePrograms, "added", program("Dolphin Anty", "2025.122.11", "Dolphin Technologies", `C:\Users\jmiles\AppData\Local\Programs\dolphin_anty`)),
			},
			Person: "E100",
		},
		Negative: detect.Example{
			Name: "android_developer_with_the_studio_emulator",
			Events: []*event.Event{
				withRole(rosterRecord(1, "E200", "Min-jun Kim", "mkim", "US"), "Mobile Engineering", "Senior Android Engineer"),
				osq(1, "MBP-0420", "mkim", at(0), tableApps, "snapshot", macApp("Android Studio", "com.google.android.studio")),
				osq(2, "MBP-0420", "mkim", at(0), tableProcesses, "added", emulator),
			},
			Person: "E200",
		},
	}
}
