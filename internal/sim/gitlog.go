package sim

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"
)

// git history writer: the output of
//
//	git log --format='%H%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI'
//
// over the organisation's code, newest first. Engineers commit during their
// work sessions on the device they work on; the author date carries the
// UTC offset of that device's clock (the destination's during a trip, the
// operator's zone when an operative's machine is set to it). About a third
// of commits are rebased and merged on GitHub, which keeps the author and
// commits as "GitHub" in UTC.

// commitRec is one commit.
type commitRec struct {
	hash                   [20]byte
	by                     *Person // who really made it
	authorName, authorMail string
	at                     time.Time // author date, in the author's zone
	commitName, commitMail string
	ct                     time.Time // committer date, in the committer's zone
}

// dateLayout is git's strict ISO 8601 (%aI): numeric offset, +00:00 for UTC.
const dateLayout = "2006-01-02T15:04:05-07:00"

// sessionCommits appends the commits made in one work session.
func (o *Org) sessionCommits(r *rand.Rand, a *Activity, out []commitRec) []commitRec {
	p := a.Person
	s := &p.src
	span := a.End.Sub(a.Start) - 20*time.Minute
	if !s.engineer || a.Device.Mobile || span <= 0 {
		return out
	}
	loc := o.deviceZone(a)
	for range pickWeighted(r, []int{22, 25, 22, 15, 10, 6}) {
		t := a.Start.Add(20*time.Minute + time.Duration(r.Int64N(int64(span)))).Truncate(time.Second).In(loc)
		c := commitRec{by: p, authorName: p.Name(), authorMail: p.WorkEmail, at: t}
		alt := s.alt != nil && chance(r, s.altShare)
		if alt {
			c.authorName, c.authorMail = s.alt.name, s.alt.email
		}
		c.commitName, c.commitMail, c.ct = c.authorName, c.authorMail, t
		if alt && s.alt.cellmate != nil { // committed as a cell-mate, rebased by the person
			c.commitName, c.commitMail = p.Name(), p.WorkEmail
		}
		if merged := t.Add(time.Duration(between(r, 600, 30*3600)) * time.Second); chance(r, 0.3) && merged.Before(o.end.AddDate(0, 0, 1)) {
			// rebased and merged on GitHub: the author is kept, GitHub commits in UTC
			c.commitName, c.commitMail, c.ct = "GitHub", "noreply@github.com", merged.UTC()
		}
		for i := 0; i < len(c.hash); i += 8 {
			v := r.Uint64()
			for j := 0; j < 8 && i+j < len(c.hash); j++ {
				c.hash[i+j] = byte(v >> (8 * j))
			}
		}
		out = append(out, c)
	}
	return out
}

// personCommits are all commits p makes over the window.
func (o *Org) personCommits(p *Person, acts []*Activity) []commitRec {
	rs := newReseeder()
	var out []commitRec
	for _, a := range acts {
		out = o.sessionCommits(rs.at(o.cfg.Seed, streamGitlog, uint64(p.Index), uint64(a.Start.UnixNano())), a, out)
	}
	return out
}

// WriteGitLog writes the git history, newest commit first.
func (o *Org) WriteGitLog(w io.Writer) error {
	rs := newReseeder()
	var all []commitRec
	err := o.EachDay(func(d int, acts []*Activity) error {
		for _, a := range acts {
			all = o.sessionCommits(rs.at(o.cfg.Seed, streamGitlog, uint64(a.Person.Index), uint64(a.Start.UnixNano())), a, all)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("git log: %w", err)
	}
	slices.SortFunc(all, func(a, b commitRec) int {
		if c := b.ct.Compare(a.ct); c != 0 {
			return c
		}
		return bytes.Compare(a.hash[:], b.hash[:])
	})
	bw := bufio.NewWriterSize(w, 1<<20)
	var b []byte
	for i := range all {
		b = appendCommit(b[:0], &all[i])
		if _, err := bw.Write(b); err != nil {
			return fmt.Errorf("git log: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("git log: %w", err)
	}
	return nil
}

// appendCommit appends one line of git log output.
func appendCommit(b []byte, c *commitRec) []byte {
	b = hex.AppendEncode(b, c.hash[:])
	for _, f := range []string{c.authorName, c.authorMail} {
		b = append(b, 0x1f)
		b = append(b, f...)
	}
	b = append(b, 0x1f)
	b = c.at.AppendFormat(b, dateLayout)
	for _, f := range []string{c.commitName, c.commitMail} {
		b = append(b, 0x1f)
		b = append(b, f...)
	}
	b = append(b, 0x1f)
	b = c.ct.AppendFormat(b, dateLayout)
	return append(b, '\n')
}

// offsetHours is the UTC offset of t in hours.
func offsetHours(t time.Time) float64 {
	_, off := t.Zone()
	return float64(off) / 3600
}
