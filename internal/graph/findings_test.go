package graph

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// TestBuild_shared_mfa_device: IAM-02's full-confidence findings (one
// MFA device for E1 and E2, one finding on each) make one mfa_device link
// citing their records; a half-confidence one (the device used on one
// day) and another indicator's related people (a referral) link nobody.
func TestBuild_shared_mfa_device(t *testing.T) {
	ev := func(n int) event.Evidence {
		return event.Evidence{Source: "okta", File: "okta.ndjson", Record: n, Summary: "MFA with device dev-1"}
	}
	tests := []struct {
		name     string
		findings []FindingLink
		want     []Link
	}{
		{name: "iam_02_full_confidence", findings: []FindingLink{
			{Indicator: "IAM-02", Person: "E1", Related: []string{"E2"}, Evidence: []event.Evidence{ev(1), ev(2)}},
			{Indicator: "IAM-02", Person: "E2", Related: []string{"E1"}, Evidence: []event.Evidence{ev(2), ev(3)}},
		}, want: []Link{{Kind: KindMFADevice, Value: "one MFA device for E1, E2 (IAM-02)", Members: []string{"E1", "E2"},
			Evidence: []event.Evidence{ev(1), ev(2), ev(3)}}}},
		{name: "iam_02_half_confidence", findings: []FindingLink{
			{Indicator: "IAM-02", Person: "E1", Related: []string{"E2"}, Confidence: 0.5, Evidence: []event.Evidence{ev(1)}}}},
		{name: "other_indicator_relating_people", findings: []FindingLink{
			{Indicator: "APP-14", Person: "E1", Related: []string{"E2"}, Evidence: []event.Evidence{ev(1)}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pop := population(employee("E1", street(1)), employee("E2", street(2)), employee("E3", street(3)))
			build(pop, policy.Default(), now) // derive the facts
			var got []Link
			for _, c := range Build(pop, policy.Default(), now, tt.findings...) {
				got = append(got, c.Links...)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("links (-want +got):\n%s", diff)
			}
		})
	}
}
