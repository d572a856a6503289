package activity

import (
	"math"
	"time"
)

// The working-week templates: relative activity by local hour of day
// (weekdays), a weekend factor, and the share of activity spread evenly
// over the week whatever the hour (night owls, on-call, travel). Work
// (audit actions, commits) fills the working day; sign-ins crowd its start
// (a session opened in the morning lasts for hours), so they have their
// own template — fitting sign-ins to the work template would pull the
// estimate hours early for people who sign in once a day.
var (
	workHours = [24]float64{
		0.04, 0.02, 0.01, 0.01, 0.01, 0.02, 0.06, 0.20, 0.55, 0.90, 1.00, 1.00, // 00–11
		0.80, 0.90, 1.00, 1.00, 0.95, 0.70, 0.40, 0.30, 0.30, 0.25, 0.15, 0.08, // 12–23
	}
	signInHours = [24]float64{
		0.02, 0.01, 0.01, 0.01, 0.01, 0.03, 0.12, 0.45, 1.00, 1.00, 0.70, 0.45, // 00–11
		0.40, 0.50, 0.40, 0.30, 0.25, 0.20, 0.15, 0.15, 0.15, 0.10, 0.06, 0.03, // 12–23
	}
)

const (
	weekendFactor = 0.2
	uniformShare  = 0.1
	binMinutes    = 15
	binsPerDay    = 24 * 60 / binMinutes
	binsPerWeek   = 7 * binsPerDay
)

// Template kinds.
const (
	workKind = iota
	signInKind
	kinds
)

// logTemplates are log q(bin) for the local week, Monday 00:00 first, of
// each kind.
var logTemplates = [kinds][binsPerWeek]float64{workKind: logTemplate(&workHours), signInKind: logTemplate(&signInHours)}

// kindOf says which template a touch follows.
func kindOf(t Touch) int {
	if t.Event != nil && t.Event.SignIn != nil {
		return signInKind
	}
	return workKind
}

func logTemplate(hours *[24]float64) [binsPerWeek]float64 {
	var q [binsPerWeek]float64
	var total float64
	for b := range binsPerWeek {
		day, h := b/binsPerDay, b%binsPerDay/(60/binMinutes)
		w := hours[h]
		if day >= 5 {
			w *= weekendFactor
		}
		q[b] = w
		total += w
	}
	var out [binsPerWeek]float64
	for b := range binsPerWeek {
		out[b] = math.Log((1-uniformShare)*q[b]/total + uniformShare/binsPerWeek)
	}
	return out
}

// weekBin is the 15-minute bin of the week (Monday 00:00 = 0) of t in the
// zone at offset minutes east of UTC.
func weekBin(t time.Time, offsetMin int) int {
	l := t.UTC().Add(time.Duration(offsetMin) * time.Minute)
	day := (int(l.Weekday()) + 6) % 7
	return day*binsPerDay + (l.Hour()*60+l.Minute())/binMinutes
}

// Candidate offsets: every half hour from UTC−12 to UTC+14.
const (
	minOffset  = -12 * 60
	maxOffset  = 14 * 60
	offsetStep = 30
)

// Thresholds of an estimate.
const (
	// minTouches and minDays: less activity gives no estimate.
	minTouches = 30
	minDays    = 8
	// fullTouches: the sample size at which size no longer limits
	// confidence.
	fullTouches = 150
	// workStart, workEnd bound the local working day used for the
	// concentration (07:00–20:00).
	workStart, workEnd = 8, 19
	// minConcentration: a smaller share of touches inside the fitted
	// working day means a flat or two-humped histogram.
	minConcentration = 0.65
	// farMinutes: alternatives at least this far (around the clock) from
	// the best fit measure the margin; nearer offsets are the same day
	// shifted a little.
	farMinutes = 360
	// marginLow, marginHigh: mean log-likelihood per touch by which the
	// best fit beats the best far alternative, from no confidence to full.
	marginLow, marginHigh = 0.15, 0.6
	// MinConfidence: estimates below it are not to be acted on.
	MinConfidence = 0.25
)

// Estimate is the inferred UTC offset of a person's working day.
type Estimate struct {
	Offset     int     // minutes east of UTC of the best fit
	Confidence float64 // 0 when the activity does not single out an offset
	Touches    int
	Days       int     // distinct UTC days with a touch
	Margin     float64 // mean log-likelihood per touch over the best far alternative
	// Concentration is the share of touches between 07:00 and 20:00 at
	// the best offset.
	Concentration float64
	// CommitOffset is the most common non-zero commit UTC offset and
	// CommitShare its share of commits with a non-zero offset (0 when
	// there are none).
	CommitOffset int
	CommitShare  float64
	Commits      int // commits with a non-zero offset
	// Why explains a zero confidence: "too little activity", "flat or
	// two-humped hours".
	Why string
}

