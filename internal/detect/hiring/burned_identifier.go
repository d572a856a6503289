package hiring

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/watchlist"
)

// BurnedIdentifier is APP-20: a person reuses an identifier of a confirmed
// operative (the watchlist of burned identities, policy.Watchlist).
type BurnedIdentifier struct{}

var _ detect.Indicator = (*BurnedIdentifier)(nil)

// ID implements detect.Indicator.
func (*BurnedIdentifier) ID() string { return "APP-20" }

// Name implements detect.Indicator.
func (*BurnedIdentifier) Name() string { return "Reuses an identifier of a confirmed operative" }

// Stage implements detect.Indicator.
func (*BurnedIdentifier) Stage() detect.Stage { return detect.StageHiring }

// Strength implements detect.Indicator.
func (*BurnedIdentifier) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator.
func (*BurnedIdentifier) Sources() []string {
	return []string{"payroll", "shipments", "osquery", "scim", "greenhouse", "github-users", "github", "okta", "entra", "gworkspace"}
}

// Weight implements detect.Indicator.
func (*BurnedIdentifier) Weight() float64 { return 60 }

// Confidence by kind: an address can pass to the next tenant and a home IP
// to the next subscriber; the others are held by one operation.
var burnedConfidence = map[string]float64{
	policy.BurnedAddress: 0.6,
	policy.BurnedIP:      0.5,
}

// Description implements detect.Indicator.
func (*BurnedIdentifier) Description() string {
	return "The person holds a phone number, mailbox, payout account, postal address, device serial, locating IP address " +
		"or GitHub handle that is on the watchlist: it belonged to someone an analyst confirmed as an operative (a confirmed " +
		"verdict in the workbench puts the person's identifiers on the list; lists can be exchanged as CSV). Operations " +
		"rotate personas but reuse infrastructure: a facilitator's payout account, a laptop farm's address or a handler's " +
		"phone reappears on the next applicant. The evidence names the burned case. Known false positives: an address " +
		"re-let to a new tenant or a residential IP reassigned by the ISP (both counted at lower confidence); a phone " +
		"number recycled by the carrier after a long time."
}

// References implements detect.Indicator.
func (*BurnedIdentifier) References() []string {
	return []string{
		"Google Threat Intelligence Group, DPRK IT workers expanding in scope and scale, April 2025 (operations persist after one persona is exposed)",
		"US DOJ, coordinated actions against North Korean remote IT worker schemes, 30 June 2025 (laptop farms and financial accounts reused across identities)",
	}
}

// Detect implements detect.Indicator.
func (d *BurnedIdentifier) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	if in.Policy == nil || len(in.Policy.Watchlist) == 0 {
		return nil, nil
	}
	burned := map[[2]string][]policy.Burned{}
	var prefixLens []int // lengths of shortened payout fingerprints ("1a2b3c4d…", as reports and STIX bundles share them)
	for _, b := range in.Policy.Watchlist {
		k := [2]string{b.Kind, b.Value}
		burned[k] = append(burned[k], b)
		if p, ok := strings.CutSuffix(b.Value, "…"); ok && b.Kind == policy.BurnedPayout && p != "" && !slices.Contains(prefixLens, len(p)) {
			prefixLens = append(prefixLens, len(p))
		}
	}
	entries := func(id watchlist.Identifier) []policy.Burned {
		out := burned[[2]string{id.Kind, id.Value}]
		if id.Kind != policy.BurnedPayout {
			return out
		}
		for _, n := range prefixLens {
			if len(id.Value) > n {
				out = append(out, burned[[2]string{id.Kind, id.Value[:n] + "…"}]...)
			}
		}
		return out
	}
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("APP-20: %w", err)
		}
		var (
			ev    []detect.Evidence
			parts []string
			conf  float64
		)
		for _, id := range watchlist.Of(p) {
			var cases []string
			for _, b := range entries(id) {
				if b.Person == p.ID {
					continue // the operative's own identifiers
				}
				cases = append(cases, burnedCase(b))
			}
			if len(cases) == 0 {
				continue
			}
			c, ok := burnedConfidence[id.Kind]
			if !ok {
				c = 1
			}
			conf = max(conf, c)
			shown := id.Value
			if id.Kind == policy.BurnedPayout && len(shown) > 8 {
				shown = shown[:8] + "…" // a salted fingerprint: enough to tell accounts apart, as PAY-01 shows it
			}
			parts = append(parts, fmt.Sprintf("%s %s is burned (%s)", id.Kind, shown, strings.Join(cases, "; ")))
			ev = append(ev, detect.EvidenceOf(id.From, "%s %s on %s, on the watchlist from %s", id.Kind, shown, burnedRecordLabel(id.From), strings.Join(cases, "; ")))
		}
		if len(ev) == 0 {
			continue
		}
		ev, more := detect.CapEvidence(ev)
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: strings.Join(parts, "; ") + more, Confidence: conf, Evidence: ev})
	}
	return out, nil
}

// burnedCase names the case an entry came from: "case 7 (operative E1042,
// confirmed 2025-03-01)", or "case 7 of tenant acme (…)" for an entry
// another tenant shares.
func burnedCase(b policy.Burned) string {
	s := b.Case
	if s == "" {
		s = "imported watchlist"
	}
	if b.Tenant != "" {
		s += " of tenant " + b.Tenant
	}
	var extra []string
	if b.Person != "" {
		extra = append(extra, "operative "+b.Person)
	}
	if !b.Added.IsZero() {
		extra = append(extra, "burned "+b.Added.Format(time.DateOnly))
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}

// burnedRecordLabel names the record holding an identifier: a roster or
// candidate record as recordLabel does, else the source and date.
func burnedRecordLabel(e *event.Event) string {
	if e.Applicant != nil || e.Person != nil {
		return recordLabel(e)
	}
	return "a " + e.Prov.Source() + " record of " + e.Time.Format(time.DateOnly)
}

// Examples implements detect.Indicator: a new hire paid into the payout
// account of an operative confirmed in case 12; and a new hire whose only
// overlap with the list is a different account.
func (*BurnedIdentifier) Examples() detect.Examples {
	list := []policy.Burned{{Kind: policy.BurnedPayout, Value: "9f2c4e7a1b3d5f60a8c2e4b6d8f0a1c3", Case: "case 12", Person: "E4410",
		Added: exampleTime.AddDate(0, -1, 0)}}
	hire := func(id, fingerprint string) []*event.Event {
		return []*event.Event{
			rosterRecord(1, event.Person{EmployeeID: id, SCIMID: "u-" + id, UserName: strings.ToLower(id) + "@example.com", Name: "Alex Morgan"}),
			{Kind: event.KindPayout, Time: exampleTime.AddDate(0, 0, 14),
				Prov: event.Provenance{Origin: &event.Origin{Source: "payroll", File: "examples/payroll.csv"}, Record: 3, Line: 4},
				Payout: &event.Payout{EmployeeID: id, EffectiveDate: exampleTime.AddDate(0, 0, 14), Method: "bank",
					AccountFingerprint: fingerprint, BankCountry: "US"}},
		}
	}
	return detect.Examples{
		Positive: detect.Example{Name: "payout_account_of_burned_operative", Events: hire("E5120", "9F2C4E7A1B3D5F60A8C2E4B6D8F0A1C3"), Person: "E5120", Watchlist: list},
		Negative: detect.Example{Name: "own_account_not_listed", Events: hire("E5121", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"), Person: "E5121", Watchlist: list},
	}
}
