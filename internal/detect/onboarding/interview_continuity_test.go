package onboarding

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestInterviewContinuity(t *testing.T) {
	const entraFile = "examples/entra-signins.json"
	all := []string{
		detecttest.Ref(detecttest.MeetingFile, 1), detecttest.Ref(entraFile, 1), detecttest.Ref(entraFile, 2), detecttest.Ref(detecttest.ShipmentFile, 1),
	}
	withoutInterview := func(events []*event.Event) []*event.Event {
		var out []*event.Event
		for _, e := range events {
			if e.Kind != event.KindMeeting {
				out = append(out, e)
			}
		}
		return out
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []detecttest.RefOutcome
	}{
		{
			name:   "three_places",
			events: continuityCase("E870", "Lena Ortiz", detecttest.Shenyang, firstDaysAstrill),
			want:   []detecttest.RefOutcome{{Person: "E870", Confidence: confThreePlaces, Records: all}},
		},
		{
			name:   "interview_and_mfa_abroad_laptop_at_home",
			events: continuityCase("E872", "Ryan Cole", detecttest.Shenyang, detecttest.Shenyang),
			want:   []detecttest.RefOutcome{{Person: "E872", Confidence: confTwoAgainst, Records: all}},
		},
		{
			name:   "privacy_vpn_for_interview_and_mfa",
			events: continuityCase("E873", "Anna Berg", detecttest.M247VPN, firstDaysAstrill),
			want:   []detecttest.RefOutcome{{Person: "E873", Confidence: confHiddenOnly, Records: all}},
		},
		{
			name:   "interviewed_while_travelling_mfa_at_home",
			events: continuityCase("E871", "Mo Adeyemi", continuityLisbon, firstDaysAustin),
		},
		{
			name:   "interviewed_where_the_laptop_is",
			events: continuityCase("E874", "Kai Moreno", firstDaysAustin, firstDaysAstrill),
		},
		{
			name:   "no_interview_on_record",
			events: withoutInterview(continuityCase("E875", "Ana Silva", detecttest.Shenyang, firstDaysAstrill)),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := detecttest.Input(tt.events, policy.Default(), exampleHired.AddDate(0, 1, 0))
			got, _ := detecttest.RunRefs(t, &InterviewContinuity{}, in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
