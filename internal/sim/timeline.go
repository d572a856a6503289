package sim

import (
	"bufio"
	"cmp"
	"io"
	"slices"
	"time"
)

// stamped is a record that knows when it happened and its place in the
// order of creation (the tie-breaker for equal times).
type stamped interface{ stamp() (time.Time, uint64) }

// timeline holds records until every record before a watermark is known,
// then hands them out in time order. Event-level writers feed it one
// simulated day at a time (see Org.Watermark).
type timeline[T stamped] struct {
	pending []T
	seq     uint64
}

// next returns the creation number of the next record.
func (tl *timeline[T]) next() uint64 {
	tl.seq++
	return tl.seq
}

// flush calls write, in order, for every pending record before wm (all of
// them when wm is zero) and drops them.
func (tl *timeline[T]) flush(wm time.Time, write func(*T) error) error {
	slices.SortFunc(tl.pending, func(a, b T) int {
		ta, sa := a.stamp()
		tb, sb := b.stamp()
		if c := ta.Compare(tb); c != 0 {
			return c
		}
		return cmp.Compare(sa, sb)
	})
	n := len(tl.pending)
	if !wm.IsZero() {
		n, _ = slices.BinarySearchFunc(tl.pending, wm, func(r T, t time.Time) int {
			rt, _ := r.stamp()
			return rt.Compare(t)
		})
	}
	for i := range n {
		if err := write(&tl.pending[i]); err != nil {
			return err
		}
	}
	rest := copy(tl.pending, tl.pending[n:])
	clear(tl.pending[rest:])
	tl.pending = tl.pending[:rest]
	return nil
}

// streamDays runs a day-by-day writer: for each day, add appends the
// records of the day's activities to tl; records are written as soon as no
// later day can precede them. encode appends one record's bytes to b.
func streamDays[T stamped](o *Org, w io.Writer, tl *timeline[T], add func(d int, acts []*Activity), encode func(b []byte, rec *T) []byte) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var buf []byte
	write := func(rec *T) error {
		buf = encode(buf[:0], rec)
		_, err := bw.Write(buf)
		return err
	}
	err := o.EachDay(func(d int, acts []*Activity) error {
		add(d, acts)
		return tl.flush(o.Watermark(d), write)
	})
	if err == nil {
		err = tl.flush(time.Time{}, write)
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}
