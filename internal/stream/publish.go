package stream

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/store"
)

// PublishOptions configure Publish.
type PublishOptions struct {
	Topology Topology
	Tenant   string // empty means store.DefaultTenant
	Inputs   []pipeline.Input
	// MaxPending bounds the publishes awaiting the stream's
	// acknowledgement; reading waits while it is reached (back-pressure).
	MaxPending int
	// Retries is how many more times a publish that failed or timed out
	// is tried, with the same message id, so that one which did land is
	// dropped as a duplicate rather than stored twice.
	Retries int
	// AckTimeout is how long to wait for the stream to acknowledge one
	// publish before trying again.
	AckTimeout time.Duration
	// Progress, when set, receives the counts about once a second.
	Progress func(PublishStats)
}

// Defaults of PublishOptions.
const (
	DefaultMaxPending = 4096
	DefaultRetries    = 5
	DefaultAckTimeout = 10 * time.Second
)

// PublishStats counts what Publish did. Sent = Published + Duplicates +
// Errors once Publish returns.
type PublishStats struct {
	Files      int `json:"files"`         // files read
	Skipped    int `json:"skipped_files"` // files in a directory in no known format
	Sent       int `json:"sent"`          // records and file notes sent
	Published  int `json:"published"`     // stored by the stream
	Duplicates int `json:"duplicates"`    // dropped by the stream: already published
	Errors     int `json:"errors"`        // not acknowledged after every retry
}

// Publish reads the inputs as `rollcall scan` would (the same files,
// formats and framing) and publishes every record, with its provenance,
// to the tenant's partitions of the ingest stream, creating the stream
// when needed. It returns when every publish has been acknowledged or
// has failed every retry; a non-nil error with Errors > 0 says how many.
// Input errors (a missing path, a named file in no known format) are
// pipeline.InputErrors, returned before anything of that file is sent.
func Publish(ctx context.Context, nc *nats.Conn, opts PublishOptions) (PublishStats, error) {
	if opts.Tenant == "" {
		opts.Tenant = store.DefaultTenant
	}
	if err := ValidTenant(opts.Tenant); err != nil {
		return PublishStats{}, err
	}
	opts.MaxPending = cmpOr(opts.MaxPending, DefaultMaxPending)
	opts.Retries = cmpOr(opts.Retries, DefaultRetries)
	opts.AckTimeout = cmpOr(opts.AckTimeout, DefaultAckTimeout)
	js, err := jetstream.New(nc,
		jetstream.WithPublishAsyncMaxPending(opts.MaxPending),
		jetstream.WithPublishAsyncTimeout(opts.AckTimeout))
	if err != nil {
		return PublishStats{}, fmt.Errorf("jetstream: %w", err)
	}
	files, err := pipeline.Plan(opts.Inputs)
	if err != nil {
		return PublishStats{}, err
	}
	topo, err := Ensure(ctx, js, opts.Topology)
	if err != nil {
		return PublishStats{}, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	p := &publisher{js: js, ctx: ctx, cancel: cancel, opts: opts, topo: topo,
		acks: make(chan pendingAck, opts.MaxPending)}
	var wg sync.WaitGroup
	wg.Go(p.ackLoop)
	for _, f := range files {
		if err := p.file(f); err != nil {
			cancel(err)
			break
		}
	}
	close(p.acks)
	wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := context.Cause(ctx); err != nil {
		return p.stats, err
	}
	if p.stats.Errors > 0 {
		return p.stats, fmt.Errorf("%d of %d records not acknowledged by the stream: %w", p.stats.Errors, p.stats.Sent, p.firstErr)
	}
	return p.stats, nil
}

func cmpOr[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

type pendingAck struct {
	paf jetstream.PubAckFuture
	msg *nats.Msg
}

type publisher struct {
	js     jetstream.JetStream
	ctx    context.Context
	cancel context.CancelCauseFunc
	opts   PublishOptions
	topo   Topology
	acks   chan pendingAck

	mu           sync.Mutex
	stats        PublishStats
	firstErr     error
	lastProgress time.Time
}

// file publishes one file's records, or the note that it was skipped. The
// file is opened and its format found by the engine's ingest door
// (pipeline.Open), as a scan does.
func (p *publisher) file(f pipeline.File) error {
	o, err := pipeline.Open(pipeline.Body{Name: f.Path, Format: f.Format, Dir: f.Dir, Explicit: f.Explicit})
	if err != nil {
		return err
	}
	defer o.Close()
	if o.Skipped != nil {
		p.count(func(s *PublishStats) { s.Skipped++ })
		p.note(KindSkipped, "", f.Path, *o.Skipped)
		return p.err()
	}
	p.count(func(s *PublishStats) { s.Files++ })
	p.note(KindFile, o.FormatID(), f.Path, nil)
	// Records a tap hands over go raw; a directory of documents frames
	// nothing, so each document goes as its normalized event; a failure
	// of the file as a whole goes as a rejection note.
	sink := &publishSink{out: p, tenant: p.opts.Tenant, format: o.FormatID(), file: f.Path}
	if err := o.Decode(p.ctx, sink); err != nil && p.err() == nil {
		return err
	}
	return p.err()
}

func (p *publisher) err() error { return context.Cause(p.ctx) }

func (p *publisher) count(fn func(*PublishStats)) {
	p.mu.Lock()
	fn(&p.stats)
	progress := p.opts.Progress != nil && time.Since(p.lastProgress) >= time.Second
	if progress {
		p.lastProgress = time.Now()
	}
	s := p.stats
	p.mu.Unlock()
	if progress {
		p.opts.Progress(s)
	}
}

// note publishes a note about a file (body is JSON-encoded unless nil).
func (p *publisher) note(kind Kind, format, file string, body any) {
	r, key, err := noteRecord(p.opts.Tenant, kind, format, file, body)
	if err != nil {
		p.cancel(err)
		return
	}
	p.send(r, key)
}

// noteRecord builds a note record and its partition key.
func noteRecord(tenant string, kind Kind, format, file string, body any) (*Record, string, error) {
	r := &Record{Tenant: tenant, Kind: kind, Format: format, File: file}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, "", fmt.Errorf("encoding a %s note for %q: %w", kind, file, err)
		}
		r.Body = b
		r.Hash = source.RecordHash(b)
	}
	if rej, ok := body.(source.Rejection); ok {
		r.Record, r.Line = rej.Record, rej.Line
	}
	return r, recordKey(file, r.Record), nil
}

