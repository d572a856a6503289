package endpoint

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	kb "github.com/rollcall/rollcall/internal/enrich/endpoint"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// KeyboardLocale is END-07: the laptop's primary (or only) keyboard layout,
// input method or OS locale is in a language that is not a main language of
// the person's claimed country of residence. Fairness-sensitive: it is
// always weak, it compares with the claimed residence only, and it never
// speaks of nationality.
type KeyboardLocale struct {
	// Knowledge overrides the endpoint knowledge in use (kb.Current).
	Knowledge *kb.Knowledge
}

var _ detect.PersonScoped = (*KeyboardLocale)(nil)

// ID implements detect.Indicator.
func (*KeyboardLocale) ID() string { return "END-07" }

// Name implements detect.Indicator.
func (*KeyboardLocale) Name() string {
	return "Primary keyboard layout, input method or OS locale does not fit the claimed residence"
}

// Stage implements detect.Indicator.
func (*KeyboardLocale) Stage() detect.Stage { return detect.StageEndpoint }

// Strength implements detect.Indicator: weak and fairness-sensitive, never
// more (the policy holds END-07 weak whatever its file says).
func (*KeyboardLocale) Strength() detect.Strength { return detect.Weak }

// Sources implements detect.Indicator.
func (*KeyboardLocale) Sources() []string { return []string{"osquery", "scim"} }

// Weight implements detect.Indicator.
func (*KeyboardLocale) Weight() float64 { return 8 }

// Description implements detect.Indicator.
func (*KeyboardLocale) Description() string {
	return "The laptop's primary keyboard layout or input method (Windows: the first entry of Keyboard Layout\\Preload; " +
		"macOS: every selected input source, when none is in a local language), or its OS locale (Windows LocaleName, " +
		"macOS AppleLocale), is in a language that is not a main language of the claimed country of residence (roster " +
		"home address; main languages from rollcall's endpoint knowledge, data/languages.csv, which errs towards " +
		"including languages). Example: a Korean input method as the only input source of a worker who claims to live " +
		"in the US. FAIRNESS: this is a weak signal with discrimination risk. Many bilingual and immigrant employees " +
		"legitimately type in their first language, so a second, non-primary layout never counts, language-neutral " +
		"layouts (ABC, Dvorak) never count, a layout rollcall does not know makes it stay quiet, and the scoring policy " +
		"keeps END-07 weak so it can never lift anyone above low on its own. The finding names the claimed residence " +
		"and the layout or locale, never a nationality. Known false positives: immigrants and expatriates; people who " +
		"bought their laptop abroad; anyone who simply prefers another layout."
}

// References implements detect.Indicator.
func (*KeyboardLocale) References() []string {
	return []string{
		"Ketman Project, North Korean IT worker research (Korean language settings and keyboard artefacts on operatives' machines)",
		"Microsoft, [MS-LCID] Windows Language Code Identifier Reference (keyboard layout and language ids)",
		"Unicode CLDR supplemental territoryInfo (languages of each territory)",
	}
}

var (
	// winPreload is a Windows registry value under Keyboard Layout\Preload;
	// the capture is the slot ("1" is the default input language).
	winPreload = regexp.MustCompile(`(?i)\\keyboard layout\\preload\\(\d+)$`)
	// winLocale is the Windows user locale value.
	winLocale = regexp.MustCompile(`(?i)\\control panel\\international\\localename$`)
	// macSourceSubkey is a field of one macOS input source entry: "2/Input Mode".
	macSourceSubkey = regexp.MustCompile(`^(\d+)/(KeyboardLayout Name|Input Mode|Bundle ID)$`)
	// macNotALayout are input sources that are not keyboards or input
	// languages (emoji palette, press-and-hold accents, dictation).
	macNotALayout = regexp.MustCompile(`(?i)^com\.apple\.(characterpaletteim|pressandhold|inputmethod\.emojifunctionrowitem|inputmethod\.ironwood|50onpaletteim|keyboardviewer)`)
)

// macSourceKeys are the HIToolbox keys that list input sources.
var macSourceKeys = []string{"AppleSelectedInputSources", "AppleEnabledInputSources", "AppleInputSourceHistory"}

