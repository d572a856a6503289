package source

import (
	"encoding/json"
	"runtime"
	"sync"

	"github.com/rollcall/rollcall/internal/event"
)

// A JSON file is framed on the calling goroutine and its records are
// parsed on GOMAXPROCS others: the framer copies records into batches, the
// batches go to the parsers, and one delivering goroutine hands every
// batch's events and rejections to the sink in input order. Record
// numbers and lines are given by the framer, so the output does not depend
// on scheduling. A file that fits in one batch is parsed on the calling
// goroutine, without starting any other.
const (
	batchRecords = 256       // records per batch
	batchBytes   = 512 << 10 // raw bytes per batch, past which it is sent even if not full
)

// batchItem is one record of a batch.
type batchItem struct {
	line, record int
	start, end   int  // raw bytes: batch.buf[start:end]
	framing      bool // the framer rejected it; rej is set and nothing is parsed
	ev           *event.Event
	rej          Rejection
	hash         string // content hash, when the sink takes frames only
}

// recordBatch is a run of consecutive records.
type recordBatch struct {
	buf   []byte
	items []batchItem
	done  chan struct{} // closed once every item is parsed
}

func (b *recordBatch) raw(it *batchItem) []byte { return b.buf[it.start:it.end] }

// batchParser parses records on one goroutine.
type batchParser struct {
	d      *jsonFramer
	parse  ParseFunc
	intern *Interner
	strs   StringArena // content hashes
	own    bool        // parse interns what it keeps; no interning pass after it
}

func (d *jsonFramer) newBatchParser() *batchParser {
	p := &batchParser{d: d, parse: d.parse, intern: NewInterner()}
	if d.newParser != nil {
		p.parse, p.own = d.newParser(p.intern), true
	}
	return p
}

// parseBatch fills in every item's event or rejection.
func (p *batchParser) parseBatch(b *recordBatch) {
	d := p.d
	for i := range b.items {
		it := &b.items[i]
		if it.framing {
			continue
		}
		raw := b.raw(it)
		if d.frames != nil {
			it.hash = RecordHash(raw)
			continue
		}
		ev, err := parseChecked(raw, p.parse)
		if err != nil {
			it.rej = recordRejection(d.file, it.line, it.record, err)
			if it.rej.Field == "" && !json.Valid(raw) {
				it.rej.Reason = "malformed JSON: " + jsonSyntaxReason(raw)
			}
			it.rej = sanitizeRejection(it.rej)
			continue
		}
		if !p.own {
			p.intern.Event(ev)
		}
		ev.Prov.Origin = d.origin
		ev.Prov.Record = it.record
		ev.Prov.Line = it.line
		ev.Prov.Hash = p.strs.Hash(raw)
		it.ev = ev
	}
}

// deliver hands a parsed batch to the sink, in order.
func (d *jsonFramer) deliver(b *recordBatch) {
	for i := range b.items {
		it := &b.items[i]
		if it.framing {
			d.sink.Reject(it.rej)
			continue
		}
		if d.frames != nil {
			d.frames.Frame(b.raw(it), it.record, it.line, it.hash)
			continue
		}
		if d.tap != nil {
			d.tap.Raw(b.raw(it))
		}
		if it.ev != nil {
			d.sink.Event(it.ev)
		} else {
			d.sink.Reject(it.rej)
		}
		it.ev = nil
	}
}

// batcher is the parallel part of a jsonFramer.
type batcher struct {
	cur     *recordBatch
	spare   *recordBatch      // a delivered batch kept while parsing inline
	inline  *batchParser      // parses on the calling goroutine until workers start
	work    chan *recordBatch // to the parsers
	order   chan *recordBatch // to the deliverer, in input order
	free    chan *recordBatch // delivered batches, for reuse
	workers sync.WaitGroup    // parsers
	deliv   chan struct{}     // closed when the deliverer is done
}

// enqueue adds a record to the current batch; raw is copied.
func (d *jsonFramer) enqueue(raw []byte, line int) {
	if !d.lim.admit() {
		return
	}
	d.record++
	b := d.batch()
	start := len(b.buf)
	b.buf = append(b.buf, raw...)
	b.items = append(b.items, batchItem{line: line, record: d.record, start: start, end: len(b.buf)})
	d.sendIfFull()
}

// enqueueRejection adds a record the framer rejected.
func (d *jsonFramer) enqueueRejection(line int, reason string) {
	if !d.lim.admit() {
		return
	}
	d.record++
	b := d.batch()
	b.items = append(b.items, batchItem{line: line, record: d.record, framing: true,
		rej: Rejection{File: d.file, Line: line, Record: d.record, Reason: reason}})
	d.sendIfFull()
}

func (d *jsonFramer) batch() *recordBatch {
	p := &d.par
	if p.cur == nil {
		if p.spare != nil {
			p.cur, p.spare = p.spare, nil
		} else {
			select {
			case b := <-p.free: // nil until the parsers start: never ready
				p.cur = b
			default:
				p.cur = &recordBatch{}
			}
		}
		p.cur.done = make(chan struct{})
	}
	return p.cur
}

func (d *jsonFramer) sendIfFull() {
	if b := d.par.cur; len(b.items) >= batchRecords || len(b.buf) >= batchBytes {
		d.send(false)
	}
}

// send hands the current batch on. A full batch starts the parsers (on
// more than one core) and goes to them; the last batch of a file that
// never filled one, or every batch on a single core, is parsed and
// delivered on the calling goroutine.
func (d *jsonFramer) send(last bool) {
	p := &d.par
	b := p.cur
	if b == nil {
		return
	}
	p.cur = nil
	if p.work == nil && !last && runtime.GOMAXPROCS(0) > 1 {
		d.start()
	}
	if p.work == nil {
		if p.inline == nil {
			p.inline = d.newBatchParser()
		}
		p.inline.parseBatch(b)
		d.deliver(b)
		d.recycle(b)
		return
	}
	p.order <- b
	p.work <- b
}

// start launches the parsers and the deliverer.
func (d *jsonFramer) start() {
	n := runtime.GOMAXPROCS(0)
	p := &d.par
	p.work = make(chan *recordBatch, n)
	p.order = make(chan *recordBatch, 2*n)
	p.free = make(chan *recordBatch, 3*n+1)
	p.deliv = make(chan struct{})
	for i := range n {
		bp := p.inline // the first parser keeps the inline one's interner
		if i > 0 || bp == nil {
			bp = d.newBatchParser()
		}
		p.workers.Add(1)
		go func() {
			defer p.workers.Done()
			for b := range p.work {
				bp.parseBatch(b)
				close(b.done)
			}
		}()
	}
	go func() {
		defer close(p.deliv)
		for b := range p.order {
			<-b.done
			d.deliver(b)
			d.recycle(b)
		}
	}()
}

// recycle keeps a delivered batch's memory for a later batch.
func (d *jsonFramer) recycle(b *recordBatch) {
	if cap(b.buf) > 4*batchBytes {
		return // it held a huge record: let it go
	}
	b.buf, b.items = b.buf[:0], b.items[:0]
	if d.par.free == nil {
		d.par.spare = b
		return
	}
	select {
	case d.par.free <- b:
	default:
	}
}

// finish parses and delivers everything queued and stops the goroutines:
// every record framed before it has reached the sink when it returns.
func (d *jsonFramer) finish() {
	d.send(true)
	p := &d.par
	if p.work == nil {
		return
	}
	close(p.work)
	close(p.order)
	<-p.deliv
	p.workers.Wait()
}
