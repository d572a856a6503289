package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/store"
)

// item is one message of a batch and what became of it.
type item struct {
	msg        jetstream.Msg
	deliveries uint64
	rec        Record
	event      *event.Event
	note       *note
	err        error // processing failed: retry, or dead-letter
}

// process decodes a batch, commits its events and notes, then settles
// every message: acknowledged once its outcome is stored, handed back
// for redelivery after a failure, dead-lettered after MaxDeliver failures.
func (w *Worker) process(ctx context.Context, msgs []jetstream.Msg) {
	start := time.Now()
	tenant := w.opts.Tenant
	items := make([]item, len(msgs))
	for i, m := range msgs {
		it := &items[i]
		it.msg, it.deliveries = m, 1
		var seq uint64
		if md, err := m.Metadata(); err == nil {
			it.deliveries, seq = md.NumDelivered, md.Sequence.Stream
		}
		it.rec, it.err = ParseRecord(m.Headers(), m.Data())
		if it.err == nil && it.rec.Tenant != tenant {
			it.err = fmt.Errorf("record of tenant %q on tenant %q's subject %s", it.rec.Tenant, tenant, m.Subject())
		}
		if it.err == nil {
			it.event, it.note, it.err = w.dec.decode(ctx, &it.rec)
		}
		if it.note != nil {
			it.note.Seq = seq
		}
	}
	w.counts.received.Add(int64(len(msgs)))
	w.m.Received.WithLabelValues(tenant).Add(float64(len(msgs)))
	if !w.commit(ctx, items) {
		// Stopping while the store fails: nothing was acknowledged, so
		// every record comes back.
		for i := range items {
			w.held.remove(items[i].msg)
			_ = items[i].msg.Nak()
		}
		return
	}
	var stored []*event.Event
	for i := range items {
		if it := &items[i]; it.err == nil && it.event != nil { // State.Add keeps those stored as they are
			stored = append(stored, it.event)
		}
		w.settle(ctx, &items[i])
		w.held.remove(items[i].msg)
	}
	w.committed.add(stored)
	w.m.BatchSeconds.WithLabelValues(tenant).Observe(time.Since(start).Seconds())
}

// commit stores the batch's events (one SaveEvents call: one transaction
// per store batch) and notes. A failure that may pass (a lost connection,
// a busy or restarting database) is retried in place, the messages kept
// in progress, for as long as it lasts: fetching stops meanwhile, which is
// the back-pressure. A failure the store blames on the data is narrowed
// down by storing the events one at a time, and only the events that the
// store refuses on their own are marked failed. It reports false when ctx
// ended before the batch could be stored.
func (w *Worker) commit(ctx context.Context, items []item) bool {
	tenant := w.opts.Tenant
	var pending []*item
	for i := range items {
		if items[i].err == nil && items[i].event != nil {
			pending = append(pending, &items[i])
		}
	}
	changed := false
	for attempt := 0; len(pending) > 0; attempt++ {
		events := make([]*event.Event, len(pending))
		for i, it := range pending {
			events[i] = it.event
		}
		inserted, err := w.saveEvents(ctx, events)
		if err == nil {
			w.countInserted(inserted, len(events))
			changed = changed || inserted > 0
			break
		}
		if refused(err) {
			var retry []*item
			for _, it := range pending {
				inserted, err := w.saveEvents(ctx, []*event.Event{it.event})
				switch {
				case err == nil:
					w.countInserted(inserted, 1)
					changed = changed || inserted > 0
				case refused(err):
					it.err = fmt.Errorf("storing the event: %w", err)
				default:
					retry = append(retry, it)
				}
			}
			if pending = retry; len(pending) == 0 {
				break
			}
		}
		w.m.StoreRetries.WithLabelValues(tenant).Inc()
		if attempt == 0 || attempt%10 == 0 {
			w.log.Warn("storing events failed; retrying", "events", len(pending), "attempt", attempt+1, "err", err)
		}
		if !sleep(ctx, backoff(attempt)) {
			return false
		}
	}
	for i := range items {
		it := &items[i]
		if it.err != nil || it.note == nil {
			continue
		}
		for attempt := 0; ; attempt++ {
			created, err := w.putNote(ctx, it)
			if err == nil {
				changed = changed || created
				break
			}
			if attempt == 0 || attempt%10 == 0 {
				w.log.Warn("storing a note failed; retrying", "record", it.rec.Ref(), "attempt", attempt+1, "err", err)
			}
			if !sleep(ctx, backoff(attempt)) {
				return false
			}
		}
	}
	if changed {
		w.markDirty()
	}
	return true
}

