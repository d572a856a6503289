package stream

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/source"
)

// TestPoisonRecordsAreDeadLettered publishes, beside a file, a record of a
// format no worker knows and a record whose content does not match its
// hash (processing fails every time: dead-lettered after MaxDeliver
// deliveries, with the reason), and a record the adapter rejects
// (acknowledged and reported as a rejection, not retried).
func TestPoisonRecordsAreDeadLettered(t *testing.T) {
	nc := connect(t, natsURL(t))
	topo := testTopology(t, nc)
	file := filepath.Join(simDir(t), "payroll.csv")
	ps := publishAll(t, nc, topo, "", file)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	good := []byte(`{"uuid":"x","eventType":"user.session.start","published":"2026-10-01T00:00:00Z","actor":{"alternateId":"a@example.com"}}`)
	poison := []Record{
		{Kind: KindRaw, Format: "mainframe", File: "legacy.dat", Record: 1, Body: []byte("?")},
		{Kind: KindRaw, Format: "okta", File: "tampered.ndjson", Record: 1, Body: good, Hash: source.RecordHash([]byte("other"))},
		{Kind: KindRaw, Format: "okta", File: "broken.ndjson", Record: 4, Line: 4, Body: []byte(`{"eventType": `)},
	}
	for i := range poison {
		r := &poison[i]
		r.Tenant = "default"
		m, err := r.Msg(topo.IngestSubject("default", i%topo.Partitions))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := js.PublishMsg(ctx, m); err != nil {
			t.Fatal(err)
		}
	}

	st := openSQLite(t, filepath.Join(t.TempDir(), "w.db"), "")
	opts := fastWorker(t, topo, st)
	opts.MaxDeliver = 3
	opts.RetryDelay = 20 * time.Millisecond
	w := runWorker(t, nc, opts, time.Minute)

	s := w.Stats()
	if s.DeadLettered != 2 || s.Rejected != 1 || s.Retried != 4 {
		t.Errorf("stats %+v: want 2 dead-lettered after 3 deliveries each (4 retries), 1 rejected", s)
	}
	if in := s.Processed + s.Rejected + s.DeadLettered + s.Notes + s.Retried; in != s.Received {
		t.Errorf("processed + rejected + dead-lettered + notes + retried = %d, received %d", in, s.Received)
	}
	if want := int64(ps.Sent + len(poison) + int(s.Retried)); s.Received != want {
		t.Errorf("received %d, want %d (published, poison, redeliveries)", s.Received, want)
	}

	dead, err := js.Stream(ctx, topo.DeadStream())
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for seq := uint64(1); seq <= 2; seq++ {
		m, err := dead.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("dead letter %d: %v", seq, err)
		}
		if m.Subject != topo.DeadSubject("default") || m.Header.Get(HeaderDeliveries) != "3" {
			t.Errorf("dead letter on %s after %s deliveries", m.Subject, m.Header.Get(HeaderDeliveries))
		}
		reasons[m.Header.Get(HeaderFile)] = m.Header.Get(HeaderDeadReason)
	}
	for file, want := range map[string]string{"legacy.dat": "unknown format", "tampered.ndjson": "content hash"} {
		if !strings.Contains(reasons[file], want) {
			t.Errorf("dead letter of %s: reason %q, want it to mention %q", file, reasons[file], want)
		}
	}

	rep, err := report.LoadStored(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rejected) != 1 || rep.Rejected[0].File != "broken.ndjson" || rep.Rejected[0].Record != 4 || rep.Rejected[0].Line != 4 {
		t.Errorf("rejected %+v, want broken.ndjson record 4 line 4", rep.Rejected)
	}
	if rep.Stats.RecordsRead != rep.Stats.Events+rep.Stats.RecordsRejected {
		t.Errorf("stats %+v: records read != events + rejected", rep.Stats)
	}
}

// TestNATSRestart restarts the NATS server while records are published,
// and again while a worker consumes them: nothing is lost or stored twice.
func TestNATSRestart(t *testing.T) {
	srv := startNATS(t)
	nc := connect(t, srv.URL)
	topo := testTopology(t, nc)
	dir := simDir(t)
	_, wantKeys := scanBaseline(t, dir)

	published := make(chan PublishStats, 1)
	go func() {
		opts := PublishOptions{Topology: topo, AckTimeout: time.Second, MaxPending: 256}
		opts.Inputs = append(opts.Inputs, inputs(dir)...)
		s, err := Publish(context.Background(), nc, opts)
		if err != nil {
			t.Errorf("Publish across a restart: %v (%+v)", err, s)
		}
		published <- s
	}()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		s, err := js.Stream(context.Background(), topo.Stream)
		return err == nil && s.CachedInfo().State.Msgs > uint64(len(wantKeys)/3)
	})
	srv.restart(300 * time.Millisecond)
	ps := <-published
	s, err := js.Stream(context.Background(), topo.Stream)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.CachedInfo().State.Msgs; got != uint64(ps.Sent) || ps.Errors != 0 {
		t.Errorf("stream holds %d messages for %d records sent (%+v)", got, ps.Sent, ps)
	}

	st := openSQLite(t, filepath.Join(t.TempDir(), "w.db"), "")
	opts := fastWorker(t, topo, st)
	opts.AckWait = 2 * time.Second
	opts.BatchSize = 25
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w, err := NewWorker(ctx, nc, opts)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	waitForEvents(t, st, len(wantKeys)/3, time.Minute)
	srv.restart(300 * time.Millisecond)
	if err := <-done; err != nil {
		t.Fatalf("worker: %v", err)
	}
	checkSameAsScan(t, st, dir)
}

// waitFor polls cond for up to a minute.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
