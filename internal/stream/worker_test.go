package stream

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
)

// TestWorkerMatchesScan publishes a simulated organisation (every format,
// a file to skip) and checks that one worker stores exactly what a scan
// reads and saves the same report.
func TestWorkerMatchesScan(t *testing.T) {
	nc := connect(t, natsURL(t))
	topo := testTopology(t, nc)
	// The simulated organisation and a directory of résumés with a
	// manifest (a directory format, with rejections).
	dir, resumes := simDir(t), "../source/resumes/testdata/manifest"
	ps := publishAll(t, nc, topo, "acme", dir, resumes)
	if ps.Published != ps.Sent || ps.Errors != 0 || ps.Duplicates != 0 || ps.Skipped != 2 {
		t.Errorf("publish stats %+v: want every record published once, truth.json and allow-list.yaml skipped", ps)
	}

	st := openSQLite(t, filepath.Join(t.TempDir(), "w.db"), "acme")
	opts := fastWorker(t, topo, st)
	opts.Tenant = "acme"
	reg := prometheus.NewRegistry()
	opts.Metrics = NewMetrics(reg)
	var after []*report.Report // what the AfterAnalysis hook (worker --notify) saw
	opts.AfterAnalysis = func(_ context.Context, rep *report.Report, res *pipeline.Result) {
		if res.Pop == nil {
			t.Error("AfterAnalysis: no population (notify needs it for logins)")
		}
		after = append(after, rep)
	}
	w := runWorker(t, nc, opts, time.Minute)
	checkSameAsScan(t, st, dir, resumes)
	saved, err := report.LoadStored(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) == 0 || len(after[len(after)-1].People) != len(saved.People) {
		t.Errorf("AfterAnalysis saw %d analyses; want the last one to be the saved report (%d people)", len(after), len(saved.People))
	}

	s := w.Stats()
	if s.Received != int64(ps.Sent) {
		t.Errorf("worker received %d messages, %d were published", s.Received, ps.Sent)
	}
	if in := s.Processed + s.Rejected + s.DeadLettered + s.Notes; in != s.Received {
		t.Errorf("processed %d + rejected %d + dead-lettered %d + notes %d = %d, received %d",
			s.Processed, s.Rejected, s.DeadLettered, s.Notes, in, s.Received)
	}
	if s.Inserted != s.Processed || s.AlreadyStored != 0 {
		t.Errorf("inserted %d, already stored %d, processed %d: want every event inserted once", s.Inserted, s.AlreadyStored, s.Processed)
	}
	var m dto.Metric
	if err := opts.Metrics.Messages.WithLabelValues("acme", OutcomeProcessed).Write(&m); err != nil {
		t.Fatal(err)
	}
	if got := m.GetCounter().GetValue(); got != float64(s.Processed) {
		t.Errorf("processed counter %v, stats %d", got, s.Processed)
	}
}

// TestRepublishIsDropped publishes the same files twice: the stream's
// duplicate window drops the second copy.
func TestRepublishIsDropped(t *testing.T) {
	nc := connect(t, natsURL(t))
	topo := testTopology(t, nc)
	dir := filepath.Join(simDir(t), "payroll.csv")
	first := publishAll(t, nc, topo, "", dir)
	second := publishAll(t, nc, topo, "", dir)
	if first.Published == 0 || second.Published != 0 || second.Duplicates != first.Published {
		t.Errorf("first %+v, second %+v: want the second publish dropped as duplicates", first, second)
	}
}

// TestWorkersShareTheWork runs two workers on one stream and store: each
// record is stored once, and the results are a scan's.
func TestWorkersShareTheWork(t *testing.T) {
	nc := connect(t, natsURL(t))
	topo := testTopology(t, nc)
	dir := simDir(t)
	path := filepath.Join(t.TempDir(), "w.db")
	st := openSQLite(t, path, "")

	var wg sync.WaitGroup
	workers := make([]*Worker, 2)
	start := make(chan struct{})
	for i := range workers {
		wg.Go(func() {
			opts := fastWorker(t, topo, openSQLite(t, path, ""))
			// No worker dies here, so nothing should be redelivered: a
			// short ack wait on a loaded machine redelivers batches that
			// were only slow, and the count below would see them twice.
			opts.AckWait = time.Minute
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			w, err := NewWorker(ctx, nc, opts)
			if err != nil {
				t.Errorf("NewWorker: %v", err)
				return
			}
			workers[i] = w
			<-start
			if err := w.Run(ctx); err != nil {
				t.Errorf("worker %d: %v", i, err)
			}
		})
	}
	ps := publishAll(t, nc, topo, "", dir)
	close(start)
	wg.Wait()
	if t.Failed() {
		return
	}
	checkSameAsScan(t, st, dir)
	var received, inserted int64
	for i, w := range workers {
		s := w.Stats()
		if s.Received == 0 {
			t.Errorf("worker %d received nothing", i)
		}
		received += s.Received
		inserted += s.Inserted
	}
	if received != int64(ps.Sent) {
		t.Errorf("workers received %d messages in all, %d were published: some were processed twice", received, ps.Sent)
	}
	if n, _ := st.EventCount(context.Background()); int64(n) != inserted {
		t.Errorf("workers inserted %d events, the store holds %d", inserted, n)
	}
}

// TestPartitionCountComesFromTheStream checks that a worker or publisher
// configured with another partition count uses the stream's.
func TestPartitionCountComesFromTheStream(t *testing.T) {
	nc := connect(t, natsURL(t))
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	topo := testTopology(t, nc)
	topo.Partitions = 3
	ctx := context.Background()
	if _, err := Ensure(ctx, js, topo); err != nil {
		t.Fatal(err)
	}
	topo.Partitions = 16
	got, err := Ensure(ctx, js, topo)
	if err != nil {
		t.Fatal(err)
	}
	if got.Partitions != 3 {
		t.Errorf("partitions %d, want the stream's 3", got.Partitions)
	}
	other := topo
	other.Prefix = topo.Prefix + "x"
	if _, err := Ensure(ctx, js, other); err == nil {
		t.Error("a stream with other subjects was accepted")
	}
}