// refused reports whether the store refused the data, as opposed to
// failing (unreachable, busy, restarting): the store's own ErrInvalid,
// PostgreSQL data exceptions, integrity violations and program limits
// (SQLSTATE classes 22, 23, 54), SQLite's TOOBIG, CONSTRAINT, MISMATCH and
// RANGE. Anything else is worth retrying as it is.
func refused(err error) bool {
	if errors.Is(err, store.ErrInvalid) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code[:min(2, len(pg.Code))] {
		case "22", "23", "54":
			return true
		}
		return false
	}
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		switch lite.Code() & 0xff {
		case 18, 19, 20, 25:
			return true
		}
	}
	return false
}

// saveEvents stores events, finishing the transaction even when ctx ends
// meanwhile (bounded by the ack wait).
func (w *Worker) saveEvents(ctx context.Context, events []*event.Event) (int, error) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*w.opts.AckWait)
	defer cancel()
	return w.opts.Store.SaveEvents(sctx, events)
}

func (w *Worker) countInserted(inserted, total int) {
	tenant := w.opts.Tenant
	w.counts.inserted.Add(int64(inserted))
	w.counts.stored.Add(int64(total - inserted))
	w.m.Inserted.WithLabelValues(tenant).Add(float64(inserted))
	w.m.AlreadyStored.WithLabelValues(tenant).Add(float64(total - inserted))
}

// noteKey is the notes-bucket key of a record's note.
func noteKey(tenant string, kind Kind, id string) string {
	return tenant + "." + string(kind) + "." + id
}

// putNote stores a note, reporting whether it is new.
func (w *Worker) putNote(ctx context.Context, it *item) (bool, error) {
	b, err := json.Marshal(it.note)
	if err != nil {
		return false, err
	}
	nctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, err = w.notes.Create(nctx, noteKey(w.opts.Tenant, it.note.Kind, it.rec.ID()), b)
	if errors.Is(err, jetstream.ErrKeyExists) {
		return false, nil
	}
	return err == nil, err
}

// settle acknowledges, hands back or dead-letters one message.
func (w *Worker) settle(ctx context.Context, it *item) {
	tenant := w.opts.Tenant
	if it.err == nil {
		_ = it.msg.Ack()
		outcome := OutcomeProcessed
		switch {
		case it.event != nil:
			w.counts.processed.Add(1)
			if !it.rec.Published.IsZero() {
				d := time.Since(it.rec.Published)
				w.m.LatencySeconds.WithLabelValues(tenant).Observe(d.Seconds())
				w.m.latency.add(d)
			}
		case it.note.Kind == KindRejection:
			outcome = OutcomeRejected
			w.counts.rejected.Add(1)
		default:
			outcome = OutcomeNote
			w.counts.notes.Add(1)
		}
		w.m.Messages.WithLabelValues(tenant, outcome).Inc()
		return
	}
	if it.deliveries >= uint64(w.opts.MaxDeliver) {
		if err := w.deadLetter(ctx, it); err != nil {
			w.log.Error("dead-lettering failed; the record will be redelivered", "record", it.rec.Ref(), "err", err)
			_ = it.msg.NakWithDelay(w.opts.RetryDelay)
			return
		}
		_ = it.msg.Ack()
		w.counts.dead.Add(1)
		w.m.Messages.WithLabelValues(tenant, OutcomeDeadLettered).Inc()
		w.log.Error("record dead-lettered", "record", it.rec.Ref(), "deliveries", it.deliveries,
			"subject", w.topo.DeadSubject(tenant), "reason", it.err)
		return
	}
	w.counts.retried.Add(1)
	w.m.Retried.WithLabelValues(tenant).Inc()
	w.log.Warn("record failed; it will be redelivered", "record", it.rec.Ref(), "deliveries", it.deliveries, "err", it.err)
	_ = it.msg.NakWithDelay(w.opts.RetryDelay * time.Duration(it.deliveries))
}

// deadLetter publishes the message, headers and body unchanged, to the
// tenant's dead-letter subject with the reason and the delivery count. The
// message id is kept, so a dead letter published twice is stored once.
func (w *Worker) deadLetter(ctx context.Context, it *item) error {
	m := nats.NewMsg(w.topo.DeadSubject(w.opts.Tenant))
	for k, v := range it.msg.Headers() {
		m.Header[k] = v
	}
	m.Header.Set(HeaderDeadReason, oneLine(it.err.Error()))
	m.Header.Set(HeaderDeliveries, strconv.FormatUint(it.deliveries, 10))
	m.Header.Set(HeaderSubject, it.msg.Subject())
	m.Data = it.msg.Data()
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, err := w.js.PublishMsg(pctx, m)
	return err
}

// oneLine makes s safe for a header value.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