// send publishes one record asynchronously; it blocks while MaxPending
// publishes await their acknowledgement.
func (p *publisher) send(r *Record, partitionKey string) {
	if p.err() != nil {
		return
	}
	r.Published = time.Now()
	m, err := r.Msg(p.topo.IngestSubject(r.Tenant, Partition(partitionKey, p.topo.Partitions)))
	if err != nil {
		p.cancel(err)
		return
	}
	for attempt := 0; ; attempt++ {
		paf, err := p.js.PublishMsgAsync(m, jetstream.WithStallWait(p.opts.AckTimeout))
		if err == nil {
			p.count(func(s *PublishStats) { s.Sent++ })
			select {
			case p.acks <- pendingAck{paf: paf, msg: m}:
			case <-p.ctx.Done():
			}
			return
		}
		if attempt >= p.opts.Retries {
			p.cancel(fmt.Errorf("publishing %s: %w", r.Ref(), err))
			return
		}
		if !sleep(p.ctx, backoff(attempt)) {
			return
		}
	}
}

// ackLoop waits for the acknowledgements in publish order, publishing
// again (synchronously, same message id) what failed.
func (p *publisher) ackLoop() {
	for pa := range p.acks {
		var ack *jetstream.PubAck
		var err error
		select {
		case ack = <-pa.paf.Ok():
		case err = <-pa.paf.Err():
			ack, err = p.republish(pa.msg, err)
		case <-p.ctx.Done():
			// Drain: what is still pending is neither counted published
			// nor failed.
			continue
		}
		p.count(func(s *PublishStats) {
			switch {
			case err != nil:
				s.Errors++
				if p.firstErr == nil {
					p.firstErr = err
				}
			case ack.Duplicate:
				s.Duplicates++
			default:
				s.Published++
			}
		})
	}
}

