package endpoint

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

// TestRemoteControlOneOffSession: a help desk's QuickSupport session run
// once is not an unsanctioned remote-control tool; the same tool running
// day after day, or installed, still is. An allow-list entry for the
// product covers its family (QuickSupport is TeamViewer).
func TestRemoteControlOneOffSession(t *testing.T) {
	quickSupport := proc("TeamViewerQS.exe", `C:\Users\jmiles\Downloads\TeamViewerQS.exe`, `"C:\Users\jmiles\Downloads\TeamViewerQS.exe"`)
	chrome := proc("chrome.exe", `C:\Program Files\Google\Chrome\Application\chrome.exe`, `"chrome.exe"`)
	// laptop reports processes on days 0–9; QuickSupport runs on the
	// given days.
	laptop := func(qsDays ...int) []*event.Event {
		out := []*event.Event{rosterRecord(1, "E100", "Jordan Miles", "jmiles", "US")}
		for d := range 10 {
			rows := []map[string]string{chrome}
			for _, q := range qsDays {
				if q == d {
					rows = append(rows, quickSupport)
				}
			}
			out = append(out, osq(d+1, "LT-0187", "jmiles", at(d), tableProcesses, "snapshot", rows...))
		}
		return out
	}
	tests := []struct {
		name   string
		events []*event.Event
		pol    []string // allow-listed tools
		want   []string
	}{
		{name: "one_session_on_day_three", events: laptop(3)},
		{name: "session_on_the_last_day_reported_is_not_yet_one_off", events: laptop(8), want: []string{"E100"}},
		{name: "runs_every_day", events: laptop(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), want: []string{"E100"}},
		{name: "allow_list_names_the_family", events: laptop(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), pol: []string{"TeamViewer QuickSupport"}},
		{
			name: "installed_and_run_once",
			events: append(laptop(3), osq(20, "LT-0187", "jmiles", at(3), tablePrograms, "snapshot",
				program("TeamViewer", "15.70.4", "TeamViewer", `C:\Program Files\TeamViewer`))),
			want: []string{"E100"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &RemoteControlTool{}, allowTools(tt.pol...), tt.events)
			var people []string
			for _, o := range got {
				people = append(people, o.Person)
			}
			if diff := cmp.Diff(tt.want, people); diff != "" {
				t.Errorf("people found (-want +got):\n%s", diff)
			}
		})
	}
}
