package endpoint

import (
	"context"
	"fmt"
	"regexp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
)

// HeadlessRemoteDesktop is END-02: a Chrome Remote Desktop host registered
// "headless", from the command line, with an authorisation code and a PIN
// (remoting_start_host … --code=… --pin=…): set up so that someone far
// away can drive the machine without anyone at its screen.
type HeadlessRemoteDesktop struct{}

var _ detect.Indicator = (*HeadlessRemoteDesktop)(nil)

// ID implements detect.Indicator.
func (*HeadlessRemoteDesktop) ID() string { return "END-02" }

// Name implements detect.Indicator.
func (*HeadlessRemoteDesktop) Name() string {
	return "Chrome Remote Desktop host set up headless from the command line"
}

// Stage implements detect.Indicator.
func (*HeadlessRemoteDesktop) Stage() detect.Stage { return detect.StageEndpoint }

// Strength implements detect.Indicator.
func (*HeadlessRemoteDesktop) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator.
func (*HeadlessRemoteDesktop) Sources() []string { return []string{"osquery"} }

// Weight implements detect.Indicator.
func (*HeadlessRemoteDesktop) Weight() float64 { return 50 }

// crdProduct is the product name the allow-list is checked under.
const crdProduct = "Chrome Remote Desktop"

var (
	// startHost is the headless set-up command: remoting_start_host(.exe)
	// on Windows, /opt/google/chrome-remote-desktop/start-host on Linux.
	startHost = regexp.MustCompile(`(?i)(remoting_start_host|chrome-remote-desktop[/\\]start-host)`)
	// headlessArg is what makes it headless: an OAuth code or a PIN given
	// on the command line.
	headlessArg = regexp.MustCompile(`(?i)--(code|pin)=`)
	// secrets are redacted from evidence: the PIN unlocks the host.
	pinArg  = regexp.MustCompile(`(?i)(--pin=)("[^"]*"|\S+)`)
	codeArg = regexp.MustCompile(`(?i)(--code=)("[^"]*"|\S+)`)
)

// redactCmdline hides the PIN and authorisation code of a command line.
func redactCmdline(s string) string {
	s = pinArg.ReplaceAllString(s, "${1}******")
	return codeArg.ReplaceAllString(s, "${1}<redacted>")
}

// Description implements detect.Indicator.
func (*HeadlessRemoteDesktop) Description() string {
	return "A process command line shows Chrome Remote Desktop being registered headless: remoting_start_host (Windows) " +
		"or chrome-remote-desktop/start-host (Linux) run with --code= (a one-time authorisation code from " +
		"remotedesktop.google.com/headless) and usually --pin=. This enrols the laptop for remote control by a Google account " +
		"without anyone at the screen — what an operative or facilitator does to reach a laptop kept elsewhere. The PIN " +
		"and code are redacted from the evidence. Known false positives: IT scripting Chrome Remote Desktop onto lab or " +
		"kiosk machines (allow-list \"Chrome Remote Desktop\" in allow.tools); a developer enrolling a headless Linux build " +
		"box they own (not the company laptop)."
}

// References implements detect.Indicator.
func (*HeadlessRemoteDesktop) References() []string {
	return []string{
		"\"Ballena Azul\" honeypot report on North Korean IT workers (Chrome Remote Desktop registered with remoting_start_host --pin)",
		"Google, Chrome Remote Desktop: set up remote access on a headless machine (remotedesktop.google.com/headless)",
		"LOLRMM: Chrome Remote Desktop (remoting_host.exe, remoting_start_host.exe), lolrmm.io",
	}
}

// Detect implements detect.Indicator.
func (d *HeadlessRemoteDesktop) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	if _, ok := allowed(in, crdProduct); ok {
		return nil, nil
	}
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("END-02: %w", err)
		}
		var ev []detect.Evidence
		var first sighting
		isProcess := func(e *event.Event, row event.Row) bool {
			return e.Device.Table == tableProcesses || row.Get("cmdline") != ""
		}
		sightings(p, isProcess, func(s sighting) {
			c := s.row.Get("cmdline")
			if !startHost.MatchString(c) || !headlessArg.MatchString(c) || s.action() == "removed" && len(ev) > 0 {
				return
			}
			if first.e == nil {
				first = s
			}
			ev = append(ev, detect.EvidenceOf(s.e, "%s: headless Chrome Remote Desktop set-up on host %s: %s",
				detect.Stamp(s.e.Time), hostLabel(s), truncate(redactCmdline(c), 300)))
		})
		if len(ev) == 0 {
			continue
		}
		ev, more := detect.CapEvidence(ev)
		out = append(out, detect.Finding{
			Indicator: d.ID(),
			Person:    p.ID,
			Summary: fmt.Sprintf("Chrome Remote Desktop host registered headless (command line with an authorisation code or PIN) on host %s on %s%s",
				hostLabel(first), detect.Date(first.e.Time), more),
			Confidence: 1,
			Evidence:   ev,
		})
	}
	return out, nil
}

// Examples implements detect.Indicator: the headless set-up command; and a
// developer running the ordinary Chrome Remote Desktop host service.
func (*HeadlessRemoteDesktop) Examples() detect.Examples {
	const dir = `C:\Program Files (x86)\Google\Chrome Remote Desktop\141.0.7390.4`
	setup := proc("remoting_start_host.exe", dir+`\remoting_start_host.exe`, `"`+dir+`\remoting_start_host.exe" `+
		`--code="4/0AVMBsJjQx1m8pZk2wq9Rr0Fh3L7nVtYb" --redirect-url="https://remotedesktop.google.com/_/oauthredirect" --name=%COMPUTERNAME% --pin=482913`)
	daemon := proc("remoting_host.exe", dir+`\remoting_host.exe`, `"`+dir+`\remoting_host.exe" --type=daemon --host-config="C:\ProgramData\Google\Chrome Remote Desktop\host.json"`)
	return detect.Examples{
		Positive: detect.Example{
			Name: "remoting_start_host_with_code_and_pin",
			Events: []*event.Event{
				rosterRecord(1, "E100", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-0187", "jmiles", at(0), tableProcesses, "added", setup),
				osq(2, "LT-0187", "jmiles", at(0).Add(5e9), tableProcesses, "added", daemon),
			},
			Person: "E100",
		},
		Negative: detect.Example{
			Name: "crd_host_service_without_headless_setup",
			Events: []*event.Event{
				rosterRecord(1, "E200", "Dana Wu", "dwu", "US"),
				osq(1, "LT-0420", "dwu", at(0), tableProcesses, "snapshot", daemon),
			},
			Person: "E200",
		},
	}
}
