// Package gitlog reads commit history written by git log in one fixed
// format: one commit per line, fields separated by the ASCII unit
// separator (0x1F), produced by
//
//	git log --format='%H%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI'
//
// The fields are the commit hash (40 hex digits, or 64 in SHA-256
// repositories), author name, author email, author date (strict ISO 8601,
// %aI), committer name, committer email and committer date (%cI). An
// optional eighth field names the repository; since git copies literal text
// from the format string, append it there:
//
//	git log --format='%H%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI%x1fcontoso/payments-api'
//
// Each line becomes one event.KindCommit event. Time is the author date
// with the author's UTC offset kept (COL-02 reads it); Actor is the author
// (Email lower-cased, DisplayName the name); Prov.ID is the hash. Blank
// lines are skipped and are not records. A line is rejected, with its line
// number and the field to blame, when it has the wrong number of fields, a
// malformed hash, a malformed date or one outside 1970–2100, or neither author name nor email.
package gitlog

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "gitlog"

// sep separates fields on a line (%x1f in the git format string).
const sep = '\x1f'

// fieldNames name the fields in order, for rejections.
var fieldNames = [...]string{"hash", "author_name", "author_email", "author_date", "committer_name", "committer_email", "committer_date", "repo"}

// Git stores commit times as seconds since 1970; dates outside this window
// are corrupt.
var (
	minTime = time.Unix(0, 0)
	maxTime = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

const (
	minFields = 7
	maxFields = 8
)

// Format reads git log output in the format above.
type Format struct{}

var _ source.Format = (*Format)(nil)

// New returns the git log format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "git history: git log --format='%H%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI' (optional 8th field: repository)"
}

// Sniff implements source.Format. It claims content whose first non-blank
// line has 7 or 8 fields separated by 0x1F, the first being a commit hash.
func (*Format) Sniff(head []byte) bool {
	for len(head) > 0 {
		line := head
		i := bytes.IndexByte(head, '\n')
		if i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		n := bytes.Count(line, []byte{sep}) + 1
		if n < minFields || (n > maxFields && i >= 0) {
			return false
		}
		hash, _, _ := bytes.Cut(line, []byte{sep})
		return isHash(hash)
	}
	return false
}

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	br := bufio.NewReaderSize(r, 64<<10)
	lineNo, record := 0, 0
	in := source.NewInterner()                      // author names and emails repeat commit after commit
	origin := &event.Origin{Source: ID, File: file} // shared by every commit of the file
	for {
		if lineNo%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line, tooLong, err := readLine(br)
		if err == nil || len(line) > 0 || tooLong {
			lineNo++ // a terminated line, or a last line without a newline
		}
		switch {
		case tooLong:
			record++
			sink.Reject(source.Rejection{File: file, Line: lineNo, Record: record,
				Reason: fmt.Sprintf("line longer than %d bytes", source.MaxRecordSize)})
		case len(bytes.TrimSpace(line)) > 0:
			record++
			ev, perr := parseLine(line, in)
			if perr != nil {
				rej := source.Rejection{File: file, Line: lineNo, Record: record, Reason: perr.Error()}
				var fe *source.FieldError
				if errors.As(perr, &fe) {
					rej.Field, rej.Reason = fe.Field, fe.Err.Error()
				}
				sink.Reject(rej)
				break
			}
			ev.Prov = event.Provenance{Origin: origin, Record: record, Line: lineNo, ID: ev.Commit.Hash, Hash: source.RecordHash(line)}
			in.Event(ev)
			sink.Event(ev)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading %q: %w", file, err)
		}
	}
}

// readLine reads one line without its line ending, never buffering more
// than source.MaxRecordSize: a longer line is consumed and reported as
// tooLong. At the end of input it returns io.EOF with the last line, if
// any. The returned slice is only valid until the next read.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	chunk, err := br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return bytes.TrimRight(chunk, "\r\n"), false, err // the common case: the line fits the buffer
	}
	buf := append([]byte(nil), chunk...)
	for {
		chunk, err = br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > source.MaxRecordSize+1 {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(buf, "\r\n"), tooLong, err
	}
}

// parseLine turns one line into a commit event.
func parseLine(line []byte, in *source.Interner) (*event.Event, error) {
	n := bytes.Count(line, []byte{sep}) + 1
	if n < minFields {
		return nil, source.Fieldf(fieldNames[n], "missing: line has %d field(s) separated by 0x1F, want %d (or %d with the repository)", n, minFields, maxFields)
	}
	if n > maxFields {
		return nil, source.Fieldf(fieldNames[maxFields-1], "line has %d field(s) separated by 0x1F, want %d (or %d with the repository)", n, minFields, maxFields)
	}
	var f [maxFields]string
	rest := string(line) // one copy; the fields share it
	for i := range n - 1 {
		f[i], rest, _ = strings.Cut(rest, string(sep))
	}
	f[n-1] = rest
	if !isHash([]byte(f[0])) {
		return nil, source.Fieldf("hash", "not a 40- or 64-digit hex commit hash: %q", truncate(f[0], 80))
	}
	authorTime, err := parseDate(f[3])
	if err != nil {
		return nil, &source.FieldError{Field: "author_date", Err: err}
	}
	committerTime, err := parseDate(f[6])
	if err != nil {
		return nil, &source.FieldError{Field: "committer_date", Err: err}
	}
	c := &event.Commit{
		// A copy: the fields share the line, which the hash (never
		// interned, it names one commit) would otherwise keep alive.
		Hash:           strings.Clone(strings.ToLower(f[0])),
		AuthorName:     clean(f[1]),
		AuthorEmail:    clean(f[2]),
		AuthorTime:     authorTime,
		CommitterName:  clean(f[4]),
		CommitterEmail: clean(f[5]),
		CommitterTime:  committerTime,
	}
	if n == maxFields {
		c.Repo = clean(f[7])
	}
	if c.AuthorName == "" && c.AuthorEmail == "" {
		return nil, source.Fieldf("author_email", "missing: neither author name nor email")
	}
	return &event.Event{
		Kind:    event.KindCommit,
		Time:    authorTime,
		Account: in.Actor(event.Actor{Email: strings.ToLower(c.AuthorEmail), DisplayName: c.AuthorName}),
		Commit:  c,
	}, nil
}

// parseDate reads git's strict ISO 8601 date (%aI, %cI) and keeps its UTC
// offset in a fixed zone, independent of the machine's local zone.
func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("not a strict ISO 8601 date (git %%aI/%%cI): %q", truncate(s, 64))
	}
	if t.Before(minTime) || !t.Before(maxTime) {
		return time.Time{}, fmt.Errorf("out of range: %q is not between 1970 and 2100", truncate(s, 64))
	}
	_, off := t.Zone()
	if off == 0 {
		return t.UTC(), nil
	}
	return t.In(fixedZone(off)), nil
}

// zones holds one fixed zone per UTC offset (seconds → *time.Location):
// commits keep their author's offset, and a zone per commit would cost
// more than the commit itself. Offsets are whole minutes within a day, so
// it stays small.
var zones sync.Map

func fixedZone(off int) *time.Location {
	if z, ok := zones.Load(off); ok {
		return z.(*time.Location)
	}
	z, _ := zones.LoadOrStore(off, time.FixedZone("", off))
	return z.(*time.Location)
}

func isHash(b []byte) bool {
	if len(b) != 40 && len(b) != 64 {
		return false
	}
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// clean makes a name or email valid UTF-8 (git stores bytes as given).
func clean(s string) string {
	return strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
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