// Decided reports whether the estimate is confident enough to act on.
func (e Estimate) Decided() bool { return e.Confidence >= MinConfidence }

// Infer estimates the UTC offset of the working day behind ts.
func Infer(ts []Touch) Estimate {
	est := Estimate{Touches: len(ts)}
	days := map[int64]bool{}
	var counts [kinds][binsPerWeek]float64
	commits := map[int]int{}
	for _, t := range ts {
		days[t.At.Unix()/86400] = true
		counts[kindOf(t)][weekBin(t.At, 0)]++
		if c := t.Event.Commit; c != nil {
			if _, off := c.AuthorTime.Zone(); off != 0 {
				commits[off/60]++
				est.Commits++
			}
		}
	}
	est.Days = len(days)
	for o, n := range commits {
		if n > commits[est.CommitOffset] || (n == commits[est.CommitOffset] && o < est.CommitOffset) {
			est.CommitOffset = o
		}
	}
	if est.Commits > 0 {
		est.CommitShare = float64(commits[est.CommitOffset]) / float64(est.Commits)
	}
	if len(ts) == 0 {
		est.Why = "no activity"
		return est
	}
	ll := map[int]float64{}
	best := minOffset
	filled := filledBins(&counts)
	for o := minOffset; o <= maxOffset; o += offsetStep {
		ll[o] = logLik(filled, o)
		if ll[o] > ll[best] {
			best = o
		}
	}
	est.Offset = best
	far := math.Inf(-1)
	for o, v := range ll {
		if AroundTheClock(o, best) >= farMinutes && v > far {
			far = v
		}
	}
	n := float64(len(ts))
	est.Margin = (ll[best] - far) / n
	var in int
	for _, t := range ts {
		h := t.At.Add(time.Duration(best) * time.Minute).Hour()
		if h >= workStart && h < workEnd {
			in++
		}
	}
	est.Concentration = float64(in) / n
	switch {
	case len(ts) < minTouches || est.Days < minDays:
		est.Why = "too little activity"
		return est
	case est.Concentration < minConcentration:
		est.Why = "flat or two-humped hours"
		return est
	}
	conf := ramp(est.Margin, marginLow, marginHigh) * (0.5 + 0.5*ramp(n, minTouches, fullTouches))
	if est.Commits >= 5 && est.CommitShare >= 0.6 {
		switch d := AroundTheClock(est.CommitOffset, best); {
		case d <= 60:
			conf = min(1, conf*1.2) // the machines' clocks agree
		case d >= farMinutes:
			conf *= 0.6 // they point elsewhere: a clock set on purpose, or a wrong fit
		}
	}
	est.Confidence = math.Round(conf*100) / 100
	if est.Confidence == 0 {
		est.Why = "flat or two-humped hours"
	}
	return est
}

func logLik(filled []bin, offsetMin int) float64 {
	shift := offsetMin / binMinutes
	var s float64
	for _, f := range filled {
		s += f.count * logTemplates[f.kind][((f.bin+shift)%binsPerWeek+binsPerWeek)%binsPerWeek]
	}
	return s
}

// bin is one week bin of one kind of touch that holds touches.
type bin struct {
	kind, bin int
	count     float64
}

// filledBins lists the bins of counts that hold touches, in the order of
// kind then bin (so that logLik adds them up in a fixed order): a person's
// few hundred touches fill a few of the week's bins, and each offset tried
// then costs as many steps as there are filled bins, not bins.
func filledBins(counts *[kinds][binsPerWeek]float64) []bin {
	var out []bin
	for k := range kinds {
		for b, c := range counts[k] {
			if c != 0 {
				out = append(out, bin{k, b, c})
			}
		}
	}
	return out
}

// MeanLogLik is the mean log-likelihood per touch of ts under the
// template in loc (DST-aware), comparable with an estimate's fit.
func MeanLogLik(ts []Touch, loc *time.Location) float64 {
	if len(ts) == 0 {
		return 0
	}
	var s float64
	for _, t := range ts {
		s += logTemplates[kindOf(t)][weekBin(t.At, OffsetAt(loc, t.At))]
	}
	return s / float64(len(ts))
}

// FitAt is the mean log-likelihood per touch of ts at a fixed offset.
func FitAt(ts []Touch, offsetMin int) float64 {
	return MeanLogLik(ts, time.FixedZone("", offsetMin*60))
}

// AroundTheClock is the distance in minutes between two offsets on the
// 24-hour clock (UTC−10 and UTC+14 keep the same hours: distance 0).
func AroundTheClock(a, b int) int {
	d := ((a-b)%1440 + 1440) % 1440
	return min(d, 1440-d)
}

func ramp(x, lo, hi float64) float64 {
	return min(1, max(0, (x-lo)/(hi-lo)))
}