// layoutSlot is one entry of a host's keyboard and locale state.
type layoutSlot struct {
	kind  string // "win_preload", "win_locale", "mac_source", "mac_locale"
	slot  string // e.g. "1"
	value string
	query string // the query that reported it (a new snapshot replaces its slots)
	e     *event.Event
}

// Detect implements detect.Indicator.
func (d *KeyboardLocale) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	k := knowledge(d.Knowledge)
	var out []detect.Finding
	for _, p := range in.People() {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("END-07: %w", err)
		}
		country := p.Country()
		local, ok := k.CountryLanguages(country)
		if !ok {
			continue // no claimed residence, or no judgement about it
		}
		var parts []string
		var ev []detect.Evidence
		for _, h := range hostStates(p) {
			for _, c := range contradictions(k, h.slots, local) {
				parts = append(parts, fmt.Sprintf("host %s: %s", h.host, c.what))
				for _, e := range c.events {
					ev = append(ev, detect.EvidenceOf(e, "%s: %s on host %s", detect.Stamp(e.Time), c.what, h.host))
				}
			}
		}
		if len(ev) == 0 {
			continue
		}
		ev, more := detect.CapEvidence(ev)
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Confidence: 1, Evidence: ev,
			Summary: fmt.Sprintf("keyboard or locale in a language that is not a main language of the claimed residence %s (%s): %s%s",
				country, strings.Join(local, ", "), strings.Join(parts, "; "), more)})
	}
	return out, nil
}

// hostState is a host's final keyboard and locale state.
type hostState struct {
	host  string
	slots []layoutSlot
}

// hostStates replays the person's keyboard and locale rows per host: a
// snapshot replaces what its query reported before, added rows set a slot,
// removed rows clear it.
func hostStates(p *profile.Person) []hostState {
	state := map[string][]layoutSlot{}
	var order []string
	for _, e := range p.Devices {
		if e.Device == nil {
			continue
		}
		if t := e.Device.Table; t != tableKeyboard && t != "" {
			continue // processes, apps, USB devices… hold no keyboard or locale rows
		}
		host := e.Device.HostID
		if _, seen := state[host]; !seen {
			order = append(order, host)
			state[host] = nil
		}
		if e.Device.Action == "snapshot" {
			state[host] = slices.DeleteFunc(state[host], func(s layoutSlot) bool { return s.query == e.Device.Query })
		}
		for _, row := range e.Device.Rows {
			s, ok := slotOf(row)
			if !ok {
				continue
			}
			s.query, s.e = e.Device.Query, e
			action := e.Device.Action
			if action == "batch" {
				action = row.Get("diffResults")
			}
			cur := state[host]
			i := slices.IndexFunc(cur, func(x layoutSlot) bool { return x.kind == s.kind && x.slot == s.slot })
			switch {
			case action == "removed":
				if i >= 0 && strings.EqualFold(cur[i].value, s.value) {
					state[host] = slices.Delete(cur, i, i+1)
				}
			case i >= 0:
				cur[i] = s
			default:
				state[host] = append(cur, s)
			}
		}
	}
	out := make([]hostState, 0, len(order))
	for _, h := range order {
		if len(state[h]) > 0 {
			out = append(out, hostState{host: h, slots: state[h]})
		}
	}
	return out
}

// slotOf recognises a keyboard or locale row.
func slotOf(row event.Row) (layoutSlot, bool) {
	path := row.Get("path")
	if m := winPreload.FindStringSubmatch(path); m != nil && row.Get("data") != "" {
		return layoutSlot{kind: "win_preload", slot: m[1], value: strings.TrimSpace(row.Get("data"))}, true
	}
	if winLocale.MatchString(path) && row.Get("data") != "" {
		return layoutSlot{kind: "win_locale", slot: "1", value: strings.TrimSpace(row.Get("data"))}, true
	}
	key, value := row.Get("key"), strings.TrimSpace(row.Get("value"))
	if value == "" {
		return layoutSlot{}, false
	}
	if key == "AppleLocale" {
		return layoutSlot{kind: "mac_locale", slot: "1", value: value}, true
	}
	if key == "AppleCurrentKeyboardLayoutInputSourceID" {
		return layoutSlot{kind: "mac_source", slot: "current", value: value}, true
	}
	if slices.Contains(macSourceKeys, key) {
		if m := macSourceSubkey.FindStringSubmatch(row.Get("subkey")); m != nil {
			return layoutSlot{kind: "mac_source", slot: key + "/" + m[1] + "/" + m[2], value: value}, true
		}
	}
	return layoutSlot{}, false
}

