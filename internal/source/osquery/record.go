package osquery

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
)

// result is one line of the results log, in any of its three forms, with
// rows of type R: text rows (the default log, decoded fast) or scalar rows
// (--logger_numerics writes numbers and booleans).
type result[R any] struct {
	Name           string `json:"name"`
	HostIdentifier string `json:"hostIdentifier"`
	Hostname       string `json:"hostname"` // older releases, and the docs' examples
	CalendarTime   string `json:"calendarTime"`
	UnixTime       scalar `json:"unixTime"`
	Action         string `json:"action"`
	Columns        R      `json:"columns"`
	Snapshot       []R    `json:"snapshot"`
	DiffResults    *struct {
		Added   rowList[R] `json:"added"`
		Removed rowList[R] `json:"removed"`
	} `json:"diffResults"`
	Decorations R       `json:"decorations"`
	Message     *scalar `json:"message"` // only in status log lines
}

type (
	textRow   = map[string]string
	scalarRow = map[string]scalar
)

// rowList is the added or removed half of a batch. osquery writes an
// empty half as "" (or null) rather than []; any value that is not an
// array is kept as no rows, and odd remembers it, so that the other half
// is still read.
type rowList[R any] struct {
	rows []R
	odd  bool
}

func (l *rowList[R]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '[' {
		l.odd = len(b) > 0 && string(b) != "null"
		return nil
	}
	return gojson.Unmarshal(b, &l.rows)
}

// decodeResult decodes a line with text rows, and only when a value is
// not a string decodes it again with scalar rows.
func decodeResult(raw []byte) (*result[textRow], error) {
	var r result[textRow]
	err := gojson.Unmarshal(raw, &r)
	if err == nil {
		return &r, nil
	}
	var ute *gojson.UnmarshalTypeError
	if !errors.As(err, &ute) {
		return nil, source.UnmarshalError(err)
	}
	var sr result[scalarRow]
	if err := gojson.Unmarshal(raw, &sr); err != nil {
		return nil, source.UnmarshalError(err)
	}
	r = result[textRow]{
		Name: sr.Name, HostIdentifier: sr.HostIdentifier, Hostname: sr.Hostname, CalendarTime: sr.CalendarTime,
		UnixTime: sr.UnixTime, Action: sr.Action, Message: sr.Message,
		Columns: text(sr.Columns), Snapshot: texts(sr.Snapshot), Decorations: text(sr.Decorations),
	}
	if sr.DiffResults != nil {
		r.DiffResults = &struct {
			Added   rowList[textRow] `json:"added"`
			Removed rowList[textRow] `json:"removed"`
		}{rowList[textRow]{texts(sr.DiffResults.Added.rows), sr.DiffResults.Added.odd},
			rowList[textRow]{texts(sr.DiffResults.Removed.rows), sr.DiffResults.Removed.odd}}
	}
	return &r, nil
}

func text(r scalarRow) textRow {
	if r == nil {
		return nil
	}
	m := make(textRow, len(r))
	for k, v := range r {
		m[k] = v.s
	}
	return m
}

func texts(rs []scalarRow) []textRow {
	if rs == nil {
		return nil
	}
	out := make([]textRow, len(rs))
	for i, r := range rs {
		out[i] = text(r)
	}
	return out
}

// scalar accepts any JSON value and keeps its text: a string's contents,
// the literal text of a number or boolean (--logger_numerics writes
// numbers), "" for null, the raw text of an object or array.
type scalar struct {
	s   string
	set bool
}

func (v *scalar) UnmarshalJSON(b []byte) error {
	v.set = true
	switch {
	case len(b) == 0, string(b) == "null":
		v.set = false
		return nil
	case b[0] == '"':
		in := b[1 : len(b)-1]
		if bytes.IndexByte(in, '\\') < 0 && utf8.Valid(in) {
			v.s = string(in) // the common case: nothing to unescape
			return nil
		}
		if gojson.Unmarshal(b, &v.s) != nil {
			v.s = string(b) // cannot happen for a value the decoder accepted; keep the text
		}
		return nil
	}
	v.s = string(b)
	return nil
}

// knownKeys are the top-level keys of results and status log lines. Any
// other top-level key is a decoration written by --decorations_top_level.
var knownKeys = map[string]bool{
	"name": true, "hostIdentifier": true, "hostname": true, "calendarTime": true, "unixTime": true,
	"epoch": true, "counter": true, "numerics": true, "decorations": true, "columns": true,
	"snapshot": true, "action": true, "diffResults": true, "log_type": true,
	"severity": true, "filename": true, "line": true, "message": true, "version": true,
}

// DecorationPrefix starts the row keys that hold the line's decorations.
const DecorationPrefix = "decorations."

// DiffKey is the row key that says, in the batch form, whether a row was
// "added" or "removed". No osquery table has a column of that name.
const DiffKey = "diffResults"

