package activity

import (
	"iter"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

// Setting is a time-zone setting as a system writes it: an IANA name, an
// abbreviation, a Windows zone name or a numeric offset. Ambiguous
// abbreviations ("CST": US Central, China, Cuba) keep every reading.
type Setting struct {
	Label string           // as written, trimmed
	Locs  []*time.Location // the readings valid at any time
	// abbr is set when Label is a zone abbreviation, read at each time
	// from the zones that use it then (see abbreviations.go).
	abbr bool
	// UTC is set for a clock set to UTC itself ("UTC", "Etc/UTC"): servers,
	// CI runners and some developers' machines; it says nothing about
	// where the person is. "GMT" is not UTC: it is the UK's winter time.
	UTC bool
}

// Offsets returns the distinct UTC offsets (minutes, ascending) of the
// setting's readings at t.
func (s Setting) Offsets(t time.Time) []int {
	var out []int
	for _, l := range s.Locs {
		out = append(out, OffsetAt(l, t))
	}
	if s.abbr {
		out = append(out, abbreviationOffsets(s.Label, t)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Reading is one thing a clock setting can mean at a time: an offset, and,
// for abbreviations read from the tz database, the zone that uses it then
// with its country and location (for anything else the country is left
// empty: an IANA name or a Windows name is compared by offset only).
type Reading struct {
	Offset   int // minutes east of UTC
	Zone     string
	Country  string
	Lat, Lon float64
	Located  bool
}

// Readings returns what the setting can mean at t.
func (s Setting) Readings(t time.Time) []Reading { return slices.Collect(s.readings(t)) }

// readings yields what Readings returns, without allocating it.
func (s Setting) readings(t time.Time) iter.Seq[Reading] {
	return func(yield func(Reading) bool) {
		for _, l := range s.Locs {
			if !yield(Reading{Offset: OffsetAt(l, t), Zone: l.String()}) {
				return
			}
		}
		if s.abbr {
			for r := range eachAbbreviationReading(s.Label, t) {
				if !yield(r) {
					return
				}
			}
		}
	}
}

// utcNames are settings that mean "the clock is on UTC".
var utcNames = map[string]bool{
	"utc": true, "etc/utc": true, "etc/universal": true, "universal": true, "zulu": true, "etc/zulu": true, "z": true,
	"coordinated universal time": true, "utc+0": true, "utc+00:00": true, "etc/gmt": true, "etc/gmt0": true, "etc/gmt+0": true,
	"etc/gmt-0": true, "gmt0": true, "utc standard time": true, "+00": true, "+0000": true, "+00:00": true, "-00": true,
}

// windowsZones maps Windows time-zone standard names (lower case, as
// Windows and osquery on Windows write them) to their standard UTC offset in
// minutes. "… Daylight Time" is read as the standard name plus one hour.
var windowsZones = map[string]int{
	"dateline standard time": -720, "utc-11": -660, "hawaiian standard time": -600, "alaskan standard time": -540,
	"pacific standard time": -480, "pacific standard time (mexico)": -480, "us mountain standard time": -420,
	"mountain standard time": -420, "mountain standard time (mexico)": -420, "central standard time": -360,
	"central america standard time": -360, "canada central standard time": -360, "central standard time (mexico)": -360,
	"eastern standard time": -300, "us eastern standard time": -300, "sa pacific standard time": -300,
	"eastern standard time (mexico)": -300, "atlantic standard time": -240, "sa western standard time": -240,
	"venezuela standard time": -240, "pacific sa standard time": -240, "newfoundland standard time": -210,
	"e. south america standard time": -180, "argentina standard time": -180, "sa eastern standard time": -180,
	"montevideo standard time": -180, "greenland standard time": -180, "utc-02": -120, "azores standard time": -60,
	"gmt standard time": 0, "greenwich standard time": 0, "w. europe standard time": 60,
	"central europe standard time": 60, "central european standard time": 60, "romance standard time": 60,
	"w. central africa standard time": 60, "morocco standard time": 0, "gtb standard time": 120,
	"e. europe standard time": 120, "fle standard time": 120, "south africa standard time": 120,
	"israel standard time": 120, "egypt standard time": 120, "kaliningrad standard time": 120,
	"russian standard time": 180, "arab standard time": 180, "arabic standard time": 180, "e. africa standard time": 180,
	"turkey standard time": 180, "belarus standard time": 180, "iran standard time": 210, "arabian standard time": 240,
	"azerbaijan standard time": 240, "georgian standard time": 240, "caucasus standard time": 240,
	"afghanistan standard time": 270, "pakistan standard time": 300, "west asia standard time": 300,
	"ekaterinburg standard time": 300, "india standard time": 330, "sri lanka standard time": 330,
	"nepal standard time": 345, "bangladesh standard time": 360, "central asia standard time": 360,
	"omsk standard time": 360, "myanmar standard time": 390, "se asia standard time": 420,
	"n. central asia standard time": 420, "north asia standard time": 420, "china standard time": 480,
	"singapore standard time": 480, "taipei standard time": 480, "w. australia standard time": 480,
	"north asia east standard time": 480, "ulaanbaatar standard time": 480, "tokyo standard time": 540,
	"korea standard time": 540, "north korea standard time": 540, "yakutsk standard time": 540,
	"aus central standard time": 570, "cen. australia standard time": 570, "aus eastern standard time": 600,
	"e. australia standard time": 600, "vladivostok standard time": 600, "west pacific standard time": 600,
	"tasmania standard time": 600, "magadan standard time": 660, "central pacific standard time": 660,
	"new zealand standard time": 720, "fiji standard time": 720, "tonga standard time": 780,
}

// numericOffset reads "+09", "+0530", "-03:00", "UTC+9", "GMT-05:00",
// "UTC+05:30".
var numericOffset = regexp.MustCompile(`^(?i:utc|gmt)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$`)

// ParseSetting reads a time-zone setting. ok is false when the label is
// empty or unknown. A UTC setting is returned with UTC set and ok true.
func ParseSetting(label string) (Setting, bool) {
	label = strings.TrimSpace(label)
	s := Setting{Label: label}
	if label == "" {
		return s, false
	}
	lower := strings.ToLower(label)
	if utcNames[lower] {
		s.UTC = true
		s.Locs = []*time.Location{time.UTC}
		return s, true
	}
	if strings.Contains(label, "/") {
		if loc, err := time.LoadLocation(label); err == nil {
			s.Locs = []*time.Location{loc}
			if strings.HasPrefix(lower, "etc/") && OffsetAt(loc, time.Time{}) == 0 {
				s.UTC = true
			}
			return s, true
		}
	}
	if knownAbbreviation(label) {
		s.abbr = true
		return s, true
	}
	if o, ok := windowsZones[lower]; ok {
		s.Locs = []*time.Location{time.FixedZone(label, o*60)}
		return s, true
	}
	if std, ok := strings.CutSuffix(lower, " daylight time"); ok {
		if o, ok := windowsZones[std+" standard time"]; ok {
			s.Locs = []*time.Location{time.FixedZone(label, (o+60)*60)}
			return s, true
		}
	}
	if m := numericOffset.FindStringSubmatch(label); m != nil {
		h, _ := strconv.Atoi(m[2])
		mins, _ := strconv.Atoi(m[3]) // "" gives 0
		o := h*60 + mins
		if m[1] != "+" {
			o = -o
		}
		if o == 0 {
			s.UTC = true
		}
		if o < -720 || o > 840 {
			return s, false
		}
		s.Locs = []*time.Location{time.FixedZone(label, o*60)}
		return s, true
	}
	if loc, err := time.LoadLocation(label); err == nil { // "Japan", "Singapore", "EST5EDT"
		s.Locs = []*time.Location{loc}
		return s, true
	}
	return s, false
}

// Clock columns of the osquery time table (and of custom queries that add
// the zone name).
const (
	colLocalTimezone = "local_timezone" // osquery: the system's zone abbreviation or Windows name
	colTimezone      = "timezone"       // osquery ≥ 4: always "UTC"; older versions: the local zone
	colLocalTime     = "local_time"     // older osquery: local UNIX time
	colUnixTime      = "unix_time"
	colZoneName      = "zone_name" // custom queries (e.g. readlink /etc/localtime)
)

// DeviceSetting reads the time-zone setting of an endpoint from one row of
// the osquery time table: local_timezone (an abbreviation such as "KST" on
// macOS and Linux, a name such as "Korea Standard Time" on Windows), an
// IANA name in a custom column, the legacy timezone column when it is not
// UTC, or, with older agents, local_time − unix_time. ok is false when the
// row says nothing usable; a UTC clock is returned with UTC set.
func DeviceSetting(row event.Row) (Setting, bool) {
	var utc Setting
	for _, col := range []string{colZoneName, colLocalTimezone, colTimezone} {
		s, ok := ParseSetting(row.Get(col))
		if !ok {
			continue
		}
		if !s.UTC {
			return s, true
		}
		if col != colTimezone { // osquery ≥ 4 hard-codes timezone=UTC
			utc = s
		}
	}
	if lt, ut := row.Get(colLocalTime), row.Get(colUnixTime); lt != "" && ut != "" {
		l, err1 := strconv.ParseInt(lt, 10, 64)
		u, err2 := strconv.ParseInt(ut, 10, 64)
		if err1 == nil && err2 == nil {
			d := float64(l-u) / 60
			o := int(math.Round(d/15) * 15)
			if o != 0 && o >= -720 && o <= 840 {
				label := "local_time " + FormatOffset(o)
				return Setting{Label: label, Locs: []*time.Location{time.FixedZone(label, o*60)}}, true
			}
		}
	}
	if utc.Label != "" {
		return utc, true
	}
	return Setting{}, false
}
