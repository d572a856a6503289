package notify

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/report"
)

// Change is one person's level change as one receiver sees it: Previous is
// the level last announced to that receiver ("none" when nothing was).
type Change struct {
	Person     string
	Name       string
	Login      string // the roster's login (or first mailbox); "" for applicants
	Kind       string
	Previous   string
	Announced  bool // Previous was announced (else it is unknown to the receiver)
	Current    string
	Score      int
	Indicators []IndicatorRef // indicators that carried weight, strongest first
	// ID is the change's idempotency key (the SET's jti, the webhook's
	// delivery id, the syslog message's id): the same for the same
	// receiver, person, announcement number, levels and findings.
	ID string
}

// IndicatorRef names an indicator without personal data.
type IndicatorRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// rank orders level names (none 0 … critical 4); -1 for an unknown name.
func rank(level string) int { return slices.Index(policy.LevelNames, level) }

// crosses reports whether moving from prev to cur is announced under min:
// a change that starts or ends at min or above.
func crosses(prev, cur, min string) bool {
	return prev != cur && (rank(cur) >= rank(min) || rank(prev) >= rank(min))
}

// reasonIndicators is how many indicators Reason names.
const reasonIndicators = 5

// Reason is a person-free summary of why the level is what it is, naming
// the strongest indicators: "rollcall score 81 (high): APP-01 Contact
// reuse; PAY-03 Shared payout; and 3 more".
func (c Change) Reason() string {
	var b strings.Builder
	b.WriteString("rollcall score " + strconv.Itoa(c.Score) + " (" + c.Current + ")")
	for i, in := range c.Indicators {
		if i == reasonIndicators {
			b.WriteString("; and " + strconv.Itoa(len(c.Indicators)-i) + " more")
			break
		}
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(in.ID + " " + in.Name)
	}
	return b.String()
}

// changeID derives a change's idempotency key.
func changeID(sink string, seq int, p *report.Person, prev string, inds []IndicatorRef) string {
	h := sha256.New()
	for _, s := range []string{"rollcall-notify-v1", sink, p.ID, strconv.Itoa(seq), prev, p.Level, strconv.Itoa(p.Score)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, in := range inds {
		h.Write([]byte(in.ID))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// indicatorRefs lists the indicators that added points to the person,
// most points first.
func indicatorRefs(p *report.Person) []IndicatorRef {
	inds := slices.Clone(p.Indicators)
	slices.SortStableFunc(inds, func(a, b report.Indicator) int { return cmp.Compare(b.Points, a.Points) })
	var out []IndicatorRef
	for _, in := range inds {
		if in.Suppressed != "" || in.Points <= 0 {
			continue
		}
		if !slices.ContainsFunc(out, func(r IndicatorRef) bool { return r.ID == in.ID }) {
			out = append(out, IndicatorRef{ID: in.ID, Name: in.Name})
		}
	}
	return out
}

// Logins maps each rostered person's id to the login the identity
// provider knows them by: the roster's userName when it is a mailbox,
// else the first roster mailbox. Applicants have none.
func Logins(pop *profile.Population) map[string]string {
	out := map[string]string{}
	if pop == nil {
		return out
	}
	for id, p := range pop.ByID {
		hr := p.HR()
		if hr == nil {
			continue
		}
		switch {
		case strings.Contains(hr.UserName, "@"):
			out[id] = strings.ToLower(strings.TrimSpace(hr.UserName))
		case len(hr.Emails) > 0:
			out[id] = strings.ToLower(strings.TrimSpace(hr.Emails[0]))
		}
	}
	return out
}