// Results-log times before osquery existed or far in the future are
// rejected as not Unix seconds.
var (
	minTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

func parse(raw []byte) (*event.Event, error) {
	r, err := decodeResult(raw)
	if err != nil {
		return nil, err
	}
	host := r.HostIdentifier
	if host == "" {
		host = r.Hostname
	}
	if r.Columns == nil && r.Snapshot == nil && r.DiffResults == nil {
		if r.Message != nil {
			return nil, source.Fieldf("columns", "missing: this is an osquery status log line (severity/message), not a query result")
		}
		return nil, source.Fieldf("columns", "missing: a result needs columns, snapshot or diffResults")
	}
	if host == "" {
		return nil, source.Fieldf("hostIdentifier", "missing: a result needs hostIdentifier")
	}
	if r.Name == "" {
		return nil, source.Fieldf("name", "missing: a result needs the query name")
	}
	t, err := resultTime(r)
	if err != nil {
		return nil, err
	}

	d := &event.Device{HostID: host, Query: r.Name}
	dec := r.Decorations
	if dec == nil {
		dec = topLevelDecorations(raw)
	}
	switch {
	case r.DiffResults != nil:
		d.Action = "batch"
		added, removed := r.DiffResults.Added.rows, r.DiffResults.Removed.rows
		d.Rows = make([]event.Row, 0, len(added)+len(removed))
		for _, c := range added {
			d.Rows = append(d.Rows, row(c, dec, "added"))
		}
		for _, c := range removed {
			d.Rows = append(d.Rows, row(c, dec, "removed"))
		}
	case r.Snapshot != nil:
		if r.Action != "" && r.Action != "snapshot" {
			return nil, source.Fieldf("action", "%q with snapshot rows, want \"snapshot\"", truncate(r.Action, 32))
		}
		d.Action = "snapshot"
		d.Rows = make([]event.Row, 0, len(r.Snapshot))
		for _, c := range r.Snapshot {
			d.Rows = append(d.Rows, row(c, dec, ""))
		}
	default:
		if r.Action != "added" && r.Action != "removed" {
			return nil, source.Fieldf("action", "%q with columns, want \"added\" or \"removed\"", truncate(r.Action, 32))
		}
		d.Action = r.Action
		d.Rows = []event.Row{row(r.Columns, dec, "")}
	}
	d.Table = recogniseTable(d.Rows, r.Name)
	ev := &event.Event{Kind: event.KindDevice, Time: t, Device: d}
	if r.DiffResults != nil {
		ev.Prov.SetUnknown(source.UnknownFields(
			source.FieldState{Name: "diffResults.added", Unknown: r.DiffResults.Added.odd},
			source.FieldState{Name: "diffResults.removed", Unknown: r.DiffResults.Removed.odd}))
	}
	return ev, nil
}

// resultTime reads unixTime (seconds, as a string or number), else
// calendarTime in UTC ("Mon May  2 22:27:32 2016 UTC").
func resultTime(r *result[textRow]) (time.Time, error) {
	if r.UnixTime.set {
		sec, err := strconv.ParseInt(strings.TrimSpace(r.UnixTime.s), 10, 64)
		if err != nil {
			return time.Time{}, source.Fieldf("unixTime", "not Unix seconds: %q", truncate(r.UnixTime.s, 40))
		}
		if sec < minTime.Unix() || sec >= maxTime.Unix() {
			return time.Time{}, source.Fieldf("unixTime", "out of range: %d is not Unix seconds between 2000 and 2100", sec)
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	if r.CalendarTime == "" {
		return time.Time{}, source.Fieldf("unixTime", "missing: a result needs unixTime or calendarTime")
	}
	s, utc := strings.CutSuffix(strings.TrimSpace(r.CalendarTime), " UTC")
	t, err := time.Parse(time.ANSIC, s)
	if err != nil || !utc {
		// Without " UTC" osquery wrote local time (--utc=false, or releases
		// before 2.x) in a zone the line does not name.
		return time.Time{}, source.Fieldf("calendarTime", "not an osquery calendar time in UTC (\"Mon Jan  2 15:04:05 2006 UTC\") and no unixTime: %q", truncate(r.CalendarTime, 48))
	}
	if t.Before(minTime) || !t.Before(maxTime) {
		return time.Time{}, source.Fieldf("calendarTime", "out of range: %q is not between 2000 and 2100", truncate(r.CalendarTime, 48))
	}
	return t.UTC(), nil
}

// row completes one decoded result row in place: the decorations under
// DecorationPrefix, and in the batch form DiffKey. A null row becomes an
// empty one.
func row(cols, dec textRow, diff string) event.Row {
	if cols == nil {
		cols = make(textRow, len(dec)+1)
	}
	for k, v := range dec {
		cols[DecorationPrefix+k] = v
	}
	if diff != "" {
		cols[DiffKey] = diff
	}
	return event.NewRow(cols)
}

// topLevelDecorations collects the scalar top-level keys that are not part
// of the results format: decorations written with --decorations_top_level.
// It is only called for lines without a "decorations" object.
func topLevelDecorations(raw []byte) textRow {
	if !hasUnknownTopLevelKey(raw) {
		return nil // the common case, found without decoding again
	}
	var all map[string]gojson.RawMessage
	if gojson.Unmarshal(raw, &all) != nil {
		return nil
	}
	var dec textRow
	for k, v := range all {
		if knownKeys[k] || len(v) == 0 || v[0] == '{' || v[0] == '[' {
			continue
		}
		var s scalar
		if s.UnmarshalJSON(v) != nil || !s.set {
			continue
		}
		if dec == nil {
			dec = textRow{}
		}
		dec[k] = s.s
	}
	return dec
}

// hasUnknownTopLevelKey reports whether the object raw, which has already
// decoded as valid JSON, has a top-level key outside knownKeys. It scans
// without allocating.
func hasUnknownTopLevelKey(raw []byte) bool {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return false
	}
	i++
	for {
		i = skipSpace(raw, i)
		if i >= len(raw) || raw[i] != '"' {
			return false // '}' or malformed: no more keys
		}
		end := skipString(raw, i)
		if !knownKeys[string(raw[i+1:end-1])] {
			return true
		}
		i = skipSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return false
		}
		i = skipValue(raw, skipSpace(raw, i+1))
		i = skipSpace(raw, i)
		if i >= len(raw) || raw[i] != ',' {
			return false
		}
		i++
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"'.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index after the JSON value starting at b[i].
func skipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			i = skipString(b, i)
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth <= 0 {
				return i + 1
			}
		case ',':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return i
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