// contradiction is one observation that contradicts the claimed residence.
type contradiction struct {
	what   string
	events []*event.Event
}

// contradictions judges a host's state against the local languages.
func contradictions(k *kb.Knowledge, slots []layoutSlot, local []string) []contradiction {
	var out []contradiction
	isLocal := func(lang string) bool { return lang == "*" || slices.Contains(local, lang) }
	var mac []layoutSlot
	for _, s := range slots {
		switch s.kind {
		case "win_preload":
			if s.slot != "1" {
				continue // a second input language is what bilingual people have
			}
			if l, ok := k.LookupLayout(s.value); ok && !isLocal(l.Language) {
				out = append(out, contradiction{what: fmt.Sprintf("the primary Windows input language is %s (Keyboard Layout\\Preload\\1 = %s)",
					l.Name, s.value), events: []*event.Event{s.e}})
			}
		case "win_locale", "mac_locale":
			if lang := kb.LocaleLanguage(s.value); lang != "" && !isLocal(lang) {
				out = append(out, contradiction{what: fmt.Sprintf("the OS locale is %s", s.value), events: []*event.Event{s.e}})
			}
		case "mac_source":
			mac = append(mac, s)
		}
	}
	if c, ok := macContradiction(k, mac, isLocal); ok {
		out = append(out, c)
	}
	return out
}

// macContradiction: every macOS input source is in a non-local language.
// A source rollcall does not know might be local, so it keeps it quiet.
func macContradiction(k *kb.Knowledge, slots []layoutSlot, isLocal func(string) bool) (contradiction, bool) {
	var names []string
	var events []*event.Event
	for _, s := range slots {
		if macNotALayout.MatchString(s.value) {
			continue
		}
		l, ok := k.LookupLayout(s.value)
		if !ok || isLocal(l.Language) {
			return contradiction{}, false
		}
		if !slices.Contains(names, l.Name) {
			names = append(names, l.Name)
		}
		if !slices.Contains(events, s.e) {
			events = append(events, s.e)
		}
	}
	if len(names) == 0 {
		return contradiction{}, false
	}
	return contradiction{what: fmt.Sprintf("every macOS input source is %s (no local-language layout)", strings.Join(names, " / ")),
		events: events}, true
}

// Examples implements detect.Indicator: a Korean input method as the
// primary Windows input language of a worker claiming a US home; and a
// bilingual colleague with a US layout first and a Korean IME second.
func (*KeyboardLocale) Examples() detect.Examples {
	const preload = `HKEY_USERS\S-1-5-21-3623811015-3361044348-30300820-1013\Keyboard Layout\Preload\`
	reg := func(slot, klid string) map[string]string {
		return map[string]string{"path": preload + slot, "key": strings.TrimSuffix(preload, `\`), "name": slot, "type": "REG_SZ", "data": klid}
	}
	return detect.Examples{
		Positive: detect.Example{
			Name: "korean_ime_as_the_only_input_language_of_a_us_worker",
			Events: []*event.Event{
				rosterRecord(1, "E100", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-0187", "jmiles", at(0), tableKeyboard, "snapshot", reg("1", "00000412")),
			},
			Person: "E100",
		},
		Negative: detect.Example{
			Name: "bilingual_us_layout_first_korean_second",
			Events: []*event.Event{
				rosterRecord(1, "E200", "Min-jun Kim", "mkim", "US"),
				osq(1, "LT-0420", "mkim", at(0), tableKeyboard, "snapshot", reg("1", "00000409"), reg("2", "00000412")),
			},
			Person: "E200",
		},
	}
}

// PersonScoped implements detect.PersonScoped: a finding about a person
// depends on that person's own model alone.
func (d *KeyboardLocale) PersonScoped() {}
