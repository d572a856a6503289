package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
)

// Limits bound what one input file or upload may expand to once
// decompressed, so that a small gzip bomb cannot fill memory: the
// decompressed bytes the framers read, and the records (events plus
// rejections) they deliver. Zero means no limit.
type Limits struct {
	Bytes   int64
	Records int
}

// The flags that set Limits, named in the errors so that a user with a
// genuine large export knows what to raise. scan and serve use the same.
const (
	FlagMaxInputBytes   = "--max-input-bytes"
	FlagMaxInputRecords = "--max-input-records"
)

// ErrLimit is wrapped by the error a decoder returns when an input passes
// its Limits.
var ErrLimit = errors.New("input limit exceeded")

type limitsKey struct{}

// limitState is what a context carries: the limits, and for a shared
// budget the counters every decoding under the context draws from.
type limitState struct {
	l           Limits
	shared      bool
	bytes, recs atomic.Int64 // used when shared
}

// WithLimits returns a context under which DecodeJSON and DecodeCSV apply
// l to every file they decode, each file on its own (scan, publish).
func WithLimits(ctx context.Context, l Limits) context.Context {
	return context.WithValue(ctx, limitsKey{}, &limitState{l: l})
}

// WithBudget returns a context under which every file decoded shares one
// budget of l: all the files of one upload request together (serve).
func WithBudget(ctx context.Context, l Limits) context.Context {
	st := &limitState{l: l, shared: true}
	st.bytes.Store(l.Bytes)
	st.recs.Store(int64(l.Records))
	return context.WithValue(ctx, limitsKey{}, st)
}

// inputLimit applies Limits to one file being decoded.
type inputLimit struct {
	l           Limits
	bytes, recs *atomic.Int64 // what is left
	cancel      context.CancelCauseFunc
}

// limitInput sets up ctx's limits for one file: r counts decompressed
// bytes, and the returned context is cancelled, with the limit error as
// its cause, when admit refuses a record. lim is nil without limits.
func limitInput(ctx context.Context, r io.Reader) (context.Context, io.Reader, *inputLimit) {
	st, _ := ctx.Value(limitsKey{}).(*limitState)
	if st == nil || (st.l.Bytes <= 0 && st.l.Records <= 0) {
		return ctx, r, nil
	}
	lim := &inputLimit{l: st.l, bytes: &st.bytes, recs: &st.recs}
	if !st.shared {
		lim.bytes, lim.recs = new(atomic.Int64), new(atomic.Int64)
		lim.bytes.Store(st.l.Bytes)
		lim.recs.Store(int64(st.l.Records))
	}
	ctx, lim.cancel = context.WithCancelCause(ctx)
	if st.l.Bytes > 0 {
		r = &byteLimit{r: r, left: lim.bytes, limit: st.l.Bytes}
	}
	return ctx, r, lim
}

// admit counts one more record and reports whether it may be delivered.
// The first record past the limit cancels the decoding.
func (lim *inputLimit) admit() bool {
	if lim == nil || lim.l.Records <= 0 {
		return true
	}
	if lim.recs.Add(-1) < 0 {
		lim.cancel(fmt.Errorf("%w: more than %d records in one file or upload (%s); the records before were read", ErrLimit, lim.l.Records, FlagMaxInputRecords))
		return false
	}
	return true
}

// result turns the decoder's error into the limit's when a limit stopped
// it, and releases the context.
func (lim *inputLimit) result(ctx context.Context, err error) error {
	if lim == nil {
		return err
	}
	cause := context.Cause(ctx)
	lim.cancel(nil)
	if errors.Is(cause, ErrLimit) {
		return cause
	}
	return err
}

// byteLimit fails reads past limit decompressed bytes.
type byteLimit struct {
	r     io.Reader
	left  *atomic.Int64
	limit int64
}

func (b *byteLimit) Read(p []byte) (int, error) {
	left := b.left.Load()
	if left <= 0 {
		return 0, fmt.Errorf("%w: content larger than %d bytes once decompressed, in one file or upload (%s)", ErrLimit, b.limit, FlagMaxInputBytes)
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n, err := b.r.Read(p)
	b.left.Add(-int64(n))
	return n, err
}
