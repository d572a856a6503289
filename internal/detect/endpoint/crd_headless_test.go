package endpoint

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestHeadlessRemoteDesktop(t *testing.T) {
	const win = `"C:\Program Files (x86)\Google\Chrome Remote Desktop\CurrentVersion\remoting_start_host.exe"`
	setup := func(args string) map[string]string {
		return proc("remoting_start_host.exe", `C:\Program Files (x86)\Google\Chrome Remote Desktop\CurrentVersion\remoting_start_host.exe`, win+" "+args)
	}
	linux := proc("start-host", "/opt/google/chrome-remote-desktop/start-host",
		`/opt/google/chrome-remote-desktop/start-host --code="4/0AeanS0Zxyz" --redirect-url="https://remotedesktop.google.com/_/oauthredirect" --name=$(hostname)`)
	tests := []struct {
		name   string
		pol    *policy.Policy
		events []*event.Event
		want   []outcome
	}{
		{
			name: "windows_code_and_pin",
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-1", "jmiles", at(2), tableProcesses, "added", setup(`--code="4/0AVMBsJ" --redirect-url="https://remotedesktop.google.com/_/oauthredirect" --name=%COMPUTERNAME% --pin=123456`)),
				osq(2, "LT-1", "jmiles", at(2).Add(60e9), tableProcesses, "removed", setup(`--code="4/0AVMBsJ" --pin=123456`)),
			},
			want: []outcome{{Person: "E1", Confidence: 1, Records: []int{1}}},
		},
		{
			name: "pin_only",
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-1", "jmiles", at(2), tableProcesses, "snapshot", setup(`--pin=654321`)),
			},
			want: []outcome{{Person: "E1", Confidence: 1, Records: []int{1}}},
		},
		{
			name: "linux_start_host",
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "dev-box", "jmiles", at(2), "", "added", linux),
			},
			want: []outcome{{Person: "E1", Confidence: 1, Records: []int{1}}},
		},
		// Negative cases.
		{
			name: "start_host_without_code_or_pin_is_the_interactive_setup",
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-1", "jmiles", at(2), tableProcesses, "added", setup(`--help`)),
			},
		},
		{
			name: "allow_listed_for_it_lab_machines",
			pol:  allowTools("Chrome Remote Desktop"),
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-1", "jmiles", at(2), tableProcesses, "added", setup(`--code="4/0AVMBsJ" --pin=123456`)),
			},
		},
		{
			name: "pin_in_another_program",
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-1", "jmiles", at(2), tableProcesses, "added", proc("gpg-agent", "/usr/local/bin/gpg-agent", "gpg-agent --daemon --pin=cache")),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &HeadlessRemoteDesktop{}, tt.pol, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHeadlessRemoteDesktopRedactsSecrets(t *testing.T) {
	_, fs := run(t, &HeadlessRemoteDesktop{}, nil, (&HeadlessRemoteDesktop{}).Examples().Positive.Events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	for _, e := range fs[0].Evidence {
		if strings.Contains(e.Summary, "482913") || strings.Contains(e.Summary, "0AVMBsJjQx1m8pZk2wq9Rr0Fh3L7nVtYb") {
			t.Errorf("evidence shows the PIN or code: %s", e.Summary)
		}
		if !strings.Contains(e.Summary, "--pin=******") || !strings.Contains(e.Summary, "--code=<redacted>") {
			t.Errorf("evidence %q does not show the redacted arguments", e.Summary)
		}
	}
}
