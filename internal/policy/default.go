package policy

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Level names, lowest first. A score below Levels.Low is LevelNone.
const (
	LevelNone     = "none"
	LevelLow      = "low"
	LevelMedium   = "medium"
	LevelHigh     = "high"
	LevelCritical = "critical"
)

// LevelNames lists the level names from lowest to highest.
var LevelNames = []string{LevelNone, LevelLow, LevelMedium, LevelHigh, LevelCritical}

// fairnessSensitive are indicators whose observable is linked to
// nationality, language, locale or time zone (INDICATORS.md, "Fairness").
// They are always weak, whatever the policy file says, and Validate
// refuses a weak list that leaves any of them out.
var fairnessSensitive = []string{
	"APP-02", // claimed US home with overseas education only
	"END-07", // OS locale, keyboard layout or IME
	"IAM-06", // activity hours fit another time zone
	"COL-02", // commit UTC offsets
}

// FairnessSensitive returns the IDs of the indicators that are always weak
// because their observable is linked to nationality, language, locale or
// time zone.
func FairnessSensitive() []string { return slices.Clone(fairnessSensitive) }

// Default returns the documented default policy (configs/policy.yaml
// writes the same values out with an explanation of every key).
func Default() *Policy {
	return &Policy{
		Weights: map[string]float64{},
		Levels: Levels{
			Low:      10,
			Medium:   35,
			High:     60,
			Critical: 80,
		},
		StageDecay: 0.5,
		Weak:       FairnessSensitive(),
		Cluster: Cluster{
			MaxIPSharers:         4,
			MaxAddressSharers:    6,
			MaxIdentifierSharers: 6,
			MaxPayoutSharers:     12,
			MaxCellSize:          40,
			Bonus:                20,
			CarrierASNs:          []uint32{},
		},
		Allow: Allow{
			VPNASNs:         []ASNEntry{},
			Egress:          []PrefixEntry{},
			Travel:          []TravelEntry{},
			SharedAddresses: []AddressEntry{},
			Tools:           []ToolEntry{},
			People:          []PersonEntry{},
		},
		Sigma: Sigma{Rules: []string{}},
	}
}

// IsWeak reports whether the indicator is weak under the policy: listed in
// Weak, or fairness-sensitive (always weak); SIG-01 (Sigma rules) is weak
// unless sigma.strong is set. The scorer also treats every
// indicator of catalogue strength L as weak.
func (p *Policy) IsWeak(id string) bool {
	if strings.EqualFold(id, SigmaIndicator) && !p.Sigma.Strong {
		return true
	}
	for _, w := range p.Weak {
		if strings.EqualFold(w, id) {
			return true
		}
	}
	for _, w := range fairnessSensitive {
		if strings.EqualFold(w, id) {
			return true
		}
	}
	return false
}

// Weight returns the policy's weight for an indicator, if it sets one.
func (p *Policy) Weight(id string) (float64, bool) {
	if w, ok := p.Weights[id]; ok {
		return w, true
	}
	for k, w := range p.Weights {
		if strings.EqualFold(k, id) {
			return w, true
		}
	}
	return 0, false
}

// Of returns the level of a score.
func (l Levels) Of(score float64) string {
	switch {
	case score >= l.Critical:
		return LevelCritical
	case score >= l.High:
		return LevelHigh
	case score >= l.Medium:
		return LevelMedium
	case score >= l.Low:
		return LevelLow
	}
	return LevelNone
}

// Min returns the lowest score of the named level (case-insensitive), for
// flags such as --fail-on.
func (l Levels) Min(level string) (float64, error) {
	switch strings.ToLower(strings.TrimSpace(level)) {
	case LevelNone:
		return 0, nil
	case LevelLow:
		return l.Low, nil
	case LevelMedium:
		return l.Medium, nil
	case LevelHigh:
		return l.High, nil
	case LevelCritical:
		return l.Critical, nil
	}
	return 0, fmt.Errorf("level %q: want one of %s", level, strings.Join(LevelNames, ", "))
}

// BelowMedium is the highest whole score that is still below the medium
// level: where the corroboration rule holds weak-only people.
func (l Levels) BelowMedium() float64 { return math.Ceil(l.Medium) - 1 }