func (p *publisher) republish(m *nats.Msg, err error) (*jetstream.PubAck, error) {
	for attempt := 0; attempt < p.opts.Retries; attempt++ {
		// The first retry goes at once: after a lost connection or a
		// server restart the pending acknowledgements all fail together.
		if attempt > 0 && !sleep(p.ctx, backoff(attempt-1)) {
			return nil, err
		}
		ctx, cancel := context.WithTimeout(p.ctx, p.opts.AckTimeout)
		var ack *jetstream.PubAck
		ack, err = p.js.PublishMsg(ctx, m)
		cancel()
		if err == nil {
			return ack, nil
		}
	}
	return nil, fmt.Errorf("publishing %s (record %s): %w", m.Header.Get(HeaderFile), m.Header.Get(HeaderRecord), err)
}

// sender is where publishSink sends records: the publisher, or a test.
type sender interface {
	send(r *Record, partitionKey string)
	note(kind Kind, format, file string, body any)
	fail(err error)
}

func (p *publisher) fail(err error) { p.cancel(err) }

// publishSink publishes what an adapter reads: each framed record's raw
// bytes, undecoded (formats framed by DecodeJSON and DecodeCSV), or each
// tapped record's raw bytes, or the normalized event of a format that frames its own input,
// or the rejection of a record whose framing failed.
type publishSink struct {
	out    sender
	tenant string
	format string
	file   string // the file's name, as records name it
	raw    []byte
	tapped bool
}

var _ source.FrameSink = (*publishSink)(nil)

func (s *publishSink) Raw(raw []byte) { s.raw, s.tapped = bytes.Clone(raw), true }

// Frame publishes a record as framed, undecoded: the worker decodes it.
func (s *publishSink) Frame(raw []byte, record, line int, hash string) {
	r := &Record{Tenant: s.tenant, Kind: KindRaw, Format: s.format, File: s.file,
		Record: record, Line: line, Hash: hash, Body: bytes.Clone(raw)}
	s.out.send(r, recordKey(r.File, r.Record))
}

func (s *publishSink) Event(e *event.Event) {
	r := &Record{Tenant: s.tenant, Kind: KindRaw, Format: s.format, File: e.Prov.File(),
		Record: e.Prov.Record, Line: e.Prov.Line, Hash: e.Prov.Hash, Body: s.raw}
	if !s.tapped {
		b, err := json.Marshal(e)
		if err != nil {
			s.out.fail(fmt.Errorf("encoding event %s: %w", e.Prov.Key(), err))
			return
		}
		r.Kind, r.Body = KindEvent, b
	}
	s.raw, s.tapped = nil, false
	s.out.send(r, recordKey(r.File, r.Record))
}

func (s *publishSink) Reject(rej source.Rejection) {
	if !s.tapped {
		s.out.note(KindRejection, s.format, rej.File, rej)
		return
	}
	r := &Record{Tenant: s.tenant, Kind: KindRaw, Format: s.format, File: rej.File,
		Record: rej.Record, Line: rej.Line, Hash: source.RecordHash(s.raw), Body: s.raw}
	s.raw, s.tapped = nil, false
	s.out.send(r, recordKey(rej.File, rej.Record))
}

// recordKey is the partition key of a record: its place in its file. It
// costs nothing to compute (no look at the content) and spreads a file's
// records evenly over the partitions. Nothing depends on one person's
// records sharing a partition: the tenant's analysis sees every partition.
func recordKey(file string, record int) string {
	return file + "\x00" + strconv.Itoa(record)
}

// backoff is the wait before retry attempt n (0-based): 100ms doubling to
// at most 5s.
func backoff(n int) time.Duration {
	d := 100 * time.Millisecond << min(n, 6)
	return min(d, 5*time.Second)
}

// sleep waits d, reporting false when ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
