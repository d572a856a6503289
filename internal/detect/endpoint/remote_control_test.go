package endpoint

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestRemoteControlTool(t *testing.T) {
	anydeskMac := macApp("AnyDesk", "com.philandro.anydesk")
	rustdesk := proc("rustdesk.exe", `C:\Program Files\RustDesk\rustdesk.exe`, `"C:\Program Files\RustDesk\rustdesk.exe" --service`)
	crdHost := proc("remoting_host.exe", `C:\Program Files (x86)\Google\Chrome Remote Desktop\141.0.7390.4\remoting_host.exe`,
		`"C:\Program Files (x86)\Google\Chrome Remote Desktop\141.0.7390.4\remoting_host.exe" --type=daemon`)
	atera := proc("AteraAgent.exe", `C:\Program Files\ATERA Networks\AteraAgent\AteraAgent.exe`, "")
	tests := []struct {
		name   string
		pol    *policy.Policy
		events []*event.Event
		want   []outcome
	}{
		{
			name: "anydesk_beside_the_allow_listed_agent",
			pol:  allowTools("ScreenConnect"),
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-1", "jmiles", at(0), tableProcesses, "snapshot", screenConnect, anydeskWin),
				osq(2, "LT-1", "jmiles", at(5), tableProcesses, "snapshot", screenConnect, anydeskWin),
			},
			want: []outcome{{Person: "E1", Confidence: confRemoteSecond, Records: []int{1, 2}}},
		},
		{
			name: "installed_only_no_process_data",
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "MBP-1", "jmiles", at(0), tableApps, "added", anydeskMac),
			},
			want: []outcome{{Person: "E1", Confidence: confRemoteInstalled, Records: []int{1}}},
		},
		{
			name: "service_left_running_alone",
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-1", "jmiles", at(0), tableProcesses, "added", anydeskWin),
				osq(2, "LT-1", "jmiles", at(3), tablePrograms, "snapshot", chromeWin),
			},
			want: []outcome{{Person: "E1", Confidence: confRemoteAlone, Records: []int{1}}},
		},
		{
			name: "installed_within_weeks_of_hire",
			events: func() []*event.Event {
				r := rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US")
				r.Person.Created = at(0)
				return []*event.Event{r,
					osq(1, "MBP-1", "jmiles", at(1), tableApps, "snapshot", slackApp),
					osq(2, "MBP-1", "jmiles", at(9), tableApps, "snapshot", slackApp, anydeskMac)}
			}(),
			want: []outcome{{Person: "E1", Confidence: confRemoteAlone, Records: []int{2}}},
		},
		{
			name: "two_unsanctioned_tools",
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-1", "jmiles", at(0), tableProcesses, "snapshot", rustdesk, crdHost),
				osq(2, "LT-1", "jmiles", at(1), tableProcesses, "snapshot", rustdesk, crdHost),
			},
			want: []outcome{{Person: "E1", Confidence: confRemoteSecond, Records: []int{1, 2, 1, 2}}},
		},
		{
			name: "only_a_medium_entry_counts_less",
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-1", "jmiles", at(0), tableProcesses, "added", atera),
				osq(2, "LT-1", "jmiles", at(3), tablePrograms, "snapshot", chromeWin),
			},
			want: []outcome{{Person: "E1", Confidence: detect.Round2(confRemoteAlone * remoteWeakEntry), Records: []int{1}}},
		},
		{
			name: "fleet_standard_agent_counts_as_sanctioned",
			events: append(fleetOfHosts(12, 10, tableProcesses, screenConnect),
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-1", "jmiles", at(0), tableProcesses, "snapshot", screenConnect, anydeskWin),
				osq(2, "LT-1", "jmiles", at(1), tableProcesses, "snapshot", screenConnect, anydeskWin)),
			want: []outcome{{Person: "E1", Confidence: confRemoteSecond, Records: []int{1, 2}}},
		},
		{
			name: "teamviewer_started_now_and_then_for_support_sessions",
			events: func() []*event.Event {
				tv := proc("TeamViewer", "/Applications/TeamViewer.app/Contents/MacOS/TeamViewer", "/Applications/TeamViewer.app/Contents/MacOS/TeamViewer")
				ev := []*event.Event{rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US")}
				for d := range 20 {
					ev = append(ev, osq(d+1, "MBP-1", "jmiles", at(d), tableApps, "snapshot", slackApp, macApp("TeamViewer", "com.teamviewer.TeamViewer")))
				}
				return append(ev, osq(31, "MBP-1", "jmiles", at(4).Add(3600e9), tableProcesses, "added", tv),
					osq(32, "MBP-1", "jmiles", at(4).Add(7200e9), tableProcesses, "removed", tv),
					osq(33, "MBP-1", "jmiles", at(15).Add(3600e9), tableProcesses, "added", tv),
					osq(34, "MBP-1", "jmiles", at(15).Add(7200e9), tableProcesses, "removed", tv))
			}(),
			want: []outcome{{Person: "E1", Confidence: confRemoteOccasional, Records: []int{1, 31, 20}}},
		},
		// Negative cases.
		{
			name: "it_support_technician_with_teamviewer",
			events: []*event.Event{
				withRole(rosterRecord(1, "E1", "Priya Natarajan", "pnatarajan", "US"), "IT", "IT Support Specialist"),
				osq(1, "LT-1", "pnatarajan", at(0), tablePrograms, "snapshot", teamviewerWin),
			},
		},
		{
			name: "help_desk_title_in_another_department",
			events: []*event.Event{
				withRole(rosterRecord(1, "E1", "Sam Ortiz", "sortiz", "US"), "Operations", "Service Desk Analyst"),
				osq(1, "LT-1", "sortiz", at(0), tableProcesses, "snapshot", anydeskWin),
			},
		},
		{
			name: "sanctioned_agent_only",
			pol:  allowTools("ConnectWise ScreenConnect"),
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-1", "jmiles", at(0), tableProcesses, "snapshot", screenConnect),
			},
		},
		{
			name: "allow_listed_teamviewer_for_everyone",
			pol:  allowTools("TeamViewer"),
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-1", "jmiles", at(0), tablePrograms, "snapshot", teamviewerWin),
			},
		},
		{
			name:   "teamviewer_on_most_of_the_fleet",
			events: append(fleetOfHosts(12, 10, tablePrograms, teamviewerWin), rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"), osq(1, "LT-1", "jmiles", at(0), tablePrograms, "snapshot", teamviewerWin)),
		},
		{
			name: "expired_allow_list_entry_does_not_sanction",
			pol: func() *policy.Policy {
				p := allowTools()
				p.Allow.Tools = []policy.ToolEntry{{Name: "AnyDesk", Entry: policy.Entry{Reason: "pilot", Expires: at(-10)}}}
				return p
			}(),
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "LT-1", "jmiles", at(0), tableProcesses, "snapshot", anydeskWin),
			},
			want: []outcome{{Person: "E1", Confidence: confRemoteInstalled, Records: []int{1}}},
		},
		{
			name: "ordinary_software_only",
			events: []*event.Event{
				rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
				osq(1, "MBP-1", "jmiles", at(0), tableApps, "snapshot", slackApp, macApp("Microsoft Remote Desktop", "com.microsoft.rdc.macos")),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &RemoteControlTool{}, tt.pol, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRemoteControlToolSummary(t *testing.T) {
	_, fs := run(t, &RemoteControlTool{}, allowTools("ScreenConnect"), []*event.Event{
		rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
		osq(1, "LT-1", "jmiles", at(0), tableProcesses, "snapshot", screenConnect, anydeskWin),
	})
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	for _, want := range []string{"AnyDesk (running (too little data to tell how often); seen on 1 day", "host LT-1", "beside the sanctioned ConnectWise ScreenConnect (allow-listed: sanctioned by IT)"} {
		if !strings.Contains(fs[0].Summary, want) {
			t.Errorf("summary %q does not contain %q", fs[0].Summary, want)
		}
	}
	if ev := fs[0].Evidence[0].Summary; !strings.Contains(ev, "process AnyDesk.exe") || !strings.Contains(ev, "software.csv:") {
		t.Errorf("evidence %q does not name the process and the knowledge entry", ev)
	}
}
