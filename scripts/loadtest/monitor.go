package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/rollcall/rollcall/internal/stream"
)

// sample is one scrape of every worker's metrics.
type sample struct {
	at             time.Time
	inserted       float64
	analysedEvents float64
	lastAnalysis   float64
	rss            []float64
	heap           []float64
}

// monitor scrapes the workers' metrics every second.
type monitor struct {
	ws      workers
	mu      sync.Mutex
	samples []sample
	latency map[float64]float64 // merged cumulative buckets of the publish→stored histogram
	count   float64
	// analyses are the analysis saves seen: when, and how many events.
	analyses []analysis
}

type analysis struct {
	at     time.Time
	events float64
}

func newMonitor(ws workers) *monitor { return &monitor{ws: ws} }

func (m *monitor) run(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.scrape(ctx)
		}
	}
}

func (m *monitor) scrape(ctx context.Context) {
	s := sample{at: time.Now()}
	buckets := map[float64]float64{}
	var count float64
	for _, w := range m.ws {
		fams, err := fetchMetrics(ctx, w.metrics+"/metrics")
		if err != nil {
			return
		}
		s.inserted += sum(fams["rollcall_ingest_events_inserted_total"])
		s.analysedEvents = max(s.analysedEvents, sum(fams["rollcall_analysis_events"]))
		s.lastAnalysis = max(s.lastAnalysis, sum(fams["rollcall_analysis_last_timestamp_seconds"]))
		s.rss = append(s.rss, sum(fams["process_resident_memory_bytes"]))
		s.heap = append(s.heap, sum(fams["go_memstats_heap_inuse_bytes"]))
		if f := fams["rollcall_ingest_latency_seconds"]; f != nil {
			for _, mt := range f.Metric {
				h := mt.GetHistogram()
				count += float64(h.GetSampleCount())
				for _, b := range h.Bucket {
					buckets[b.GetUpperBound()] += float64(b.GetCumulativeCount())
				}
			}
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := len(m.samples); n > 0 && s.lastAnalysis > m.samples[n-1].lastAnalysis && s.analysedEvents > 0 {
		m.analyses = append(m.analyses, analysis{at: time.Unix(0, int64(s.lastAnalysis*1e9)), events: s.analysedEvents})
	}
	m.samples = append(m.samples, s)
	m.latency, m.count = buckets, count
}

func fetchMetrics(ctx context.Context, u string) (map[string]*dto.MetricFamily, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	return p.TextToMetricFamilies(resp.Body)
}

func sum(f *dto.MetricFamily) float64 {
	if f == nil {
		return 0
	}
	var s float64
	for _, m := range f.Metric {
		switch {
		case m.Counter != nil:
			s += m.Counter.GetValue()
		case m.Gauge != nil:
			s += m.Gauge.GetValue()
		}
	}
	return s
}

// waitInserted waits until the workers stored n events in all.
func (m *monitor) waitInserted(ctx context.Context, n int) error {
	for {
		m.mu.Lock()
		var got float64
		if len(m.samples) > 0 {
			got = m.samples[len(m.samples)-1].inserted
		}
		m.mu.Unlock()
		if got >= float64(n) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%.0f of %d records stored when giving up: %w", got, n, ctx.Err())
		case <-time.After(time.Second):
		}
	}
}

// profile saves a CPU profile of every worker.
func (m *monitor) profile(dir string, d time.Duration) {
	for i, w := range m.ws {
		go func() {
			u := fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", w.metrics, int(d.Seconds()))
			resp, err := http.Get(u)
			if err != nil {
				log.Printf("profiling worker %d: %v", i, err)
				return
			}
			defer resp.Body.Close()
			f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-worker-%d.pprof", i)))
			if err != nil {
				return
			}
			defer f.Close()
			_, _ = io.Copy(f, resp.Body)
		}()
	}
}

// finalResult is the last analysis: how long it took and its memory.
type finalResult struct {
	took   time.Duration
	maxRSS int64 // bytes
	events float64
	people int
}

// finalAnalysis waits for the periodic analysis to cover every event or,
// without one, runs a worker that analyses once and exits, measuring it.
func finalAnalysis(ctx context.Context, c config, natsURL, dsn string, topo stream.Topology, m *monitor, total int) (*finalResult, error) {
	if c.analyseInterval > 0 {
		deadline := time.Now().Add(c.finalAnalysisMax)
		for time.Now().Before(deadline) {
			m.mu.Lock()
			n := len(m.analyses)
			var last analysis
			if n > 0 {
				last = m.analyses[n-1]
			}
			m.mu.Unlock()
			if last.events >= float64(total) {
				return &finalResult{events: last.events}, nil
			}
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Second):
			}
		}
		return nil, errors.New("the periodic analysis did not cover every event in time")
	}
	actx, cancel := context.WithTimeout(ctx, c.finalAnalysisMax)
	defer cancel()
	cmd := execWorker(actx, c, natsURL, dsn, topo, "final-analysis.log",
		"--exit-when-idle", "--analyse-delay", "10ms", "--partitions", "0")
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("final analysis worker: %w (see %s)", err, filepath.Join(c.dir, "final-analysis.log"))
	}
	r := &finalResult{took: time.Since(start), events: float64(total)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss * 1024
	}
	return r, nil
}

// pgSize returns the bytes the schema's tables, indexes and TOAST take,
// and the events table's share.
func pgSize(ctx context.Context, dsn, schema string) ([2]int64, error) {
	var out [2]int64
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return out, err
	}
	defer conn.Close(context.Background())
	err = conn.QueryRow(ctx, `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0),
			coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname = 'events'), 0)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'm', 'p')`, schema).Scan(&out[0], &out[1])
	return out, err
}

func withParams(dsn string, params map[string]string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("-pg must be a postgres:// URL: %w", err)
	}
	q := u.Query()
	for k, v := range params {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// quantile reads a quantile off cumulative histogram buckets, linearly
// within the bucket.
func quantile(buckets map[float64]float64, count, q float64) float64 {
	bounds := make([]float64, 0, len(buckets))
	for b := range buckets {
		bounds = append(bounds, b)
	}
	slices.Sort(bounds)
	rank := q * count
	prevBound, prevCount := 0.0, 0.0
	for _, b := range bounds {
		c := buckets[b]
		if c >= rank {
			if math.IsInf(b, 1) {
				return prevBound
			}
			if c == prevCount {
				return b
			}
			return prevBound + (b-prevBound)*(rank-prevCount)/(c-prevCount)
		}
		prevBound, prevCount = b, c
	}
	return prevBound
}
